/*
 * schedule: recurrence rules worked out on local calendar dates, then
 * turned into instants with mktime() so that the clock changes of
 * Europe/London never move a session's wall-clock time.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "schedule.h"

#define EPOCH_MONDAY	4L	/* 1970-01-05, day 4 after 1970-01-01 */
#define HORIZON_DAYS	(3L * 366 + 31)
#define MAX_PARTS	32
#define NO_DAY		LONG_MIN
#define EN_DASH		"\xe2\x80\x93"

enum freq { FREQ_NONE, FREQ_WEEKLY, FREQ_MONTHLY };

struct rule {
	enum freq	 freq;
	int		 interval;
	int		 nday;
	int		 ord[MAX_PARTS];	/* 0: every such weekday */
	int		 wday[MAX_PARTS];	/* 0 = Sunday */
	int		 nmday;
	int		 mday[MAX_PARTS];	/* 1..31 or -31..-1 */
	long		 anchor;		/* day number counting starts */
	long		 first;			/* NO_DAY: no lower bound */
	long		 last;			/* LONG_MAX: no upper bound */
};

static const char *const wd_code[7] = {
	"SU", "MO", "TU", "WE", "TH", "FR", "SA"
};
static const char *const wd_short[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const wd_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
static const char *const mon_short[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};
static const char *const mon_long[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

/*
 * Civil dates <-> days since 1970-01-01, proleptic Gregorian (Howard
 * Hinnant's algorithms): no time zone, no mktime, no range surprises.
 */
static long
days_from_civil(int y, int m, int d)
{
	long	era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long	era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static long
floor_div(long a, long b)
{
	return (a >= 0 ? a / b : -((-a + b - 1) / b));
}

static long
floor_mod(long a, long b)
{
	return (a - floor_div(a, b) * b);
}

static int
weekday(long z)
{
	return ((int)floor_mod(z + 4, 7));	/* 1970-01-01 was a Thursday */
}

static int
days_in_month(int y, int m)
{
	static const int	 dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (dim[m - 1]);
}

/* "YYYY-MM-DD" to a day number, NO_DAY when empty, -1 result if bad. */
static int
parse_date(const char *s, long *out)
{
	int	y, m, d;

	*out = NO_DAY;
	if (s == NULL || *s == '\0')
		return (0);
	if (str_to_date(s, &y, &m, &d) == -1 || y < 1900)
		return (-1);
	*out = days_from_civil(y, m, d);
	return (0);
}

int
schedule_parse_time(const char *s)
{
	int	mins;

	return (str_to_hhmm(s, &mins) == -1 ? -1 : mins);
}

static int
wday_from_code(const char *s)
{
	int	i;

	for (i = 0; i < 7; i++)
		if (s[0] == wd_code[i][0] && s[1] == wd_code[i][1])
			return (i);
	return (-1);
}

/* "1TU,-1FR,WE" into ordinals and weekdays. */
static int
parse_byday(const char *s, struct rule *r)
{
	const char	*p = s;
	int		 sign, n, w;

	r->nday = 0;
	while (*p != '\0') {
		if (r->nday == MAX_PARTS)
			return (-1);
		sign = 1;
		n = 0;
		if (*p == '+' || *p == '-')
			sign = *p++ == '-' ? -1 : 1;
		if (*p >= '1' && *p <= '5')
			n = *p++ - '0';
		if ((w = wday_from_code(p)) == -1)
			return (-1);
		p += 2;
		r->ord[r->nday] = sign * n;
		r->wday[r->nday] = w;
		r->nday++;
		if (*p == ',' && p[1] != '\0')
			p++;
		else if (*p != '\0')
			return (-1);
	}
	return (0);
}

static int
parse_bymonthday(const char *s, struct rule *r)
{
	const char	*p = s;
	int		 sign, n;

	r->nmday = 0;
	while (*p != '\0') {
		if (r->nmday == MAX_PARTS)
			return (-1);
		sign = 1;
		if (*p == '+' || *p == '-')
			sign = *p++ == '-' ? -1 : 1;
		if (*p < '0' || *p > '9')
			return (-1);
		n = *p++ - '0';
		if (*p >= '0' && *p <= '9')
			n = n * 10 + (*p++ - '0');
		if (n < 1 || n > 31)
			return (-1);
		r->mday[r->nmday++] = sign * n;
		if (*p == ',' && p[1] != '\0')
			p++;
		else if (*p != '\0')
			return (-1);
	}
	return (0);
}

/*
 * The rule as numbers.  -1 when there is no rule or it cannot be worked
 * out (no weekday given and no date to take one from).
 */
static int
compile(const struct schedule *s, struct rule *r)
{
	long	dtstart, from, to;
	int	y, m, d;

	memset(r, 0, sizeof(*r));
	if (strcmp(s->freq, "WEEKLY") == 0)
		r->freq = FREQ_WEEKLY;
	else if (strcmp(s->freq, "MONTHLY") == 0)
		r->freq = FREQ_MONTHLY;
	else
		return (-1);
	r->interval = s->interval >= 1 ? s->interval : 1;
	if (parse_byday(s->byday, r) == -1 ||
	    parse_bymonthday(s->bymonthday, r) == -1 ||
	    parse_date(s->dtstart, &dtstart) == -1 ||
	    parse_date(s->valid_from, &from) == -1 ||
	    parse_date(s->valid_to, &to) == -1)
		return (-1);
	if (r->freq == FREQ_WEEKLY) {
		/* Ordinals and month days only make sense monthly. */
		if (r->nmday > 0)
			return (-1);
		for (d = 0; d < r->nday; d++)
			if (r->ord[d] != 0)
				return (-1);
	}
	r->first = dtstart;
	if (from != NO_DAY && (r->first == NO_DAY || from > r->first))
		r->first = from;
	r->last = to != NO_DAY ? to : LONG_MAX;
	r->anchor = dtstart != NO_DAY ? dtstart : from;
	if (r->nday == 0 && r->nmday == 0) {
		/* RFC 5545: the rule takes its day from DTSTART. */
		if (r->anchor == NO_DAY)
			return (-1);
		if (r->freq == FREQ_WEEKLY) {
			r->wday[0] = weekday(r->anchor);
			r->nday = 1;
		} else {
			civil_from_days(r->anchor, &y, &m, &d);
			r->mday[0] = d;
			r->nmday = 1;
		}
	}
	if (r->anchor == NO_DAY)
		r->anchor = EPOCH_MONDAY;
	return (0);
}

static int
day_matches(const struct rule *r, long z)
{
	long	months;
	int	y, m, d, ay, am, ad, wd, dim, i, ok;

	if ((r->first != NO_DAY && z < r->first) || z > r->last)
		return (0);
	wd = weekday(z);
	if (r->freq == FREQ_WEEKLY) {
		/* Weeks run Monday to Sunday, as RFC 5545's default WKST. */
		if (floor_mod(floor_div(z - EPOCH_MONDAY, 7) -
		    floor_div(r->anchor - EPOCH_MONDAY, 7), r->interval) != 0)
			return (0);
		for (i = 0; i < r->nday; i++)
			if (r->wday[i] == wd)
				return (1);
		return (0);
	}
	civil_from_days(z, &y, &m, &d);
	civil_from_days(r->anchor, &ay, &am, &ad);
	months = (long)(y - ay) * 12 + (m - am);
	if (floor_mod(months, r->interval) != 0)
		return (0);
	dim = days_in_month(y, m);
	ok = r->nday == 0;
	for (i = 0; i < r->nday && !ok; i++) {
		if (r->wday[i] != wd)
			continue;
		if (r->ord[i] == 0 ||
		    (r->ord[i] > 0 && (d - 1) / 7 + 1 == r->ord[i]) ||
		    (r->ord[i] < 0 && (dim - d) / 7 + 1 == -r->ord[i]))
			ok = 1;
	}
	if (!ok)
		return (0);
	if (r->nmday == 0)
		return (1);
	for (i = 0; i < r->nmday; i++)
		if ((r->mday[i] > 0 && d == r->mday[i]) ||
		    (r->mday[i] < 0 && d == dim + r->mday[i] + 1))
			return (1);
	return (0);
}

/* Local wall-clock time on day z; the clock change is mktime's job. */
static time_t
local_time(long z, int minute)
{
	struct tm	tm;
	int		y, m, d;

	civil_from_days(z, &y, &m, &d);
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_isdst = -1;
	return (mktime(&tm));
}

static void
make_session(const struct schedule *s, long z, int idx, struct session *o)
{
	memset(o, 0, sizeof(*o));
	o->sched = idx;
	if (s->opens < 0) {
		o->flags = SESSION_ALL_DAY;
		o->start = local_time(z, 0);
		o->end = local_time(z + 1, 0);
	} else if (s->closes < 0 || s->closes <= s->opens) {
		o->flags = SESSION_NO_END;
		o->start = o->end = local_time(z, s->opens);
	} else {
		o->start = local_time(z, s->opens);
		o->end = local_time(z, s->closes);
	}
}

static long
local_day(time_t t)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL)
		return (0);
	return (days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday));
}

