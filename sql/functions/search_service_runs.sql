-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- The schedule filters for one service, over its own schedules and those
-- of its service_at_location rows; a schedule with no rule (a description
-- such as "by appointment") never matches.  Each argument may be NULL
-- (no such filter):
--   p_code         runs on this weekday ('TU'), seasons ignored
--   p_from, p_to   has opening hours overlapping [p_from, p_to); no
--                  times is all day, no closing time open until midnight
--   p_on           has a session on this date (open now: p_on today and
--                  [p_from, p_to) the current minute)
CREATE OR REPLACE FUNCTION search_service_runs(p_service uuid, p_code text,
    p_from time, p_to time, p_on date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT EXISTS (
		SELECT 1
		FROM (
			SELECT sch.freq, sch."interval", sch.byday,
			    sch.bymonthday, sch.dtstart, sch.valid_from,
			    sch.valid_to, sch.opens_at, sch.closes_at
			FROM schedule sch
			WHERE sch.service_id = p_service
		UNION ALL
			SELECT sch.freq, sch."interval", sch.byday,
			    sch.bymonthday, sch.dtstart, sch.valid_from,
			    sch.valid_to, sch.opens_at, sch.closes_at
			FROM service_at_location sal
			JOIN schedule sch ON sch.service_at_location_id = sal.id
			WHERE sal.service_id = p_service
		) sch
		WHERE sch.freq IS NOT NULL
		    AND (p_code IS NULL OR search_schedule_weekday(sch.freq,
			sch.byday, sch.bymonthday, sch.dtstart, sch.valid_from,
			p_code))
		    AND (p_on IS NULL OR search_schedule_on(sch.freq,
			sch."interval", sch.byday, sch.bymonthday, sch.dtstart,
			sch.valid_from, sch.valid_to, p_on))
		    AND (p_from IS NULL OR ((sch.opens_at IS NULL
			OR sch.opens_at < p_to) AND (sch.closes_at IS NULL
			OR sch.closes_at > p_from)))
	)
$$;
