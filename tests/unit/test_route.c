/*
 * Unit tests for route.c: pattern matching with {name} captures and a
 * trailing "*", and route_dispatch on hand-made requests (no socket, no
 * database): 404 as an HTML page or, under /api/, as problem JSON; 405
 * with Allow; HEAD answered by GET routes; the error helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "asset.h"
#include "http.h"
#include "reply.h"
#include "route.h"
#include "unit.h"

/* route_match */

static void
assert_match(const char *pattern, const char *path, int want)
{
	struct http_kvlist	cap;
	int			got;

	memset(&cap, 0, sizeof(cap));
	got = route_match(pattern, path, &cap);
	http_kv_free(&cap);
	if (got != want)
		fail_msg("route_match(\"%s\", \"%s\") = %d, want %d", pattern,
		    path, got, want);
	/* Without a capture list too. */
	assert_int_equal(route_match(pattern, path, NULL), want);
}

static void
test_match_literal_paths_exactly(void **state)
{
	(void)state;
	assert_match("/healthz", "/healthz", 1);
	assert_match("/healthz", "/healthzz", 0);
	assert_match("/healthz", "/health", 0);
	assert_match("/healthz", "/HEALTHZ", 0);
	assert_match("/", "/", 1);
	assert_match("/", "/x", 0);
	assert_match("/about/data", "/about", 0);
}

static void
test_match_trailing_slash_is_a_different_path(void **state)
{
	(void)state;
	assert_match("/healthz", "/healthz/", 0);
	assert_match("/about/data", "/about/data/", 0);
	assert_match("/about/data/", "/about/data", 0);
	assert_match("/api/postcodes/{postcode}", "/api/postcodes/G12/", 0);
}

static void
test_match_captures_one_segment(void **state)
{
	struct http_kvlist	cap;

	(void)state;
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(route_match("/api/postcodes/{postcode}",
	    "/api/postcodes/G12 8QQ", &cap), 1);
	assert_int_equal(cap.n, 1);
	assert_string_equal(http_kv_get(&cap, "postcode"), "G12 8QQ");
	http_kv_free(&cap);
	assert_match("/api/postcodes/{postcode}", "/api/postcodes/", 0);
	assert_match("/api/postcodes/{postcode}", "/api/postcodes", 0);
	assert_match("/api/postcodes/{postcode}", "/api/postcodes/G12/x", 0);
	assert_match("/api/postcodes/{postcode}", "/api/postcodesX/G12", 0);
}

static void
test_match_captures_several_segments(void **state)
{
	struct http_kvlist	cap;

	(void)state;
	memset(&cap, 0, sizeof(cap));
	assert_int_equal(route_match("/org/{org}/service/{id}/edit",
	    "/org/abc/service/123/edit", &cap), 1);
	assert_int_equal(cap.n, 2);
	assert_string_equal(http_kv_get(&cap, "org"), "abc");
	assert_string_equal(http_kv_get(&cap, "id"), "123");
	http_kv_free(&cap);
	assert_match("/org/{org}/service/{id}/edit",
	    "/org/abc/service/123/view", 0);
	assert_match("/org/{org}/service/{id}/edit", "/org//service/1/edit",
	    0);
}

static void
test_match_rejects_overlong_capture(void **state)
{
	char	path[1100];

	(void)state;
	memcpy(path, "/x/", 3);
	memset(path + 3, 'a', sizeof(path) - 4);
	path[sizeof(path) - 1] = '\0';
	assert_match("/x/{id}", path, 0);
	path[3 + 1000] = '\0';
	assert_match("/x/{id}", path, 1);
}

static void
test_match_star_is_a_prefix(void **state)
{
	(void)state;
	assert_match("/assets/*", "/assets/css/site.css", 1);
	assert_match("/assets/*", "/assets/x", 1);
	assert_match("/assets/*", "/assets", 0);
	assert_match("/assets/*", "/assetsx/site.css", 0);
	assert_match("/assets/*", "/other/assets/x", 0);
}

