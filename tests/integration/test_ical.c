/*
 * The iCalendar feed, /services/{id}/calendar.ics, checked by a real
 * parser: tests/integration/check_ics.py parses each body with
 * python3-icalendar, expands the RRULEs with python3-dateutil in
 * Europe/London time and prints what it found as JSON; the expected dates
 * below were worked out with Python's calendar module.  Each test makes
 * its own services with a random suffix.
 */
#include <sys/wait.h>

#include <time.h>
#include <unistd.h>

#include "harness.h"

#define CHECKER	"tests/integration/check_ics.py"

static char	suffix[16];

static const char *
root_dir(void)
{
	const char	*r = getenv("SIGNPOST_TEST_ROOT");

	return (r != NULL ? r : ".");
}

/* A service with one location; ids into svc and loc (37 bytes each). */
static void
make_service(const char *name, const char *status, char *svc, char *loc)
{
	char		 org[64], full[512];
	const char	*p[4];

	snprintf(full, sizeof(full), "%s %s", name, suffix);
	p[0] = full;
	sql_str("INSERT INTO organization (name) VALUES ('Test org ' || $1)"
	    " RETURNING id", 1, p, org, sizeof(org));
	p[0] = org;
	p[1] = full;
	p[2] = status;
	sql_str("INSERT INTO service (organization_id, name, status, kind)"
	    " VALUES ($1, $2, $3, 'activity') RETURNING id", 3, p, svc, 37);
	p[0] = org;
	sql_str("INSERT INTO location (organization_id, name, address_1,"
	    " city, postal_code, latitude, longitude, grid) VALUES ($1,"
	    " 'Whiteinch Centre', '1 Northinch Street', 'Glasgow', 'G14 0UG',"
	    " 55.8717, -4.3335, point(253470, 666650)) RETURNING id", 1, p,
	    loc, 37);
	p[0] = svc;
	p[1] = loc;
	PQclear(test_sql("INSERT INTO service_at_location (service_id,"
	    " location_id) VALUES ($1, $2)", 2, p));
}

/* Empty strings are NULL.  The schedule's id goes into id (37 bytes). */
static void
add_schedule(const char *svc, const char *freq, const char *interval,
    const char *byday, const char *bymd, const char *opens,
    const char *closes, const char *dtstart, const char *from,
    const char *to, const char *desc, char *id)
{
	const char	*p[11] = { svc, freq, interval, byday, bymd, opens,
	    closes, dtstart, from, to, desc };

	sql_str("INSERT INTO schedule (service_id, freq, \"interval\","
	    " byday, bymonthday, opens_at, closes_at, dtstart, valid_from,"
	    " valid_to, description) VALUES ($1, NULLIF($2, ''),"
	    " COALESCE(NULLIF($3, '')::int, 1), NULLIF($4, ''),"
	    " NULLIF($5, ''), NULLIF($6, '')::time, NULLIF($7, '')::time,"
	    " NULLIF($8, '')::date, NULLIF($9, '')::date,"
	    " NULLIF($10, '')::date, NULLIF($11, '')) RETURNING id", 11, p,
	    id, 37);
}

/*
 * Run the checker on a body; returns its exit status and the JSON it
 * printed (NULL if none).
 */
static int
check_ics_run(const char *body, size_t len, cJSON **json, int quiet)
{
	char	 path[] = "/tmp/signpost-ics-XXXXXX", cmd[1024];
	char	*out = NULL, chunk[4096];
	size_t	 olen = 0, n;
	FILE	*f;
	int	 fd, st;

	*json = NULL;
	assert_true((fd = mkstemp(path)) != -1);
	assert_true(write(fd, body, len) == (ssize_t)len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/%s %s 6%s", root_dir(),
	    CHECKER, path, quiet ? " 2>/dev/null" : "");
	assert_non_null(f = popen(cmd, "r"));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		assert_non_null(out = realloc(out, olen + n + 1));
		memcpy(out + olen, chunk, n);
		olen += n;
		out[olen] = '\0';
	}
	st = pclose(f);
	unlink(path);
	if (out != NULL) {
		*json = cJSON_Parse(out);
		free(out);
	}
	return (WIFEXITED(st) ? WEXITSTATUS(st) : 255);
}

static int
check_ics(const char *body, size_t len, cJSON **json)
{
	return (check_ics_run(body, len, json, 0));
}

