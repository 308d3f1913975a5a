/*
 * Integration tests for what people type as a postcode, through every
 * place that takes one (the search page, /api/postcodes, the feed, the
 * widget): postcode sectors ("G1 1") found at the mean of their units and
 * named as sectors, never read as the district spelt the same (G11); a
 * sector with no units a clear 404; input that is no kind of postcode a
 * 400 saying what to type.  And the migration that made sectors, applied
 * to postcodes loaded before it, against the real bundled Code-Point Open
 * data.
 */
#include <math.h>

#include "harness.h"

#define FORMAT_HELP	"Enter a full postcode like G12 8QQ, a postcode " \
	"sector like G12 8, or a district like G12"

/* A problem+json answer with this status; the caller frees the JSON. */
static cJSON *
problem(const struct resp *r, long status)
{
	cJSON	*j;

	if (r->status != status)
		fail_msg("status %ld, want %ld; body: %.300s", r->status,
		    status, r->body);
	assert_true(header_starts(r, "Content-Type",
	    "application/problem+json"));
	assert_non_null(j = resp_json(r));
	assert_int_equal(jnum(j, "status"), status);
	assert_string_equal(jstr(j, "parameter"), "postcode");
	return (j);
}

/*
 * Metres between two nearby WGS84 points around Glasgow: equirectangular
 * is within a few millimetres per kilometre here, plenty for telling
 * "at the centroid" from "3 km away".
 */
static double
metres_apart(double lat1, double lon1, double lat2, double lon2)
{
	double	dy = (lat1 - lat2) * 111195.0;
	double	dx = (lon1 - lon2) * 111195.0 * cos(lat1 * M_PI / 180);

	return (sqrt(dx * dx + dy * dy));
}

/*
 * The mean of a sector's units, straight from the postcode table (not
 * from postcode_sector, which is what is being tested).
 */
static void
units_mean(const char *sector, double *e, double *n, double *lat,
    double *lon)
{
	const char *const	 p[] = { sector };
	PGresult		*r;

	r = test_sql("SELECT avg(easting), avg(northing), avg(latitude),"
	    " avg(longitude), count(*) FROM postcode"
	    " WHERE left(postcode, -2) = $1", 1, p);
	if (strcmp(PQgetvalue(r, 0, 4), "0") == 0)
		fail_msg("the data has no units in sector %s", sector);
	*e = strtod(PQgetvalue(r, 0, 0), NULL);
	*n = strtod(PQgetvalue(r, 0, 1), NULL);
	*lat = strtod(PQgetvalue(r, 0, 2), NULL);
	*lon = strtod(PQgetvalue(r, 0, 3), NULL);
	PQclear(r);
}

static void
district_latlon(const char *outward, double *lat, double *lon)
{
	const char *const	 p[] = { outward };
	PGresult		*r;

	r = test_sql("SELECT avg(latitude), avg(longitude) FROM postcode"
	    " WHERE outward = $1", 1, p);
	*lat = strtod(PQgetvalue(r, 0, 0), NULL);
	*lon = strtod(PQgetvalue(r, 0, 1), NULL);
	PQclear(r);
}

/* The search's centre, from the results page's map data. */
static void
page_centre(const char *body, double *lat, double *lon)
{
	const char	*p;

	if ((p = strstr(body, "\"centre\":[")) == NULL ||
	    sscanf(p, "\"centre\":[%lf,%lf]", lat, lon) != 2)
		fail_msg("no map centre on the results page");
}

/* /api/postcodes */

