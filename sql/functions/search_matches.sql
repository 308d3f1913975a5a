-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
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
			    search_rank(s.search_vector, p_query, p_exact)
				AS rank
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
