/*
 * schedule: each recurrence rule pinned on real calendar dates (checked
 * against Python's calendar module), clock changes in Europe/London, the
 * merge of several schedules, and the words and RRULEs people and
 * calendars see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "schedule.h"
#include "unit.h"

/* Local Europe/London wall-clock time. */
static time_t
at(int y, int mo, int d, int h, int mi)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

static struct tm
local(time_t t)
{
	struct tm	tm;

	assert_non_null(localtime_r(&t, &tm));
	return (tm);
}

static void
assert_local(time_t t, int y, int mo, int d, int h, int mi)
{
	struct tm	tm = local(t);
	char		got[64], want[64];

	snprintf(got, sizeof(got), "%04d-%02d-%02d %02d:%02d",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min);
	snprintf(want, sizeof(want), "%04d-%02d-%02d %02d:%02d", y, mo, d, h,
	    mi);
	assert_string_equal(got, want);
}

static struct schedule
mk(const char *freq, int interval, const char *byday, const char *bymd,
    int opens, int closes)
{
	struct schedule	s;

	memset(&s, 0, sizeof(s));
	snprintf(s.id, sizeof(s.id), "00000000-0000-4000-8000-000000000001");
	snprintf(s.freq, sizeof(s.freq), "%s", freq);
	s.interval = interval;
	snprintf(s.byday, sizeof(s.byday), "%s", byday);
	snprintf(s.bymonthday, sizeof(s.bymonthday), "%s", bymd);
	s.opens = opens;
	s.closes = closes;
	return (s);
}

static void
assert_describe(const struct schedule *s, const char *want)
{
	struct buf	b;

	buf_init(&b);
	schedule_describe(s, &b);
	assert_false(b.oom);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void
assert_rrule(const struct schedule *s, const char *want)
{
	struct buf	b;

	buf_init(&b);
	assert_int_equal(schedule_rrule(s, &b), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void
test_schedule_weekly_gives_each_tuesday_at_its_time(void **state)
{
	struct schedule	s = mk("WEEKLY", 1, "TU", "", 600, 690);
	struct session	ss[4];

	(void)state;
	/* Thursday 8 January 2026: the next Tuesdays are 13, 20, 27 Jan. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 8, 12, 0), ss, 3),
	    3);
	assert_local(ss[0].start, 2026, 1, 13, 10, 0);
	assert_local(ss[0].end, 2026, 1, 13, 11, 30);
	assert_local(ss[1].start, 2026, 1, 20, 10, 0);
	assert_local(ss[2].start, 2026, 1, 27, 10, 0);
	assert_int_equal(ss[0].flags, 0);
	assert_int_equal(ss[0].sched, 0);
}

static void
test_schedule_fortnightly_counts_from_dtstart_week(void **state)
{
	struct schedule	s = mk("WEEKLY", 2, "WE", "", 780, 900);
	struct session	ss[3];

	(void)state;
	snprintf(s.dtstart, sizeof(s.dtstart), "2026-01-14");
	/* From before dtstart: nothing earlier than it, then every 14 days. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), ss, 3),
	    3);
	assert_local(ss[0].start, 2026, 1, 14, 13, 0);
	assert_local(ss[1].start, 2026, 1, 28, 13, 0);
	assert_local(ss[2].start, 2026, 2, 11, 13, 0);
	/* Asked mid-fortnight, the off week (4 Feb) is skipped. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 29, 0, 0), ss, 1),
	    1);
	assert_local(ss[0].start, 2026, 2, 11, 13, 0);
}

static void
test_schedule_fortnightly_falls_back_to_valid_from_then_epoch(void **state)
{
	struct schedule	s = mk("WEEKLY", 2, "TU", "", 600, 660);
	struct session	a[2], b[2];

	(void)state;
	/* valid_from Monday 12 Jan 2026: its week is an "on" week. */
	snprintf(s.valid_from, sizeof(s.valid_from), "2026-01-12");
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), a, 2), 2);
	assert_local(a[0].start, 2026, 1, 13, 10, 0);
	assert_local(a[1].start, 2026, 1, 27, 10, 0);
	/*
	 * Neither: weeks count from Monday 5 January 1970, so Tuesday
	 * 6 January 2026 (week 2922, even) is on, whoever asks when.
	 */
	s.valid_from[0] = '\0';
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), a, 2), 2);
	assert_local(a[0].start, 2026, 1, 6, 10, 0);
	assert_local(a[1].start, 2026, 1, 20, 10, 0);
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 7, 0, 0), b, 2), 2);
	assert_local(b[0].start, 2026, 1, 20, 10, 0);
}

