/*
 * The Open Referral UK import.  See import_oruk.h.
 *
 * The template's columns are the meeting point: a service becomes the
 * cells a spreadsheet row would have (listing_csv_put), so the checks, the
 * messages and the mapping onto the listing are the CSV import's, not a
 * second copy.  A listing holds one venue and four weekly or monthly
 * sessions; what a feed has beyond that is reported, never half-kept:
 * a listing with some of its sessions would tell people the wrong days.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <zlib.h>

#include "buf.h"
#include "db.h"
#include "http.h"
#include "import.h"
#include "import_oruk.h"
#include "json_split.h"
#include "listing.h"
#include "net.h"

#define MAX_SESSIONS	4	/* the template's session1..4 */
/* One JSON document. */
#define MAX_DOC		(256UL * 1024 * 1024)
#define PAGE_MAX	(64UL * 1024 * 1024)	/* one page of a feed */
#define PAGE_TIMEOUT_S	60L
#define PAGE_TRIES	3	/* a page that fails is tried again twice */
#define MAX_PAGES	100000

/* The shared cells' helpers (import.h), by the short names used here. */
static const char *
str(const cJSON *o, const char *k)
{
	return (import_json_str(o, k));
}

static void
put(struct http_request *req, const char *col, const char *v, FILE *report,
    const char *where, int *bad)
{
	import_put(req, col, v, report, where, bad);
}

static void
put_text(struct http_request *req, const char *col, const char *v,
    FILE *report, const char *where, int *bad)
{
	import_put_text(req, col, v, report, where, bad);
}

/* The first object of an array member, or NULL. */
static const cJSON *
first(const cJSON *o, const char *k)
{
	const cJSON	*a = cJSON_GetObjectItemCaseSensitive(o, k), *e;

	if (!cJSON_IsArray(a))
		return (NULL);
	cJSON_ArrayForEach(e, a)
		if (cJSON_IsObject(e))
			return (e);
	return (NULL);
}

static void
put_num(struct http_request *req, const char *col, const cJSON *o,
    const char *k, FILE *report, const char *where, int *bad)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);
	char		 n[32];

	if (cJSON_IsNumber(v)) {
		snprintf(n, sizeof(n), "%.0f", v->valuedouble);
		put(req, col, n, report, where, bad);
	} else if (cJSON_IsString(v))
		put(req, col, str(o, k), report, where, bad);
}

/* One session of the template, from a schedule's parts. */
struct session {
	char	freq[16], week[4], day[32], opens[6], closes[6];
	char	from[11], to[11];
};

/* "09:30:00" or "09:30" as "09:30"; NULL when neither. */
static int
hhmm(const char *v, char *out)
{
	if (v == NULL || strlen(v) < 5 || !isdigit((unsigned char)v[0]) ||
	    !isdigit((unsigned char)v[1]) || v[2] != ':' ||
	    !isdigit((unsigned char)v[3]) || !isdigit((unsigned char)v[4]))
		return (-1);
	snprintf(out, 6, "%.5s", v);
	return (0);
}

/*
 * A feed's date as YYYY-MM-DD: ISO (a time after it is dropped), or the
 * UK's DD/MM/YYYY, or YYYY/MM/DD.  0, or -1 when it is none of those or
 * not a day of the calendar.
 */
static int
feed_date(const char *v, char *out, size_t len)
{
	char	iso[11];
	int	y, m, d;

	if (v == NULL || strlen(v) < 10)
		return (-1);
	if (v[2] == '/' && v[5] == '/')
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", v + 6, v + 3, v);
	else if (v[4] == '/' && v[7] == '/')
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", v, v + 5, v + 8);
	else
		snprintf(iso, sizeof(iso), "%.10s", v);
	if ((v[2] == '/' && strlen(v) != 10) || str_to_date(iso, &y, &m,
	    &d) == -1)
		return (-1);
	snprintf(out, len, "%s", iso);
	return (0);
}

