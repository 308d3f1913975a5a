-- gen-services.sql: 100 000 generated services across the NHS Greater
-- Glasgow and Clyde area, for `scripts/bench` (search, feed, ndjson).  Run
-- with psql -v ON_ERROR_STOP=1 on a migrated database with the postcodes
-- loaded; never on a real directory.
--
-- * Set-based (INSERT ... SELECT generate_series) and deterministic: every
--   choice is a hash of the row number (md5), every id is md5 of a stable
--   key, so two runs give the same rows and the same benchmark.
-- * Realistic in shape: 8 000 organisations, each with 3 venues at real
--   postcodes (24 000 locations; latitude, longitude and grid copied from
--   the postcode table as load-demo does), 100 000 services from the
--   templates below (walks, lunch clubs, food banks, advice, groups; 2 %
--   are phone services covering a council area, with no venue), ALISS
--   categories, weekly, fortnightly and monthly schedules (some on the
--   service, some on its service_at_location), costs, age limits,
--   accessibility, languages, phones; ~9 % past their review date, ~3 %
--   not active.
-- * Valid against every CHECK in sql/003_directory.sql.
-- * Re-runnable: it first deletes the rows a previous run made (by id).
--
-- search_vector: the per-row triggers (service_search on service, one
-- UPDATE per service_taxonomy row) and even one UPDATE calling
-- service_search_document() per service take minutes.  They are disabled
-- inside this transaction instead.  A service's document is its name
-- (weight A) followed by what its template fixes (categories,
-- description), and tsvector || is associative, so each template's tail
-- is computed once by service_search_document() itself, for a probe
-- service that is deleted again, and every vector is name || tail.  A
-- check at the end compares a sample with service_search_document() and
-- fails the load if the shortcut ever stops matching sql/003.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
BEGIN;