static void
test_schedule_first_tuesday_of_month(void **state)
{
	struct schedule	s = mk("MONTHLY", 1, "1TU", "", 600, 720);
	struct session	ss[4];

	(void)state;
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), ss, 4),
	    4);
	assert_local(ss[0].start, 2026, 1, 6, 10, 0);
	assert_local(ss[1].start, 2026, 2, 3, 10, 0);
	assert_local(ss[2].start, 2026, 3, 3, 10, 0);
	assert_local(ss[3].start, 2026, 4, 7, 10, 0);
}

static void
test_schedule_last_friday_in_months_with_five_fridays(void **state)
{
	struct schedule	s = mk("MONTHLY", 1, "-1FR", "", 1080, 1200);
	struct session	ss[5];

	(void)state;
	/* January and May 2026 have five Fridays; the last is the fifth. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), ss, 5),
	    5);
	assert_local(ss[0].start, 2026, 1, 30, 18, 0);
	assert_local(ss[1].start, 2026, 2, 27, 18, 0);
	assert_local(ss[2].start, 2026, 3, 27, 18, 0);
	assert_local(ss[3].start, 2026, 4, 24, 18, 0);
	assert_local(ss[4].start, 2026, 5, 29, 18, 0);
}

static void
test_schedule_fifth_friday_skips_months_without_one(void **state)
{
	struct schedule	s = mk("MONTHLY", 1, "5FR", "", 600, 660);
	struct session	ss[4];

	(void)state;
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), ss, 4),
	    4);
	assert_local(ss[0].start, 2026, 1, 30, 10, 0);
	assert_local(ss[1].start, 2026, 5, 29, 10, 0);
	assert_local(ss[2].start, 2026, 7, 31, 10, 0);
	assert_local(ss[3].start, 2026, 10, 30, 10, 0);
}

static void
test_schedule_month_day_counts_back_from_month_end(void **state)
{
	struct schedule	s = mk("MONTHLY", 1, "", "-1", 600, 660);
	struct session	ss[3];

	(void)state;
	/* 2028 is a leap year. */
	assert_int_equal(schedule_next(&s, 1, at(2028, 1, 31, 12, 0), ss, 3),
	    3);
	assert_local(ss[0].start, 2028, 2, 29, 10, 0);
	assert_local(ss[1].start, 2028, 3, 31, 10, 0);
	assert_local(ss[2].start, 2028, 4, 30, 10, 0);
	s = mk("MONTHLY", 1, "", "31", 600, 660);
	/* Months without a 31st are skipped, not moved. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 4, 1, 0, 0), ss, 2),
	    2);
	assert_local(ss[0].start, 2026, 5, 31, 10, 0);
	assert_local(ss[1].start, 2026, 7, 31, 10, 0);
}

static void
test_schedule_every_other_month_counts_from_dtstart(void **state)
{
	struct schedule	s = mk("MONTHLY", 2, "1MO", "", 600, 660);
	struct session	ss[3];

	(void)state;
	snprintf(s.dtstart, sizeof(s.dtstart), "2026-02-01");
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), ss, 3),
	    3);
	assert_local(ss[0].start, 2026, 2, 2, 10, 0);
	assert_local(ss[1].start, 2026, 4, 6, 10, 0);
	assert_local(ss[2].start, 2026, 6, 1, 10, 0);
}

static void
test_schedule_seasonal_window_crossing_year_end(void **state)
{
	struct schedule	s = mk("WEEKLY", 1, "SA", "", 600, 720);
	struct session	ss[8];

	(void)state;
	snprintf(s.valid_from, sizeof(s.valid_from), "2026-11-01");
	snprintf(s.valid_to, sizeof(s.valid_to), "2027-02-28");
	/* Asked in summer: the first is the first Saturday in the window. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 7, 1, 0, 0), ss, 1),
	    1);
	assert_local(ss[0].start, 2026, 11, 7, 10, 0);
	/* Over new year it carries on. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 12, 20, 0, 0), ss, 3),
	    3);
	assert_local(ss[0].start, 2026, 12, 26, 10, 0);
	assert_local(ss[1].start, 2027, 1, 2, 10, 0);
	assert_local(ss[2].start, 2027, 1, 9, 10, 0);
	/* And stops at valid_to: 27 February is the last. */
	assert_int_equal(schedule_next(&s, 1, at(2027, 2, 21, 0, 0), ss, 8),
	    1);
	assert_local(ss[0].start, 2027, 2, 27, 10, 0);
	assert_int_equal(schedule_next(&s, 1, at(2027, 3, 1, 0, 0), ss, 8),
	    0);
}

