-- A service's search vector, defined once: its name (weight A), the names
-- of its own categories (B), its description (C) and the names of those
-- categories' ancestors (D), each set of names distinct and in order.
--
-- Three ways in share these two functions: service_search_document() for
-- one service from its stored categories (the triggers, sql/003's
-- signature), and listing_apply_batch(), which writes the vector with the
-- service's row from the categories its document names, set-based.  A
-- bulk import used to write every service and then rewrite each one's
-- vector at its end: a second version of each row with new entries in all
-- seven of service's indexes, 1.3 s of a 10 000-row import's 8.

-- Each of p_terms (term_id) with itself at depth 0 and each ancestor
-- above it (depth 1, 2, ...): the names a vector is made of.
CREATE OR REPLACE FUNCTION taxonomy_lineage(p_terms uuid[])
RETURNS TABLE (term_id uuid, name text, depth integer)
LANGUAGE sql STABLE AS $$
	WITH RECURSIVE up (term_id, parent_id, name, depth) AS (
		SELECT t.id, t.parent_id, t.name, 0
		FROM taxonomy_term t
		WHERE t.id = ANY (p_terms)
	UNION ALL
		SELECT up.term_id, p.parent_id, p.name, up.depth + 1
		FROM up JOIN taxonomy_term p ON p.id = up.parent_id
		WHERE up.depth < 10
	)
	SELECT up.term_id, up.name, up.depth FROM up
$$;

-- The vector from its parts: p_own and p_above are the category names
-- (string_agg(DISTINCT name, ' ') over depth 0 and over depth > 0).
CREATE OR REPLACE FUNCTION search_vector_build(p_name text, p_own text,
    p_description text, p_above text)
RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
	SELECT setweight(to_tsvector('english', coalesce(p_name, '')), 'A')
	    || setweight(to_tsvector('english', coalesce(p_own, '')), 'B')
	    || setweight(to_tsvector('english', coalesce(p_description, '')),
		'C')
	    || setweight(to_tsvector('english', coalesce(p_above, '')), 'D')
$$;

-- One service's vector from its stored categories.
CREATE OR REPLACE FUNCTION service_search_document(p_id uuid, p_name text,
    p_description text) RETURNS tsvector
LANGUAGE sql STABLE AS $$
	WITH l AS (
		SELECT l.name, l.depth
		FROM taxonomy_lineage(ARRAY(SELECT st.taxonomy_term_id
		    FROM service_taxonomy st WHERE st.service_id = p_id)) l
	)
	SELECT search_vector_build(p_name,
	    (SELECT string_agg(DISTINCT l.name, ' ') FROM l
		WHERE l.depth = 0),
	    p_description,
	    (SELECT string_agg(DISTINCT l.name, ' ') FROM l
		WHERE l.depth > 0))
$$;
