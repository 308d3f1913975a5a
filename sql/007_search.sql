-- 007: what the search page needs from the database besides the indexes
-- of 003: a word list for correcting typos, the query parser that
-- corrects and expands synonyms, an exact short-range geodesic distance,
-- and the schedule tests behind the day / time / open-now filters.
-- app/search.c calls these; change them together.

-- The words that typos are corrected to: every word of a service name, a
-- category name or a synonym (the pg_trgm documentation's approach, kept
-- up to date by triggers instead of a periodic ts_stat).  Words are never
-- removed: a stale word costs at worst a correction that finds nothing.
CREATE TABLE search_word (
	word	text PRIMARY KEY CHECK (word ~ '^[[:alpha:]]{3,40}$')
);

-- Nearest word by trigram distance: ORDER BY word <-> $1 LIMIT 1.
CREATE INDEX search_word_trgm_idx ON search_word
    USING gist (word gist_trgm_ops);

CREATE FUNCTION search_words_add(p_text text) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO search_word (word)
	SELECT DISTINCT w
	FROM unnest(tsvector_to_array(to_tsvector('simple',
	    coalesce(p_text, '')))) w
	WHERE w ~ '^[[:alpha:]]{3,40}$'
	ON CONFLICT DO NOTHING
$$;

-- Statement-level on INSERT so that a bulk load adds its words in one go.
CREATE FUNCTION search_word_insert_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO search_word (word)
	SELECT DISTINCT w
	FROM new_rows,
	    unnest(tsvector_to_array(to_tsvector('simple', new_rows.name))) w
	WHERE w ~ '^[[:alpha:]]{3,40}$'
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END;
$$;

CREATE FUNCTION search_word_update_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM search_words_add(NEW.name);
	RETURN NULL;
END;
$$;

CREATE TRIGGER service_search_word_insert AFTER INSERT ON service
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_word_insert_trigger();
CREATE TRIGGER service_search_word_update AFTER UPDATE OF name ON service
    FOR EACH ROW EXECUTE FUNCTION search_word_update_trigger();
CREATE TRIGGER taxonomy_term_search_word_insert AFTER INSERT ON taxonomy_term
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_word_insert_trigger();
CREATE TRIGGER taxonomy_term_search_word_update
    AFTER UPDATE OF name ON taxonomy_term
    FOR EACH ROW EXECUTE FUNCTION search_word_update_trigger();

CREATE FUNCTION search_synonym_word_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM search_words_add(NEW.term || ' ' || NEW.synonym);
	RETURN NULL;
END;
$$;

CREATE TRIGGER search_synonym_word AFTER INSERT OR UPDATE ON search_synonym
    FOR EACH ROW EXECUTE FUNCTION search_synonym_word_trigger();

SELECT search_words_add(name) FROM service;
SELECT search_words_add(name) FROM taxonomy_term;
SELECT search_words_add(term) FROM search_synonym;