static void
test_schedule_keeps_wall_clock_over_spring_change(void **state)
{
	struct schedule	s = mk("WEEKLY", 1, "SU", "", 600, 660);
	struct session	ss[3];

	(void)state;
	/* Clocks go forward at 01:00 UTC on Sunday 29 March 2026. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 3, 21, 0, 0), ss, 3),
	    3);
	assert_local(ss[0].start, 2026, 3, 22, 10, 0);
	assert_local(ss[1].start, 2026, 3, 29, 10, 0);
	assert_local(ss[2].start, 2026, 4, 5, 10, 0);
	assert_int_equal(local(ss[0].start).tm_isdst, 0);
	assert_int_equal(local(ss[1].start).tm_isdst, 1);
	/* 10:00 GMT then 10:00 BST: one hour less than a week apart. */
	assert_int_equal((long)(ss[1].start - ss[0].start), 7L * 86400 - 3600);
	assert_int_equal((long)(ss[1].start % 86400), 9L * 3600);
	assert_int_equal((long)(ss[1].end - ss[1].start), 3600);
}

static void
test_schedule_keeps_wall_clock_over_autumn_change(void **state)
{
	struct schedule	s = mk("MONTHLY", 1, "-1SU", "", 600, 690);
	struct session	ss[2];

	(void)state;
	/* Last Sunday of October 2026 is the 25th, the day clocks go back. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 10, 1, 0, 0), ss, 2),
	    2);
	assert_local(ss[0].start, 2026, 10, 25, 10, 0);
	assert_local(ss[1].start, 2026, 11, 29, 10, 0);
	assert_int_equal(local(ss[0].start).tm_isdst, 0);
	assert_int_equal((long)(ss[0].start % 86400), 10L * 3600);
	assert_int_equal((long)(ss[0].end - ss[0].start), 90 * 60);
}

static void
test_schedule_all_day_session_spans_the_local_day(void **state)
{
	struct schedule	s = mk("WEEKLY", 1, "SU", "", -1, -1);
	struct session	ss[1];
	struct buf	b;

	(void)state;
	assert_int_equal(schedule_next(&s, 1, at(2026, 3, 28, 12, 0), ss, 1),
	    1);
	assert_int_equal(ss[0].flags, SESSION_ALL_DAY);
	assert_local(ss[0].start, 2026, 3, 29, 0, 0);
	assert_local(ss[0].end, 2026, 3, 30, 0, 0);
	/* The day the clocks go forward is 23 hours long. */
	assert_int_equal((long)(ss[0].end - ss[0].start), 23L * 3600);
	/* While the day lasts, it is still the next session. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 3, 29, 20, 0), ss, 1),
	    1);
	assert_local(ss[0].start, 2026, 3, 29, 0, 0);
	buf_init(&b);
	schedule_format_when(&ss[0], &b);
	assert_string_equal(buf_cstr(&b), "Sun 29 Mar, all day");
	buf_reset(&b);
	schedule_format_session(&ss[0], &b);
	assert_string_equal(buf_cstr(&b), "Sun, all day");
	buf_free(&b);
}

static void
test_schedule_session_in_progress_is_next(void **state)
{
	struct schedule	s = mk("WEEKLY", 1, "TU", "", 600, 690);
	struct session	ss[1];

	(void)state;
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 13, 11, 0), ss, 1),
	    1);
	assert_local(ss[0].start, 2026, 1, 13, 10, 0);
	/* At closing time it is over. */
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 13, 11, 30), ss, 1),
	    1);
	assert_local(ss[0].start, 2026, 1, 20, 10, 0);
}

