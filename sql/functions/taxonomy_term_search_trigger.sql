-- The current definition (its last in the migrations was sql/003_directory.sql; change it here).
-- Renaming or moving a category changes the document of every service
-- filed under it or under its descendants.
CREATE OR REPLACE FUNCTION taxonomy_term_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM service_refresh_search(s.service_id)
	FROM (
		WITH RECURSIVE sub (id, depth) AS (
			SELECT NEW.id, 0
		UNION ALL
			SELECT t.id, sub.depth + 1
			FROM taxonomy_term t
			JOIN sub ON t.parent_id = sub.id
			WHERE sub.depth < 10
		)
		SELECT DISTINCT st.service_id
		FROM service_taxonomy st
		JOIN sub ON sub.id = st.taxonomy_term_id
	) s;
	RETURN NULL;
END;
$$;
