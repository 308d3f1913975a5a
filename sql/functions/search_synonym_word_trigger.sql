-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
CREATE OR REPLACE FUNCTION search_synonym_word_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM search_words_add(NEW.term || ' ' || NEW.synonym);
	RETURN NULL;
END;
$$;
