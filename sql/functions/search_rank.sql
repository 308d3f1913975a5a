-- How well a listing matches the words: the one ranking of search (the
-- matches near a place, those that cover an area, and the full-text
-- matches all use it).  query is the words with their corrections and
-- synonyms; exact, the corrected words alone, adds to it, so that a
-- listing with the very words comes before one that only has a synonym.
-- No words at all: every listing ranks the same.
CREATE OR REPLACE FUNCTION search_rank(p_vector tsvector, p_query tsquery,
    p_exact tsquery) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN p_query IS NULL THEN 0::real ELSE
	    ts_rank(p_vector, p_query)
	    + coalesce(ts_rank(p_vector, p_exact), 0) END
$$;
