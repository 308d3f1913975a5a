/*
 * Unit tests for the shortlist helpers: the ids list in the URL, the
 * add/remove button, redirect safety of back=, and SMS text and sizing
 * (GSM-7 160/153, UCS-2 70/67).  Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "shortlist.h"
#include "unit.h"

#define A	"0b6a3c1e-5f1d-4c2a-9e7b-2d8f4a6c1b3e"
#define B	"11111111-2222-4333-8444-555555555555"
#define C	"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"

static char *
repeat(const char *unit, size_t n)
{
	size_t	 ul = strlen(unit), i;
	char	*s;

	s = malloc(ul * n + 1);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * ul, unit, ul);
	s[ul * n] = '\0';
	return (s);
}

static void
test_shortlist_parses_comma_separated_ids_in_order(void **state)
{
	struct shortlist	sl;

	(void)state;
	assert_int_equal(shortlist_parse(&sl, A "," B "," C), 0);
	assert_int_equal(sl.n, 3);
	assert_string_equal(sl.ids[0], A);
	assert_string_equal(sl.ids[1], B);
	assert_string_equal(sl.ids[2], C);
}

static void
test_shortlist_empty_or_null_is_an_empty_list(void **state)
{
	struct shortlist	sl;

	(void)state;
	assert_int_equal(shortlist_parse(&sl, NULL), 0);
	assert_int_equal(sl.n, 0);
	assert_int_equal(shortlist_parse(&sl, ""), 0);
	assert_int_equal(sl.n, 0);
	assert_int_equal(shortlist_parse(&sl, " , ,"), 0);
	assert_int_equal(sl.n, 0);
}

static void
test_shortlist_folds_case_trims_and_drops_duplicates(void **state)
{
	struct shortlist	sl;

	(void)state;
	assert_int_equal(shortlist_parse(&sl,
	    " AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE , " C ",," A), 0);
	assert_int_equal(sl.n, 2);
	assert_string_equal(sl.ids[0], C);
	assert_string_equal(sl.ids[1], A);
}

static void
test_shortlist_reports_bad_entries_and_keeps_good_ones(void **state)
{
	struct shortlist	sl;
	struct buf		msg;

	(void)state;
	assert_int_equal(shortlist_parse(&sl, A ",nope," B ",<script>"), -1);
	assert_int_equal(sl.n, 2);
	assert_int_equal(sl.nbad, 2);
	assert_string_equal(sl.bad[0], "nope");
	assert_string_equal(sl.bad[1], "<script>");
	buf_init(&msg);
	shortlist_problem(&sl, &msg);
	assert_non_null(strstr(buf_cstr(&msg), "2 entries are not valid"));
	assert_non_null(strstr(buf_cstr(&msg), "\"nope\""));
	buf_free(&msg);
}

static void
test_shortlist_rejects_almost_uuids(void **state)
{
	struct shortlist	sl;

	(void)state;
	/* Right length, wrong shape; and one character short. */
	assert_int_equal(shortlist_parse(&sl,
	    "0b6a3c1e05f1d-4c2a-9e7b-2d8f4a6c1b3e,"
	    "0b6a3c1e-5f1d-4c2a-9e7b-2d8f4a6c1b3g,"
	    "0b6a3c1e-5f1d-4c2a-9e7b-2d8f4a6c1b3"), -1);
	assert_int_equal(sl.n, 0);
	assert_int_equal(sl.nbad, 3);
}

static void
test_shortlist_cuts_long_bad_entries_for_display(void **state)
{
	struct shortlist	 sl;
	char			*junk;

	(void)state;
	junk = repeat("x", 500);
	assert_int_equal(shortlist_parse(&sl, junk), -1);
	assert_int_equal(sl.nbad, 1);
	assert_true(strlen(sl.bad[0]) < sizeof(sl.bad[0]));
	assert_non_null(strstr(sl.bad[0], "..."));
	free(junk);
}

static void
test_shortlist_holds_at_most_twenty_and_says_so(void **state)
{
	struct shortlist	sl;
	struct buf		in, msg;
	int			i;

	(void)state;
	buf_init(&in);
	for (i = 0; i < 23; i++)
		buf_printf(&in, "%s00000000-0000-4000-8000-%012d", i ? "," : "",
		    i);
	assert_int_equal(shortlist_parse(&sl, buf_cstr(&in)), -1);
	assert_int_equal(sl.n, SHORTLIST_MAX);
	assert_int_equal(sl.dropped, 3);
	assert_int_equal(sl.nbad, 0);
	assert_string_equal(sl.ids[19], "00000000-0000-4000-8000-000000000019");
	buf_init(&msg);
	shortlist_problem(&sl, &msg);
	assert_non_null(strstr(buf_cstr(&msg), "at most 20"));
	assert_non_null(strstr(buf_cstr(&msg), "3 more were left off"));
	/* Full: another add fails, a present one is fine. */
	assert_int_equal(shortlist_add(&sl, A), -1);
	assert_int_equal(shortlist_add(&sl,
	    "00000000-0000-4000-8000-000000000000"), 0);
	assert_int_equal(sl.n, SHORTLIST_MAX);
	buf_free(&in);
	buf_free(&msg);
}