-- One query word as the search should use it.  A word is left alone when
-- it is short, not all letters, a stop word, a synonym term, or matches
-- some active service already (stemmed, as the search matches it: this
-- keeps words found only in descriptions, which the word list lacks).
-- Otherwise it becomes the nearest listed word by trigram similarity, if
-- one is similar enough (0.45: "welbeing" -> "wellbeing" is 0.73,
-- "fodbank" -> "foodbank" 0.70, "rent" -> "parent" 0.33).
CREATE FUNCTION search_correct_word(p_word text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	q	tsquery;
	best	text;
BEGIN
	IF length(p_word) < 4 OR p_word !~ '^[[:alpha:]]+$' THEN
		RETURN p_word;
	END IF;
	-- to_tsvector first: plainto_tsquery of a stop word raises a NOTICE.
	IF to_tsvector('english', p_word) = ''::tsvector THEN
		RETURN p_word;
	END IF;
	q := plainto_tsquery('english', p_word);
	IF EXISTS (SELECT 1 FROM search_synonym
	    WHERE term = p_word) OR EXISTS (SELECT 1 FROM service
	    WHERE search_vector @@ q AND status = 'active') THEN
		RETURN p_word;
	END IF;
	SELECT word INTO best
	FROM (SELECT word FROM search_word ORDER BY word <-> p_word, word
	    LIMIT 1) nearest
	WHERE similarity(word, p_word) >= 0.45;
	RETURN coalesce(best, p_word);
END;
$$;

-- The text query: lower-cased words (at most 10, each cut to 40
-- characters), each corrected, then grouped into units -- two words that
-- form a synonym term ("food bank") are one unit -- and each unit matched
-- as a phrase or as any of its synonyms.  Units are ANDed.
--   query      what to match (NULL when only stop words were given)
--   exact      the corrected words alone, to rank true matches first
--   corrected  the corrected words, for "Showing results for ..."
--   changed    whether a correction changed any word
CREATE FUNCTION search_parse(p_q text, OUT query tsquery, OUT exact tsquery,
    OUT corrected text, OUT changed boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	words	text[];
	w	text[] := '{}';
	n	integer;
	i	integer;
	unit	text;
	uq	tsquery;
	alt	text;
BEGIN
	words := array_remove(regexp_split_to_array(lower(coalesce(p_q, '')),
	    '[^[:alnum:]]+'), '');
	n := least(coalesce(array_length(words, 1), 0), 10);
	FOR i IN 1 .. n LOOP
		w := w || search_correct_word(left(words[i], 40));
	END LOOP;
	corrected := array_to_string(w, ' ');
	changed := corrected <> array_to_string(words[1:n], ' ');
	IF to_tsvector('english', corrected) <> ''::tsvector THEN
		exact := plainto_tsquery('english', corrected);
	END IF;
	i := 1;
	WHILE i <= n LOOP
		unit := w[i];
		IF i < n AND EXISTS (SELECT 1 FROM search_synonym
		    WHERE term = w[i] || ' ' || w[i + 1]) THEN
			unit := w[i] || ' ' || w[i + 1];
			i := i + 2;
		ELSE
			i := i + 1;
		END IF;
		CONTINUE WHEN to_tsvector('english', unit) = ''::tsvector;
		uq := phraseto_tsquery('english', unit);
		FOR alt IN SELECT synonym FROM search_synonym WHERE term = unit
		    ORDER BY synonym LOOP
			uq := uq || phraseto_tsquery('english', alt);
		END LOOP;
		query := CASE WHEN query IS NULL THEN uq ELSE query && uq END;
	END LOOP;
END;
$$;

-- Geodesic distance in metres on WGS84 between two points up to about
-- 50 km apart, without PostGIS: the straight-line (chord) distance c
-- between the points on the ellipsoid, lengthened to the arc with
--	s = c + c^3 / (24 R^2)
-- where R is the Gaussian mean radius sqrt(M N) at the mean latitude.
-- Against Karney's algorithm (PROJ's geod_inverse, `geod -I`) the error
-- is under 0.1 mm at 25 km, so a filter that uses it is as exact as the
-- distance the page shows.  Not for long distances (0.3 m off at 500 km).
-- One expression with no FROM and not STRICT, so that the planner
-- inlines it: as a function call it costs some 50 microseconds a row.
-- a = 6378137, e^2 = 0.00669437999014.
CREATE FUNCTION geodesic_distance_short(lat1 double precision,
    lon1 double precision, lat2 double precision, lon2 double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT sqrt(
	    power(cosd(lat1) * cosd(lon1)
		/ sqrt(1 - 0.00669437999014 * sind(lat1) * sind(lat1))
		- cosd(lat2) * cosd(lon2)
		/ sqrt(1 - 0.00669437999014 * sind(lat2) * sind(lat2)), 2)
	    + power(cosd(lat1) * sind(lon1)
		/ sqrt(1 - 0.00669437999014 * sind(lat1) * sind(lat1))
		- cosd(lat2) * sind(lon2)
		/ sqrt(1 - 0.00669437999014 * sind(lat2) * sind(lat2)), 2)
	    + power((1 - 0.00669437999014) * (sind(lat1)
		/ sqrt(1 - 0.00669437999014 * sind(lat1) * sind(lat1))
		- sind(lat2)
		/ sqrt(1 - 0.00669437999014 * sind(lat2) * sind(lat2))), 2))
	    * 6378137.0
	    * (1 + (power(cosd(lat1) * cosd(lon1)
		/ sqrt(1 - 0.00669437999014 * sind(lat1) * sind(lat1))
		- cosd(lat2) * cosd(lon2)
		/ sqrt(1 - 0.00669437999014 * sind(lat2) * sind(lat2)), 2)
	    + power(cosd(lat1) * sind(lon1)
		/ sqrt(1 - 0.00669437999014 * sind(lat1) * sind(lat1))
		- cosd(lat2) * sind(lon2)
		/ sqrt(1 - 0.00669437999014 * sind(lat2) * sind(lat2)), 2)
	    + power((1 - 0.00669437999014) * (sind(lat1)
		/ sqrt(1 - 0.00669437999014 * sind(lat1) * sind(lat1))
		- sind(lat2)
		/ sqrt(1 - 0.00669437999014 * sind(lat2) * sind(lat2))), 2))
	    * power(1 - 0.00669437999014 * sind((lat1 + lat2) / 2)
		* sind((lat1 + lat2) / 2), 2)
	    / (24 * (1 - 0.00669437999014)))
$$;

-- Weekday codes as RFC 5545 writes them, 0 = Sunday (extract(dow)).
CREATE FUNCTION search_weekday_code(p_dow integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])[p_dow + 1]
$$;

-- Does a rule run on weekday p_code ('TU') at all, ignoring seasons, as
-- schedule_runs_on() in app/schedule.c: any BYDAY entry for that day,
-- with or without an ordinal; no BYDAY means the weekday of dtstart (or
-- valid_from); a rule by month day only has no fixed weekday.
CREATE FUNCTION search_schedule_weekday(p_freq text, p_byday text,
    p_bymonthday text, p_dtstart date, p_valid_from date, p_code text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT p_freq IS NOT NULL AND CASE
	    WHEN p_byday IS NOT NULL THEN
		p_byday ~ ('(^|,)[+-]?[1-5]?' || p_code || '(,|$)')
	    WHEN p_freq = 'MONTHLY' AND p_bymonthday IS NOT NULL THEN false
	    ELSE search_weekday_code(extract(dow FROM
		coalesce(p_dtstart, p_valid_from))::integer) = p_code
	END
$$;

-- Does a rule have a session on date p_day?  Seasons, intervals
-- (counting weeks from the Monday of dtstart, else valid_from, else
-- Monday 5 January 1970, and months likewise, as app/schedule.c does),
-- BYDAY ordinals (1TU, -1FR) and BYMONTHDAY (15, -1) included.
CREATE FUNCTION search_schedule_on(p_freq text, p_interval integer,
    p_byday text, p_bymonthday text, p_dtstart date, p_valid_from date,
    p_valid_to date, p_day date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	WITH d AS (
		SELECT search_weekday_code(extract(dow FROM p_day)::integer)
		    AS code,
		    (extract(day FROM p_day)::integer - 1) / 7 + 1 AS nth,
		    extract(month FROM p_day + 7) <> extract(month FROM p_day)
		    AS last_week,
		    extract(day FROM p_day)::integer AS dom,
		    extract(day FROM (date_trunc('month', p_day)
			+ interval '1 month - 1 day'))::integer AS days,
		    coalesce(p_dtstart, p_valid_from, date '1970-01-05') AS base
	)
	SELECT p_freq IS NOT NULL
	    AND (p_valid_from IS NULL OR p_day >= p_valid_from)
	    AND (p_dtstart IS NULL OR p_day >= p_dtstart)
	    AND (p_valid_to IS NULL OR p_day <= p_valid_to)
	    AND CASE p_freq
		WHEN 'WEEKLY' THEN
		    ((p_day - date_trunc('week', d.base)::date) / 7)
			% p_interval = 0
		    AND CASE WHEN p_byday IS NOT NULL THEN
			p_byday ~ ('(^|,)\+?' || d.code || '(,|$)')
		    ELSE extract(dow FROM d.base) = extract(dow FROM p_day) END
		ELSE
		    ((extract(year FROM p_day) - extract(year FROM d.base)) * 12
			+ extract(month FROM p_day) - extract(month FROM d.base))
			::integer % p_interval = 0
		    AND (p_byday IS NULL OR p_byday ~ ('(^|,)(\+?(' || d.nth
			|| ')?' || CASE WHEN d.last_week THEN '|-1' ELSE '' END
			|| ')' || d.code || '(,|$)'))
		    AND (p_bymonthday IS NULL OR p_bymonthday ~ ('(^|,)('
			|| d.dom || '|-' || (d.days - d.dom + 1) || ')(,|$)'))
		    AND (p_byday IS NOT NULL OR p_bymonthday IS NOT NULL
			OR extract(day FROM d.base) = d.dom)
	    END
	FROM d
$$;

-- The schedule filters for one service, over its own schedules and those
-- of its service_at_location rows; a schedule with no rule (a description
-- such as "by appointment") never matches.  Each argument may be NULL
-- (no such filter):
--   p_code         runs on this weekday ('TU'), seasons ignored
--   p_from, p_to   has opening hours overlapping [p_from, p_to); no
--                  times is all day, no closing time open until midnight
--   p_on           has a session on this date (open now: p_on today and
--                  [p_from, p_to) the current minute)
CREATE FUNCTION search_service_runs(p_service uuid, p_code text,
    p_from time, p_to time, p_on date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT EXISTS (
		SELECT 1
		FROM (
			SELECT sch.freq, sch."interval", sch.byday,
			    sch.bymonthday, sch.dtstart, sch.valid_from,
			    sch.valid_to, sch.opens_at, sch.closes_at
			FROM schedule sch
			WHERE sch.service_id = p_service
		UNION ALL
			SELECT sch.freq, sch."interval", sch.byday,
			    sch.bymonthday, sch.dtstart, sch.valid_from,
			    sch.valid_to, sch.opens_at, sch.closes_at
			FROM service_at_location sal
			JOIN schedule sch ON sch.service_at_location_id = sal.id
			WHERE sal.service_id = p_service
		) sch
		WHERE sch.freq IS NOT NULL
		    AND (p_code IS NULL OR search_schedule_weekday(sch.freq,
			sch.byday, sch.bymonthday, sch.dtstart, sch.valid_from,
			p_code))
		    AND (p_on IS NULL OR search_schedule_on(sch.freq,
			sch."interval", sch.byday, sch.bymonthday, sch.dtstart,
			sch.valid_from, sch.valid_to, p_on))
		    AND (p_from IS NULL OR ((sch.opens_at IS NULL
			OR sch.opens_at < p_to) AND (sch.closes_at IS NULL
			OR sch.closes_at > p_from)))
	)
$$;

-- Every one of the features (accessibility.description) is recorded at
-- some venue of the service.
CREATE FUNCTION search_service_has_access(p_service uuid,
    p_features text[]) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT NOT EXISTS (
		SELECT 1
		FROM unnest(p_features) f
		WHERE NOT EXISTS (
			SELECT 1
			FROM service_at_location sal
			JOIN accessibility a ON a.location_id = sal.location_id
			WHERE sal.service_id = p_service AND a.description = f
		)
	)
$$;

-- Every filter of a search on one service row, ANDed; a NULL (or false)
-- filter is not applied.  search_matches writes the same conditions out
-- in its two busy queries (a function holding EXISTS is never inlined,
-- and a call per row costs tens of microseconds); this is for the rare
-- rows of its third.  Change the three together.
CREATE FUNCTION search_service_ok(s service, p_query tsquery,
    p_cats uuid[], p_age integer, p_free boolean, p_self boolean,
    p_walking boolean, p_code text, p_from time, p_to time, p_on date,
    p_access text[]) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT s.status = 'active'
	    AND (p_query IS NULL OR s.search_vector @@ p_query)
	    AND (p_cats IS NULL OR EXISTS (SELECT 1 FROM service_taxonomy st
		WHERE st.service_id = s.id
		AND st.taxonomy_term_id = ANY (p_cats)))
	    AND (p_age IS NULL OR (coalesce(s.minimum_age, 0) <= p_age
		AND coalesce(s.maximum_age, 130) >= p_age))
	    AND (NOT p_free OR s.is_free)
	    AND (NOT p_self OR coalesce(s.self_referral, false))
	    AND (NOT p_walking OR s.kind = 'walking_group')
	    AND ((p_code IS NULL AND p_from IS NULL AND p_on IS NULL)
		OR search_service_runs(s.id, p_code, p_from, p_to, p_on))
	    AND (p_access IS NULL OR search_service_has_access(s.id, p_access))
$$;

-- One row per place a service is found -- each venue (service_at_location)
-- and each walk's meeting point -- carrying the service's columns that
-- the search filters on, so that a search reads this table alone, nearest
-- first from its GiST index, instead of joining two tables for every
-- venue in the circle (measured at 100 000 services: five to ten times
-- faster).  Kept by the triggers below; never written by the application.
-- categories holds the service's own terms (a search passes a category
-- with its descendants and asks for an overlap).
CREATE TABLE search_point (
	service_id		uuid NOT NULL REFERENCES service (id)
				    ON DELETE CASCADE,
	location_id		uuid NOT NULL REFERENCES location (id)
				    ON DELETE CASCADE,
	via			text NOT NULL CHECK (via IN ('venue',
				    'meeting')),
	grid			point NOT NULL,
	latitude		double precision NOT NULL,
	longitude		double precision NOT NULL,
	name			text NOT NULL,
	status			text NOT NULL,
	kind			text NOT NULL,
	is_free			boolean NOT NULL,
	minimum_age		smallint,
	maximum_age		smallint,
	self_referral		boolean,
	review_due		date,
	categories		uuid[] NOT NULL,
	-- Bit d (0 = Sunday) when some rule of the service runs on weekday
	-- d, bit 7 when one has no fixed weekday (BYMONTHDAY=15): a cheap
	-- first test before the exact schedule filters.
	days			smallint NOT NULL,
	search_vector		tsvector NOT NULL,
	PRIMARY KEY (service_id, location_id, via)
);

CREATE INDEX search_point_grid_idx ON search_point USING gist (grid);
CREATE INDEX search_point_location_id_idx ON search_point (location_id);

-- The places of each service: its venues, and walks' meeting points that
-- are not also venues.
CREATE VIEW search_point_places AS
	SELECT sal.service_id, sal.location_id, 'venue' AS via
	FROM service_at_location sal
	UNION ALL
	SELECT wd.service_id, wd.meeting_location_id, 'meeting'
	FROM walk_detail wd
	WHERE wd.meeting_location_id IS NOT NULL
	    AND NOT EXISTS (SELECT 1 FROM service_at_location sal
		WHERE sal.service_id = wd.service_id
		AND sal.location_id = wd.meeting_location_id);

-- The days bits of search_point for one service's rules.
CREATE FUNCTION search_point_days(p_service uuid) RETURNS smallint
LANGUAGE sql STABLE AS $$
	SELECT coalesce(bit_or(CASE
	    WHEN search_schedule_weekday(sch.freq, sch.byday, sch.bymonthday,
		sch.dtstart, sch.valid_from, d.code) THEN 1 << d.n
	    ELSE 0 END
	    | CASE WHEN sch.byday IS NULL AND (sch.bymonthday IS NOT NULL
		OR (sch.dtstart IS NULL AND sch.valid_from IS NULL))
		THEN 128 ELSE 0 END), 0)::smallint
	FROM (SELECT freq, byday, bymonthday, dtstart, valid_from
		FROM schedule WHERE service_id = p_service
	    UNION ALL
	    SELECT sch.freq, sch.byday, sch.bymonthday, sch.dtstart,
		sch.valid_from
		FROM service_at_location sal
		JOIN schedule sch ON sch.service_at_location_id = sal.id
		WHERE sal.service_id = p_service) sch
	CROSS JOIN (SELECT n, search_weekday_code(n) AS code
	    FROM generate_series(0, 6) n) d
	WHERE sch.freq IS NOT NULL
$$;

-- (Re)write the points of some services.  For a few (an edit), index
-- look-ups per service; for many (a bulk load, often in one transaction
-- whose new rows the statistics have not seen, so that the planner would
-- choose a sequential scan per service and go quadratic), one pass of
-- hash joins and aggregates over the tables, with nested loops turned
-- off for its duration.  The ids are joined, never tested with = ANY.
CREATE FUNCTION search_point_refresh_points(p_services uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	saved	text;
BEGIN
	IF cardinality(p_services) IS NULL OR cardinality(p_services) = 0
	THEN
		RETURN;
	END IF;
	IF cardinality(p_services) <= 1000 THEN
		DELETE FROM search_point sp
		USING (SELECT DISTINCT unnest(p_services) AS id) ids
		WHERE sp.service_id = ids.id;
		INSERT INTO search_point
		SELECT s.id, l.id, x.via, l.grid, l.latitude, l.longitude,
		    s.name, s.status, s.kind, s.is_free, s.minimum_age,
		    s.maximum_age, s.self_referral, s.review_due,
		    ARRAY(SELECT st.taxonomy_term_id FROM service_taxonomy st
			WHERE st.service_id = s.id),
		    search_point_days(s.id),
		    s.search_vector
		FROM (SELECT DISTINCT unnest(p_services) AS id) ids
		JOIN service s ON s.id = ids.id
		JOIN search_point_places x ON x.service_id = s.id
		JOIN location l ON l.id = x.location_id
		WHERE l.grid IS NOT NULL;
		RETURN;
	END IF;
	saved := current_setting('enable_nestloop');
	PERFORM set_config('enable_nestloop', 'off', true);
	CREATE TEMPORARY TABLE search_point_ids ON COMMIT DROP AS
	    SELECT DISTINCT unnest(p_services) AS id;
	ANALYZE search_point_ids;
	DELETE FROM search_point sp USING search_point_ids ids
	WHERE sp.service_id = ids.id;
	INSERT INTO search_point
	SELECT s.id, l.id, x.via, l.grid, l.latitude, l.longitude, s.name,
	    s.status, s.kind, s.is_free, s.minimum_age, s.maximum_age,
	    s.self_referral, s.review_due, coalesce(c.terms, '{}'),
	    coalesce(d.days, 0), s.search_vector
	FROM search_point_ids ids
	JOIN service s ON s.id = ids.id
	JOIN search_point_places x ON x.service_id = s.id
	JOIN location l ON l.id = x.location_id
	LEFT JOIN (SELECT st.service_id, array_agg(st.taxonomy_term_id) AS terms
	    FROM service_taxonomy st JOIN search_point_ids i
		ON i.id = st.service_id
	    GROUP BY st.service_id) c ON c.service_id = s.id
	LEFT JOIN (SELECT sch.service_id, bit_or(CASE
		WHEN search_schedule_weekday(sch.freq, sch.byday,
		    sch.bymonthday, sch.dtstart, sch.valid_from, dw.code)
		THEN 1 << dw.n ELSE 0 END
		| CASE WHEN sch.byday IS NULL AND (sch.bymonthday IS NOT NULL
		    OR (sch.dtstart IS NULL AND sch.valid_from IS NULL))
		    THEN 128 ELSE 0 END)::smallint AS days
	    FROM (SELECT coalesce(sch.service_id, sal.service_id)
		    AS service_id, sch.freq, sch.byday, sch.bymonthday,
		    sch.dtstart, sch.valid_from
		FROM schedule sch
		LEFT JOIN service_at_location sal
		    ON sal.id = sch.service_at_location_id
		WHERE sch.freq IS NOT NULL) sch
	    JOIN search_point_ids i ON i.id = sch.service_id
	    CROSS JOIN (SELECT n, search_weekday_code(n) AS code
		FROM generate_series(0, 6) n) dw
	    GROUP BY sch.service_id) d ON d.service_id = s.id
	WHERE l.grid IS NOT NULL;
	DROP TABLE search_point_ids;
	PERFORM set_config('enable_nestloop', saved, true);
END;
$$;

-- The triggers.  Inserts and deletes, and updates of services, are
-- handled once per statement (a bulk load of 100 000 venues is one
-- refresh, not 100 000); other updates once per row.  Each is our own
-- trigger, so a loader that disables 003's search triggers for speed
-- still leaves search_point right.
-- service_refresh_search's UPDATE after a category change comes through
-- service_search_point as well.
CREATE FUNCTION search_point_service_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM search_point_refresh(ARRAY(SELECT id FROM new_rows));
	RETURN NULL;
END;
$$;

CREATE TRIGGER service_search_point AFTER UPDATE ON service
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_service_trigger();

-- For service_at_location, walk_detail and service_taxonomy: rows with a
-- service_id.
CREATE FUNCTION search_point_rows_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_LEVEL = 'ROW' THEN
		PERFORM search_point_refresh(ARRAY[OLD.service_id,
		    NEW.service_id]);
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM search_point_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM new_rows));
	ELSE
		PERFORM search_point_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM old_rows));
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER service_at_location_search_point_insert
    AFTER INSERT ON service_at_location REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_rows_trigger();
