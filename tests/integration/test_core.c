/*
 * Integration tests for the server core against the real server and a
 * real PostgreSQL cluster (scripts/run-integration): /healthz, the
 * postcode API checked against Code-Point Open values, error answers
 * (404 page vs problem JSON, 405, 413, 414, 431), ETag revalidation,
 * HEAD, gzip for clients that take it, the access log, PostgreSQL stopped and restarted under the
 * running server, the idle-connection timeout and the per-IP cap.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "harness.h"
#include "raw.h"

/*
 * Expected values, copied from
 * /work/shared/data/os-codepoint-open-scotland/
 *   codepoint_open_2025-10_scotland_areas_with_etrs89_latlon.csv
 * (OS Code-Point Open, October 2025; latitude/longitude there were
 * computed with OSTN15 by the pure-Python osgb package, independently of
 * PROJ and of this code base):
 *
 * G12 8QQ,10,256916,666655,S92000003,S08000031,S12000049,S13002977,55.871746,-4.288345
 * G82 1AB,10,240962,674567,S92000003,S08000031,S12000039,S13003124,55.937761,-4.547708
 *
 * and the G12 district: the mean of its 658 rows (none without
 * coordinates), computed with awk over the same file: easting 256182.450,
 * northing 667661.748, latitude 55.8805655, longitude -4.3005941.
 * Area names from codelist_codes_used.csv in the same folder.
 */
struct expect {
	const char	*postcode;
	double		 easting, northing, lat, lon;
	const char	*council_code, *council, *hb_code, *ward_code, *ward;
};

static const struct expect g12_8qq = { "G12 8QQ", 256916, 666655,
    55.871746, -4.288345, "S12000049", "Glasgow City", "S08000031",
    "S13002977", "Hillhead Ward" };
static const struct expect g82_1ab = { "G82 1AB", 240962, 674567,
    55.937761, -4.547708, "S12000039", "West Dunbartonshire", "S08000031",
    "S13003124", "Dumbarton Ward" };

/*
 * Squared metres between two nearby WGS84 points around Glasgow: plain
 * equirectangular, with cos(55.9 deg) fixed (the test links no libm).
 */
static double
metres2_apart(double lat1, double lon1, double lat2, double lon2)
{
	double	dy = (lat1 - lat2) * 111195.0;
	double	dx = (lon1 - lon2) * 111195.0 * 0.5606;

	return (dx * dx + dy * dy);
}

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
	(void)jstr(j, "title");
	(void)jstr(j, "detail");
	return (j);
}

static void
assert_html(const struct resp *r, long status)
{
	if (r->status != status)
		fail_msg("status %ld, want %ld; body: %.300s", r->status,
		    status, r->body);
	assert_true(header_starts(r, "Content-Type", "text/html"));
	assert_non_null(strstr(r->body, "<!doctype html>"));
}

/* /healthz */

static void
test_healthz_is_ok_with_database(void **state)
{
	struct resp	r;
	cJSON		*j;

	(void)state;
	r = http_get("/healthz");
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Content-Type", "application/json"));
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "status"), "ok");
	assert_string_equal(jstr(j, "database"), "ok");
	cJSON_Delete(j);
	resp_free(&r);
}

/* /api/postcodes */

static void
assert_postcode(const char *path, const struct expect *e)
{
	struct resp	r;
	cJSON		*j;
	double		 d;

	r = http_get(path);
	if (r.status != 200)
		fail_msg("%s: status %ld: %.300s", path, r.status, r.body);
	assert_true(header_starts(&r, "Content-Type", "application/json"));
	assert_true(header_starts(&r, "Access-Control-Allow-Origin", "*"));
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "postcode"), e->postcode);
	assert_string_equal(jstr(j, "kind"), "postcode");
	assert_float_equal(jnum(j, "easting"), e->easting, 0.5);
	assert_float_equal(jnum(j, "northing"), e->northing, 0.5);
	d = metres2_apart(jnum(j, "latitude"), jnum(j, "longitude"), e->lat,
	    e->lon);
	if (d > 1.0)
		fail_msg("%s is %.2f m^2 from the OSTN15 position", path, d);
	assert_string_equal(jstr(j, "council_area_code"), e->council_code);
	assert_string_equal(jstr(j, "council_area"), e->council);
	assert_string_equal(jstr(j, "health_board_code"), e->hb_code);
	assert_string_equal(jstr(j, "health_board"),
	    "Greater Glasgow and Clyde");
	assert_string_equal(jstr(j, "ward_code"), e->ward_code);
	assert_string_equal(jstr(j, "ward"), e->ward);
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_postcode_matches_code_point_open(void **state)
{
	(void)state;
	assert_postcode("/api/postcodes/G12%208QQ", &g12_8qq);
	assert_postcode("/api/postcodes/G82%201AB", &g82_1ab);
}

static void
test_postcode_any_spacing_and_case(void **state)
{
	(void)state;
	assert_postcode("/api/postcodes/g128qq", &g12_8qq);
	assert_postcode("/api/postcodes/G12%20%208QQ", &g12_8qq);
	assert_postcode("/api/postcodes/%20g12%208Qq%20", &g12_8qq);
	assert_postcode("/api/postcodes/g821ab", &g82_1ab);
}