static void
test_shortlist_add_remove_and_encode(void **state)
{
	struct shortlist	sl;
	struct buf		b;

	(void)state;
	shortlist_init(&sl);
	assert_int_equal(shortlist_add(&sl, A), 0);
	assert_int_equal(shortlist_add(&sl,
	    "11111111-2222-4333-8444-555555555555"), 0);
	assert_int_equal(shortlist_add(&sl, C), 0);
	assert_int_equal(shortlist_add(&sl, "not-a-uuid"), -1);
	assert_int_equal(shortlist_remove(&sl, B), 0);
	assert_int_equal(shortlist_remove(&sl, B), -1);
	buf_init(&b);
	shortlist_encode(&sl, &b);
	assert_string_equal(buf_cstr(&b), A "," C);
	buf_reset(&b);
	shortlist_sql_array(&sl, &b);
	assert_string_equal(buf_cstr(&b), "{" A "," C "}");
	buf_reset(&b);
	assert_int_equal(shortlist_remove(&sl, A), 0);
	assert_int_equal(shortlist_remove(&sl, C), 0);
	shortlist_encode(&sl, &b);
	assert_string_equal(buf_cstr(&b), "");
	buf_free(&b);
}

static void
test_shortlist_local_path_accepts_site_paths(void **state)
{
	(void)state;
	assert_true(shortlist_local_path("/"));
	assert_true(shortlist_local_path("/search?q=food&postcode=G12%208QQ"));
	assert_true(shortlist_local_path("/services/" A));
}

static void
test_shortlist_local_path_rejects_other_sites(void **state)
{
	char	*longpath;

	(void)state;
	assert_false(shortlist_local_path(NULL));
	assert_false(shortlist_local_path(""));
	assert_false(shortlist_local_path("https://evil.example/"));
	assert_false(shortlist_local_path("//evil.example/"));
	assert_false(shortlist_local_path("/\\evil.example/"));
	assert_false(shortlist_local_path("/a\\b"));
	assert_false(shortlist_local_path("evil.example"));
	assert_false(shortlist_local_path("javascript:alert(1)"));
	assert_false(shortlist_local_path("/ok\r\nSet-Cookie: x=1"));
	assert_false(shortlist_local_path("/with space"));
	assert_false(shortlist_local_path("/caf\xc3\xa9"));
	longpath = repeat("/a", SHORTLIST_PATH_MAX);
	assert_false(shortlist_local_path(longpath));
	free(longpath);
}

static void
test_shortlist_back_url_replaces_ids_and_keeps_the_rest(void **state)
{
	struct shortlist	sl;
	struct buf		b;

	(void)state;
	shortlist_parse(&sl, A "," B);
	buf_init(&b);
	assert_int_equal(shortlist_back_url(&b,
	    "/search?q=food%20bank&ids=" C "&page=2#top", &sl, B), 0);
	assert_string_equal(buf_cstr(&b),
	    "/search?q=food%20bank&page=2&ids=" A "," B "#sl-" B);
	buf_reset(&b);
	assert_int_equal(shortlist_back_url(&b, "/shortlist", &sl, NULL), 0);
	assert_string_equal(buf_cstr(&b), "/shortlist?ids=" A "," B);
	buf_reset(&b);
	shortlist_init(&sl);
	assert_int_equal(shortlist_back_url(&b, "/shortlist?ids=" A, &sl,
	    NULL), 0);
	assert_string_equal(buf_cstr(&b), "/shortlist");
	buf_free(&b);
}

static void
add_query(struct http_request *req, const char *k, const char *v)
{
	assert_int_equal(http_kv_add(&req->query, k, v), 0);
}

