/*
 * search: the pure helpers behind the search form -- radius, day and
 * time-of-day values, the country of an area code, distance wording,
 * category descendants and the array literals handed to PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "search.h"
#include "unit.h"

static void
test_radius_accepts_only_the_offered_distances(void **state)
{
	(void)state;
	assert_int_equal(search_parse_radius("0.5"), 500);
	assert_int_equal(search_parse_radius("1"), 1000);
	assert_int_equal(search_parse_radius("2"), 2000);
	assert_int_equal(search_parse_radius("5"), 5000);
	assert_int_equal(search_parse_radius("10"), 10000);
	assert_int_equal(search_parse_radius("25"), 25000);
	assert_int_equal(search_parse_radius("0"), -1);
	assert_int_equal(search_parse_radius("3"), -1);
	assert_int_equal(search_parse_radius("5.0"), -1);
	assert_int_equal(search_parse_radius("05"), -1);
	assert_int_equal(search_parse_radius(" 5"), -1);
	assert_int_equal(search_parse_radius("-5"), -1);
	assert_int_equal(search_parse_radius("1e1"), -1);
	assert_int_equal(search_parse_radius(""), -1);
	assert_int_equal(search_parse_radius(NULL), -1);
}

static void
test_day_maps_to_tm_wday(void **state)
{
	(void)state;
	assert_int_equal(search_parse_day("sun"), 0);
	assert_int_equal(search_parse_day("mon"), 1);
	assert_int_equal(search_parse_day("tue"), 2);
	assert_int_equal(search_parse_day("sat"), 6);
	assert_int_equal(search_parse_day("Tue"), -1);
	assert_int_equal(search_parse_day("tuesday"), -1);
	assert_int_equal(search_parse_day("7"), -1);
	assert_int_equal(search_parse_day(NULL), -1);
}

static void
test_time_of_day_windows_cover_the_day(void **state)
{
	const char	*from, *to;

	(void)state;
	assert_int_equal(search_parse_tod("morning"), SEARCH_TOD_MORNING);
	assert_int_equal(search_parse_tod("afternoon"), SEARCH_TOD_AFTERNOON);
	assert_int_equal(search_parse_tod("evening"), SEARCH_TOD_EVENING);
	assert_int_equal(search_parse_tod("night"), -1);
	assert_int_equal(search_parse_tod(NULL), -1);
	search_tod_window(SEARCH_TOD_MORNING, &from, &to);
	assert_string_equal(from, "00:00");
	assert_string_equal(to, "12:00");
	search_tod_window(SEARCH_TOD_AFTERNOON, &from, &to);
	assert_string_equal(from, "12:00");
	assert_string_equal(to, "17:00");
	search_tod_window(SEARCH_TOD_EVENING, &from, &to);
	assert_string_equal(from, "17:00");
	/* PostgreSQL's time type accepts 24:00, the end of the day. */
	assert_string_equal(to, "24:00");
	search_tod_window(SEARCH_TOD_ANY, &from, &to);
	assert_null(from);
	assert_null(to);
}

static void
test_country_from_gss_prefix(void **state)
{
	(void)state;
	assert_string_equal(search_country_of("S12000049"), "S92000003");
	assert_string_equal(search_country_of("S08000031"), "S92000003");
	assert_string_equal(search_country_of("E06000001"), "E92000001");
	assert_string_equal(search_country_of("W06000001"), "W92000004");
	assert_string_equal(search_country_of("N09000001"), "N92000002");
	assert_null(search_country_of("X1"));
	assert_null(search_country_of(""));
	assert_null(search_country_of(NULL));
}

