/*
 * The partner feed.  Every GET goes: parse and check the parameters (a
 * bad one is a 400 naming it), take the directory version (kept in memory
 * by a LISTEN thread, see ver_listener), answer 304 if the client's copy
 * is current, else copy the body from the cache, else render it with
 * prepared statements and keep it.  ETag is a hash of the normalised URL
 * and the version, so it changes exactly when the directory does.
 * Unknown query parameters are ignored, as Open Referral UK clients
 * expect; they do not reach the cache key, so they cannot be used to fill
 * the cache.
 */
#include <sys/types.h>

#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "asset.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "feed.h"
#include "feed_cache.h"
#include "feed_sql.h"
#include "http.h"
#include "log.h"
#include "postcode.h"
#include "reply.h"

#define PER_PAGE_DEFAULT	50
#define PER_PAGE_MAX		100
#define PAGE_MAX		1000000
#define STREAM_RANGE		"500"	/* ids per NDJSON batch; text for SQL */
#define STREAM_RANGE_N		500
#define CACHE_CONTROL		"public, max-age=60"
#define JSON_TYPE		"application/json"
#define GEOJSON_TYPE		"application/geo+json"
#define NDJSON_TYPE		"application/x-ndjson"
#define PROFILE_URL		"https://openreferraluk.org/specifications/3.0/"

static const struct db_stmt stmts[] = {
	{ "feed_version",
	  "SELECT version, floor(extract(epoch FROM changed_at))::bigint "
	  "FROM directory_version" },

	{ "feed_svc_count",
	  "SELECT count(*) FROM service s WHERE " FILTER },
	{ "feed_svc_page",
	  PAGE_SERVICES "SELECT " SERVICE_JSON " " FROM_PAGE_SERVICES },
	{ "feed_svc_page_full",
	  PAGE_SERVICES "SELECT " SERVICE_FULL_JSON " " FROM_PAGE_SERVICES },
	{ "feed_svc_page_min",
	  PAGE_SERVICES "SELECT " MINIMAL_JSON " " FROM_PAGE_SERVICES },
	/*
 * NDJSON: the services are walked in id order, STREAM_RANGE ids at a
 * time from $11 (exclusive; the nil UUID at first), and the filters are
 * applied within each range.  Each row carries the range's last id (upto,
 * NULL when the range is empty: the end) and its size (smaller than
 * STREAM_RANGE: the last range); a range with no match gives one row
 * with no document.  Filtering inside a fixed range keeps every batch
 * cheap whatever the plan: with the filters and the LIMIT in one query a
 * generic plan sorted the whole table for every batch.
 */
#define STREAM_SQL(doc) \
	"WITH r AS MATERIALIZED (SELECT * FROM service " \
	"WHERE id > $11::uuid ORDER BY id LIMIT " STREAM_RANGE "), " \
	"m AS (SELECT (SELECT id FROM r ORDER BY id DESC LIMIT 1) AS upto, " \
	"(SELECT count(*) FROM r) AS n) " \
	"SELECT m.upto, m.n, x.id, x.doc FROM m LEFT JOIN LATERAL " \
	"(SELECT s.id, " doc " AS doc FROM r s " \
	"JOIN organization o ON o.id = s.organization_id WHERE " FILTER \
	") x ON true ORDER BY x.id"
	{ "feed_svc_after", STREAM_SQL(SERVICE_JSON) },
	{ "feed_svc_after_full", STREAM_SQL(SERVICE_FULL_JSON) },
	{ "feed_svc_after_min", STREAM_SQL(MINIMAL_JSON) },
	{ "feed_svc_one",
	  "SELECT " SERVICE_FULL_JSON " " FROM_SERVICES "WHERE s.id = $1" },

	{ "feed_sal_count",
	  "SELECT count(*) " FROM_SAL "WHERE " FILTER },
	{ "feed_sal_count_near",
	  "SELECT count(*) " FROM_SAL "WHERE " FILTER NEAR },
	{ "feed_sal_page",
	  "WITH page AS (SELECT sal.id, s.name AS sname, l.name AS lname "
	  FROM_SAL "WHERE " FILTER "ORDER BY s.name, l.name, sal.id "
	  "LIMIT $11 OFFSET $12) "
	  "SELECT " SAL_JSON("NULL::numeric") " " FROM_PAGE_SAL
	  "ORDER BY page.sname, page.lname, page.id" },
	{ "feed_sal_page_near",
	  "WITH page AS (SELECT sal.id, l.grid <-> point($11, $12) AS d "
	  FROM_SAL "WHERE " FILTER NEAR "ORDER BY d, sal.id "
	  "LIMIT $14 OFFSET $15) "
	  "SELECT " SAL_JSON(DISTANCE) " " FROM_PAGE_SAL
	  "ORDER BY page.d, page.id" },
	{ "feed_sal_one",
	  "SELECT json_strip_nulls(json_build_object('id', sal.id, "
	  "'service_id', sal.service_id, 'location_id', sal.location_id, "
	  "'location', " LOCATION_FULL_JSON "))::text "
	  "FROM service_at_location sal JOIN location l "
	  "ON l.id = sal.location_id WHERE sal.id = $1" },

	{ "feed_geo",
	  "SELECT " FEATURE_JSON("NULL::numeric", "$11") " " FROM_SAL
	  "WHERE " FILTER "AND l.latitude IS NOT NULL "
	  "ORDER BY s.name, l.name, sal.id" },
	{ "feed_geo_near",
	  "SELECT " FEATURE_JSON(DISTANCE, "$14") " " FROM_SAL
	  "WHERE " FILTER NEAR "ORDER BY l.grid <-> point($11, $12), sal.id" },

	{ "feed_tax_count",
	  "SELECT count(*) FROM feed_taxonomy tx WHERE ($1::text IS NULL "
	  "OR position(lower($1) IN lower(tx.name)) > 0)" },
	{ "feed_tax_page",
	  "SELECT json_strip_nulls(" TAXONOMY_JSON ")::text "
	  "FROM feed_taxonomy tx "
	  "WHERE ($1::text IS NULL OR position(lower($1) IN lower(tx.name)) "
	  "> 0) ORDER BY tx.name, tx.id LIMIT $2 OFFSET $3" },
	{ "feed_tax_one",
	  "SELECT json_strip_nulls(" TAXONOMY_JSON ")::text "
	  "FROM feed_taxonomy tx "
	  "WHERE tx.id = $1" },

#define TERM_FILTER \
	"($1::text IS NULL OR position(lower($1) IN lower(t.name)) > 0) " \
	"AND ($2::uuid IS NULL OR t.taxonomy_id = $2) " \
	"AND ($3::uuid IS NULL OR t.parent_id = $3) " \
	"AND (NOT $4::boolean OR t.parent_id IS NULL) "
	{ "feed_term_count",
	  "SELECT count(*) FROM feed_taxonomy_term t WHERE " TERM_FILTER },
	{ "feed_term_page",
	  "SELECT json_strip_nulls(" TERM_JSON ")::text "
	  "FROM feed_taxonomy_term t "
	  "JOIN feed_taxonomy tx ON tx.id = t.taxonomy_id WHERE " TERM_FILTER
	  "ORDER BY tx.name, t.name, t.id LIMIT $5 OFFSET $6" },
	{ "feed_term_one",
	  "SELECT json_strip_nulls(" TERM_JSON ")::text "
	  "FROM feed_taxonomy_term t "
	  "JOIN feed_taxonomy tx ON tx.id = t.taxonomy_id WHERE t.id = $1" },

	{ "feed_org_count",
	  "SELECT count(*) FROM organization o WHERE ($1::text IS NULL "
	  "OR position(lower($1) IN lower(o.name)) > 0)" },
	{ "feed_org_page",
	  "SELECT json_strip_nulls(" ORG_JSON ")::text FROM organization o "
	  "WHERE ($1::text IS NULL OR position(lower($1) IN lower(o.name)) "
	  "> 0) ORDER BY o.name, o.id LIMIT $2 OFFSET $3" },
	{ "feed_org_one",
	  "SELECT json_strip_nulls(" ORG_JSON ")::text FROM organization o "
	  "WHERE o.id = $1" },
};

