/*
 * Unit tests for the pure half of http.c, on hand-made requests with no
 * socket: the typed parameter getters (absent, bad with a message naming
 * the parameter and the reason, ok), urlencoded/cookie/percent decoding,
 * ETag revalidation, Accept-Encoding and compression, and the response
 * helpers.
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
#include <zlib.h>

#include "gzip.h"
#include "http.h"
#include "unit.h"

#define UUID_LOWER	"0f8fad5b-d9cb-469f-a165-70867728950e"
#define UUID_UPPER	"7C9E6679-7425-40DE-944B-E07FC1F90AE7"

static int
setup_req(void **state)
{
	struct http_request	*req;

	if ((req = malloc(sizeof(*req))) == NULL)
		return (-1);
	http_request_init(req);
	*state = req;
	return (0);
}

static int
teardown_req(void **state)
{
	http_request_free(*state);
	free(*state);
	return (0);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup_req, teardown_req)

static void
query(struct http_request *req, const char *k, const char *v)
{
	assert_int_equal(http_kv_add(&req->query, k, v), 0);
}

static void
form(struct http_request *req, const char *k, const char *v)
{
	assert_int_equal(http_kv_add(&req->form, k, v), 0);
}

/* A rejection names the parameter and says why, in the detail too. */
static void
assert_rejected(struct http_request *req, const char *name, const char *why)
{
	assert_string_equal(req->err_param, name);
	if (strstr(req->err_detail, name) == NULL ||
	    strstr(req->err_detail, why) == NULL)
		fail_msg("detail \"%s\" should name \"%s\" and say \"%s\"",
		    req->err_detail, name, why);
}

/* Parameter lookup. */

/* A link must not override what a form posted, nor a body a link. */
static void
test_param_post_reads_the_body_get_the_query(void **state)
{
	struct http_request	*req = *state;

	form(req, "q", "from form");
	query(req, "q", "from query");
	req->method = HTTP_GET;
	assert_string_equal(http_param(req, "q"), "from query");
	req->method = HTTP_POST;
	assert_string_equal(http_param(req, "q"), "from form");
	query(req, "only", "in the query");
	assert_null(http_param(req, "only"));
	assert_null(http_param(req, "Q"));
	assert_null(http_param(req, "missing"));
}

static void
test_param_skips_empty_values(void **state)
{
	struct http_request	*req = *state;

	query(req, "q", "");
	assert_null(http_param(req, "q"));
	query(req, "q", "second");
	assert_string_equal(http_param(req, "q"), "second");
}

static void
test_param_all_keeps_order_and_limit(void **state)
{
	struct http_request	*req = *state;
	const char		*v[8];

	query(req, "cat", "a");
	query(req, "other", "x");
	query(req, "cat", "");
	query(req, "cat", "b");
	query(req, "cat", "c");
	form(req, "cat", "from a body");
	assert_int_equal(http_param_all(req, "cat", v, 8), 3);
	assert_string_equal(v[0], "a");
	assert_string_equal(v[1], "b");
	assert_string_equal(v[2], "c");
	assert_int_equal(http_param_all(req, "cat", v, 2), 2);
	assert_int_equal(http_param_all(req, "none", v, 8), 0);
}

/* int */

static void
test_param_int_absent_and_empty(void **state)
{
	struct http_request	*req = *state;
	long long		 v = 99;

	assert_int_equal(http_param_int(req, "radius", 1, 10, &v),
	    HTTP_PARAM_ABSENT);
	query(req, "radius", "");
	assert_int_equal(http_param_int(req, "radius", 1, 10, &v),
	    HTTP_PARAM_ABSENT);
	assert_int_equal(v, 99);
	assert_string_equal(req->err_param, "");
}

static void
test_param_int_ok(void **state)
{
	struct http_request	*req = *state;
	long long		 v;

	query(req, "radius", "10");
	query(req, "page", "-3");
	assert_int_equal(http_param_int(req, "radius", 1, 10, &v),
	    HTTP_PARAM_OK);
	assert_int_equal(v, 10);
	assert_int_equal(http_param_int(req, "page", -5, 5, &v),
	    HTTP_PARAM_OK);
	assert_int_equal(v, -3);
}