static void
test_schedule_merges_several_schedules_in_order(void **state)
{
	struct schedule	s[3];
	struct session	ss[5];

	(void)state;
	s[0] = mk("WEEKLY", 1, "TH", "", 840, 960);
	s[1] = mk("WEEKLY", 1, "TU", "", 600, 690);
	s[2] = mk("MONTHLY", 1, "1TU", "", 540, 570);
	assert_int_equal(schedule_next(s, 3, at(2026, 1, 31, 0, 0), ss, 5),
	    5);
	assert_local(ss[0].start, 2026, 2, 3, 9, 0);	/* monthly first */
	assert_int_equal(ss[0].sched, 2);
	assert_local(ss[1].start, 2026, 2, 3, 10, 0);
	assert_int_equal(ss[1].sched, 1);
	assert_local(ss[2].start, 2026, 2, 5, 14, 0);
	assert_int_equal(ss[2].sched, 0);
	assert_local(ss[3].start, 2026, 2, 10, 10, 0);
	assert_local(ss[4].start, 2026, 2, 12, 14, 0);
	/* max bounds the merged list, not each schedule. */
	assert_int_equal(schedule_next(s, 3, at(2026, 1, 31, 0, 0), ss, 2),
	    2);
	assert_local(ss[1].start, 2026, 2, 3, 10, 0);
}

static void
test_schedule_without_a_rule_has_no_sessions(void **state)
{
	struct schedule	s = mk("", 1, "", "", 600, 660);
	struct session	ss[2], one;

	(void)state;
	snprintf(s.description, sizeof(s.description), "By appointment");
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), ss, 2),
	    0);
	assert_int_equal(schedule_first(&s, NULL, &one), -1);
	/* Weekly with no weekday and no date to take one from. */
	s = mk("WEEKLY", 1, "", "", 600, 660);
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), ss, 2),
	    0);
	/* With a dtstart, the weekday is dtstart's (a Wednesday). */
	snprintf(s.dtstart, sizeof(s.dtstart), "2026-01-07");
	assert_int_equal(schedule_next(&s, 1, at(2026, 1, 1, 0, 0), ss, 2),
	    2);
	assert_local(ss[1].start, 2026, 1, 14, 10, 0);
}

static void
test_schedule_first_is_the_first_real_occurrence(void **state)
{
	struct schedule	s = mk("MONTHLY", 1, "1TU", "", 600, 720);
	struct session	one;

	(void)state;
	snprintf(s.valid_from, sizeof(s.valid_from), "2026-04-08");
	assert_int_equal(schedule_first(&s, NULL, &one), 0);
	assert_local(one.start, 2026, 5, 5, 10, 0);
	/* A floor later than valid_from wins. */
	assert_int_equal(schedule_first(&s, "2026-06-01", &one), 0);
	assert_local(one.start, 2026, 6, 2, 10, 0);
	assert_int_equal(schedule_first(&s, "2026-13-01", &one), -1);
}

static void
test_schedule_describe_says_it_in_plain_english(void **state)
{
	struct schedule	s;

	(void)state;
	s = mk("WEEKLY", 1, "TU", "", 600, 690);
	assert_describe(&s, "Every Tuesday, 10:00 to 11:30");
	s = mk("WEEKLY", 2, "WE", "", 780, 900);
	assert_describe(&s, "Every other Wednesday, 13:00 to 15:00");
	s = mk("MONTHLY", 1, "1MO", "", 1110, 1200);
	assert_describe(&s, "First Monday of the month, 18:30 to 20:00");
	s = mk("MONTHLY", 1, "-1FR", "", -1, -1);
	assert_describe(&s, "Last Friday of the month");
	s = mk("WEEKLY", 1, "TH,TU", "", 600, 720);
	assert_describe(&s, "Tuesdays and Thursdays, 10:00 to 12:00");
	s = mk("WEEKLY", 1, "MO,WE,FR", "", 600, -1);
	assert_describe(&s, "Mondays, Wednesdays and Fridays, from 10:00");
	s = mk("WEEKLY", 1, "MO,TU,WE,TH,FR", "", 540, 1020);
	assert_describe(&s, "Monday to Friday, 09:00 to 17:00");
	s = mk("WEEKLY", 3, "SA", "", 600, 720);
	assert_describe(&s, "Every 3 weeks on Saturday, 10:00 to 12:00");
	s = mk("MONTHLY", 1, "1TU,3TU", "", 600, 720);
	assert_describe(&s, "First and third Tuesday of the month, "
	    "10:00 to 12:00");
	s = mk("MONTHLY", 2, "2TH", "", -1, -1);
	assert_describe(&s, "Second Thursday of every other month");
	s = mk("MONTHLY", 1, "", "15", 600, 660);
	assert_describe(&s, "The 15th of the month, 10:00 to 11:00");
	s = mk("MONTHLY", 1, "", "-1", -1, -1);
	assert_describe(&s, "The last day of the month");
	s = mk("", 1, "", "", -1, -1);
	snprintf(s.description, sizeof(s.description), "By appointment");
	assert_describe(&s, "By appointment");
}