static int
session_cmp(const void *a, const void *b)
{
	const struct session	*x = a, *y = b;

	if (x->start != y->start)
		return (x->start < y->start ? -1 : 1);
	if (x->end != y->end)
		return (x->end < y->end ? -1 : 1);
	return (x->sched - y->sched);
}

int
schedule_next(const struct schedule *s, size_t n, time_t after,
    struct session *out, size_t max)
{
	struct session	*all, cur;
	struct rule	 r;
	size_t		 i, got, total = 0;
	long		 z, from, to;

	if (n == 0 || max == 0)
		return (0);
	if (n > SIZE_MAX / sizeof(*all) / max ||
	    (all = calloc(n * max, sizeof(*all))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		if (compile(&s[i], &r) == -1)
			continue;
		/* The day before: a session in progress may have begun then. */
		from = local_day(after) - 1;
		if (r.first != NO_DAY && r.first > from)
			from = r.first;
		to = from + HORIZON_DAYS;
		if (r.last < to)
			to = r.last;
		for (z = from, got = 0; z <= to && got < max; z++) {
			if (!day_matches(&r, z))
				continue;
			make_session(&s[i], z, (int)i, &cur);
			if (cur.end > after ||
			    (cur.end == cur.start && cur.start >= after)) {
				all[total++] = cur;
				got++;
			}
		}
	}
	qsort(all, total, sizeof(*all), session_cmp);
	if (total > max)
		total = max;
	memcpy(out, all, total * sizeof(*all));
	free(all);
	return ((int)total);
}

int
schedule_first(const struct schedule *s, const char *floor,
    struct session *out)
{
	struct rule	r;
	long		z, to, fl;

