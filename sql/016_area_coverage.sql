-- 016: what is around a GP practice, for asset mapping (app/page_area.c).
--
-- Coverage is counted by top-level category: a service counts once for
-- each top-level category any of its own terms descends from, and once
-- however many of its places fall in the circle.  The circle is the same
-- as search's (sql/007): the GiST box test on the grid, then the exact
-- geodesic cut-off where the planar distance cannot decide.

-- Each term with its top-level ancestor (itself for a top-level term).
CREATE VIEW taxonomy_term_root AS
WITH RECURSIVE up (id, root_id, depth) AS (
	SELECT id, id, 0 FROM taxonomy_term WHERE parent_id IS NULL
	UNION ALL
	SELECT c.id, up.root_id, up.depth + 1
	FROM taxonomy_term c JOIN up ON c.parent_id = up.id
	WHERE up.depth < 8
)
SELECT id, root_id FROM up;

-- Every published place within p_radius metres of each practice.  Plain
-- SQL, so the planner inlines it and a caller's "WHERE code = ..."
-- reaches the practice scan.
CREATE FUNCTION practice_near(p_radius double precision)
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

-- The services near one practice, each at its nearest place, with its
-- top-level categories.
CREATE FUNCTION practice_assets(p_code text, p_radius double precision)
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

-- Every practice's count of services per top-level category within
-- p_radius, zeros included, so that medians are over all practices.
CREATE FUNCTION practice_coverage(p_radius double precision)
RETURNS TABLE (code text, root_id uuid, services bigint)
LANGUAGE sql STABLE AS $$
	WITH hit AS (
		SELECT DISTINCT n.code, n.service_id, r.root_id
		FROM practice_near(p_radius) n
		JOIN taxonomy_term_root r ON r.id = ANY (n.categories)
	)
	SELECT p.code, t.id, count(h.service_id)
	FROM practice p
	CROSS JOIN taxonomy_term t
	LEFT JOIN hit h ON h.code = p.code AND h.root_id = t.id
	WHERE t.parent_id IS NULL
	GROUP BY p.code, t.id
$$;