CREATE FUNCTION pg_temp.h(text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
	SELECT ('x' || substr(md5($1), 1, 7))::bit(28)::integer
$$;

ALTER TABLE service DISABLE TRIGGER service_search;
ALTER TABLE service_taxonomy DISABLE TRIGGER service_taxonomy_search;

-- A previous run's rows (children go by ON DELETE CASCADE).
DELETE FROM service
WHERE id IN (SELECT md5('bench-service-' || g)::uuid
    FROM generate_series(1, 100000) g);
DELETE FROM location
WHERE id IN (SELECT md5('bench-location-' || g)::uuid
    FROM generate_series(1, 24000) g);
DELETE FROM organization
WHERE id IN (SELECT md5('bench-organization-' || g)::uuid
    FROM generate_series(1, 8000) g);

-- The templates.  weight: services per 1000.  sched: 'weekly' (one
-- weekday, chosen per service), 'weekdays' (MO,WE,FR), 'fortnightly',
-- 'monthly' (an ordinal weekday), 'evening' (weekly, after 18:00), 'none'
-- (no rule, a description only).  venue false: a phone service covering
-- its council area.
CREATE TEMPORARY TABLE bench_template (
	t		integer PRIMARY KEY,
	weight		integer NOT NULL,
	kind		text NOT NULL,
	name		text NOT NULL,		-- %s: the venue or area
	description	text NOT NULL,
	slugs		text[] NOT NULL,
	is_free		boolean NOT NULL,
	cost		text,
	amount		numeric(12, 2),
	min_age		smallint,
	max_age		smallint,
	eligibility	text,
	self_referral	boolean,
	prof_referral	boolean,
	drop_in		boolean,
	booking		boolean,
	referral	text,
	sched		text NOT NULL,
	opens		time,
	minutes		integer,
	grade		text,
	venue		boolean NOT NULL DEFAULT true
) ON COMMIT DROP;

INSERT INTO bench_template VALUES
(1, 45, 'walking_group', 'Health walk from %s',
 'A friendly, volunteer-led walk at a gentle pace on park paths and quiet streets, finishing with a cuppa. Walk leaders are trained in first aid.',
 '{physical-activity,exercise-get-fit,outdoor-pursuits}', true, NULL, NULL,
 NULL, NULL, NULL, true, true, true, false,
 'Just come along; no referral needed.', 'weekly', '10:00', 60, 'easy'),
(2, 30, 'walking_group', 'Walking group from %s',
 'A sociable walk of about an hour, some slopes and rough paths; new walkers are paired with a buddy on their first week.',
 '{physical-activity,outdoor-pursuits,social-activity}', true, NULL, NULL,
 NULL, NULL, NULL, true, true, true, false,
 'Just come along; no referral needed.', 'weekly', '13:30', 90,
 'moderate'),
(3, 12, 'walking_group', 'Buggy walk from %s',
 'A short flat walk for parents and carers with prams and buggies, ending at a café.',
 '{physical-activity,parent-toddler-group,exercise-get-fit}', true, NULL,
 NULL, NULL, NULL, 'Parents and carers with babies and toddlers.', true,
 true, true, false, NULL, 'weekly', '10:30', 45, 'easy'),
(4, 8, 'walking_group', 'Hill walking club from %s',
 'Monthly day walks in the Campsies and the Kilpatrick Hills for experienced walkers; car sharing arranged.',
 '{outdoor-pursuits,physical-activity}', false, '£5 towards transport',
 5.00, 16, NULL, NULL, true, false, false, true, 'Book a place by phone.',
 'monthly', '09:00', 420, 'strenuous'),
(5, 30, 'activity', 'Chair exercise class at %s',
 'Seated exercise to music to build strength and balance, at your own pace. Tea and a chat afterwards.',
 '{exercise-get-fit,physical-activity}', false, '£2 a class', 2.00, 50,
 NULL, 'Older adults and anyone with limited mobility.', true, true, true,
 false, NULL, 'weekly', '11:00', 45, NULL),
(6, 45, 'activity', 'Lunch club at %s',
 'A hot two-course lunch with tea and company, followed by bingo or a quiz. Transport can be arranged.',
 '{lunch-club,social-group,befriending}', false,
 '£3.50 for a two-course lunch', 3.50, 60, NULL,
 'Carers and partners welcome too.', true, true, false, true,
 'Phone to book your first lunch.', 'weekly', '12:00', 120, NULL),
(7, 40, 'service', 'Food bank at %s',
 'Emergency food parcels, three days of nutritionally balanced food, with toiletries and pet food when needed. Volunteers can also talk through money worries.',
 '{foodbank,food-nutrition}', true, NULL, NULL, NULL, NULL, NULL, true,
 true, true, false,
 'Bring a referral voucher if you have one; if not, come anyway.',
 'weekly', '13:00', 180, NULL),
(8, 45, 'service', 'Welfare benefits advice at %s',
 'Help with Universal Credit, PIP and Adult Disability Payment claims, reviews and appeals, including filling in forms.',
 '{money-advice,money}', true, NULL, NULL, 16, NULL, NULL, true, true,
 false, true, 'Phone or ask your GP practice to refer you.', 'weekdays',
 '09:30', 420, NULL),
(9, 30, 'service', 'Debt advice drop-in at %s',
 'Free, confidential debt advice: rent and council tax arrears, payment plans, bankruptcy and debt arrangement.',
 '{money-advice,money}', true, NULL, NULL, 16, NULL, NULL, true, true,
 true, false, NULL, 'weekly', '10:00', 180, NULL),
(10, 20, 'service', 'Energy advice surgery at %s',
 'Help with fuel debt, switching tariffs, prepayment meters and grants for heating and insulation.',
 '{energy-advice,money}', true, NULL, NULL, NULL, NULL, NULL, true, true,
 true, false, NULL, 'monthly', '10:00', 240, NULL),
(11, 30, 'activity', 'Parent and toddler group at %s',
 'Play, songs and snacks for under-fives and a cuppa for the grown-ups.',
 '{parent-toddler-group,early-years,play}', false, '£1 a family', 1.00,
 NULL, NULL, 'Parents and carers with children under five.', true, true,
 true, false, NULL, 'weekly', '09:30', 90, NULL),
(12, 35, 'activity', 'Youth club at %s',
 'Games, sport, music and trips, with youth workers to talk to about anything.',
 '{youth-group,social-activity}', true, NULL, NULL, 11, 18, NULL, true,
 true, true, false, NULL, 'evening', '18:00', 150, NULL),
(13, 25, 'activity', 'Men''s shed at %s',
 'A workshop and a place to share skills, make things and have a blether.',
 '{mens-health,social-group,peer-support}', true, NULL, NULL, 18, NULL,
 NULL, true, true, true, false, NULL, 'weekdays', '10:00', 240, NULL),
(14, 25, 'service', 'Befriending service in %s',
 'Regular visits or phone calls from a trained volunteer for people who feel lonely or isolated.',
 '{befriending,social-group}', true, NULL, NULL, 18, NULL, NULL, true,
 true, false, true, 'Self-referral or referral by a link worker or GP.',
 'none', NULL, NULL, NULL),
(15, 35, 'activity', 'Mental health peer support group at %s',
 'A safe, confidential group for people living with anxiety or depression, led by people with lived experience.',
 '{peer-support,mental-health,support-group}', true, NULL, NULL, 18, NULL,
 NULL, true, true, true, false, NULL, 'fortnightly', '18:30', 90, NULL),
(16, 20, 'activity', 'Anxiety management course at %s',
 'A six-week course in practical ways to manage worry and panic.',
 '{anxiety,mental-health,self-management}', true, NULL, NULL, 16, NULL,
 NULL, false, true, false, true, 'Referral by a GP or link worker.',
 'weekly', '14:00', 120, NULL),
(17, 30, 'activity', 'Digital skills drop-in at %s',
 'Help with phones, tablets and computers: email, video calls, online forms and staying safe online.',
 '{digital-literacy,computer-class}', true, NULL, NULL, NULL, NULL, NULL,
 true, true, true, false, NULL, 'weekly', '14:00', 120, NULL),
(18, 35, 'activity', 'English conversation café at %s',
 'Practise everyday English in a relaxed group, with volunteers and free tea. All levels welcome.',
 '{foreign-languages,social-activity}', true, NULL, NULL, 16, NULL, NULL,
 true, true, true, false, NULL, 'weekly', '13:00', 120, NULL),
(19, 25, 'activity', 'Community garden at %s',
 'Grow fruit and vegetables, learn gardening and share the harvest. Tools and gloves provided.',
 '{community-garden,outdoor-pursuits,physical-activity}', true, NULL,
 NULL, NULL, NULL, NULL, true, true, true, false, NULL, 'weekly', '10:00',
 180, NULL),
(20, 30, 'activity', 'Arts and crafts group at %s',
 'Painting, knitting, card making and more, with materials provided and no experience needed.',
 '{arts-crafts,creative-cultural-activity,social-group}', false,
 '£2 a session, free for carers', 2.00, NULL, NULL, NULL, true, true,
 true, false, NULL, 'weekly', '13:30', 120, NULL),
(21, 35, 'service', 'Housing advice at %s',
 'Advice on homelessness, tenancy rights, repairs, rent arrears and finding a home.',
 '{housing-advice,housing-and-homelessness}', true, NULL, NULL, 16, NULL,
 NULL, true, true, false, true, NULL, 'weekdays', '09:00', 300, NULL),
(22, 30, 'service', 'Recovery café at %s',
 'A friendly alcohol- and drug-free space for people in or seeking recovery, and their families.',
 '{alcohol-addiction,drug-addiction,peer-support}', true, NULL, NULL, 18,
 NULL, NULL, true, true, true, false, NULL, 'evening', '18:00', 180,
 NULL),
(23, 20, 'activity', 'Dementia-friendly singing group at %s',
 'Sing familiar songs together; for people living with dementia and the people who care for them.',
 '{dementia,music,social-group}', false, '£1 a session', 1.00, NULL, NULL,
 'People living with dementia and their carers.', true, true, true, false,
 NULL, 'weekly', '14:00', 90, NULL),
(24, 30, 'service', 'Carers support group at %s',
 'Time out, a listening ear and information for unpaid carers of any age.',
 '{respite,support-group,peer-support}', true, NULL, NULL, NULL, NULL,
 'Unpaid carers.', true, true, true, false, NULL, 'monthly', '10:30', 120,
 NULL),
(25, 25, 'activity', 'Cookery class at %s',
 'Cook healthy meals on a budget and take home what you make.',
 '{cookery-class,healthy-eating,food-nutrition}', true, NULL, NULL, 16,
 NULL, NULL, true, true, false, true, 'Places are limited: book ahead.',
 'weekly', '10:00', 150, NULL),
(26, 30, 'activity', 'Gentle yoga at %s',
 'Slow, gentle yoga for all bodies, with chairs for anyone who prefers to sit.',
 '{exercise-get-fit,physical-activity,self-management}', false,
 '£4 a class, £2 concessions', 4.00, 16, NULL, NULL, true, true, true,
 false, NULL, 'evening', '18:30', 60, NULL),
(27, 35, 'service', 'Employability support at %s',
 'One-to-one help with CVs, job applications, interviews and training.',
 '{employability,work-preparation,skills-training}', true, NULL, NULL, 16,
 NULL, NULL, true, true, false, true, NULL, 'weekdays', '09:30', 300,
 NULL),
(28, 20, 'service', 'Money advice helpline for %s',
 'Phone advice on benefits, debt and budgeting for anyone living in the area.',
 '{helplines,money-advice}', true, NULL, NULL, 16, NULL, NULL, true, true,
 false, false, NULL, 'weekdays', '09:00', 480, NULL),
(29, 25, 'activity', 'Football for all at %s',
 'Friendly small-sided football, all abilities welcome; boots and kit can be borrowed.',
 '{sports-games,physical-activity}', false, '£2 a game', 2.00, 16, NULL,
 NULL, true, true, true, false, NULL, 'evening', '19:00', 60, NULL),
(30, 25, 'service', 'Clothing bank at %s',
 'Free clothes, shoes and school uniforms for children and adults.',
 '{clothing,goods}', true, NULL, NULL, NULL, NULL, NULL, true, true, true,
 false, NULL, 'weekly', '11:00', 180, NULL),
(31, 20, 'service', 'Bereavement support at %s',
 'One-to-one and group support after the death of someone close.',
 '{bereavement,counselling}', true, NULL, NULL, 16, NULL, NULL, true,
 true, false, true, 'Self-referral or referral by a GP.', 'none', NULL,
 NULL, NULL),
(32, 35, 'activity', 'Community café at %s',
 'Affordable soup, sandwiches and home baking in a warm space where everyone is welcome.',
 '{community-cafe,social-activity,food-nutrition}', false,
 'Pay what you can', NULL, NULL, NULL, NULL, true, true, true, false,
 NULL, 'weekdays', '10:00', 240, NULL),
(33, 30, 'activity', 'Stroke and heart health exercise at %s',
 'Supervised exercise after a stroke or heart event, with advice on staying well.',
 '{stroke,cardiac-disease,exercise-get-fit}', false, '£3 a class', 3.00,
 18, NULL, NULL, false, true, false, true,
 'Referral by a GP, nurse or physiotherapist.', 'weekly', '11:00', 60,
 NULL),
(34, 20, 'service', 'Independent advocacy at %s',
 'Independent advocates help you have your say in decisions about your care, housing or money.',
 '{independent-advocacy,rights-representation}', true, NULL, NULL, 16,
 NULL, NULL, true, true, false, true, NULL, 'none', NULL, NULL, NULL),
(35, 25, 'activity', 'Homework club at %s',
 'Help with homework, reading and numbers after school, with a snack.',
 '{lifelong-learning,youth-group}', true, NULL, NULL, 8, 14, NULL, true,
 true, true, false, NULL, 'weekly', '15:30', 90, NULL);

-- The one phone service.
UPDATE bench_template SET venue = false WHERE t = 28;

DO $$
DECLARE
	missing	text;
	total	integer;
BEGIN
	SELECT string_agg(DISTINCT s, ', ') INTO missing
	FROM bench_template, unnest(slugs) s
	WHERE NOT EXISTS (SELECT 1 FROM taxonomy_term t WHERE t.slug = s);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'gen-services: no category %', missing;
	END IF;
	SELECT sum(weight) INTO total FROM bench_template;
	IF total <> 1000 THEN
		RAISE EXCEPTION 'gen-services: template weights add to %, not 1000',
		    total;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM postcode
	    WHERE health_board_code = 'S08000031') THEN
		RAISE EXCEPTION 'gen-services: no Greater Glasgow and Clyde '
		    'postcodes loaded (scripts/setup-db loads them)';
	END IF;
