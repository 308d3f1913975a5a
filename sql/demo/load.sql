-- The demo loader's second half: `signpost load-demo` runs demo-data.sql
-- (the temporary demo_* tables) and then this file as one transaction.
--
-- * Only rows with is_demo = true are deleted and rewritten.  A demo
--   organisation or location that a real listing has come to use is kept
--   (ON CONFLICT DO NOTHING below then leaves it as it is).
-- * Ids are md5 of a stable key, so a reload gives every row the same id
--   and links into the demo (shortlists, feed consumers) keep working.
-- * Coordinates come from the postcode table: a venue whose postcode is
--   not there is skipped, and so are the services at it; the summary at
--   the end counts them.
-- * Review dates and seasons are relative to the day of loading, so the
--   demo never goes stale as a whole: about one service in ten is past
--   its review date, the rest were reviewed in the last year.

-- One loader at a time (two `make run`s starting together).
SELECT pg_advisory_xact_lock(hashtext('signpost load-demo'));

DELETE FROM service WHERE is_demo;

DELETE FROM organization o
WHERE o.is_demo
    AND NOT EXISTS (SELECT 1 FROM service s WHERE s.organization_id = o.id);

-- A location's schedules and meeting points from real services go with
-- it (ON DELETE CASCADE / SET NULL), so a location anything real still
-- points at stays.
DELETE FROM location l
WHERE l.is_demo
    AND NOT EXISTS (SELECT 1 FROM service_at_location x
	WHERE x.location_id = l.id)
    AND NOT EXISTS (SELECT 1 FROM schedule x WHERE x.location_id = l.id)
    AND NOT EXISTS (SELECT 1 FROM walk_detail x
	WHERE x.meeting_location_id = l.id);

INSERT INTO organization (id, name, description, website, email, is_demo)
SELECT md5('demo-organization-' || key)::uuid, name, description, website,
    email, true
FROM demo_org
ON CONFLICT (id) DO NOTHING;

INSERT INTO phone (id, organization_id, number, type)
SELECT md5('demo-organization-phone-' || key)::uuid,
    md5('demo-organization-' || key)::uuid, phone, 'voice'
FROM demo_org
WHERE phone IS NOT NULL
ON CONFLICT (id) DO NOTHING;

-- The venue's position is its postcode's centroid, copied as it is so
-- that distance search from that postcode gives exactly 0.
INSERT INTO location (id, location_type, name, description, url, latitude,
    longitude, grid, address_1, address_2, city, state_province,
    postal_code, country, is_demo)
SELECT md5('demo-location-' || v.key)::uuid, 'physical', v.name,
    v.description, v.url, p.latitude, p.longitude, p.grid, v.address_1,
    v.address_2, v.city, a.name, p.postcode, 'GB', true
FROM demo_venue v
JOIN postcode p ON p.postcode = v.postal_code
LEFT JOIN area a ON a.code = p.council_area_code
ON CONFLICT (id) DO NOTHING;

INSERT INTO phone (id, location_id, number, type, description)
SELECT md5('demo-location-phone-' || v.key)::uuid,
    md5('demo-location-' || v.key)::uuid, v.phone, 'voice',
    'Practice reception (number from the 2014 NHS practice list)'
FROM demo_venue v
JOIN location l ON l.id = md5('demo-location-' || v.key)::uuid
WHERE v.phone IS NOT NULL
ON CONFLICT (id) DO NOTHING;

INSERT INTO accessibility (id, location_id, description, details)
SELECT md5('demo-accessibility-' || x.venue || '-' || x.feature)::uuid,
    l.id, x.feature,
    concat_ws(' ', x.details,
	'Sample information: check with the venue before visiting.')
FROM demo_accessibility x
JOIN location l ON l.id = md5('demo-location-' || x.venue)::uuid
ON CONFLICT (id) DO NOTHING;

-- Contact details are the (fictional) organisation's.
INSERT INTO service (id, organization_id, name, description, url, email,
    status, kind, eligibility_description, minimum_age, maximum_age, is_free,
    cost_description, self_referral, professional_referral, drop_in,
    booking_required, referral_description, last_reviewed, review_due,
    is_demo)
SELECT md5('demo-service-' || s.key)::uuid,
    md5('demo-organization-' || s.org)::uuid, s.name, s.description,
    o.website, o.email, 'active', s.kind, s.eligibility, s.minimum_age, s.maximum_age,
    s.is_free, s.cost, s.self_referral, s.professional_referral, s.drop_in,
    s.booking_required, s.referral, current_date - s.reviewed_days_ago,
    current_date - s.reviewed_days_ago + 365, true
FROM demo_service s
JOIN demo_org o ON o.key = s.org
WHERE s.venue IS NULL
    OR EXISTS (SELECT 1 FROM location l
	WHERE l.id = md5('demo-location-' || s.venue)::uuid);

