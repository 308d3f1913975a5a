/*
 * The partner feed under /api/: paging, filters, errors that name the
 * parameter, conditional requests, CORS, omitted empty fields, the nested
 * service, distances and order near a postcode, GeoJSON and NDJSON.
 * Each test makes its own organisation with a random word in its names,
 * and filters on it, so demo data or other tests do not matter.
 */
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#pragma GCC diagnostic ignored "-Wunused-function"
#include "harness.h"

#define MONEY		"35845d98-ee79-6a41-2570-98dd502093cb"	/* Money */
#define CONDITIONS	"9d176002-fe82-6d27-3050-1b5ce05b5706"
#define MENTAL_HEALTH	"40dae9c0-1826-53ca-e8d7-3daf1884cc54"
#define DEPRESSION	"2b888683-0f50-e66e-3143-cfd37d364f56"

static double
dabs(double x)
{
	return (x < 0 ? -x : x);
}

struct fx {
	char	word[32];	/* unique, in every service name */
	char	org[37];
	char	svc[5][37];	/* svc[0] is the fully described one */
	char	sal[3][37];
};

static void
exec_sql(const char *sql, int n, const char *const *params)
{
	PQclear(test_sql(sql, n, params));
}

static void
new_service(const struct fx *f, const char *name, const char *extra_cols,
    const char *extra_vals, char *out)
{
	char		 sql[1024];
	const char	*p[2] = { f->org, name };

	snprintf(sql, sizeof(sql), "INSERT INTO service (organization_id, "
	    "name%s) VALUES ($1, $2%s) RETURNING id", extra_cols, extra_vals);
	sql_str(sql, 2, p, out, 37);
}

/* A service at a location placed on a real postcode's centroid. */
static void
new_sal(const char *svc, const char *postcode, const char *name, char *out)
{
	char		 loc[37];
	const char	*p[2] = { postcode, name }, *q[2];

	sql_str("INSERT INTO location (name, latitude, longitude, grid, "
	    "address_1, postal_code) SELECT $2, latitude, longitude, grid, "
	    "'1 Test Street', postcode FROM postcode WHERE postcode = $1 "
	    "RETURNING id", 2, p, loc, sizeof(loc));
	q[0] = svc;
	q[1] = loc;
	sql_str("INSERT INTO service_at_location (service_id, location_id) "
	    "VALUES ($1, $2) RETURNING id", 2, q, out, 37);
}

/*
 * Five services of one new organisation:
 *   0 "<word> Debt Advice": ages 16-64, Tuesdays 10:00-12:30, Money,
 *     a contact, a cost, an area, at G12 8QQ and G3 7LW
 *   1 "<word> Low Mood Group": Depression (under Mental Health), at
 *     G20 7XN, Saturdays 14:00-15:00 (first of the month)
 *   2..4 "<word> Extra n": nothing else, no location
 */
static void
make_fixture(struct fx *f)
{
	char		 name[96];
	const char	*p[3];
	int		 i;

	memset(f, 0, sizeof(*f));
	snprintf(f->word, sizeof(f->word), "zq%08lx",
	    (unsigned long)random() ^ (unsigned long)getpid());
	snprintf(name, sizeof(name), "Feed Test Org %s", f->word);
	p[0] = name;
	sql_str("INSERT INTO organization (name) VALUES ($1) RETURNING id", 1,
	    p, f->org, sizeof(f->org));
	snprintf(name, sizeof(name), "%s Debt Advice", f->word);
	new_service(f, name, ", description, minimum_age, maximum_age, "
	    "is_free, email", ", 'Help with debts', 16, 64, true, "
	    "'help@example.org'", f->svc[0]);
	snprintf(name, sizeof(name), "%s Low Mood Group", f->word);
	new_service(f, name, "", "", f->svc[1]);
	for (i = 2; i < 5; i++) {
		snprintf(name, sizeof(name), "%s Extra %d", f->word, i);
		new_service(f, name, "", "", f->svc[i]);
	}
	new_sal(f->svc[0], "G12 8QQ", "Hillhead Test Library", f->sal[0]);
	new_sal(f->svc[0], "G3 7LW", "Kelvingrove Test Hall", f->sal[1]);
	new_sal(f->svc[1], "G20 7XN", "Maryhill Test Hub", f->sal[2]);
	p[0] = f->svc[0];
	exec_sql("INSERT INTO schedule (service_id, freq, byday, opens_at, "
	    "closes_at) VALUES ($1, 'WEEKLY', 'TU', '10:00', '12:30')", 1, p);
	exec_sql("INSERT INTO service_taxonomy VALUES ($1, '" MONEY "')", 1,
	    p);
	exec_sql("INSERT INTO contact (service_id, name) VALUES ($1, "
	    "'Jo Test')", 1, p);
	exec_sql("INSERT INTO cost_option (service_id, amount, option) "
	    "VALUES ($1, 2.50, 'per session')", 1, p);
	exec_sql("INSERT INTO service_area (service_id, area_code, area_kind) "
	    "VALUES ($1, 'S12000049', 'council_area')", 1, p);
	p[0] = f->svc[1];
	exec_sql("INSERT INTO service_taxonomy VALUES ($1, '" DEPRESSION "')",
	    1, p);
	p[0] = f->sal[2];
	exec_sql("INSERT INTO schedule (service_at_location_id, freq, byday, "
	    "opens_at, closes_at) VALUES ($1, 'MONTHLY', '1SA', '14:00', "
	    "'15:00')", 1, p);
}