END;
$$;

-- Slot s (0..999) names a template in proportion to its weight.
CREATE TEMPORARY TABLE bench_slot ON COMMIT DROP AS
SELECT (row_number() OVER (ORDER BY t, g) - 1)::integer AS s, t
FROM bench_template, generate_series(1, weight) g;

-- Real postcodes in NHS Greater Glasgow and Clyde, in a fixed
-- pseudo-random order; venue n stands at postcode n.
CREATE TEMPORARY TABLE bench_pc ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY md5(p.postcode))::integer AS n,
    p.postcode, p.latitude, p.longitude, p.grid, p.council_area_code,
    coalesce(a.name, 'Glasgow') AS council,
    coalesce(split_part(replace(w.name, ' Ward', ''), '/', 1), p.outward)
	AS place,
    CASE WHEN p.outward LIKE 'G%' THEN 'Glasgow'
	WHEN p.outward IN ('PA15', 'PA16') THEN 'Greenock'
	WHEN p.outward = 'PA19' THEN 'Gourock'
	WHEN p.outward = 'PA14' THEN 'Port Glasgow'
	WHEN p.outward LIKE 'PA%' THEN 'Paisley'
	ELSE 'Glasgow' END AS town
FROM postcode p
LEFT JOIN area a ON a.code = p.council_area_code
LEFT JOIN area w ON w.code = p.ward_code
WHERE p.health_board_code = 'S08000031';
CREATE UNIQUE INDEX ON bench_pc (n);
ANALYZE bench_pc;

