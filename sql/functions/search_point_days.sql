-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- The days bits of search_point for one service's rules.
CREATE OR REPLACE FUNCTION search_point_days(p_service uuid) RETURNS smallint
LANGUAGE sql STABLE AS $$
	SELECT coalesce(bit_or(CASE
	    WHEN search_schedule_weekday(sch.freq, sch.byday, sch.bymonthday,
		sch.dtstart, sch.valid_from, d.code) THEN 1 << d.n
	    ELSE 0 END
	    | CASE WHEN sch.byday IS NULL AND (sch.bymonthday IS NOT NULL
		OR (sch.dtstart IS NULL AND sch.valid_from IS NULL))
		THEN 128 ELSE 0 END), 0)::smallint
	FROM (SELECT freq, byday, bymonthday, dtstart, valid_from
		FROM schedule WHERE service_id = p_service
	    UNION ALL
	    SELECT sch.freq, sch.byday, sch.bymonthday, sch.dtstart,
		sch.valid_from
		FROM service_at_location sal
		JOIN schedule sch ON sch.service_at_location_id = sal.id
		WHERE sal.service_id = p_service) sch
	CROSS JOIN (SELECT n, search_weekday_code(n) AS code
	    FROM generate_series(0, 6) n) d
	WHERE sch.freq IS NOT NULL
$$;