/* A feed's byday as we write it: upper case, no spaces ("mo, we"). */
static void
rule_days(const char *byday, char *out, size_t len)
{
	size_t	k;

	for (k = 0; *byday != '\0' && k + 1 < len; byday++)
		if (*byday != ' ')
			out[k++] = (char)toupper((unsigned char)*byday);
	out[k] = '\0';
}

/*
 * A schedule on one day as a session appended to s[*n] (at most
 * MAX_SESSIONS; *n may pass it, to be said).  A rule the template cannot
 * hold is reported and left out: 1; else 0.
 */
static int
sessions(const cJSON *sch, struct session *s, int *n, FILE *report,
    const char *where)
{
	const char	*freq = str(sch, "freq"), *byday = str(sch, "byday");
	const cJSON	*iv;
	const char	*p;
	char		 tok[64], week[8], days[32], opens[6], closes[6];
	int		 interval;

	iv = cJSON_GetObjectItemCaseSensitive(sch, "interval");
	interval = cJSON_IsNumber(iv) ? iv->valueint : 1;
	if (freq == NULL || byday == NULL || hhmm(str(sch, "opens_at"),
	    opens) == -1 || hhmm(str(sch, "closes_at"), closes) == -1) {
		fprintf(report, "%s: a schedule without a day, an opening "
		    "and a closing time (%s %s %s-%s) is left out\n", where,
		    freq != NULL ? freq : "-", byday != NULL ? byday : "-",
		    str(sch, "opens_at") != NULL ? str(sch, "opens_at") : "?",
		    str(sch, "closes_at") != NULL ? str(sch, "closes_at") :
		    "?");
		return (1);
	}
	if ((strcasecmp(freq, "WEEKLY") != 0 || (interval != 1 &&
	    interval != 2)) && (strcasecmp(freq, "MONTHLY") != 0 ||
	    interval != 1)) {
		fprintf(report, "%s: a schedule %s every %d is not one a "
		    "listing holds (weekly, fortnightly, monthly) and is left "
		    "out\n", where, freq, interval);
		return (1);
	}
	rule_days(byday, tok, sizeof(tok));
	if (*n >= MAX_SESSIONS) {
		(*n)++;	/* counted, to be said */
		return (0);
	}
	memset(&s[*n], 0, sizeof(s[*n]));
	if (listing_byday_split(tok, week, sizeof(week), days,
	    sizeof(days)) == -1) {
		fprintf(report, "%s: a schedule on '%s' (not days of the week) "
		    "is left out\n", where, tok);
		return (1);
	}
	snprintf(s[*n].day, sizeof(s[*n].day), "%s", days);
	if (strcasecmp(freq, "WEEKLY") == 0 && week[0] == '\0') {
		snprintf(s[*n].freq, sizeof(s[*n].freq), "%s", interval == 2 ?
		    "fortnightly" : "weekly");
	} else if (strcasecmp(freq, "MONTHLY") == 0 &&
	    strcmp(week, "-1") == 0) {
		snprintf(s[*n].freq, sizeof(s[*n].freq), "last");
	} else if (strcasecmp(freq, "MONTHLY") == 0 && strlen(week) == 1 &&
	    week[0] >= '1' && week[0] <= '4') {
		snprintf(s[*n].freq, sizeof(s[*n].freq), "monthly");
		snprintf(s[*n].week, sizeof(s[*n].week), "%s", week);
	} else {
		fprintf(report, "%s: a monthly schedule on '%s' (not the first "
		    "to fourth or the last of a weekday) is left out\n", where,
		    tok);
		return (1);
	}
	memcpy(s[*n].opens, opens, sizeof(opens));
	memcpy(s[*n].closes, closes, sizeof(closes));
	if ((p = str(sch, "valid_from")) != NULL ||
	    (p = str(sch, "dtstart")) != NULL) {
		if (feed_date(p, s[*n].from, sizeof(s[*n].from)) == -1) {
			fprintf(report, "%s: a schedule from '%s', not a date "
			    "we can read, is left out\n", where, p);
			return (1);
		}
	}
	/* Which weeks a fortnightly one runs needs a date it runs on. */
	if (interval == 2 && s[*n].from[0] == '\0') {
		fprintf(report, "%s: a fortnightly schedule with no date to "
		    "count the weeks from (dtstart or valid_from) is left "
		    "out\n", where);
		return (1);
	}
	if ((p = str(sch, "valid_to")) != NULL &&
	    feed_date(p, s[*n].to, sizeof(s[*n].to)) == -1) {
		fprintf(report, "%s: a schedule until '%s', not a date we can "
		    "read, is left out\n", where, p);
		return (1);
	}
	(*n)++;
	return (0);
}