static void
test_outward_code_gives_district_centroid(void **state)
{
	struct resp	r;
	cJSON		*j;
	double		 d;

	(void)state;
	r = http_get("/api/postcodes/g12");
	assert_status(&r, 200);
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "postcode"), "G12");
	assert_string_equal(jstr(j, "kind"), "district");
	/* Rounded to the metre, like Code-Point itself. */
	assert_float_equal(jnum(j, "easting"), 256182, 0.5);
	assert_float_equal(jnum(j, "northing"), 667662, 0.5);
	d = metres2_apart(jnum(j, "latitude"), jnum(j, "longitude"),
	    55.8805655, -4.3005941);
	if (d > 1.0)
		fail_msg("G12 centroid is %.2f m^2 from the mean of its "
		    "postcodes", d);
	assert_string_equal(jstr(j, "council_area_code"), "S12000049");
	assert_null(cJSON_GetObjectItem(j, "ward_code"));
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_unknown_postcode_is_404_problem(void **state)
{
	static const char *const paths[] = { "/api/postcodes/G12%209ZZ",
	    "/api/postcodes/G99", NULL };
	static const char *const details[] = { "postcode not found",
	    "no postcodes in postcode district G99" };
	struct resp	r;
	PGresult	*res;
	cJSON		*j;
	size_t		 i;

	(void)state;
	/* Well-formed but not live: make sure the data agrees. */
	res = test_sql("SELECT (SELECT count(*) FROM postcode WHERE postcode ="
	    " 'G12 9ZZ') + (SELECT count(*) FROM postcode_district WHERE"
	    " outward = 'G99')", 0, NULL);
	assert_string_equal(PQgetvalue(res, 0, 0), "0");
	PQclear(res);
	for (i = 0; paths[i] != NULL; i++) {
		r = http_get(paths[i]);
		j = problem(&r, 404);
		/* Partner sites can read the reason, not just a CORS error. */
		assert_true(header_starts(&r, "Access-Control-Allow-Origin",
		    "*"));
		assert_string_equal(jstr(j, "detail"), details[i]);
		assert_string_equal(jstr(j, "parameter"), "postcode");
		cJSON_Delete(j);
		resp_free(&r);
	}
}

static void
test_malformed_postcode_is_400_problem(void **state)
{
	static const char *const paths[] = { "/api/postcodes/NOTAPOSTCODE",
	    "/api/postcodes/G12%208Q", "/api/postcodes/12%208QQ",
	    "/api/postcodes/G12%208QQ%3Cscript%3E", "/api/postcodes/%C3%A9",
	    "/api/postcodes/%FF", NULL };
	struct resp	r;
	cJSON		*j;
	size_t		 i;

	(void)state;
	for (i = 0; paths[i] != NULL; i++) {
		r = http_get(paths[i]);
		j = problem(&r, 400);
		assert_true(header_starts(&r, "Access-Control-Allow-Origin",
		    "*"));
		assert_non_null(strstr(jstr(j, "detail"), "not a UK postcode"));
		assert_string_equal(jstr(j, "parameter"), "postcode");
		cJSON_Delete(j);
		resp_free(&r);
	}
}

/* Errors */

static void
test_unknown_page_is_404_html(void **state)
{
	struct resp	r;

	(void)state;
	r = http_get("/no/such/page");
	assert_html(&r, 404);
	assert_non_null(strstr(r.body, "Page not found"));
	resp_free(&r);
}

static void
test_unknown_api_path_is_404_problem(void **state)
{
	struct resp	r;
	cJSON		*j;

	(void)state;
	r = http_get("/api/nope");
	j = problem(&r, 404);
	assert_string_equal(jstr(j, "instance"), "/api/nope");
	cJSON_Delete(j);
	resp_free(&r);
}

static void
test_wrong_method_is_405_with_allow(void **state)
{
	struct resp	r;
	char		allow[128];

	(void)state;
	(void)http_do(&r, "DELETE", "/about/data", NULL, 0, NULL);
	assert_html(&r, 405);
	assert_int_equal(resp_header(&r, "Allow", allow, sizeof(allow)), 0);
	assert_string_equal(allow, "GET, HEAD");
	resp_free(&r);
	(void)http_do(&r, "PUT", "/api/postcodes/G12", "x", 1, NULL);
	cJSON_Delete(problem(&r, 405));
	resp_free(&r);
}

static void
test_malformed_form_body_is_400(void **state)
{
	struct resp	r;

	(void)state;
	r = http_post_form("/about/data", "name=%zz");
	assert_html(&r, 400);
	resp_free(&r);
	r = http_post_form("/about/data", "name=a%00b");
	assert_html(&r, 400);
	resp_free(&r);
}

/*
 * libmicrohttpd decodes %00 into the path and query, where it would cut
 * the string short: "/api/postcodes/G12%008QQ" must not become a look-up
 * of "G12".
 */
static void
test_nul_in_address_is_400(void **state)
{
	static const char *const paths[] = { "/api/postcodes/G12%008QQ",
	    "/about/data%00.html", "/about/data?q=a%00b", NULL };
	struct resp	r;
	size_t		i;

	(void)state;
	for (i = 0; paths[i] != NULL; i++) {
		r = http_get(paths[i]);
		if (r.status != 400)
			fail_msg("%s: %ld, want 400", paths[i], r.status);
		resp_free(&r);
	}
	r = http_get("/api/postcodes/G12%008QQ");
	cJSON_Delete(problem(&r, 400));
	resp_free(&r);
	r = http_get("/about/data%00.html");
	assert_html(&r, 400);
	resp_free(&r);
}