/* Parsed and checked parameters of a list request. */
struct query {
	const char	*search;
	const char	*term;
	const char	*taxonomy;
	const char	*org;
	const char	*parent;
	char		 modified[48];
	char		 min_age[24];
	char		 max_age[24];
	char		 day[3];
	char		 start[6];
	char		 end[6];
	int		 near;
	char		 postcode[POSTCODE_MAX];
	char		 easting[32];
	char		 northing[32];
	char		 radius[32];
	long long	 page;
	long long	 per_page;
	int		 minimal;
	int		 full;
	int		 top_only;
	int		 ndjson;
	const char	*one_stmt;	/* one record by id: its statement */
	const char	*one_what;	/* and what it is called in a 404 */
};

/* A body made once at start-up (the root document, OpenAPI). */
struct fixed {
	char	*body;
	size_t	 len;
	char	 etag[40];
};

static struct fixed	root_doc, openapi_doc;
/* config.public_url without a trailing slash: links append "/api/...". */
static char		site[sizeof(config.public_url)];

static void
fixed_etag(struct fixed *f)
{
	unsigned char	h[16];
	char		hex[33];

	crypto_generichash(h, sizeof(h), (const unsigned char *)f->body,
	    f->len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(f->etag, sizeof(f->etag), "\"%s\"", hex);
}

static void
make_root(void)
{
	cJSON	*o;
	char	 url[512];

	if ((o = cJSON_CreateObject()) == NULL)
		fatal("out of memory");
	snprintf(url, sizeof(url), "%s/api/openapi.json", site);
	cJSON_AddStringToObject(o, "version", "HSDS-UK-3.0");
	cJSON_AddStringToObject(o, "profile", PROFILE_URL);
	cJSON_AddStringToObject(o, "openapi_url", url);
	if ((root_doc.body = cJSON_PrintUnformatted(o)) == NULL)
		fatal("out of memory");
	root_doc.len = strlen(root_doc.body);
	fixed_etag(&root_doc);
	cJSON_Delete(o);
}

/*
 * The OpenAPI document is written by hand (assets/openapi.json, where a
 * reviewer reads it beside this file); only the server URL is filled in
 * from the configuration.
 */
/*
 * cJSON indents with tabs and puts one after each colon; OpenAPI tools
 * and people expect spaces.  A raw tab can only be layout (one inside a
 * string is written "\t"), so each becomes two spaces at the start of a
 * line and one space elsewhere.  Frees s; the result is malloc'd.
 */
static char *
untab(char *s)
{
	struct buf	 b;
	const char	*p;
	int		 bol = 1;

	buf_init(&b);
	for (p = s; *p != '\0'; p++) {
		if (*p == '\t')
			buf_puts(&b, bol ? "  " : " ");
		else {
			buf_append(&b, p, 1);
			bol = *p == '\n';
		}
	}
	cJSON_free(s);
	if (b.oom)
		fatal("out of memory");
	return (buf_release(&b));
}

static void
make_openapi(void)
{
	const struct asset_file	*a;
	cJSON			*doc, *servers, *srv, *info, *contact;
	char			 url[512], *text;

	if ((a = asset_find("/assets/openapi.json")) == NULL)
		fatal("assets/openapi.json is not built in");
	if ((doc = cJSON_ParseWithLength((const char *)a->data, a->len)) ==
	    NULL)
		fatal("assets/openapi.json is not valid JSON");
	snprintf(url, sizeof(url), "%s/api", site);
	cJSON_DeleteItemFromObject(doc, "servers");
	if ((servers = cJSON_AddArrayToObject(doc, "servers")) == NULL ||
	    (srv = cJSON_CreateObject()) == NULL)
		fatal("out of memory");
	cJSON_AddItemToArray(servers, srv);
	cJSON_AddStringToObject(srv, "url", url);
	/* Who answers for this feed: this site, not the file's example. */
	if ((info = cJSON_GetObjectItem(doc, "info")) != NULL) {
		cJSON_DeleteItemFromObject(info, "contact");
		if ((contact = cJSON_AddObjectToObject(info, "contact")) ==
		    NULL)
			fatal("out of memory");
		cJSON_AddStringToObject(contact, "name", "Signpost directory");
		snprintf(url, sizeof(url), "%s/about/data", site);
		cJSON_AddStringToObject(contact, "url", url);
		if (config.contact_email[0] != '\0')
			cJSON_AddStringToObject(contact, "email",
			    config.contact_email);
	}
	if ((text = cJSON_Print(doc)) == NULL)
		fatal("out of memory");
	openapi_doc.body = untab(text);
	openapi_doc.len = strlen(openapi_doc.body);
	fixed_etag(&openapi_doc);
	cJSON_Delete(doc);
}

void
feed_init(void)
{
	size_t	n;

	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	str_copy(site, sizeof(site), config.public_url);
	for (n = strlen(site); n > 0 && site[n - 1] == '/'; n--)
		site[n - 1] = '\0';
	make_root();
	make_openapi();
}


static void
http_date(time_t t, char *out, size_t len)
{
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, len, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/*
 * 1 when the client's copy is current.  If-None-Match wins over
 * If-Modified-Since (RFC 9110 13.2.2).
 */
static int
not_modified(struct http_request *req, const char *etag, time_t changed)
{
	const char	*v;
	struct tm	 tm;
	char		*end;

	if ((v = http_header(req, "If-None-Match")) != NULL)
		return (http_etag_matches(v, etag));
	if ((v = http_header(req, "If-Modified-Since")) == NULL)
		return (0);
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm)) == NULL ||
	    *end != '\0')
		return (0);
	return (changed <= timegm(&tm));
}