	if (compile(s, &r) == -1 || parse_date(floor, &fl) == -1)
		return (-1);
	z = r.first != NO_DAY ? r.first : r.anchor;
	if (fl != NO_DAY && fl > z)
		z = fl;
	to = z + HORIZON_DAYS;
	if (r.last < to)
		to = r.last;
	for (; z <= to; z++) {
		if (day_matches(&r, z)) {
			make_session(s, z, 0, out);
			return (0);
		}
	}
	return (-1);
}

/* Copy text cut at a UTF-8 character boundary when it does not fit. */
static void
copy_cut(char *dst, size_t len, const char *src)
{
	size_t	n;

	if (str_copy(dst, len, src) == 0)
		return;
	n = len - 1;
	while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
		n--;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
schedule_from_row(const struct db_result *res, int row, int c,
    struct schedule *s)
{
	const char	*v;
	long long	 ll;
	long		 z;

	memset(s, 0, sizeof(*s));
	s->interval = 1;
	s->opens = s->closes = -1;
	if (db_cols(res) < c + SCHEDULE_NCOLUMNS)
		return (-1);
#define COL(i)	(db_isnull(res, row, c + (i)) ? "" :			\
	    db_value(res, row, c + (i)))
	if (str_copy(s->id, sizeof(s->id), COL(0)) == -1 ||
	    str_copy(s->freq, sizeof(s->freq), COL(1)) == -1 ||
	    str_copy(s->byday, sizeof(s->byday), COL(3)) == -1 ||
	    str_copy(s->bymonthday, sizeof(s->bymonthday), COL(4)) == -1 ||
	    str_copy(s->valid_from, sizeof(s->valid_from), COL(7)) == -1 ||
	    str_copy(s->valid_to, sizeof(s->valid_to), COL(8)) == -1 ||
	    str_copy(s->dtstart, sizeof(s->dtstart), COL(9)) == -1)
		return (-1);
	if (*(v = COL(2)) != '\0') {
		if (str_to_ll(v, 1, 1000, &ll) == -1)
			return (-1);
		s->interval = (int)ll;
	}
	if (*(v = COL(5)) != '\0' && (s->opens = schedule_parse_time(v)) == -1)
		return (-1);
	if (*(v = COL(6)) != '\0' &&
	    (s->closes = schedule_parse_time(v)) == -1)
		return (-1);
	if (parse_date(s->valid_from, &z) == -1 ||
	    parse_date(s->valid_to, &z) == -1 ||
	    parse_date(s->dtstart, &z) == -1)
		return (-1);
	copy_cut(s->description, sizeof(s->description), COL(10));
#undef COL
	return (0);
}

/* Formatting. */

static void
put_hm(struct buf *b, int minute)
{
	buf_printf(b, "%02d:%02d", minute / 60, minute % 60);
}

static void
put_clock(struct buf *b, time_t t)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL)
		return;
	buf_printf(b, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static void
put_day(struct buf *b, time_t t, int with_date)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL)
		return;
	buf_puts(b, wd_short[tm.tm_wday]);
	if (with_date)
		buf_printf(b, " %d %s", tm.tm_mday, mon_short[tm.tm_mon]);
}