/* route_dispatch */

static void
request(struct http_request *req, enum http_method m, const char *path)
{
	static const char *const names[] = { "GET", "HEAD", "POST", "PUT",
	    "DELETE", "OPTIONS", "OTHER" };

	http_request_init(req);
	req->method = m;
	assert_non_null(req->method_str = strdup(names[m]));
	assert_non_null(req->path = strdup(path));
}

static const char *
resp_header(struct http_request *req, const char *name)
{
	return (http_kv_get_case(&req->resp_headers, name));
}

static int
is_html(struct http_request *req)
{
	const char	*ct = resp_header(req, "Content-Type");

	return (ct != NULL && strncmp(ct, "text/html", 9) == 0 &&
	    strstr(buf_cstr(&req->resp), "<!doctype html>") != NULL);
}

/* The problem JSON in req->resp; checks its type and status. */
static cJSON *
problem(struct http_request *req, int status)
{
	cJSON	*j;

	assert_string_equal(resp_header(req, "Content-Type"),
	    "application/problem+json");
	assert_non_null(j = cJSON_Parse(buf_cstr(&req->resp)));
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(j,
	    "status")), status);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "title")));
	return (j);
}

/*
 * Who may use a URL is in the table: every POST carries the CSRF check,
 * and every page under /admin but the sign-in page needs a session.
 */
static void
test_table_every_post_checks_csrf_and_admin_needs_login(void **state)
{
	enum http_method	 m;
	const char		*pat;
	unsigned int		 fl;
	size_t			 i, posts = 0, admin = 0;

	(void)state;
	for (i = 0; route_info(i, &m, &pat, &fl) == 0; i++) {
		if (m == HTTP_POST) {
			posts++;
			if (!(fl & ROUTE_CSRF))
				fail_msg("POST %s has no CSRF check", pat);
		}
		if (strncmp(pat, "/admin", 6) == 0 &&
		    strcmp(pat, "/admin/login") != 0) {
			admin++;
			if (!(fl & ROUTE_LOGIN))
				fail_msg("%s needs no sign-in", pat);
		}
	}
	assert_int_equal(i, route_count());
	assert_true(posts >= 10);
	assert_true(admin >= 10);
}

static void
test_dispatch_unknown_page_is_404_html(void **state)
{
	struct http_request	req;

	(void)state;
	request(&req, HTTP_GET, "/no/such/page");
	route_dispatch(&req);
	assert_int_equal(req.status, 404);
	assert_true(is_html(&req));
	assert_non_null(strstr(buf_cstr(&req.resp), "Page not found"));
	assert_int_equal(req.route.n, 0);
	http_request_free(&req);
}

static void
test_dispatch_unknown_api_path_is_404_problem_json(void **state)
{
	struct http_request	req;
	cJSON			*j;

	(void)state;
	request(&req, HTTP_GET, "/api/nope");
	route_dispatch(&req);
	assert_int_equal(req.status, 404);
	j = problem(&req, 404);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "detail")));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "instance")), "/api/nope");
	cJSON_Delete(j);
	http_request_free(&req);
}

static void
test_dispatch_wrong_method_is_405_with_allow(void **state)
{
	struct http_request	req;

	(void)state;
	request(&req, HTTP_POST, "/about/data");
	route_dispatch(&req);
	assert_int_equal(req.status, 405);
	assert_true(is_html(&req));
	/* RFC 9110 15.5.6: a 405 must say what is allowed. */
	assert_non_null(resp_header(&req, "Allow"));
	assert_string_equal(resp_header(&req, "Allow"), "GET, HEAD");
	http_request_free(&req);
}