/* Fetch a calendar, insist it is valid, return the checker's JSON. */
static cJSON *
fetch_valid(const char *svc, struct resp *r)
{
	char	 path[256], ctype[128];
	cJSON	*j;

	snprintf(path, sizeof(path), "/services/%s/calendar.ics", svc);
	*r = http_get(path);
	assert_status(r, 200);
	resp_header(r, "Content-Type", ctype, sizeof(ctype));
	assert_string_equal(ctype, "text/calendar; charset=utf-8");
	assert_int_equal(check_ics(r->body, r->len, &j), 0);
	assert_non_null(j);
	return (j);
}

static cJSON *
find_event(cJSON *j, const char *sched)
{
	cJSON	*ev, *uid;
	size_t	 n = strlen(sched);

	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(j, "events")) {
		uid = cJSON_GetObjectItem(ev, "uid");
		if (cJSON_IsString(uid) &&
		    strncmp(uid->valuestring, sched, n) == 0 &&
		    uid->valuestring[n] == '@' && uid->valuestring[n + 1] != '\0')
			return (ev);
	}
	fail_msg("no VEVENT for schedule %s", sched);
	return (NULL);
}

static const char *
str_of(cJSON *ev, const char *key)
{
	cJSON	*v = cJSON_GetObjectItem(ev, key);

	if (!cJSON_IsString(v))
		fail_msg("event has no string \"%s\"", key);
	return (v->valuestring);
}

static int
int_of(cJSON *ev, const char *key)
{
	cJSON	*v = cJSON_GetObjectItem(ev, key);

	if (!cJSON_IsNumber(v))
		fail_msg("event has no number \"%s\"", key);
	return (v->valueint);
}

/* The occurrences, in order, are exactly want (NULL-terminated prefix). */
static void
assert_occurrences(cJSON *ev, const char *const *want)
{
	cJSON	*occ = cJSON_GetObjectItem(ev, "occurrences");
	int	 i;

	assert_true(cJSON_IsArray(occ));
	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < cJSON_GetArraySize(occ));
		assert_string_equal(cJSON_GetArrayItem(occ, i)->valuestring,
		    want[i]);
	}
}

