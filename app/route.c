/*
 * The map of the product.  Reading the table tells a newcomer every URL,
 * the function behind it and who may use it.  HEAD is answered by GET
 * routes.  The router enforces the flags before the handler runs:
 *   CSRF   every POST: the form's token must match the cookie, or on a
 *          LOGIN route the token bound to the session (403)
 *   LOGIN  a moderator's session (else the sign-in page, or 403 on POST)
 *   ADMIN  an administrator's session
 * and sets what the response is:
 *   API    a program's: errors as problem JSON, readable by any origin
 *   CORS   any origin's scripts may read it
 *   CHEAP  answered from memory, never queued for a worker
 *   MEMORY tried from memory first, on the network thread (a cached feed
 *          page); queued for a worker when the answer is not there
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "embed.h"
#include "feed.h"
#include "files.h"
#include "form.h"
#include "http.h"
#include "ical.h"
#include "log.h"
#include "page.h"
#include "page_admin.h"
#include "page_about.h"
#include "page_area.h"
#include "page_export.h"
#include "page_import.h"
#include "page_login.h"
#include "page_review.h"
#include "page_search.h"
#include "page_service.h"
#include "page_shortlist.h"
#include "page_submit.h"
#include "postcode.h"
#include "reply.h"
#include "route.h"

#define ANYONE	0
#define CSRF	ROUTE_CSRF
#define LOGIN	ROUTE_LOGIN
#define ADMIN	(ROUTE_LOGIN | ROUTE_ADMIN)
#define API	(ROUTE_API | ROUTE_CORS)
#define CORS	ROUTE_CORS
#define CHEAP	ROUTE_CHEAP
/* The feed: an API whose answers are cached (feed_cache.c). */
#define FEED	(API | ROUTE_MEMORY)

struct route {
	enum http_method	 method;
	unsigned int		 flags;
	const char		*pattern;
	void			(*fn)(struct http_request *);
};

