-- listing_apply() as sql/011 made it, and since: the areas a listing
-- covers (service_area), from the document's service.areas; and many
-- listings at once (listing_apply_batch), of which one is a batch of one.
--
-- Write documents to the published tables.  p_rows is a JSON array of
-- {"n", "service", "doc"}: a new listing where service is null, else
-- that listing's rows replaced by the document's.  Venues are the
-- listing's own, numbered by service_at_location.position.  Returns each
-- row's n and service id.  CHECK violations surface with their
-- constraint names for the caller to map.  A row may also carry "org",
-- the id its new organisation is to have (so that later rows of the same
-- batch can name it by id), and "review_months": the listing counts as
-- reviewed today, due again in that many months (an import's publish).
--
-- Set-based, one statement a table for the whole batch: an import of a
-- first 5 000 rows spent 0.9 ms a row here when each listing took some
-- twenty statements of its own (sql/functions/listing_import_batch.sql).
--
-- The organisation: the one the document names by id (which must
-- exist, and is not written), else the listing's own (written from the
-- document), else a new one.  Two rows of one batch must not write the
-- same organisation (listing_import_batch sees to it).
CREATE OR REPLACE FUNCTION listing_apply_batch(p_rows jsonb)
RETURNS TABLE (o_n bigint, o_service uuid)
LANGUAGE plpgsql AS $$
DECLARE
	b	jsonb;
	vs	jsonb;
	bad	text;