CREATE TEMPORARY TABLE bench_word (list text, i integer, word text,
    PRIMARY KEY (list, i)) ON COMMIT DROP;
INSERT INTO bench_word
SELECT 'street', i - 1, w FROM unnest(ARRAY['Dumbarton Road', 'Byres Road',
    'Paisley Road West', 'Maryhill Road', 'Great Western Road',
    'Duke Street', 'Gallowgate', 'London Road', 'Shettleston Road',
    'Victoria Road', 'Pollokshaws Road', 'Main Street', 'High Street',
    'Church Street', 'Kilbowie Road', 'Glasgow Road', 'Station Road',
    'Union Street', 'Cathcart Road', 'Springburn Road', 'Royston Road',
    'Edinburgh Road', 'Argyle Street', 'Castle Street', 'Crow Road',
    'Balmore Road', 'Barrhead Road', 'Govan Road', 'Alexandra Parade',
    'Clarkston Road']) WITH ORDINALITY x(w, i)
UNION ALL
SELECT 'venue', i - 1, w FROM unnest(ARRAY['Community Centre',
    'Parish Church Hall', 'Library', 'Health Centre', 'Community Hub',
    'Leisure Centre', 'Tenants Hall', 'Family Centre', 'Resource Centre',
    'Neighbourhood Centre', 'Youth Centre', 'Community Flat'])
    WITH ORDINALITY x(w, i)
