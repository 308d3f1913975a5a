-- The current definition (its last in the migrations was sql/003_directory.sql; change it here).
-- Full-text search.  The document for a service is
--   name (A) + its categories' names (B) + description (C)
--   + the names of those categories' ancestors (D),
-- so "mental health" finds a service filed under Depression, but ranks it
-- below one filed under Mental Health Issues itself.  The 'english'
-- configuration stems ("walks" matches "walking").
CREATE OR REPLACE FUNCTION service_search_document(p_id uuid, p_name text,
    p_description text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
	WITH RECURSIVE term (id, parent_id, name, depth) AS (
		SELECT t.id, t.parent_id, t.name, 0
		FROM service_taxonomy st
		JOIN taxonomy_term t ON t.id = st.taxonomy_term_id
		WHERE st.service_id = p_id
	UNION ALL
		SELECT p.id, p.parent_id, p.name, term.depth + 1
		FROM term
		JOIN taxonomy_term p ON p.id = term.parent_id
		WHERE term.depth < 10
	)
	SELECT setweight(to_tsvector('english', coalesce(p_name, '')), 'A')
	    || setweight(to_tsvector('english', coalesce((SELECT
		string_agg(DISTINCT name, ' ') FROM term WHERE depth = 0),
		'')), 'B')
	    || setweight(to_tsvector('english', coalesce(p_description, '')),
		'C')
	    || setweight(to_tsvector('english', coalesce((SELECT
		string_agg(DISTINCT name, ' ') FROM term WHERE depth > 0),
		'')), 'D')
$$;
