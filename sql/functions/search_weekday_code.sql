-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- Weekday codes as RFC 5545 writes them, 0 = Sunday (extract(dow)).
CREATE OR REPLACE FUNCTION search_weekday_code(p_dow integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT (ARRAY['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'])[p_dow + 1]
$$;
