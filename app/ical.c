/*
 * ical: the calendar feed.  Each schedule becomes one VEVENT whose DTSTART
 * is its first real session (so clients that count from DTSTART agree with
 * schedule_next) and whose RRULE is schedule_rrule() plus UNTIL.  DTSTAMP
 * is the service's updated_at, which RFC 5545 allows for a calendar with
 * no METHOD; so the body, and its ETag, only change when the data does.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "ical.h"
#include "log.h"
#include "reply.h"
#include "schedule.h"

#define LINE_MAX_OCTETS	75

static const struct db_stmt stmts[] = {
	{ "ical_service",
	  "SELECT s.name, s.status,"
	  " to_char(s.updated_at AT TIME ZONE 'UTC',"
	  " 'YYYYMMDD\"T\"HH24MISS\"Z\"'),"
	  " to_char(s.created_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')"
	  " FROM service s WHERE s.id = $1" },
	/*
	 * A schedule belongs to the service directly or through one of its
	 * service_at_location rows.  Its place is that row's location, else
	 * its own location_id, else the service's only location if it has
	 * exactly one.  200 bounds the work for a bad row set; real services
	 * have a handful.
	 */
	{ "ical_schedules",
	  "SELECT " SCHEDULE_COLUMNS ", l.name,"
	  " concat_ws(', ', CASE WHEN NOT l.address_hidden THEN"
	  " concat_ws(', ', NULLIF(btrim(l.address_1), ''),"
	  " NULLIF(btrim(l.address_2), '')) END, NULLIF(btrim(l.city), ''),"
	  " NULLIF(btrim(l.postal_code), ''))"
	  " FROM schedule sch"
	  " LEFT JOIN service_at_location sal"
	  "  ON sal.id = sch.service_at_location_id"
	  " LEFT JOIN location l ON l.id = COALESCE(sal.location_id,"
	  "  sch.location_id, (SELECT CASE WHEN count(*) = 1 THEN"
	  "  min(x.location_id::text)::uuid END FROM service_at_location x"
	  "  WHERE x.service_id = $1))"
	  " WHERE sch.service_id = $1 OR sal.service_id = $1"
	  " ORDER BY sch.dtstart NULLS LAST, sch.valid_from NULLS LAST, sch.id"
	  " LIMIT 200" },
};

/*
 * Europe/London since 1996 (EU rules): BST from 01:00 UTC on the last
 * Sunday of March, GMT from 01:00 UTC on the last Sunday of October.
 * DTSTART here is local time before the change, as RFC 5545 wants.
 */
static const char *const vtimezone[] = {
	"BEGIN:VTIMEZONE",
	"TZID:Europe/London",
	"X-LIC-LOCATION:Europe/London",
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0000",
	"TZOFFSETTO:+0100",
	"TZNAME:BST",
	"DTSTART:19810329T010000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0000",
	"TZNAME:GMT",
	"DTSTART:19961027T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
};

void
ical_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

void
ical_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case ';':
			buf_puts(b, "\\;");
			break;
		case ',':
			buf_puts(b, "\\,");
			break;
		case '\r':
			if (s[1] == '\n')
				s++;
			/* FALLTHROUGH */
		case '\n':
			buf_puts(b, "\\n");
			break;
		default:
			/* Other controls are not allowed in TEXT. */
			if ((unsigned char)*s < 0x20 && *s != '\t')
				break;
			if (*s == 0x7f)
				break;
			buf_append(b, s, 1);
			break;
		}
	}
}

void
ical_line(struct buf *b, const char *line, size_t n)
{
	size_t	pos = 0, limit = LINE_MAX_OCTETS, cut;

	while (n - pos > limit) {
		cut = pos + limit;
		/* Back up to the first byte of a UTF-8 character. */
		while (cut > pos && ((unsigned char)line[cut] & 0xc0) == 0x80)
			cut--;
		if (cut == pos)
			cut = pos + limit;	/* not UTF-8; cannot happen */
		buf_append(b, line + pos, cut - pos);
		buf_puts(b, "\r\n ");
		pos = cut;
		limit = LINE_MAX_OCTETS - 1;	/* the leading space counts */
	}
	buf_append(b, line + pos, n - pos);
	buf_puts(b, "\r\n");
}

/* name (with any parameters) ":" value, as one folded content line. */
static void
prop(struct buf *out, const char *name, const char *value)
{
	struct buf	t;

	buf_init(&t);
	buf_puts(&t, name);
	buf_puts(&t, ":");
	buf_puts(&t, value);
	if (t.oom)
		out->oom = 1;
	else
		ical_line(out, t.data, t.len);
	buf_free(&t);
}

static void
prop_text(struct buf *out, const char *name, const char *text)
{
	struct buf	t;

	buf_init(&t);
	ical_text(&t, text);
	if (t.oom)
		out->oom = 1;
	else
		prop(out, name, buf_cstr(&t));
	buf_free(&t);
}