static void
test_api_sector_is_kind_sector_at_mean_of_units(void **state)
{
	struct resp	 r;
	cJSON		*j;
	double		 e, n, lat, lon, glat, glon;

	(void)state;
	units_mean("G1 1", &e, &n, &lat, &lon);
	r = http_get("/api/postcodes/G1%201");
	if (r.status != 200)
		fail_msg("status %ld: %.300s", r.status, r.body);
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "postcode"), "G1 1");
	assert_string_equal(jstr(j, "kind"), "sector");
	/* Rounded to the metre, like districts and Code-Point itself. */
	assert_float_equal(jnum(j, "easting"), round(e), 0.5);
	assert_float_equal(jnum(j, "northing"), round(n), 0.5);
	/* PROJ on the mean grid position, against the mean of latitudes. */
	if (metres_apart(jnum(j, "latitude"), jnum(j, "longitude"), lat,
	    lon) > 1.0)
		fail_msg("G1 1 is %.2f m from the mean of its units",
		    metres_apart(jnum(j, "latitude"), jnum(j, "longitude"),
		    lat, lon));
	district_latlon("G11", &glat, &glon);
	assert_true(metres_apart(lat, lon, glat, glon) > 2000);
	assert_string_equal(jstr(j, "council_area_code"), "S12000049");
	assert_string_equal(jstr(j, "council_area"), "Glasgow City");
	/* A hint, like a district's: no ward. */
	assert_null(cJSON_GetObjectItem(j, "ward_code"));
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_api_sector_any_case_and_spacing(void **state)
{
	static const char *const paths[] = { "/api/postcodes/g1%201",
	    "/api/postcodes/%20G1%20%201%20", "/api/postcodes/g1%091", NULL };
	struct resp	 r;
	cJSON		*j;
	size_t		 i;

	(void)state;
	for (i = 0; paths[i] != NULL; i++) {
		r = http_get(paths[i]);
		if (r.status != 200)
			fail_msg("%s: status %ld", paths[i], r.status);
		assert_non_null(j = resp_json(&r));
		assert_string_equal(jstr(j, "postcode"), "G1 1");
		assert_string_equal(jstr(j, "kind"), "sector");
		cJSON_Delete(j);
		resp_free(&r);
	}
}

static void
test_api_compact_outward_code_stays_district(void **state)
{
	struct resp	 r;
	cJSON		*j;

	(void)state;
	r = http_get("/api/postcodes/G11");
	assert_status(&r, 200);
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "postcode"), "G11");
	assert_string_equal(jstr(j, "kind"), "district");
	cJSON_Delete(j);
	resp_free(&r);

	/* Not an outward code, so an outward code and a digit. */
	r = http_get("/api/postcodes/G428");
	assert_status(&r, 200);
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "postcode"), "G42 8");
	assert_string_equal(jstr(j, "kind"), "sector");
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_api_sector_without_units_is_404(void **state)
{
	static const struct {
		const char	*path, *detail;
	} cases[] = {
		{ "/api/postcodes/G1%206", "no postcodes in postcode sector "
		    "G1 6" },
		/* G111 is G11 1, which has none: not G11, not G1 1. */
		{ "/api/postcodes/G111", "no postcodes in postcode sector "
		    "G11 1" },
		{ "/api/postcodes/G99", "no postcodes in postcode district "
		    "G99" },
	};
	struct resp	 r;
	PGresult	*res;
	cJSON		*j;
	size_t		 i;

	(void)state;
	res = test_sql("SELECT count(*) FROM postcode WHERE left(postcode, -2)"
	    " IN ('G1 6', 'G11 1') OR outward = 'G99'", 0, NULL);
	assert_string_equal(PQgetvalue(res, 0, 0), "0");
	PQclear(res);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = http_get(cases[i].path);
		j = problem(&r, 404);
		assert_string_equal(jstr(j, "detail"), cases[i].detail);
		cJSON_Delete(j);
		resp_free(&r);
	}
}

