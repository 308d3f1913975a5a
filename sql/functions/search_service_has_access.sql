-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- Every one of the features (accessibility.description) is recorded at
-- some venue of the service.
CREATE OR REPLACE FUNCTION search_service_has_access(p_service uuid,
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