static void
test_shortlist_button_adds_with_name_in_accessible_label(void **state)
{
	struct http_request	req;
	struct buf		b;
	const char		*s;

	(void)state;
	http_request_init(&req);
	req.method = HTTP_GET;
	req.path = strdup("/search");
	add_query(&req, "q", "food & drink");
	add_query(&req, "ids", B);
	buf_init(&b);
	shortlist_button(&b, &req, A, "Tea & <Toast>");
	s = buf_cstr(&b);
	assert_non_null(strstr(s, "action=\"/shortlist/toggle\""));
	assert_non_null(strstr(s, "method=\"get\""));
	assert_non_null(strstr(s, "name=\"id\" value=\"" A "\""));
	assert_non_null(strstr(s, "name=\"ids\" value=\"" B "\""));
	assert_non_null(strstr(s,
	    "name=\"back\" value=\"/search?q=food%20%26%20drink\""));
	assert_non_null(strstr(s, ">Add to shortlist<"));
	assert_non_null(strstr(s, ": Tea &amp; &lt;Toast&gt;</span>"));
	assert_null(strstr(s, "<Toast>"));
	assert_non_null(strstr(s, "id=\"sl-" A "\""));
	buf_free(&b);
	http_request_free(&req);
}

static void
test_shortlist_button_removes_when_listed(void **state)
{
	struct http_request	req;
	struct buf		b;

	(void)state;
	http_request_init(&req);
	req.method = HTTP_GET;
	req.path = strdup("/services/" A);
	add_query(&req, "ids", B "," A);
	buf_init(&b);
	shortlist_button(&b, &req, A, "Tea");
	assert_non_null(strstr(buf_cstr(&b), ">Remove from shortlist<"));
	assert_non_null(strstr(buf_cstr(&b),
	    "name=\"back\" value=\"/services/" A "\""));
	buf_free(&b);
	http_request_free(&req);
}

static void
test_shortlist_link_query_and_hidden_input_carry_valid_ids(void **state)
{
	struct http_request	req;
	struct buf		b;

	(void)state;
	http_request_init(&req);
	req.method = HTTP_GET;
	req.path = strdup("/");
	buf_init(&b);
	shortlist_link_query(&b, &req, '?');
	shortlist_hidden_input(&b, &req);
	assert_string_equal(buf_cstr(&b), "");
	add_query(&req, "ids", B ",junk");
	shortlist_link_query(&b, &req, '&');
	assert_string_equal(buf_cstr(&b), "&ids=" B);
	buf_reset(&b);
	shortlist_hidden_input(&b, &req);
	assert_string_equal(buf_cstr(&b),
	    "<input type=\"hidden\" name=\"ids\" value=\"" B "\">");
	buf_free(&b);
	http_request_free(&req);
}

static void
test_shortlist_sms_size_gsm_boundaries(void **state)
{
	struct sms_size	 sz;
	char		*s;

	(void)state;
	shortlist_sms_size("", &sz);
	assert_int_equal(sz.parts, 0);
	assert_int_equal(sz.chars, 0);
	s = repeat("a", 160);
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.chars, 160);
	assert_int_equal(sz.parts, 1);
	assert_false(sz.unicode);
	free(s);
	s = repeat("a", 161);
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.parts, 2);
	free(s);
	s = repeat("a", 306);
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.parts, 2);
	free(s);
	s = repeat("a", 307);
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.parts, 3);
	free(s);
}

static void
test_shortlist_sms_size_counts_extension_characters_twice(void **state)
{
	struct sms_size	 sz;
	char		*s;

	(void)state;
	shortlist_sms_size("[a]\xe2\x82\xac", &sz);	/* [a]€ */
	assert_int_equal(sz.chars, 7);
	assert_false(sz.unicode);
	/* 159 + one two-septet character does not fit in one part. */
	s = repeat("a", 159);
	s = realloc(s, 161);
	strcat(s, "{");
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.chars, 161);
	assert_int_equal(sz.parts, 2);
	free(s);
	/* 152 + an escape pair + 5 = 159 septets still fit in one. */
	s = repeat("a", 152);
	s = realloc(s, 160);
	strcat(s, "~bbbbb");
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.chars, 159);
	assert_int_equal(sz.parts, 1);
	free(s);
	s = repeat("a", 152);
	s = realloc(s, 155 + 153);
	strcat(s, "~");
	memset(s + 153, 'c', 152);
	s[305] = '\0';
	/* 152 a, then "~" (2) needs part 2: 2 + 152 c = 154 > 153. */
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.parts, 3);
	free(s);
}

static void
test_shortlist_sms_size_gsm_accented_letters_stay_gsm(void **state)
{
	struct sms_size	sz;

	(void)state;
	/* £ é ü Ä ß are in the GSM alphabet. */
	shortlist_sms_size("\xc2\xa3" "5 caf\xc3\xa9 M\xc3\xbcller "
	    "\xc3\x84 \xc3\x9f", &sz);
	assert_false(sz.unicode);
	assert_int_equal(sz.chars, 18);
}