static const struct route routes[] = {
	{ HTTP_GET,	ANYONE,	"/",				page_search_home },
	{ HTTP_GET,	ANYONE,	"/search",			page_search_results },
	{ HTTP_GET,	API,	"/healthz",			api_healthz },
	{ HTTP_GET,	API,	"/api/postcodes/{postcode}",	api_postcode },
	{ HTTP_GET,	API,	"/api/embed",			embed_api },
	{ HTTP_GET,	FEED,	"/api",				feed_root },
	{ HTTP_GET,	FEED,	"/api/",			feed_root },
	{ HTTP_GET,	FEED,	"/api/openapi.json",		feed_openapi },
	{ HTTP_GET,	FEED,	"/api/services",		feed_services },
	{ HTTP_GET,	FEED,	"/api/services.geojson",	feed_services_geojson },
	{ HTTP_GET,	CORS,	"/export/services.csv",		page_export_services_csv },
	{ HTTP_GET,	FEED,	"/export/services.geojson",	feed_services_geojson },
	{ HTTP_GET,	FEED,	"/api/services/{id}",		feed_service },
	{ HTTP_GET,	FEED,	"/api/service_at_locations",	feed_service_at_locations },
	{ HTTP_GET,	FEED,	"/api/service_at_locations/{id}",	feed_service_at_location },
	{ HTTP_GET,	FEED,	"/api/taxonomies",		feed_taxonomies },
	{ HTTP_GET,	FEED,	"/api/taxonomies/{id}",		feed_taxonomy },
	{ HTTP_GET,	FEED,	"/api/taxonomy_terms",		feed_taxonomy_terms },
	{ HTTP_GET,	FEED,	"/api/taxonomy_terms/{id}",	feed_taxonomy_term },
	{ HTTP_GET,	FEED,	"/api/organizations",		feed_organizations },
	{ HTTP_GET,	FEED,	"/api/organizations/{id}",	feed_organization },
	{ HTTP_GET,	CHEAP,	"/assets/*",			files_asset },
	{ HTTP_GET,	CHEAP,	"/favicon.ico",			files_favicon },
	{ HTTP_GET,	CHEAP,	"/robots.txt",			files_robots },
	{ HTTP_GET,	ANYONE,	"/about/data",			page_about_data },
	{ HTTP_GET,	ANYONE,	"/about/embed",			embed_help },
	{ HTTP_GET,	ANYONE,	"/embed",			embed_page },
	{ HTTP_GET,	CHEAP | CORS,	"/embed.css",			embed_asset },
	{ HTTP_GET,	CHEAP | CORS,	"/embed.js",			embed_asset },
	{ HTTP_GET,	CORS,	"/services/{id}/calendar.ics",	ical_service },
	{ HTTP_GET,	ANYONE,	"/services/{id}",		page_service },
	{ HTTP_GET,	ANYONE,	"/services/{id}/report",	page_service_report_form },
	{ HTTP_POST,	CSRF,	"/services/{id}/report",	page_service_report_post },
	{ HTTP_GET,	ANYONE,	"/services/{id}/report/sent",	page_service_report_sent },
	{ HTTP_GET,	ANYONE,	"/organisations/{id}",		page_organisation },
	{ HTTP_GET,	ANYONE,	"/areas",			page_areas },
	{ HTTP_GET,	CORS,	"/areas.csv",			page_areas_csv },
	{ HTTP_GET,	ANYONE,	"/areas/{code}",		page_area },
	{ HTTP_GET,	CORS,	"/areas/{code}/services.csv",	page_area_csv },
	{ HTTP_GET,	CORS,	"/areas/{code}/services.geojson", page_area_geojson },
	{ HTTP_GET,	ANYONE,	"/shortlist",			page_shortlist },
	{ HTTP_GET,	ANYONE,	"/shortlist/toggle",		page_shortlist_toggle },
	{ HTTP_GET,	ANYONE,	"/submit",			page_submit_form },
	{ HTTP_POST,	CSRF,	"/submit",			page_submit_post },
	{ HTTP_GET,	ANYONE,	"/edit/{token}",		page_edit },
	{ HTTP_GET,	ANYONE,	"/edit/{token}/change",		page_edit_change_form },
	{ HTTP_POST,	CSRF,	"/edit/{token}/change",		page_edit_change_post },
	{ HTTP_POST,	CSRF,	"/edit/{token}/confirm",	page_edit_confirm },
	{ HTTP_POST,	CSRF,	"/edit/{token}/withdraw",	page_edit_withdraw },
	{ HTTP_GET,	LOGIN,	"/admin",			page_admin_queue },
	{ HTTP_GET,	LOGIN,	"/admin/submissions/{id}",	page_admin_item },
	{ HTTP_POST,	LOGIN | CSRF, "/admin/submissions/{id}/approve", page_admin_approve },
	{ HTTP_POST,	LOGIN | CSRF, "/admin/submissions/{id}/reject",	page_admin_reject },
	{ HTTP_GET,	LOGIN,	"/admin/submissions/{id}/edit",	page_admin_edit_form },
	{ HTTP_POST,	LOGIN | CSRF, "/admin/submissions/{id}/edit",	page_admin_edit_post },
	{ HTTP_GET,	LOGIN,	"/admin/reports/{id}",		page_admin_report },
	{ HTTP_POST,	LOGIN | CSRF, "/admin/reports/{id}/resolve",	page_admin_report_resolve },
	{ HTTP_GET,	LOGIN,	"/admin/services/{id}/edit",	page_admin_service_edit_form },
	{ HTTP_POST,	LOGIN | CSRF, "/admin/services/{id}/edit",	page_admin_service_edit_post },
	{ HTTP_POST,	LOGIN | CSRF, "/admin/services/{id}/unpublish", page_admin_service_unpublish },
	{ HTTP_GET,	LOGIN,	"/admin/services/{id}/history",	page_admin_history },
	{ HTTP_GET,	LOGIN,	"/admin/services/{id}/restore",	page_admin_restore_confirm },
	{ HTTP_POST,	LOGIN | CSRF, "/admin/services/{id}/restore",	page_admin_restore },
	{ HTTP_GET,	ANYONE,	"/admin/login",			page_admin_login_form },
	{ HTTP_POST,	CSRF,	"/admin/login",			page_admin_login_post },
	{ HTTP_POST,	LOGIN | CSRF,	"/admin/logout",		page_admin_logout },
	{ HTTP_GET,	LOGIN,	"/admin/whoami",		page_admin_whoami },
	{ HTTP_GET,	ADMIN,	"/admin/import",		page_import_form },
	{ HTTP_POST,	ADMIN | CSRF,	"/admin/import",		page_import_upload },
	{ HTTP_GET,	ADMIN,	"/admin/import/{id}",		page_import_show },
	{ HTTP_POST,	ADMIN | CSRF,	"/admin/import/{id}/apply",	page_import_apply },
	{ HTTP_GET,	LOGIN,	"/admin/review",		page_review },
	{ HTTP_GET,	LOGIN,	"/admin/outbox",		page_outbox },
};