/* Limits */

static void
test_body_over_1mib_is_413_by_content_length(void **state)
{
	static const char	 big_head[] = "POST /api/x HTTP/1.1\r\n"
	    "Host: t\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 5000000000\r\n\r\n";
	struct resp		 r;
	char			*body, head[4096];
	const char *const	 h[] = { "Content-Type: text/plain", NULL };
	int			 fd;

	(void)state;
	assert_non_null(body = malloc(1024 * 1024 + 1));
	memset(body, 'a', 1024 * 1024 + 1);
	(void)http_do(&r, "POST", "/about/data", body, 1024 * 1024 + 1, h);
	assert_html(&r, 413);
	resp_free(&r);
	/* Exactly the limit is fine: the route then says 405. */
	(void)http_do(&r, "POST", "/about/data", body, 1024 * 1024, h);
	assert_html(&r, 405);
	resp_free(&r);
	free(body);

	/* Answered from the header alone, before any body is sent. */
	fd = raw_connect(10);
	assert_int_equal(send_all(fd, big_head, sizeof(big_head) - 1), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 413);
	close(fd);
}

static void
test_chunked_body_over_1mib_is_413(void **state)
{
	static const char	 hdr[] = "POST /about/data HTTP/1.1\r\nHost: t\r\n"
	    "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
	char			 chunk[65536 + 16], head[4096];
	size_t			 sent;
	int			 fd, n;

	(void)state;
	fd = raw_connect(20);
	assert_int_equal(send_all(fd, hdr, sizeof(hdr) - 1), 0);
	n = snprintf(chunk, sizeof(chunk), "%x\r\n", 65536);
	memset(chunk + n, 'b', 65536);
	memcpy(chunk + n + 65536, "\r\n", 2);
	for (sent = 0; sent <= 1024 * 1024; sent += 65536)
		assert_int_equal(send_all(fd, chunk, (size_t)n + 65536 + 2), 0);
	assert_int_equal(send_all(fd, "0\r\n\r\n", 5), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 413);
	close(fd);

	/* A small chunked body is read normally (and POST here is 405). */
	fd = raw_connect(20);
	assert_int_equal(send_all(fd, hdr, sizeof(hdr) - 1), 0);
	assert_int_equal(send_all(fd, "5\r\nhello\r\n0\r\n\r\n", 15), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 405);
	close(fd);
}

/*
 * Trailer fields after the last chunk are headers that come late: past
 * the 8 KiB limit together with the headers, 431; a small one is fine.
 */
static void
test_chunked_trailers_count_against_the_header_limit(void **state)
{
	static const char	 hdr[] = "POST /about/data HTTP/1.1\r\nHost: t\r\n"
	    "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "5\r\nhello\r\n0\r\n";
	char			 field[128], head[4096];
	int			 fd, i, n;

	(void)state;
	fd = raw_connect(20);
	assert_int_equal(send_all(fd, hdr, sizeof(hdr) - 1), 0);
	for (i = 0; i < 100; i++) {
		n = snprintf(field, sizeof(field), "X-T%d: %0100d\r\n", i, 0);
		assert_int_equal(send_all(fd, field, (size_t)n), 0);
	}
	assert_int_equal(send_all(fd, "\r\n", 2), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 431);
	close(fd);

	fd = raw_connect(20);
	assert_int_equal(send_all(fd, hdr, sizeof(hdr) - 1), 0);
	assert_int_equal(send_all(fd, "X-T: 1\r\n\r\n", 10), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 405);
	close(fd);
}

static void
test_uri_over_2kib_is_414(void **state)
{
	struct resp	r;
	char		path[2200];

	(void)state;
	memcpy(path, "/about/data?q=", 14);
	memset(path + 14, 'a', sizeof(path) - 15);
	path[sizeof(path) - 1] = '\0';
	r = http_get(path);
	assert_html(&r, 414);
	resp_free(&r);
	/* Just under the limit is served. */
	path[2048] = '\0';
	r = http_get(path);
	assert_html(&r, 200);
	resp_free(&r);
}

static void
test_headers_over_8kib_are_431(void **state)
{
	struct resp	 r;
	char		*big;
	const char	*h[] = { NULL, NULL };

	(void)state;
	assert_non_null(big = malloc(70000));
	memcpy(big, "X-Big: ", 7);
	memset(big + 7, 'h', 9000);
	big[7 + 9000] = '\0';
	h[0] = big;
	(void)http_do(&r, NULL, "/about/data", NULL, 0, h);
	assert_html(&r, 431);
	resp_free(&r);
	/* Far past the connection's memory: libmicrohttpd answers itself. */
	memset(big + 7, 'h', 65000);
	big[7 + 65000] = '\0';
	(void)http_do(&r, NULL, "/about/data", NULL, 0, h);
	assert_status(&r, 431);
	resp_free(&r);
	free(big);
	r = http_get("/healthz");
	assert_status(&r, 200);
	resp_free(&r);
}

/* Caching and HEAD */

#define ASSET	"/assets/leaflet/leaflet.css"

/* The body is byte for byte the file under SIGNPOST_TEST_ROOT. */
static int
same_as_file(const struct resp *r, const char *rel)
{
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	char		 path[4096], *data;
	FILE		*f;
	long		 n;
	int		 same;

	snprintf(path, sizeof(path), "%s/%s", root != NULL ? root : ".", rel);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	assert_non_null(data = malloc((size_t)n + 1));
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	same = (size_t)n == r->len && memcmp(data, r->body, r->len) == 0;
	free(data);
	return (same);
}