/* "1MO,1WE" or "MO, WE": days a session can hold together. */
static int
same_week(const char *byday)
{
	char	tok[64], week[8], days[32];

	rule_days(byday, tok, sizeof(tok));
	return (listing_byday_split(tok, week, sizeof(week), days,
	    sizeof(days)) == 0);
}

static void
put_schedules(struct http_request *req, const cJSON *svc, const cJSON *sal,
    int venue, FILE *report, const char *where, int *bad)
{
	struct session	 s[MAX_SESSIONS];
	const cJSON	*list[2], *sch;
	const char	*byday, *p;
	char		 col[32], one[8];
	int		 n = 0, i, k;
	cJSON		*copy;

	list[0] = cJSON_GetObjectItemCaseSensitive(svc, "schedules");
	list[1] = sal != NULL ? cJSON_GetObjectItemCaseSensitive(sal,
	    "schedules") : NULL;
	for (k = 0; k < 2; k++) {
		if (!cJSON_IsArray(list[k]))
			continue;
		cJSON_ArrayForEach(sch, list[k]) {
			if (!cJSON_IsObject(sch))
				continue;
			/*
			 * A rule on several days is one session when the
			 * days share their week of the month (or have none),
			 * else one session a day.
			 */
			if ((byday = str(sch, "byday")) == NULL ||
			    strchr(byday, ',') == NULL || same_week(byday)) {
				(void)sessions(sch, s, &n, report, where);
				continue;
			}
			for (p = byday; *p != '\0'; p++) {
				size_t	m = strcspn(p, ",");

				snprintf(one, sizeof(one), "%.*s", (int)(m <
				    sizeof(one) - 1 ? m : sizeof(one) - 1), p);
				if ((copy = cJSON_Duplicate(sch, 1)) == NULL)
					break;
				cJSON_ReplaceItemInObjectCaseSensitive(copy,
				    "byday", cJSON_CreateString(one));
				(void)sessions(copy, s, &n, report, where);
				cJSON_Delete(copy);
				p += m;
				if (*p == '\0')
					break;
			}
		}
	}
	if (n > 0 && !venue) {
		fprintf(report, "%s: %d sessions with no venue to hold them (a "
		    "listing's sessions are at its venue) are left out\n",
		    where, n);
		return;
	}
	if (n > MAX_SESSIONS) {
		fprintf(report, "%s: %d sessions a week or month; a listing "
		    "holds %d, so none are kept (add them by hand, or give it "
		    "as separate services)\n", where, n, MAX_SESSIONS);
		return;
	}
	for (i = 0; i < n; i++) {
#define PUT(part, v) do {						\
	snprintf(col, sizeof(col), "session%d_" part, i + 1);		\
	put(req, col, (v)[0] != '\0' ? (v) : NULL, report, where, bad);	\
} while (0)
		PUT("freq", s[i].freq);
		PUT("week", s[i].week);
		PUT("day", s[i].day);
		PUT("opens", s[i].opens);
		PUT("closes", s[i].closes);
		PUT("from", s[i].from);
		PUT("to", s[i].to);
#undef PUT
	}
}

/* The venue: the first physical address with a postcode of the first
 * location that has one.  Nothing (no venue) when none has. */