static void
test_schedule_describe_names_the_season(void **state)
{
	struct schedule	s = mk("WEEKLY", 1, "TU", "", 600, 690);

	(void)state;
	snprintf(s.valid_from, sizeof(s.valid_from), "2026-04-01");
	snprintf(s.valid_to, sizeof(s.valid_to), "2026-09-30");
	assert_describe(&s, "Every Tuesday, 10:00 to 11:30, "
	    "April to September 2026");
	snprintf(s.valid_from, sizeof(s.valid_from), "2026-11-01");
	snprintf(s.valid_to, sizeof(s.valid_to), "2027-02-28");
	assert_describe(&s, "Every Tuesday, 10:00 to 11:30, "
	    "November 2026 to February 2027");
	snprintf(s.valid_from, sizeof(s.valid_from), "2026-04-12");
	snprintf(s.valid_to, sizeof(s.valid_to), "2026-09-20");
	assert_describe(&s, "Every Tuesday, 10:00 to 11:30, "
	    "12 April to 20 September 2026");
	s.valid_to[0] = '\0';
	assert_describe(&s, "Every Tuesday, 10:00 to 11:30, "
	    "from 12 April 2026");
}

static void
test_schedule_has_ended_after_valid_to_day(void **state)
{
	struct schedule	s = mk("WEEKLY", 1, "SA", "", 600, 720);

	(void)state;
	assert_false(schedule_has_ended(&s, at(2030, 1, 1, 0, 0)));
	snprintf(s.valid_to, sizeof(s.valid_to), "2026-09-30");
	assert_false(schedule_has_ended(&s, at(2026, 9, 30, 23, 59)));
	assert_true(schedule_has_ended(&s, at(2026, 10, 1, 0, 0)));
}