static void
test_asset_etag_gives_304(void **state)
{
	struct resp	 r;
	char		 etag[128], inm[160], ctype[128], len200[32], len304[32];
	const char	*h[] = { inm, NULL };

	(void)state;
	/* Leaflet's stylesheet: pinned, never empty, and on disk to compare. */
	r = http_get(ASSET);
	assert_status(&r, 200);
	assert_true(r.len > 0);
	assert_true(same_as_file(&r, "node_modules/leaflet/dist/leaflet.css"));
	assert_int_equal(resp_header(&r, "ETag", etag, sizeof(etag)), 0);
	assert_int_equal(resp_header(&r, "Content-Type", ctype,
	    sizeof(ctype)), 0);
	assert_string_equal(ctype, "text/css; charset=utf-8");

	snprintf(len200, sizeof(len200), "%zu", r.len);
	resp_free(&r);

	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	(void)http_do(&r, NULL, ASSET, NULL, 0, h);
	assert_status(&r, 304);
	assert_int_equal(r.len, 0);
	/*
	 * RFC 9110 8.6: a 304 may carry Content-Length only if it is the
	 * length of the 200's content; "0" would tell caches the file is
	 * empty.
	 */
	if (resp_header(&r, "Content-Length", len304, sizeof(len304)) == 0 &&
	    strcmp(len304, len200) != 0)
		fail_msg("304 with Content-Length %s; the 200 had %s", len304,
		    len200);
	assert_int_equal(resp_header(&r, "ETag", ctype, sizeof(ctype)), 0);
	assert_string_equal(ctype, etag);
	resp_free(&r);

	snprintf(inm, sizeof(inm), "If-None-Match: \"stale\", W/%s", etag);
	(void)http_do(&r, NULL, ASSET, NULL, 0, h);
	assert_status(&r, 304);
	resp_free(&r);

	snprintf(inm, sizeof(inm), "If-None-Match: \"stale\"");
	(void)http_do(&r, NULL, ASSET, NULL, 0, h);
	assert_status(&r, 200);
	assert_true(r.len > 0);
	resp_free(&r);
}

/* The gzip body r holds, inflated into out (which the caller frees). */
static int
gunzip(const struct resp *r, char **out, size_t *outlen)
{
	z_stream	 z;
	size_t		 cap = r->len * 4 + 1024;
	char		*b, *nb;
	int		 rc;

	memset(&z, 0, sizeof(z));
	if ((b = malloc(cap)) == NULL || inflateInit2(&z, 15 + 16) != Z_OK) {
		free(b);
		return (-1);
	}
	z.next_in = (Bytef *)r->body;
	z.avail_in = (uInt)r->len;
	for (;;) {
		z.next_out = (Bytef *)b + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		if ((rc = inflate(&z, Z_NO_FLUSH)) == Z_STREAM_END)
			break;
		if ((rc != Z_OK && rc != Z_BUF_ERROR) || z.avail_in == 0) {
			inflateEnd(&z);
			free(b);
			return (-1);
		}
		cap *= 2;
		if ((nb = realloc(b, cap)) == NULL) {
			inflateEnd(&z);
			free(b);
			return (-1);
		}
		b = nb;
	}
	*out = b;
	*outlen = z.total_out;
	inflateEnd(&z);
	return (0);
}

/*
 * Text answers of every kind (a page, a compiled-in file, a cached feed
 * page, a streamed feed) come gzipped to a client that asks, and inflate
 * to the very bytes a client that does not ask gets; both are told the
 * answer varies with Accept-Encoding.
 */
static void
test_text_is_gzipped_for_clients_that_take_it(void **state)
{
	static const char *const paths[] = {
		"/areas", "/assets/css/site.css",
		"/api/services?page=1&per_page=50",
		"/api/services.geojson", "/api/services?format=ndjson"
	};
	const char	*gz[] = { "Accept-Encoding: gzip, br", NULL };
	const char	*no[] = { "Accept-Encoding: gzip;q=0, identity", NULL };
	struct resp	 p, z;
	char		*in = NULL, v[128], enc[64];
	size_t		 i, inlen = 0;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		p = http_get(paths[i]);
		assert_status(&p, 200);
		if (resp_header(&p, "Content-Encoding", enc, sizeof(enc)) == 0)
			fail_msg("%s: Content-Encoding %s unasked", paths[i],
			    enc);
		(void)http_do(&z, NULL, paths[i], NULL, 0, gz);
		assert_status(&z, 200);
		if (resp_header(&z, "Content-Encoding", enc, sizeof(enc)) ==
		    -1 || strcmp(enc, "gzip") != 0)
			fail_msg("%s: no gzip for a client that takes it",
			    paths[i]);
		if (gunzip(&z, &in, &inlen) == -1) {
			fail_msg("%s: the body is not gzip", paths[i]);
			return;
		}
		if (inlen != p.len || memcmp(in, p.body, p.len) != 0)
			fail_msg("%s: %zu bytes inflated, %zu plain", paths[i],
			    inlen, p.len);
		if (z.len * 2 > p.len)
			fail_msg("%s: %zu bytes gzipped of %zu", paths[i],
			    z.len, p.len);
		assert_int_equal(resp_header(&p, "Vary", v, sizeof(v)), 0);
		assert_string_equal(v, "Accept-Encoding");
		assert_int_equal(resp_header(&z, "Vary", v, sizeof(v)), 0);
		assert_string_equal(v, "Accept-Encoding");
		free(in);
		resp_free(&z);
		/* q=0 refuses the coding. */
		(void)http_do(&z, NULL, paths[i], NULL, 0, no);
		assert_status(&z, 200);
		assert_int_equal(resp_header(&z, "Content-Encoding", enc,
		    sizeof(enc)), -1);
		assert_int_equal(z.len, p.len);
		resp_free(&z);
		resp_free(&p);
	}
}