static void
validators(struct http_request *req, const char *etag, time_t changed)
{
	char	date[64];

	http_date(changed, date, sizeof(date));
	http_header_set(req, "ETag", etag);
	http_header_set(req, "Last-Modified", date);
	http_header_set(req, "Cache-Control", CACHE_CONTROL);
}

static void
respond_fixed(struct http_request *req, const struct fixed *f,
    const char *ctype)
{
	http_header_set(req, "Cache-Control", CACHE_CONTROL);
	if (http_etag(req, f->etag))
		return;
	req->static_body = f->body;
	req->static_len = f->len;
	http_respond(req, 200, ctype);
}

void
feed_root(struct http_request *req)
{
	respond_fixed(req, &root_doc, JSON_TYPE);
}

void
feed_openapi(struct http_request *req)
{
	respond_fixed(req, &openapi_doc, JSON_TYPE);
}

static void
bad(struct http_request *req)
{
	http_header_set(req, "Cache-Control", "no-store");
	reply_bad_param(req);
}

static void
not_found(struct http_request *req, const char *what)
{
	char	detail[128];

	http_header_set(req, "Cache-Control", "no-store");
	snprintf(detail, sizeof(detail), "There is no %s with that id.",
	    what);
	http_problem(req, 404, "Not Found", detail, NULL);
}

static void
db_failed(struct http_request *req, enum db_status st)
{
	http_header_set(req, "Cache-Control", "no-store");
	reply_db_error(req, st);
}

static int
read_version(uint64_t *version, time_t *changed)
{
	struct db_result	*r;
	enum db_status		 st;
	long long		 v, t;
	int			 rc = -1;

	if ((st = db_exec("feed_version", 0, NULL, &r)) != DB_OK)
		return (st == DB_UNAVAILABLE ? -2 : -1);
	if (db_rows(r) == 1 &&
	    str_to_ll(db_value(r, 0, 0), 1, INT64_MAX, &v) == 0 &&
	    str_to_ll(db_value(r, 0, 1), 0, INT64_MAX, &t) == 0) {
		*version = (uint64_t)v;
		*changed = (time_t)t;
		rc = 0;
	}
	db_free(r);
	return (rc);
}

/*
 * What the server knows of directory_version.  A listener thread keeps it
 * current: LISTEN directory_version (sql/008 notifies at each commit that
 * changes the directory) and a re-read at least once a second in case a
 * notification is lost.  While the listener is not connected (start-up, a
 * database restart), every request asks the database itself.  So a cached
 * page costs no SQL at all, and a change shows within milliseconds.
 *
 * With standbys to read from, the version must be the one the feed reads
 * from, and NOTIFY is not replayed on a standby: the listener still
 * listens on the primary, but reads the replicated directory_version row
 * on the standby, at each notification and every database_read_check_ms.
 * A change then shows within replication lag plus that.
 */
static pthread_mutex_t	 ver_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t	 ver_once = PTHREAD_ONCE_INIT;
static uint64_t		 ver_version;
static time_t		 ver_changed;
static int		 ver_live;

static void
ver_store(int live, uint64_t version, time_t changed)
{
	pthread_mutex_lock(&ver_lock);
	ver_live = live;
	/* A re-read racing a notification must not step back. */
	if (live && version >= ver_version) {
		ver_version = version;
		ver_changed = changed;
	}
	pthread_mutex_unlock(&ver_lock);
}

/* A notification's payload, "version epoch-seconds"; 0 or -1. */
static int
ver_parse(char *s, uint64_t *version, time_t *changed)
{
	char		*sp;
	long long	 v, t;

	if ((sp = strchr(s, ' ')) == NULL)
		return (-1);
	*sp++ = '\0';
	if (str_to_ll(s, 1, INT64_MAX, &v) == -1 ||
	    str_to_ll(sp, 0, INT64_MAX, &t) == -1)
		return (-1);
	*version = (uint64_t)v;
	*changed = (time_t)t;
	return (0);
}