static void
put_times(const struct session *ss, struct buf *b)
{
	if (ss->flags & SESSION_ALL_DAY)
		buf_puts(b, ", all day");
	else if (ss->flags & SESSION_NO_END) {
		buf_puts(b, " from ");
		put_clock(b, ss->start);
	} else {
		buf_puts(b, " ");
		put_clock(b, ss->start);
		buf_puts(b, EN_DASH);
		put_clock(b, ss->end);
	}
}

void
schedule_format_session(const struct session *ss, struct buf *b)
{
	put_day(b, ss->start, 0);
	put_times(ss, b);
}

void
schedule_format_date(time_t t, struct buf *b)
{
	put_day(b, t, 1);
}

void
schedule_format_when(const struct session *ss, struct buf *b)
{
	put_day(b, ss->start, 1);
	if (ss->flags & (SESSION_ALL_DAY | SESSION_NO_END))
		put_times(ss, b);
	else {
		buf_puts(b, ",");
		put_times(ss, b);
	}
}

static const char *
ordinal_word(int n)
{
	static const char *const pos[] = {
		"", "first", "second", "third", "fourth", "fifth"
	};
	static const char *const neg[] = {
		"", "last", "second to last", "third to last",
		"fourth to last", "fifth to last"
	};

	if (n > 0 && n <= 5)
		return (pos[n]);
	if (n < 0 && n >= -5)
		return (neg[-n]);
	return ("");
}

static const char *
nth_suffix(int n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return ("th");
	switch (n % 10) {
	case 1:
		return ("st");
	case 2:
		return ("nd");
	case 3:
		return ("rd");
	default:
		return ("th");
	}
}

/* ", " between items and " and " before the last. */
static void
put_sep(struct buf *b, int i, int n)
{
	if (i == 0)
		return;
	buf_puts(b, i == n - 1 ? " and " : ", ");
}

/* Weekdays of a weekly rule as a bit mask, Monday first when listed. */
static unsigned int
day_mask(const struct rule *r)
{
	unsigned int	mask = 0;
	int		i;

	for (i = 0; i < r->nday; i++)
		mask |= 1u << r->wday[i];
	return (mask);
}

static int
mask_count(unsigned int mask)
{
	int	n = 0;

	for (; mask != 0; mask >>= 1)
		n += mask & 1;
	return (n);
}

static void
put_day_list(struct buf *b, unsigned int mask, int plural)
{
	int	i, k = 0, n = mask_count(mask), w;

	for (i = 0; i < 7; i++) {
		w = (i + 1) % 7;	/* Monday first, Sunday last */
		if (!(mask & (1u << w)))
			continue;
		put_sep(b, k++, n);
		buf_puts(b, wd_long[w]);
		if (plural)
			buf_puts(b, "s");
	}
}

