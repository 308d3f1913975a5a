-- The document of a published listing (sql/011 says what a document is):
-- what the forms load, what a submission is compared with, and what
-- history records.  Sessions in the order the group gave them (sql/018).
-- listing_documents() gives many at once (an import's history entries,
-- one statement for a batch); listing_document() is a batch of one.  Each
-- part (categories, venues, sessions...) is gathered for all the ids at
-- once and joined, not looked up again for each listing: 0.08 ms a
-- listing in batches of 250 where a subquery per part and listing took
-- 0.12 (documents identical for all 100 000 generated listings).  The one is
-- SQL so that it is inlined where it is called, and planned for the ids
-- it is given (as PL/pgSQL its one kept plan, made for any number of ids,
-- scanned every organisation: four times slower for one listing).
-- listing_document() is PL/pgSQL: its plan is kept for the session
-- instead of made at every call (a third of its time, measured on 2 000).
CREATE OR REPLACE FUNCTION listing_documents(p_services uuid[])
RETURNS TABLE (id uuid, doc jsonb)
LANGUAGE sql STABLE AS $$
	WITH ven AS (
		SELECT sal.service_id, sal.id AS sal, l.id, l.name,
		    l.address_1, l.city, l.postal_code, l.address_hidden,
		    row_number() OVER (PARTITION BY sal.service_id
			ORDER BY sal.position NULLS LAST, l.name, l.id) AS n
		FROM service_at_location sal
		JOIN location l ON l.id = sal.location_id
		WHERE sal.service_id = ANY (p_services)
	)
	SELECT s.id, jsonb_build_object(
	    'organization', organization_document(s.organization_id),
	    'service', jsonb_build_object(
		'name', s.name, 'kind', s.kind, 'description', s.description,
		'categories', coalesce(cat.j, '[]'::jsonb),
		'eligibility', s.eligibility_description,
		'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age,
		'is_free', s.is_free, 'cost', s.cost_description,
		'self_referral', s.self_referral,
		'professional_referral', s.professional_referral,
		'drop_in', s.drop_in, 'booking_required', s.booking_required,
		'referral', s.referral_description, 'email', s.email,
		'phone', ph.number,
		'website', s.url,
		'languages', coalesce(lang.j, '[]'::jsonb),
		'areas', coalesce(area.j, '[]'::jsonb)),
	    'venues', coalesce(venues.j, '[]'::jsonb),
	    'sessions', coalesce(sess.j, '[]'::jsonb),
	    'walk', CASE WHEN w.service_id IS NOT NULL THEN
		jsonb_build_object('grade', w.grade,
		'length_km', trim_scale(w.length_km)::text,
		'duration_minutes', w.duration_minutes,
		'terrain', w.terrain, 'meeting_point', w.meeting_point) END,
	    'contact_email', s.review_email)
	FROM service s
	LEFT JOIN (SELECT st.service_id,
		jsonb_agg(t.slug ORDER BY t.slug COLLATE "C") AS j
	    FROM service_taxonomy st
	    JOIN taxonomy_term t ON t.id = st.taxonomy_term_id
	    WHERE st.service_id = ANY (p_services)
	    GROUP BY st.service_id) cat ON cat.service_id = s.id
	LEFT JOIN (SELECT p.service_id, min(p.number) AS number
	    FROM phone p WHERE p.service_id = ANY (p_services)
	    GROUP BY p.service_id) ph ON ph.service_id = s.id
	LEFT JOIN (SELECT l.service_id, jsonb_agg(coalesce(l.name, l.code)
		ORDER BY coalesce(l.name, l.code) COLLATE "C") AS j
	    FROM language l WHERE l.service_id = ANY (p_services)
	    GROUP BY l.service_id) lang ON lang.service_id = s.id
	LEFT JOIN (SELECT sa.service_id, jsonb_agg(DISTINCT
		sa.area_code COLLATE "C" ORDER BY sa.area_code COLLATE "C")
		AS j
	    FROM service_area sa WHERE sa.service_id = ANY (p_services)
	    GROUP BY sa.service_id) area ON area.service_id = s.id
	LEFT JOIN (SELECT ven.service_id, jsonb_agg(jsonb_build_object(
		'name', ven.name, 'address', ven.address_1, 'city', ven.city,
		'postcode', ven.postal_code, 'hide_address',
		ven.address_hidden, 'accessibility', acc.d) ORDER BY ven.n) AS j
	    FROM ven
	    LEFT JOIN (SELECT a.location_id, string_agg(a.description, '; '
		    ORDER BY a.description) AS d
		FROM accessibility a
		WHERE a.location_id IN (SELECT ven.id FROM ven)
		GROUP BY a.location_id) acc ON acc.location_id = ven.id
	    GROUP BY ven.service_id) venues ON venues.service_id = s.id
	LEFT JOIN (SELECT ven.service_id, jsonb_agg(jsonb_build_object(
		'venue', ven.n, 'freq', sch.freq, 'interval', sch."interval",
		'byday', sch.byday,
		'opens_at', to_char(sch.opens_at, 'HH24:MI'),
		'closes_at', to_char(sch.closes_at, 'HH24:MI'),
		'valid_from', sch.valid_from, 'valid_to', sch.valid_to)
		ORDER BY sch.seq) AS j
	    FROM ven JOIN schedule sch ON sch.service_at_location_id = ven.sal
	    GROUP BY ven.service_id) sess ON sess.service_id = s.id
	LEFT JOIN walk_detail w ON w.service_id = s.id
	WHERE s.id = ANY (p_services)
$$;

CREATE OR REPLACE FUNCTION listing_document(p_service uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT d.doc FROM listing_documents(ARRAY[p_service]) d);
END;
$$;