static void
test_shortlist_sms_size_unicode_boundaries(void **state)
{
	struct sms_size	 sz;
	char		*s;

	(void)state;
	/* "ą" (Polish) is not GSM: UCS-2, 70 per part. */
	s = repeat("\xc4\x85", 70);
	shortlist_sms_size(s, &sz);
	assert_true(sz.unicode);
	assert_int_equal(sz.chars, 70);
	assert_int_equal(sz.parts, 1);
	free(s);
	s = repeat("\xc4\x85", 71);
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.parts, 2);
	free(s);
	s = repeat("\xc4\x85", 134);
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.parts, 2);
	free(s);
	s = repeat("\xc4\x85", 135);
	shortlist_sms_size(s, &sz);
	assert_int_equal(sz.parts, 3);
	free(s);
	/* An emoji is a surrogate pair: two units. */
	shortlist_sms_size("ok \xf0\x9f\x98\x80", &sz);
	assert_true(sz.unicode);
	assert_int_equal(sz.chars, 5);
	/* The backquote is ASCII but not GSM. */
	shortlist_sms_size("a`b", &sz);
	assert_true(sz.unicode);
}

static void
test_shortlist_sms_clean_makes_typography_gsm(void **state)
{
	struct buf	b;
	struct sms_size	sz;

	(void)state;
	buf_init(&b);
	shortlist_sms_clean(&b, "  Tue 10:00\xe2\x80\x93" "11:30,\n"
	    "\xe2\x80\x9c" "Drop\xc2\xa0in\xe2\x80\x9d "
	    "\xe2\x80\x98ok\xe2\x80\x99"
	    "\xe2\x80\xa6" "  ");
	assert_string_equal(buf_cstr(&b),
	    "Tue 10:00-11:30, \"Drop in\" 'ok'...");
	shortlist_sms_size(buf_cstr(&b), &sz);
	assert_false(sz.unicode);
	buf_free(&b);
}

static void
test_shortlist_sms_text_has_name_when_where_phone(void **state)
{
	struct shortlist_sms_item	it[2] = {
		{ "Food Bank", "Tue 25 Nov, 10:00\xe2\x80\x93" "12:00",
		  "1 High St, G1 1AA", "0141 123 4567" },
		{ "Walk\nGroup", NULL, "", "0141 765 4321" },
	};
	struct buf			b;

	(void)state;
	buf_init(&b);
	shortlist_sms_text(&b, it, 2);
	assert_string_equal(buf_cstr(&b),
	    "Food Bank\nWhen: Tue 25 Nov, 10:00-12:00\n"
	    "Where: 1 High St, G1 1AA\nTel: 0141 123 4567\n\n"
	    "Walk Group\nTel: 0141 765 4321");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_shortlist_parses_comma_separated_ids_in_order),
		cmocka_unit_test(test_shortlist_empty_or_null_is_an_empty_list),
		cmocka_unit_test(
		    test_shortlist_folds_case_trims_and_drops_duplicates),
		cmocka_unit_test(
		    test_shortlist_reports_bad_entries_and_keeps_good_ones),
		cmocka_unit_test(test_shortlist_rejects_almost_uuids),
		cmocka_unit_test(
		    test_shortlist_cuts_long_bad_entries_for_display),
		cmocka_unit_test(
		    test_shortlist_holds_at_most_twenty_and_says_so),
		cmocka_unit_test(test_shortlist_add_remove_and_encode),
		cmocka_unit_test(test_shortlist_local_path_accepts_site_paths),
		cmocka_unit_test(test_shortlist_local_path_rejects_other_sites),
		cmocka_unit_test(
		    test_shortlist_back_url_replaces_ids_and_keeps_the_rest),
		cmocka_unit_test(
		    test_shortlist_button_adds_with_name_in_accessible_label),
		cmocka_unit_test(test_shortlist_button_removes_when_listed),
		cmocka_unit_test(
		    test_shortlist_link_query_and_hidden_input_carry_valid_ids),
		cmocka_unit_test(test_shortlist_sms_size_gsm_boundaries),
		cmocka_unit_test(
		    test_shortlist_sms_size_counts_extension_characters_twice),
		cmocka_unit_test(
		    test_shortlist_sms_size_gsm_accented_letters_stay_gsm),
		cmocka_unit_test(test_shortlist_sms_size_unicode_boundaries),
		cmocka_unit_test(test_shortlist_sms_clean_makes_typography_gsm),
		cmocka_unit_test(
		    test_shortlist_sms_text_has_name_when_where_phone),
	};

	return (RUN_UNIT_TESTS("shortlist", tests));
}
