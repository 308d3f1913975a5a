-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- Does a rule run on weekday p_code ('TU') at all, ignoring seasons, as
-- schedule_runs_on() in app/schedule.c: any BYDAY entry for that day,
-- with or without an ordinal; no BYDAY means the weekday of dtstart (or
-- valid_from); a rule by month day only has no fixed weekday.
CREATE OR REPLACE FUNCTION search_schedule_weekday(p_freq text, p_byday text,
    p_bymonthday text, p_dtstart date, p_valid_from date, p_code text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT p_freq IS NOT NULL AND CASE
	    WHEN p_byday IS NOT NULL THEN
		p_byday ~ ('(^|,)[+-]?[1-5]?' || p_code || '(,|$)')
	    WHEN p_freq = 'MONTHLY' AND p_bymonthday IS NOT NULL THEN false
	    ELSE search_weekday_code(extract(dow FROM
		coalesce(p_dtstart, p_valid_from))::integer) = p_code
	END
$$;
