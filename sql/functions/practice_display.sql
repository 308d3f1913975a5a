-- The current definition (its last in the migrations was sql/015_practice.sql; change it here).
-- ODS files are in capitals; people read "Clydebank Health Centre".
CREATE OR REPLACE FUNCTION practice_display(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	-- initcap() starts a word after an apostrophe: "Queen'S Drive".
	SELECT CASE WHEN t = upper(t) THEN regexp_replace(initcap(t),
	    '([''’])S\M', '\1s', 'g') ELSE t END
$$;