static struct resp
get(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct resp
get(const char *fmt, ...)
{
	char	path[4096];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return (http_get(path));
}

static cJSON *
json_ok(const struct resp *r)
{
	cJSON	*j;

	assert_status(r, 200);
	if ((j = resp_json(r)) == NULL)
		fail_msg("not JSON: %.200s", r->body);
	return (j);
}

static long
num(const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (!cJSON_IsNumber(v))
		fail_msg("%s is not a number", k);
	return ((long)v->valuedouble);
}

static int
is_true(const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (!cJSON_IsBool(v))
		fail_msg("%s is not a boolean", k);
	return (cJSON_IsTrue(v));
}

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);

	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

static int
contents_has(const cJSON *page, const char *id)
{
	const cJSON	*it;

	cJSON_ArrayForEach(it, cJSON_GetObjectItem(page, "contents"))
		if (str(it, "id") != NULL && strcmp(str(it, "id"), id) == 0)
			return (1);
	return (0);
}

/* Number of matches of a /api/services query within the fixture. */
static long
count_services(const struct fx *f, const char *extra)
{
	struct resp	 r;
	cJSON		*j;
	long		 n;

	r = get("/api/services?organization_id=%s&%s", f->org, extra);
	j = json_ok(&r);
	n = num(j, "total_items");
	cJSON_Delete(j);
	resp_free(&r);
	return (n);
}

static void
test_feed_root_names_oruk_version_and_openapi(void **state)
{
	struct resp	 r;
	cJSON		*j;
	char		 h[256];

	(void)state;
	r = http_get("/api/");
	j = json_ok(&r);
	assert_string_equal(str(j, "version"), "HSDS-UK-3.0");
	assert_non_null(str(j, "profile"));
	assert_true(strncmp(str(j, "openapi_url"), "http", 4) == 0);
	assert_non_null(strstr(str(j, "openapi_url"), "/api/openapi.json"));
	resp_header(&r, "Access-Control-Allow-Origin", h, sizeof(h));
	assert_string_equal(h, "*");
	resp_header(&r, "Content-Type", h, sizeof(h));
	assert_string_equal(h, "application/json");
	cJSON_Delete(j);
	resp_free(&r);
}

/* The test server's contact_email (scripts/lib-server.sh). */
#define TEST_CONTACT_EMAIL	"directory@signpost.example.org"