UNION ALL
SELECT 'org', i - 1, w FROM unnest(ARRAY['Community Trust',
    'Community Association', 'Development Trust', 'Health Improvement Team',
    'Housing Association', 'Parish Church', 'Citizens Advice Bureau',
    'Carers Centre', 'Youth Project', 'Food Network',
    'Tenants and Residents Association', 'Men''s Shed', 'Recovery Network',
    'Arts Collective', 'Walking Club', 'Family Support Project',
    'Wellbeing Hub', 'Money Advice Project']) WITH ORDINALITY x(w, i)
UNION ALL
SELECT 'feature', i - 1, w FROM unnest(ARRAY['Step-free access',
    'Accessible toilet', 'Hearing loop', 'Blue Badge parking', 'Car park',
    'Baby changing', 'Lift to all floors']) WITH ORDINALITY x(w, i);

-- Organisations: named after the place of their first venue.
INSERT INTO organization (id, name, description, website, email,
    legal_status, year_incorporated)
SELECT md5('bench-organization-' || j)::uuid,
    pc.place || ' ' || w.word,
    'A local organisation in ' || pc.place || ', ' || pc.council
	|| ', run by and for the community.',
    'https://org' || j || '.example.org/',
    'hello@org' || j || '.example.org',
    (ARRAY['Charity', 'SCIO', 'Company limited by guarantee',
	'Community group'])[1 + pg_temp.h('legal-' || j) % 4],
    1960 + pg_temp.h('year-' || j) % 64
