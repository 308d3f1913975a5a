-- listing_apply() as sql/011 made it, and since: the areas a listing
-- covers (service_area), from the document's service.areas.
-- Write a document to the published tables: a new listing when p_service
-- is NULL, else the listing's rows replaced by the document's.  Venues are
-- the listing's own, numbered by service_at_location.position.  Returns
-- the service id.  CHECK violations surface with their constraint names
-- for the caller to map.
CREATE OR REPLACE FUNCTION listing_apply(p_service uuid, p_doc jsonb)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	o	jsonb := p_doc -> 'organization';
	s	jsonb := p_doc -> 'service';
	v	jsonb;
	x	jsonb;
	org	uuid;
	svc	uuid := p_service;
	loc	uuid;
	pc	postcode%ROWTYPE;
	n	integer := 0;
	sal	uuid[] := '{}';
BEGIN
	IF nullif(o ->> 'id', '') IS NOT NULL THEN
		org := (o ->> 'id')::uuid;
		PERFORM 1 FROM organization WHERE id = org;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'organisation % not found', org
			    USING ERRCODE = 'foreign_key_violation',
			    CONSTRAINT = 'service_organization_id_fkey';
		END IF;
	ELSIF svc IS NOT NULL THEN
		SELECT organization_id INTO org FROM service WHERE id = svc;
	END IF;
	IF org IS NULL OR nullif(o ->> 'id', '') IS NULL THEN
		-- A new organisation, or ours to update: a listing made from
		-- a submission owns the organisation it brought.
		IF org IS NULL THEN
			INSERT INTO organization (name) VALUES (o ->> 'name')
			RETURNING id INTO org;
		END IF;
		UPDATE organization SET name = o ->> 'name',
		    description = o ->> 'description',
		    website = o ->> 'website', email = o ->> 'email',
		    charity_number = o ->> 'charity_number'
		WHERE id = org;
		DELETE FROM phone WHERE organization_id = org
		    AND service_id IS NULL AND contact_id IS NULL
		    AND location_id IS NULL;
		IF o ->> 'phone' IS NOT NULL THEN
			INSERT INTO phone (organization_id, number)
			VALUES (org, o ->> 'phone');
		END IF;
	END IF;

	IF svc IS NULL THEN
		INSERT INTO service (organization_id, name, kind)
		VALUES (org, s ->> 'name', s ->> 'kind')
		RETURNING id INTO svc;
	END IF;
	-- The kind may change; walk_detail's key follows only if it goes.
	DELETE FROM walk_detail WHERE service_id = svc;
	UPDATE service SET organization_id = org, name = s ->> 'name',
	    kind = s ->> 'kind', description = s ->> 'description',
	    eligibility_description = s ->> 'eligibility',
	    minimum_age = (s ->> 'minimum_age')::smallint,
	    maximum_age = (s ->> 'maximum_age')::smallint,
	    is_free = coalesce((s ->> 'is_free')::boolean, false),
	    cost_description = s ->> 'cost',
	    self_referral = (s ->> 'self_referral')::boolean,
	    professional_referral = (s ->> 'professional_referral')::boolean,
	    drop_in = (s ->> 'drop_in')::boolean,
	    booking_required = (s ->> 'booking_required')::boolean,
	    referral_description = s ->> 'referral',
	    email = s ->> 'email', url = s ->> 'website',
	    review_email = p_doc ->> 'contact_email',
	    status = 'active'
	WHERE id = svc;

	DELETE FROM service_taxonomy WHERE service_id = svc;
	INSERT INTO service_taxonomy (service_id, taxonomy_term_id)
	SELECT DISTINCT svc, t.id
	FROM jsonb_array_elements_text(s -> 'categories') c (slug)
	JOIN taxonomy_term t ON t.slug = c.slug;
	DELETE FROM phone WHERE service_id = svc;
	IF s ->> 'phone' IS NOT NULL THEN
		INSERT INTO phone (service_id, number)
		VALUES (svc, s ->> 'phone');
	END IF;
	DELETE FROM language WHERE service_id = svc;
	INSERT INTO language (service_id, name)
	SELECT svc, l FROM jsonb_array_elements_text(s -> 'languages') l;
	-- The areas it covers, when the document says (one from before
	-- sql/functions had areas leaves them as they are); codes we do
	-- not know are left out (importers map and report them first).
	IF s ? 'areas' THEN
		DELETE FROM service_area WHERE service_id = svc;
		INSERT INTO service_area (service_id, area_code, area_kind,
		    name)
		SELECT DISTINCT svc, a.code, a.kind, a.name
		FROM jsonb_array_elements_text(s -> 'areas') c (code)
		JOIN area a ON a.code = c.code
		WHERE a.kind IN ('country', 'health_board', 'council_area',
		    'ward');
	END IF;

	-- Venues: the listing's old locations go unless another listing
	-- uses them too (demo and imported data share places).
	DELETE FROM location l USING service_at_location x
	WHERE x.service_id = svc AND l.id = x.location_id
	AND NOT EXISTS (SELECT 1 FROM service_at_location y
	    WHERE y.location_id = l.id AND y.service_id <> svc);
	DELETE FROM service_at_location WHERE service_id = svc;
	DELETE FROM schedule WHERE service_id = svc;
	FOR v IN SELECT * FROM jsonb_array_elements(p_doc -> 'venues') LOOP
		n := n + 1;
		SELECT * INTO pc FROM postcode WHERE postcode = v ->> 'postcode';
		IF NOT FOUND THEN
			RAISE EXCEPTION 'postcode % not known', v ->> 'postcode'
			    USING ERRCODE = 'check_violation',
			    CONSTRAINT = 'location_postal_code_check';
		END IF;
		INSERT INTO location (organization_id, name, address_1, city,
		    postal_code, latitude, longitude, grid, address_hidden)
		VALUES (org, v ->> 'name', v ->> 'address', v ->> 'city',
		    pc.postcode, pc.latitude, pc.longitude, pc.grid,
		    coalesce((v ->> 'hide_address')::boolean, false))
		RETURNING id INTO loc;
		IF v ->> 'accessibility' IS NOT NULL THEN
			INSERT INTO accessibility (location_id, description)
			VALUES (loc, v ->> 'accessibility');
		END IF;
		INSERT INTO service_at_location (service_id, location_id,
		    position)
		VALUES (svc, loc, n)
		RETURNING id INTO loc;
		sal := sal || loc;
	END LOOP;
	FOR x IN SELECT * FROM jsonb_array_elements(p_doc -> 'sessions') LOOP
		IF coalesce((x ->> 'venue')::int, 0) NOT BETWEEN 1 AND n THEN
			RAISE EXCEPTION 'session at venue % of %', x ->> 'venue', n
			    USING ERRCODE = 'check_violation',
			    CONSTRAINT = 'schedule_owner_check';
		END IF;
		INSERT INTO schedule (service_id, service_at_location_id, freq,
		    "interval", byday, opens_at, closes_at, valid_from,
		    valid_to)
		VALUES (svc, sal[(x ->> 'venue')::int], x ->> 'freq',
		    coalesce((x ->> 'interval')::int, 1), x ->> 'byday',
		    (x ->> 'opens_at')::time, (x ->> 'closes_at')::time,
		    (x ->> 'valid_from')::date, (x ->> 'valid_to')::date);
	END LOOP;
	IF jsonb_typeof(p_doc -> 'walk') = 'object' THEN
		x := p_doc -> 'walk';
		INSERT INTO walk_detail (service_id, grade, length_km,
		    duration_minutes, terrain, meeting_point)
		VALUES (svc, x ->> 'grade', (x ->> 'length_km')::numeric,
		    (x ->> 'duration_minutes')::int, x ->> 'terrain',
		    x ->> 'meeting_point');
	END IF;
	RETURN svc;
END;
$$;