/*
 * Keeps the version current until the connection LISTEN is on is lost
 * (-1), or, polling a standby while the primary is away, for a few
 * seconds (0: try LISTEN again).  Without a standby, versions come from
 * the notifications as they arrive, and are re-read after a quiet second
 * or a payload we cannot parse.  With one, a notification only says when
 * to look: the version is read from the standby, which may not have the
 * change yet, so it is read again every database_read_check_ms too.
 */
static int
watch(int listening, int *warned)
{
	uint64_t	v;
	time_t		c;
	char		payload[64];
	int		replica = db_has_replica(), n, waited = 0;
	int		ms = replica ? config.database_read_check_ms : 1000;

	while (read_version(&v, &c) == 0) {
		ver_store(1, v, c);
		*warned = 0;
		if (!listening) {
			if ((waited += ms) > 5000)
				return (0);
			(void)usleep((useconds_t)ms * 1000);
			continue;
		}
		while ((n = db_wait_notify(ms, payload, sizeof(payload))) >
		    0 && !replica && ver_parse(payload, &v, &c) == 0)
			ver_store(1, v, c);
		if (n == -1)
			return (-1);
	}
	return (-1);
}

static void *
ver_listener(void *arg)
{
	int	listening, warned = 0;

	(void)arg;
	for (;;) {
		/* LISTEN before reading, so no commit falls in between. */
		listening = db_listen("directory_version") == DB_OK;
		if ((listening || db_has_replica()) &&
		    watch(listening, &warned) == 0)
			continue;
		ver_store(0, 0, 0);
		if (!warned)
			log_warn("feed: change listener lost the database "
			    "(%s); checking the version on every request "
			    "until it is back", db_errmsg());
		warned = 1;
		db_close();
		sleep(1);
	}
	return (NULL);
}

static void
ver_start(void)
{
	pthread_t	t;
	pthread_attr_t	a;

	if (pthread_attr_init(&a) != 0)
		return;
	(void)pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &a, ver_listener, NULL) != 0)
		log_warn("feed: cannot start the change listener; checking "
		    "the version on every request");
	pthread_attr_destroy(&a);
}

/* 1 when the listener is live and says which version is current. */
static int
known_version(uint64_t *version, time_t *changed)
{
	int	live;

	(void)pthread_once(&ver_once, ver_start);
	pthread_mutex_lock(&ver_lock);
	if ((live = ver_live)) {
		*version = ver_version;
		*changed = ver_changed;
	}
	pthread_mutex_unlock(&ver_lock);
	return (live);
}

/* 0, -1 (database error) or -2 (database unavailable). */
static int
current_version(uint64_t *version, time_t *changed)
{
	return (known_version(version, changed) ? 0 :
	    read_version(version, changed));
}

/*
 * A renderer writes a 200 body into out and its content type into ctype
 * and returns 0; or answers the request itself (404, database error) and
 * returns -1.
 */
typedef int	(*render_fn)(struct http_request *, const struct query *,
		    struct buf *, const char **);

static void
serve(struct http_request *req, const char *key, const struct query *q,
    render_fn render)
{
	struct buf	 body;
	uint64_t	 version;
	time_t		 changed;
	unsigned char	 h[16];
	char		 etag[40], hex[33], ct[48], vs[24];
	const char	*ctype = JSON_TYPE;
	crypto_generichash_state gs;
	int		 rc, gz = http_accepts_gzip(req), fresh;

	/*
	 * From memory only (the network thread): the version as the
	 * listener last heard it, and a body from the cache, or nothing.
	 */
	if (req->memory_only && !known_version(&version, &changed)) {
		http_decline(req);
		return;
	}
	/*
	 * Someone who has just written reads the primary: its version, and
	 * no body cached from the standby (the router keeps such requests
	 * off the memory path).
	 */
	fresh = !req->memory_only && db_reads_primary();
	if (!req->memory_only && (rc = fresh ?
	    read_version(&version, &changed) :
	    current_version(&version, &changed)) != 0) {
		if (rc == -1)
			log_warn("feed: cannot read directory_version: %s",
			    db_errmsg());
		db_failed(req, rc == -2 ? DB_UNAVAILABLE : DB_ERROR);
		return;
	}
	snprintf(vs, sizeof(vs), "%" PRIu64, version);
	crypto_generichash_init(&gs, NULL, 0, sizeof(h));
	crypto_generichash_update(&gs, (const unsigned char *)vs, strlen(vs));
	crypto_generichash_update(&gs, (const unsigned char *)"\n", 1);
	crypto_generichash_update(&gs, (const unsigned char *)key,
	    strlen(key));
	crypto_generichash_final(&gs, h, sizeof(h));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(etag, sizeof(etag), "\"%s\"", hex);

	/*
	 * Validators are only ever handed out with a 200, and they change
	 * with the version, so a match means the 200 still stands.
	 */
	if (not_modified(req, etag, changed)) {
		validators(req, etag, changed);
		/*
		 * The cached body, if any, gives the 304 its true length:
		 * the length of the form this client would get.
		 */
		buf_reset(&req->resp);
		if (fresh || (rc = feed_cache_get(key, version, gz,
		    &req->resp, ct, sizeof(ct))) == -1)
			buf_reset(&req->resp);
		else
			http_header_set(req, "Content-Type", ct);
		req->resp_gzip = rc == 1;
		req->status = 304;
		return;
	}
	buf_init(&body);
	if (!fresh && (rc = feed_cache_get(key, version, gz, &body, ct,
	    sizeof(ct))) != -1) {
		ctype = ct;
		req->resp_gzip = rc == 1;
	} else if (req->memory_only) {
		buf_free(&body);
		http_decline(req);
		return;
	} else {
		buf_reset(&body);
		if (render(req, q, &body, &ctype) == -1) {
			buf_free(&body);
			return;
		}
		if (body.oom) {
			buf_free(&body);
			reply_error(req, 500, "Out of memory.");
			return;
		}
		if (!fresh)
			feed_cache_put(key, version, ctype, body.data,
			    body.len);
	}
	validators(req, etag, changed);
	buf_free(&req->resp);
	req->resp = body;
	http_respond(req, 200, ctype);
}

/* Parameters. */