static void
test_api_garbage_is_400_saying_what_to_type(void **state)
{
	static const char *const paths[] = { "/api/postcodes/G1%2028",
	    "/api/postcodes/G1%201A", "/api/postcodes/banana",
	    "/api/postcodes/G1234", "/api/postcodes/Q1%201", NULL };
	struct resp	 r;
	cJSON		*j;
	size_t		 i;

	(void)state;
	for (i = 0; paths[i] != NULL; i++) {
		r = http_get(paths[i]);
		j = problem(&r, 400);
		if (strstr(jstr(j, "detail"), FORMAT_HELP) == NULL)
			fail_msg("%s: detail \"%s\"", paths[i],
			    jstr(j, "detail"));
		cJSON_Delete(j);
		resp_free(&r);
	}
}

/* /search */

static void
test_search_sector_is_labelled_and_centred_on_it(void **state)
{
	struct resp	 r;
	double		 e, n, lat, lon, clat, clon, glat, glon;

	(void)state;
	units_mean("G1 1", &e, &n, &lat, &lon);
	district_latlon("G11", &glat, &glon);
	r = http_get("/search?postcode=G1+1");
	if (r.status != 200)
		fail_msg("status %ld: %.300s", r.status, r.body);
	assert_true(contains(r.body, "<h1>Services near postcode sector G1 1"
	    "</h1>"));
	assert_true(contains(r.body, "<title>Services near postcode sector "
	    "G1 1"));
	page_centre(r.body, &clat, &clon);
	if (metres_apart(clat, clon, lat, lon) > 1.0)
		fail_msg("the search is %.1f m from the centre of G1 1",
		    metres_apart(clat, clon, lat, lon));
	assert_true(metres_apart(clat, clon, glat, glon) > 2000);
	/* Links made from the page keep the sector, not G11. */
	assert_true(contains(r.body, "postcode=G1%201"));
	assert_null(strstr(r.body, "postcode=G11"));
	resp_free(&r);
}

static void
test_search_sector_finds_what_is_there_not_in_g11(void **state)
{
	struct resp	 r;
	char		 tok[48], g1[10], g11[10], want[128], *c;
	const char	*p[2];

	(void)state;
	/* The units nearest each centroid, and a service on each. */
	sql_str("SELECT p.postcode FROM postcode p, postcode_sector s"
	    " WHERE s.sector = 'G1 1' ORDER BY p.grid <-> s.grid LIMIT 1",
	    0, NULL, g1, sizeof(g1));
	sql_str("SELECT p.postcode FROM postcode p, postcode_district d"
	    " WHERE d.outward = 'G11' ORDER BY p.grid <-> d.grid LIMIT 1",
	    0, NULL, g11, sizeof(g11));
	/* Letters only, one word to the full-text search. */
	snprintf(tok, sizeof(tok), "zqsector%s", test_suffix());
	for (c = tok; *c != '\0'; c++)
		if (*c >= '0' && *c <= '9')
			*c = (char)('a' + *c - '0');
		else if (*c < 'a' || *c > 'z')
			*c = 'x';
	p[0] = tok;
	p[1] = g1;
	PQclear(test_sql("WITH o AS (INSERT INTO organization (name)"
	    " VALUES ('Org of ' || $1) RETURNING id),"
	    " s AS (INSERT INTO service (organization_id, name, description)"
	    " SELECT o.id, $1 || ' centre', 'A test listing.' FROM o"
	    " RETURNING id),"
	    " l AS (INSERT INTO location (name, latitude, longitude, grid,"
	    " postal_code) SELECT 'Hall', latitude, longitude, grid, postcode"
	    " FROM postcode WHERE postcode = $2 RETURNING id)"
	    " INSERT INTO service_at_location (service_id, location_id)"
	    " SELECT s.id, l.id FROM s, l", 2, p));
	p[1] = g11;
	PQclear(test_sql("WITH o AS (INSERT INTO organization (name)"
	    " VALUES ('Org of ' || $1) RETURNING id),"
	    " s AS (INSERT INTO service (organization_id, name, description)"
	    " SELECT o.id, $1 || ' partick', 'A test listing.' FROM o"
	    " RETURNING id),"
	    " l AS (INSERT INTO location (name, latitude, longitude, grid,"
	    " postal_code) SELECT 'Hall', latitude, longitude, grid, postcode"
	    " FROM postcode WHERE postcode = $2 RETURNING id)"
	    " INSERT INTO service_at_location (service_id, location_id)"
	    " SELECT s.id, l.id FROM s, l", 2, p));

	snprintf(want, sizeof(want), "/search?postcode=G1+1&radius=1&q=%s",
	    tok);
	r = http_get(want);
	assert_status(&r, 200);
	snprintf(want, sizeof(want), "%s centre", tok);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "%s partick", tok);
	assert_null(strstr(r.body, want));
	resp_free(&r);

	/* And the district, typed without the space, the other way round. */
	snprintf(want, sizeof(want), "/search?postcode=G11&radius=1&q=%s",
	    tok);
	r = http_get(want);
	assert_status(&r, 200);
	assert_true(contains(r.body, "Services near postcode district G11"));
	snprintf(want, sizeof(want), "%s partick", tok);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "%s centre", tok);
	assert_null(strstr(r.body, want));
	resp_free(&r);

}