INSERT INTO service_at_location (id, service_id, location_id)
SELECT md5('demo-service-at-location-' || s.key)::uuid, x.id,
    md5('demo-location-' || s.venue)::uuid
FROM demo_service s
JOIN service x ON x.id = md5('demo-service-' || s.key)::uuid
WHERE s.venue IS NOT NULL;

INSERT INTO service_taxonomy (service_id, taxonomy_term_id)
SELECT x.id, t.id
FROM demo_category c
JOIN service x ON x.id = md5('demo-service-' || c.service)::uuid
JOIN taxonomy_term t ON t.slug = c.slug
    AND t.taxonomy_id = md5('aliss-categories')::uuid;

INSERT INTO language (id, service_id, name, code)
SELECT md5('demo-language-' || g.service || '-' || g.code)::uuid, x.id,
    g.name, g.code
FROM demo_language g
JOIN service x ON x.id = md5('demo-service-' || g.service)::uuid;

-- Fortnightly rules need an anchor week: the first such weekday on or
-- after Monday 5 January 2026.  Seasons are this year's, or next year's
-- once this one is over.
INSERT INTO schedule (id, service_id, freq, "interval", byday, opens_at,
    closes_at, valid_from, valid_to, dtstart, description)
SELECT md5('demo-schedule-' || d.service)::uuid, x.id, d.freq,
    d."interval", d.byday, d.opens_at, d.closes_at,
    CASE d.season
    WHEN 'summer' THEN make_date(y.summer, 4, 1)
    WHEN 'winter' THEN make_date(y.winter, 10, 1)
    END,
    CASE d.season
    WHEN 'summer' THEN make_date(y.summer, 9, 30)
    WHEN 'winter' THEN make_date(y.winter + 1, 3, 31)
    END,
    CASE WHEN d."interval" > 1 THEN date '2026-01-05' +
	array_position(ARRAY['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'],
	d.byday) - 1
    END,
    d.description
FROM demo_schedule d
JOIN service x ON x.id = md5('demo-service-' || d.service)::uuid
CROSS JOIN (SELECT
	extract(year FROM current_date)::int
	    + (current_date > make_date(extract(year FROM
	    current_date)::int, 9, 30))::int AS summer,
	extract(year FROM current_date - interval '3 months')::int
	    AS winter) y;

INSERT INTO cost_option (id, service_id, option, currency, amount,
    amount_description)
SELECT md5('demo-cost-' || c.service || '-' || c.option)::uuid, x.id,
    c.option, 'GBP', c.amount, c.amount_description
FROM demo_cost c
JOIN service x ON x.id = md5('demo-service-' || c.service)::uuid;

INSERT INTO walk_detail (service_id, kind, grade, grade_label, length_km,
    duration_minutes, terrain, meeting_point, meeting_location_id)
SELECT x.id, 'walking_group', w.grade, w.grade_label, w.length_km,
    w.duration_minutes, w.terrain, w.meeting_point,
    md5('demo-location-' || s.venue)::uuid
FROM demo_walk w
JOIN demo_service s ON s.key = w.service
JOIN service x ON x.id = md5('demo-service-' || w.service)::uuid;

INSERT INTO service_area (id, service_id, name, area_code, area_kind)
SELECT md5('demo-service-area-' || s.key)::uuid, x.id, a.name, s.area_code,
    s.area_kind
FROM demo_service s
JOIN service x ON x.id = md5('demo-service-' || s.key)::uuid
LEFT JOIN area a ON a.code = s.area_code
WHERE s.area_code IS NOT NULL;

-- A remote service's own line, else its organisation's.
INSERT INTO phone (id, service_id, number, type)
SELECT md5('demo-service-phone-' || s.key)::uuid, x.id,
    coalesce(s.phone, o.phone), 'voice'
FROM demo_service s
JOIN demo_org o ON o.key = s.org
JOIN service x ON x.id = md5('demo-service-' || s.key)::uuid
WHERE coalesce(s.phone, o.phone) IS NOT NULL;

-- The summary `signpost load-demo` prints: one row.
SELECT
    (SELECT count(*) FROM organization WHERE is_demo) AS organizations,
    (SELECT count(*) FROM location WHERE is_demo) AS locations,
    (SELECT count(*) FROM service WHERE is_demo) AS services,
    (SELECT count(*) FROM demo_venue v
	WHERE NOT EXISTS (SELECT 1 FROM postcode p
	    WHERE p.postcode = v.postal_code)) AS skipped_venues,
    (SELECT string_agg(v.name || ' (' || coalesce(v.postal_code,
	'no postcode') || ')', ', ' ORDER BY v.name)
	FROM demo_venue v
	WHERE NOT EXISTS (SELECT 1 FROM postcode p
	    WHERE p.postcode = v.postal_code)) AS skipped_names,
    (SELECT count(*) FROM demo_service s
	WHERE NOT EXISTS (SELECT 1 FROM service x
	    WHERE x.id = md5('demo-service-' || s.key)::uuid))
	AS skipped_services;