static void
test_dispatch_wrong_method_under_api_is_405_problem(void **state)
{
	struct http_request	req;
	cJSON			*j;

	(void)state;
	request(&req, HTTP_DELETE, "/api/postcodes/G12");
	route_dispatch(&req);
	assert_int_equal(req.status, 405);
	j = problem(&req, 405);
	cJSON_Delete(j);
	assert_non_null(resp_header(&req, "Allow"));
	assert_non_null(strstr(resp_header(&req, "Allow"), "GET"));
	http_request_free(&req);
}

static void
test_dispatch_get_route_answers_get_and_head(void **state)
{
	struct http_request	req;

	(void)state;
	request(&req, HTTP_GET, "/about/data");
	route_dispatch(&req);
	assert_int_equal(req.status, 200);
	assert_true(is_html(&req));
	assert_non_null(strstr(buf_cstr(&req.resp), "About our data"));
	http_request_free(&req);

	/* libmicrohttpd drops the body of a HEAD answer by itself. */
	request(&req, HTTP_HEAD, "/about/data");
	route_dispatch(&req);
	assert_int_equal(req.status, 200);
	assert_true(is_html(&req));
	http_request_free(&req);
}

static void
test_dispatch_passes_captures_to_the_handler(void **state)
{
	struct http_request	req;
	cJSON			*j;

	(void)state;
	/* Malformed, so the handler answers without a database. */
	request(&req, HTTP_GET, "/api/postcodes/NOT-A-POSTCODE");
	route_dispatch(&req);
	assert_string_equal(http_route_param(&req, "postcode"),
	    "NOT-A-POSTCODE");
	assert_int_equal(req.status, 400);
	j = problem(&req, 400);
	assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "detail")), "not a UK postcode"));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "parameter")), "postcode");
	cJSON_Delete(j);
	http_request_free(&req);
}

static void
test_dispatch_healthz_without_database_is_503_json(void **state)
{
	struct http_request	req;
	cJSON			*j;

	(void)state;
	request(&req, HTTP_GET, "/healthz");
	route_dispatch(&req);
	assert_int_equal(req.status, 503);
	assert_non_null(j = cJSON_Parse(buf_cstr(&req.resp)));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "database")), "unreachable");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "status")), "degraded");
	cJSON_Delete(j);
	http_request_free(&req);
}

static void
test_dispatch_serves_assets_with_etag_and_304(void **state)
{
	struct http_request	 req;
	const struct asset_file	*a;
	char			 etag[64];

	(void)state;
	assert_int_equal(asset_init(), 0);
	assert_non_null(a = asset_find("/assets/css/site.css"));
	request(&req, HTTP_GET, "/assets/css/site.css");
	route_dispatch(&req);
	assert_int_equal(req.status, 200);
	assert_ptr_equal(req.static_body, a->data);
	assert_int_equal(req.static_len, a->len);
	assert_string_equal(resp_header(&req, "Content-Type"),
	    "text/css; charset=utf-8");
	assert_non_null(resp_header(&req, "ETag"));
	snprintf(etag, sizeof(etag), "%s", resp_header(&req, "ETag"));
	assert_int_equal(etag[0], '"');
	http_request_free(&req);

	request(&req, HTTP_GET, "/assets/css/site.css");
	assert_int_equal(http_kv_add(&req.headers, "If-None-Match", etag), 0);
	route_dispatch(&req);
	assert_int_equal(req.status, 304);
	/* Kept, so that the 304's Content-Length is the asset's length. */
	assert_int_equal(req.static_len, a->len);
	http_request_free(&req);

	request(&req, HTTP_GET, "/assets/css/nope.css");
	route_dispatch(&req);
	assert_int_equal(req.status, 404);
	assert_true(is_html(&req));
	assert_null(req.static_body);
	http_request_free(&req);
}

/* Errors */