FROM generate_series(1, 8000) j
JOIN bench_pc pc ON pc.n = ((j - 1) * 3) % (SELECT count(*) FROM bench_pc) + 1
JOIN bench_word w ON w.list = 'org' AND w.i = pg_temp.h('org-' || j) % 18;

INSERT INTO phone (id, organization_id, number, type)
SELECT md5('bench-organization-phone-' || j)::uuid,
    md5('bench-organization-' || j)::uuid,
    '0141 ' || (200 + pg_temp.h('tel-' || j) % 800) || ' '
	|| lpad((pg_temp.h('tel2-' || j) % 10000)::text, 4, '0'),
    'voice'
FROM generate_series(1, 8000) j;

-- Venues: organisation j has venues 3(j-1)+1 .. 3(j-1)+3.
INSERT INTO location (id, organization_id, location_type, name, latitude,
    longitude, grid, address_1, city, state_province, postal_code, country)
SELECT md5('bench-location-' || g.n)::uuid,
    md5('bench-organization-' || ((g.n - 1) / 3 + 1))::uuid, 'physical',
    pc.place || ' ' || v.word, pc.latitude, pc.longitude, pc.grid,
    (1 + pg_temp.h('no-' || g.n) % 400) || ' ' || s.word, pc.town,
    pc.council, pc.postcode, 'GB'
FROM generate_series(1, 24000) g (n)
JOIN bench_pc pc ON pc.n = (g.n - 1) % (SELECT count(*) FROM bench_pc) + 1
JOIN bench_word v ON v.list = 'venue'
    AND v.i = pg_temp.h('venue-' || g.n) % 12
JOIN bench_word s ON s.list = 'street'
    AND s.i = pg_temp.h('street-' || g.n) % 30;

-- Statistics that see this transaction's rows, so that the triggers'
-- statements (search_point upkeep, sql/007) plan for 100 000 rows, not
-- for the demo's few hundred: a nested loop over a table thought tiny
-- made one insert run for over ten minutes.
ANALYZE;

-- Feature f at a venue with probability 70, 60, 30, 35, 30, 25, 20 %.
INSERT INTO accessibility (id, location_id, description)
SELECT md5('bench-accessibility-' || n || '-' || f.i)::uuid,
    md5('bench-location-' || n)::uuid, f.word
FROM generate_series(1, 24000) n
JOIN bench_word f ON f.list = 'feature'
WHERE pg_temp.h('acc-' || n || '-' || f.i) % 100
    < (ARRAY[70, 60, 30, 35, 30, 25, 20])[f.i + 1];

-- Services: organisation 1 + (i - 1) % 8000, template by weight, one of
-- the organisation's three venues.
CREATE TEMPORARY TABLE bench_service ON COMMIT DROP AS
SELECT i, md5('bench-service-' || i)::uuid AS id,
    (i - 1) % 8000 + 1 AS org,
    ((i - 1) % 8000) * 3 + pg_temp.h('at-' || i) % 3 + 1 AS venue,
    sl.t,
    pg_temp.h('x-' || i) AS x
FROM generate_series(1, 100000) i
JOIN bench_slot sl ON sl.s = pg_temp.h('template-' || i) % 1000;
CREATE UNIQUE INDEX ON bench_service (i);
ANALYZE bench_service;

