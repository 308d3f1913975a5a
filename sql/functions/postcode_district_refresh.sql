-- The current definition (its last in the migrations was sql/001_postcodes.sql; change it here).
-- Averaging latitude/longitude directly (rather than converting the mean
-- easting/northing) is off by well under a metre at district scale.
-- Returns the number of districts written.
CREATE OR REPLACE FUNCTION postcode_district_refresh() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	n	integer;
BEGIN
	DELETE FROM postcode_district;
	INSERT INTO postcode_district (outward, easting, northing, latitude,
	    longitude, grid, postcodes, country_code, health_board_code,
	    council_area_code)
	SELECT outward, avg(easting), avg(northing), avg(latitude),
	    avg(longitude), point(avg(easting), avg(northing)), count(*),
	    mode() WITHIN GROUP (ORDER BY country_code),
	    mode() WITHIN GROUP (ORDER BY health_board_code),
	    mode() WITHIN GROUP (ORDER BY council_area_code)
	FROM postcode
	GROUP BY outward;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END;
$$;