static void
test_feed_openapi_describes_every_path(void **state)
{
	static const char *const paths[] = { "/", "/services",
	    "/services/{id}", "/services.geojson", "/service_at_locations",
	    "/service_at_locations/{id}", "/taxonomies", "/taxonomies/{id}",
	    "/taxonomy_terms", "/taxonomy_terms/{id}", "/organizations",
	    "/organizations/{id}", "/openapi.json", NULL };
	static const char *const params[] = { "search", "taxonomy_term_id",
	    "taxonomy_id", "organization_id", "modified_after", "minimum_age",
	    "maximum_age", "day", "start_time", "end_time", "minimal", "full",
	    "format", "page", "per_page", "postcode", "proximity",
	    "parent_id", "top_only", NULL };
	struct resp	 r;
	cJSON		*j, *p, *comp, *op, *contact;
	const char	*email;
	int		 i;

	(void)state;
	r = http_get("/api/openapi.json");
	j = json_ok(&r);
	assert_true(strncmp(str(j, "openapi"), "3.", 2) == 0);
	/* Laid out with spaces, as OpenAPI tools and people expect. */
	if (memchr(r.body, '\t', r.len) != NULL)
		fail_msg("openapi.json is indented with tabs");
	/* Who answers for it: this site's contact address. */
	contact = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "info"),
	    "contact");
	email = cJSON_GetStringValue(cJSON_GetObjectItem(contact, "email"));
	if (email == NULL || strcmp(email, TEST_CONTACT_EMAIL) != 0)
		fail_msg("info.contact.email %s, the server's is %s",
		    email ? email : "(none)", TEST_CONTACT_EMAIL);
	p = cJSON_GetObjectItem(j, "paths");
	for (i = 0; paths[i] != NULL; i++) {
		if (cJSON_GetObjectItemCaseSensitive(p, paths[i]) == NULL)
			fail_msg("openapi.json lacks %s", paths[i]);
		op = cJSON_GetObjectItem(cJSON_GetObjectItemCaseSensitive(p,
		    paths[i]), "get");
		if (cJSON_GetArraySize(cJSON_GetObjectItem(op, "tags")) < 1 ||
		    cJSON_GetStringValue(cJSON_GetObjectItem(op,
		    "description")) == NULL)
			fail_msg("GET %s has no tags or no description",
			    paths[i]);
	}
	comp = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "components"),
	    "parameters");
	for (i = 0; params[i] != NULL; i++)
		if (cJSON_GetObjectItemCaseSensitive(comp, params[i]) == NULL)
			fail_msg("openapi.json lacks parameter %s", params[i]);
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_feed_paging_envelope_adds_up(void **state)
{
	struct fx	 f;
	struct resp	 r;
	cJSON		*j;

	(void)state;
	make_fixture(&f);
	r = get("/api/services?organization_id=%s&per_page=2&page=3", f.org);
	j = json_ok(&r);
	assert_int_equal(num(j, "total_items"), 5);
	assert_int_equal(num(j, "total_pages"), 3);
	assert_int_equal(num(j, "page_number"), 3);
	assert_int_equal(num(j, "size"), 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "contents")), 1);
	assert_false(is_true(j, "first_page"));
	assert_true(is_true(j, "last_page"));
	assert_false(is_true(j, "empty"));
	cJSON_Delete(j);
	resp_free(&r);

	r = get("/api/services?organization_id=%s&per_page=2&page=1", f.org);
	j = json_ok(&r);
	assert_int_equal(num(j, "size"), 2);
	assert_true(is_true(j, "first_page"));
	assert_false(is_true(j, "last_page"));
	cJSON_Delete(j);
	resp_free(&r);

	/* Past the end: an empty page, not an error. */
	r = get("/api/services?organization_id=%s&per_page=2&page=4", f.org);
	j = json_ok(&r);
	assert_int_equal(num(j, "size"), 0);
	assert_true(is_true(j, "empty"));
	assert_int_equal(num(j, "page_number"), 4);
	cJSON_Delete(j);
	resp_free(&r);

	/* Default page size 50 holds all five. */
	r = get("/api/services?organization_id=%s", f.org);
	j = json_ok(&r);
	assert_int_equal(num(j, "size"), 5);
	assert_int_equal(num(j, "total_pages"), 1);
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_feed_filters_combine(void **state)
{
	struct fx	 f;
	struct resp	 r;
	cJSON		*j;

	(void)state;
	make_fixture(&f);
	/* Service 0 takes 16 to 64; the others have no limits. */
	assert_int_equal(count_services(&f, "minimum_age=30"), 5);
	assert_int_equal(count_services(&f, "minimum_age=10"), 4);
	assert_int_equal(count_services(&f, "maximum_age=65"), 4);
	assert_int_equal(count_services(&f, "minimum_age=16&maximum_age=64"),
	    5);
	assert_int_equal(count_services(&f, "minimum_age=20&maximum_age=70"),
	    4);
	assert_int_equal(count_services(&f, "day=TU"), 1);
	assert_int_equal(count_services(&f, "day=tuesday"), 1);
	assert_int_equal(count_services(&f, "day=MO"), 0);
	/* A monthly first-Saturday session runs on a Saturday. */
	assert_int_equal(count_services(&f, "day=SA"), 1);
	assert_int_equal(count_services(&f, "day=TU&start_time=12:00"), 1);
	assert_int_equal(count_services(&f, "day=TU&start_time=12:30"), 0);
	assert_int_equal(count_services(&f, "start_time=09:00&end_time=10:00"),
	    0);
	assert_int_equal(count_services(&f, "start_time=09:00&end_time=10:01"),
	    1);
	assert_int_equal(count_services(&f, "taxonomy_term_id=" MONEY), 1);
	/* A parent term finds services filed under its children. */
	assert_int_equal(count_services(&f, "taxonomy_term_id=" CONDITIONS),
	    1);
	assert_int_equal(count_services(&f, "taxonomy_term_id=" MENTAL_HEALTH
	    "&minimum_age=30"), 1);
	assert_int_equal(count_services(&f, "taxonomy_id="
	    "80792c0a-e378-5be4-6d65-40b0eedfc113"), 2);
	assert_int_equal(count_services(&f,
	    "modified_after=2999-01-01T00:00:00Z"), 0);
	assert_int_equal(count_services(&f, "modified_after=2000-01-01"), 5);
	assert_int_equal(count_services(&f,
	    "modified_after=2000-01-01T00:00:00%2B01:00"), 5);
	/* The same, with the + unencoded (so a space). */
	assert_int_equal(count_services(&f,
	    "modified_after=2999-01-01T00:00:00+01:00"), 0);
	assert_int_equal(count_services(&f,
	    "modified_after=2000-01-01T00:00:00.123-05:00"), 5);
	/* Full-text search is stemmed: "debts" finds "Debt". */
	r = get("/api/services?search=%s+debts", f.word);
	j = json_ok(&r);
	assert_int_equal(num(j, "total_items"), 1);
	assert_true(contents_has(j, f.svc[0]));
	cJSON_Delete(j);
	resp_free(&r);
	/* Unknown parameters are ignored, not errors. */
	assert_int_equal(count_services(&f, "colour=blue&sort=name"), 5);
}

