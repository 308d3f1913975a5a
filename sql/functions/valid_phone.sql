-- The current definition (its last in the migrations was sql/003_directory.sql; change it here).
-- Digits and single spaces, an optional leading +; 3 to 15 digits (999
-- and 116 123 are real numbers to list; E.164 allows at most 15).
CREATE OR REPLACE FUNCTION valid_phone(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT $1 ~ '^\+?[0-9]+( [0-9]+)*$'
	    AND length(replace($1, ' ', '')) - (left($1, 1) = '+')::int
	    BETWEEN 3 AND 15
$$;