-- Each template's document without the name, from a probe service.
INSERT INTO service (id, organization_id, name, description, kind)
SELECT md5('bench-probe-' || t.t)::uuid, md5('bench-organization-1')::uuid,
    format(t.name, 'Glasgow'), t.description, t.kind
FROM bench_template t;
INSERT INTO service_taxonomy (service_id, taxonomy_term_id)
SELECT md5('bench-probe-' || t.t)::uuid, tt.id
FROM bench_template t
CROSS JOIN unnest(t.slugs) s
JOIN taxonomy_term tt ON tt.slug = s
    AND tt.taxonomy_id = md5('aliss-categories')::uuid;
CREATE TEMPORARY TABLE bench_tail ON COMMIT DROP AS
SELECT t.t, service_search_document(md5('bench-probe-' || t.t)::uuid, NULL,
    t.description) AS tail
FROM bench_template t;
DELETE FROM service WHERE id IN (SELECT md5('bench-probe-' || t)::uuid
    FROM bench_template);

INSERT INTO service (id, organization_id, name, description, url, email,
    status, kind, eligibility_description, minimum_age, maximum_age,
    is_free, cost_description, self_referral, professional_referral,
    drop_in, booking_required, referral_description, last_reviewed,
    review_due, search_vector)
SELECT b.id, md5('bench-organization-' || b.org)::uuid, n.name,
    t.description,
    'https://org' || b.org || '.example.org/services/' || b.i,
    'hello@org' || b.org || '.example.org',
    CASE WHEN b.x % 100 < 97 THEN 'active'
	WHEN b.x % 100 < 99 THEN 'temporarily closed'
	ELSE 'inactive' END,
    t.kind, t.eligibility, t.min_age, t.max_age, t.is_free, t.cost,
    t.self_referral, t.prof_referral, t.drop_in, t.booking, t.referral,
    current_date - (b.x / 100) % 400,
    current_date - (b.x / 100) % 400 + 365,
    setweight(to_tsvector('english', n.name), 'A') || tl.tail
FROM bench_service b
JOIN bench_template t ON t.t = b.t
JOIN bench_tail tl ON tl.t = b.t
JOIN location l ON l.id = md5('bench-location-' || b.venue)::uuid
CROSS JOIN LATERAL (SELECT format(t.name, CASE WHEN t.venue THEN l.name
    ELSE l.state_province END) AS name) n;

ANALYZE service;

INSERT INTO service_at_location (id, service_id, location_id)
SELECT md5('bench-service-at-location-' || b.i)::uuid, b.id,
    md5('bench-location-' || b.venue)::uuid
FROM bench_service b
JOIN bench_template t ON t.t = b.t
WHERE t.venue;

INSERT INTO service_area (id, service_id, name, area_code, area_kind)
SELECT md5('bench-service-area-' || b.i)::uuid, b.id, a.name, a.code,
    'council_area'
FROM bench_service b
JOIN bench_template t ON t.t = b.t
JOIN location l ON l.id = md5('bench-location-' || b.venue)::uuid
JOIN postcode p ON p.postcode = l.postal_code
JOIN area a ON a.code = p.council_area_code
WHERE NOT t.venue;

ANALYZE;

INSERT INTO service_taxonomy (service_id, taxonomy_term_id)
SELECT b.id, tt.id
FROM bench_service b
JOIN bench_template t ON t.t = b.t
CROSS JOIN unnest(t.slugs) s
JOIN taxonomy_term tt ON tt.slug = s
    AND tt.taxonomy_id = md5('aliss-categories')::uuid;

INSERT INTO walk_detail (service_id, kind, grade, length_km,
    duration_minutes, terrain, meeting_point, meeting_location_id)
SELECT b.id, 'walking_group', t.grade,
    round((t.minutes / 60.0 * 4 * (80 + b.x % 40) / 100)::numeric, 1),
    t.minutes,
    CASE t.grade WHEN 'easy' THEN 'Level tarmac paths'
	WHEN 'moderate' THEN 'Park paths, some slopes and steps'
	ELSE 'Hill tracks, rough and boggy in places' END,
    'Outside the main door', md5('bench-location-' || b.venue)::uuid
FROM bench_service b
JOIN bench_template t ON t.t = b.t
WHERE t.kind = 'walking_group';

