-- The current definition (its last in the migrations was sql/003_directory.sql; change it here).
-- Sets updated_at on every UPDATE, unless the statement set it itself (an
-- import that keeps the source's timestamps).
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
		NEW.updated_at := now();
	END IF;
	RETURN NEW;
END;
$$;