/*
 * The gzipped form has its own, weak, tag (RFC 9110 8.8.1), which still
 * revalidates: a 304 whose length is that of the gzipped 200.
 */
static void
test_gzipped_answer_revalidates_with_a_weak_tag(void **state)
{
	static const char *const paths[] = {
		"/assets/css/site.css", "/api/services?page=1&per_page=50"
	};
	char		 etag[128], gtag[140], inm[200], len[32], len304[32];
	const char	*gz[] = { "Accept-Encoding: gzip", NULL };
	const char	*h[] = { "Accept-Encoding: gzip", inm, NULL };
	struct resp	 p, z;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		p = http_get(paths[i]);
		assert_status(&p, 200);
		assert_int_equal(resp_header(&p, "ETag", etag, sizeof(etag)),
		    0);
		(void)http_do(&z, NULL, paths[i], NULL, 0, gz);
		assert_status(&z, 200);
		assert_int_equal(resp_header(&z, "ETag", gtag, sizeof(gtag)),
		    0);
		if (strncmp(gtag, "W/", 2) != 0 || strcmp(gtag + 2, etag) != 0)
			fail_msg("%s: gzip tag %s, plain %s", paths[i], gtag,
			    etag);
		snprintf(len, sizeof(len), "%zu", z.len);
		resp_free(&z);
		snprintf(inm, sizeof(inm), "If-None-Match: %s", gtag);
		(void)http_do(&z, NULL, paths[i], NULL, 0, h);
		assert_status(&z, 304);
		assert_int_equal(resp_header(&z, "Content-Length", len304,
		    sizeof(len304)), 0);
		assert_string_equal(len304, len);
		resp_free(&z);
		resp_free(&p);
	}
}

static void
test_head_is_answered_without_a_body(void **state)
{
	struct resp	r, g;
	char		len[32], glen[32];

	(void)state;
	g = http_get("/about/data");
	assert_html(&g, 200);
	(void)http_do(&r, "HEAD", "/about/data", NULL, 0, NULL);
	assert_status(&r, 200);
	assert_int_equal(r.len, 0);
	assert_true(header_starts(&r, "Content-Type", "text/html"));
	/* The length of the body a GET would get. */
	assert_int_equal(resp_header(&r, "Content-Length", len, sizeof(len)),
	    0);
	snprintf(glen, sizeof(glen), "%zu", g.len);
	assert_string_equal(len, glen);
	resp_free(&r);
	resp_free(&g);
	(void)http_do(&r, "HEAD", "/healthz", NULL, 0, NULL);
	assert_status(&r, 200);
	assert_int_equal(r.len, 0);
	resp_free(&r);
}

/* Access log */

/* Wait up to 3 s for a line of the server log to match re. */
static int
log_has(const char *re_src, char *line, size_t linelen)
{
	const char	*path = getenv("SIGNPOST_TEST_SERVER_LOG");
	regex_t		 re;
	FILE		*f;
	int		 tries, found = 0;

	if (path == NULL)
		fail_msg("SIGNPOST_TEST_SERVER_LOG is not set");
	assert_int_equal(regcomp(&re, re_src, REG_EXTENDED | REG_NOSUB), 0);
	for (tries = 0; tries < 30 && !found; tries++) {
		if ((f = fopen(path, "r")) == NULL)
			fail_msg("%s: %s", path, strerror(errno));
		while (fgets(line, (int)linelen, f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if (regexec(&re, line, 0, NULL, 0) == 0) {
				found = 1;
				break;
			}
		}
		fclose(f);
		if (!found)
			usleep(100000);
	}
	regfree(&re);
	return (found);
}

static void
test_access_log_line_format(void **state)
{
	struct resp	r;
	char		path[64], re[256], line[1024];

	(void)state;
	srandom((unsigned int)time(NULL) ^ (unsigned int)getpid());
	snprintf(path, sizeof(path), "/core-log-test-%08lx", random());
	r = http_get(path);
	assert_status(&r, 404);
	snprintf(re, sizeof(re), "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:"
	    "[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z GET %s 404 %zu [0-9]+us$", path,
	    r.len);
	if (!log_has(re, line, sizeof(line)))
		fail_msg("no access log line matching %s", re);
	resp_free(&r);

	/* A decoded newline must not forge a second log line. */
	snprintf(path, sizeof(path), "/core-log-%08lx%%0Aforged", random());
	r = http_get(path);
	assert_status(&r, 404);
	snprintf(re, sizeof(re), "Z GET /core-log-%.8s\\?forged 404 ",
	    path + 10);
	if (!log_has(re, line, sizeof(line)))
		fail_msg("no access log line matching %s", re);
	resp_free(&r);
}

/*
 * libmicrohttpd's own messages end in a newline; the log promises one
 * line per event, so they must not leave empty lines behind.
 */
static void
test_library_messages_are_single_log_lines(void **state)
{
	static const char	 bad[] = "POST /about/data HTTP/1.1\r\n"
	    "Host: t\r\nContent-Length: abc\r\n\r\n";
	const char		*path = getenv("SIGNPOST_TEST_SERVER_LOG");
	char			 head[4096], line[4096];
	FILE			*f;
	int			 fd, lineno = 0;

	(void)state;
	fd = raw_connect(10);
	assert_int_equal(send_all(fd, bad, sizeof(bad) - 1), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 400);
	close(fd);
	if (!log_has("warning: .*Content-Length", line, sizeof(line)))
		fail_msg("libmicrohttpd's message did not reach the log");
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[0] == '\n') {
			fclose(f);
			fail_msg("%s:%d is empty", path, lineno);
		}
	}
	fclose(f);
}