CREATE TRIGGER service_at_location_search_point_delete
    AFTER DELETE ON service_at_location REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_rows_trigger();
CREATE TRIGGER service_at_location_search_point_update
    AFTER UPDATE ON service_at_location
    FOR EACH ROW EXECUTE FUNCTION search_point_rows_trigger();
CREATE TRIGGER walk_detail_search_point_insert
    AFTER INSERT ON walk_detail REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_rows_trigger();
CREATE TRIGGER walk_detail_search_point_delete
    AFTER DELETE ON walk_detail REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_rows_trigger();
CREATE TRIGGER walk_detail_search_point_update
    AFTER UPDATE ON walk_detail
    FOR EACH ROW EXECUTE FUNCTION search_point_rows_trigger();
CREATE TRIGGER service_taxonomy_search_point_insert
    AFTER INSERT ON service_taxonomy REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_rows_trigger();
CREATE TRIGGER service_taxonomy_search_point_delete
    AFTER DELETE ON service_taxonomy REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_rows_trigger();
CREATE TRIGGER service_taxonomy_search_point_update
    AFTER UPDATE ON service_taxonomy
    FOR EACH ROW EXECUTE FUNCTION search_point_rows_trigger();

-- Schedules belong to a service directly or through a venue.
CREATE FUNCTION search_point_schedule_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_LEVEL = 'ROW' THEN
		PERFORM search_point_refresh(ARRAY(
		    SELECT x FROM unnest(ARRAY[OLD.service_id,
			NEW.service_id]) x WHERE x IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM service_at_location sal
		    WHERE sal.id IN (OLD.service_at_location_id,
			NEW.service_at_location_id)));
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM search_point_refresh(ARRAY(
		    SELECT service_id FROM new_rows
		    WHERE service_id IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM new_rows n
		    JOIN service_at_location sal
			ON sal.id = n.service_at_location_id));
	ELSE
		PERFORM search_point_refresh(ARRAY(
		    SELECT service_id FROM old_rows
		    WHERE service_id IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM old_rows o
		    JOIN service_at_location sal
			ON sal.id = o.service_at_location_id));
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER schedule_search_point_insert
    AFTER INSERT ON schedule REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_schedule_trigger();
