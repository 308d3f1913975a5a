-- The current definition (its last in the migrations was sql/014_listing_check_fast.sql; change it here).
CREATE OR REPLACE FUNCTION service_taxonomy_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM service_refresh_search(OLD.service_id);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM service_refresh_search(NEW.service_id);
	END IF;
	RETURN NULL;
END;
$$;