static const cJSON *
put_venue(struct http_request *req, const cJSON *svc, FILE *report,
    const char *where, int *bad)
{
	const cJSON	*sals, *sal, *loc, *addrs, *a, *best = NULL;
	const cJSON	*best_sal = NULL, *best_loc = NULL, *acc;
	struct buf	 access;
	int		 nloc = 0;

	sals = cJSON_GetObjectItemCaseSensitive(svc, "service_at_locations");
	if (cJSON_IsArray(sals))
		cJSON_ArrayForEach(sal, sals) {
			loc = cJSON_GetObjectItemCaseSensitive(sal, "location");
			if (!cJSON_IsObject(loc))
				continue;
			nloc++;
			if (best != NULL)
				continue;
			addrs = cJSON_GetObjectItemCaseSensitive(loc,
			    "addresses");
			if (!cJSON_IsArray(addrs))
				continue;
			cJSON_ArrayForEach(a, addrs) {
				if (str(a, "postal_code") == NULL)
					continue;
				if (best == NULL || (str(a, "address_type") !=
				    NULL && strcmp(str(a, "address_type"),
				    "physical") == 0)) {
					best = a;
					best_sal = sal;
					best_loc = loc;
				}
			}
		}
	if (best == NULL) {
		if (nloc > 0)
			fprintf(report, "%s: no location with a postcode: kept "
			    "with no venue\n", where);
		return (NULL);
	}
	if (nloc > 1)
		fprintf(report, "%s: %d locations; a listing holds one venue: "
		    "'%s' is kept\n", where, nloc, str(best_loc, "name") !=
		    NULL ? str(best_loc, "name") : str(best, "postal_code"));
	put(req, "venue", str(best_loc, "name"), report, where, bad);
	put(req, "address", str(best, "address_1"), report, where, bad);
	put(req, "city", str(best, "city"), report, where, bad);
	put(req, "postcode", str(best, "postal_code"), report, where, bad);
	buf_init(&access);
	acc = cJSON_GetObjectItemCaseSensitive(best_loc, "accessibility");
	if (cJSON_IsArray(acc))
		cJSON_ArrayForEach(a, acc)
			if (str(a, "description") != NULL)
				buf_printf(&access, "%s%s", access.len > 0 ?
				    "; " : "", str(a, "description"));
	put(req, "accessibility", access.len > 0 ? buf_cstr(&access) : NULL,
	    report, where, bad);
	buf_free(&access);
	return (best_sal);
}

/*
 * The service's areas as "code\tname\t\n" lines: the statistical code
 * is the last part of the area's uri (statistics.gov.scot's, as our own
 * feed gives it); an area without one is said and left out.
 */
static void
areas(const cJSON *svc, struct buf *out, FILE *report, const char *where)
{
	const cJSON	*list, *a;
	const char	*uri, *code, *name;
	size_t		 i;

	list = cJSON_GetObjectItemCaseSensitive(svc, "service_areas");
	if (!cJSON_IsArray(list))
		return;
	cJSON_ArrayForEach(a, list) {
		name = str(a, "name");
		code = NULL;
		if ((uri = str(a, "uri")) != NULL &&
		    (code = strrchr(uri, '/')) != NULL)
			code++;
		if (code != NULL && strlen(code) == 9 && code[0] >= 'A' &&
		    code[0] <= 'Z') {
			for (i = 1; i < 9; i++)
				if (code[i] < '0' || code[i] > '9')
					break;
			if (i == 9) {
				buf_printf(out, "%s\t%s\t\n", code,
				    name != NULL ? name : "");
				continue;
			}
		}
		fprintf(report, "%s: area '%s' has no code we can read: left "
		    "out\n", where, name != NULL ? name : "(no name)");
	}
}

/* Every taxonomy term of the service, as "id\tname\n" lines. */
static void
terms(const cJSON *svc, struct buf *out)
{
	const cJSON	*attrs, *a, *t;

	attrs = cJSON_GetObjectItemCaseSensitive(svc, "attributes");
	if (!cJSON_IsArray(attrs))
		return;
	cJSON_ArrayForEach(a, attrs) {
		t = cJSON_GetObjectItemCaseSensitive(a, "taxonomy_term");
		if (!cJSON_IsObject(t) || (str(t, "id") == NULL &&
		    str(t, "name") == NULL))
			continue;
		buf_printf(out, "%s\t%s\n", str(t, "id") != NULL ?
		    str(t, "id") : "", str(t, "name") != NULL ?
		    str(t, "name") : "");
	}
}

