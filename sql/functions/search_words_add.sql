-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
CREATE OR REPLACE FUNCTION search_words_add(p_text text) RETURNS void
LANGUAGE sql AS $$
	INSERT INTO search_word (word)
	SELECT DISTINCT w
	FROM unnest(tsvector_to_array(to_tsvector('simple',
	    coalesce(p_text, '')))) w
	WHERE w ~ '^[[:alpha:]]{3,40}$'
	ON CONFLICT DO NOTHING
$$;
