-- The current definition (its last in the migrations was sql/003_directory.sql; change it here).
-- Recompute one service's search_vector (after its categories changed).
CREATE OR REPLACE FUNCTION service_refresh_search(p_service_id uuid) RETURNS void
LANGUAGE sql AS $$
	UPDATE service
	SET search_vector = service_search_document(id, name, description)
	WHERE id = p_service_id
$$;