/*
 * A service's columns into req; its terms into tl, its areas into al.
 * 0, or 1 when it is bad (reported).
 */
static int
map(const cJSON *svc, struct http_request *req, struct buf *tl,
    struct buf *al, FILE *report, const char *where)
{
	const cJSON	*org, *ph, *sal, *e, *langs;
	const char	*fees;
	struct buf	 b;
	int		 bad = 0;

	if (str(svc, "name") == NULL) {
		fprintf(report, "%s: a service with no name is left out\n",
		    where);
		return (1);
	}
	org = cJSON_GetObjectItemCaseSensitive(svc, "organization");
	if (cJSON_IsObject(org)) {
		put_text(req, "organisation", str(org, "name"), report, where,
		    &bad);
		put_text(req, "organisation_description", str(org,
		    "description"), report, where, &bad);
		put(req, "organisation_website", str(org, "website") != NULL ?
		    str(org, "website") : str(org, "url"), report, where, &bad);
		put(req, "organisation_email", str(org, "email"), report,
		    where, &bad);
		if ((ph = first(org, "phones")) != NULL)
			put(req, "organisation_phone", str(ph, "number"),
			    report, where, &bad);
	}
	put_text(req, "service", str(svc, "name"), report, where, &bad);
	/* Open Referral has no kind of listing: a service. */
	put(req, "kind", "service", report, where, &bad);
	put_text(req, "description", str(svc, "description"), report, where,
	    &bad);
	put_text(req, "eligibility", str(svc, "eligibility_description"),
	    report, where, &bad);
	put_num(req, "minimum_age", svc, "minimum_age", report, where, &bad);
	put_num(req, "maximum_age", svc, "maximum_age", report, where, &bad);
	/* "Free" as the whole of fees is our own feed's is_free. */
	if ((fees = str(svc, "fees_description")) == NULL)
		fees = str(svc, "fees");
	if (fees != NULL && strcasecmp(fees, "free") == 0)
		put(req, "is_free", "yes", report, where, &bad);
	else if (fees != NULL)
		put_text(req, "cost", fees, report, where, &bad);
	put(req, "email", str(svc, "email"), report, where, &bad);
	put(req, "website", str(svc, "url"), report, where, &bad);
	if ((ph = first(svc, "phones")) != NULL)
		put(req, "phone", str(ph, "number"), report, where, &bad);
	langs = cJSON_GetObjectItemCaseSensitive(svc, "languages");
	buf_init(&b);
	if (cJSON_IsArray(langs))
		cJSON_ArrayForEach(e, langs)
			if (str(e, "name") != NULL)
				buf_printf(&b, "%s%s", b.len > 0 ? ";" : "",
				    str(e, "name"));
	put(req, "languages", b.len > 0 ? buf_cstr(&b) : NULL, report, where,
	    &bad);
	buf_free(&b);
	sal = put_venue(req, svc, report, where, &bad);
	put_schedules(req, svc, sal, sal != NULL, report, where, &bad);
	terms(svc, tl);
	areas(svc, al, report, where);
	return (bad);
}

int
import_oruk_map(const char *json, size_t len, struct http_request *req,
    FILE *report, const char *where)
{
	cJSON		*svc;
	struct buf	 tl, al;
	int		 rc;

	if ((svc = cJSON_ParseWithLength(json, len)) == NULL)
		return (1);
	buf_init(&tl);
	buf_init(&al);
	rc = cJSON_IsObject(svc) ? map(svc, req, &tl, &al, report, where) : 1;
	buf_free(&tl);
	buf_free(&al);
	cJSON_Delete(svc);
	return (rc);
}

/* Every key read, for a full run's withdrawals. */
static cJSON	*seen;

