-- The current definition (its last in the migrations was sql/014_listing_check_fast.sql; change it here).
CREATE OR REPLACE FUNCTION search_point_location_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	PERFORM search_point_refresh(ARRAY(
	    SELECT service_id FROM service_at_location
	    WHERE location_id = NEW.id
	    UNION
	    SELECT service_id FROM walk_detail
	    WHERE meeting_location_id = NEW.id));
	RETURN NULL;
END;
$$;