static void
test_schedule_rrule_strings(void **state)
{
	struct schedule	s;
	struct buf	b;

	(void)state;
	s = mk("WEEKLY", 1, "TU", "", 600, 690);
	assert_rrule(&s, "FREQ=WEEKLY;BYDAY=TU");
	s = mk("WEEKLY", 2, "WE", "", 600, 690);
	assert_rrule(&s, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE");
	s = mk("MONTHLY", 1, "1TU", "", 600, 690);
	assert_rrule(&s, "FREQ=MONTHLY;BYDAY=1TU");
	s = mk("MONTHLY", 1, "-1FR", "", 600, 690);
	assert_rrule(&s, "FREQ=MONTHLY;BYDAY=-1FR");
	s = mk("MONTHLY", 1, "", "1,15", 600, 690);
	assert_rrule(&s, "FREQ=MONTHLY;BYMONTHDAY=1,15");
	/* No rule, or text that is not one, gives none. */
	buf_init(&b);
	s = mk("", 1, "", "", 600, 690);
	assert_int_equal(schedule_rrule(&s, &b), -1);
	s = mk("WEEKLY", 1, "TU;COUNT=1", "", 600, 690);
	assert_int_equal(schedule_rrule(&s, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_schedule_runs_on_and_open_at_for_filters(void **state)
{
	struct schedule	s;

	(void)state;
	s = mk("WEEKLY", 2, "TU,TH", "", 600, 690);
	assert_true(schedule_runs_on(&s, 2));
	assert_true(schedule_runs_on(&s, 4));
	assert_false(schedule_runs_on(&s, 3));
	assert_false(schedule_runs_on(&s, 7));
	assert_true(schedule_open_at(&s, 2, 600));
	assert_true(schedule_open_at(&s, 2, 689));
	assert_false(schedule_open_at(&s, 2, 690));
	assert_false(schedule_open_at(&s, 2, 599));
	assert_false(schedule_open_at(&s, 3, 620));
	s = mk("MONTHLY", 1, "-1FR", "", -1, -1);
	assert_true(schedule_runs_on(&s, 5));
	assert_true(schedule_open_at(&s, 5, 0));
	assert_true(schedule_open_at(&s, 5, 1439));
	s = mk("MONTHLY", 1, "", "15", 600, 660);
	assert_false(schedule_runs_on(&s, 1));
	s = mk("", 1, "", "", 600, 660);
	assert_false(schedule_runs_on(&s, 1));
}

static void
test_schedule_formats_sessions_and_dates(void **state)
{
	struct schedule	s = mk("WEEKLY", 1, "TU", "", 600, 690);
	struct session	ss[1];
	struct buf	b;

	(void)state;
	buf_init(&b);
	assert_int_equal(schedule_next(&s, 1, at(2026, 5, 1, 0, 0), ss, 1), 1);
	schedule_format_session(&ss[0], &b);
	assert_string_equal(buf_cstr(&b), "Tue 10:00\xe2\x80\x93" "11:30");
	buf_reset(&b);
	schedule_format_date(ss[0].start, &b);
	assert_string_equal(buf_cstr(&b), "Tue 5 May");
	buf_reset(&b);
	schedule_format_when(&ss[0], &b);
	assert_string_equal(buf_cstr(&b),
	    "Tue 5 May, 10:00\xe2\x80\x93" "11:30");
	s.closes = -1;
	assert_int_equal(schedule_next(&s, 1, at(2026, 5, 1, 0, 0), ss, 1), 1);
	assert_int_equal(ss[0].flags, SESSION_NO_END);
	buf_reset(&b);
	schedule_format_session(&ss[0], &b);
	assert_string_equal(buf_cstr(&b), "Tue from 10:00");
	buf_free(&b);
}

static void
test_schedule_parse_time_rejects_junk(void **state)
{
	(void)state;
	assert_int_equal(schedule_parse_time("10:30"), 630);
	assert_int_equal(schedule_parse_time("00:00"), 0);
	assert_int_equal(schedule_parse_time("23:59"), 1439);
	assert_int_equal(schedule_parse_time("24:00"), -1);
	assert_int_equal(schedule_parse_time("9:30"), -1);
	assert_int_equal(schedule_parse_time("10:60"), -1);
	assert_int_equal(schedule_parse_time("10:30:00"), -1);
	assert_int_equal(schedule_parse_time(""), -1);
	assert_int_equal(schedule_parse_time(NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_schedule_weekly_gives_each_tuesday_at_its_time),
		cmocka_unit_test(
		    test_schedule_fortnightly_counts_from_dtstart_week),
		cmocka_unit_test(
		    test_schedule_fortnightly_falls_back_to_valid_from_then_epoch),
		cmocka_unit_test(test_schedule_first_tuesday_of_month),
		cmocka_unit_test(
		    test_schedule_last_friday_in_months_with_five_fridays),
		cmocka_unit_test(
		    test_schedule_fifth_friday_skips_months_without_one),
		cmocka_unit_test(
		    test_schedule_month_day_counts_back_from_month_end),
		cmocka_unit_test(
		    test_schedule_every_other_month_counts_from_dtstart),
		cmocka_unit_test(
		    test_schedule_seasonal_window_crossing_year_end),
		cmocka_unit_test(
		    test_schedule_keeps_wall_clock_over_spring_change),
		cmocka_unit_test(
		    test_schedule_keeps_wall_clock_over_autumn_change),
		cmocka_unit_test(
		    test_schedule_all_day_session_spans_the_local_day),
		cmocka_unit_test(test_schedule_session_in_progress_is_next),
		cmocka_unit_test(
		    test_schedule_merges_several_schedules_in_order),
		cmocka_unit_test(test_schedule_without_a_rule_has_no_sessions),
		cmocka_unit_test(
		    test_schedule_first_is_the_first_real_occurrence),
		cmocka_unit_test(
		    test_schedule_describe_says_it_in_plain_english),
		cmocka_unit_test(test_schedule_describe_names_the_season),
		cmocka_unit_test(test_schedule_has_ended_after_valid_to_day),
		cmocka_unit_test(test_schedule_rrule_strings),
		cmocka_unit_test(test_schedule_runs_on_and_open_at_for_filters),
		cmocka_unit_test(test_schedule_formats_sessions_and_dates),
		cmocka_unit_test(test_schedule_parse_time_rejects_junk),
	};

	/* The process's clock is Scottish wall-clock time, as in main.c. */
	setenv("TZ", "Europe/London", 1);
	tzset();
	return (RUN_UNIT_TESTS("schedule", tests));
}