/* One service of the feed, numbered n, through the import run. */
static int
service(struct import_run *imp, const cJSON *svc, long long n, char *err,
    size_t errlen)
{
	return (import_json_service(imp, svc, n, "id:", map, seen, err,
	    errlen));
}

/* A whole JSON document: a page, an array of services, or one. */
static int
document(struct import_run *imp, const char *text, size_t len,
    const char *path, char *err, size_t errlen)
{
	const cJSON	*list, *svc;
	cJSON		*doc;
	const char	*at;
	long long	 n = 0;
	int		 rc = 0;

	if ((doc = cJSON_ParseWithLength(text, len)) == NULL) {
		at = cJSON_GetErrorPtr();
		snprintf(err, errlen, "%s is not JSON (at byte %ld): a page of "
		    "an Open Referral UK feed, an array of services, or one "
		    "service a line", path, at != NULL && at >= text &&
		    at <= text + len ? (long)(at - text) : -1L);
		return (-1);
	}
	if (cJSON_IsArray(doc))
		list = doc;
	else if (cJSON_IsObject(doc) &&
	    cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "contents")))
		list = cJSON_GetObjectItemCaseSensitive(doc, "contents");
	else if (cJSON_IsObject(doc) && str(doc, "name") != NULL) {
		rc = service(imp, doc, 1, err, errlen);
		cJSON_Delete(doc);
		return (rc);
	} else {
		snprintf(err, errlen, "%s is JSON but not a feed: no "
		    "\"contents\" of services, no array, no service", path);
		cJSON_Delete(doc);
		return (-1);
	}
	cJSON_ArrayForEach(svc, list)
		if ((rc = service(imp, svc, ++n, err, errlen)) == -1)
			break;
	cJSON_Delete(doc);
	return (rc);
}

/* One NDJSON line, line number n. */
static int
ndjson_line(struct import_run *imp, const char *text, size_t len,
    long long n, char *err, size_t errlen)
{
	cJSON	*svc;
	int	 rc;

	while (len > 0 && strchr(" \t\r", text[len - 1]) != NULL)
		len--;
	if (len == 0 || strspn(text, " \t\r") >= len)
		return (0);
	if ((svc = cJSON_ParseWithLength(text, len)) == NULL) {
		fprintf(imp->report, "line %lld: not JSON: left out\n", n);
		imp->read++;
		imp->bad++;
		return (0);
	}
	rc = service(imp, svc, n, err, errlen);
	cJSON_Delete(svc);
	return (rc);
}

/*
 * A feed's /services read page by page (page=1, 2 ... until last_page or
 * total_pages), each page parsed and let go before the next, so memory
 * stays flat however many there are.  since: modified_after, for an
 * incremental run.  A page that is not a feed's, or that repeats an
 * earlier one (the feed loops), stops the run with its number.
 */
/* A feed's address, and what changed since (or NULL). */
struct feed {
	const char	*url;
	const char	*since;
};