static void
local_stamp(char *dst, size_t len, time_t t, int date_only)
{
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL) {
		snprintf(dst, len, "19700101");
		return;
	}
	if (date_only)
		strftime(dst, len, "%Y%m%d", &tm);
	else
		strftime(dst, len, "%Y%m%dT%H%M%S", &tm);
}

/*
 * UNTIL: the end of valid_to.  With a date DTSTART it must be a date; with
 * a local date-time, a UTC time (RFC 5545 3.3.10).
 */
static int
until_value(const char *valid_to, int all_day, char *dst, size_t len)
{
	struct tm	tm;
	time_t		t;
	int		y, m, d;

	if (sscanf(valid_to, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return (-1);
	if (all_day) {
		snprintf(dst, len, "%04d%02d%02d", y, m, d);
		return (0);
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || gmtime_r(&t, &tm) == NULL)
		return (-1);
	strftime(dst, len, "%Y%m%dT%H%M%SZ", &tm);
	return (0);
}

/* The host of config.public_url, for UIDs that stay the same. */
static void
public_host(char *dst, size_t len)
{
	const char	*p = config.public_url, *e;

	if ((e = strstr(p, "://")) != NULL)
		p = e + 3;
	e = p + strcspn(p, "/:?#");
	if (e == p) {
		snprintf(dst, len, "signpost.invalid");
		return;
	}
	snprintf(dst, len, "%.*s", (int)(e - p), p);
}

static void
service_url(struct buf *b, const char *id)
{
	size_t	n = strlen(config.public_url);

	while (n > 0 && config.public_url[n - 1] == '/')
		n--;
	buf_printf(b, "%.*s/services/%s", (int)n, config.public_url, id);
}

static void
put_event(struct buf *out, const struct schedule *s, const char *floor,
    const char *dtstamp, const char *svc_name, const char *svc_id,
    const char *loc_name, const char *loc_addr, const char *host)
{
	struct session	 first;
	struct buf	 t;
	char		 stamp[32], until[32];
	int		 all_day;

	/* Without a dtstart or season, count from when it was listed. */
	if (schedule_first(s, s->dtstart[0] == '\0' &&
	    s->valid_from[0] == '\0' ? floor : NULL, &first) == -1)
		return;
	all_day = (first.flags & SESSION_ALL_DAY) != 0;
	buf_init(&t);
	buf_puts(out, "BEGIN:VEVENT\r\n");
	buf_printf(&t, "%s@%s", s->id, host);
	prop(out, "UID", buf_cstr(&t));
	prop(out, "DTSTAMP", dtstamp);
	local_stamp(stamp, sizeof(stamp), first.start, all_day);
	if (all_day) {
		prop(out, "DTSTART;VALUE=DATE", stamp);
		local_stamp(stamp, sizeof(stamp), first.end, 1);
		prop(out, "DTEND;VALUE=DATE", stamp);
	} else {
		prop(out, "DTSTART;TZID=Europe/London", stamp);
		if (!(first.flags & SESSION_NO_END)) {
			local_stamp(stamp, sizeof(stamp), first.end, 0);
			prop(out, "DTEND;TZID=Europe/London", stamp);
		}
	}
	buf_reset(&t);
	if (schedule_rrule(s, &t) == 0) {
		if (strcmp(s->freq, "WEEKLY") == 0 && s->interval > 1)
			buf_puts(&t, ";WKST=MO");
		if (s->valid_to[0] != '\0' &&
		    until_value(s->valid_to, all_day, until,
		    sizeof(until)) == 0)
			buf_printf(&t, ";UNTIL=%s", until);
		prop(out, "RRULE", buf_cstr(&t));
	}
	prop_text(out, "SUMMARY", svc_name);
	buf_reset(&t);
	if (loc_name != NULL && *loc_name != '\0')
		buf_puts(&t, loc_name);
	if (loc_addr != NULL && *loc_addr != '\0') {
		if (t.len > 0)
			buf_puts(&t, ", ");
		buf_puts(&t, loc_addr);
	}
	if (t.len > 0)
		prop_text(out, "LOCATION", buf_cstr(&t));
	buf_reset(&t);
	schedule_describe(s, &t);
	if (s->description[0] != '\0' &&
	    strcmp(s->description, buf_cstr(&t)) != 0) {
		buf_puts(&t, t.len > 0 ? "\n" : "");
		buf_puts(&t, s->description);
	}
	buf_puts(&t, t.len > 0 ? "\n\n" : "");
	buf_puts(&t, "Details, contacts and how to get in: ");
	service_url(&t, svc_id);
	prop_text(out, "DESCRIPTION", buf_cstr(&t));
	buf_reset(&t);
	service_url(&t, svc_id);
	prop(out, "URL", buf_cstr(&t));
	buf_puts(out, "END:VEVENT\r\n");
	if (t.oom)
		out->oom = 1;
	buf_free(&t);
}

/* "knit-and-natter" for the file name: ASCII letters and digits only. */
static void
file_slug(char *dst, size_t len, const char *name)
{
	size_t	n = 0;
	int	dash = 0;

	for (; *name != '\0' && n + 2 < len && n < 60; name++) {
		if ((*name >= 'a' && *name <= 'z') ||
		    (*name >= '0' && *name <= '9')) {
			if (dash && n > 0)
				dst[n++] = '-';
			dst[n++] = *name;
			dash = 0;
		} else if (*name >= 'A' && *name <= 'Z') {
			if (dash && n > 0)
				dst[n++] = '-';
			dst[n++] = *name - 'A' + 'a';
			dash = 0;
		} else
			dash = 1;
	}
	dst[n] = '\0';
	if (n == 0)
		snprintf(dst, len, "service");
}

void
ical_service(struct http_request *req)
{
	struct db_result	*svc = NULL, *res = NULL;
	struct schedule		 s;
	struct buf		 out, note;
	enum db_status		 st;
	const char		*id, *params[1], *name, *status;
	const char		*dtstamp, *created;
	char			 host[256], slug[64], hdr[128], etag[40];
	char			 hex[33];
	unsigned char		 h[16];
	int			 i, nrows;

	buf_init(&out);
	buf_init(&note);
	id = http_route_param(req, "id");
	if (id == NULL || !http_is_uuid(id)) {
		reply_error(req, 400, "That calendar address is not right: "
		    "it should end with a service's identifier, like "
		    "/services/0b7e.../calendar.ics. Open the service's page "
		    "and use its \"Add to calendar\" link.");
		goto out;
	}
	params[0] = id;
	if ((st = db_exec("ical_service", 1, params, &svc)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(svc) == 0) {
		reply_error(req, 404, "There is no service with that "
		    "identifier. It may have been removed from the "
		    "directory.");
		goto out;
	}
	name = db_value(svc, 0, 0);
	status = db_value(svc, 0, 1);
	dtstamp = db_value(svc, 0, 2);
	created = db_value(svc, 0, 3);
	if ((st = db_exec("ical_schedules", 1, params, &res)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	public_host(host, sizeof(host));

	buf_puts(&out, "BEGIN:VCALENDAR\r\n");
	prop(&out, "VERSION", "2.0");
	prop(&out, "PRODID", "-//Signpost//Community directory//EN");
	prop(&out, "CALSCALE", "GREGORIAN");
	prop_text(&out, "NAME", name);
	prop_text(&out, "X-WR-CALNAME", name);
	prop(&out, "X-WR-TIMEZONE", "Europe/London");
	if (strcmp(status, "active") != 0) {
		/* No sessions for a closed service; say why. */
		buf_printf(&note, "This service is %s: its sessions are "
		    "not listed.", status);
		prop_text(&out, "DESCRIPTION", buf_cstr(&note));
	}
	for (i = 0; i < (int)(sizeof(vtimezone) / sizeof(vtimezone[0])); i++)
		ical_line(&out, vtimezone[i], strlen(vtimezone[i]));
	nrows = db_rows(res);
	for (i = 0; i < nrows && strcmp(status, "active") == 0; i++) {
		if (schedule_from_row(res, i, 0, &s) == -1) {
			log_warn("ical: service %s: schedule row %d does not "
			    "parse; left out", id, i);
			continue;
		}
		put_event(&out, &s, created, dtstamp, name, id,
		    db_value(res, i, SCHEDULE_NCOLUMNS),
		    db_value(res, i, SCHEDULE_NCOLUMNS + 1), host);
	}
	buf_puts(&out, "END:VCALENDAR\r\n");
	if (out.oom) {
		reply_error(req, 500, "Something went wrong on our side. "
		    "Please try again.");
		goto out;
	}

	crypto_generichash(h, sizeof(h), (const unsigned char *)out.data,
	    out.len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(etag, sizeof(etag), "\"%s\"", hex);
	file_slug(slug, sizeof(slug), name);
	snprintf(hdr, sizeof(hdr), "attachment; filename=\"%s.ics\"", slug);
	http_header_set(req, "Content-Disposition", hdr);
	http_header_set(req, "Cache-Control", "public, max-age=300");
	http_header_set(req, "Content-Type", "text/calendar; charset=utf-8");
	if (http_etag(req, etag))
		goto out;
	http_respond_data(req, 200, "text/calendar; charset=utf-8", out.data,
	    out.len);
out:
	buf_free(&out);
	buf_free(&note);
	db_free(svc);
	db_free(res);
}