static void
test_param_int_rejects_words_junk_and_decimals(void **state)
{
	static const char *const bad[] = { "abc", "5km", "5 ", " 5", "1.5",
	    "1e2", "0x5", "5,000", NULL };
	struct http_request	*req = *state;
	long long		 v;
	size_t			 i;

	for (i = 0; bad[i] != NULL; i++) {
		http_kv_free(&req->query);
		memset(req->err_param, 0, sizeof(req->err_param));
		query(req, "radius", bad[i]);
		if (http_param_int(req, "radius", 0, 100000, &v) !=
		    HTTP_PARAM_BAD)
			fail_msg("radius=\"%s\" was not rejected", bad[i]);
		assert_rejected(req, "radius", "whole number");
	}
}

static void
test_param_int_rejects_out_of_range_and_says_the_range(void **state)
{
	struct http_request	*req = *state;
	long long		 v;

	query(req, "radius", "11");
	assert_int_equal(http_param_int(req, "radius", 1, 10, &v),
	    HTTP_PARAM_BAD);
	assert_rejected(req, "radius", "from 1 to 10");
	http_kv_free(&req->query);
	query(req, "radius", "0");
	assert_int_equal(http_param_int(req, "radius", 1, 10, &v),
	    HTTP_PARAM_BAD);
}

static void
test_param_int_rejects_overflow(void **state)
{
	struct http_request	*req = *state;
	long long		 v;

	query(req, "n", "99999999999999999999999");
	assert_int_equal(http_param_int(req, "n", 0, 1000, &v),
	    HTTP_PARAM_BAD);
	assert_rejected(req, "n", "whole number");
}

/* double */

static void
test_param_double_ok_absent_and_bad(void **state)
{
	struct http_request	*req = *state;
	double			 v;

	assert_int_equal(http_param_double(req, "lat", -90, 90, &v),
	    HTTP_PARAM_ABSENT);
	query(req, "lat", "55.8717");
	assert_int_equal(http_param_double(req, "lat", -90, 90, &v),
	    HTTP_PARAM_OK);
	assert_float_equal(v, 55.8717, 1e-12);
	http_kv_free(&req->query);
	query(req, "lat", "91");
	assert_int_equal(http_param_double(req, "lat", -90, 90, &v),
	    HTTP_PARAM_BAD);
	assert_rejected(req, "lat", "number from -90 to 90");
}

static void
test_param_double_rejects_junk_nan_inf_and_overflow(void **state)
{
	static const char *const bad[] = { "55.8N", "55,8", "nan", "inf",
	    "1e999", "", NULL };
	struct http_request	*req = *state;
	double			 v;
	size_t			 i;

	for (i = 0; bad[i] != NULL; i++) {
		http_kv_free(&req->query);
		query(req, "lon", bad[i]);
		/* The empty string is "absent", the others are bad. */
		if (http_param_double(req, "lon", -1e308, 1e308, &v) !=
		    (*bad[i] == '\0' ? HTTP_PARAM_ABSENT : HTTP_PARAM_BAD))
			fail_msg("lon=\"%s\" misjudged", bad[i]);
		if (*bad[i] != '\0')
			assert_rejected(req, "lon", "number");
	}
}

/* bool */

static void
test_param_bool_accepts_the_usual_spellings(void **state)
{
	static const char *const yes[] = { "1", "true", "on", "yes", NULL };
	static const char *const no[] = { "0", "false", "off", "no", NULL };
	struct http_request	*req = *state;
	size_t			 i;
	int			 v;

	for (i = 0; yes[i] != NULL; i++) {
		http_kv_free(&req->query);
		query(req, "free", yes[i]);
		v = -1;
		assert_int_equal(http_param_bool(req, "free", &v),
		    HTTP_PARAM_OK);
		assert_int_equal(v, 1);
	}
	for (i = 0; no[i] != NULL; i++) {
		http_kv_free(&req->query);
		query(req, "free", no[i]);
		v = -1;
		assert_int_equal(http_param_bool(req, "free", &v),
		    HTTP_PARAM_OK);
		assert_int_equal(v, 0);
	}
}

static void
test_param_bool_absent_and_bad(void **state)
{
	struct http_request	*req = *state;
	int			 v = 7;

	assert_int_equal(http_param_bool(req, "free", &v), HTTP_PARAM_ABSENT);
	query(req, "free", "maybe");
	assert_int_equal(http_param_bool(req, "free", &v), HTTP_PARAM_BAD);
	assert_rejected(req, "free", "true or false");
	http_kv_free(&req->query);
	query(req, "free", "1 ");
	assert_int_equal(http_param_bool(req, "free", &v), HTTP_PARAM_BAD);
	assert_int_equal(v, 7);
}

/* uuid */