static int
feed_pages(struct import_run *imp, void *arg, char *err, size_t errlen)
{
	const struct feed	*feed = arg;
	const char		*base = feed->url, *since = feed->since;
	struct net	*n = NULL;
	struct buf	 url, body;
	cJSON		*doc = NULL, *firsts = NULL;
	const cJSON	*list, *svc, *v;
	const char	*id;
	char		 e[512];
	long long	 count = 0;
	int		 page, rc = -1, last, k;

	buf_init(&url);
	buf_init(&body);
	if ((n = net_new()) == NULL || (firsts = cJSON_CreateObject()) ==
	    NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		goto out;
	}
	for (page = 1; page <= MAX_PAGES; page++) {
		buf_reset(&url);
		buf_printf(&url, "%s%cpage=%d", base, strchr(base, '?') !=
		    NULL ? '&' : '?', page);
		if (since != NULL) {
			buf_puts(&url, "&modified_after=");
			buf_url(&url, since);
		}
		if (net_fetch(n, buf_cstr(&url), PAGE_MAX, PAGE_TIMEOUT_S,
		    PAGE_TRIES, &body, e, sizeof(e)) == -1) {
			snprintf(err, errlen, "page %d (%s): %s", page,
			    buf_cstr(&url), e);
			goto out;
		}
		if ((doc = cJSON_ParseWithLength(body.data != NULL ?
		    body.data : "", body.len)) == NULL) {
			snprintf(err, errlen, "page %d (%s) is not JSON: is it "
			    "the address of a feed's /services?", page,
			    buf_cstr(&url));
			goto out;
		}
		list = cJSON_GetObjectItemCaseSensitive(doc, "contents");
		if (!cJSON_IsArray(list)) {
			snprintf(err, errlen, "page %d (%s) is not a page of "
			    "services (no \"contents\")", page, buf_cstr(&url));
			goto out;
		}
		/* The same first service as an earlier page: a loop. */
		if ((svc = cJSON_GetArrayItem(list, 0)) != NULL &&
		    (id = str(svc, "id")) != NULL) {
			if ((v = cJSON_GetObjectItemCaseSensitive(firsts,
			    id)) != NULL) {
				snprintf(err, errlen, "page %d (%s) repeats "
				    "page %d: the feed loops; stopped", page,
				    buf_cstr(&url), v->valueint);
				goto out;
			}
			cJSON_AddNumberToObject(firsts, id, page);
		}
		cJSON_ArrayForEach(svc, list)
			if (service(imp, svc, ++count, err, errlen) == -1)
				goto out;
		v = cJSON_GetObjectItemCaseSensitive(doc, "total_pages");
		last = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc,
		    "last_page")) || cJSON_GetArraySize(list) == 0 ||
		    (cJSON_IsNumber(v) && page >= v->valueint);
		cJSON_Delete(doc);
		doc = NULL;
		if (last)
			break;
		/* One transaction a page (the last is import_end's). */
		if ((k = import_checkpoint(imp, err, errlen)) == -1)
			goto out;
		if (k == 1)
			break;
	}
	if (page > MAX_PAGES) {
		snprintf(err, errlen, "more than %d pages: stopped", MAX_PAGES);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(doc);
	cJSON_Delete(firsts);
	net_free(n);
	buf_free(&url);
	buf_free(&body);
	return (rc);
}