static int
digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return (0);
	return (1);
}

static int
num(const char *s, size_t n)
{
	int	v = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return (v);
}

/*
 * modified_after: an RFC 3339 date-time ("2025-03-01T09:30:00Z",
 * "...+01:00", fractions allowed) or a date, taken as midnight in
 * Scotland.  The checked text goes to PostgreSQL as a timestamptz.
 */
static int
parse_modified(const char *s, char *out, size_t len)
{
	const char	*p;
	char		 day[11];
	size_t		 n;
	int		 y, m, d;

	n = strlen(s);
	snprintf(day, sizeof(day), "%.10s", s);
	if (n < 10 || str_to_date(day, &y, &m, &d) == -1)
		return (-1);
	if (n == 10)
		return (snprintf(out, len, "%s 00:00:00 Europe/London", s) <
		    (int)len ? 0 : -1);
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || n < 20 ||
	    !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2) ||
	    s[16] != ':' || !digits(s + 17, 2) || num(s + 11, 2) > 23 ||
	    num(s + 14, 2) > 59 || num(s + 17, 2) > 60)
		return (-1);
	p = s + 19;
	if (*p == '.') {
		for (p++, n = 0; isdigit((unsigned char)*p); p++, n++)
			;
		if (n == 0 || n > 9)
			return (-1);
	}
	/* An unencoded "+01:00" arrives as " 01:00" (a + is a space). */
	if (!((p[0] == 'Z' || p[0] == 'z') && p[1] == '\0') &&
	    !((p[0] == '+' || p[0] == '-' || p[0] == ' ') &&
	    digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) &&
	    p[6] == '\0' && num(p + 1, 2) <= 23 && num(p + 4, 2) <= 59))
		return (-1);
	if (str_copy(out, len, s) == -1)
		return (-1);
	if (p[0] == ' ')
		out[p - s] = '+';
	return (0);
}

static int
parse_hhmm(const char *s, char *out, size_t len)
{
	int	mins;

	if (str_to_hhmm(s, &mins) == -1)
		return (-1);
	return (str_copy(out, len, s));
}

static int
parse_day(const char *s, char *out, size_t len)
{
	static const char *const days[][2] = {
	    { "MO", "monday" }, { "TU", "tuesday" }, { "WE", "wednesday" },
	    { "TH", "thursday" }, { "FR", "friday" }, { "SA", "saturday" },
	    { "SU", "sunday" } };
	size_t	i;

	for (i = 0; i < sizeof(days) / sizeof(days[0]); i++)
		if (strcasecmp(s, days[i][0]) == 0 ||
		    strcasecmp(s, days[i][1]) == 0)
			return (str_copy(out, len, days[i][0]));
	return (-1);
}

static int
get_uuid(struct http_request *req, const char *name, const char **out)
{
	return (http_param_uuid(req, name, out) == HTTP_PARAM_BAD ? -1 : 0);
}

static int
get_bool(struct http_request *req, const char *name, int *out)
{
	*out = 0;
	return (http_param_bool(req, name, out) == HTTP_PARAM_BAD ? -1 : 0);
}

static int
get_paging(struct http_request *req, struct query *q)
{
	q->page = 1;
	q->per_page = PER_PAGE_DEFAULT;
	if (http_param_int(req, "page", 1, PAGE_MAX, &q->page) ==
	    HTTP_PARAM_BAD ||
	    http_param_int(req, "per_page", 1, PER_PAGE_MAX, &q->per_page) ==
	    HTTP_PARAM_BAD)
		return (-1);
	return (0);
}

static int
get_search(struct http_request *req, struct query *q)
{
	return (http_param_str(req, "search", 200, &q->search) ==
	    HTTP_PARAM_BAD ? -1 : 0);
}

/* The service filters; 0, or -1 with the bad parameter recorded. */
static int
get_filters(struct http_request *req, struct query *q)
{
	static const char *const formats[] = { "json", "ndjson", NULL };
	const char	*v;
	long long	 a, b;
	int		 fmt = 0;

	if (get_search(req, q) == -1 ||
	    get_uuid(req, "taxonomy_term_id", &q->term) == -1 ||
	    get_uuid(req, "taxonomy_id", &q->taxonomy) == -1 ||
	    get_uuid(req, "organization_id", &q->org) == -1)
		return (-1);
	if ((v = http_param(req, "modified_after")) != NULL &&
	    parse_modified(v, q->modified, sizeof(q->modified)) == -1) {
		http_param_error(req, "modified_after", "modified_after must "
		    "be an RFC 3339 date-time like 2025-03-01T09:30:00Z, or a "
		    "date like 2025-03-01");
		return (-1);
	}
	a = -1;
	b = -1;
	if (http_param_int(req, "minimum_age", 0, 130, &a) == HTTP_PARAM_BAD ||
	    http_param_int(req, "maximum_age", 0, 130, &b) == HTTP_PARAM_BAD)
		return (-1);
	if (a >= 0 && b >= 0 && a > b) {
		http_param_error(req, "maximum_age", "maximum_age must not be "
		    "less than minimum_age");
		return (-1);
	}
	if (a >= 0)
		snprintf(q->min_age, sizeof(q->min_age), "%lld", a);
	if (b >= 0)
		snprintf(q->max_age, sizeof(q->max_age), "%lld", b);
	if ((v = http_param(req, "day")) != NULL &&
	    parse_day(v, q->day, sizeof(q->day)) == -1) {
		http_param_error(req, "day", "day must be one of MO, TU, WE, "
		    "TH, FR, SA, SU or a day name like Tuesday");
		return (-1);
	}
	if ((v = http_param(req, "start_time")) != NULL &&
	    parse_hhmm(v, q->start, sizeof(q->start)) == -1) {
		http_param_error(req, "start_time", "start_time must be a "
		    "24-hour time like 09:30");
		return (-1);
	}
	if ((v = http_param(req, "end_time")) != NULL &&
	    parse_hhmm(v, q->end, sizeof(q->end)) == -1) {
		http_param_error(req, "end_time", "end_time must be a "
		    "24-hour time like 17:00");
		return (-1);
	}
	if (q->start[0] != '\0' && q->end[0] != '\0' &&
	    strcmp(q->start, q->end) >= 0) {
		http_param_error(req, "end_time", "end_time must be later "
		    "than start_time");
		return (-1);
	}
	if (http_param_enum(req, "format", formats, &fmt) == HTTP_PARAM_BAD)
		return (-1);
	q->ndjson = fmt == 1;
	return (0);
}