static void
test_param_uuid_ok(void **state)
{
	struct http_request	*req = *state;
	const char		*v;

	query(req, "id", UUID_LOWER);
	query(req, "ID", UUID_UPPER);
	assert_int_equal(http_param_uuid(req, "id", &v), HTTP_PARAM_OK);
	assert_string_equal(v, UUID_LOWER);
	assert_int_equal(http_param_uuid(req, "ID", &v), HTTP_PARAM_OK);
	assert_string_equal(v, UUID_UPPER);
}

static void
test_param_uuid_absent_and_bad(void **state)
{
	static const char *const bad[] = {
	    "0f8fad5b-d9cb-469f-a165-70867728950",	/* short */
	    "0f8fad5b-d9cb-469f-a165-70867728950e0",	/* long */
	    "0f8fad5bd9cb-469f-a165-70867728950e0",	/* hyphen moved */
	    "0f8fad5b-d9cb-469f-a165-70867728950g",	/* not hex */
	    "0f8fad5b d9cb-469f-a165-70867728950e",
	    "{0f8fad5b-d9cb-469f-a165-70867728950e}",
	    "1; DROP TABLE service", NULL };
	struct http_request	*req = *state;
	const char		*v = "x";
	size_t			 i;

	assert_int_equal(http_param_uuid(req, "id", &v), HTTP_PARAM_ABSENT);
	assert_null(v);
	for (i = 0; bad[i] != NULL; i++) {
		http_kv_free(&req->query);
		query(req, "id", bad[i]);
		v = "x";
		if (http_param_uuid(req, "id", &v) != HTTP_PARAM_BAD)
			fail_msg("id=\"%s\" was not rejected", bad[i]);
		assert_null(v);
		assert_rejected(req, "id", "UUID");
	}
	assert_false(http_is_uuid(NULL));
	assert_true(http_is_uuid(UUID_LOWER));
}

/* enum */

static void
test_param_enum_ok_absent_and_bad_lists_the_choices(void **state)
{
	static const char *const kinds[] = { "service", "walking_group",
	    "activity", NULL };
	struct http_request	*req = *state;
	int			 v = -1;

	assert_int_equal(http_param_enum(req, "kind", kinds, &v),
	    HTTP_PARAM_ABSENT);
	query(req, "kind", "activity");
	assert_int_equal(http_param_enum(req, "kind", kinds, &v),
	    HTTP_PARAM_OK);
	assert_int_equal(v, 2);
	http_kv_free(&req->query);
	query(req, "kind", "Activity");
	assert_int_equal(http_param_enum(req, "kind", kinds, &v),
	    HTTP_PARAM_BAD);
	assert_rejected(req, "kind", "service, walking_group, activity");
	assert_int_equal(v, 2);
}

/* str */

static void
test_param_str_ok_and_absent(void **state)
{
	struct http_request	*req = *state;
	const char		*v = "x";

	assert_int_equal(http_param_str(req, "q", 100, &v), HTTP_PARAM_ABSENT);
	assert_null(v);
	query(req, "q", "debt advice\r\nnear\tme");
	assert_int_equal(http_param_str(req, "q", 100, &v), HTTP_PARAM_OK);
	assert_string_equal(v, "debt advice\r\nnear\tme");
}

static void
test_param_str_rejects_too_long(void **state)
{
	struct http_request	*req = *state;
	const char		*v;

	query(req, "q", "12345");
	assert_int_equal(http_param_str(req, "q", 5, &v), HTTP_PARAM_OK);
	http_kv_free(&req->query);
	query(req, "q", "123456");
	assert_int_equal(http_param_str(req, "q", 5, &v), HTTP_PARAM_BAD);
	assert_null(v);
	assert_rejected(req, "q", "at most 5");
}

static void
test_param_str_rejects_control_characters(void **state)
{
	static const char *const bad[] = { "a\x01", "\x1b[31m", "a\x7f",
	    "\x08", NULL };
	struct http_request	*req = *state;
	const char		*v;
	size_t			 i;

	for (i = 0; bad[i] != NULL; i++) {
		http_kv_free(&req->query);
		query(req, "name", bad[i]);
		assert_int_equal(http_param_str(req, "name", 100, &v),
		    HTTP_PARAM_BAD);
		assert_rejected(req, "name", "control characters");
	}
}

/*
 * The database is UTF-8: a byte sequence that is not UTF-8 would make
 * PostgreSQL fail the statement, and the person would see a 500 instead
 * of a message about their input.
 */
