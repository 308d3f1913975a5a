-- The current definition (its last in the migrations was sql/003_directory.sql; change it here).
-- Shared validity tests, kept in one place.  IMMUTABLE so CHECKs may use
-- them.  Deliberately loose: they catch typos and pasted junk, not every
-- invalid address.
CREATE OR REPLACE FUNCTION valid_email(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT length($1) <= 254
	    AND $1 ~ '^[^@[:space:]]+@[^@[:space:].]+(\.[^@[:space:].]+)+$'
$$;