/* The shapes of /api/services: minimal, full, and pages unless NDJSON. */
static int
get_shape(struct http_request *req, struct query *q)
{
	if (get_bool(req, "minimal", &q->minimal) == -1 ||
	    get_bool(req, "full", &q->full) == -1)
		return (-1);
	if (q->minimal && q->full) {
		http_param_error(req, "minimal", "minimal and full cannot be "
		    "used together");
		return (-1);
	}
	return (q->ndjson ? 0 : get_paging(req, q));
}

/*
 * postcode and proximity: 0, -1 bad parameter, -2 database down, -3
 * declined (from memory only: a look-up is a query).
 */
static int
get_near(struct http_request *req, struct query *q)
{
	struct postcode_info	 pi;
	const char		*v;
	long long		 r = -1;

	if (http_param_int(req, "proximity", 1, 1000000, &r) ==
	    HTTP_PARAM_BAD)
		return (-1);
	if ((v = http_param(req, "postcode")) == NULL) {
		if (r != -1) {
			http_param_error(req, "proximity", "proximity needs a "
			    "postcode to measure from");
			return (-1);
		}
		return (0);
	}
	/* A look-up is a query: not on the network thread. */
	if (req->memory_only) {
		http_decline(req);
		return (-3);
	}
	switch (postcode_lookup(v, &pi)) {
	case POSTCODE_FOUND:
		break;
	case POSTCODE_MALFORMED:
		http_param_error(req, "postcode", "postcode must be a full "
		    "UK postcode like G12 8QQ, a postcode sector like G12 8, "
		    "or a district like G12");
		return (-1);
	case POSTCODE_NOT_FOUND:
		if (pi.kind == POSTCODE_FULL)
			http_param_error(req, "postcode", "postcode %s was "
			    "not found", pi.postcode);
		else
			http_param_error(req, "postcode", "there are no "
			    "postcodes in %s %s", postcode_kind_label(pi.kind),
			    pi.postcode);
		return (-1);
	default:
		return (-2);
	}
	q->near = 1;
	str_copy(q->postcode, sizeof(q->postcode), pi.postcode);
	snprintf(q->easting, sizeof(q->easting), "%.1f", pi.easting);
	snprintf(q->northing, sizeof(q->northing), "%.1f", pi.northing);
	if (r != -1)
		snprintf(q->radius, sizeof(q->radius), "%lld", r);
	return (0);
}

#define OPT(s)	((s) != NULL && (s)[0] != '\0' ? (s) : NULL)

static void
filter_params(const struct query *q, const char **p)
{
	p[0] = OPT(q->search);
	p[1] = OPT(q->term);
	p[2] = OPT(q->taxonomy);
	p[3] = OPT(q->org);
	p[4] = OPT(q->modified);
	p[5] = OPT(q->min_age);
	p[6] = OPT(q->max_age);
	p[7] = OPT(q->day);
	p[8] = OPT(q->start);
	p[9] = OPT(q->end);
}

/*
 * The cache key: the path and every parameter that changes the answer,
 * in a fixed order, as parsed (so "page=01" and "page=1" share a body).
 */
static void
make_key(struct buf *k, const struct http_request *req, const struct query *q)
{
	buf_puts(k, req->path);
	buf_puts(k, "?s=");
	if (q->search != NULL)
		buf_url(k, q->search);
	buf_printf(k, "&t=%s&x=%s&o=%s&p=%s&m=%s&a=%s&b=%s&d=%s&st=%s&en=%s"
	    "&pc=%s&r=%s&page=%lld&pp=%lld&min=%d&full=%d&top=%d",
	    q->term ? q->term : "", q->taxonomy ? q->taxonomy : "",
	    q->org ? q->org : "", q->parent ? q->parent : "", q->modified,
	    q->min_age, q->max_age, q->day, q->start, q->end, q->postcode,
	    q->radius, q->page, q->per_page, q->minimal, q->full, q->top_only);
}

/* Renderers. */

static int
add_rows(struct buf *out, const struct db_result *r, int col)
{
	int	i;

	for (i = 0; i < db_rows(r); i++) {
		if (i > 0)
			buf_puts(out, ",");
		buf_puts(out, db_value(r, i, col));
	}
	return (db_rows(r));
}

/*
 * A page: count, then the rows.  params has two free slots at the end
 * for LIMIT and OFFSET.
 */
static int
render_page(struct http_request *req, const struct query *q,
    const char *count_stmt, const char *page_stmt, const char **params,
    int n, struct buf *out)
{
	struct db_result	*r = NULL;
	enum db_status		 st;
	long long		 total, pages;
	char			 limit[24], offset[24];
	int			 size;

	if ((st = db_exec(count_stmt, n, params, &r)) != DB_OK) {
		db_failed(req, st);
		return (-1);
	}
	if (str_to_ll(db_value(r, 0, 0), 0, LLONG_MAX, &total) == -1)
		total = 0;
	db_free(r);
	snprintf(limit, sizeof(limit), "%lld", q->per_page);
	snprintf(offset, sizeof(offset), "%lld", (q->page - 1) * q->per_page);
	params[n] = limit;
	params[n + 1] = offset;
	if ((st = db_exec(page_stmt, n + 2, params, &r)) != DB_OK) {
		db_failed(req, st);
		return (-1);
	}
	pages = (total + q->per_page - 1) / q->per_page;
	size = db_rows(r);
	buf_printf(out, "{\"total_items\":%lld,\"total_pages\":%lld,"
	    "\"page_number\":%lld,\"size\":%d,\"first_page\":%s,"
	    "\"last_page\":%s,\"empty\":%s,\"contents\":[", total, pages,
	    q->page, size, q->page == 1 ? "true" : "false",
	    q->page >= pages ? "true" : "false", size == 0 ? "true" : "false");
	add_rows(out, r, 0);
	buf_puts(out, "]}");
	db_free(r);
	return (0);
}