static void
expect_400(const char *path, const char *param)
{
	struct resp	 r;
	cJSON		*j;
	char		 h[256];

	r = http_get(path);
	if (r.status != 400)
		fail_msg("%s: status %ld, want 400", path, r.status);
	resp_header(&r, "Content-Type", h, sizeof(h));
	assert_string_equal(h, "application/problem+json");
	resp_header(&r, "Access-Control-Allow-Origin", h, sizeof(h));
	assert_string_equal(h, "*");
	assert_non_null(j = resp_json(&r));
	if (str(j, "parameter") == NULL || strcmp(str(j, "parameter"),
	    param) != 0)
		fail_msg("%s: parameter %s, want %s", path,
		    str(j, "parameter") ? str(j, "parameter") : "(none)",
		    param);
	assert_int_equal(num(j, "status"), 400);
	assert_non_null(str(j, "detail"));
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_feed_bad_parameters_are_400_naming_them(void **state)
{
	(void)state;
	expect_400("/api/services?page=0", "page");
	expect_400("/api/services?page=-1", "page");
	expect_400("/api/services?per_page=abc", "per_page");
	expect_400("/api/services?per_page=101", "per_page");
	expect_400("/api/services?organization_id=42", "organization_id");
	expect_400("/api/services?taxonomy_term_id=x", "taxonomy_term_id");
	expect_400("/api/services?modified_after=2025-02-30", "modified_after");
	expect_400("/api/services?modified_after=yesterday", "modified_after");
	expect_400("/api/services?modified_after=2025-01-01T10:00:00",
	    "modified_after");
	expect_400("/api/services?day=funday", "day");
	expect_400("/api/services?start_time=9am", "start_time");
	expect_400("/api/services?start_time=10:00&end_time=09:00",
	    "end_time");
	expect_400("/api/services?minimum_age=200", "minimum_age");
	expect_400("/api/services?minimum_age=40&maximum_age=20",
	    "maximum_age");
	expect_400("/api/services?full=maybe", "full");
	expect_400("/api/services?format=xml", "format");
	expect_400("/api/services/not-a-uuid", "id");
	expect_400("/api/service_at_locations?postcode=G12+9ZZ", "postcode");
	expect_400("/api/service_at_locations?postcode=banana", "postcode");
	expect_400("/api/service_at_locations?proximity=500", "proximity");
	expect_400("/api/service_at_locations?postcode=G12+8QQ&proximity=0",
	    "proximity");
	expect_400("/api/services.geojson?day=XX", "day");
	expect_400("/api/services.geojson?format=ndjson", "format");
	expect_400("/api/service_at_locations?format=ndjson", "format");
	expect_400("/api/services?minimal=true&full=true", "minimal");
	expect_400("/api/taxonomy_terms?parent_id=1", "parent_id");
	expect_400("/api/taxonomy_terms?top_only=perhaps", "top_only");
	expect_400("/api/organizations?page=x", "page");
	expect_400("/api/taxonomies/abc", "id");
}

static void
test_feed_unknown_id_is_404_problem(void **state)
{
	static const char *const paths[] = { "/api/services/",
	    "/api/service_at_locations/", "/api/taxonomies/",
	    "/api/taxonomy_terms/", "/api/organizations/", NULL };
	struct resp	 r;
	char		 h[256], path[128];
	int		 i;

	(void)state;
	for (i = 0; paths[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s%s", paths[i],
		    "0b9e3c1a-7d2f-4e8a-9c6b-5a4d3e2f1a0b");
		r = http_get(path);
		if (r.status != 404)
			fail_msg("%s: %ld", path, r.status);
		resp_header(&r, "Content-Type", h, sizeof(h));
		assert_string_equal(h, "application/problem+json");
		resp_free(&r);
	}
}

static void
test_feed_conditional_requests_get_304_until_a_change(void **state)
{
	struct fx	 f;
	struct resp	 r;
	char		 etag[128], prev[128], lm[128], h[200], path[256];
	char		 len200[32], len304[32];
	const char	*hdr[2] = { h, NULL };
	const char	*p[1];
	int		 i;

	(void)state;
	make_fixture(&f);
	snprintf(path, sizeof(path), "/api/services/%s", f.svc[0]);
	/* Until the server has heard of the fixture: the same ETag twice. */
	prev[0] = '\0';
	for (i = 0; i < 100; i++) {
		r = http_get(path);
		assert_status(&r, 200);
		assert_int_equal(resp_header(&r, "ETag", etag, sizeof(etag)),
		    0);
		if (strcmp(etag, prev) == 0)
			break;
		snprintf(prev, sizeof(prev), "%s", etag);
		resp_free(&r);
		usleep(20000);
	}
	assert_int_equal(resp_header(&r, "Last-Modified", lm, sizeof(lm)), 0);
	assert_int_equal(resp_header(&r, "Cache-Control", h, sizeof(h)), 0);
	assert_non_null(strstr(h, "max-age"));
	assert_true(etag[0] == '"');
	assert_int_equal(resp_header(&r, "Content-Length", len200,
	    sizeof(len200)), 0);
	resp_free(&r);

	/*
	 * RFC 9110 8.6: a 304 states the 200's length or none, never a
	 * "Content-Length: 0" of its own.
	 */
	snprintf(h, sizeof(h), "If-None-Match: %s", etag);
	for (i = 0; i < 2; i++) {
		http_do(&r, NULL, path, NULL, 0, hdr);
		assert_status(&r, 304);
		assert_int_equal(r.len, 0);
		if (resp_header(&r, "Content-Length", len304,
		    sizeof(len304)) == 0 && strcmp(len304, len200) != 0)
			fail_msg("304 with Content-Length %s, the 200 has %s",
			    len304, len200);
		resp_free(&r);
		snprintf(h, sizeof(h), "If-Modified-Since: %s", lm);
	}

	snprintf(h, sizeof(h), "If-None-Match: \"0123\"");
	http_do(&r, NULL, path, NULL, 0, hdr);
	assert_status(&r, 200);
	resp_free(&r);

	/*
	 * A change anywhere in the directory changes the ETag.  The server
	 * hears of it by NOTIFY, milliseconds after the commit: allow 2 s.
	 */
	sleep(1);
	p[0] = f.svc[0];
	exec_sql("UPDATE service SET description = 'Changed' WHERE id = $1",
	    1, p);
	snprintf(h, sizeof(h), "If-None-Match: %s", etag);
	for (i = 0; i < 100; i++) {
		http_do(&r, NULL, path, NULL, 0, hdr);
		if (r.status != 304)
			break;
		resp_free(&r);
		usleep(20000);
	}
	assert_status(&r, 200);
	assert_non_null(strstr(r.body, "\"Changed\""));
	resp_header(&r, "ETag", h, sizeof(h));
	assert_string_not_equal(h, etag);
	resp_free(&r);
	snprintf(h, sizeof(h), "If-Modified-Since: %s", lm);
	http_do(&r, NULL, path, NULL, 0, hdr);
	assert_status(&r, 200);
	resp_free(&r);
}

/* No null, no "", no [] and no {} anywhere in a document. */
static void
assert_no_empty(const cJSON *j, const char *where)
{
	const cJSON	*c;

	if (cJSON_IsNull(j))
		fail_msg("%s: null", where);
	if (cJSON_IsString(j) && j->valuestring[0] == '\0')
		fail_msg("%s: empty string", where);
	if ((cJSON_IsArray(j) || cJSON_IsObject(j)) && j->child == NULL)
		fail_msg("%s: empty %s", where, cJSON_IsArray(j) ? "array" :
		    "object");
	cJSON_ArrayForEach(c, j)
		assert_no_empty(c, c->string != NULL ? c->string : where);
}

static void
test_feed_full_service_is_nested_and_omits_empty_fields(void **state)
{
	struct fx	 f;
	struct resp	 r;
	cJSON		*j, *sal, *loc, *a, *s;
	char		 h[128];
	const char	*p[1];

	(void)state;
	make_fixture(&f);
	p[0] = f.svc[0];
	exec_sql("INSERT INTO contact (service_id, name, title) VALUES ($1, "
	    "'Al Blank', '  ')", 1, p);
	r = get("/api/services/%s", f.svc[0]);
	j = json_ok(&r);
	resp_header(&r, "Access-Control-Allow-Origin", h, sizeof(h));
	assert_string_equal(h, "*");
	assert_no_empty(j, "service");
	assert_string_equal(str(j, "id"), f.svc[0]);
	assert_int_equal(num(j, "minimum_age"), 16);
	assert_int_equal(num(j, "maximum_age"), 64);
	assert_string_equal(str(cJSON_GetObjectItem(j, "organization"), "id"),
	    f.org);
	/* The organisation has no description: ORUK requires one. */
	assert_non_null(str(cJSON_GetObjectItem(j, "organization"),
	    "description"));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "service_at_locations")), 2);
	sal = cJSON_GetArrayItem(cJSON_GetObjectItem(j,
	    "service_at_locations"), 0);
	loc = cJSON_GetObjectItem(sal, "location");
	assert_string_equal(str(loc, "name"), "Hillhead Test Library");
	assert_true(dabs(cJSON_GetObjectItem(loc, "latitude")->valuedouble -
	    55.8717) < 0.001);
	assert_true(dabs(cJSON_GetObjectItem(loc, "longitude")->valuedouble -
	    -4.2883) < 0.001);
	a = cJSON_GetArrayItem(cJSON_GetObjectItem(loc, "addresses"), 0);
	assert_string_equal(str(a, "postal_code"), "G12 8QQ");
	assert_string_equal(str(a, "city"), "Glasgow City");
	s = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "schedules"), 0);
	assert_string_equal(str(s, "byday"), "TU");
	assert_string_equal(str(s, "opens_at"), "10:00:00");
	a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "attributes"), 0);
	assert_string_equal(str(a, "taxonomy_term_id"), MONEY);
	assert_string_equal(str(cJSON_GetObjectItem(a, "taxonomy_term"),
	    "name"), "Money");
	a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "cost_options"), 0);
	assert_true(dabs(cJSON_GetObjectItem(a, "amount")->valuedouble -
	    2.5) < 1e-9);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j,
	    "contacts")), 2);
	a = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "service_areas"), 0);
	assert_string_equal(str(a, "name"), "Glasgow City");
	cJSON_Delete(j);
	resp_free(&r);

	/* A bare service: only what it has. */
	r = get("/api/services/%s", f.svc[3]);
	j = json_ok(&r);
	assert_no_empty(j, "bare service");
	assert_null(cJSON_GetObjectItem(j, "description"));
	assert_null(cJSON_GetObjectItem(j, "schedules"));
	assert_null(cJSON_GetObjectItem(j, "minimum_age"));
	cJSON_Delete(j);
	resp_free(&r);

	/* The schedule of a service at a location is the service's too. */
	r = get("/api/services/%s", f.svc[1]);
	j = json_ok(&r);
	s = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "schedules"), 0);
	assert_string_equal(str(s, "service_at_location_id"), f.sal[2]);
	cJSON_Delete(j);
	resp_free(&r);

	r = get("/api/services?organization_id=%s&full=true", f.org);
	j = json_ok(&r);
	assert_no_empty(j, "full list");
	assert_non_null(strstr(r.body, "\"service_at_locations\""));
	cJSON_Delete(j);
	resp_free(&r);

	r = get("/api/services?organization_id=%s&minimal=true", f.org);
	j = json_ok(&r);
	s = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "contents"), 0);
	assert_non_null(str(s, "id"));
	assert_non_null(str(s, "last_modified"));
	assert_null(cJSON_GetObjectItem(s, "name"));
	cJSON_Delete(j);
	resp_free(&r);
}