#define WEEKDAYS_MASK	0x3e	/* Monday to Friday */

static void
describe_weekly(const struct rule *r, struct buf *b)
{
	unsigned int	mask = day_mask(r);
	int		n = mask_count(mask);

	if (mask == 0x7f)
		buf_puts(b, r->interval == 1 ? "Every day" :
		    r->interval == 2 ? "Every day, every other week" : "");
	else if (mask == WEEKDAYS_MASK)
		buf_puts(b, r->interval == 1 ? "Monday to Friday" :
		    r->interval == 2 ? "Monday to Friday, every other week" :
		    "");
	else if (r->interval == 1 && n == 1) {
		buf_puts(b, "Every ");
		put_day_list(b, mask, 0);
	} else if (r->interval == 1)
		put_day_list(b, mask, 1);
	else if (r->interval == 2 && n == 1) {
		buf_puts(b, "Every other ");
		put_day_list(b, mask, 0);
	} else if (r->interval == 2) {
		buf_puts(b, "Every other week on ");
		put_day_list(b, mask, 1);
	}
	if (r->interval > 2) {
		buf_printf(b, "Every %d weeks on ", r->interval);
		put_day_list(b, mask, n > 1);
	}
}

static void
put_capital(struct buf *b, const char *s)
{
	if (b->len == 0 && s[0] >= 'a' && s[0] <= 'z') {
		buf_printf(b, "%c", s[0] - 'a' + 'A');
		buf_puts(b, s + 1);
	} else
		buf_puts(b, s);
}

static void
describe_monthly(const struct rule *r, struct buf *b)
{
	int	i, same = 1, every = 0;

	for (i = 1; i < r->nday; i++)
		if (r->wday[i] != r->wday[0])
			same = 0;
	for (i = 0; i < r->nday; i++)
		if (r->ord[i] == 0)
			every = 1;
	if (r->nday > 0 && every) {
		/* "MONTHLY;BYDAY=TU" is every Tuesday, in whole months. */
		put_capital(b, r->nday == 1 ? "every " : "");
		put_day_list(b, day_mask(r), r->nday > 1);
	} else if (r->nday > 0) {
		for (i = 0; i < r->nday; i++) {
			put_sep(b, i, r->nday);
			put_capital(b, ordinal_word(r->ord[i]));
			if (!same || i == r->nday - 1) {
				buf_puts(b, " ");
				buf_puts(b, wd_long[r->wday[i]]);
			}
		}
	}
	if (r->nmday > 0) {
		if (r->nday > 0)
			buf_puts(b, ", when it is");
		put_capital(b, r->nday > 0 ? " the " : "the ");
		for (i = 0; i < r->nmday; i++) {
			put_sep(b, i, r->nmday);
			if (r->mday[i] < 0 && r->mday[i] >= -5)
				buf_printf(b, "%s day",
				    ordinal_word(r->mday[i]));
			else if (r->mday[i] < 0)
				buf_printf(b, "%d%s to last day", -r->mday[i],
				    nth_suffix(-r->mday[i]));
			else
				buf_printf(b, "%d%s", r->mday[i],
				    nth_suffix(r->mday[i]));
		}
	}
	if (every && r->nmday == 0) {
		if (r->interval == 2)
			buf_puts(b, ", every other month");
		else if (r->interval > 2)
			buf_printf(b, ", every %d months", r->interval);
		return;
	}
	if (r->interval == 1)
		buf_puts(b, " of the month");
	else if (r->interval == 2)
		buf_puts(b, " of every other month");
	else
		buf_printf(b, " of every %d months", r->interval);
}

static void
put_long_date(struct buf *b, long z, int with_year)
{
	int	y, m, d;

	civil_from_days(z, &y, &m, &d);
	buf_printf(b, "%d %s", d, mon_long[m - 1]);
	if (with_year)
		buf_printf(b, " %d", y);
}

