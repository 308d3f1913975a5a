-- The current definition (its last in the migrations was sql/016_area_coverage.sql; change it here).
-- The services near one practice, each at its nearest place, with its
-- top-level categories.
CREATE OR REPLACE FUNCTION practice_assets(p_code text, p_radius double precision)
RETURNS TABLE (service_id uuid, name text, kind text, latitude double
    precision, longitude double precision, roots uuid[], grid_m double
    precision)
LANGUAGE sql STABLE AS $$
	SELECT DISTINCT ON (n.service_id) n.service_id, n.name, n.kind,
	    n.latitude, n.longitude,
	    ARRAY(SELECT DISTINCT r.root_id FROM taxonomy_term_root r
		WHERE r.id = ANY (n.categories) ORDER BY 1),
	    n.grid_m
	FROM practice_near(p_radius) n
	WHERE n.code = p_code
	ORDER BY n.service_id, n.grid_m
$$;