static void
test_error_page_escapes_the_detail(void **state)
{
	struct http_request	req;

	(void)state;
	request(&req, HTTP_GET, "/x");
	route_early_error(&req, 400, "<script>alert('x')</script> & more");
	assert_int_equal(req.status, 400);
	assert_true(is_html(&req));
	assert_null(strstr(buf_cstr(&req.resp), "<script>alert"));
	assert_non_null(strstr(buf_cstr(&req.resp),
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more"));
	http_request_free(&req);
}

static void
test_error_replaces_an_earlier_body(void **state)
{
	struct http_request	req;
	static const char	asset[] = "static";

	(void)state;
	request(&req, HTTP_GET, "/api/x");
	buf_puts(&req.resp, "half a page");
	req.static_body = asset;
	req.static_len = sizeof(asset);
	route_early_error(&req, 500, "oops");
	assert_null(req.static_body);
	assert_null(strstr(buf_cstr(&req.resp), "half a page"));
	cJSON_Delete(problem(&req, 500));
	http_request_free(&req);
}

static void
test_bad_param_names_the_parameter(void **state)
{
	struct http_request	req;
	long long		v;
	cJSON			*j;

	(void)state;
	request(&req, HTTP_GET, "/api/services");
	assert_int_equal(http_kv_add(&req.query, "radius", "far"), 0);
	assert_int_equal(http_param_int(&req, "radius", 1, 50, &v),
	    HTTP_PARAM_BAD);
	route_classify(&req);
	reply_bad_param(&req);
	assert_int_equal(req.status, 400);
	j = problem(&req, 400);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "parameter")), "radius");
	assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "detail")), "whole number"));
	cJSON_Delete(j);
	http_request_free(&req);

	request(&req, HTTP_GET, "/search");
	assert_int_equal(http_kv_add(&req.query, "radius", "far"), 0);
	assert_int_equal(http_param_int(&req, "radius", 1, 50, &v),
	    HTTP_PARAM_BAD);
	route_classify(&req);
	reply_bad_param(&req);
	assert_int_equal(req.status, 400);
	assert_true(is_html(&req));
	assert_non_null(strstr(buf_cstr(&req.resp), "radius must be a whole "
	    "number"));
	http_request_free(&req);
}

static void
test_db_error_is_503_or_500_without_internals(void **state)
{
	struct http_request	req;
	cJSON			*j;

	(void)state;
	request(&req, HTTP_GET, "/api/x");
	route_classify(&req);
	reply_db_error(&req, DB_UNAVAILABLE);
	assert_int_equal(req.status, 503);
	assert_non_null(resp_header(&req, "Retry-After"));
	cJSON_Delete(problem(&req, 503));
	http_request_free(&req);

	request(&req, HTTP_GET, "/page");
	route_classify(&req);
	reply_db_error(&req, DB_ERROR);
	assert_int_equal(req.status, 500);
	assert_true(is_html(&req));
	assert_null(strstr(buf_cstr(&req.resp), "SQL"));
	http_request_free(&req);

	request(&req, HTTP_GET, "/api/x");
	route_classify(&req);
	reply_db_error(&req, DB_ERROR);
	j = problem(&req, 500);
	cJSON_Delete(j);
	http_request_free(&req);
}

/* API-ness comes from the table; a path under /api/ without a route too. */
static void
test_is_api(void **state)
{
	static const struct {
		const char	*path;
		int		 api;
	} cases[] = {
		{ "/api/services", 1 }, { "/api", 1 }, { "/healthz", 1 },
		{ "/api/no-such-thing", 1 }, { "/apiary", 0 }, { "/", 0 },
		{ "/areas.csv", 0 }, { "/search", 0 },
	};
	struct http_request	req;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		request(&req, HTTP_GET, cases[i].path);
		route_classify(&req);
		if (req.api != cases[i].api)
			fail_msg("%s: api %d, want %d", cases[i].path, req.api,
			    cases[i].api);
		http_request_free(&req);
	}
}