/* One document by id, or 404. */
static int
render_one(struct http_request *req, const char *stmt, const char *id,
    const char *what, struct buf *out)
{
	struct db_result	*r;
	enum db_status		 st;
	const char		*p[1] = { id };

	if ((st = db_exec(stmt, 1, p, &r)) != DB_OK) {
		db_failed(req, st);
		return (-1);
	}
	if (db_rows(r) == 0) {
		db_free(r);
		not_found(req, what);
		return (-1);
	}
	buf_puts(out, db_value(r, 0, 0));
	db_free(r);
	return (0);
}

static int
render_services(struct http_request *req, const struct query *q,
    struct buf *out, const char **ctype)
{
	const char	*p[12];

	(void)ctype;
	filter_params(q, p);
	return (render_page(req, q, "feed_svc_count", q->minimal ?
	    "feed_svc_page_min" : q->full ? "feed_svc_page_full" :
	    "feed_svc_page", p, 10, out));
}

static int
render_sals(struct http_request *req, const struct query *q,
    struct buf *out, const char **ctype)
{
	const char	*p[15];

	(void)ctype;
	filter_params(q, p);
	if (!q->near)
		return (render_page(req, q, "feed_sal_count",
		    "feed_sal_page", p, 10, out));
	p[10] = q->easting;
	p[11] = q->northing;
	p[12] = OPT(q->radius);
	return (render_page(req, q, "feed_sal_count_near",
	    "feed_sal_page_near", p, 13, out));
}

static int
render_geojson(struct http_request *req, const struct query *q,
    struct buf *out, const char **ctype)
{
	struct db_result	*r;
	enum db_status		 st;
	const char		*p[14];

	filter_params(q, p);
	if (q->near) {
		p[10] = q->easting;
		p[11] = q->northing;
		p[12] = OPT(q->radius);
		p[13] = site;
		st = db_exec("feed_geo_near", 14, p, &r);
	} else {
		p[10] = site;
		st = db_exec("feed_geo", 11, p, &r);
	}
	if (st != DB_OK) {
		db_failed(req, st);
		return (-1);
	}
	buf_puts(out, "{\"type\":\"FeatureCollection\",\"features\":[");
	add_rows(out, r, 0);
	buf_puts(out, "]}");
	db_free(r);
	*ctype = GEOJSON_TYPE;
	return (0);
}

static int
render_taxonomies(struct http_request *req, const struct query *q,
    struct buf *out, const char **ctype)
{
	const char	*p[3];

	(void)ctype;
	p[0] = OPT(q->search);
	return (render_page(req, q, "feed_tax_count", "feed_tax_page", p, 1,
	    out));
}

static int
render_terms(struct http_request *req, const struct query *q,
    struct buf *out, const char **ctype)
{
	const char	*p[6];

	(void)ctype;
	p[0] = OPT(q->search);
	p[1] = OPT(q->taxonomy);
	p[2] = OPT(q->parent);
	p[3] = q->top_only ? "true" : "false";
	return (render_page(req, q, "feed_term_count", "feed_term_page", p,
	    4, out));
}

static int
render_orgs(struct http_request *req, const struct query *q,
    struct buf *out, const char **ctype)
{
	const char	*p[3];

	(void)ctype;
	p[0] = OPT(q->search);
	return (render_page(req, q, "feed_org_count", "feed_org_page", p, 1,
	    out));
}

/* The id of a /{id} route, or a 400 naming it. */
static const char *
route_id(struct http_request *req)
{
	const char	*id = http_route_param(req, "id");

	if (!http_is_uuid(id)) {
		http_param_error(req, "id", "id must be a UUID like "
		    "ac148810-d857-441c-9679-408f346de14b");
		bad(req);
		return (NULL);
	}
	return (id);
}

static int
render_by_id(struct http_request *req, const struct query *q,
    struct buf *out, const char **ctype)
{
	(void)ctype;
	return (render_one(req, q->one_stmt, http_route_param(req, "id"),
	    q->one_what, out));
}

static void
serve_query(struct http_request *req, const struct query *q, render_fn fn)
{
	struct buf	key;

	buf_init(&key);
	make_key(&key, req, q);
	if (key.oom)
		reply_error(req, 500, "Out of memory.");
	else
		serve(req, buf_cstr(&key), q, fn);
	buf_free(&key);
}

static void
serve_id(struct http_request *req, const char *stmt, const char *what)
{
	struct query	q;

	memset(&q, 0, sizeof(q));
	if (route_id(req) == NULL)
		return;
	q.one_stmt = stmt;
	q.one_what = what;
	serve(req, req->path, &q, render_by_id);
}

/*
 * NDJSON: every match, one document a line, fetched in keyset batches
 * of STREAM_RANGE ids as libmicrohttpd asks for more.  Not db_stream: that
 * keeps the thread's connection busy between callbacks, and the same
 * thread serves other connections meanwhile.
 */
struct nd {
	char		*strs[10];
	const char	*params[11];
	const char	*stmt;
	char		 last[37];
	struct db_result *res;
	int		 row;
	int		 done;
	struct buf	 pending;
	size_t		 off;
};

static void
nd_free(void *arg)
{
	struct nd	*nd = arg;
	size_t		 i;

	for (i = 0; i < 10; i++)
		free(nd->strs[i]);
	db_free(nd->res);
	buf_free(&nd->pending);
	free(nd);
}

