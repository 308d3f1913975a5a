-- 001: statistical areas, postcode unit centroids and postcode district
-- centroids.  The C code (postcode.c) reads these names; change them only
-- together with it.
--
-- Coordinates are kept twice on purpose: easting/northing (and the same
-- pair as `grid`, a point in the configured grid CRS, EPSG:27700 by
-- default, in metres) for distance search, where plain Euclidean distance
-- is accurate to 0.1% across Scotland; latitude/longitude (WGS84/ETRS89)
-- for maps and feeds.  `grid` must equal point(easting, northing): the
-- CHECK says so, so that the two can never drift apart.
--
-- Area codes on postcodes are not foreign keys: Code-Point Open uses a
-- handful of English codes that have no name in the OS code list, and
-- codes change at boundary reviews (Glasgow City was S12000046, now
-- S12000049).  A postcode must load even when its area has no name.

CREATE TABLE area (
	code	text PRIMARY KEY CHECK (code ~ '^[A-Z][0-9]{8}$'),
	name	text NOT NULL CHECK (btrim(name) <> ''),
	kind	text NOT NULL CHECK (kind IN ('country', 'health_board',
		    'council_area', 'ward'))
);

CREATE INDEX area_kind_name_idx ON area (kind, name);

-- One row per live postcode unit with coordinates.  Code-Point Open rows
-- with positional quality 90 have no coordinates (0, 0) and must be
-- skipped by the import, which is why 90 is not allowed here.
-- positional_quality is OS's indicator: 10 (within the building of a
-- matched address) is best, 50 is estimated from neighbouring postcodes,
-- 60 is a sector mean; see the Code-Point Open user guide.  The October
-- 2025 Scottish data has only 10, 20, 50 and 90.
CREATE TABLE postcode (
	postcode		text PRIMARY KEY CHECK (postcode ~
				    '^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$'),
	outward			text NOT NULL,		-- "G12"
	positional_quality	smallint NOT NULL
				    CHECK (positional_quality IN
				    (10, 20, 30, 40, 50, 60)),
	easting			double precision NOT NULL,
	northing		double precision NOT NULL,
	latitude		double precision NOT NULL
				    CHECK (latitude BETWEEN -90 AND 90),
	longitude		double precision NOT NULL
				    CHECK (longitude BETWEEN -180 AND 180),
	grid			point NOT NULL,
	country_code		text CHECK (country_code ~ '^[A-Z][0-9]{8}$'),
	health_board_code	text CHECK (health_board_code ~
				    '^[A-Z][0-9]{8}$'),
	council_area_code	text CHECK (council_area_code ~
				    '^[A-Z][0-9]{8}$'),
	ward_code		text CHECK (ward_code ~ '^[A-Z][0-9]{8}$'),
	CONSTRAINT postcode_outward_check
	    CHECK (outward = split_part(postcode, ' ', 1)),
	CONSTRAINT postcode_grid_check
	    CHECK (grid[0] = easting AND grid[1] = northing)
);

-- Nearest-postcode and within-radius searches: ORDER BY grid <-> point(e, n)
-- and grid <@ circle(point(e, n), r) are answered from this index.
CREATE INDEX postcode_grid_idx ON postcode USING gist (grid);
CREATE INDEX postcode_outward_idx ON postcode (outward);
CREATE INDEX postcode_council_area_code_idx ON postcode (council_area_code);

-- A district ("G12") is the mean of its postcode units, for searches by
-- outward code alone.  The area codes are those of most of its units:
-- districts cross council boundaries (G81, G82, G83), so they are a hint,
-- not a containment.  postcode_district_refresh() rebuilds the table from
-- postcode; the import may fill it itself instead.
CREATE TABLE postcode_district (
	outward			text PRIMARY KEY CHECK (outward ~
				    '^[A-Z]{1,2}[0-9][0-9A-Z]?$'),
	easting			double precision NOT NULL,
	northing		double precision NOT NULL,
	latitude		double precision NOT NULL
				    CHECK (latitude BETWEEN -90 AND 90),
	longitude		double precision NOT NULL
				    CHECK (longitude BETWEEN -180 AND 180),
	grid			point NOT NULL,
	postcodes		integer NOT NULL CHECK (postcodes > 0),
	country_code		text CHECK (country_code ~ '^[A-Z][0-9]{8}$'),
	health_board_code	text CHECK (health_board_code ~
				    '^[A-Z][0-9]{8}$'),
	council_area_code	text CHECK (council_area_code ~
				    '^[A-Z][0-9]{8}$'),
	CONSTRAINT postcode_district_grid_check
	    CHECK (grid[0] = easting AND grid[1] = northing)
);

CREATE INDEX postcode_district_grid_idx ON postcode_district USING gist (grid);

-- Averaging latitude/longitude directly (rather than converting the mean
-- easting/northing) is off by well under a metre at district scale.
-- Returns the number of districts written.
CREATE FUNCTION postcode_district_refresh() RETURNS integer
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
