-- The current definition (its last in the migrations was sql/016_area_coverage.sql; change it here).
-- Every published place within p_radius metres of each practice.  Plain
-- SQL, so the planner inlines it and a caller's "WHERE code = ..."
-- reaches the practice scan.
CREATE OR REPLACE FUNCTION practice_near(p_radius double precision)
RETURNS TABLE (code text, service_id uuid, name text, kind text,
    latitude double precision, longitude double precision,
    categories uuid[], grid_m double precision)
LANGUAGE sql STABLE AS $$
	SELECT p.code, s.service_id, s.name, s.kind, s.latitude, s.longitude,
	    s.categories, s.grid <-> p.grid
	FROM practice p
	JOIN search_point s
	    ON s.grid <@ circle(p.grid, p_radius * 1.0018)
	    AND (s.grid <-> p.grid <= p_radius * 0.9994
		OR geodesic_distance_short(p.latitude, p.longitude,
		s.latitude, s.longitude) <= p_radius)
	WHERE s.status = 'active'
$$;