CREATE TRIGGER schedule_search_point_delete
    AFTER DELETE ON schedule REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_point_schedule_trigger();
CREATE TRIGGER schedule_search_point_update
    AFTER UPDATE ON schedule
    FOR EACH ROW EXECUTE FUNCTION search_point_schedule_trigger();

CREATE FUNCTION search_point_location_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM search_point_refresh(ARRAY(
	    SELECT service_id FROM service_at_location
	    WHERE location_id = NEW.id
	    UNION
	    SELECT service_id FROM walk_detail
	    WHERE meeting_location_id = NEW.id));
	RETURN NULL;
END;
$$;

CREATE TRIGGER location_search_point
    AFTER UPDATE OF grid, latitude, longitude ON location
    FOR EACH ROW EXECUTE FUNCTION search_point_location_trigger();

SELECT search_point_refresh_points(ARRAY(SELECT id FROM service));

-- search_matches' places within the radius, read from search_point
-- nearest first along its GiST index with every filter applied as they
-- come, at most p_cap.  The planner's fixed estimate for <@ circle is a
-- hundred rows, so left to itself it reads every place in the circle with
-- a bitmap scan and sorts (thousands around Glasgow); the SET clauses
-- make it follow the index's distance order and stop at p_cap.  The
-- filters are written out here and in search_matches' area query (a
-- function holding EXISTS is never inlined, and a call per row costs tens
-- of microseconds); the days bits only rule rows out early, the schedule
-- test that follows them decides.  Keep them the same as
-- search_service_ok.
CREATE FUNCTION search_near(p_e double precision, p_n double precision,
    p_lat double precision, p_lon double precision,
    p_radius double precision, p_today date,
    p_query tsquery, p_exact tsquery, p_cats uuid[], p_age integer,
    p_free boolean, p_self boolean, p_walking boolean, p_code text,
    p_from time, p_to time, p_on date, p_access text[], p_cap integer)
