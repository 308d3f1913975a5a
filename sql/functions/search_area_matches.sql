-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
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
CREATE OR REPLACE FUNCTION search_area_matches(p_areas text[], p_today date,
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
	    search_rank(a.search_vector, p_query, p_exact)
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