static void
test_param_str_rejects_invalid_utf8(void **state)
{
	static const char *const bad[] = {
	    "caf\xe9",			/* Latin-1 é */
	    "\xff",
	    "\xc3",			/* truncated sequence */
	    "\xc3(",
	    "\xc0\xaf",			/* overlong "/" */
	    "\xe0\x80\xaf",		/* overlong "/" */
	    "\xed\xa0\x80",		/* UTF-16 surrogate */
	    "\xf4\x90\x80\x80",		/* above U+10FFFF */
	    "\x80",			/* lone continuation */
	    NULL };
	struct http_request	*req = *state;
	const char		*v;
	size_t			 i;

	for (i = 0; bad[i] != NULL; i++) {
		http_kv_free(&req->query);
		query(req, "name", bad[i]);
		if (http_param_str(req, "name", 100, &v) != HTTP_PARAM_BAD)
			fail_msg("invalid UTF-8 case %zu was accepted", i);
		assert_null(v);
		assert_rejected(req, "name", "UTF-8");
	}
}

static void
test_param_str_accepts_valid_utf8(void **state)
{
	struct http_request	*req = *state;
	const char		*v;

	query(req, "name", "Òran Mór – café 🙂 ٢");
	assert_int_equal(http_param_str(req, "name", 100, &v), HTTP_PARAM_OK);
	assert_string_equal(v, "Òran Mór – café 🙂 ٢");
}

static void
test_param_error_truncates_safely(void **state)
{
	struct http_request	*req = *state;
	char			 longname[200];

	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	http_param_error(req, longname, "%s is bad", longname);
	assert_true(strlen(req->err_detail) < sizeof(req->err_detail));
	assert_true(strlen(req->err_param) < sizeof(req->err_param));
}

/* http_parse_urlencoded */

static void
assert_kv(const struct http_kvlist *l, size_t i, const char *k,
    const char *v)
{
	assert_true(i < l->n);
	assert_string_equal(l->v[i].key, k);
	assert_string_equal(l->v[i].value, v);
}

static int
parse(struct http_kvlist *l, const char *s)
{
	return (http_parse_urlencoded(l, s, strlen(s)));
}

static void
test_urlencoded_pairs_plus_and_percent(void **state)
{
	struct http_request	*req = *state;

	assert_int_equal(parse(&req->form,
	    "q=debt+advice&postcode=G12%208QQ&plus=1%2B1&amp=a%26b%3Dc&"
	    "u=caf%C3%A9&lower=%2f&%6Bey=v"), 0);
	assert_int_equal(req->form.n, 7);
	assert_kv(&req->form, 0, "q", "debt advice");
	assert_kv(&req->form, 1, "postcode", "G12 8QQ");
	assert_kv(&req->form, 2, "plus", "1+1");
	assert_kv(&req->form, 3, "amp", "a&b=c");
	assert_kv(&req->form, 4, "u", "café");
	assert_kv(&req->form, 5, "lower", "/");
	assert_kv(&req->form, 6, "key", "v");
}

static void
test_urlencoded_empty_pairs_and_missing_values(void **state)
{
	struct http_request	*req = *state;

	assert_int_equal(parse(&req->form, "&&flag&a=&=orphan&b==x&&"), 0);
	assert_int_equal(req->form.n, 3);
	assert_kv(&req->form, 0, "flag", "");
	assert_kv(&req->form, 1, "a", "");
	assert_kv(&req->form, 2, "b", "=x");
	assert_int_equal(parse(&req->query, ""), 0);
	assert_int_equal(req->query.n, 0);
}

static void
test_urlencoded_repeated_keys_keep_order(void **state)
{
	struct http_request	*req = *state;
	const char		*v[4];

	assert_int_equal(parse(&req->form, "ids=b&x=1&ids=a&ids=c"), 0);
	req->method = HTTP_POST;
	assert_int_equal(http_param_all(req, "ids", v, 4), 3);
	assert_string_equal(v[0], "b");
	assert_string_equal(v[1], "a");
	assert_string_equal(v[2], "c");
}

static void
test_urlencoded_rejects_bad_percent_escapes(void **state)
{
	static const char *const bad[] = { "a=%", "a=%4", "a=%zz", "a=%g0",
	    "a=1&b=%", "%=1", "a=%%41", NULL };
	struct http_kvlist	 l;
	size_t			 i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		memset(&l, 0, sizeof(l));
		if (parse(&l, bad[i]) != -1)
			fail_msg("\"%s\" was accepted", bad[i]);
		http_kv_free(&l);
	}
}