RETURNS TABLE (id uuid, name text, stale boolean, dist double precision,
    rank real)
LANGUAGE plpgsql STABLE
SET enable_bitmapscan = off
SET enable_sort = off
AS $$
BEGIN
	RETURN QUERY
	SELECT s.service_id, s.name, coalesce(s.review_due < p_today, false),
	    (s.grid <-> point(p_e, p_n)) / (1 + power((s.grid[0] + p_e) / 2
		- 400000, 2) * 1.228e-14),
	    CASE WHEN p_query IS NULL THEN 0::real ELSE
		ts_rank(s.search_vector, p_query)
		+ coalesce(ts_rank(s.search_vector, p_exact), 0) END
	FROM search_point s
	WHERE s.grid <@ circle(point(p_e, p_n), p_radius * 1.0018)
	    AND (s.grid <-> point(p_e, p_n) <= p_radius * 0.9994
		OR geodesic_distance_short(p_lat, p_lon, s.latitude,
		s.longitude) <= p_radius)
	    AND s.status = 'active'
	    AND (p_query IS NULL OR s.search_vector @@ p_query)
	    AND (p_cats IS NULL OR s.categories && p_cats)
	    AND (p_age IS NULL OR (coalesce(s.minimum_age, 0) <= p_age
		AND coalesce(s.maximum_age, 130) >= p_age))
	    AND (NOT p_free OR s.is_free)
	    AND (NOT p_self OR coalesce(s.self_referral, false))
	    AND (NOT p_walking OR s.kind = 'walking_group')
	    AND (p_code IS NULL OR s.days & (1 << (array_position(ARRAY['SU',
		'MO', 'TU', 'WE', 'TH', 'FR', 'SA'], p_code) - 1)) <> 0)
	    AND (p_on IS NULL OR s.days & ((1 << extract(dow FROM p_on)::integer)
		| 128) <> 0)
	    AND (p_from IS NULL OR s.days <> 0)
	    AND ((p_code IS NULL AND p_from IS NULL AND p_on IS NULL)
		OR EXISTS (SELECT 1 FROM (
		    SELECT sch1.freq, sch1."interval", sch1.byday,
			sch1.bymonthday, sch1.dtstart, sch1.valid_from,
			sch1.valid_to, sch1.opens_at, sch1.closes_at
		    FROM schedule sch1 WHERE sch1.service_id = s.service_id
		    UNION ALL
		    SELECT sch2.freq, sch2."interval", sch2.byday,
			sch2.bymonthday, sch2.dtstart, sch2.valid_from,
			sch2.valid_to, sch2.opens_at, sch2.closes_at
		    FROM service_at_location sal2
		    JOIN schedule sch2 ON sch2.service_at_location_id = sal2.id
		    WHERE sal2.service_id = s.service_id) sch
		WHERE sch.freq IS NOT NULL
		AND (p_code IS NULL OR search_schedule_weekday(sch.freq,
		    sch.byday, sch.bymonthday, sch.dtstart, sch.valid_from,
		    p_code))
		AND (p_on IS NULL OR search_schedule_on(sch.freq,
		    sch."interval", sch.byday, sch.bymonthday, sch.dtstart,
		    sch.valid_from, sch.valid_to, p_on))
		AND (p_from IS NULL OR ((sch.opens_at IS NULL
		    OR sch.opens_at < p_to) AND (sch.closes_at IS NULL
		    OR sch.closes_at > p_from)))))
	    AND (p_access IS NULL OR NOT EXISTS (SELECT 1
		FROM unnest(p_access) f
		WHERE NOT EXISTS (SELECT 1 FROM service_at_location sal3
		    JOIN accessibility a ON a.location_id = sal3.location_id
		    WHERE sal3.service_id = s.service_id AND a.description = f)))
	ORDER BY s.grid <-> point(p_e, p_n)
	LIMIT p_cap;
