-- 010: postcode sectors.  A sector ("G1 1") is the outward code and the
-- digit of the inward code; people type one when they know only part of a
-- postcode.  Before this it was read as the district spelt the same
-- without the space (G11, 3 km away), so it is a kind of its own, built
-- like postcode_district (001): the mean of its units, area codes those of
-- most of them, a hint rather than a containment.
--
-- latitude/longitude stay NULL until PROJ has converted the mean
-- easting/northing: SQL has no OSTN15, and a mean of latitudes is not what
-- PROJ would say.  app/postcode.c fills them during import-postcodes, and
-- `signpost migrate` and `signpost serve` fill any still missing, which is
-- how the rows this migration makes from postcodes loaded before it get
-- theirs.

CREATE TABLE postcode_sector (
	sector			text PRIMARY KEY CHECK (sector ~
				    '^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9]$'),
	easting			double precision NOT NULL,
	northing		double precision NOT NULL,
	latitude		double precision
				    CHECK (latitude BETWEEN -90 AND 90),
	longitude		double precision
				    CHECK (longitude BETWEEN -180 AND 180),
	grid			point NOT NULL,
	postcodes		integer NOT NULL CHECK (postcodes > 0),
	country_code		text CHECK (country_code ~ '^[A-Z][0-9]{8}$'),
	health_board_code	text CHECK (health_board_code ~
				    '^[A-Z][0-9]{8}$'),
	council_area_code	text CHECK (council_area_code ~
				    '^[A-Z][0-9]{8}$'),
	CONSTRAINT postcode_sector_latlon_check
	    CHECK ((latitude IS NULL) = (longitude IS NULL)),
	CONSTRAINT postcode_sector_grid_check
	    CHECK (grid[0] = easting AND grid[1] = northing)
);

-- Rebuilds the table from postcode, with latitude/longitude NULL for the
-- caller to fill through PROJ.  Returns the number of sectors written.
-- A unit's inward code is always three characters, so the sector is the
-- postcode less its last two.
CREATE FUNCTION postcode_sector_refresh() RETURNS integer
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

-- Postcodes loaded before this migration: their sectors now, their
-- latitude/longitude when the binary that applied it runs PROJ on them.
SELECT postcode_sector_refresh();

-- The feed reads postcode look-ups too (008).
CREATE TRIGGER postcode_sector_version AFTER INSERT OR UPDATE OR DELETE OR
    TRUNCATE ON postcode_sector FOR EACH STATEMENT EXECUTE FUNCTION
    directory_version_bump();
