-- The current definition (its last in the migrations was sql/014_listing_check_fast.sql; change it here).
CREATE OR REPLACE FUNCTION search_point_service_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	PERFORM search_point_refresh(ARRAY(SELECT id FROM new_rows));
	RETURN NULL;
END;
$$;
