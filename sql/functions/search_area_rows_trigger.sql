-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- service_area itself: statement-level for inserts and deletes (a bulk
-- load is one refresh), per row for updates.
CREATE OR REPLACE FUNCTION search_area_rows_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_LEVEL = 'ROW' THEN
		PERFORM search_area_refresh(ARRAY[OLD.service_id,
		    NEW.service_id]);
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM search_area_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM new_rows));
	ELSE
		PERFORM search_area_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM old_rows));
	END IF;
	RETURN NULL;
END;
$$;
