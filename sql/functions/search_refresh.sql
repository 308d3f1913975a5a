-- The search rows of a set of services rewritten (sql/007 made these; the
-- triggers and directory_refresh() call them).  For more than 1 000
-- services they turn nested loops off, which PostgreSQL does by adding a
-- huge cost to every nested-loop plan; a plan that costly crosses
-- jit_above_cost, and compiling it took 1.3 s of a 1.4 s refresh of 2 000
-- services (0.14 s with jit off).  So jit goes off with nested loops, for
-- the rest of the function.

-- (Re)write the points of some services.  For a few (an edit), index
-- look-ups per service; for many (a bulk load, often in one transaction
-- whose new rows the statistics have not seen, so that the planner would
-- choose a sequential scan per service and go quadratic), one pass of
-- hash joins and aggregates over the tables, with nested loops turned
-- off for its duration.  The ids are joined, never tested with = ANY.
CREATE OR REPLACE FUNCTION search_point_refresh_points(p_services uuid[])
RETURNS void
LANGUAGE plpgsql AS $$
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
	PERFORM search_rows_refresh_many(p_services, true, false);
END;
$$;

-- (Re)write the rows of some services, as search_point_refresh does its
-- points: index look-ups per service for a few, one pass of hash joins
-- for many (a bulk load).
CREATE OR REPLACE FUNCTION search_area_refresh(p_services uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
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
	PERFORM search_rows_refresh_many(p_services, false, true);
END;
$$;

-- Both kinds of search rows of many services (a bulk load): one pass of
-- hash joins and aggregates with nested loops (and so jit) off, each
-- service's categories and weekday mask worked out once for both.
CREATE OR REPLACE FUNCTION search_rows_refresh_many(p_services uuid[],
    p_points boolean, p_areas boolean)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	saved	text;
	saved_jit	text;
BEGIN
	saved := current_setting('enable_nestloop');
	saved_jit := current_setting('jit');
	PERFORM set_config('enable_nestloop', 'off', true);
	PERFORM set_config('jit', 'off', true);
	CREATE TEMPORARY TABLE search_refresh_ids ON COMMIT DROP AS
	    SELECT DISTINCT unnest(p_services) AS id;
	ANALYZE search_refresh_ids;
	CREATE TEMPORARY TABLE search_refresh_facts ON COMMIT DROP AS
	SELECT i.id, coalesce(c.terms, '{}') AS terms,
	    coalesce(d.days, 0) AS days
	FROM search_refresh_ids i
	LEFT JOIN (SELECT st.service_id, array_agg(st.taxonomy_term_id) AS terms
	    FROM service_taxonomy st JOIN search_refresh_ids i
		ON i.id = st.service_id
	    GROUP BY st.service_id) c ON c.service_id = i.id
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
	    JOIN search_refresh_ids i ON i.id = sch.service_id
	    CROSS JOIN (SELECT n, search_weekday_code(n) AS code
		FROM generate_series(0, 6) n) dw
	    GROUP BY sch.service_id) d ON d.service_id = i.id;
	ANALYZE search_refresh_facts;
	IF p_points THEN
		DELETE FROM search_point sp USING search_refresh_ids ids
		WHERE sp.service_id = ids.id;
		INSERT INTO search_point
		SELECT s.id, l.id, x.via, l.grid, l.latitude, l.longitude,
		    s.name, s.status, s.kind, s.is_free, s.minimum_age,
		    s.maximum_age, s.self_referral, s.review_due, f.terms,
		    f.days, s.search_vector
		FROM search_refresh_facts f
		JOIN service s ON s.id = f.id
		JOIN search_point_places x ON x.service_id = s.id
		JOIN location l ON l.id = x.location_id
		WHERE l.grid IS NOT NULL;
	END IF;
	IF p_areas THEN
		DELETE FROM search_area a USING search_refresh_ids ids
		WHERE a.service_id = ids.id;
		INSERT INTO search_area
		SELECT s.id, ac.codes, s.name, s.status, s.kind, s.is_free,
		    s.minimum_age, s.maximum_age, s.self_referral,
		    s.review_due, f.terms, f.days, s.search_vector
		FROM (SELECT sa.service_id, array_agg(sa.area_code
			ORDER BY sa.area_code) AS codes
		    FROM service_area sa JOIN search_refresh_ids i
			ON i.id = sa.service_id
		    GROUP BY sa.service_id) ac
		JOIN service s ON s.id = ac.service_id
		JOIN search_refresh_facts f ON f.id = s.id;
	END IF;
	DROP TABLE search_refresh_facts;
	DROP TABLE search_refresh_ids;
	PERFORM set_config('enable_nestloop', saved, true);
	PERFORM set_config('jit', saved_jit, true);
END;
$$;

-- Both kinds for a set of services: the triggers and directory_refresh()
-- call this.  For many, the categories and days are worked out once.
CREATE OR REPLACE FUNCTION search_point_refresh(p_services uuid[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF cardinality(p_services) > 1000 THEN
		PERFORM search_rows_refresh_many(p_services, true, true);
		RETURN;
	END IF;
	PERFORM search_point_refresh_points(p_services);
	PERFORM search_area_refresh(p_services);
END;
$$;