END;
$$;

-- How many services the planner expects to match a text query, from the
-- statistics of service.search_vector.  EXECUTE ... USING plans with the
-- value known, and nothing is pasted into the SQL.  VOLATILE only
-- because PostgreSQL allows EXPLAIN in no other kind of function.
CREATE FUNCTION search_estimate(p_query tsquery) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	plan	json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM service'
	    ' WHERE search_vector @@ $1' INTO plan USING p_query;
	RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::integer;
END;
$$;

-- Services that cover a whole area (service_area) rather than a place:
-- one row per such service with the columns the filters test, as
-- search_point has for places, kept by triggers, so that search_matches'
-- area pass is one scan of search_area with the filters on the row and
-- the exact schedule test only where the weekday bits pass.

-- One row per service with at least one service_area, carrying its area
-- codes and the service's columns as search_point does (categories: its
-- own terms; days: the weekday bits of search_point_days).  Never written
-- by the application.
CREATE TABLE search_area (
	service_id		uuid PRIMARY KEY REFERENCES service (id)
				    ON DELETE CASCADE,
	area_codes		text[] NOT NULL,
	name			text NOT NULL,
	status			text NOT NULL,
	kind			text NOT NULL,
	is_free			boolean NOT NULL,
	minimum_age		smallint,
	maximum_age		smallint,
	self_referral		boolean,
	review_due		date,
	categories		uuid[] NOT NULL,
	days			smallint NOT NULL,
	search_vector		tsvector NOT NULL
);

-- area_codes && $areas: a service in two of the searched areas (a ward
-- and its council area) is one row, found once.
CREATE INDEX search_area_codes_idx ON search_area USING gin (area_codes);

