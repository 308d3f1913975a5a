-- 003: the directory: organisations, services, locations and what hangs
-- off them.  Table and column names follow HSDS 3.0 (Open Referral) so the
-- feed is a straight mapping; the Signpost additions are service.kind,
-- the cost/referral/review columns on service, walk_detail, the flattened
-- address on location, and location.grid.
--
-- Conventions:
-- * Keys are uuid DEFAULT gen_random_uuid() (core since PostgreSQL 13).
-- * Optional text is NULL, never '': the CHECKs reject blank strings where
--   a blank would be shown to a user, so the application must map an
--   empty form field to NULL.
-- * CHECK constraints use column constraints, so a violation names
--   <table>_<column>_check and the caller can point at the form field.
-- * Child rows (contacts, phones, schedules...) go with their parent
--   (ON DELETE CASCADE).  A service or location outlives nothing it needs:
--   an organisation with services cannot be deleted (RESTRICT).
-- * Every foreign key has an index starting with it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Shared validity tests, kept in one place.  IMMUTABLE so CHECKs may use
-- them.  Deliberately loose: they catch typos and pasted junk, not every
-- invalid address.
CREATE FUNCTION valid_email(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT length($1) <= 254
	    AND $1 ~ '^[^@[:space:]]+@[^@[:space:].]+(\.[^@[:space:].]+)+$'
$$;

CREATE FUNCTION valid_http_url(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT length($1) <= 2048
	    AND $1 ~* '^https?://[^/?#[:space:]]+([/?#][^[:space:]]*)?$'
$$;

-- Digits and single spaces, an optional leading +; 3 to 15 digits (999
-- and 116 123 are real numbers to list; E.164 allows at most 15).
CREATE FUNCTION valid_phone(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT $1 ~ '^\+?[0-9]+( [0-9]+)*$'
	    AND length(replace($1, ' ', '')) - (left($1, 1) = '+')::int
	    BETWEEN 3 AND 15
$$;

CREATE FUNCTION valid_postcode(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT $1 ~ '^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$'
$$;

-- Sets updated_at on every UPDATE, unless the statement set it itself (an
-- import that keeps the source's timestamps).
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
		NEW.updated_at := now();
	END IF;
	RETURN NEW;
END;
$$;

CREATE TABLE organization (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name			text NOT NULL CHECK (btrim(name) <> ''),
	alternate_name		text CHECK (btrim(alternate_name) <> ''),
	description		text CHECK (btrim(description) <> ''),
	email			text CHECK (valid_email(email)),
	-- HSDS 3.0 calls the home page `website`; `url` is HSDS 2's name,
	-- kept so older feeds import without loss.  Show
	-- coalesce(website, url).
	website			text CHECK (valid_http_url(website)),
	url			text CHECK (valid_http_url(url)),
	legal_status		text CHECK (btrim(legal_status) <> ''),
	logo			text CHECK (valid_http_url(logo)),
	-- A persistent identifier for the organisation (HSDS `uri`), e.g.
	-- its OSCR register page.
	uri			text CHECK (valid_http_url(uri)),
	year_incorporated	smallint CHECK (year_incorporated
				    BETWEEN 1000 AND 2200),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX organization_name_trgm_idx ON organization
    USING gin (name gin_trgm_ops);

CREATE TRIGGER organization_updated_at BEFORE UPDATE ON organization
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- kind: 'service' (advice, support, a food bank...), 'walking_group'
-- (has a walk_detail row), 'activity' (a class, club or group session).
-- A listing whose review_due has passed is "stale": still shown, flagged.
CREATE TABLE service (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	organization_id		uuid NOT NULL REFERENCES organization (id),
	name			text NOT NULL CHECK (btrim(name) <> ''),
	alternate_name		text CHECK (btrim(alternate_name) <> ''),
	description		text CHECK (btrim(description) <> ''),
	url			text CHECK (valid_http_url(url)),
	email			text CHECK (valid_email(email)),
	status			text NOT NULL DEFAULT 'active'
				    CHECK (status IN ('active', 'inactive',
				    'defunct', 'temporarily closed')),
	kind			text NOT NULL DEFAULT 'service'
				    CHECK (kind IN ('service', 'walking_group',
				    'activity')),
	interpretation_services	text,
	application_process	text,
	fees_description	text,
	accreditations		text,
	eligibility_description	text,
	minimum_age		smallint CHECK (minimum_age BETWEEN 0 AND 130),
	maximum_age		smallint CHECK (maximum_age BETWEEN 0 AND 130),
	alert			text,
	assured_date		date,
	assurer_email		text CHECK (valid_email(assurer_email)),
	licenses		text,
	-- Cost in brief; the detail, if any, is in cost_option.
	is_free			boolean NOT NULL DEFAULT false,
	cost_description	text,
	-- How people get in.  NULL means not known, not "no".
	self_referral		boolean,
	professional_referral	boolean,
	drop_in			boolean,
	booking_required	boolean,
	referral_description	text,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	last_reviewed		date,
	review_due		date,
	-- Maintained by triggers (see service_search_document below):
	-- name weight A, category names B, parent category names D,
	-- description C.  Never write it directly.
	search_vector		tsvector NOT NULL DEFAULT ''::tsvector,
	CONSTRAINT service_age_range_check
	    CHECK (minimum_age <= maximum_age),
	CONSTRAINT service_review_check
	    CHECK (review_due >= last_reviewed),
	-- Lets walk_detail insist on kind = 'walking_group' (see there).
	CONSTRAINT service_id_kind_key UNIQUE (id, kind)
);

CREATE INDEX service_organization_id_idx ON service (organization_id);
CREATE INDEX service_search_vector_idx ON service USING gin (search_vector);
CREATE INDEX service_name_trgm_idx ON service USING gin (name gin_trgm_ops);
CREATE INDEX service_review_due_idx ON service (review_due)
    WHERE status = 'active';

CREATE TRIGGER service_updated_at BEFORE UPDATE ON service
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE cost_option (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	service_id		uuid NOT NULL REFERENCES service (id)
				    ON DELETE CASCADE,
	valid_from		date,
	valid_to		date,
	option			text,
	currency		text NOT NULL DEFAULT 'GBP'
				    CHECK (currency ~ '^[A-Z]{3}$'),
	amount			numeric(12, 2) CHECK (amount >= 0),
	amount_description	text,
	CONSTRAINT cost_option_valid_check CHECK (valid_to >= valid_from)
);

CREATE INDEX cost_option_service_id_idx ON cost_option (service_id);

-- A place.  latitude/longitude are WGS84; grid is the same place in the
-- grid CRS (metres, point(easting, northing)) and is what distance search
-- uses.  Only a virtual location may have no coordinates, and a location
-- has all three or none.  The address is flattened into the row (HSDS
-- keeps it in a separate address table; the feed rebuilds that).
CREATE TABLE location (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	organization_id		uuid REFERENCES organization (id)
				    ON DELETE SET NULL,
	location_type		text NOT NULL DEFAULT 'physical'
				    CHECK (location_type IN ('physical',
				    'postal', 'virtual')),
	name			text CHECK (btrim(name) <> ''),
	alternate_name		text CHECK (btrim(alternate_name) <> ''),
	description		text,
	transportation		text,
	url			text CHECK (valid_http_url(url)),
	latitude		double precision
				    CHECK (latitude BETWEEN -90 AND 90),
	longitude		double precision
				    CHECK (longitude BETWEEN -180 AND 180),
	grid			point,
	external_identifier	text,
	-- e.g. 'uprn'
	external_identifier_type text,
	address_1		text CHECK (btrim(address_1) <> ''),
	address_2		text,
	city			text,
	region			text,
	state_province		text,
	-- Normalised: upper case, one space ("G12 8QQ").
	postal_code		text CHECK (valid_postcode(postal_code)),
	country			text NOT NULL DEFAULT 'GB'
				    CHECK (country ~ '^[A-Z]{2}$'),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT location_coordinates_check
	    CHECK ((latitude IS NULL) = (longitude IS NULL)
	    AND (latitude IS NULL) = (grid IS NULL)),
	CONSTRAINT location_grid_check
	    CHECK (grid IS NOT NULL OR location_type = 'virtual')
);

CREATE INDEX location_organization_id_idx ON location (organization_id);
CREATE INDEX location_grid_idx ON location USING gist (grid);
CREATE INDEX location_postal_code_idx ON location (postal_code);

CREATE TRIGGER location_updated_at BEFORE UPDATE ON location
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE service_at_location (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	service_id		uuid NOT NULL REFERENCES service (id)
				    ON DELETE CASCADE,
	location_id		uuid NOT NULL REFERENCES location (id)
				    ON DELETE CASCADE,
	description		text,
	CONSTRAINT service_at_location_key UNIQUE (service_id, location_id)
);

-- (service_id, ...) is covered by the unique constraint's index.
CREATE INDEX service_at_location_location_id_idx
    ON service_at_location (location_id);

-- When a service runs: the HSDS subset of RFC 5545 recurrence that a
-- weekly or monthly group needs.  byday is 'TU', 'MO,WE', or with an
-- ordinal for monthly rules ('1TU' first Tuesday, '-1FR' last Friday);
-- bymonthday is '15' or '1,15' or '-1'.  opens_at/closes_at are local
-- times in `timezone`; a session that runs past midnight is not
-- representable (closes_at must be later than opens_at).  A schedule with
-- no freq is a description only ("by appointment").
-- interval is a SQL keyword: it works unquoted in SELECT lists and WHERE,
-- but write "interval" in INSERT/UPDATE column lists to be safe.
CREATE TABLE schedule (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	service_id		uuid REFERENCES service (id) ON DELETE CASCADE,
	location_id		uuid REFERENCES location (id) ON DELETE CASCADE,
	service_at_location_id	uuid REFERENCES service_at_location (id)
				    ON DELETE CASCADE,
	freq			text CHECK (freq IN ('WEEKLY', 'MONTHLY')),
	"interval"		integer NOT NULL DEFAULT 1
				    CHECK ("interval" >= 1),
	byday			text CHECK (byday ~ ('^[+-]?[1-5]?(MO|TU|WE|TH|FR|SA|SU)'
				    '(,[+-]?[1-5]?(MO|TU|WE|TH|FR|SA|SU))*$')),
	bymonthday		text CHECK (bymonthday ~
				    ('^-?([1-9]|[12][0-9]|3[01])'
				    '(,-?([1-9]|[12][0-9]|3[01]))*$')),
	opens_at		time,
	closes_at		time,
	valid_from		date,
	valid_to		date,
	dtstart			date,
	timezone		text NOT NULL DEFAULT 'Europe/London'
				    CHECK (timezone ~
				    '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$'),
	description		text,
	notes			text,
	CONSTRAINT schedule_owner_check CHECK (num_nonnulls(service_id,
	    location_id, service_at_location_id) >= 1),
	CONSTRAINT schedule_times_check CHECK (closes_at > opens_at),
	CONSTRAINT schedule_valid_check CHECK (valid_to >= valid_from),
	-- A recurrence needs a frequency; ordinals ('1TU') and month days
	-- only make sense monthly.
	CONSTRAINT schedule_rule_check CHECK (freq IS NOT NULL
	    OR (byday IS NULL AND bymonthday IS NULL)),
	CONSTRAINT schedule_monthly_check CHECK (freq = 'MONTHLY'
	    OR (byday !~ '[0-9]' AND bymonthday IS NULL))
);

CREATE INDEX schedule_service_id_idx ON schedule (service_id);
CREATE INDEX schedule_location_id_idx ON schedule (location_id);
CREATE INDEX schedule_service_at_location_id_idx
    ON schedule (service_at_location_id);

-- Walking groups.  grade is our own three-step scale, so that walks from
-- different providers compare:
--   easy       short, level, firm paths; suits people starting out or
--              using a stick (Paths for All "Strolls", "Level 1")
--   moderate   some slopes or rough paths, an hour or so ("Level 2")
--   strenuous  hills, rough ground or long distances ("Level 3", hill
--              walking groups)
-- grade_label keeps the provider's own word for it ("Stroll", "Level 1").
-- Only a service of kind 'walking_group' can have a walk_detail: the
-- (service_id, kind) foreign key enforces it.
CREATE TABLE walk_detail (
	service_id		uuid PRIMARY KEY,
	kind			text NOT NULL DEFAULT 'walking_group'
				    CHECK (kind = 'walking_group'),
	grade			text NOT NULL CHECK (grade IN ('easy',
				    'moderate', 'strenuous')),
	grade_label		text CHECK (btrim(grade_label) <> ''),
	length_km		numeric(5, 2) CHECK (length_km > 0),
	duration_minutes	integer CHECK (duration_minutes > 0),
	terrain			text,
	meeting_point		text,
	meeting_location_id	uuid REFERENCES location (id)
				    ON DELETE SET NULL,
	CONSTRAINT walk_detail_service_fkey FOREIGN KEY (service_id, kind)
	    REFERENCES service (id, kind) ON DELETE CASCADE
);

CREATE INDEX walk_detail_meeting_location_id_idx
    ON walk_detail (meeting_location_id);

CREATE TABLE taxonomy (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name			text NOT NULL CHECK (btrim(name) <> ''),
	description		text NOT NULL,
	uri			text CHECK (valid_http_url(uri)),
	version			text
);

-- A category.  slug is the URL name (/categories/<slug>), unique within
-- its taxonomy; a parent must be in the same taxonomy.
CREATE TABLE taxonomy_term (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	taxonomy_id		uuid NOT NULL REFERENCES taxonomy (id),
	code			text,
	name			text NOT NULL CHECK (btrim(name) <> ''),
	description		text,
	parent_id		uuid CHECK (parent_id <> id),
	language		text CHECK (language ~
				    '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
	term_uri		text CHECK (valid_http_url(term_uri)),
	slug			text NOT NULL CHECK (slug ~
				    '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT taxonomy_term_slug_key UNIQUE (taxonomy_id, slug),
	CONSTRAINT taxonomy_term_code_key UNIQUE (taxonomy_id, code),
	CONSTRAINT taxonomy_term_taxonomy_id_id_key UNIQUE (taxonomy_id, id),
	CONSTRAINT taxonomy_term_parent_fkey FOREIGN KEY (taxonomy_id,
	    parent_id) REFERENCES taxonomy_term (taxonomy_id, id)
);

CREATE INDEX taxonomy_term_parent_id_idx ON taxonomy_term (parent_id);

CREATE TABLE service_taxonomy (
	service_id		uuid NOT NULL REFERENCES service (id)
				    ON DELETE CASCADE,
	taxonomy_term_id	uuid NOT NULL REFERENCES taxonomy_term (id)
				    ON DELETE CASCADE,
	PRIMARY KEY (service_id, taxonomy_term_id)
);

CREATE INDEX service_taxonomy_taxonomy_term_id_idx
    ON service_taxonomy (taxonomy_term_id);

CREATE TABLE contact (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	organization_id		uuid REFERENCES organization (id)
				    ON DELETE CASCADE,
	service_id		uuid REFERENCES service (id) ON DELETE CASCADE,
	location_id		uuid REFERENCES location (id) ON DELETE CASCADE,
	name			text CHECK (btrim(name) <> ''),
	title			text,
	department		text,
	email			text CHECK (valid_email(email)),
	CONSTRAINT contact_owner_check CHECK (num_nonnulls(organization_id,
	    service_id, location_id) >= 1)
);

CREATE INDEX contact_organization_id_idx ON contact (organization_id);
CREATE INDEX contact_service_id_idx ON contact (service_id);
CREATE INDEX contact_location_id_idx ON contact (location_id);

-- number: digits, single spaces and a leading + ("0141 287 2999",
-- "+44 141 287 2999"); the application normalises before inserting.
CREATE TABLE phone (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	location_id		uuid REFERENCES location (id) ON DELETE CASCADE,
	service_id		uuid REFERENCES service (id) ON DELETE CASCADE,
	organization_id		uuid REFERENCES organization (id)
				    ON DELETE CASCADE,
	contact_id		uuid REFERENCES contact (id) ON DELETE CASCADE,
	number			text NOT NULL CHECK (valid_phone(number)),
	extension		text CHECK (extension ~ '^[0-9]{1,8}$'),
	type			text CHECK (type IN ('voice', 'text', 'fax',
				    'cell', 'video', 'pager', 'textphone')),
	description		text,
	CONSTRAINT phone_owner_check CHECK (num_nonnulls(location_id,
	    service_id, organization_id, contact_id) >= 1)
);

CREATE INDEX phone_location_id_idx ON phone (location_id);
CREATE INDEX phone_service_id_idx ON phone (service_id);
CREATE INDEX phone_organization_id_idx ON phone (organization_id);
CREATE INDEX phone_contact_id_idx ON phone (contact_id);

CREATE TABLE accessibility (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	location_id		uuid NOT NULL REFERENCES location (id)
				    ON DELETE CASCADE,
	description		text,
	details			text,
	url			text CHECK (valid_http_url(url))
);

CREATE INDEX accessibility_location_id_idx ON accessibility (location_id);

-- A language a service is offered in.  code is a BCP 47 tag ('en', 'gd',
-- 'pl', 'bfi' for British Sign Language).
CREATE TABLE language (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	service_id		uuid REFERENCES service (id) ON DELETE CASCADE,
	location_id		uuid REFERENCES location (id) ON DELETE CASCADE,
	phone_id		uuid REFERENCES phone (id) ON DELETE CASCADE,
	name			text CHECK (btrim(name) <> ''),
	code			text CHECK (code ~
				    '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
	note			text,
	CONSTRAINT language_owner_check CHECK (num_nonnulls(service_id,
	    location_id, phone_id) >= 1),
	CONSTRAINT language_named_check CHECK (name IS NOT NULL
	    OR code IS NOT NULL)
);

CREATE INDEX language_service_id_idx ON language (service_id);
CREATE INDEX language_location_id_idx ON language (location_id);
CREATE INDEX language_phone_id_idx ON language (phone_id);

-- Where a service is available, as a statistical area ("anyone living in
-- West Dunbartonshire": area_code S12000039, area_kind council_area).
-- area_code is not a foreign key to area: service areas outlive boundary
-- reviews, and old codes (ALISS's S12000046 for Glasgow) must still load.
CREATE TABLE service_area (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	service_id		uuid NOT NULL REFERENCES service (id)
				    ON DELETE CASCADE,
	name			text,
	description		text,
	extent_type		text,
	area_code		text NOT NULL CHECK (area_code ~
				    '^[A-Z][0-9]{8}$'),
	area_kind		text NOT NULL CHECK (area_kind IN ('country',
				    'health_board', 'council_area', 'ward')),
	CONSTRAINT service_area_key UNIQUE (service_id, area_code)
);

CREATE INDEX service_area_area_code_idx ON service_area (area_code);

-- Full-text search.  The document for a service is
--   name (A) + its categories' names (B) + description (C)
--   + the names of those categories' ancestors (D),
-- so "mental health" finds a service filed under Depression, but ranks it
-- below one filed under Mental Health Issues itself.  The 'english'
-- configuration stems ("walks" matches "walking").
CREATE FUNCTION service_search_document(p_id uuid, p_name text,
    p_description text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
	WITH RECURSIVE term (id, parent_id, name, depth) AS (
		SELECT t.id, t.parent_id, t.name, 0
		FROM service_taxonomy st
		JOIN taxonomy_term t ON t.id = st.taxonomy_term_id
		WHERE st.service_id = p_id
	UNION ALL
		SELECT p.id, p.parent_id, p.name, term.depth + 1
		FROM term
		JOIN taxonomy_term p ON p.id = term.parent_id
		WHERE term.depth < 10
	)
	SELECT setweight(to_tsvector('english', coalesce(p_name, '')), 'A')
	    || setweight(to_tsvector('english', coalesce((SELECT
		string_agg(DISTINCT name, ' ') FROM term WHERE depth = 0),
		'')), 'B')
	    || setweight(to_tsvector('english', coalesce(p_description, '')),
		'C')
	    || setweight(to_tsvector('english', coalesce((SELECT
		string_agg(DISTINCT name, ' ') FROM term WHERE depth > 0),
		'')), 'D')
$$;

-- Recompute one service's search_vector (after its categories changed).
CREATE FUNCTION service_refresh_search(p_service_id uuid) RETURNS void
LANGUAGE sql AS $$
	UPDATE service
	SET search_vector = service_search_document(id, name, description)
	WHERE id = p_service_id
$$;

CREATE FUNCTION service_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_vector := service_search_document(NEW.id, NEW.name,
	    NEW.description);
	RETURN NEW;
END;
$$;

-- Only when the text changes: service_refresh_search's own UPDATE sets
-- search_vector alone and so does not come back here.
CREATE TRIGGER service_search BEFORE INSERT OR UPDATE OF name, description
    ON service FOR EACH ROW EXECUTE FUNCTION service_search_trigger();

CREATE FUNCTION service_taxonomy_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM service_refresh_search(OLD.service_id);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM service_refresh_search(NEW.service_id);
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER service_taxonomy_search
    AFTER INSERT OR UPDATE OR DELETE ON service_taxonomy
    FOR EACH ROW EXECUTE FUNCTION service_taxonomy_search_trigger();

-- Renaming or moving a category changes the document of every service
-- filed under it or under its descendants.
CREATE FUNCTION taxonomy_term_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM service_refresh_search(s.service_id)
	FROM (
		WITH RECURSIVE sub (id, depth) AS (
			SELECT NEW.id, 0
		UNION ALL
			SELECT t.id, sub.depth + 1
			FROM taxonomy_term t
			JOIN sub ON t.parent_id = sub.id
			WHERE sub.depth < 10
		)
		SELECT DISTINCT st.service_id
		FROM service_taxonomy st
		JOIN sub ON sub.id = st.taxonomy_term_id
	) s;
	RETURN NULL;
END;
$$;

CREATE TRIGGER taxonomy_term_search
    AFTER UPDATE OF name, parent_id ON taxonomy_term
    FOR EACH ROW EXECUTE FUNCTION taxonomy_term_search_trigger();