int
route_match(const char *pattern, const char *path, struct http_kvlist *cap)
{
	const char	*p = pattern, *s = path, *pe, *se;
	char		 name[64], value[1024];
	size_t		 n;

	while (*p != '\0' && *s != '\0') {
		if (p[0] == '*' && p[1] == '\0')
			return (1);
		if (*p == '{') {
			if ((pe = strchr(p, '}')) == NULL)
				return (0);
			for (se = s; *se != '\0' && *se != '/'; se++)
				;
			n = (size_t)(pe - p - 1);
			if (se == s || n >= sizeof(name) ||
			    (size_t)(se - s) >= sizeof(value))
				return (0);
			memcpy(name, p + 1, n);
			name[n] = '\0';
			memcpy(value, s, (size_t)(se - s));
			value[se - s] = '\0';
			if (cap != NULL && http_kv_add(cap, name, value) == -1)
				return (0);
			p = pe + 1;
			s = se;
			continue;
		}
		if (*p != *s)
			return (0);
		p++;
		s++;
	}
	if (p[0] == '*' && p[1] == '\0')
		return (1);
	return (*p == '\0' && *s == '\0');
}

/* The route for the request's path and method (HEAD as GET), or NULL. */
static const struct route *
lookup(const struct http_request *req)
{
	enum http_method	m;
	size_t			i;

	if (req->path == NULL)
		return (NULL);
	m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (routes[i].method == m &&
		    route_match(routes[i].pattern, req->path, NULL))
			return (&routes[i]);
	return (NULL);
}

/* Under /api/ with no route (a 404 or 405 there) is a program's too. */
static int
under_api(const char *path)
{
	return (path != NULL && (strncmp(path, "/api/", 5) == 0 ||
	    strcmp(path, "/api") == 0));
}

void
route_classify(struct http_request *req)
{
	const struct route	*r = lookup(req);

	req->api = r != NULL ? (r->flags & ROUTE_API) != 0 :
	    under_api(req->path);
}

enum http_run
route_where(const struct http_request *req)
{
	const struct route	*r;

	if ((req->method != HTTP_GET && req->method != HTTP_HEAD) ||
	    (r = lookup(req)) == NULL)
		return (HTTP_RUN_WORKER);
	if (r->flags & ROUTE_CHEAP)
		return (HTTP_RUN_HERE);
	if (r->flags & ROUTE_MEMORY)
		return (HTTP_RUN_TRY_HERE);
	return (HTTP_RUN_WORKER);
}

void
route_early_error(struct http_request *req, int status, const char *detail)
{
	route_classify(req);
	reply_error(req, status, detail);
}

/* RFC 9110: a 405 lists the methods the path does answer. */
static void
set_allow(struct http_request *req)
{
	static const char *const names[] = {
		[HTTP_GET] = "GET, HEAD", [HTTP_POST] = "POST",
		[HTTP_PUT] = "PUT", [HTTP_DELETE] = "DELETE",
		[HTTP_OPTIONS] = "OPTIONS"
	};
	const struct route	*r;
	struct buf		 allow;
	unsigned int		 seen = 0;
	size_t			 i;

	buf_init(&allow);
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		r = &routes[i];
		if ((size_t)r->method >= sizeof(names) / sizeof(names[0]) ||
		    names[r->method] == NULL || (seen & 1u << r->method) ||
		    !route_match(r->pattern, req->path, NULL))
			continue;
		seen |= 1u << r->method;
		buf_printf(&allow, "%s%s", allow.len > 0 ? ", " : "",
		    names[r->method]);
	}
	http_header_set(req, "Allow", buf_cstr(&allow));
	buf_free(&allow);
}

size_t
route_count(void)
{
	return (sizeof(routes) / sizeof(routes[0]));
}

int
route_info(size_t i, enum http_method *m, const char **pattern,
    unsigned int *flags)
{
	if (i >= route_count())
		return (-1);
	*m = routes[i].method;
	*pattern = routes[i].pattern;
	*flags = routes[i].flags;
	return (0);
}