static void
test_urlencoded_rejects_nul_bytes(void **state)
{
	struct http_kvlist	 l;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(parse(&l, "a=%00"), -1);
	http_kv_free(&l);
	memset(&l, 0, sizeof(l));
	assert_int_equal(parse(&l, "name=ab%00cd"), -1);
	http_kv_free(&l);
	/* A raw NUL inside the length is malformed too. */
	memset(&l, 0, sizeof(l));
	assert_int_equal(http_parse_urlencoded(&l, "a=1\0b=2", 7), -1);
	http_kv_free(&l);
}

static void
test_urlencoded_uses_only_len_bytes(void **state)
{
	struct http_kvlist	 l;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(http_parse_urlencoded(&l, "a=1&b=2", 3), 0);
	assert_int_equal(l.n, 1);
	assert_kv(&l, 0, "a", "1");
	http_kv_free(&l);
}

/* http_url_decode */

static void
test_url_decode(void **state)
{
	char	a[] = "G12+8QQ%20x", b[] = "G12+8QQ%20x", c[] = "%41%62%2F",
		d[] = "100%", e[] = "%0", f[] = "%00", g[] = "%C3%A9", h[] = "";

	(void)state;
	assert_int_equal(http_url_decode(a, 1), 0);
	assert_string_equal(a, "G12 8QQ x");
	/* In a path, '+' is a plus. */
	assert_int_equal(http_url_decode(b, 0), 0);
	assert_string_equal(b, "G12+8QQ x");
	assert_int_equal(http_url_decode(c, 0), 0);
	assert_string_equal(c, "Ab/");
	assert_int_equal(http_url_decode(d, 0), -1);
	assert_int_equal(http_url_decode(e, 0), -1);
	assert_int_equal(http_url_decode(f, 0), -1);
	assert_int_equal(http_url_decode(g, 0), 0);
	assert_string_equal(g, "é");
	assert_int_equal(http_url_decode(h, 1), 0);
	assert_string_equal(h, "");
}

/* http_parse_cookies */

static void
test_cookies_parse_trim_and_skip_malformed(void **state)
{
	struct http_request	*req = *state;

	assert_int_equal(http_parse_cookies(&req->cookies,
	    "  sid=abc123 ;theme = dark;novalue; =orphan;tok=a=b==;empty=;"
	    "sid=second"), 0);
	assert_string_equal(http_cookie(req, "sid"), "abc123");
	assert_string_equal(http_cookie(req, "theme"), "dark");
	assert_string_equal(http_cookie(req, "tok"), "a=b==");
	assert_string_equal(http_cookie(req, "empty"), "");
	assert_null(http_cookie(req, "novalue"));
	assert_null(http_cookie(req, ""));
	assert_null(http_cookie(req, "SID"));
	assert_int_equal(req->cookies.n, 5);
	assert_int_equal(http_parse_cookies(&req->cookies, ""), 0);
	assert_int_equal(http_parse_cookies(&req->cookies, ";;;"), 0);
	assert_int_equal(req->cookies.n, 5);
}

/* Accept-Encoding and http_finish */

static int
takes_gzip(const char *ae)
{
	struct http_request	req;
	int			r;

	http_request_init(&req);
	if (ae != NULL)
		assert_int_equal(http_kv_add(&req.headers, "accept-encoding",
		    ae), 0);
	r = http_accepts_gzip(&req);
	http_request_free(&req);
	return (r);
}

