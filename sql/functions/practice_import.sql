-- The current definition (its last in the migrations was sql/015_practice.sql; change it here).
-- One row per staged line: added, updated, unchanged, or why it was not
-- imported (invalid, duplicate, closed, not_gp, unknown_postcode).  A
-- practice whose row says it has closed is removed (detail 'removed').
-- The caller holds the transaction: all of it or nothing.
CREATE OR REPLACE FUNCTION practice_import()
RETURNS TABLE (line bigint, code text, outcome text, detail text)
LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE practice_checked ON COMMIT DROP AS
	SELECT s.n + 1 AS line,
	    upper(btrim(coalesce(s.code, ''))) AS code,
	    practice_display(btrim(coalesce(s.name, ''))) AS name,
	    practice_display(btrim(coalesce(s.address, ''))) AS address,
	    btrim(coalesce(s.postcode, '')) AS typed,
	    p.postcode, p.easting, p.northing, p.latitude, p.longitude,
	    p.council_area_code, p.health_board_code, p.ward_code,
	    btrim(coalesce(s.closed, '')) AS closed,
	    btrim(coalesce(s.ptype, '')) AS ptype,
	    count(*) OVER (PARTITION BY upper(btrim(coalesce(s.code, ''))))
		AS copies,
	    max(s.n) OVER (PARTITION BY upper(btrim(coalesce(s.code, ''))))
		+ 1 AS last_line,
	    ''::text AS outcome, ''::text AS detail
	FROM practice_stage s
	LEFT JOIN postcode p ON p.postcode = (
	    SELECT substr(x, 1, length(x) - 3) || ' ' || right(x, 3)
	    FROM (SELECT upper(regexp_replace(coalesce(s.postcode, ''),
		'\s', '', 'g')) AS x) q
	    WHERE x ~ '^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$');

	UPDATE practice_checked c SET outcome = 'invalid', detail =
	    CASE WHEN c.code !~ '^[A-Z0-9]{2,12}$'
		THEN 'the practice code must be 2 to 12 letters or digits'
	    WHEN c.name = '' OR length(c.name) > 200
		THEN 'the name must be 1 to 200 characters'
	    ELSE 'the address must be at most 400 characters' END
	WHERE c.code !~ '^[A-Z0-9]{2,12}$' OR c.name = '' OR
	    length(c.name) > 200 OR length(c.address) > 400;
	UPDATE practice_checked c SET outcome = 'duplicate',
	    detail = 'the same practice code is on line ' || c.last_line ||
	    ', which is used'
	WHERE c.outcome = '' AND c.copies > 1 AND c.line <> c.last_line;
	UPDATE practice_checked c SET outcome = 'closed',
	    detail = 'closed on ' || c.closed
	WHERE c.outcome = '' AND c.closed <> '';
	UPDATE practice_checked c SET outcome = 'not_gp',
	    detail = 'practice type ' || c.ptype || ' is not a GP practice'
	WHERE c.outcome = '' AND c.ptype NOT IN ('', '4');
	UPDATE practice_checked c SET outcome = 'unknown_postcode',
	    detail = CASE WHEN c.typed = '' THEN 'there is no postcode'
		ELSE 'the postcode ' || c.typed || ' is not in the postcode '
		'table' END
	WHERE c.outcome = '' AND c.postcode IS NULL;

	UPDATE practice_checked c SET detail = 'removed'
	FROM practice p
	WHERE c.outcome = 'closed' AND p.code = c.code;
	DELETE FROM practice p USING practice_checked c
	WHERE c.outcome = 'closed' AND p.code = c.code;

	WITH up AS (
		INSERT INTO practice AS p (code, name, address, postcode,
		    easting, northing, latitude, longitude, grid,
		    council_area_code, health_board_code, ward_code)
		SELECT c.code, c.name, c.address, c.postcode, c.easting,
		    c.northing, c.latitude, c.longitude,
		    point(c.easting, c.northing), c.council_area_code,
		    c.health_board_code, c.ward_code
		FROM practice_checked c WHERE c.outcome = ''
		ON CONFLICT ON CONSTRAINT practice_pkey DO UPDATE SET
		    name = EXCLUDED.name, address = EXCLUDED.address,
		    postcode = EXCLUDED.postcode,
		    easting = EXCLUDED.easting, northing = EXCLUDED.northing,
		    latitude = EXCLUDED.latitude,
		    longitude = EXCLUDED.longitude, grid = EXCLUDED.grid,
		    council_area_code = EXCLUDED.council_area_code,
		    health_board_code = EXCLUDED.health_board_code,
		    ward_code = EXCLUDED.ward_code, updated_at = now()
		WHERE (p.name, p.address, p.postcode, p.easting, p.northing,
		    p.council_area_code, p.health_board_code, p.ward_code)
		    IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.address,
		    EXCLUDED.postcode, EXCLUDED.easting, EXCLUDED.northing,
		    EXCLUDED.council_area_code, EXCLUDED.health_board_code,
		    EXCLUDED.ward_code)
		RETURNING p.code, (xmax = 0) AS added
	)
	UPDATE practice_checked c SET outcome =
	    CASE WHEN up.added THEN 'added' ELSE 'updated' END
	FROM up WHERE c.outcome = '' AND c.code = up.code;
	UPDATE practice_checked c SET outcome = 'unchanged'
	WHERE c.outcome = '';

	RETURN QUERY SELECT c.line, c.code, c.outcome, c.detail
	    FROM practice_checked c ORDER BY c.line;
	DROP TABLE practice_checked;
END
$$;
