-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- One query word as the search should use it.  A word is left alone when
-- it is short, not all letters, a stop word, a synonym term, or matches
-- some active service already (stemmed, as the search matches it: this
-- keeps words found only in descriptions, which the word list lacks).
-- Otherwise it becomes the nearest listed word by trigram similarity, if
-- one is similar enough (0.45: "welbeing" -> "wellbeing" is 0.73,
-- "fodbank" -> "foodbank" 0.70, "rent" -> "parent" 0.33).
CREATE OR REPLACE FUNCTION search_correct_word(p_word text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	q	tsquery;
	best	text;
BEGIN
	IF length(p_word) < 4 OR p_word !~ '^[[:alpha:]]+$' THEN
		RETURN p_word;
	END IF;
	-- to_tsvector first: plainto_tsquery of a stop word raises a NOTICE.
	IF to_tsvector('english', p_word) = ''::tsvector THEN
		RETURN p_word;
	END IF;
	q := plainto_tsquery('english', p_word);
	IF EXISTS (SELECT 1 FROM search_synonym
	    WHERE term = p_word) OR EXISTS (SELECT 1 FROM service
	    WHERE search_vector @@ q AND status = 'active') THEN
		RETURN p_word;
	END IF;
	SELECT word INTO best
	FROM (SELECT word FROM search_word ORDER BY word <-> p_word, word
	    LIMIT 1) nearest
	WHERE similarity(word, p_word) >= 0.45;
	RETURN coalesce(best, p_word);
END;
$$;
