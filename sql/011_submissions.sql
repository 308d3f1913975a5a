-- 011: community submissions, moderation, the audit history and freshness.
--
-- A listing travels as one jsonb document (the "listing document"): what a
-- group submits, what a moderator edits, what the history stores before
-- and after each published change, and what a restore puts back.  Its
-- shape (every key always present; absent values are null):
--   { "organization": { "id", "name", "description", "website", "email",
--                       "phone", "charity_number" },
--     "service": { "name", "kind", "description", "categories": [slug],
--                  "eligibility", "minimum_age", "maximum_age", "is_free",
--                  "cost", "self_referral", "professional_referral",
--                  "drop_in", "booking_required", "referral", "email",
--                  "phone", "website", "languages": [name] },
--     "venues": [ { "name", "address", "city", "postcode",
--                   "hide_address", "accessibility" } ],
--     "sessions": [ { "venue" (1-based), "freq", "interval", "byday",
--                     "opens_at", "closes_at", "valid_from",
--                     "valid_to" } ],
--     "walk": null | { "grade", "length_km", "duration_minutes",
--                      "terrain", "meeting_point" },
--     "contact_email" }
-- listing_document() builds it from the published rows and listing_apply()
-- writes it back, so that publish, history and restore are one mapping.
-- Ages and minutes are numbers, length_km a string ("3.5"), times "HH:MM",
-- flags true/false/null, lists and sessions sorted (bytewise, as C's
-- strcmp: app/listing.c builds the same order), so that two documents
-- compare as jsonb.

ALTER TABLE organization ADD COLUMN charity_number text
    CHECK (charity_number ~ '^[A-Z]{0,2}[0-9]{5,8}$');

-- version: bumped by every published change; an update submission
-- remembers the version it was made from (submission.base_version), so a
-- change published in between is a conflict, never a silent overwrite.
-- review_email: where freshness reminders go; never published.
ALTER TABLE service ADD COLUMN version integer NOT NULL DEFAULT 1
    CHECK (version >= 1);
ALTER TABLE service ADD COLUMN review_email text
    CHECK (valid_email(review_email));

-- Hide the street address on public pages and in the feed: the postcode
-- (and so the distance) stays, for a group that meets at a home.
ALTER TABLE location ADD COLUMN address_hidden boolean NOT NULL
    DEFAULT false;

-- The order of a listing's venues, so "session at venue 2" stays venue 2.
ALTER TABLE service_at_location ADD COLUMN position smallint
    CHECK (position >= 1);

-- Moderators and administrators.  The password is an argon2id string from
-- libsodium's crypto_pwhash_str (it carries its own salt and parameters).
CREATE TABLE app_user (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email			text NOT NULL CHECK (valid_email(email)),
	role			text NOT NULL CHECK (role IN ('moderator',
				    'admin')),
	password_hash		text NOT NULL CHECK (password_hash
				    LIKE '$argon2id$%'),
	created_at		timestamptz NOT NULL DEFAULT now(),
	disabled_at		timestamptz,
	last_login_at		timestamptz
);

CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));

-- A signed-in browser.  Only the SHA-256 of the cookie's 256-bit token is
-- stored, so a copy of this table signs nobody in.  A session ends when
-- idle (last_seen) or at expires_at, whichever is first.
CREATE TABLE user_session (
	token_hash		bytea PRIMARY KEY
				    CHECK (octet_length(token_hash) = 32),
	user_id			uuid NOT NULL REFERENCES app_user (id)
				    ON DELETE CASCADE,
	created_at		timestamptz NOT NULL DEFAULT now(),
	last_seen		timestamptz NOT NULL DEFAULT now(),
	expires_at		timestamptz NOT NULL
);

CREATE INDEX user_session_user_id_idx ON user_session (user_id);

