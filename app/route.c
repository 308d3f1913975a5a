/*
 * The map of the product.  Reading the table tells a newcomer every URL
 * and the function behind it.  HEAD is answered by GET routes.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "asset.h"
#include "embed.h"
#include "feed.h"
#include "http.h"
#include "ical.h"
#include "log.h"
#include "page.h"
#include "page_search.h"
#include "page_service.h"
#include "page_shortlist.h"
#include "postcode.h"
#include "route.h"

struct route {
	enum http_method	 method;
	const char		*pattern;
	void			(*fn)(struct http_request *);
};

static const struct route routes[] = {
	{ HTTP_GET,	"/",				page_search_home },
	{ HTTP_GET,	"/search",			page_search_results },
	{ HTTP_GET,	"/healthz",			api_healthz },
	{ HTTP_GET,	"/api/postcodes/{postcode}",	postcode_api_get },
	{ HTTP_GET,	"/api/embed",			embed_api },
	{ HTTP_GET,	"/api",				feed_root },
	{ HTTP_GET,	"/api/",			feed_root },
	{ HTTP_GET,	"/api/openapi.json",		feed_openapi },
	{ HTTP_GET,	"/api/services",		feed_services },
	{ HTTP_GET,	"/api/services.geojson",	feed_services_geojson },
	{ HTTP_GET,	"/api/services/{id}",		feed_service },
	{ HTTP_GET,	"/api/service_at_locations",	feed_service_at_locations },
	{ HTTP_GET,	"/api/service_at_locations/{id}",	feed_service_at_location },
	{ HTTP_GET,	"/api/taxonomies",		feed_taxonomies },
	{ HTTP_GET,	"/api/taxonomies/{id}",		feed_taxonomy },
	{ HTTP_GET,	"/api/taxonomy_terms",		feed_taxonomy_terms },
	{ HTTP_GET,	"/api/taxonomy_terms/{id}",	feed_taxonomy_term },
	{ HTTP_GET,	"/api/organizations",		feed_organizations },
	{ HTTP_GET,	"/api/organizations/{id}",	feed_organization },
	{ HTTP_GET,	"/assets/*",			asset_serve },
	{ HTTP_GET,	"/about/data",			page_about_data },
	{ HTTP_GET,	"/about/embed",			embed_help },
	{ HTTP_GET,	"/embed",			embed_page },
	{ HTTP_GET,	"/embed.css",			embed_asset },
	{ HTTP_GET,	"/embed.js",			embed_asset },
	{ HTTP_GET,	"/services/{id}/calendar.ics",	ical_service },
	{ HTTP_GET,	"/services/{id}",		page_service },
	{ HTTP_GET,	"/services/{id}/report",	page_service_report_form },
	{ HTTP_POST,	"/services/{id}/report",	page_service_report_post },
	{ HTTP_GET,	"/services/{id}/report/sent",	page_service_report_sent },
	{ HTTP_GET,	"/organisations/{id}",		page_organisation },
	{ HTTP_GET,	"/shortlist",			page_shortlist },
	{ HTTP_GET,	"/shortlist/toggle",		page_shortlist_toggle },
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

int
route_is_api(const struct http_request *req)
{
	return (req->path != NULL && (strncmp(req->path, "/api/", 5) == 0 ||
	    strcmp(req->path, "/api") == 0 ||
	    strcmp(req->path, "/healthz") == 0));
}

int
route_cheap(const struct http_request *req)
{
	if (req->method != HTTP_GET && req->method != HTTP_HEAD)
		return (0);
	return (strncmp(req->path, "/assets/", 8) == 0 ||
	    strcmp(req->path, "/embed.css") == 0 ||
	    strcmp(req->path, "/embed.js") == 0);
}

void
route_error(struct http_request *req, int status, const char *detail)
{
	buf_reset(&req->resp);
	req->static_body = NULL;
	if (route_is_api(req)) {
		/* Partner pages must be able to read why a call failed. */
		http_problem(req, status, http_status_text(status), detail,
		    NULL);
		http_header_set(req, "Access-Control-Allow-Origin", "*");
	} else
		page_error(req, status, detail);
}

void
route_bad_param(struct http_request *req)
{
	buf_reset(&req->resp);
	if (route_is_api(req)) {
		http_problem(req, 400, "Bad Request", req->err_detail,
		    req->err_param);
		http_header_set(req, "Access-Control-Allow-Origin", "*");
	} else
		page_error(req, 400, req->err_detail);
}

void
route_db_error(struct http_request *req, enum db_status st)
{
	if (st == DB_UNAVAILABLE) {
		log_warn("db unavailable: %s", db_errmsg());
		http_header_set(req, "Retry-After", "10");
		route_error(req, 503, "The directory's database cannot be "
		    "reached just now. Please try again in a minute.");
	} else {
		log_warn("db error %s: %s", db_sqlstate(), db_errmsg());
		route_error(req, 500, "Something went wrong on our side. "
		    "It has been logged; please try again.");
	}
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
		r->fn(req);
		return;
	}
	http_kv_free(&req->route);
	if (path_matched) {
		set_allow(req);
		route_error(req, 405, "That method is not allowed here.");
		return;
	}
	route_error(req, 404, "We could not find that page. It may have "
	    "moved, or the address may be mistyped.");
}
