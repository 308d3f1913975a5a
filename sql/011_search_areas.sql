-- 011: what search_matches' last pass -- services that cover a whole area
-- (service_area) rather than a place -- reads: one row per such service
-- with the columns the filters test, as search_point has for places, kept
-- by triggers.  The pass was a look-up per area-wide service of its
-- categories and schedules, and of its venues against the radius (about
-- a thousand in Glasgow at 100 000 services, some 7 ms); it is now one
-- scan of search_area with the filters applied on the row, the exact
-- schedule test only for the rows whose weekday bits pass, and no second
-- look at the places in the radius.  The services found are the same.

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

-- 007's triggers on service, service_at_location, walk_detail,
-- service_taxonomy, schedule and location all call search_point_refresh
-- by name: renaming 007's function and putting one of that name in its
-- place that refreshes both tables keeps search_area up to date through
-- every one of them.
ALTER FUNCTION search_point_refresh(uuid[])
    RENAME TO search_point_refresh_points;

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

-- As 007's, but each pass over places is one statement with the area
-- pass, which it hands the services found (see search_area_matches).
CREATE OR REPLACE FUNCTION search_matches(p_e double precision,
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