-- Sign-in attempts, for throttling by account and by address.
CREATE TABLE login_attempt (
	id			bigserial PRIMARY KEY,
	email			text NOT NULL,
	ip			text NOT NULL,
	ok			boolean NOT NULL,
	at			timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_attempt_email_idx ON login_attempt (lower(email), at);
CREATE INDEX login_attempt_ip_idx ON login_attempt (ip, at);

-- The moderators' queue.  kind 'new': a listing not yet published
-- (service_id set once it is); 'update': a change to a published one.
-- version counts edits of the item itself (the group's edit link, a
-- moderator's edit), checked at approval: two people acting on one item,
-- one wins and the other is told.
CREATE TABLE submission (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	kind			text NOT NULL CHECK (kind IN ('new', 'update')),
	service_id		uuid REFERENCES service (id) ON DELETE CASCADE,
	document		jsonb NOT NULL CHECK (jsonb_typeof(document)
				    = 'object'
				    AND octet_length(document::text) <= 262144),
	base_version		integer,
	version			integer NOT NULL DEFAULT 1 CHECK (version >= 1),
	status			text NOT NULL DEFAULT 'pending'
				    CHECK (status IN ('pending', 'approved',
				    'rejected', 'superseded')),
	reason			text CHECK (char_length(reason) <= 2000),
	submitter_ip		text,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	decided_at		timestamptz,
	decided_by		uuid REFERENCES app_user (id),
	CONSTRAINT submission_update_check CHECK (kind = 'new'
	    OR (service_id IS NOT NULL AND base_version IS NOT NULL)),
	CONSTRAINT submission_decided_check
	    CHECK ((status = 'pending') = (decided_at IS NULL))
);

CREATE INDEX submission_pending_idx ON submission (created_at)
    WHERE status = 'pending';
CREATE INDEX submission_service_id_idx ON submission (service_id);
CREATE INDEX submission_ip_idx ON submission (submitter_ip, created_at);
-- At most one pending item per published listing: a second edit through
-- the link changes the pending one.
CREATE UNIQUE INDEX submission_one_pending_key ON submission (service_id)
    WHERE status = 'pending' AND service_id IS NOT NULL;

-- The group's private edit link: the SHA-256 of a 256-bit random token.
-- It belongs to the first submission, and through it to the listing.
CREATE TABLE edit_token (
	token_hash		bytea PRIMARY KEY
				    CHECK (octet_length(token_hash) = 32),
	submission_id		uuid NOT NULL REFERENCES submission (id)
				    ON DELETE CASCADE,
	created_at		timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX edit_token_submission_id_idx ON edit_token (submission_id);

-- The history: every published change, who made it, before and after.
-- actor is the moderator's e-mail, 'edit link' or 'import'.
CREATE TABLE listing_change (
	id			bigserial PRIMARY KEY,
	service_id		uuid NOT NULL REFERENCES service (id)
				    ON DELETE CASCADE,
	changed_at		timestamptz NOT NULL DEFAULT now(),
	user_id			uuid REFERENCES app_user (id),
	actor			text NOT NULL,
	action			text NOT NULL CHECK (action IN ('created',
				    'updated', 'restored', 'withdrawn',
				    'confirmed')),
	submission_id		uuid REFERENCES submission (id)
				    ON DELETE SET NULL,
	restored_from		bigint REFERENCES listing_change (id),
	before			jsonb,
	after			jsonb NOT NULL
);

CREATE INDEX listing_change_service_idx ON listing_change (service_id,
    changed_at);

-- Freshness reminders: one row per listing, review cycle and stage, so
-- each is sent once.  sent_at NULL: waiting in the outbox.
CREATE TABLE reminder (
	id			bigserial PRIMARY KEY,
	service_id		uuid NOT NULL REFERENCES service (id)
				    ON DELETE CASCADE,
	review_due		date NOT NULL,
	stage			smallint NOT NULL CHECK (stage IN (10, 11)),
	to_email		text NOT NULL CHECK (valid_email(to_email)),
	subject			text NOT NULL,
	body			text NOT NULL,
	created_at		timestamptz NOT NULL DEFAULT now(),
	sent_at			timestamptz,
	last_error		text,
	CONSTRAINT reminder_once_key UNIQUE (service_id, review_due, stage)
);

CREATE INDEX reminder_outbox_idx ON reminder (created_at)
    WHERE sent_at IS NULL;

-- Problem reports are handled from the queue too: who closed one.
ALTER TABLE problem_report ADD COLUMN resolved_by uuid
    REFERENCES app_user (id);
ALTER TABLE problem_report ADD COLUMN resolution text
    CHECK (char_length(resolution) <= 2000);

-- The document of a published listing (see the top of this file).
CREATE FUNCTION listing_document(p_service uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'organization', jsonb_build_object(
		'id', o.id, 'name', o.name, 'description', o.description,
		'website', coalesce(o.website, o.url), 'email', o.email,
		'phone', (SELECT min(p.number) FROM phone p
		    WHERE p.organization_id = o.id AND p.service_id IS NULL
		    AND p.contact_id IS NULL AND p.location_id IS NULL),
		'charity_number', o.charity_number),
	    'service', jsonb_build_object(
		'name', s.name, 'kind', s.kind, 'description', s.description,
		'categories', coalesce((SELECT jsonb_agg(t.slug ORDER BY t.slug COLLATE "C")
		    FROM service_taxonomy st
		    JOIN taxonomy_term t ON t.id = st.taxonomy_term_id
		    WHERE st.service_id = s.id), '[]'::jsonb),
		'eligibility', s.eligibility_description,
		'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age,
		'is_free', s.is_free, 'cost', s.cost_description,
		'self_referral', s.self_referral,
		'professional_referral', s.professional_referral,
		'drop_in', s.drop_in, 'booking_required', s.booking_required,
		'referral', s.referral_description, 'email', s.email,
		'phone', (SELECT min(p.number) FROM phone p
		    WHERE p.service_id = s.id),
		'website', s.url,
		'languages', coalesce((SELECT jsonb_agg(coalesce(l.name, l.code)
		    ORDER BY coalesce(l.name, l.code) COLLATE "C") FROM language l
		    WHERE l.service_id = s.id), '[]'::jsonb)),
	    'venues', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'name', l.name, 'address', l.address_1, 'city', l.city,
		'postcode', l.postal_code, 'hide_address', l.address_hidden,
		'accessibility', (SELECT string_agg(a.description, '; '
		    ORDER BY a.description) FROM accessibility a
		    WHERE a.location_id = l.id))
		ORDER BY sal.position NULLS LAST, l.name, l.id)
		FROM service_at_location sal
		JOIN location l ON l.id = sal.location_id
		WHERE sal.service_id = s.id), '[]'::jsonb),
	    'sessions', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'venue', v.n, 'freq', sch.freq, 'interval', sch."interval",
		'byday', sch.byday,
		'opens_at', to_char(sch.opens_at, 'HH24:MI'),
		'closes_at', to_char(sch.closes_at, 'HH24:MI'),
		'valid_from', sch.valid_from, 'valid_to', sch.valid_to)
		ORDER BY v.n, sch.byday COLLATE "C", sch.opens_at, sch.id)
		FROM schedule sch
		JOIN (SELECT sal.id, row_number() OVER (ORDER BY
		    sal.position NULLS LAST, l.name, l.id) AS n
		    FROM service_at_location sal
		    JOIN location l ON l.id = sal.location_id
		    WHERE sal.service_id = s.id) v
		    ON v.id = sch.service_at_location_id), '[]'::jsonb),
	    'walk', (SELECT jsonb_build_object('grade', w.grade,
		'length_km', trim_scale(w.length_km)::text,
		'duration_minutes', w.duration_minutes,
		'terrain', w.terrain, 'meeting_point', w.meeting_point)
		FROM walk_detail w WHERE w.service_id = s.id),
	    'contact_email', s.review_email)
	FROM service s
	JOIN organization o ON o.id = s.organization_id
	WHERE s.id = p_service
