-- The current definition (its last in the migrations was sql/010_postcode_sector.sql; change it here).
-- Rebuilds the table from postcode, with latitude/longitude NULL for the
-- caller to fill through PROJ.  Returns the number of sectors written.
-- A unit's inward code is always three characters, so the sector is the
-- postcode less its last two.
CREATE OR REPLACE FUNCTION postcode_sector_refresh() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	n	integer;
BEGIN
	DELETE FROM postcode_sector;
	INSERT INTO postcode_sector (sector, easting, northing, grid,
	    postcodes, country_code, health_board_code, council_area_code)
	SELECT left(postcode, -2), avg(easting), avg(northing),
	    point(avg(easting), avg(northing)), count(*),
	    mode() WITHIN GROUP (ORDER BY country_code),
	    mode() WITHIN GROUP (ORDER BY health_board_code),
	    mode() WITHIN GROUP (ORDER BY council_area_code)
	FROM postcode
	GROUP BY left(postcode, -2);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END;
$$;