/* 1 when the handler may run; otherwise the answer has been given. */
static int
allowed(struct http_request *req, const struct route *r)
{
	struct buf	loc;
	enum db_status	st;

	if (req->method != HTTP_GET && req->method != HTTP_HEAD &&
	    !(r->flags & ROUTE_CSRF)) {
		/* A POST route without the check is a bug in this table. */
		log_warn("route %s has no CSRF flag", r->pattern);
		reply_error(req, 500, "Something went wrong on our side.");
		return (0);
	}
	if (r->flags & ROUTE_LOGIN) {
		if ((st = auth_session(req)) != DB_OK) {
			reply_db_error(req, st);
			return (0);
		}
		if (req->user_id[0] == '\0') {
			if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
				reply_error(req, 403, "Your session has ended. "
				    "Sign in again, then repeat what you did.");
				return (0);
			}
			buf_init(&loc);
			buf_puts(&loc, "/admin/login?next=");
			buf_url(&loc, req->path);
			http_redirect(req, 303, buf_cstr(&loc));
			http_header_set(req, "Cache-Control", "no-store");
			buf_free(&loc);
			return (0);
		}
		/* Its forms carry, and its POSTs need, the session's token. */
		if (auth_csrf_token(req, req->csrf_session) == -1)
			req->csrf_session[0] = '\0';
		if ((r->flags & ROUTE_ADMIN) && !req->user_admin) {
			reply_error(req, 403, "Only an administrator can do "
			    "that.");
			return (0);
		}
	}
	if ((r->flags & ROUTE_CSRF) && !form_csrf_ok(req)) {
		reply_error(req, 403, "This form had expired, or your browser "
		    "did not send its cookie. Go back, reload the page and "
		    "send it again.");
		return (0);
	}
	return (1);
}

/*
 * A browser's CORS preflight for the read-only API: any origin may GET
 * it, sending If-None-Match to use our ETags (which it may read).
 */
static void
cors_preflight(struct http_request *req)
{
	http_header_set(req, "Allow", "GET, HEAD, OPTIONS");
	http_header_set(req, "Access-Control-Allow-Origin", "*");
	http_header_set(req, "Access-Control-Allow-Methods",
	    "GET, HEAD, OPTIONS");
	http_header_set(req, "Access-Control-Allow-Headers",
	    "If-None-Match, If-Modified-Since, Accept, Accept-Language");
	http_header_set(req, "Access-Control-Expose-Headers", "ETag");
	http_header_set(req, "Access-Control-Max-Age", "86400");
	http_respond_data(req, 204, NULL, NULL, 0);
}

/*
 * Read your own writes.  With standbys to read from, a request that wrote
 * tells the browser so, in a cookie that lives database_read_after_write
 * seconds; while it does, that browser's requests read from the primary,
 * so the page after "saved" (a redirect, the moderator's next page)
 * shows what was saved even when the standby is a moment behind.
 */
#define FRESH_COOKIE	"sp_fresh"

static void
handle(struct http_request *req, const struct route *r)
{
	char	hdr[160];

	db_request_begin(http_cookie(req, FRESH_COOKIE) != NULL);
	if (allowed(req, r))
		r->fn(req);
	if (req->declined || !db_has_replica() || !db_request_wrote())
		return;
	snprintf(hdr, sizeof(hdr), "%s=1; Path=/; Max-Age=%d; HttpOnly; "
	    "SameSite=Lax%s", FRESH_COOKIE, config.database_read_after_write,
	    strncmp(config.public_url, "https://", 8) == 0 ? "; Secure" : "");
	http_header_add(req, "Set-Cookie", hdr);
}

void
route_dispatch(struct http_request *req)
{
	const struct route	*r;
	size_t			 i;
	int			 path_matched = 0;
	enum http_method	 m;

	m = req->method == HTTP_HEAD ? HTTP_GET : req->method;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		r = &routes[i];
		http_kv_free(&req->route);
		if (!route_match(r->pattern, req->path, &req->route))
			continue;
		path_matched = 1;
		if (r->method != m)
			continue;
		req->api = (r->flags & ROUTE_API) != 0;
		/* The memory path answers from the standby's version. */
		if (req->memory_only && (!(r->flags & ROUTE_MEMORY) ||
		    (db_has_replica() &&
		    http_cookie(req, FRESH_COOKIE) != NULL))) {
			http_decline(req);
			return;
		}
		handle(req, r);
		if (req->declined)
			return;
		/* The one place a response is opened to other origins. */
		if (r->flags & ROUTE_CORS) {
			http_header_set(req, "Access-Control-Allow-Origin",
			    "*");
			http_header_set(req, "Access-Control-Expose-Headers",
			    "ETag");
		}
		return;
	}
	http_kv_free(&req->route);
	req->api = under_api(req->path);
	if (path_matched && m == HTTP_OPTIONS && req->api) {
		cors_preflight(req);
		return;
	}
	if (path_matched) {
		set_allow(req);
		reply_error(req, 405, "That method is not allowed here.");
		return;
	}
	reply_error(req, 404, "We could not find that page. It may have "
	    "moved, or the address may be mistyped.");
}