$$;

-- Write a document to the published tables: a new listing when p_service
-- is NULL, else the listing's rows replaced by the document's.  Venues are
-- the listing's own, numbered by service_at_location.position.  Returns
-- the service id.  CHECK violations surface with their constraint names
-- for the caller to map.
CREATE FUNCTION listing_apply(p_service uuid, p_doc jsonb) RETURNS uuid
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

-- Would this document publish?  NULL if so, else the name of the first
-- constraint it breaks.  Nothing is kept: the writes are undone.
CREATE FUNCTION listing_check(p_doc jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	c	text;
BEGIN
	BEGIN
		PERFORM listing_apply(NULL, p_doc);
		RAISE EXCEPTION USING ERRCODE = 'SP000';
	EXCEPTION
		WHEN SQLSTATE 'SP000' THEN
			RETURN NULL;
		WHEN check_violation OR not_null_violation
		    OR foreign_key_violation OR invalid_text_representation
		    OR datetime_field_overflow OR numeric_value_out_of_range
		    OR invalid_datetime_format THEN
			GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
			RETURN coalesce(nullif(c, ''), 'unknown');
	END;
END;
$$;

-- Publish a pending submission.  Raises SP409 when the item is no longer
-- pending or was edited since the moderator saw it (p_version), SP412
-- when the listing changed since the update was made from it.
CREATE FUNCTION listing_publish(p_submission uuid, p_version integer,
    p_user uuid, p_review_months integer) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	sub	submission%ROWTYPE;
	svc	uuid;
	old	jsonb;
	cur	integer;
BEGIN
	SELECT * INTO sub FROM submission WHERE id = p_submission FOR UPDATE;
	IF NOT FOUND OR sub.status <> 'pending' OR sub.version <> p_version
	THEN
		RAISE EXCEPTION 'submission changed' USING ERRCODE = 'SP409';
	END IF;
	IF sub.kind = 'update' THEN
		SELECT version INTO cur FROM service WHERE id = sub.service_id
		FOR UPDATE;
		IF cur IS DISTINCT FROM sub.base_version THEN
			RAISE EXCEPTION 'listing changed' USING ERRCODE = 'SP412';
		END IF;
		old := listing_document(sub.service_id);
	END IF;
	svc := listing_apply(sub.service_id, sub.document);
	UPDATE service SET version = version + CASE WHEN sub.kind = 'new'
	    THEN 0 ELSE 1 END,
	    last_reviewed = current_date,
	    review_due = current_date + make_interval(months =>
		p_review_months)
	WHERE id = svc;
	UPDATE submission SET status = 'approved', service_id = svc,
	    decided_at = now(), decided_by = p_user, updated_at = now()
	WHERE id = sub.id;
	INSERT INTO listing_change (service_id, user_id, actor, action,
	    submission_id, before, after)
	SELECT svc, p_user, coalesce((SELECT email FROM app_user
	    WHERE id = p_user), 'system'),
	    CASE WHEN sub.kind = 'new' THEN 'created' ELSE 'updated' END,
	    sub.id, old, listing_document(svc);
	RETURN svc;
END;
$$;

-- Put back the "after" of an earlier change, as a new recorded change.
-- Raises SP412 when the listing changed since p_version.
CREATE FUNCTION listing_restore(p_change bigint, p_version integer,
    p_user uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	ch	listing_change%ROWTYPE;
	old	jsonb;
	cur	integer;
BEGIN
	SELECT * INTO ch FROM listing_change WHERE id = p_change;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such change' USING ERRCODE = 'SP404';
	END IF;
	SELECT version INTO cur FROM service WHERE id = ch.service_id
	FOR UPDATE;
	IF cur IS DISTINCT FROM p_version THEN
		RAISE EXCEPTION 'listing changed' USING ERRCODE = 'SP412';
	END IF;
	old := listing_document(ch.service_id);
	PERFORM listing_apply(ch.service_id, ch.after);
	UPDATE service SET version = version + 1 WHERE id = ch.service_id;
	INSERT INTO listing_change (service_id, user_id, actor, action,
	    restored_from, before, after)
	SELECT ch.service_id, p_user, coalesce((SELECT email FROM app_user
	    WHERE id = p_user), 'system'), 'restored', ch.id,
	    old, listing_document(ch.service_id);
	RETURN ch.service_id;
END;
$$;
