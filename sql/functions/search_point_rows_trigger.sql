-- The current definition (its last in the migrations was sql/014_listing_check_fast.sql; change it here).
CREATE OR REPLACE FUNCTION search_point_rows_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_LEVEL = 'ROW' THEN
		PERFORM search_point_refresh(ARRAY[OLD.service_id,
		    NEW.service_id]);
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM search_point_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM new_rows));
	ELSE
		PERFORM search_point_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM old_rows));
	END IF;
	RETURN NULL;
END;
$$;