ANALYZE;

-- Schedules: 30 % on the service_at_location row, the rest on the
-- service.  Start times move by 0, 30 or 60 minutes; fortnightly rules
-- are anchored on the first such weekday from Monday 5 January 2026.
INSERT INTO schedule (id, service_id, service_at_location_id, freq,
    "interval", byday, opens_at, closes_at, dtstart, description)
SELECT md5('bench-schedule-' || b.i)::uuid,
    CASE WHEN t.venue AND b.x % 10 < 3 THEN NULL ELSE b.id END,
    CASE WHEN t.venue AND b.x % 10 < 3
	THEN md5('bench-service-at-location-' || b.i)::uuid END,
    CASE t.sched WHEN 'none' THEN NULL
	WHEN 'monthly' THEN 'MONTHLY' ELSE 'WEEKLY' END,
    CASE t.sched WHEN 'fortnightly' THEN 2 ELSE 1 END,
    CASE t.sched
	WHEN 'none' THEN NULL
	WHEN 'weekdays' THEN 'MO,WE,FR'
	WHEN 'monthly' THEN (1 + b.x % 4) || d.code
	ELSE d.code END,
    CASE WHEN t.sched <> 'none'
	THEN t.opens + (b.x / 7 % 3) * interval '30 minutes' END,
    CASE WHEN t.sched <> 'none'
	THEN t.opens + (b.x / 7 % 3) * interval '30 minutes'
	    + t.minutes * interval '1 minute' END,
    CASE WHEN t.sched = 'fortnightly'
	THEN date '2026-01-05' + d.offs END,
    CASE t.sched WHEN 'none' THEN 'By appointment: phone to arrange a time.'
	END
FROM bench_service b
JOIN bench_template t ON t.t = b.t
CROSS JOIN LATERAL (SELECT
	(ARRAY['MO', 'TU', 'WE', 'TH', 'FR', 'SA'])[1 + b.x / 3 % CASE
	    WHEN t.kind = 'walking_group' THEN 6 ELSE 5 END] AS code,
	b.x / 3 % CASE WHEN t.kind = 'walking_group' THEN 6 ELSE 5 END
	    AS offs) d;

INSERT INTO cost_option (id, service_id, option, currency, amount,
    amount_description)
SELECT md5('bench-cost-' || b.i)::uuid, b.id, t.cost, 'GBP', t.amount,
    'Per person'
FROM bench_service b
JOIN bench_template t ON t.t = b.t
WHERE NOT t.is_free AND t.amount IS NOT NULL;

INSERT INTO language (id, service_id, name, code)
SELECT md5('bench-language-' || b.i)::uuid, b.id, g.name, g.code
FROM bench_service b
JOIN (VALUES (0, 'Polish', 'pl'), (1, 'Arabic', 'ar'), (2, 'Urdu', 'ur'),
    (3, 'British Sign Language', 'bfi')) g (k, name, code)
    ON g.k = b.x / 11 % 4
WHERE b.x % 20 = 0;

DO $$
DECLARE
	bad	integer;
BEGIN
	SELECT count(*) INTO bad
	FROM service s
	JOIN bench_service b ON b.id = s.id
	WHERE b.i % 250 = 0 AND s.search_vector IS DISTINCT FROM
	    service_search_document(s.id, s.name, s.description);
	IF bad > 0 THEN
		RAISE EXCEPTION 'gen-services: % of 400 sampled search_vectors '
		    'differ from service_search_document(): update the '
		    'shortcut above to match sql/003', bad;
	END IF;
END;
$$;

ALTER TABLE service ENABLE TRIGGER service_search;
ALTER TABLE service_taxonomy ENABLE TRIGGER service_taxonomy_search;
COMMIT;

ANALYZE;

SELECT format('gen-services: %s organisations, %s locations, %s services '
    '(%s active), %s schedules', (SELECT count(*) FROM organization),
    (SELECT count(*) FROM location), (SELECT count(*) FROM service),
    (SELECT count(*) FROM service WHERE status = 'active'),
    (SELECT count(*) FROM schedule));