/*
 * Haversine on the WGS84 mean radius, worked out by PostgreSQL's maths:
 * independent of PROJ and of the grid the server measures on.
 */
static double
haversine(double lat1, double lon1, double lat2, double lon2)
{
	char		 a[4][32], out[64];
	const char	*p[4] = { a[0], a[1], a[2], a[3] };

	snprintf(a[0], sizeof(a[0]), "%.7f", lat1);
	snprintf(a[1], sizeof(a[1]), "%.7f", lon1);
	snprintf(a[2], sizeof(a[2]), "%.7f", lat2);
	snprintf(a[3], sizeof(a[3]), "%.7f", lon2);
	sql_str("SELECT 2 * 6371008.8 * asin(sqrt(sin(radians($3::float8 - "
	    "$1::float8) / 2) ^ 2 + cos(radians($1::float8)) * "
	    "cos(radians($3::float8)) * sin(radians($4::float8 - $2::float8) "
	    "/ 2) ^ 2))", 4, p, out, sizeof(out));
	return (strtod(out, NULL));
}

static void
test_feed_near_postcode_is_nearest_first_with_distances(void **state)
{
	struct fx	 f;
	struct resp	 r;
	cJSON		*j, *it, *loc;
	double		 plat = 55.8717463, plon = -4.2883454;
	double		 last = -1, d, want;
	int		 n = 0;

	(void)state;
	make_fixture(&f);
	r = get("/api/service_at_locations?organization_id=%s&postcode="
	    "g128qq", f.org);
	j = json_ok(&r);
	assert_int_equal(num(j, "total_items"), 3);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "contents")) {
		loc = cJSON_GetObjectItem(it, "location");
		d = cJSON_GetObjectItem(it, "distance")->valuedouble;
		want = haversine(plat, plon,
		    cJSON_GetObjectItem(loc, "latitude")->valuedouble,
		    cJSON_GetObjectItem(loc, "longitude")->valuedouble);
		if (dabs(d - want) > 2 + want * 0.005)
			fail_msg("distance %.0f, haversine %.0f", d, want);
		assert_true(d >= last);
		last = d;
		assert_non_null(cJSON_GetObjectItem(it, "service"));
		n++;
	}
	assert_int_equal(n, 3);
	assert_string_equal(str(cJSON_GetArrayItem(cJSON_GetObjectItem(j,
	    "contents"), 0), "id"), f.sal[0]);
	cJSON_Delete(j);
	resp_free(&r);

	/* G3 7LW is ~870 m and G20 7XN ~1.2 km from G12 8QQ. */
	r = get("/api/service_at_locations?organization_id=%s&postcode="
	    "G12+8QQ&proximity=1000", f.org);
	j = json_ok(&r);
	assert_int_equal(num(j, "total_items"), 2);
	assert_false(contents_has(j, f.sal[2]));
	cJSON_Delete(j);
	resp_free(&r);

	/* Without a postcode there is no distance. */
	r = get("/api/service_at_locations?organization_id=%s", f.org);
	j = json_ok(&r);
	assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(j, "contents"), 0), "distance"));
	cJSON_Delete(j);
	resp_free(&r);

	r = get("/api/service_at_locations/%s", f.sal[1]);
	j = json_ok(&r);
	assert_string_equal(str(cJSON_GetObjectItem(j, "location"), "name"),
	    "Kelvingrove Test Hall");
	cJSON_Delete(j);
	resp_free(&r);
}

