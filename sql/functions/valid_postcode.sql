-- The current definition (its last in the migrations was sql/003_directory.sql; change it here).
CREATE OR REPLACE FUNCTION valid_postcode(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT $1 ~ '^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$'
$$;