static void
test_accept_encoding_gzip_with_q_values(void **state)
{
	static const struct { const char *ae; int want; } cases[] = {
		{ NULL, 0 }, { "", 0 }, { "identity", 0 }, { "br", 0 },
		{ "gzip", 1 }, { "GZIP", 1 }, { "gzip, deflate, br", 1 },
		{ "br;q=1.0, gzip;q=0.8", 1 }, { "x-gzip", 1 },
		{ "gzip;q=0", 0 }, { "gzip ; q=0.000", 0 }, { "gzip;q=0.001", 1 },
		{ "*", 1 }, { "*;q=0", 0 }, { "gzip;q=0, *", 0 },
		{ "gzipper", 0 }, { "agzip", 0 }, { "deflate,gzip", 1 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (takes_gzip(cases[i].ae) != cases[i].want)
			fail_msg("Accept-Encoding: %s gave %d, want %d",
			    cases[i].ae != NULL ? cases[i].ae : "(none)",
			    !cases[i].want, cases[i].want);
}

static size_t
inflate_all(const void *gz, size_t len, char *out, size_t cap)
{
	z_stream	z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)gz;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	inflateEnd(&z);
	return (z.total_out);
}

static void
test_finish_gzips_text_and_weakens_the_tag(void **state)
{
	struct http_request	*req = *state;
	char			 text[3000], back[4000];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(text); i++)
		text[i] = "<p>Lunch club</p>\n"[i % 18];
	assert_int_equal(http_kv_add(&req->headers, "accept-encoding",
	    "gzip"), 0);
	http_respond_data(req, 200, "text/html; charset=utf-8", text,
	    sizeof(text));
	http_header_set(req, "ETag", "\"t1\"");
	http_finish(req);
	assert_string_equal(http_kv_get_case(&req->resp_headers,
	    "content-encoding"), "gzip");
	assert_string_equal(http_kv_get_case(&req->resp_headers, "vary"),
	    "Accept-Encoding");
	assert_string_equal(http_kv_get_case(&req->resp_headers, "etag"),
	    "W/\"t1\"");
	assert_int_equal(inflate_all(req->resp.data, req->resp.len, back,
	    sizeof(back)), sizeof(text));
	assert_memory_equal(back, text, sizeof(text));
	/* Once only: a second call does not compress the gzip again. */
	i = req->resp.len;
	http_finish(req);
	assert_int_equal(req->resp.len, i);
}

static void
test_finish_leaves_images_small_bodies_and_refusers(void **state)
{
	struct http_request	 req;
	static const char	 png[4096];
	char			 text[100];

	(void)state;
	memset(text, 'a', sizeof(text));
	/* An image: no coding, no Vary. */
	http_request_init(&req);
	assert_int_equal(http_kv_add(&req.headers, "accept-encoding", "gzip"),
	    0);
	req.static_body = png;
	req.static_len = sizeof(png);
	http_respond(&req, 200, "image/png");
	http_finish(&req);
	assert_null(http_kv_get_case(&req.resp_headers, "content-encoding"));
	assert_null(http_kv_get_case(&req.resp_headers, "vary"));
	http_request_free(&req);
	/* Too small to gain: Vary, but no coding. */
	http_request_init(&req);
	assert_int_equal(http_kv_add(&req.headers, "accept-encoding", "gzip"),
	    0);
	http_respond_data(&req, 200, "application/json", text, sizeof(text));
	http_finish(&req);
	assert_null(http_kv_get_case(&req.resp_headers, "content-encoding"));
	assert_non_null(http_kv_get_case(&req.resp_headers, "vary"));
	assert_int_equal(req.resp.len, sizeof(text));
	http_request_free(&req);
}

/* A stream of many small reads comes out as one gzip of them all. */
struct count_src {
	int	left;
	int	freed;
};

static ssize_t
count_read(void *arg, char *dst, size_t max)
{
	struct count_src	*c = arg;
	int			 n;

	if (c->left == 0)
		return (0);
	n = snprintf(dst, max, "{\"n\":%d}\n", c->left--);
	return (n < 0 || (size_t)n >= max ? -1 : n);
}

static void
count_free(void *arg)
{
	((struct count_src *)arg)->freed = 1;
}

static void
test_finish_gzips_a_stream(void **state)
{
	struct http_request	 req;
	struct count_src	 src = { 5000, 0 };
	struct buf		 out, plain;
	char			 block[512], *back;
	ssize_t			 n;
	size_t			 got;
	int			 i;

	(void)state;
	buf_init(&plain);
	for (i = 5000; i > 0; i--)
		buf_printf(&plain, "{\"n\":%d}\n", i);
	http_request_init(&req);
	assert_int_equal(http_kv_add(&req.headers, "accept-encoding", "gzip"),
	    0);
	http_stream(&req, 200, "application/x-ndjson", count_read, &src,
	    count_free);
	http_finish(&req);
	assert_string_equal(http_kv_get_case(&req.resp_headers,
	    "content-encoding"), "gzip");
	buf_init(&out);
	/* Small reads, as libmicrohttpd may ask for. */
	while ((n = req.stream(req.stream_arg, block, sizeof(block))) > 0)
		buf_append(&out, block, (size_t)n);
	assert_int_equal(n, 0);
	assert_non_null(back = malloc(plain.len + 1));
	got = inflate_all(out.data, out.len, back, plain.len + 1);
	assert_int_equal(got, plain.len);
	assert_memory_equal(back, plain.data, plain.len);
	free(back);
	buf_free(&out);
	buf_free(&plain);
	/* Freeing the request frees the inner stream too. */
	http_request_free(&req);
	assert_int_equal(src.freed, 1);
}