BEGIN
	-- The rows with what they will be: service and organisation ids
	-- (new ones made here), and whether the organisation is theirs to
	-- write.
	SELECT jsonb_agg(jsonb_build_object('n', r.n, 'svc',
	    coalesce(r.service, gen_random_uuid()), 'new', r.service IS NULL,
	    'org', coalesce(nullif(r.doc #>> '{organization,id}', '')::uuid,
		s.organization_id, r.org, gen_random_uuid()),
	    'found', s.id IS NOT NULL,
	    'own_org', nullif(r.doc #>> '{organization,id}', '') IS NULL,
	    'review_months', r.review_months, 'doc', r.doc) ORDER BY r.n)
	INTO b
	FROM jsonb_to_recordset(p_rows) AS r (n bigint, service uuid,
	    org uuid, review_months integer, doc jsonb)
	LEFT JOIN service s ON s.id = r.service;
	IF b IS NULL THEN
		RETURN;
	END IF;
	-- A new organisation, or ours to update: a listing made from a
	-- submission owns the organisation it brought.  One statement for
	-- both (a new one written once, not made and then updated: its
	-- triggers and index entries were half of what it cost).
	INSERT INTO organization (id, name, description, website, email,
	    charity_number)
	SELECT r.org, o ->> 'name', o ->> 'description', o ->> 'website',
	    o ->> 'email', o ->> 'charity_number'
	FROM jsonb_to_recordset(b) AS r (n bigint, org uuid, own_org boolean,
	    doc jsonb),
	    LATERAL (SELECT r.doc -> 'organization') x (o)
	WHERE r.own_org
	ORDER BY r.n
	ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,
	    description = EXCLUDED.description, website = EXCLUDED.website,
	    email = EXCLUDED.email, charity_number = EXCLUDED.charity_number;
	SELECT r.org::text INTO bad
	FROM jsonb_to_recordset(b) AS r (org uuid, own_org boolean)
	WHERE NOT r.own_org
	AND NOT EXISTS (SELECT 1 FROM organization o WHERE o.id = r.org)
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'organisation % not found', bad
		    USING ERRCODE = 'foreign_key_violation',
		    CONSTRAINT = 'service_organization_id_fkey';
	END IF;
	DELETE FROM phone p
	USING jsonb_to_recordset(b) AS r (org uuid, own_org boolean)
	WHERE r.own_org AND p.organization_id = r.org
	AND p.service_id IS NULL AND p.contact_id IS NULL
	AND p.location_id IS NULL;
	INSERT INTO phone (organization_id, number)
	SELECT r.org, r.doc #>> '{organization,phone}'
	FROM jsonb_to_recordset(b) AS r (n bigint, org uuid, own_org boolean,
	    doc jsonb)
	WHERE r.own_org AND r.doc #>> '{organization,phone}' IS NOT NULL
	ORDER BY r.n;

	-- The kind may change; walk_detail's key follows only if it goes.
	DELETE FROM walk_detail w
	USING jsonb_to_recordset(b) AS r (svc uuid, new boolean)
	WHERE NOT r.new AND w.service_id = r.svc;
	-- A new listing is written once, an old one updated (reviewed dates
	-- kept unless the row says it is reviewed today), with its search
	-- vector from the categories the document names
	-- (sql/functions/search_vector.sql; the triggers make it again
	-- unless an import has them stand aside).
	WITH cats AS (
		SELECT DISTINCT r.n, t.id AS term
		FROM jsonb_to_recordset(b) AS r (n bigint, doc jsonb)
		CROSS JOIN LATERAL jsonb_array_elements_text(
		    r.doc #> '{service,categories}') c (slug)
		JOIN taxonomy_term t ON t.slug = c.slug
	), names AS (
		SELECT cats.n,
		    string_agg(DISTINCT l.name, ' ')
			FILTER (WHERE l.depth = 0) AS own,
		    string_agg(DISTINCT l.name, ' ')
			FILTER (WHERE l.depth > 0) AS above
		FROM cats
		JOIN taxonomy_lineage(ARRAY(SELECT DISTINCT cats.term
		    FROM cats)) l ON l.term_id = cats.term
		GROUP BY cats.n
	)
	INSERT INTO service (id, organization_id, name, kind, description,
	    eligibility_description, minimum_age, maximum_age, is_free,
	    cost_description, self_referral, professional_referral, drop_in,
	    booking_required, referral_description, email, url, review_email,
	    status, last_reviewed, review_due, search_vector)
	SELECT x.svc, x.org, s ->> 'name', s ->> 'kind', s ->> 'description',
	    s ->> 'eligibility', (s ->> 'minimum_age')::smallint,
	    (s ->> 'maximum_age')::smallint,
	    coalesce((s ->> 'is_free')::boolean, false), s ->> 'cost',
	    (s ->> 'self_referral')::boolean,
	    (s ->> 'professional_referral')::boolean,
	    (s ->> 'drop_in')::boolean, (s ->> 'booking_required')::boolean,
	    s ->> 'referral', s ->> 'email', s ->> 'website',
	    x.doc ->> 'contact_email', 'active',
	    CASE WHEN x.review_months IS NOT NULL THEN current_date END,
	    current_date + make_interval(months => x.review_months),
	    search_vector_build(s ->> 'name', names.own, s ->> 'description',
		names.above)
	FROM (SELECT r.n, r.svc, r.org, r.review_months, r.doc,
		r.doc -> 'service' AS s
	    FROM jsonb_to_recordset(b) AS r (n bigint, svc uuid, new boolean,
		found boolean, org uuid, review_months integer, doc jsonb)
	    -- A listing gone meanwhile is not made again (what follows
	    -- refuses its rows, as before).
	    WHERE r.new OR r.found) x
	LEFT JOIN names ON names.n = x.n
	ORDER BY x.n
	ON CONFLICT (id) DO UPDATE SET
	    organization_id = EXCLUDED.organization_id, name = EXCLUDED.name,
	    kind = EXCLUDED.kind, description = EXCLUDED.description,
	    eligibility_description = EXCLUDED.eligibility_description,
	    minimum_age = EXCLUDED.minimum_age,
	    maximum_age = EXCLUDED.maximum_age, is_free = EXCLUDED.is_free,
	    cost_description = EXCLUDED.cost_description,
	    self_referral = EXCLUDED.self_referral,
	    professional_referral = EXCLUDED.professional_referral,
	    drop_in = EXCLUDED.drop_in,
	    booking_required = EXCLUDED.booking_required,
	    referral_description = EXCLUDED.referral_description,
	    email = EXCLUDED.email, url = EXCLUDED.url,
	    review_email = EXCLUDED.review_email, status = EXCLUDED.status,
	    last_reviewed = coalesce(EXCLUDED.last_reviewed,
		service.last_reviewed),
	    review_due = coalesce(EXCLUDED.review_due, service.review_due),
	    search_vector = EXCLUDED.search_vector;

	DELETE FROM service_taxonomy st
	USING jsonb_to_recordset(b) AS r (svc uuid, new boolean)
	WHERE NOT r.new AND st.service_id = r.svc;
	INSERT INTO service_taxonomy (service_id, taxonomy_term_id)
	SELECT DISTINCT r.svc, t.id
	FROM jsonb_to_recordset(b) AS r (svc uuid, doc jsonb)
	CROSS JOIN LATERAL
	    jsonb_array_elements_text(r.doc #> '{service,categories}') c (slug)
	JOIN taxonomy_term t ON t.slug = c.slug;
	DELETE FROM phone p
	USING jsonb_to_recordset(b) AS r (svc uuid, new boolean)
	WHERE NOT r.new AND p.service_id = r.svc;
	INSERT INTO phone (service_id, number)
	SELECT r.svc, r.doc #>> '{service,phone}'
	FROM jsonb_to_recordset(b) AS r (n bigint, svc uuid, doc jsonb)
	WHERE r.doc #>> '{service,phone}' IS NOT NULL
	ORDER BY r.n;
	DELETE FROM language l
	USING jsonb_to_recordset(b) AS r (svc uuid, new boolean)
	WHERE NOT r.new AND l.service_id = r.svc;
	INSERT INTO language (service_id, name)
	SELECT r.svc, x.l
	FROM jsonb_to_recordset(b) AS r (n bigint, svc uuid, doc jsonb)
	CROSS JOIN LATERAL
	    jsonb_array_elements_text(r.doc #> '{service,languages}')
		WITH ORDINALITY x (l, i)
	ORDER BY r.n, x.i;
	-- The areas it covers, when the document says (one from before
	-- sql/functions had areas leaves them as they are); codes we do
	-- not know are left out (importers map and report them first).
	DELETE FROM service_area sa
	USING jsonb_to_recordset(b) AS r (svc uuid, new boolean,
	    doc jsonb)
	WHERE NOT r.new AND r.doc -> 'service' ? 'areas'
	AND sa.service_id = r.svc;
	INSERT INTO service_area (service_id, area_code, area_kind, name)
	SELECT DISTINCT r.svc, a.code, a.kind, a.name
	FROM jsonb_to_recordset(b) AS r (svc uuid, doc jsonb)
	CROSS JOIN LATERAL
	    jsonb_array_elements_text(r.doc #> '{service,areas}') c (code)
	JOIN area a ON a.code = c.code
	WHERE a.kind IN ('country', 'health_board', 'council_area', 'ward');

	-- Venues: the listing's old locations go unless another listing
	-- uses them too (demo and imported data share places).
	DELETE FROM location l
	USING service_at_location x, jsonb_to_recordset(b)
	    AS r (svc uuid, new boolean)
	WHERE NOT r.new AND x.service_id = r.svc
	AND l.id = x.location_id
	AND NOT EXISTS (SELECT 1 FROM service_at_location y
	    WHERE y.location_id = l.id AND y.service_id <> r.svc);
	DELETE FROM service_at_location x
	USING jsonb_to_recordset(b) AS r (svc uuid, new boolean)
	WHERE NOT r.new AND x.service_id = r.svc;
	DELETE FROM schedule x
	USING jsonb_to_recordset(b) AS r (svc uuid, new boolean)
	WHERE NOT r.new AND x.service_id = r.svc;
	-- Each venue its own location, numbered in the document's order.
	SELECT jsonb_agg(jsonb_build_object('n', r.n, 'svc', r.svc,
	    'org', r.org, 'pos', x.pos, 'v', x.v, 'postcode', p.postcode,
	    'loc', gen_random_uuid(), 'sal', gen_random_uuid())
	    ORDER BY r.n, x.pos)
	INTO vs
	FROM jsonb_to_recordset(b) AS r (n bigint, svc uuid, org uuid,
	    doc jsonb)
	CROSS JOIN LATERAL jsonb_array_elements(r.doc -> 'venues')
	    WITH ORDINALITY x (v, pos)
	LEFT JOIN postcode p ON p.postcode = x.v ->> 'postcode';
	SELECT v.v ->> 'postcode' INTO bad
	FROM jsonb_to_recordset(vs) AS v (n bigint, pos int, v jsonb,
	    postcode text)
	WHERE v.postcode IS NULL
	ORDER BY v.n, v.pos LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'postcode % not known', bad
		    USING ERRCODE = 'check_violation',
		    CONSTRAINT = 'location_postal_code_check';
	END IF;
	INSERT INTO location (id, organization_id, name, address_1, city,
	    postal_code, latitude, longitude, grid, address_hidden)
	SELECT v.loc, v.org, v.v ->> 'name', v.v ->> 'address',
	    v.v ->> 'city', p.postcode, p.latitude, p.longitude, p.grid,
	    coalesce((v.v ->> 'hide_address')::boolean, false)
	FROM jsonb_to_recordset(vs) AS v (n bigint, pos int, org uuid,
	    v jsonb, postcode text, loc uuid)
	JOIN postcode p ON p.postcode = v.postcode
	ORDER BY v.n, v.pos;
	INSERT INTO accessibility (location_id, description)
	SELECT v.loc, v.v ->> 'accessibility'
	FROM jsonb_to_recordset(vs) AS v (n bigint, pos int, v jsonb,
	    loc uuid)
	WHERE v.v ->> 'accessibility' IS NOT NULL
	ORDER BY v.n, v.pos;
	INSERT INTO service_at_location (id, service_id, location_id,
	    position)
	SELECT v.sal, v.svc, v.loc, v.pos
	FROM jsonb_to_recordset(vs) AS v (n bigint, pos int, svc uuid,
	    loc uuid, sal uuid)
	ORDER BY v.n, v.pos;
	-- Sessions in the document's order (schedule.seq keeps it).
	SELECT x.s ->> 'venue' INTO bad
	FROM jsonb_to_recordset(b) AS r (n bigint, doc jsonb)
	CROSS JOIN LATERAL jsonb_array_elements(r.doc -> 'sessions') x (s)
	WHERE NOT EXISTS (SELECT 1
	    FROM jsonb_to_recordset(vs) AS v (n bigint, pos int)
	    WHERE v.n = r.n
	    AND v.pos = coalesce((x.s ->> 'venue')::int, 0))
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'session at venue %', bad
		    USING ERRCODE = 'check_violation',
		    CONSTRAINT = 'schedule_owner_check';
	END IF;
	INSERT INTO schedule (service_id, service_at_location_id, freq,
	    "interval", byday, opens_at, closes_at, valid_from, valid_to)
	SELECT r.svc, v.sal, x.s ->> 'freq',
	    coalesce((x.s ->> 'interval')::int, 1), x.s ->> 'byday',
	    (x.s ->> 'opens_at')::time, (x.s ->> 'closes_at')::time,
	    (x.s ->> 'valid_from')::date, (x.s ->> 'valid_to')::date
	FROM jsonb_to_recordset(b) AS r (n bigint, svc uuid, doc jsonb)
	CROSS JOIN LATERAL jsonb_array_elements(r.doc -> 'sessions')
	    WITH ORDINALITY x (s, i)
	JOIN jsonb_to_recordset(vs) AS v (n bigint, pos int, sal uuid)
	    ON v.n = r.n AND v.pos = (x.s ->> 'venue')::int
	ORDER BY r.n, x.i;
	INSERT INTO walk_detail (service_id, grade, length_km,
	    duration_minutes, terrain, meeting_point)
	SELECT r.svc, w ->> 'grade', (w ->> 'length_km')::numeric,
	    (w ->> 'duration_minutes')::int, w ->> 'terrain',
	    w ->> 'meeting_point'
	FROM jsonb_to_recordset(b) AS r (n bigint, svc uuid, doc jsonb),
	    LATERAL (SELECT r.doc -> 'walk') x (w)
	WHERE jsonb_typeof(w) = 'object'
	ORDER BY r.n;
	RETURN QUERY SELECT r.n, r.svc
	FROM jsonb_to_recordset(b) AS r (n bigint, svc uuid)
	ORDER BY r.n;
END;
$$;

-- One listing: a batch of one.  Returns the service id.
CREATE OR REPLACE FUNCTION listing_apply(p_service uuid, p_doc jsonb)
RETURNS uuid
LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT a.o_service FROM listing_apply_batch(jsonb_build_array(
	    jsonb_build_object('n', 1, 'service', p_service, 'doc', p_doc))) a);
END;
$$;