/* The form again, with the input kept, a summary and a message. */
static void
expect_form_error(const char *query, long status, const char *msg,
    const char *kept)
{
	struct resp	r;
	char		want[512];

	r = http_get(query);
	if (r.status != status)
		fail_msg("%s: status %ld, want %ld", query, r.status, status);
	assert_true(contains(r.body, "<title>Error: "));
	assert_true(contains(r.body, "There is a problem"));
	snprintf(want, sizeof(want), "<a href=\"#postcode\">%s", msg);
	if (strstr(r.body, want) == NULL)
		fail_msg("%s: no summary link %s", query, want);
	assert_true(contains(r.body, "id=\"postcode-error\""));
	snprintf(want, sizeof(want), "value=\"%s\"", kept);
	if (strstr(r.body, want) == NULL)
		fail_msg("%s: input not kept (%s)", query, want);
	assert_true(contains(r.body, "<form class=\"search-form\""));
	resp_free(&r);
}

static void
test_search_garbage_postcode_reshows_form_with_help(void **state)
{
	(void)state;
	expect_form_error("/search?postcode=G1+28", 400, FORMAT_HELP, "G1 28");
	expect_form_error("/search?postcode=G1+1A", 400, FORMAT_HELP, "G1 1A");
	expect_form_error("/search?postcode=banana&q=soup", 400, FORMAT_HELP,
	    "banana");
	expect_form_error("/search?postcode=G1%2D1", 400, FORMAT_HELP, "G1-1");
}

static void
test_search_sector_without_units_says_so(void **state)
{
	(void)state;
	expect_form_error("/search?postcode=G1+6", 404, "We have no postcodes "
	    "in the postcode sector G1 6. Check it and try again, or enter "
	    "the district alone, like G1", "G1 6");
	expect_form_error("/search?postcode=G99", 404, "We have no postcodes "
	    "in the postcode district G99", "G99");
}

/* The feed and the widget */