int
import_oruk_url(const char *url, const char *since,
    const struct import_opts *o, FILE *report, char *err, size_t errlen)
{
	struct feed	 feed = { url, since };
	int		 rc = -1;

	if (o->full && (seen = cJSON_CreateArray()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	if (net_open() == -1)
		snprintf(err, errlen, "cannot start libcurl");
	else {
		rc = import_pages("import oruk", url, o, report, feed_pages,
		    &feed, seen, err, errlen);
		net_close();
	}
	cJSON_Delete(seen);
	seen = NULL;
	return (rc);
}

/* An element of a file that is one array: a service. */
struct element {
	struct import_run	*imp;
	const char		*path;
	char			*err;
	size_t			 errlen;
	int			 failed;	/* err is the service's */
};

static int
element(void *arg, const char *text, size_t len, long long n)
{
	struct element	*e = arg;
	cJSON		*svc;
	int		 rc;

	if ((svc = cJSON_ParseWithLength(text, len)) == NULL) {
		snprintf(e->err, e->errlen, "%s: service %lld of the array is "
		    "not JSON", e->path, n);
		e->failed = 1;
		return (-1);
	}
	rc = service(e->imp, svc, n, e->err, e->errlen);
	cJSON_Delete(svc);
	e->failed = rc == -1;
	return (rc);
}

int
import_oruk(const char *path, const struct import_opts *o, FILE *report,
    char *err, size_t errlen)
{
	struct import_run	 imp;
	struct json_split	 js;
	struct element		 el;
	struct buf		 b;
	gzFile			 f;
	char			 chunk[65536], why[256];
	const char		*nl, *s;
	long long		 line = 0;
	size_t			 off;
	int			 n, rc = -1, began = 0, whole = -1;

	buf_init(&b);
	if ((f = gzopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (o->full && (seen = cJSON_CreateArray()) == NULL) {
		snprintf(err, errlen, "out of memory");
		gzclose(f);
		return (-1);
	}
	el.imp = &imp;
	el.path = path;
	el.err = err;
	el.errlen = errlen;
	el.failed = 0;
	json_split_init(&js, MAX_DOC, element, &el);
	if (import_begin(&imp, "import oruk", "services", path, o, report,
	    err, errlen) == -1)
		goto out;
	began = 1;
	/*
	 * NDJSON a line at a time, and an array a service at a time (memory
	 * stays flat however many); any other shape is one document, read
	 * whole.  It is NDJSON when the first line is a service by itself
	 * (an object with an id or a name, not a page's "contents").
	 */
	while ((n = gzread(f, chunk, sizeof(chunk))) > 0) {
		if (whole == 2) {
			if (json_split_feed(&js, chunk, (size_t)n, why,
			    sizeof(why)) == -1)
				goto split;
			continue;
		}
		if (buf_append(&b, chunk, (size_t)n) == -1 ||
		    b.len > MAX_DOC) {
			snprintf(err, errlen, "%s: %s", path, b.oom ?
			    "out of memory" : "a line or document over 256 MB");
			goto out;
		}
		if (whole == -1) {
			s = b.data + strspn(b.data, " \t\r\n\xef\xbb\xbf");
			if (*s == '\0')
				continue;
			if (*s == '[') {
				whole = 2;
				if (json_split_feed(&js, s, b.len - (size_t)(s -
				    b.data), why, sizeof(why)) == -1)
					goto split;
				buf_reset(&b);
				continue;
			}
			if (*s != '{')
				whole = 1;
			else if ((nl = memchr(s, '\n', b.len - (size_t)(s -
			    b.data))) != NULL) {
				cJSON	*t = cJSON_ParseWithLength(s,
				    (size_t)(nl - s));

				/* A page on one line is still a page. */
				whole = !cJSON_IsObject(t) ||
				    cJSON_HasObjectItem(t, "contents") ||
				    (!cJSON_HasObjectItem(t, "id") &&
				    !cJSON_HasObjectItem(t, "name"));
				cJSON_Delete(t);
			} else
				continue;
		}
		if (whole)
			continue;
		for (off = 0; (nl = memchr(b.data + off, '\n', b.len - off)) !=
		    NULL; off = (size_t)(nl - b.data) + 1)
			if (ndjson_line(&imp, b.data + off, (size_t)(nl -
			    b.data) - off, ++line, err, errlen) == -1)
				goto out;
		memmove(b.data, b.data + off, b.len - off);
		b.len -= off;
		if (b.data != NULL)
			b.data[b.len] = '\0';
	}
	if (n < 0) {
		int	e;

		snprintf(err, errlen, "%s: %s", path, gzerror(f, &e));
		goto out;
	}
	if (whole == 2) {
		if (json_split_end(&js, why, sizeof(why)) == -1)
			goto split;
	} else if (whole == 1 || (whole == -1 && b.len > 0 &&
	    b.data[strspn(b.data, " \t\r\n")] != '\0')) {
		if (document(&imp, b.data, b.len, path, err, errlen) == -1)
			goto out;
	} else if (b.len > 0 && ndjson_line(&imp, b.data, b.len, ++line, err,
	    errlen) == -1)
		goto out;
	if (imp.read == 0) {
		snprintf(err, errlen, "%s has no services", path);
		goto out;
	}
	if (o->full && import_withdraw_missing(&imp, seen, err, errlen) == -1)
		goto out;
	began = 0;
	rc = import_end(&imp, err, errlen);
	goto out;
split:
	/* The splitter's own complaint; a service's is already in err. */
	if (!el.failed)
		snprintf(err, errlen, "%s: %s", path, why);
out:
	if (began)
		import_abort(&imp);
	json_split_free(&js);
	gzclose(f);
	buf_free(&b);
	cJSON_Delete(seen);
	seen = NULL;
	return (rc);
}
