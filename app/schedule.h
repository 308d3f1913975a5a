/*
 * schedule: opening times as RFC 5545 recurrence rules (table schedule),
 * their next sessions, and how to say them to a person.  All times are
 * Europe/London wall clock through the process TZ (main.c sets it), so a
 * 10:00 session stays at 10:00 across clock changes.  Thread-safe: no
 * state; results go into the caller's structs and buffers.
 */
#ifndef SCHEDULE_H
#define SCHEDULE_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

struct db_result;

struct schedule {
	char	id[37];
	char	freq[8];		/* WEEKLY|MONTHLY; "": text only */
	int	interval;		/* >= 1; 2 = fortnightly when WEEKLY */
	char	byday[64];		/* RFC 5545: TU / MO,WE / 1TU / -1FR */
	char	bymonthday[64];		/* 15 / 1,15 / -1 */
	int	opens;			/* minutes after midnight, -1 unknown */
	int	closes;			/* -1 unknown */
	char	valid_from[11], valid_to[11], dtstart[11]; /* YYYY-MM-DD|"" */
	char	description[512];
};

#define SESSION_ALL_DAY	0x01	/* no times: start/end are local midnights */
#define SESSION_NO_END	0x02	/* closing time unknown: end == start */

struct session {
	time_t		start, end;
	unsigned int	flags;
	int		sched;		/* index into the array given */
};

/*
 * The SELECT-list fragment over table schedule aliased "sch", in the order
 * schedule_from_row reads it (SCHEDULE_NCOLUMNS columns from col0).
 */
#define SCHEDULE_COLUMNS \
	"sch.id, sch.freq, sch.\"interval\", sch.byday, sch.bymonthday, " \
	"to_char(sch.opens_at, 'HH24:MI'), " \
	"to_char(sch.closes_at, 'HH24:MI'), " \
	"to_char(sch.valid_from, 'YYYY-MM-DD'), " \
	"to_char(sch.valid_to, 'YYYY-MM-DD'), " \
	"to_char(sch.dtstart, 'YYYY-MM-DD'), sch.description"
#define SCHEDULE_NCOLUMNS	11

/* 0, or -1 when a column does not parse (a truncated or odd row). */
int	schedule_from_row(const struct db_result *, int, int,
	    struct schedule *);

/*
 * The sessions of all n schedules (one service) that have not ended at
 * `after' (a session in progress counts), merged and sorted by start;
 * at most max.  Returns the count, or -1 if memory ran out.  Rules:
 *  - WEEKLY with interval N counts weeks (Monday to Sunday) from the week
 *    of dtstart, else valid_from, else Monday 5 January 1970, so "every
 *    other Tuesday" is the same fortnight for every caller.
 *  - MONTHLY counts months the same way; BYDAY ordinals (1TU, -1FR) and
 *    BYMONTHDAY (15, -1) as in RFC 5545 (both given: both must match).
 *  - No BYDAY (and, monthly, no BYMONTHDAY): the weekday (day of month)
 *    of dtstart, else valid_from; neither: no sessions.
 *  - Nothing before dtstart or valid_from, nothing after valid_to.
 * Looks at most about three years ahead.
 */
int	schedule_next(const struct schedule *, size_t, time_t,
	    struct session *, size_t);
/* The first session ever (from dtstart/valid_from/the epoch) on or after
 * local date "YYYY-MM-DD" (NULL: no floor).  0, or -1 if there is none. */
int	schedule_first(const struct schedule *, const char *,
	    struct session *);

/* "Tue 10:00–11:30" (en dash), "Tue from 10:00", "Tue, all day". */
void	schedule_format_session(const struct session *, struct buf *);
/* "Tue 12 May". */
void	schedule_format_date(time_t, struct buf *);
/* "Tue 12 May, 10:00–11:30", "Tue 12 May, all day". */
void	schedule_format_when(const struct session *, struct buf *);
/*
 * Plain English: "Every Tuesday, 10:00 to 11:30", "Every other Wednesday,
 * 13:00 to 15:00", "First Monday of the month, 18:30 to 20:00", "Last
 * Friday of the month", "Tuesdays and Thursdays, 10:00 to 12:00", with
 * ", April to September 2026" for a seasonal one.  A schedule with no
 * rule gives its description (maybe "").
 */
void	schedule_describe(const struct schedule *, struct buf *);
/* "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" (no UNTIL); -1 if there is no rule. */
int	schedule_rrule(const struct schedule *, struct buf *);

/*
 * For search filters, ignoring seasons: does it run on weekday wday
 * (0 = Sunday)?  A rule by month day only (BYMONTHDAY=15) has no fixed
 * weekday and answers 0.  schedule_open_at: runs that day and minute is
 * within opening hours; no times counts as all day, no closing time as
 * open until midnight.
 */
int	schedule_runs_on(const struct schedule *, int);
int	schedule_open_at(const struct schedule *, int, int);

/* 1 if valid_to is before the local date of `now' (the season is over). */
int	schedule_has_ended(const struct schedule *, time_t);

/* "HH:MM" to minutes after midnight; -1 if malformed. */
int	schedule_parse_time(const char *);

#endif