static int
decimals(double v)
{
	char	s[64], *dot;

	snprintf(s, sizeof(s), "%.10f", v);
	for (dot = s + strlen(s) - 1; *dot == '0'; dot--)
		*dot = '\0';
	return ((dot = strchr(s, '.')) == NULL ? 0 : (int)strlen(dot + 1));
}

static void
test_feed_geojson_is_lon_lat_feature_collection(void **state)
{
	struct fx	 f;
	struct resp	 r;
	cJSON		*j, *ft, *c, *props;
	char		 h[128];
	double		 lon, lat, last = -1;
	int		 n = 0;

	(void)state;
	make_fixture(&f);
	r = get("/api/services.geojson?organization_id=%s&postcode=G12+8QQ"
	    "&page=0&per_page=1", f.org);
	j = json_ok(&r);
	resp_header(&r, "Content-Type", h, sizeof(h));
	assert_string_equal(h, "application/geo+json");
	assert_string_equal(str(j, "type"), "FeatureCollection");
	cJSON_ArrayForEach(ft, cJSON_GetObjectItem(j, "features")) {
		assert_string_equal(str(ft, "type"), "Feature");
		assert_string_equal(str(cJSON_GetObjectItem(ft, "geometry"),
		    "type"), "Point");
		c = cJSON_GetObjectItem(cJSON_GetObjectItem(ft, "geometry"),
		    "coordinates");
		assert_int_equal(cJSON_GetArraySize(c), 2);
		lon = cJSON_GetArrayItem(c, 0)->valuedouble;
		lat = cJSON_GetArrayItem(c, 1)->valuedouble;
		/* Glasgow: longitude about -4.3, latitude about 55.9. */
		assert_true(lon > -4.4 && lon < -4.1);
		assert_true(lat > 55.8 && lat < 56.0);
		assert_true(decimals(lon) <= 6 && decimals(lat) <= 6);
		props = cJSON_GetObjectItem(ft, "properties");
		assert_non_null(str(props, "name"));
		assert_true(strstr(str(props, "name"), f.word) != NULL);
		assert_non_null(str(props, "organisation"));
		assert_true(strncmp(str(props, "url"), "http", 4) == 0);
		assert_non_null(strstr(str(props, "url"), str(props, "id")));
		assert_true(num(props, "distance") >= last);
		last = num(props, "distance");
		n++;
	}
	assert_int_equal(n, 3);
	/* The nearest is the Debt Advice at G12 8QQ itself, filed under Money. */
	ft = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "features"), 0);
	assert_string_equal(str(ft, "id"), f.sal[0]);
	c = cJSON_GetObjectItem(cJSON_GetObjectItem(ft, "properties"),
	    "categories");
	assert_int_equal(cJSON_GetArraySize(c), 1);
	assert_string_equal(cJSON_GetArrayItem(c, 0)->valuestring, "Money");
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_feed_ndjson_streams_every_match_unpaged(void **state)
{
	struct fx	 f;
	struct resp	 r;
	cJSON		*j;
	char		 h[128], *line, *save, *copy;
	int		 n = 0;

	(void)state;
	make_fixture(&f);
	/* Not paged: page and per_page do not apply, even bad ones. */
	r = get("/api/services?organization_id=%s&format=ndjson&per_page=1"
	    "&page=x", f.org);
	assert_status(&r, 200);
	resp_header(&r, "Content-Type", h, sizeof(h));
	assert_string_equal(h, "application/x-ndjson");
	resp_header(&r, "Access-Control-Allow-Origin", h, sizeof(h));
	assert_string_equal(h, "*");
	assert_true(r.len > 0 && r.body[r.len - 1] == '\n');
	copy = strdup(r.body);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		assert_non_null(j = cJSON_Parse(line));
		assert_non_null(strstr(str(j, "name"), f.word));
		cJSON_Delete(j);
		n++;
	}
	free(copy);
	assert_int_equal(n, 5);
	resp_free(&r);
}

