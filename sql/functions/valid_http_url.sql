-- The current definition (its last in the migrations was sql/003_directory.sql; change it here).
CREATE OR REPLACE FUNCTION valid_http_url(text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT length($1) <= 2048
	    AND $1 ~* '^https?://[^/?#[:space:]]+([/?#][^[:space:]]*)?$'
$$;