/* PostgreSQL going away under the running server */

static int
pg(const char *cmd)
{
	const char	*script = getenv("SIGNPOST_TEST_PG");
	const char	*dir = getenv("SIGNPOST_TEST_PGDIR");
	char		 line[2048];

	if (script == NULL || dir == NULL)
		fail_msg("SIGNPOST_TEST_PG and SIGNPOST_TEST_PGDIR must be "
		    "set (scripts/run-integration does)");
	snprintf(line, sizeof(line), "'%s' %s '%s' >/dev/null 2>&1", script,
	    cmd, dir);
	return (system(line));
}

static void
assert_healthz_down(void)
{
	struct resp	r;
	cJSON		*j;

	r = http_get("/healthz");
	if (r.status != 503)
		fail_msg("healthz with the database stopped: %ld %.200s",
		    r.status, r.body);
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "database"), "unreachable");
	cJSON_Delete(j);
	resp_free(&r);
}

static void
assert_all_up(int n)
{
	struct resp	r;
	int		i;

	for (i = 0; i < n; i++) {
		r = http_get("/healthz");
		if (r.status != 200)
			fail_msg("healthz %d after restart: %ld %.200s", i,
			    r.status, r.body);
		resp_free(&r);
		r = http_get("/api/postcodes/G12%208QQ");
		if (r.status != 200)
			fail_msg("postcode %d after restart: %ld %.200s", i,
			    r.status, r.body);
		resp_free(&r);
	}
}

static void
test_database_restart_gives_503_then_recovers(void **state)
{
	struct resp	r;
	cJSON		*j;
	char		retry[32];
	int		i;

	(void)state;
	/* Every worker thread holds an open connection first. */
	assert_all_up(12);
	assert_int_equal(pg("stop"), 0);
	for (i = 0; i < 12; i++) {
		assert_healthz_down();
		r = http_get("/api/postcodes/G12%208QQ");
		j = problem(&r, 503);
		cJSON_Delete(j);
		assert_int_equal(resp_header(&r, "Retry-After", retry,
		    sizeof(retry)), 0);
		resp_free(&r);
		/* Pages that need no database still work. */
		r = http_get("/about/data");
		assert_status(&r, 200);
		resp_free(&r);
	}
	assert_int_equal(pg("start"), 0);
	assert_all_up(12);
}

static int
restart_pg(void **state)
{
	(void)state;
	/* Whatever happened above, leave the database running. */
	if (pg("status") != 0)
		(void)pg("start");
	/* The fixture connection died with the old server process. */
	PQreset(test_db());
	return (0);
}

/*
 * Connections.  These run against a second server of their own, started
 * here with a 2 s idle timeout and a cap of 8 connections per address, so
 * that the shared server keeps its ordinary limits for every other test.
 */

#define OWN_TIMEOUT	2
#define OWN_PER_IP	8

static struct own_server	own;

static int
own_start(void **state)
{
	char		 timeout[64], per_ip[64];
	const char *const env[] = { "SIGNPOST_WORKERS=2", timeout, per_ip,
	    NULL };

	(void)state;
	snprintf(timeout, sizeof(timeout), "SIGNPOST_CONNECTION_TIMEOUT=%d",
	    OWN_TIMEOUT);
	snprintf(per_ip, sizeof(per_ip), "SIGNPOST_MAX_CONNECTIONS_PER_IP=%d",
	    OWN_PER_IP);
	return (own_server_start(&own, env));
}

static int
own_stop(void **state)
{
	(void)state;
	return (own_server_stop(&own));
}

/* The server must hang up on fd after about the configured timeout. */
static void
assert_dropped_after_timeout(int fd)
{
	char	b[512];
	double	t0, waited;
	ssize_t	n;

	t0 = now();
	n = recv(fd, b, sizeof(b), 0);
	waited = now() - t0;
	if (n > 0)
		fail_msg("the server answered a half request: %.*s", (int)n,
		    b);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		fail_msg("still connected after %.1f s (timeout %d s)",
		    waited, OWN_TIMEOUT);
	if (waited < OWN_TIMEOUT - 0.5)
		fail_msg("dropped after %.1f s, before the %d s timeout",
		    waited, OWN_TIMEOUT);
}