static void
test_feed_takes_sectors_and_rejects_garbage(void **state)
{
	struct resp	 r;
	cJSON		*j;

	(void)state;
	r = http_get("/api/service_at_locations?postcode=G1+1&per_page=1");
	if (r.status != 200)
		fail_msg("status %ld: %.300s", r.status, r.body);
	resp_free(&r);

	r = http_get("/api/service_at_locations?postcode=G1+28");
	j = problem(&r, 400);
	assert_true(contains(jstr(j, "detail"), "a postcode sector like "
	    "G12 8"));
	cJSON_Delete(j);
	resp_free(&r);

	r = http_get("/api/service_at_locations?postcode=G1+6");
	j = problem(&r, 400);
	assert_string_equal(jstr(j, "detail"), "there are no postcodes in "
	    "postcode sector G1 6");
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_embed_names_the_sector_and_rejects_garbage(void **state)
{
	struct resp	 r;
	cJSON		*j;

	(void)state;
	r = http_get("/api/embed?postcode=G1+1");
	if (r.status != 200)
		fail_msg("status %ld: %.300s", r.status, r.body);
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "postcode"), "G1 1");
	assert_string_equal(jstr(j, "kind"), "sector");
	assert_true(contains(jstr(j, "search_url"), "postcode=G1%201"));
	cJSON_Delete(j);
	resp_free(&r);

	r = http_get("/embed?postcode=G1+1");
	assert_status(&r, 200);
	assert_true(contains(r.body, " km of postcode sector G1 1</h2>"));
	resp_free(&r);

	r = http_get("/api/embed?postcode=G1+28");
	j = problem(&r, 400);
	assert_string_equal(jstr(j, "detail"), FORMAT_HELP);
	cJSON_Delete(j);
	resp_free(&r);

	r = http_get("/embed?postcode=G1+28");
	assert_status(&r, 400);
	assert_true(contains(r.body, FORMAT_HELP));
	assert_true(contains(r.body, "value=\"G1 28\""));
	resp_free(&r);
}

/*
 * The widget's parameters go through the form layer: each bad one is a
 * problem naming it (JSON) or the form again with its message (HTML),
 * and what was typed is shown back.
 */
static void
test_embed_parameters_are_checked_like_a_form(void **state)
{
	static const struct {
		const char	*query, *param, *detail;
	} bad[] = {
		{ "postcode=G12+8QQ&limit=99", "limit",
		  "limit must be a whole number from 1 to 20" },
		{ "postcode=G12+8QQ&limit=two", "limit",
		  "limit must be a whole number from 1 to 20" },
		{ "postcode=G12+8QQ&radius=3", "radius",
		  "radius must be one of 0.5, 1, 2, 5, 10 or 25 (kilometres)" },
		{ "postcode=G12+8QQ&category=no-such-category", "category",
		  "We do not know that category" },
	};
	char		 path[512], q[400];
	struct resp	 r;
	cJSON		*j;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "/api/embed?%s", bad[i].query);
		r = http_get(path);
		assert_status(&r, 400);
		assert_non_null(j = resp_json(&r));
		if (jstr(j, "detail") == NULL ||
		    strcmp(jstr(j, "detail"), bad[i].detail) != 0 ||
		    jstr(j, "parameter") == NULL ||
		    strcmp(jstr(j, "parameter"), bad[i].param) != 0)
			fail_msg("%s: %.400s", path, r.body);
		cJSON_Delete(j);
		resp_free(&r);
		snprintf(path, sizeof(path), "/embed?%s", bad[i].query);
		r = http_get(path);
		assert_status(&r, 400);
		if (!contains(r.body, bad[i].detail) ||
		    !contains(r.body, "this is set by the site"))
			fail_msg("%s: %.2000s", path, r.body);
		resp_free(&r);
	}

	/* Too many words: the message says the limit, the words come back. */
	memset(q, 'a', 300);
	q[300] = '\0';
	snprintf(path, sizeof(path), "/embed?postcode=G12+8QQ&q=%s", q);
	r = http_get(path);
	assert_status(&r, 400);
	if (!contains(r.body, "aria-invalid=\"true\"") ||
	    !contains(r.body, q))
		fail_msg("long q: %.2000s", r.body);
	resp_free(&r);

	/* Good ones still search, with the limit and distance asked for. */
	r = http_get("/api/embed?postcode=G12+8QQ&limit=1&radius=25");
	assert_status(&r, 200);
	assert_non_null(j = resp_json(&r));
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")) <= 1);
	assert_true(jnum(j, "radius_km") == 25);
	cJSON_Delete(j);
	resp_free(&r);
}

/* The migration, on postcodes loaded before it */