/*
 * The server's process: the one holding the listening socket of
 * SIGNPOST_TEST_URL's port (other servers may run on this machine).
 */
static long
server_pid(void)
{
	const char	*u = test_url(), *c;
	char		 line[512], link[64], path[600], want[64];
	unsigned long	 inode = 0;
	unsigned int	 port, lport, st;
	FILE		*f;
	DIR		*d, *fd;
	struct dirent	*p, *e;
	long		 pid = -1;
	ssize_t		 n;

	if ((c = strrchr(u, ':')) == NULL || sscanf(c + 1, "%u", &port) != 1)
		return (-1);
	if ((f = fopen("/proc/net/tcp", "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL)
		/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
		if (sscanf(line, " %*d: %*x:%x %*x:%*x %x %*x:%*x %*x:%*x %*x "
		    "%*u %*u %lu", &lport, &st, &inode) == 3 &&
		    lport == port && st == 0x0A)
			break;
		else
			inode = 0;
	fclose(f);
	if (inode == 0)
		return (-1);
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	if ((d = opendir("/proc")) == NULL)
		return (-1);
	while (pid == -1 && (p = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)p->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		if ((fd = opendir(path)) == NULL)
			continue;
		while ((e = readdir(fd)) != NULL) {
			snprintf(path, sizeof(path), "/proc/%s/fd/%s",
			    p->d_name, e->d_name);
			if ((n = readlink(path, link, sizeof(link) - 1)) < 0)
				continue;
			link[n] = '\0';
			if (strcmp(link, want) == 0) {
				pid = strtol(p->d_name, NULL, 10);
				break;
			}
		}
		closedir(fd);
	}
	closedir(d);
	return (pid);
}

/* AddressSanitizer holds freed memory in quarantine: RSS says nothing. */
static int
under_asan(long pid)
{
	char	 path[64], line[512];
	int	 found = 0;
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
	if ((f = fopen(path, "r")) == NULL)
		return (0);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, "libasan") != NULL;
	fclose(f);
	return (found);
}

static long
rss_kb(long pid)
{
	char	 path[64], line[256];
	long	 kb = -1;
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return (kb);
}

/*
 * Counts the lines of a streamed body without keeping it, and samples the
 * server's RSS as the bytes arrive: a server that built the whole body
 * before sending would peak while it sends.
 */
struct watch {
	long	pid;
	long	peak_kb;
	size_t	lines;
	size_t	bytes;
	size_t	next_sample;
};

static size_t
watch_write(char *p, size_t sz, size_t n, void *arg)
{
	struct watch	*w = arg;
	size_t		 i;
	long		 kb;

	for (i = 0; i < sz * n; i++)
		if (p[i] == '\n')
			w->lines++;
	w->bytes += sz * n;
	if (w->bytes >= w->next_sample) {
		w->next_sample = w->bytes + 256 * 1024;
		if ((kb = rss_kb(w->pid)) > w->peak_kb)
			w->peak_kb = kb;
	}
	return (sz * n);
}

static void
stream_watch(const char *path, struct watch *w)
{
	char	 url[512];
	CURL	*c;

	snprintf(url, sizeof(url), "%s%s", test_url(), path);
	assert_non_null(c = curl_easy_init());
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, watch_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, w);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	curl_easy_cleanup(c);
}

/*
 * NDJSON memory stays flat: 20 000 services (14 MB) streamed whole never
 * lift the server's RSS by more than 4 MB over where it started.
 */
static void
test_feed_ndjson_memory_stays_flat(void **state)
{
	struct fx	 f;
	struct watch	 w;
	char		 path[256];
	const char	*p[1];
	long		 pid, before;

	(void)state;
	if ((pid = server_pid()) == -1 || under_asan(pid))
		skip();
	make_fixture(&f);
	p[0] = f.org;
	exec_sql("INSERT INTO service (organization_id, name, description) "
	    "SELECT $1, 'Bulk service ' || g, repeat('Generated text. ', 40) "
	    "FROM generate_series(1, 20000) g", 1, p);
	snprintf(path, sizeof(path), "/api/services?format=ndjson&"
	    "organization_id=%s", f.org);
	/* A first run warms the per-thread buffers and statement cache. */
	memset(&w, 0, sizeof(w));
	w.pid = pid;
	stream_watch(path, &w);
	assert_int_equal(w.lines, 20005);
	before = rss_kb(pid);
	memset(&w, 0, sizeof(w));
	w.pid = pid;
	stream_watch(path, &w);
	assert_int_equal(w.lines, 20005);
	assert_true(w.bytes > 10 * 1024 * 1024);
	assert_true(before > 0 && w.peak_kb > 0);
	if (w.peak_kb - before > 4096)
		fail_msg("server RSS rose %ld kB streaming %zu bytes",
		    w.peak_kb - before, w.bytes);
	exec_sql("DELETE FROM service WHERE organization_id = $1", 1, p);
}

static void
test_feed_taxonomy_terms_filter_by_parent_and_top(void **state)
{
	struct resp	 r;
	cJSON		*j, *it;

	(void)state;
	r = http_get("/api/taxonomy_terms?parent_id=" MENTAL_HEALTH
	    "&per_page=100");
	j = json_ok(&r);
	assert_true(num(j, "total_items") > 5);
	assert_true(contents_has(j, DEPRESSION));
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "contents"))
		assert_string_equal(str(it, "parent_id"), MENTAL_HEALTH);
	cJSON_Delete(j);
	resp_free(&r);
	r = http_get("/api/taxonomy_terms?top_only=true&per_page=100"
	    "&taxonomy_id=80792c0a-e378-5be4-6d65-40b0eedfc113");
	j = json_ok(&r);
	assert_int_equal(num(j, "total_items"), 12);
	assert_true(contents_has(j, MONEY));
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "contents"))
		assert_null(cJSON_GetObjectItem(it, "parent_id"));
	cJSON_Delete(j);
	resp_free(&r);
	r = http_get("/api/taxonomy_terms/" DEPRESSION);
	j = json_ok(&r);
	assert_string_equal(str(j, "name"), "Depression");
	cJSON_Delete(j);
	resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_feed_root_names_oruk_version_and_openapi),
		cmocka_unit_test(test_feed_openapi_describes_every_path),
		cmocka_unit_test(test_feed_paging_envelope_adds_up),
		cmocka_unit_test(test_feed_filters_combine),
		cmocka_unit_test(test_feed_bad_parameters_are_400_naming_them),
		cmocka_unit_test(test_feed_unknown_id_is_404_problem),
		cmocka_unit_test(
		    test_feed_conditional_requests_get_304_until_a_change),
		cmocka_unit_test(
		    test_feed_full_service_is_nested_and_omits_empty_fields),
		cmocka_unit_test(
		    test_feed_near_postcode_is_nearest_first_with_distances),
		cmocka_unit_test(test_feed_geojson_is_lon_lat_feature_collection),
		cmocka_unit_test(test_feed_ndjson_streams_every_match_unpaged),
		cmocka_unit_test(test_feed_ndjson_memory_stays_flat),
		cmocka_unit_test(
		    test_feed_taxonomy_terms_filter_by_parent_and_top),
	};

	srandom((unsigned int)time(NULL));
	return (RUN_TESTS("feed", tests));
}