-- (Re)write the rows of some services, as search_point_refresh does its
-- points: index look-ups per service for a few, one pass of hash joins
-- for many (a bulk load).
CREATE FUNCTION search_area_refresh(p_services uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	saved	text;
BEGIN
	IF cardinality(p_services) IS NULL OR cardinality(p_services) = 0
	THEN
		RETURN;
	END IF;
	IF cardinality(p_services) <= 1000 THEN
		DELETE FROM search_area a
		USING (SELECT DISTINCT unnest(p_services) AS id) ids
		WHERE a.service_id = ids.id;
		INSERT INTO search_area
		SELECT s.id, c.codes, s.name, s.status, s.kind, s.is_free,
		    s.minimum_age, s.maximum_age, s.self_referral,
		    s.review_due,
		    ARRAY(SELECT st.taxonomy_term_id FROM service_taxonomy st
			WHERE st.service_id = s.id),
		    search_point_days(s.id), s.search_vector
		FROM (SELECT DISTINCT unnest(p_services) AS id) ids
		JOIN service s ON s.id = ids.id
		CROSS JOIN LATERAL (SELECT array_agg(sa.area_code
			ORDER BY sa.area_code) AS codes
		    FROM service_area sa WHERE sa.service_id = s.id) c
		WHERE c.codes IS NOT NULL;
		RETURN;
	END IF;
	saved := current_setting('enable_nestloop');
	PERFORM set_config('enable_nestloop', 'off', true);
	CREATE TEMPORARY TABLE search_area_ids ON COMMIT DROP AS
	    SELECT DISTINCT unnest(p_services) AS id;
	ANALYZE search_area_ids;
	DELETE FROM search_area a USING search_area_ids ids
	WHERE a.service_id = ids.id;
	INSERT INTO search_area
	SELECT s.id, ac.codes, s.name, s.status, s.kind, s.is_free,
	    s.minimum_age, s.maximum_age, s.self_referral, s.review_due,
	    coalesce(c.terms, '{}'), coalesce(d.days, 0), s.search_vector
	FROM (SELECT sa.service_id, array_agg(sa.area_code
		ORDER BY sa.area_code) AS codes
	    FROM service_area sa JOIN search_area_ids i
		ON i.id = sa.service_id
	    GROUP BY sa.service_id) ac
	JOIN service s ON s.id = ac.service_id
	LEFT JOIN (SELECT st.service_id, array_agg(st.taxonomy_term_id) AS terms
	    FROM service_taxonomy st JOIN search_area_ids i
		ON i.id = st.service_id
	    GROUP BY st.service_id) c ON c.service_id = s.id
	LEFT JOIN (SELECT sch.service_id, bit_or(CASE
		WHEN search_schedule_weekday(sch.freq, sch.byday,
		    sch.bymonthday, sch.dtstart, sch.valid_from, dw.code)
		THEN 1 << dw.n ELSE 0 END
		| CASE WHEN sch.byday IS NULL AND (sch.bymonthday IS NOT NULL
		    OR (sch.dtstart IS NULL AND sch.valid_from IS NULL))
		    THEN 128 ELSE 0 END)::smallint AS days
	    FROM (SELECT coalesce(sch.service_id, sal.service_id)
		    AS service_id, sch.freq, sch.byday, sch.bymonthday,
		    sch.dtstart, sch.valid_from
		FROM schedule sch
		LEFT JOIN service_at_location sal
		    ON sal.id = sch.service_at_location_id
		WHERE sch.freq IS NOT NULL) sch
	    JOIN search_area_ids i ON i.id = sch.service_id
	    CROSS JOIN (SELECT n, search_weekday_code(n) AS code
		FROM generate_series(0, 6) n) dw
	    GROUP BY sch.service_id) d ON d.service_id = s.id;
	DROP TABLE search_area_ids;
	PERFORM set_config('enable_nestloop', saved, true);
END;
$$;

-- The triggers above on service, service_at_location, walk_detail,
-- service_taxonomy, schedule and location all call search_point_refresh
-- by name: it refreshes both tables, so search_area follows every one.

CREATE FUNCTION search_point_refresh(p_services uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM search_point_refresh_points(p_services);
	PERFORM search_area_refresh(p_services);
END;
$$;

-- service_area itself: statement-level for inserts and deletes (a bulk
-- load is one refresh), per row for updates.
CREATE FUNCTION search_area_rows_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_LEVEL = 'ROW' THEN
		PERFORM search_area_refresh(ARRAY[OLD.service_id,
		    NEW.service_id]);
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM search_area_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM new_rows));
	ELSE
		PERFORM search_area_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM old_rows));
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER service_area_search_area_insert
    AFTER INSERT ON service_area REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_area_rows_trigger();
CREATE TRIGGER service_area_search_area_delete
    AFTER DELETE ON service_area REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_area_rows_trigger();
CREATE TRIGGER service_area_search_area_update
    AFTER UPDATE ON service_area
    FOR EACH ROW EXECUTE FUNCTION search_area_rows_trigger();

SELECT search_area_refresh(ARRAY(SELECT DISTINCT service_id
    FROM service_area));

-- search_matches' area-wide services: those whose service_area is one of
-- p_areas, with every filter applied, at most p_cap, none of p_near (the
-- services the radius held).  Called only when the radius held fewer
-- than p_cap places: then it held every service that passes the filters
-- and has a venue within it, so "not one of p_near" is "no venue within
-- the radius" for the rows that reach that test, without reading the
-- places in the circle again (a nested loop over them per row, 15 ms for
-- a common keyword around Glasgow).  The filters are written out on the
-- row, as search_near does on search_point's; the days bits rule rows
-- out before the exact schedule test.  Keep them the same as
-- search_service_ok and search_near.
CREATE FUNCTION search_area_matches(p_areas text[], p_today date,
    p_query tsquery, p_exact tsquery, p_cats uuid[], p_age integer,
    p_free boolean, p_self boolean, p_walking boolean, p_code text,
    p_from time, p_to time, p_on date, p_access text[], p_near uuid[],
    p_cap integer)
RETURNS TABLE (id uuid, name text, stale boolean, dist double precision,
    rank real)
LANGUAGE plpgsql STABLE
AS $$
BEGIN
	RETURN QUERY
	SELECT a.service_id, a.name, coalesce(a.review_due < p_today, false),
	    NULL::double precision,
	    CASE WHEN p_query IS NULL THEN 0::real ELSE
		ts_rank(a.search_vector, p_query)
		+ coalesce(ts_rank(a.search_vector, p_exact), 0) END
	FROM search_area a
	WHERE a.area_codes && p_areas
	    AND a.status = 'active'
	    AND (p_query IS NULL OR a.search_vector @@ p_query)
	    AND (p_cats IS NULL OR a.categories && p_cats)
	    AND (p_age IS NULL OR (coalesce(a.minimum_age, 0) <= p_age
		AND coalesce(a.maximum_age, 130) >= p_age))
	    AND (NOT p_free OR a.is_free)
	    AND (NOT p_self OR coalesce(a.self_referral, false))
	    AND (NOT p_walking OR a.kind = 'walking_group')
	    AND (p_code IS NULL OR a.days & (1 << (array_position(ARRAY['SU',
		'MO', 'TU', 'WE', 'TH', 'FR', 'SA'], p_code) - 1)) <> 0)
	    AND (p_on IS NULL OR a.days & ((1 << extract(dow FROM p_on)::integer)
		| 128) <> 0)
	    AND (p_from IS NULL OR a.days <> 0)
	    AND a.service_id NOT IN (SELECT unnest(p_near))
	    AND ((p_code IS NULL AND p_from IS NULL AND p_on IS NULL)
		OR EXISTS (SELECT 1 FROM (
		    SELECT sch1.freq, sch1."interval", sch1.byday,
			sch1.bymonthday, sch1.dtstart, sch1.valid_from,
			sch1.valid_to, sch1.opens_at, sch1.closes_at
		    FROM schedule sch1 WHERE sch1.service_id = a.service_id
		    UNION ALL
		    SELECT sch2.freq, sch2."interval", sch2.byday,
			sch2.bymonthday, sch2.dtstart, sch2.valid_from,
			sch2.valid_to, sch2.opens_at, sch2.closes_at
		    FROM service_at_location sal2
		    JOIN schedule sch2 ON sch2.service_at_location_id = sal2.id
		    WHERE sal2.service_id = a.service_id) sch
		WHERE sch.freq IS NOT NULL
		AND (p_code IS NULL OR search_schedule_weekday(sch.freq,
		    sch.byday, sch.bymonthday, sch.dtstart, sch.valid_from,
		    p_code))
		AND (p_on IS NULL OR search_schedule_on(sch.freq,
		    sch."interval", sch.byday, sch.bymonthday, sch.dtstart,
		    sch.valid_from, sch.valid_to, p_on))
		AND (p_from IS NULL OR ((sch.opens_at IS NULL
		    OR sch.opens_at < p_to) AND (sch.closes_at IS NULL
		    OR sch.closes_at > p_from)))))
	    AND (p_access IS NULL OR NOT EXISTS (SELECT 1
		FROM unnest(p_access) f
		WHERE NOT EXISTS (SELECT 1 FROM service_at_location sal3
		    JOIN accessibility a3 ON a3.location_id = sal3.location_id
		    WHERE sal3.service_id = a.service_id
		    AND a3.description = f)))
	LIMIT p_cap;
