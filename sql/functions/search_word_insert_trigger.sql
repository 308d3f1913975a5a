-- The current definition (its last in the migrations was sql/014_listing_check_fast.sql; change it here).
CREATE OR REPLACE FUNCTION search_word_insert_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	INSERT INTO search_word (word)
	SELECT DISTINCT w
	FROM new_rows,
	    unnest(tsvector_to_array(to_tsvector('simple', new_rows.name))) w
	WHERE w ~ '^[[:alpha:]]{3,40}$'
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END;
$$;