static void
test_gzip_static_is_made_once(void **state)
{
	static const char	 body[] = "body { margin: 0 } body { margin: 0 } "
	    "body { margin: 0 } body { margin: 0 } body { margin: 0 } ";
	const void		*a, *b;
	size_t			 alen, blen;

	(void)state;
	assert_int_equal(gzip_static(body, sizeof(body), &a, &alen), 0);
	assert_int_equal(gzip_static(body, sizeof(body), &b, &blen), 0);
	assert_ptr_equal(a, b);
	assert_int_equal(alen, blen);
}

/* http_etag */

static void
inm(struct http_request *req, const char *v)
{
	assert_int_equal(http_kv_add(&req->headers, "if-none-match", v), 0);
}

static void
assert_etag_result(const char *header, int want)
{
	struct http_request	req;
	int			got;

	http_request_init(&req);
	buf_puts(&req.resp, "body");
	if (header != NULL)
		inm(&req, header);
	got = http_etag(&req, "\"abc\"");
	if (got != want)
		fail_msg("If-None-Match: %s gave %d, want %d",
		    header != NULL ? header : "(none)", got, want);
	assert_string_equal(http_kv_get_case(&req.resp_headers, "etag"),
	    "\"abc\"");
	assert_int_equal(req.status, want ? 304 : 200);
	assert_int_equal(req.resp.len, want ? 0 : 4);
	http_request_free(&req);
}

static void
test_etag_exact_match_is_304(void **state)
{
	(void)state;
	assert_etag_result("\"abc\"", 1);
	assert_etag_result("  \"abc\"  ", 1);
}

static void
test_etag_list_weak_and_star(void **state)
{
	(void)state;
	assert_etag_result("\"x\", \"abc\"", 1);
	assert_etag_result("\"x\",\"y\",\"abc\"", 1);
	assert_etag_result("\"abc\" , \"x\"", 1);
	assert_etag_result("W/\"abc\"", 1);
	assert_etag_result("\"x\", W/\"abc\"", 1);
	assert_etag_result("*", 1);
}

static void
test_etag_mismatch_is_not_304(void **state)
{
	(void)state;
	assert_etag_result(NULL, 0);
	assert_etag_result("", 0);
	assert_etag_result("\"abcd\"", 0);
	assert_etag_result("\"ab\"", 0);
	assert_etag_result("abc", 0);
	assert_etag_result("\"ABC\"", 0);
	assert_etag_result("\"x\", \"y\"", 0);
	assert_etag_result(",,, ,", 0);
	assert_etag_result("W/", 0);
}

/* Responses */

static void
test_header_set_replaces_case_insensitively(void **state)
{
	struct http_request	*req = *state;

	http_header_set(req, "Cache-Control", "no-cache");
	http_header_set(req, "cache-control", "no-store");
	assert_int_equal(req->resp_headers.n, 1);
	assert_string_equal(http_kv_get_case(&req->resp_headers,
	    "CACHE-CONTROL"), "no-store");
}

static void
test_header_lookup_is_case_insensitive(void **state)
{
	struct http_request	*req = *state;

	assert_int_equal(http_kv_add(&req->headers, "Content-Type",
	    "text/html"), 0);
	assert_string_equal(http_header(req, "content-type"), "text/html");
	assert_null(http_header(req, "Content-Length"));
}

static void
test_problem_is_rfc9457_json_naming_the_parameter(void **state)
{
	struct http_request	*req = *state;
	cJSON			*j;

	assert_non_null(req->path = strdup("/api/postcodes/XX"));
	buf_puts(&req->resp, "old body");
	http_problem(req, 400, "Bad Request", "radius must be a whole number",
	    "radius");
	assert_int_equal(req->status, 400);
	assert_string_equal(http_kv_get_case(&req->resp_headers,
	    "content-type"), "application/problem+json");
	assert_non_null(j = cJSON_Parse(buf_cstr(&req->resp)));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "title")), "Bad Request");
	assert_int_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(j,
	    "status")), 400);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "detail")), "radius must be a whole number");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "parameter")), "radius");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "instance")), "/api/postcodes/XX");
	assert_non_null(cJSON_GetObjectItem(j, "type"));
	cJSON_Delete(j);
}

