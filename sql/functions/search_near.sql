-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
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
CREATE OR REPLACE FUNCTION search_near(p_e double precision, p_n double precision,
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
	    search_rank(s.search_vector, p_query, p_exact)
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