static void
test_ical_weekly_stays_at_10am_across_the_spring_change(void **state)
{
	char		 svc[37], loc[37], sch[37];
	struct resp	 r;
	cJSON		*j, *ev;
	const char	*want[] = {
		"2026-03-17 Tue 10:00 +0000", "2026-03-24 Tue 10:00 +0000",
		"2026-03-31 Tue 10:00 +0100", "2026-04-07 Tue 10:00 +0100",
		NULL
	};

	(void)state;
	make_service("Weekly knit", "active", svc, loc);
	add_schedule(svc, "WEEKLY", "1", "TU", "", "10:00", "11:30",
	    "2026-03-17", "", "", "", sch);
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	assert_string_equal(str_of(ev, "rrule"), "FREQ=WEEKLY;BYDAY=TU");
	assert_int_equal(int_of(ev, "minutes"), 90);
	assert_occurrences(ev, want);
	assert_true(strstr(r.body, "DTSTART;TZID=Europe/London:20260317T100000"
	    "\r\n") != NULL);
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_fortnightly_repeats_every_other_week(void **state)
{
	char		 svc[37], loc[37], sch[37];
	struct resp	 r;
	cJSON		*j, *ev;
	const char	*want[] = {
		"2026-01-07 Wed 13:00 +0000", "2026-01-21 Wed 13:00 +0000",
		"2026-02-04 Wed 13:00 +0000", "2026-02-18 Wed 13:00 +0000",
		NULL
	};

	(void)state;
	make_service("Fortnightly lunch", "active", svc, loc);
	add_schedule(svc, "WEEKLY", "2", "WE", "", "13:00", "15:00",
	    "2026-01-07", "", "", "", sch);
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	assert_non_null(strstr(str_of(ev, "rrule"), "INTERVAL=2"));
	assert_occurrences(ev, want);
	assert_non_null(strstr(str_of(ev, "description"),
	    "Every other Wednesday, 13:00 to 15:00"));
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_fortnightly_without_a_start_follows_fixed_weeks(void **state)
{
	char		 svc[37], loc[37], sch[37], day[16];
	struct resp	 r;
	cJSON		*j, *ev, *occ, *o;
	struct tm	 tm;
	time_t		 t;
	long		 days;

	(void)state;
	make_service("Fortnightly drop-in", "active", svc, loc);
	add_schedule(svc, "WEEKLY", "2", "TU", "", "10:00", "11:00", "", "",
	    "", "", sch);
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	occ = cJSON_GetObjectItem(ev, "occurrences");
	assert_int_equal(cJSON_GetArraySize(occ), 6);
	/* Counted from listing (today): the first is within a fortnight. */
	assert_true(strncmp(str_of(ev, "dtstart"), "19", 2) != 0);
	cJSON_ArrayForEach(o, occ) {
		/* Tuesdays of even weeks counted from Monday 5 Jan 1970. */
		memset(&tm, 0, sizeof(tm));
		assert_int_equal(sscanf(o->valuestring, "%4d-%2d-%2d",
		    &tm.tm_year, &tm.tm_mon, &tm.tm_mday), 3);
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		t = timegm(&tm);
		days = (long)(t / 86400);
		snprintf(day, sizeof(day), "%s", o->valuestring + 11);
		assert_memory_equal(day, "Tue 10:00", 9);
		assert_int_equal(((days - 4) / 7) % 2, 0);
	}
	t = time(NULL);
	memset(&tm, 0, sizeof(tm));
	o = cJSON_GetArrayItem(occ, 0);
	sscanf(o->valuestring, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	assert_true(timegm(&tm) >= t - 2 * 86400);
	assert_true(timegm(&tm) <= t + 15 * 86400);
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_first_tuesday_of_each_month(void **state)
{
	char		 svc[37], loc[37], sch[37];
	struct resp	 r;
	cJSON		*j, *ev;
	const char	*want[] = {
		"2026-01-06 Tue 18:30 +0000", "2026-02-03 Tue 18:30 +0000",
		"2026-03-03 Tue 18:30 +0000", "2026-04-07 Tue 18:30 +0100",
		"2026-05-05 Tue 18:30 +0100", "2026-06-02 Tue 18:30 +0100",
		NULL
	};

	(void)state;
	make_service("Money advice evening", "active", svc, loc);
	/* dtstart is a Thursday: DTSTART must move to a real first Tuesday. */
	add_schedule(svc, "MONTHLY", "1", "1TU", "", "18:30", "20:00",
	    "2026-01-01", "", "", "", sch);
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	assert_string_equal(str_of(ev, "rrule"), "FREQ=MONTHLY;BYDAY=1TU");
	assert_string_equal(str_of(ev, "dtstart"),
	    "2026-01-06 Tue 18:30 +0000");
	assert_occurrences(ev, want);
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_last_friday_all_day_in_five_friday_months(void **state)
{
	char		 svc[37], loc[37], sch[37];
	struct resp	 r;
	cJSON		*j, *ev;
	const char	*want[] = {
		"2026-01-30 Fri", "2026-02-27 Fri", "2026-03-27 Fri",
		"2026-04-24 Fri", "2026-05-29 Fri", "2026-06-26 Fri", NULL
	};

	(void)state;
	make_service("Community fridge", "active", svc, loc);
	add_schedule(svc, "MONTHLY", "1", "-1FR", "", "", "", "2026-01-01",
	    "", "", "", sch);
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	assert_string_equal(str_of(ev, "rrule"), "FREQ=MONTHLY;BYDAY=-1FR");
	assert_int_equal(int_of(ev, "days"), 1);
	assert_occurrences(ev, want);
	assert_non_null(strstr(r.body, "DTSTART;VALUE=DATE:20260130\r\n"));
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_last_sunday_on_the_autumn_change_day(void **state)
{
	char		 svc[37], loc[37], sch[37];
	struct resp	 r;
	cJSON		*j, *ev;
	const char	*want[] = {
		"2026-09-27 Sun 10:00 +0100", "2026-10-25 Sun 10:00 +0000",
		"2026-11-29 Sun 10:00 +0000", NULL
	};

	(void)state;
	make_service("Sunday walk", "active", svc, loc);
	add_schedule(svc, "MONTHLY", "1", "-1SU", "", "10:00", "12:00",
	    "2026-09-01", "", "", "", sch);
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	assert_occurrences(ev, want);
	assert_int_equal(int_of(ev, "minutes"), 120);
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_seasonal_walk_runs_from_valid_from_until_valid_to(void **state)
{
	char		 svc[37], loc[37], sch[37];
	struct resp	 r;
	cJSON		*j, *ev;
	const char	*want[] = {
		"2026-04-04 Sat 10:00 +0100", "2026-04-11 Sat 10:00 +0100",
		NULL
	};

	(void)state;
	make_service("Summer health walk", "active", svc, loc);
	add_schedule(svc, "WEEKLY", "1", "SA", "", "10:00", "12:00", "",
	    "2026-04-01", "2026-09-30", "", sch);
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	assert_occurrences(ev, want);
	/* The end of 30 September in BST is 22:59:59 UTC. */
	assert_non_null(strstr(str_of(ev, "rrule"),
	    "UNTIL=20260930T225959Z"));
	assert_string_equal(str_of(ev, "last"), "2026-09-26 Sat 10:00 +0100");
	assert_int_equal(int_of(ev, "count"), 26);
	assert_non_null(strstr(str_of(ev, "description"),
	    "Every Saturday, 10:00 to 12:00, April to September 2026"));
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_text_is_escaped_and_folded_without_splitting_utf8(void **state)
{
	char		 svc[37], loc[37], sch[37], name[512], want[600];
	char		 prefix[80], base[256];
	struct resp	 r;
	cJSON		*j, *ev;

	(void)state;
	/*
	 * "SUMMARY:" is 8 octets, so the 67th octet of the name is the
	 * 75th of the line: put a 3-octet character there.  make_service
	 * appends " <suffix>", so build the name with the suffix inside.
	 */
	snprintf(prefix, sizeof(prefix), "Knit and natter group %s at the "
	    "Whiteinch centre", suffix);
	assert_true(strlen(prefix) < 66);
	snprintf(name, sizeof(name), "%-66s\xe2\x98\x95 Caf\xc3\xa9, tea; "
	    "cake \\ chat", prefix);
	make_service(name, "active", svc, loc);
	add_schedule(svc, "WEEKLY", "1", "TH", "", "14:00", "16:00",
	    "2026-01-01", "", "", "Bring wool, needles; or nothing.\nTea is "
	    "free.", sch);
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	/* The name comes back exactly, with the suffix make_service added. */
	snprintf(want, sizeof(want), "%s %s", name, suffix);
	assert_string_equal(str_of(ev, "summary"), want);
	/* Folded before the character, not inside it. */
	snprintf(want, sizeof(want), "\r\nSUMMARY:%-66s\r\n \xe2\x98\x95 Caf",
	    prefix);
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "Caf\xc3\xa9\\, tea\\; cake \\\\ chat"));
	assert_non_null(strstr(str_of(ev, "description"),
	    "Every Thursday, 14:00 to 16:00\nBring wool, needles; or "
	    "nothing.\nTea is free."));
	assert_string_equal(str_of(ev, "location"), "Whiteinch Centre, "
	    "1 Northinch Street, Glasgow, G14 0UG");
	/* URL and the link in DESCRIPTION lead back to the service page. */
	snprintf(want, sizeof(want), "/services/%s", svc);
	snprintf(base, sizeof(base), "%s", str_of(ev, "url"));
	assert_true(strlen(base) > strlen(want));
	assert_string_equal(base + strlen(base) - strlen(want), want);
	assert_true(strncmp(base, "http", 4) == 0);
	assert_non_null(strstr(str_of(ev, "description"), base));
	/* UID: the schedule id at the public host. */
	assert_non_null(strchr(str_of(ev, "uid"), '@'));
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_schedule_at_a_location_uses_that_place(void **state)
{
	char		 svc[37], loc[37], loc2[37], sal[37], sch[37];
	char		 want[256];
	struct resp	 r;
	cJSON		*j, *ev;
	const char	*p[3];

	(void)state;
	make_service("Two-site advice", "active", svc, loc);
	p[0] = suffix;
	sql_str("INSERT INTO location (name, address_1, city, postal_code,"
	    " latitude, longitude, grid) VALUES ('Scotstoun Library ' || $1,"
	    " '20 Victoria Park Drive South', 'Glasgow', 'G14 9RL', 55.877,"
	    " -4.343, point(252900, 667300)) RETURNING id", 1, p, loc2,
	    sizeof(loc2));
	p[0] = svc;
	p[1] = loc2;
	sql_str("INSERT INTO service_at_location (service_id, location_id)"
	    " VALUES ($1, $2) RETURNING id", 2, p, sal, sizeof(sal));
	p[0] = sal;
	sql_str("INSERT INTO schedule (service_at_location_id, freq, byday,"
	    " opens_at, closes_at, dtstart) VALUES ($1, 'WEEKLY', 'MO',"
	    " '09:30', '12:00', '2026-02-02') RETURNING id", 1, p, sch,
	    sizeof(sch));
	j = fetch_valid(svc, &r);
	ev = find_event(j, sch);
	snprintf(want, sizeof(want), "Scotstoun Library %s, 20 Victoria "
	    "Park Drive South, Glasgow, G14 9RL", suffix);
	assert_string_equal(str_of(ev, "location"), want);
	assert_string_equal(str_of(ev, "dtstart"),
	    "2026-02-02 Mon 09:30 +0000");
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_headers_name_the_file_and_answer_304(void **state)
{
	char			 svc[37], loc[37], sch[37], path[256];
	char			 etag[128], disp[256], hdr[200];
	struct resp		 r, r2;
	const char		*h[2];

	(void)state;
	make_service("Headers check", "active", svc, loc);
	add_schedule(svc, "WEEKLY", "1", "FR", "", "10:00", "11:00",
	    "2026-01-02", "", "", "", sch);
	snprintf(path, sizeof(path), "/services/%s/calendar.ics", svc);
	r = http_get(path);
	assert_status(&r, 200);
	assert_int_equal(resp_header(&r, "Content-Disposition", disp,
	    sizeof(disp)), 0);
	assert_non_null(strstr(disp, "filename=\"headers-check-"));
	assert_non_null(strstr(disp, ".ics\""));
	assert_int_equal(resp_header(&r, "ETag", etag, sizeof(etag)), 0);
	assert_int_equal(etag[0], '"');
	/* The same data gives the same body and ETag. */
	r2 = http_get(path);
	assert_int_equal(r2.len, r.len);
	assert_memory_equal(r2.body, r.body, r.len);
	resp_free(&r2);
	snprintf(hdr, sizeof(hdr), "If-None-Match: %s", etag);
	h[0] = hdr;
	h[1] = NULL;
	assert_int_equal(http_do(&r2, NULL, path, NULL, 0, h), 0);
	assert_status(&r2, 304);
	assert_int_equal(r2.len, 0);
	resp_free(&r2);
	/* A change to the schedule changes the ETag. */
	h[0] = sch;
	PQclear(test_sql("UPDATE schedule SET closes_at = '11:30' WHERE id = $1",
	    1, h));
	r2 = http_get(path);
	assert_int_equal(resp_header(&r2, "ETag", disp, sizeof(disp)), 0);
	assert_string_not_equal(disp, etag);
	resp_free(&r2);
	assert_int_equal(http_do(&r2, "HEAD", path, NULL, 0, NULL), 0);
	assert_status(&r2, 200);
	resp_free(&r2);
	resp_free(&r);
}

static void
test_ical_bad_uuid_is_400_page_and_unknown_is_404(void **state)
{
	struct resp	r;
	char		ctype[128];

	(void)state;
	r = http_get("/services/not-a-uuid/calendar.ics");
	assert_status(&r, 400);
	resp_header(&r, "Content-Type", ctype, sizeof(ctype));
	assert_non_null(strstr(ctype, "text/html"));
	assert_non_null(strstr(r.body, "calendar address"));
	resp_free(&r);
	r = http_get("/services/'%3B--/calendar.ics");
	assert_status(&r, 400);
	resp_free(&r);
	r = http_get("/services/6f1c2d3e-0000-4000-8000-000000000000/"
	    "calendar.ics");
	assert_status(&r, 404);
	resp_header(&r, "Content-Type", ctype, sizeof(ctype));
	assert_non_null(strstr(ctype, "text/html"));
	assert_non_null(strstr(r.body, "no service with that"));
	resp_free(&r);
	/* Read-only: a POST is refused, not served. */
	r = http_post_form("/services/6f1c2d3e-0000-4000-8000-000000000000/"
	    "calendar.ics", "x=1");
	assert_status(&r, 405);
	resp_free(&r);
}

static void
test_ical_service_without_sessions_is_an_empty_calendar(void **state)
{
	char		 svc[37], loc[37], sch[37];
	struct resp	 r;
	cJSON		*j;

	(void)state;
	make_service("By appointment only", "active", svc, loc);
	j = fetch_valid(svc, &r);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "events")),
	    0);
	assert_non_null(strstr(r.body, "BEGIN:VTIMEZONE\r\n"));
	cJSON_Delete(j);
	resp_free(&r);
	/* A schedule that is words only cannot be put in a calendar. */
	add_schedule(svc, "", "", "", "", "", "", "", "", "", "By "
	    "appointment: phone first", sch);
	j = fetch_valid(svc, &r);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "events")),
	    0);
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_closed_service_lists_no_sessions_and_says_why(void **state)
{
	char		 svc[37], loc[37], sch[37];
	struct resp	 r;
	cJSON		*j;

	(void)state;
	make_service("Closed for repairs", "temporarily closed", svc, loc);
	add_schedule(svc, "WEEKLY", "1", "MO", "", "10:00", "11:00",
	    "2026-01-05", "", "", "", sch);
	j = fetch_valid(svc, &r);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "events")),
	    0);
	assert_non_null(strstr(cJSON_GetObjectItem(j,
	    "description")->valuestring, "temporarily closed"));
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_ical_checker_rejects_a_broken_calendar(void **state)
{
	const char	*bad =
	    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//x//y//EN\n"
	    "BEGIN:VEVENT\nUID:1@x\nDTSTAMP:20260101T000000Z\n"
	    "DTSTART;TZID=Europe/London:20260106T100000\n"
	    "RRULE:FREQ=MONTHLY;BYDAY=1TU\nSUMMARY:A summary line that is far "
	    "too long to be left unfolded by any calendar writer\n"
	    "END:VEVENT\nEND:VCALENDAR\n";
	const char	*notfirst =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
	    "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\n"
	    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\n"
	    "TZNAME:BST\r\nDTSTART:19810329T010000\r\n"
	    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
	    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\n"
	    "TZNAME:GMT\r\nDTSTART:19961027T020000\r\n"
	    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
	    "END:VTIMEZONE\r\n"
	    "BEGIN:VEVENT\r\nUID:1@x\r\nDTSTAMP:20260101T000000Z\r\n"
	    "DTSTART;TZID=Europe/London:20260107T100000\r\n"
	    "RRULE:FREQ=MONTHLY;BYDAY=1TU\r\nSUMMARY:x\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	cJSON		*j;

	(void)state;
	/* LF line ends and an unfolded long line. */
	assert_int_equal(check_ics_run(bad, strlen(bad), &j, 1), 1);
	cJSON_Delete(j);
	/* DTSTART on a Wednesday is not a first Tuesday. */
	assert_int_equal(check_ics_run(notfirst, strlen(notfirst), &j, 1), 1);
	cJSON_Delete(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_ical_weekly_stays_at_10am_across_the_spring_change),
		cmocka_unit_test(
		    test_ical_fortnightly_repeats_every_other_week),
		cmocka_unit_test(
		    test_ical_fortnightly_without_a_start_follows_fixed_weeks),
		cmocka_unit_test(test_ical_first_tuesday_of_each_month),
		cmocka_unit_test(
		    test_ical_last_friday_all_day_in_five_friday_months),
		cmocka_unit_test(
		    test_ical_last_sunday_on_the_autumn_change_day),
		cmocka_unit_test(
		    test_ical_seasonal_walk_runs_from_valid_from_until_valid_to),
		cmocka_unit_test(
		    test_ical_text_is_escaped_and_folded_without_splitting_utf8),
		cmocka_unit_test(
		    test_ical_schedule_at_a_location_uses_that_place),
		cmocka_unit_test(
		    test_ical_headers_name_the_file_and_answer_304),
		cmocka_unit_test(
		    test_ical_bad_uuid_is_400_page_and_unknown_is_404),
		cmocka_unit_test(
		    test_ical_service_without_sessions_is_an_empty_calendar),
		cmocka_unit_test(
		    test_ical_closed_service_lists_no_sessions_and_says_why),
		cmocka_unit_test(test_ical_checker_rejects_a_broken_calendar),
	};

	(void)resp_json;	/* a harness helper this test has no use for */
	snprintf(suffix, sizeof(suffix), "%08lx",
	    ((unsigned long)time(NULL) * 2654435761UL ^
	    (unsigned long)getpid()) & 0xffffffffUL);
	return (RUN_TESTS("ical", tests));
}