static void
distance_is(double m, const char *want)
{
	struct buf	b;

	buf_init(&b);
	search_format_distance(m, &b);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void
test_distance_wording(void **state)
{
	(void)state;
	distance_is(0, "0 m");
	distance_is(-3, "0 m");
	distance_is(4, "0 m");
	distance_is(5, "10 m");
	distance_is(123, "120 m");
	distance_is(944.9, "940 m");
	distance_is(950, "1.0 km");
	distance_is(812.4, "810 m");
	distance_is(1250, "1.3 km");	/* half up, not printf's 1.2 */
	distance_is(1049.9, "1.0 km");
	distance_is(1260, "1.3 km");
	distance_is(9949, "9.9 km");
	distance_is(9950, "10 km");
	distance_is(24600, "25 km");
}

/* Food (0) > Foodbank (1); Money (2) > Debt (3) > Bankruptcy (4). */
static struct search_catalog *
tree(void)
{
	static struct search_term	t[5];
	static struct search_catalog	c;
	static const struct {
		const char	*id, *slug;
		int		 depth, parent;
	} rows[] = {
		{ "00000000-0000-0000-0000-000000000000", "food", 0, -1 },
		{ "11111111-1111-1111-1111-111111111111", "foodbank", 1, 0 },
		{ "22222222-2222-2222-2222-222222222222", "money", 0, -1 },
		{ "33333333-3333-3333-3333-333333333333", "debt", 1, 2 },
		{ "44444444-4444-4444-4444-444444444444", "bankruptcy", 2, 3 },
	};
	size_t	i;

	for (i = 0; i < 5; i++) {
		snprintf(t[i].id, sizeof(t[i].id), "%s", rows[i].id);
		snprintf(t[i].slug, sizeof(t[i].slug), "%s", rows[i].slug);
		snprintf(t[i].name, sizeof(t[i].name), "%s", rows[i].slug);
		t[i].depth = rows[i].depth;
		t[i].parent = rows[i].parent;
	}
	c.terms = t;
	c.nterms = 5;
	return (&c);
}

static void
ids_are(size_t i, const char *want)
{
	struct buf	b;

	buf_init(&b);
	search_term_ids(tree(), i, &b);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

static void
test_category_includes_its_descendants(void **state)
{
	(void)state;
	ids_are(2, "{22222222-2222-2222-2222-222222222222,"
	    "33333333-3333-3333-3333-333333333333,"
	    "44444444-4444-4444-4444-444444444444}");
	ids_are(3, "{33333333-3333-3333-3333-333333333333,"
	    "44444444-4444-4444-4444-444444444444}");
	ids_are(4, "{44444444-4444-4444-4444-444444444444}");
	ids_are(0, "{00000000-0000-0000-0000-000000000000,"
	    "11111111-1111-1111-1111-111111111111}");
	assert_ptr_equal(search_catalog_term(tree(), "debt"),
	    &tree()->terms[3]);
	assert_null(search_catalog_term(tree(), "Debt"));
	assert_null(search_catalog_term(tree(), NULL));
}

static void
test_text_array_escapes_quotes_and_backslashes(void **state)
{
	const char *const	 v[] = { "Hearing loop", "a\"b", "c\\d", "{x,y}",
	    "" };
	struct buf		 b;

	(void)state;
	buf_init(&b);
	search_text_array(v, 5, &b);
	assert_string_equal(buf_cstr(&b),
	    "{\"Hearing loop\",\"a\\\"b\",\"c\\\\d\",\"{x,y}\",\"\"}");
	buf_reset(&b);
	search_text_array(v, 0, &b);
	assert_string_equal(buf_cstr(&b), "{}");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_radius_accepts_only_the_offered_distances),
		cmocka_unit_test(test_day_maps_to_tm_wday),
		cmocka_unit_test(test_time_of_day_windows_cover_the_day),
		cmocka_unit_test(test_country_from_gss_prefix),
		cmocka_unit_test(test_distance_wording),
		cmocka_unit_test(test_category_includes_its_descendants),
		cmocka_unit_test(test_text_array_escapes_quotes_and_backslashes),
	};

	return (RUN_UNIT_TESTS("search", tests));
}