/* What is answered from memory, and what other origins may read. */
static void
test_where_a_request_runs_comes_from_the_table(void **state)
{
	static const struct {
		enum http_method	 m;
		const char		*path;
		enum http_run		 want;
	} cases[] = {
		{ HTTP_GET, "/assets/css/site.css", HTTP_RUN_HERE },
		{ HTTP_HEAD, "/embed.js", HTTP_RUN_HERE },
		{ HTTP_GET, "/api/services", HTTP_RUN_TRY_HERE },
		{ HTTP_GET, "/api/services/" "0f8fad5b-d9cb-469f-a165-"
		    "70867728950e", HTTP_RUN_TRY_HERE },
		{ HTTP_GET, "/api/openapi.json", HTTP_RUN_TRY_HERE },
		{ HTTP_GET, "/api/postcodes/G12%208QQ", HTTP_RUN_WORKER },
		{ HTTP_GET, "/search", HTTP_RUN_WORKER },
		{ HTTP_POST, "/assets/css/site.css", HTTP_RUN_WORKER },
		{ HTTP_GET, "/no/such/page", HTTP_RUN_WORKER },
	};
	struct http_request	req;
	size_t			i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		request(&req, cases[i].m, cases[i].path);
		if (route_where(&req) != cases[i].want)
			fail_msg("%s runs at %d, want %d", cases[i].path,
			    (int)route_where(&req), (int)cases[i].want);
		http_request_free(&req);
	}
}

/*
 * Tried from memory, a route that is not marked for it declines before
 * its handler runs, and leaves no response behind for the worker.
 */
static void
test_memory_only_declines_other_routes(void **state)
{
	struct http_request	req;

	(void)state;
	request(&req, HTTP_GET, "/search");
	req.memory_only = 1;
	route_dispatch(&req);
	assert_true(req.declined);
	assert_int_equal(req.resp_headers.n, 0);
	assert_int_equal(req.resp.len, 0);
	http_request_free(&req);
	/* The fixed OpenAPI document is in memory: answered there. */
	request(&req, HTTP_GET, "/api/openapi.json");
	req.memory_only = 1;
	route_dispatch(&req);
	assert_false(req.declined);
	assert_int_equal(req.status, 200);
	assert_non_null(http_kv_get_case(&req.resp_headers,
	    "Access-Control-Allow-Origin"));
	http_request_free(&req);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_literal_paths_exactly),
		cmocka_unit_test(test_match_trailing_slash_is_a_different_path),
		cmocka_unit_test(test_match_captures_one_segment),
		cmocka_unit_test(test_match_captures_several_segments),
		cmocka_unit_test(test_match_rejects_overlong_capture),
		cmocka_unit_test(test_match_star_is_a_prefix),
		cmocka_unit_test(
		    test_table_every_post_checks_csrf_and_admin_needs_login),
		cmocka_unit_test(test_dispatch_unknown_page_is_404_html),
		cmocka_unit_test(
		    test_dispatch_unknown_api_path_is_404_problem_json),
		cmocka_unit_test(test_dispatch_wrong_method_is_405_with_allow),
		cmocka_unit_test(
		    test_dispatch_wrong_method_under_api_is_405_problem),
		cmocka_unit_test(test_dispatch_get_route_answers_get_and_head),
		cmocka_unit_test(test_dispatch_passes_captures_to_the_handler),
		cmocka_unit_test(
		    test_dispatch_healthz_without_database_is_503_json),
		cmocka_unit_test(test_dispatch_serves_assets_with_etag_and_304),
		cmocka_unit_test(test_error_page_escapes_the_detail),
		cmocka_unit_test(test_error_replaces_an_earlier_body),
		cmocka_unit_test(test_bad_param_names_the_parameter),
		cmocka_unit_test(test_db_error_is_503_or_500_without_internals),
		cmocka_unit_test(test_is_api),
		cmocka_unit_test(
		    test_where_a_request_runs_comes_from_the_table),
		cmocka_unit_test(test_memory_only_declines_other_routes),
	};

	return (RUN_UNIT_TESTS("route", tests));
}