static void
describe_season(const struct schedule *s, struct buf *b)
{
	long	from, to;
	int	fy, fm, fd, ty, tm, td;

	if (parse_date(s->valid_from, &from) == -1 ||
	    parse_date(s->valid_to, &to) == -1 ||
	    (from == NO_DAY && to == NO_DAY))
		return;
	buf_puts(b, b->len > 0 ? ", " : "");
	if (to == NO_DAY) {
		put_capital(b, "from ");
		put_long_date(b, from, 1);
		return;
	}
	if (from == NO_DAY) {
		put_capital(b, "until ");
		put_long_date(b, to, 1);
		return;
	}
	civil_from_days(from, &fy, &fm, &fd);
	civil_from_days(to, &ty, &tm, &td);
	if (fd == 1 && td == days_in_month(ty, tm)) {
		/* Whole months: "April to September 2026". */
		if (fy == ty && fm == tm)
			buf_printf(b, "%s %d only", mon_long[fm - 1], fy);
		else if (fy == ty)
			buf_printf(b, "%s to %s %d", mon_long[fm - 1],
			    mon_long[tm - 1], ty);
		else
			buf_printf(b, "%s %d to %s %d", mon_long[fm - 1], fy,
			    mon_long[tm - 1], ty);
		return;
	}
	put_long_date(b, from, fy != ty);
	buf_puts(b, " to ");
	put_long_date(b, to, 1);
}

void
schedule_describe(const struct schedule *s, struct buf *b)
{
	struct buf	t;
	struct rule	r;

	buf_init(&t);
	if (compile(s, &r) == 0) {
		if (r.freq == FREQ_WEEKLY)
			describe_weekly(&r, &t);
		else
			describe_monthly(&r, &t);
	} else if (strcmp(s->freq, "WEEKLY") == 0)
		buf_puts(&t, s->interval == 2 ? "Every other week" : "Weekly");
	else if (strcmp(s->freq, "MONTHLY") == 0)
		buf_puts(&t, "Monthly");
	else {
		buf_puts(b, s->description);
		buf_free(&t);
		return;
	}
	if (s->opens >= 0) {
		buf_puts(&t, s->closes > s->opens ? ", " : ", from ");
		put_hm(&t, s->opens);
		if (s->closes > s->opens) {
			buf_puts(&t, " to ");
			put_hm(&t, s->closes);
		}
	}
	describe_season(s, &t);
	buf_puts(b, buf_cstr(&t));
	buf_free(&t);
}

static int
rule_chars_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    *s == ',' || *s == '+' || *s == '-'))
			return (0);
	return (1);
}

int
schedule_rrule(const struct schedule *s, struct buf *b)
{
	struct rule	r;

	if ((strcmp(s->freq, "WEEKLY") != 0 &&
	    strcmp(s->freq, "MONTHLY") != 0) || !rule_chars_ok(s->byday) ||
	    !rule_chars_ok(s->bymonthday))
		return (-1);
	if (parse_byday(s->byday, &r) == -1 ||
	    parse_bymonthday(s->bymonthday, &r) == -1)
		return (-1);
	buf_printf(b, "FREQ=%s", s->freq);
	if (s->interval > 1)
		buf_printf(b, ";INTERVAL=%d", s->interval);
	if (s->byday[0] != '\0')
		buf_printf(b, ";BYDAY=%s", s->byday);
	if (s->bymonthday[0] != '\0')
		buf_printf(b, ";BYMONTHDAY=%s", s->bymonthday);
	return (0);
}

int
schedule_has_ended(const struct schedule *s, time_t now)
{
	long	to;

	if (parse_date(s->valid_to, &to) == -1 || to == NO_DAY)
		return (0);
	return (to < local_day(now));
}

int
schedule_runs_on(const struct schedule *s, int wday)
{
	struct rule	r;
	int		i;

	if (wday < 0 || wday > 6 || compile(s, &r) == -1)
		return (0);
	for (i = 0; i < r.nday; i++)
		if (r.wday[i] == wday)
			return (1);
	return (0);
}

int
schedule_open_at(const struct schedule *s, int wday, int minute)
{
	if (minute < 0 || minute >= 24 * 60 || !schedule_runs_on(s, wday))
		return (0);
	if (s->opens < 0)
		return (1);
	if (s->closes > s->opens)
		return (minute >= s->opens && minute < s->closes);
	return (minute >= s->opens);
}
