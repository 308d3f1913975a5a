-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- The text query: lower-cased words (at most 10, each cut to 40
-- characters), each corrected, then grouped into units -- two words that
-- form a synonym term ("food bank") are one unit -- and each unit matched
-- as a phrase or as any of its synonyms.  Units are ANDed.
--   query      what to match (NULL when only stop words were given)
--   exact      the corrected words alone, to rank true matches first
--   corrected  the corrected words, for "Showing results for ..."
--   changed    whether a correction changed any word
CREATE OR REPLACE FUNCTION search_parse(p_q text, OUT query tsquery, OUT exact tsquery,
    OUT corrected text, OUT changed boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	words	text[];
	w	text[] := '{}';
	n	integer;
	i	integer;
	unit	text;
	uq	tsquery;
	alt	text;
BEGIN
	words := array_remove(regexp_split_to_array(lower(coalesce(p_q, '')),
	    '[^[:alnum:]]+'), '');
	n := least(coalesce(array_length(words, 1), 0), 10);
	FOR i IN 1 .. n LOOP
		w := w || search_correct_word(left(words[i], 40));
	END LOOP;
	corrected := array_to_string(w, ' ');
	changed := corrected <> array_to_string(words[1:n], ' ');
	IF to_tsvector('english', corrected) <> ''::tsvector THEN
		exact := plainto_tsquery('english', corrected);
	END IF;
	i := 1;
	WHILE i <= n LOOP
		unit := w[i];
		IF i < n AND EXISTS (SELECT 1 FROM search_synonym
		    WHERE term = w[i] || ' ' || w[i + 1]) THEN
			unit := w[i] || ' ' || w[i + 1];
			i := i + 2;
		ELSE
			i := i + 1;
		END IF;
		CONTINUE WHEN to_tsvector('english', unit) = ''::tsvector;
		uq := phraseto_tsquery('english', unit);
		FOR alt IN SELECT synonym FROM search_synonym WHERE term = unit
		    ORDER BY synonym LOOP
			uq := uq || phraseto_tsquery('english', alt);
		END LOOP;
		query := CASE WHEN query IS NULL THEN uq ELSE query && uq END;
	END LOOP;
END;
$$;
