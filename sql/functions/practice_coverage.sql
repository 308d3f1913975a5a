-- The current definition (its last in the migrations was sql/016_area_coverage.sql; change it here).
-- Every practice's count of services per top-level category within
-- p_radius, zeros included, so that medians are over all practices.
CREATE OR REPLACE FUNCTION practice_coverage(p_radius double precision)
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