/* Fills dst with whole and partial lines; 0 at the end, -1 to cut. */
static ssize_t
nd_read(void *arg, char *dst, size_t max)
{
	struct nd	*nd = arg;
	enum db_status	 st;
	long long	 range;
	size_t		 n, out = 0;

	while (out < max) {
		if (nd->off < nd->pending.len) {
			n = nd->pending.len - nd->off;
			if (n > max - out)
				n = max - out;
			memcpy(dst + out, nd->pending.data + nd->off, n);
			nd->off += n;
			out += n;
			continue;
		}
		buf_reset(&nd->pending);
		nd->off = 0;
		if (nd->res != NULL && nd->row < db_rows(nd->res)) {
			/* No document: no match in this range. */
			if (!db_isnull(nd->res, nd->row, 3)) {
				buf_puts(&nd->pending,
				    db_value(nd->res, nd->row, 3));
				buf_puts(&nd->pending, "\n");
			}
			nd->row++;
			if (nd->pending.oom)
				return (-1);
			continue;
		}
		/* Send what we have before waiting on the database. */
		if (nd->done || out > 0)
			break;
		db_free(nd->res);
		nd->res = NULL;
		nd->row = 0;
		nd->params[10] = nd->last;
		if ((st = db_exec(nd->stmt, 11, nd->params, &nd->res)) !=
		    DB_OK) {
			/* The status line is gone: all we can do is cut. */
			log_warn("feed: ndjson batch: %s", db_errmsg());
			nd->res = NULL;
			return (-1);
		}
		if (db_rows(nd->res) < 1 || db_isnull(nd->res, 0, 0) ||
		    str_to_ll(db_value(nd->res, 0, 1), 0, STREAM_RANGE_N,
		    &range) == -1 || range < STREAM_RANGE_N)
			nd->done = 1;
		else
			str_copy(nd->last, sizeof(nd->last),
			    db_value(nd->res, 0, 0));
	}
	return ((ssize_t)out);
}

static void
stream_services(struct http_request *req, const struct query *q)
{
	struct nd	*nd;
	const char	*p[10];
	size_t		 i;

	if ((nd = calloc(1, sizeof(*nd))) == NULL) {
		reply_error(req, 500, "Out of memory.");
		return;
	}
	buf_init(&nd->pending);
	filter_params(q, p);
	for (i = 0; i < 10; i++) {
		if (p[i] != NULL && (nd->strs[i] = strdup(p[i])) == NULL) {
			nd_free(nd);
			reply_error(req, 500, "Out of memory.");
			return;
		}
		nd->params[i] = nd->strs[i];
	}
	str_copy(nd->last, sizeof(nd->last),
	    "00000000-0000-0000-0000-000000000000");
	nd->stmt = q->minimal ? "feed_svc_after_min" : q->full ?
	    "feed_svc_after_full" : "feed_svc_after";
	http_header_set(req, "Cache-Control", "no-cache");
	http_stream(req, 200, NDJSON_TYPE, nd_read, nd, nd_free);
}

/* Handlers. */

void
feed_services(struct http_request *req)
{
	struct query	q;

	memset(&q, 0, sizeof(q));
	if (get_filters(req, &q) == -1 || get_shape(req, &q) == -1) {
		bad(req);
		return;
	}
	if (q.ndjson && req->memory_only)
		http_decline(req);
	else if (q.ndjson)
		stream_services(req, &q);
	else
		serve_query(req, &q, render_services);
}

/* paged: parse page and per_page (the GeoJSON is one collection). */
static int
sal_query(struct http_request *req, struct query *q, int paged)
{
	int	rc;

	memset(q, 0, sizeof(*q));
	if (get_filters(req, q) == -1 || (paged && get_paging(req, q) == -1) ||
	    (rc = get_near(req, q)) == -1) {
		bad(req);
		return (-1);
	}
	if (rc == -3)
		return (-1);
	if (rc == -2) {
		db_failed(req, DB_UNAVAILABLE);
		return (-1);
	}
	if (q->ndjson) {
		http_param_error(req, "format", "format=ndjson is offered on "
		    "/api/services only; this answer is JSON");
		bad(req);
		return (-1);
	}
	return (0);
}

void
feed_service_at_locations(struct http_request *req)
{
	struct query	q;

	if (sal_query(req, &q, 1) == 0)
		serve_query(req, &q, render_sals);
}

void
feed_services_geojson(struct http_request *req)
{
	struct query	q;

	/* One collection, not pages: page and per_page do not apply. */
	if (sal_query(req, &q, 0) == 0)
		serve_query(req, &q, render_geojson);
}

/* A list whose only parameters are the search words and paging. */
static void
serve_search_list(struct http_request *req, render_fn fn)
{
	struct query	q;

	memset(&q, 0, sizeof(q));
	if (get_search(req, &q) == -1 || get_paging(req, &q) == -1) {
		bad(req);
		return;
	}
	serve_query(req, &q, fn);
}

void
feed_taxonomies(struct http_request *req)
{
	serve_search_list(req, render_taxonomies);
}

void
feed_taxonomy_terms(struct http_request *req)
{
	struct query	q;

	memset(&q, 0, sizeof(q));
	if (get_search(req, &q) == -1 || get_paging(req, &q) == -1 ||
	    get_uuid(req, "taxonomy_id", &q.taxonomy) == -1 ||
	    get_uuid(req, "parent_id", &q.parent) == -1 ||
	    get_bool(req, "top_only", &q.top_only) == -1) {
		bad(req);
		return;
	}
	serve_query(req, &q, render_terms);
}

void
feed_organizations(struct http_request *req)
{
	serve_search_list(req, render_orgs);
}

void
feed_service(struct http_request *req)
{
	serve_id(req, "feed_svc_one", "service");
}

void
feed_service_at_location(struct http_request *req)
{
	serve_id(req, "feed_sal_one", "service at location");
}

void
feed_taxonomy(struct http_request *req)
{
	serve_id(req, "feed_tax_one", "taxonomy");
}

void
feed_taxonomy_term(struct http_request *req)
{
	serve_id(req, "feed_term_one", "taxonomy term");
}

void
feed_organization(struct http_request *req)
{
	serve_id(req, "feed_org_one", "organization");
}
