-- The current definition (its last in the migrations was sql/014_listing_check_fast.sql; change it here).
CREATE OR REPLACE FUNCTION search_point_schedule_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_LEVEL = 'ROW' THEN
		PERFORM search_point_refresh(ARRAY(
		    SELECT x FROM unnest(ARRAY[OLD.service_id,
			NEW.service_id]) x WHERE x IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM service_at_location sal
		    WHERE sal.id IN (OLD.service_at_location_id,
			NEW.service_at_location_id)));
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM search_point_refresh(ARRAY(
		    SELECT service_id FROM new_rows
		    WHERE service_id IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM new_rows n
		    JOIN service_at_location sal
			ON sal.id = n.service_at_location_id));
	ELSE
		PERFORM search_point_refresh(ARRAY(
		    SELECT service_id FROM old_rows
		    WHERE service_id IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM old_rows o
		    JOIN service_at_location sal
			ON sal.id = o.service_at_location_id));
	END IF;
	RETURN NULL;
END;
$$;