END;
$$;

-- The services that match a search, for app/search.c's search_page:
-- first those with a venue within p_radius metres of the centre (grid
-- point p_e, p_n; WGS84 p_lat, p_lon), nearest venue first, at most
-- p_cap of them; then, if the radius held fewer than p_cap, those whose
-- service area is one of p_areas (dist NULL), at most p_cap.  A service
-- may come once per venue: the caller keeps the nearest.
--
-- The radius is exact: the grid distance differs from the true one by
-- the projection's scale factor (0.9996 to about 1.0016 in Great Britain,
-- a little more with the datum), so the index circle is widened to cover
-- any of them, venues surely inside by grid distance pass as they are,
-- and only the thin band between is tested with geodesic_distance_short.
-- dist is the grid distance divided by the Transverse Mercator scale
-- factor at the midpoint's easting, k0 (1 + x^2 / 2R^2) with x from the
-- central meridian (E 400 000) and 1 / 2R^2 = 1.228e-14 (k0, common to
-- all, left out): it follows true distance to about a millimetre in 5 km
-- where raw grid distance is 9 cm off around Glasgow.  It orders; the
-- page shows PROJ's geodesic distance.
--
-- Reading stops at p_cap matches, so a page costs the rows it needs, not
-- every service in the radius.  Which index leads depends on the
-- keywords: see search_near and the comment below.  (NOTES.md measured
-- the GIN index first as nine times slower: for common words it is.)
-- Each pass over places is one statement with the area pass, which it
-- hands the services found (see search_area_matches).
CREATE FUNCTION search_matches(p_e double precision,
    p_n double precision, p_lat double precision, p_lon double precision,
    p_radius double precision, p_areas text[], p_today date,
    p_query tsquery, p_exact tsquery, p_cats uuid[], p_age integer,
    p_free boolean, p_self boolean, p_walking boolean, p_code text,
    p_from time, p_to time, p_on date, p_access text[], p_cap integer)
RETURNS TABLE (id uuid, name text, stale boolean, dist double precision,
    rank real)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
	k	integer := 0;
BEGIN
	-- A rare keyword is best found from the GIN index first; a common
	-- one (or none) from the places nearest.  The planner's estimate of
	-- how many services match, from the column's statistics, tells
	-- which in a tenth of a millisecond (counting them took several for
	-- a word in a few thousand).
	IF p_query IS NOT NULL THEN
		k := search_estimate(p_query);
	END IF;
	-- The area pass runs only when the radius held fewer than p_cap
	-- places (a one-time filter: otherwise it is never called).
	IF p_query IS NOT NULL AND k < 1000 THEN
		RETURN QUERY
		WITH kw AS MATERIALIZED (
			SELECT s.id FROM service s
			WHERE s.search_vector @@ p_query
		), near AS MATERIALIZED (
			SELECT s.id, s.name,
			    coalesce(s.review_due < p_today, false) AS stale,
			    (sp.grid <-> point(p_e, p_n)) / (1
				+ power((sp.grid[0] + p_e) / 2 - 400000, 2)
				* 1.228e-14) AS dist,
			    ts_rank(s.search_vector, p_query)
				+ coalesce(ts_rank(s.search_vector, p_exact),
				0) AS rank
			FROM kw
			JOIN search_point sp ON sp.service_id = kw.id
			JOIN service s ON s.id = kw.id
			WHERE sp.grid <@ circle(point(p_e, p_n),
				p_radius * 1.0018)
			    AND (sp.grid <-> point(p_e, p_n) <= p_radius * 0.9994
				OR geodesic_distance_short(p_lat, p_lon,
				sp.latitude, sp.longitude) <= p_radius)
			    AND search_service_ok(s, p_query, p_cats, p_age,
				p_free, p_self, p_walking, p_code, p_from, p_to,
				p_on, p_access)
			ORDER BY sp.grid <-> point(p_e, p_n)
			LIMIT p_cap
		)
		SELECT * FROM near
		UNION ALL
		SELECT * FROM search_area_matches(p_areas, p_today, p_query,
		    p_exact, p_cats, p_age, p_free, p_self, p_walking, p_code,
		    p_from, p_to, p_on, p_access,
		    ARRAY(SELECT near.id FROM near), p_cap)
		WHERE (SELECT count(*) FROM near) < p_cap;
	ELSE
		RETURN QUERY
		WITH near AS MATERIALIZED (
			SELECT * FROM search_near(p_e, p_n, p_lat, p_lon,
			    p_radius, p_today, p_query, p_exact, p_cats, p_age,
			    p_free, p_self, p_walking, p_code, p_from, p_to,
			    p_on, p_access, p_cap)
		)
		SELECT * FROM near
		UNION ALL
		SELECT * FROM search_area_matches(p_areas, p_today, p_query,
		    p_exact, p_cats, p_age, p_free, p_self, p_walking, p_code,
		    p_from, p_to, p_on, p_access,
		    ARRAY(SELECT near.id FROM near), p_cap)
		WHERE (SELECT count(*) FROM near) < p_cap;
	END IF;
END;
$$;
