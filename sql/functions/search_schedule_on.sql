-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- Does a rule have a session on date p_day?  Seasons, intervals
-- (counting weeks from the Monday of dtstart, else valid_from, else
-- Monday 5 January 1970, and months likewise, as app/schedule.c does),
-- BYDAY ordinals (1TU, -1FR) and BYMONTHDAY (15, -1) included.
CREATE OR REPLACE FUNCTION search_schedule_on(p_freq text, p_interval integer,
    p_byday text, p_bymonthday text, p_dtstart date, p_valid_from date,
    p_valid_to date, p_day date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	WITH d AS (
		SELECT search_weekday_code(extract(dow FROM p_day)::integer)
		    AS code,
		    (extract(day FROM p_day)::integer - 1) / 7 + 1 AS nth,
		    extract(month FROM p_day + 7) <> extract(month FROM p_day)
		    AS last_week,
		    extract(day FROM p_day)::integer AS dom,
		    extract(day FROM (date_trunc('month', p_day)
			+ interval '1 month - 1 day'))::integer AS days,
		    coalesce(p_dtstart, p_valid_from, date '1970-01-05') AS base
	)
	SELECT p_freq IS NOT NULL
	    AND (p_valid_from IS NULL OR p_day >= p_valid_from)
	    AND (p_dtstart IS NULL OR p_day >= p_dtstart)
	    AND (p_valid_to IS NULL OR p_day <= p_valid_to)
	    AND CASE p_freq
		WHEN 'WEEKLY' THEN
		    ((p_day - date_trunc('week', d.base)::date) / 7)
			% p_interval = 0
		    AND CASE WHEN p_byday IS NOT NULL THEN
			p_byday ~ ('(^|,)\+?' || d.code || '(,|$)')
		    ELSE extract(dow FROM d.base) = extract(dow FROM p_day) END
		ELSE
		    ((extract(year FROM p_day) - extract(year FROM d.base)) * 12
			+ extract(month FROM p_day) - extract(month FROM d.base))
			::integer % p_interval = 0
		    AND (p_byday IS NULL OR p_byday ~ ('(^|,)(\+?(' || d.nth
			|| ')?' || CASE WHEN d.last_week THEN '|-1' ELSE '' END
			|| ')' || d.code || '(,|$)'))
		    AND (p_bymonthday IS NULL OR p_bymonthday ~ ('(^|,)('
			|| d.dom || '|-' || (d.days - d.dom + 1) || ')(,|$)'))
		    AND (p_byday IS NOT NULL OR p_bymonthday IS NOT NULL
			OR extract(day FROM d.base) = d.dom)
	    END
	FROM d
$$;