static void
test_problem_without_title_uses_status_text(void **state)
{
	struct http_request	*req = *state;
	cJSON			*j;

	http_problem(req, 503, NULL, NULL, NULL);
	assert_non_null(j = cJSON_Parse(buf_cstr(&req->resp)));
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(j,
	    "title")), "Service Unavailable");
	assert_null(cJSON_GetObjectItem(j, "parameter"));
	assert_null(cJSON_GetObjectItem(j, "detail"));
	cJSON_Delete(j);
}

static void
test_respond_json_and_redirect(void **state)
{
	struct http_request	*req = *state;
	cJSON			*o;

	assert_non_null(o = cJSON_CreateObject());
	cJSON_AddStringToObject(o, "status", "ok");
	http_respond_json(req, 200, o);
	cJSON_Delete(o);
	assert_string_equal(buf_cstr(&req->resp), "{\"status\":\"ok\"}");
	assert_string_equal(http_kv_get_case(&req->resp_headers,
	    "Content-Type"), "application/json");
	http_redirect(req, 303, "/shortlist?ids=a");
	assert_int_equal(req->status, 303);
	assert_string_equal(http_kv_get_case(&req->resp_headers, "Location"),
	    "/shortlist?ids=a");
	assert_int_equal(req->resp.len, 0);
}

static void
test_status_text(void **state)
{
	(void)state;
	assert_string_equal(http_status_text(404), "Not Found");
	assert_string_equal(http_status_text(413), "Content Too Large");
	assert_string_equal(http_status_text(431),
	    "Request Header Fields Too Large");
	assert_string_equal(http_status_text(299), "Unknown");
}

static void
test_request_free_releases_everything(void **state)
{
	struct http_request	 req;
	int			 i;

	(void)state;
	http_request_init(&req);
	assert_int_equal(req.status, 200);
	for (i = 0; i < 100; i++) {
		query(&req, "k", "v");
		form(&req, "k", "v");
	}
	assert_non_null(req.path = strdup("/x"));
	http_header_set(&req, "X", "y");
	buf_puts(&req.resp, "body");
	http_request_free(&req);
	/* LeakSanitizer (make unit-asan) checks the rest. */
	assert_null(req.query.v);
	assert_null(req.resp.data);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_param_post_reads_the_body_get_the_query),
		T(test_param_skips_empty_values),
		T(test_param_all_keeps_order_and_limit),
		T(test_param_int_absent_and_empty),
		T(test_param_int_ok),
		T(test_param_int_rejects_words_junk_and_decimals),
		T(test_param_int_rejects_out_of_range_and_says_the_range),
		T(test_param_int_rejects_overflow),
		T(test_param_double_ok_absent_and_bad),
		T(test_param_double_rejects_junk_nan_inf_and_overflow),
		T(test_param_bool_accepts_the_usual_spellings),
		T(test_param_bool_absent_and_bad),
		T(test_param_uuid_ok),
		T(test_param_uuid_absent_and_bad),
		T(test_param_enum_ok_absent_and_bad_lists_the_choices),
		T(test_param_str_ok_and_absent),
		T(test_param_str_rejects_too_long),
		T(test_param_str_rejects_control_characters),
		T(test_param_str_rejects_invalid_utf8),
		T(test_param_str_accepts_valid_utf8),
		T(test_param_error_truncates_safely),
		T(test_urlencoded_pairs_plus_and_percent),
		T(test_urlencoded_empty_pairs_and_missing_values),
		T(test_urlencoded_repeated_keys_keep_order),
		T(test_urlencoded_rejects_bad_percent_escapes),
		T(test_urlencoded_rejects_nul_bytes),
		T(test_urlencoded_uses_only_len_bytes),
		T(test_url_decode),
		T(test_cookies_parse_trim_and_skip_malformed),
		T(test_accept_encoding_gzip_with_q_values),
		T(test_finish_gzips_text_and_weakens_the_tag),
		T(test_finish_leaves_images_small_bodies_and_refusers),
		T(test_finish_gzips_a_stream),
		T(test_gzip_static_is_made_once),
		T(test_etag_exact_match_is_304),
		T(test_etag_list_weak_and_star),
		T(test_etag_mismatch_is_not_304),
		T(test_header_set_replaces_case_insensitively),
		T(test_header_lookup_is_case_insensitive),
		T(test_problem_is_rfc9457_json_naming_the_parameter),
		T(test_problem_without_title_uses_status_text),
		T(test_respond_json_and_redirect),
		T(test_status_text),
		T(test_request_free_releases_everything),
	};

	return (RUN_UNIT_TESTS("http", tests));
}