static void
test_migration_gives_sectors_to_postcodes_loaded_before_it(void **state)
{
	struct resp	 res;
	PGresult	*r;
	cJSON		*j;
	char		 out[16384], n[32], want[96];

	(void)state;
	/*
	 * What the import made, to compare with; then the database as it
	 * was before sql/010: postcodes and districts, no sectors.
	 */
	/* One statement a call: test_sql() runs no scripts. */
	PQclear(test_sql("DROP TABLE IF EXISTS pg_temp.sector_before", 0,
	    NULL));
	PQclear(test_sql("CREATE TEMP TABLE sector_before AS SELECT * FROM"
	    " postcode_sector", 0, NULL));
	sql_str("SELECT count(*) FROM sector_before", 0, NULL, n, sizeof(n));
	assert_true(strtol(n, NULL, 10) > 1000);
	PQclear(test_sql("BEGIN", 0, NULL));
	PQclear(test_sql("DROP TABLE postcode_sector", 0, NULL));
	PQclear(test_sql("DROP FUNCTION postcode_sector_refresh()", 0, NULL));
	PQclear(test_sql("DELETE FROM schema_migrations WHERE version ="
	    " '010_postcode_sector'", 0, NULL));
	PQclear(test_sql("COMMIT", 0, NULL));

	if (run_signpost("migrate", out, sizeof(out)) != 0)
		fail_msg("migrate failed:\n%s", out);
	assert_true(contains(out, "applied 010_postcode_sector.sql"));
	snprintf(want, sizeof(want), "%s sectors given latitude", n);
	assert_true(contains(out, want));
	/*
	 * The same sectors, placed as by a fresh import (to 1e-7 degrees,
	 * about a centimetre: the mean's last bits may differ).
	 */
	r = test_sql("SELECT count(*) FROM sector_before b FULL JOIN"
	    " postcode_sector s USING (sector) WHERE s.latitude IS NULL"
	    " OR b.latitude IS NULL OR abs(s.latitude - b.latitude) > 1e-7"
	    " OR abs(s.longitude - b.longitude) > 1e-7"
	    " OR abs(s.easting - b.easting) > 1e-3"
	    " OR s.postcodes <> b.postcodes"
	    " OR s.council_area_code IS DISTINCT FROM b.council_area_code",
	    0, NULL);
	assert_string_equal(PQgetvalue(r, 0, 0), "0");
	PQclear(r);

	/* Run again: nothing left to do. */
	if (run_signpost("migrate", out, sizeof(out)) != 0)
		fail_msg("second migrate failed:\n%s", out);
	assert_null(strstr(out, "sectors given latitude"));

	/* And the running server answers from the rebuilt table. */
	res = http_get("/api/postcodes/G42%208");
	assert_status(&res, 200);
	assert_non_null(j = resp_json(&res));
	assert_string_equal(jstr(j, "kind"), "sector");
	cJSON_Delete(j);
	resp_free(&res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_api_sector_is_kind_sector_at_mean_of_units),
		cmocka_unit_test(test_api_sector_any_case_and_spacing),
		cmocka_unit_test(test_api_compact_outward_code_stays_district),
		cmocka_unit_test(test_api_sector_without_units_is_404),
		cmocka_unit_test(test_api_garbage_is_400_saying_what_to_type),
		cmocka_unit_test(
		    test_search_sector_is_labelled_and_centred_on_it),
		cmocka_unit_test(
		    test_search_sector_finds_what_is_there_not_in_g11),
		cmocka_unit_test(
		    test_search_garbage_postcode_reshows_form_with_help),
		cmocka_unit_test(test_search_sector_without_units_says_so),
		cmocka_unit_test(test_feed_takes_sectors_and_rejects_garbage),
		cmocka_unit_test(
		    test_embed_names_the_sector_and_rejects_garbage),
		cmocka_unit_test(
		    test_embed_parameters_are_checked_like_a_form),
		cmocka_unit_test(
		    test_migration_gives_sectors_to_postcodes_loaded_before_it),
	};

	(void)http_post_form;
	return (RUN_TESTS("postcode_input", tests));
}