static void
test_slow_client_is_disconnected(void **state)
{
	static const char	 req[] = "GET /about/data HTTP/1.1\r\n"
	    "Host: t\r\n\r\n";
	char			 head[4096];
	int			 fd;

	(void)state;
	/* Half a request line. */
	fd = raw_connect_to(own.port, OWN_TIMEOUT + 5);
	assert_int_equal(send_all(fd, "GET /heal", 9), 0);
	assert_dropped_after_timeout(fd);
	close(fd);
	/* A request line and half the headers. */
	fd = raw_connect_to(own.port, OWN_TIMEOUT + 5);
	assert_int_equal(send_all(fd, "GET /healthz HTTP/1.1\r\nHost: t\r\n"
	    "X-Slow: ", 40), 0);
	assert_dropped_after_timeout(fd);
	close(fd);
	/* Half a body. */
	fd = raw_connect_to(own.port, OWN_TIMEOUT + 5);
	assert_int_equal(send_all(fd, "POST /about/data HTTP/1.1\r\nHost: t"
	    "\r\nContent-Length: 100\r\n\r\nabc", 63), 0);
	assert_dropped_after_timeout(fd);
	close(fd);
	/* Meanwhile, and after, others are served. */
	fd = raw_connect_to(own.port, OWN_TIMEOUT + 5);
	assert_int_equal(send_all(fd, req, sizeof(req) - 1), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 200);
	close(fd);
	/* SIGTERM (in own_stop) must not wait for a half request. */
	own.idle_fd = raw_connect_to(own.port, OWN_TIMEOUT + 5);
	assert_int_equal(send_all(own.idle_fd, "GET /about/data HTTP/1.1\r\n",
	    26), 0);
}

static void
test_connections_per_ip_are_capped(void **state)
{
	static const char	 req[] = "HEAD /about/data HTTP/1.1\r\n"
	    "Host: t\r\n\r\n";
	int			 fds[OWN_PER_IP], fd, i, st;
	char			 head[4096];

	(void)state;
	for (i = 0; i < OWN_PER_IP; i++) {
		fds[i] = raw_connect_to(own.port, 5);
		assert_int_equal(send_all(fds[i], req, sizeof(req) - 1), 0);
		if ((st = read_status(fds[i], head, sizeof(head))) != 200)
			fail_msg("connection %d of %d got %d", i + 1,
			    OWN_PER_IP, st);
	}
	/* One more from the same address is closed unanswered. */
	fd = raw_connect_to(own.port, 5);
	(void)send_all(fd, req, sizeof(req) - 1);
	st = read_status(fd, head, sizeof(head));
	close(fd);
	if (st > 0)
		fail_msg("connection %d got an answer (%d)", OWN_PER_IP + 1,
		    st);
	/* The open ones still work, and a freed slot can be used again. */
	assert_int_equal(send_all(fds[0], req, sizeof(req) - 1), 0);
	assert_int_equal(read_status(fds[0], head, sizeof(head)), 200);
	close(fds[OWN_PER_IP - 1]);
	usleep(300000);
	fd = raw_connect_to(own.port, 5);
	assert_int_equal(send_all(fd, req, sizeof(req) - 1), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 200);
	close(fd);
	for (i = 0; i < OWN_PER_IP - 1; i++)
		close(fds[i]);
}

/* What browsers and crawlers fetch unasked is there, and every page
 * says what the site is and where its icon is. */
static void
test_favicon_robots_and_description(void **state)
{
	struct resp	r;

	(void)state;
	r = http_get("/favicon.ico");
	if (r.status != 200 || !header_starts(&r, "Content-Type",
	    "image/svg+xml") || !contains(r.body, "<svg"))
		fail_msg("GET /favicon.ico: %ld\n%s", r.status, r.headers);
	resp_free(&r);
	r = http_get("/robots.txt");
	if (r.status != 200 || !header_starts(&r, "Content-Type",
	    "text/plain") || !contains(r.body, "Disallow: /admin") ||
	    !contains(r.body, "Disallow: /edit/"))
		fail_msg("GET /robots.txt: %ld\n%s", r.status, r.body);
	resp_free(&r);
	r = http_get("/submit");
	if (!contains(r.body, "<meta name=\"description\" content=\"") ||
	    !contains(r.body, "<link rel=\"icon\" href=\"/assets/favicon.svg"
	    "?v=") || contains(r.body, "<option value=\"\"></option>"))
		fail_msg("GET /submit head or options:\n%.3000s", r.body);
	resp_free(&r);
}

/*
 * A partner's JavaScript sending If-None-Match (to use our ETags) makes
 * the browser ask first: the API says yes, with what it allows.
 */
static void
test_api_answers_cors_preflight(void **state)
{
	struct resp		 r;
	char			 v[256];
	const char *const	 h[] = { "Origin: https://partner.example",
	    "Access-Control-Request-Method: GET",
	    "Access-Control-Request-Headers: if-none-match", NULL };

	(void)state;
	(void)http_do(&r, "OPTIONS", "/api/services?page=1", NULL, 0, h);
	if (r.status != 204)
		fail_msg("OPTIONS /api/services: %ld\n%s\n%s", r.status,
		    r.headers, r.body);
	assert_int_equal(resp_header(&r, "Access-Control-Allow-Origin", v,
	    sizeof(v)), 0);
	assert_string_equal(v, "*");
	assert_int_equal(resp_header(&r, "Access-Control-Allow-Methods", v,
	    sizeof(v)), 0);
	assert_true(contains(v, "GET"));
	assert_int_equal(resp_header(&r, "Access-Control-Allow-Headers", v,
	    sizeof(v)), 0);
	assert_true(strcasestr(v, "if-none-match") != NULL);
	assert_true(header_starts(&r, "Access-Control-Max-Age", "86400"));
	resp_free(&r);
	/* Not the pages: they are not for other sites' scripts. */
	(void)http_do(&r, "OPTIONS", "/search", NULL, 0, h);
	assert_status(&r, 405);
	assert_false(contains(r.headers, "Access-Control-Allow-Methods"));
	resp_free(&r);
}

/*
 * Requests within the byte limits but with very many parameters or
 * headers used to run libmicrohttpd out of connection memory, and the
 * client got no answer at all.  Each gets its status at once now.
 */
static void
test_many_parameters_or_headers_get_a_status(void **state)
{
	char	*req, head[4096];
	size_t	 i, n;
	int	 fd, st, want[3] = { 414, 414, 431 }, k;

	(void)state;
	assert_non_null(req = malloc(65536));
	for (k = 0; k < 3; k++) {
		n = (size_t)sprintf(req, "GET /search?postcode=G12+8QQ");
		if (k < 2)
			for (i = 0; i < (k == 0 ? 400u : 1000u); i++)
				n += (size_t)sprintf(req + n, "&a=");
		n += (size_t)sprintf(req + n, " HTTP/1.1\r\nHost: t\r\n");
		if (k == 2)
			for (i = 0; i < 330; i++)
				n += (size_t)sprintf(req + n,
				    "X: aaaaaaaaaa\r\n");
		n += (size_t)sprintf(req + n, "Connection: close\r\n\r\n");
		fd = raw_connect(10);
		assert_int_equal(send_all(fd, req, n), 0);
		st = read_status(fd, head, sizeof(head));
		close(fd);
		if (st != want[k])
			fail_msg("case %d (%zu bytes): %d, want %d\n%s", k, n,
			    st, want[k], head);
	}
	free(req);
}

/* RFC 9112 3.2: an HTTP/1.1 request has exactly one Host, else 400. */
static void
test_host_header_is_required_once(void **state)
{
	static const struct {
		const char	*what;
		const char	*req;
		size_t		 len;
		int		 want;
	} cases[] = {
#define C(w, r, s)	{ w, r, sizeof(r) - 1, s }
		C("HTTP/1.1 without Host", "GET /about/data HTTP/1.1\r\n"
		    "Connection: close\r\n\r\n", 400),
		C("two Hosts", "GET /about/data HTTP/1.1\r\nHost: a\r\n"
		    "Host: b\r\nConnection: close\r\n\r\n", 400),
		C("HTTP/1.0 without Host", "GET /about/data HTTP/1.0\r\n\r\n",
		    200),
		C("one Host", "GET /about/data HTTP/1.1\r\nHost: t\r\n"
		    "Connection: close\r\n\r\n", 200),
#undef C
	};
	char	head[4096];
	size_t	i;
	int	fd, st;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fd = raw_connect(10);
		assert_int_equal(send_all(fd, cases[i].req, cases[i].len), 0);
		st = read_status(fd, head, sizeof(head));
		close(fd);
		if (st != cases[i].want)
			fail_msg("%s: %d, want %d\n%s", cases[i].what, st,
			    cases[i].want, head);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthz_is_ok_with_database),
		cmocka_unit_test(test_postcode_matches_code_point_open),
		cmocka_unit_test(test_postcode_any_spacing_and_case),
		cmocka_unit_test(test_outward_code_gives_district_centroid),
		cmocka_unit_test(test_unknown_postcode_is_404_problem),
		cmocka_unit_test(test_malformed_postcode_is_400_problem),
		cmocka_unit_test(test_unknown_page_is_404_html),
		cmocka_unit_test(test_unknown_api_path_is_404_problem),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
		cmocka_unit_test(test_api_answers_cors_preflight),
		cmocka_unit_test(test_favicon_robots_and_description),
		cmocka_unit_test(test_malformed_form_body_is_400),
		cmocka_unit_test(test_nul_in_address_is_400),
		cmocka_unit_test(test_host_header_is_required_once),
		cmocka_unit_test(test_body_over_1mib_is_413_by_content_length),
		cmocka_unit_test(test_chunked_body_over_1mib_is_413),
		cmocka_unit_test(
		    test_chunked_trailers_count_against_the_header_limit),
		cmocka_unit_test(test_uri_over_2kib_is_414),
		cmocka_unit_test(test_headers_over_8kib_are_431),
		cmocka_unit_test(test_many_parameters_or_headers_get_a_status),
		cmocka_unit_test(test_asset_etag_gives_304),
		cmocka_unit_test(test_text_is_gzipped_for_clients_that_take_it),
		cmocka_unit_test(
		    test_gzipped_answer_revalidates_with_a_weak_tag),
		cmocka_unit_test(test_head_is_answered_without_a_body),
		cmocka_unit_test(test_access_log_line_format),
		cmocka_unit_test(test_library_messages_are_single_log_lines),
		cmocka_unit_test_teardown(
		    test_database_restart_gives_503_then_recovers, restart_pg),
		cmocka_unit_test_setup_teardown(
		    test_slow_client_is_disconnected, own_start, own_stop),
		cmocka_unit_test_setup_teardown(
		    test_connections_per_ip_are_capped, own_start, own_stop),
	};

	return (RUN_TESTS("core", tests));
}
