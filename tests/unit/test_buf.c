/*
 * Unit tests for buf.c: growth, the three escapers every page and feed
 * relies on (HTML, URL, JSON string), and the strict number parsers that
 * all outside text goes through.  JSON output is checked by parsing it
 * back with cJSON, an independent parser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "unit.h"

/* Escape s with fn into a fresh buffer; the caller frees the result. */
static char *
escaped(int (*fn)(struct buf *, const char *), const char *s)
{
	struct buf	b;
	char		*r;

	buf_init(&b);
	assert_int_equal(fn(&b, s), 0);
	r = buf_release(&b);
	assert_non_null(r);
	return (r);
}

#define assert_escapes(fn, in, want) do {				\
	char	*got_ = escaped((fn), (in));				\
									\
	if (strcmp(got_, (want)) != 0) {				\
		fprintf(stderr, "%s(\"%s\") = \"%s\", want \"%s\"\n",	\
		    #fn, (in), got_, (want));				\
		free(got_);						\
		fail();							\
	}								\
	free(got_);							\
} while (0)

static void
test_buf_appends_and_grows_past_initial_capacity(void **state)
{
	struct buf	b;
	char		big[5000];
	size_t		i;

	(void)state;
	buf_init(&b);
	assert_string_equal(buf_cstr(&b), "");
	for (i = 0; i < 1000; i++)
		assert_int_equal(buf_puts(&b, "abcde"), 0);
	assert_int_equal(b.len, 5000);
	assert_int_equal(strlen(b.data), 5000);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_cstr(&b), "");
	/* Longer than the 128 bytes printf reserves at first. */
	assert_int_equal(buf_printf(&b, "[%s]%d", big, 42), 0);
	assert_int_equal(b.len, 4999 + 4);
	assert_int_equal(b.data[0], '[');
	assert_string_equal(b.data + 4999 + 1, "]42");
	assert_false(b.oom);
	buf_free(&b);
}

static void
test_buf_append_keeps_embedded_nul_bytes(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b);
	assert_int_equal(buf_append(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	buf_free(&b);
}

static void
test_buf_release_of_empty_buffer_is_empty_string(void **state)
{
	struct buf	b;
	char		*s;

	(void)state;
	buf_init(&b);
	s = buf_release(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
}

static void
test_buf_html_escapes_the_five_special_characters(void **state)
{
	(void)state;
	assert_escapes(buf_html, "&", "&amp;");
	assert_escapes(buf_html, "<", "&lt;");
	assert_escapes(buf_html, ">", "&gt;");
	assert_escapes(buf_html, "\"", "&quot;");
	assert_escapes(buf_html, "'", "&#39;");
	assert_escapes(buf_html, "<a href=\"x\" title='y'>Tom & Jerry</a>",
	    "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; "
	    "Jerry&lt;/a&gt;");
	/* Already-escaped text is escaped again, not trusted. */
	assert_escapes(buf_html, "&amp;", "&amp;amp;");
}

static void
test_buf_html_keeps_other_text_and_utf8(void **state)
{
	(void)state;
	assert_escapes(buf_html, "", "");
	assert_escapes(buf_html, "Café – Òran Mór, 10:00", "Café – Òran Mór, "
	    "10:00");
	assert_escapes(buf_html, "trailing text after <", "trailing text "
	    "after &lt;");
}

static void
test_buf_html_null_is_nothing(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b);
	assert_int_equal(buf_html(&b, NULL), 0);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_buf_url_keeps_only_unreserved_characters(void **state)
{
	(void)state;
	assert_escapes(buf_url, "AZaz09-._~", "AZaz09-._~");
	assert_escapes(buf_url, "G12 8QQ", "G12%208QQ");
	assert_escapes(buf_url, "a&b=c/d?e#f+g%h", "a%26b%3Dc%2Fd%3Fe%23f%2Bg%25h");
	assert_escapes(buf_url, "é", "%C3%A9");
	assert_escapes(buf_url, "\"<>'", "%22%3C%3E%27");
	assert_escapes(buf_url, "", "");
}

/* The escaped form must parse back to exactly the input. */
static void
assert_json_round_trips(const char *in)
{
	char	*s;
	cJSON	*j;

	s = escaped(buf_json_str, in);
	if ((j = cJSON_Parse(s)) == NULL || !cJSON_IsString(j) ||
	    strcmp(cJSON_GetStringValue(j), in) != 0) {
		fprintf(stderr, "buf_json_str(\"%s\") = %s does not parse "
		    "back\n", in, s);
		cJSON_Delete(j);
		free(s);
		fail();
	}
	cJSON_Delete(j);
	free(s);
}

static void
test_buf_json_str_escapes_quotes_and_backslashes(void **state)
{
	(void)state;
	assert_escapes(buf_json_str, "", "\"\"");
	assert_escapes(buf_json_str, "plain", "\"plain\"");
	assert_escapes(buf_json_str, "say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_escapes(buf_json_str, "C:\\dir", "\"C:\\\\dir\"");
	assert_json_round_trips("say \"hi\" \\ back\\slash");
}

static void
test_buf_json_str_escapes_every_control_character(void **state)
{
	char	in[2], *s;
	int	c;

	(void)state;
	assert_escapes(buf_json_str, "a\nb\rc\td", "\"a\\nb\\rc\\td\"");
	assert_escapes(buf_json_str, "\x01", "\"\\u0001\"");
	assert_escapes(buf_json_str, "\x1f", "\"\\u001f\"");
	assert_escapes(buf_json_str, "\b\f", "\"\\u0008\\u000c\"");
	for (c = 1; c < 0x20; c++) {
		in[0] = (char)c;
		in[1] = '\0';
		s = escaped(buf_json_str, in);
		/* No raw control byte may reach the output. */
		assert_int_equal(strlen(s), strcspn(s, "\x01\x02\x03\x04\x05"
		    "\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13"
		    "\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"));
		free(s);
		assert_json_round_trips(in);
	}
}

static void
test_buf_json_str_cannot_close_a_script_element(void **state)
{
	char	*s;

	(void)state;
	s = escaped(buf_json_str, "</script><script>alert(1)</script>");
	assert_null(strchr(s, '<'));
	assert_null(strchr(s, '>'));
	assert_null(strstr(s, "</"));
	free(s);
	assert_escapes(buf_json_str, "<!--&", "\"\\u003c!--\\u0026\"");
	assert_json_round_trips("</script> & <!-- -->");
}

static void
test_buf_json_str_keeps_utf8_and_null_is_empty_string(void **state)
{
	struct buf	b;

	(void)state;
	assert_escapes(buf_json_str, "Òran Mór – café", "\"Òran Mór – café\"");
	assert_json_round_trips("Òran Mór – café");
	buf_init(&b);
	assert_int_equal(buf_json_str(&b, NULL), 0);
	assert_string_equal(buf_cstr(&b), "\"\"");
	buf_free(&b);
}

static void
test_str_to_ll_accepts_whole_numbers_in_range(void **state)
{
	long long	v;

	(void)state;
	assert_int_equal(str_to_ll("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_to_ll("10", 0, 10, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(str_to_ll("-5", -5, 5, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(str_to_ll("007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(str_to_ll("9223372036854775807", 0, LLONG_MAX, &v),
	    0);
	assert_true(v == LLONG_MAX);
	assert_int_equal(str_to_ll("-9223372036854775808", LLONG_MIN, 0, &v),
	    0);
	assert_true(v == LLONG_MIN);
}

static void
test_str_to_ll_rejects_out_of_range_and_leaves_output_alone(void **state)
{
	long long	v = 1234;

	(void)state;
	assert_int_equal(str_to_ll("11", 0, 10, &v), -1);
	assert_int_equal(str_to_ll("-1", 0, 10, &v), -1);
	assert_int_equal(v, 1234);
}

static void
test_str_to_ll_rejects_overflow(void **state)
{
	long long	v = 1234;

	(void)state;
	assert_int_equal(str_to_ll("9223372036854775808", LLONG_MIN,
	    LLONG_MAX, &v), -1);
	assert_int_equal(str_to_ll("-9223372036854775809", LLONG_MIN,
	    LLONG_MAX, &v), -1);
	assert_int_equal(str_to_ll("99999999999999999999999", LLONG_MIN,
	    LLONG_MAX, &v), -1);
	assert_int_equal(v, 1234);
}

static void
test_str_to_ll_rejects_junk_space_and_empty(void **state)
{
	static const char *const bad[] = { "", " ", "12abc", "12 ", " 12",
	    "\t12", "1.5", "1e3", "0x10", "abc", "--1", "+", "-", "1 2",
	    "١٢" /* Arabic-Indic digits */, NULL };
	long long	v = 1234;
	size_t		i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		if (str_to_ll(bad[i], LLONG_MIN, LLONG_MAX, &v) != -1)
			fail_msg("str_to_ll(\"%s\") accepted", bad[i]);
	assert_int_equal(str_to_ll(NULL, 0, 10, &v), -1);
	assert_int_equal(v, 1234);
}

static void
test_str_to_double_accepts_decimal_numbers(void **state)
{
	double	v;

	(void)state;
	assert_int_equal(str_to_double("55.871746", -90, 90, &v), 0);
	assert_float_equal(v, 55.871746, 1e-12);
	assert_int_equal(str_to_double("-4.288345", -180, 180, &v), 0);
	assert_float_equal(v, -4.288345, 1e-12);
	assert_int_equal(str_to_double("1e3", 0, 1e4, &v), 0);
	assert_float_equal(v, 1000, 0);
	assert_int_equal(str_to_double("-2.5E-1", -1, 1, &v), 0);
	assert_float_equal(v, -0.25, 0);
	assert_int_equal(str_to_double(".5", 0, 1, &v), 0);
	assert_float_equal(v, 0.5, 0);
	assert_int_equal(str_to_double("5.", 0, 10, &v), 0);
	assert_float_equal(v, 5, 0);
	/* The range is inclusive. */
	assert_int_equal(str_to_double("90", -90, 90, &v), 0);
	assert_int_equal(str_to_double("-90", -90, 90, &v), 0);
}

static void
test_str_to_double_rejects_out_of_range_and_overflow(void **state)
{
	double	v = 1234;

	(void)state;
	assert_int_equal(str_to_double("90.000001", -90, 90, &v), -1);
	assert_int_equal(str_to_double("-90.5", -90, 90, &v), -1);
	assert_int_equal(str_to_double("1e400", -1e308, 1e308, &v), -1);
	assert_int_equal(str_to_double("-1e400", -1e308, 1e308, &v), -1);
	assert_float_equal(v, 1234, 0);
}

static void
test_str_to_double_rejects_junk_space_and_non_finite(void **state)
{
	static const char *const bad[] = { "", " ", "1.5km", "1.5 ", " 1.5",
	    "\n1", "1,5", "abc", "inf", "-inf", "infinity", "nan", "NaN",
	    "nan(1)", "--1", ".", "e5", "1e", "1..2", NULL };
	double		v = 1234;
	size_t		i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		if (str_to_double(bad[i], -1e308, 1e308, &v) != -1)
			fail_msg("str_to_double(\"%s\") accepted", bad[i]);
	assert_int_equal(str_to_double(NULL, 0, 1, &v), -1);
	assert_float_equal(v, 1234, 0);
}

/*
 * strtod() also reads C99 hexadecimal floats: "0x1p4" is 16.  Nobody types
 * a distance or a latitude that way; taking it would let odd input through
 * as a different number than a person reading the URL would think.
 */
static void
test_str_to_double_rejects_hexadecimal(void **state)
{
	static const char *const bad[] = { "0x10", "0X1A", "0x1p4", "-0x1",
	    "0x.8", NULL };
	double		v = 1234;
	size_t		i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		if (str_to_double(bad[i], -1e6, 1e6, &v) != -1)
			fail_msg("str_to_double(\"%s\") accepted as %g", bad[i],
			    v);
}

static void
test_str_copy_reports_truncation(void **state)
{
	char	dst[4];

	(void)state;
	assert_int_equal(str_copy(dst, sizeof(dst), "abc"), 0);
	assert_string_equal(dst, "abc");
	assert_int_equal(str_copy(dst, sizeof(dst), ""), 0);
	assert_string_equal(dst, "");
	assert_int_equal(str_copy(dst, sizeof(dst), "abcd"), -1);
	/* Never a truncated prefix that looks like a real value. */
	assert_string_equal(dst, "");
	assert_int_equal(str_copy(dst, 0, "a"), -1);
}

static void
test_str_trim_trims_both_ends(void **state)
{
	char	a[] = "  \t hello world \r\n", b[] = "   ", c[] = "x", d[] = "";

	(void)state;
	assert_string_equal(str_trim(a), "hello world");
	assert_string_equal(str_trim(b), "");
	assert_string_equal(str_trim(c), "x");
	assert_string_equal(str_trim(d), "");
}

/*
 * Form fields can be a megabyte of spaces: trimming must take linear time,
 * not move the whole string once per leading space.
 */
static void
test_str_trim_is_linear_in_leading_space(void **state)
{
	const size_t	 n = 512 * 1024;
	struct timespec	 t0, t1;
	double		 secs;
	char		*s;

	(void)state;
	assert_non_null(s = malloc(n + 2));
	memset(s, ' ', n);
	s[n] = 'x';
	s[n + 1] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_string_equal(str_trim(s), "x");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
	    t0.tv_nsec) / 1e9;
	free(s);
	/* Linear: well under 10 ms even under ASan; quadratic: seconds. */
	if (secs > 0.25)
		fail_msg("str_trim took %.2f s for %zu leading spaces", secs,
		    n);
}

static void
test_buf_append_file_appends_whole_file_and_reports_missing(void **state)
{
	struct buf	 b;
	char		 path[] = "/tmp/test_buf_XXXXXX";
	char		 big[20000];
	FILE		*f;
	int		 fd;

	(void)state;
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = 'z';
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_int_equal(fwrite(big, 1, sizeof(big), f), sizeof(big));
	assert_int_equal(fclose(f), 0);

	buf_init(&b);
	buf_puts(&b, "head:");
	assert_int_equal(buf_append_file(&b, path), 0);
	assert_int_equal(b.len, 5 + sizeof(big));
	assert_memory_equal(b.data, "head:", 5);
	assert_memory_equal(b.data + 5, big, sizeof(big));
	unlink(path);
	errno = 0;
	assert_int_equal(buf_append_file(&b, path), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(b.len, 5 + sizeof(big));
	buf_free(&b);
}

/* One date and time reader for forms, feed parameters and schedules. */
static void
test_dates_and_times_are_strict_and_real(void **state)
{
	static const char *const good_dates[] = { "2027-04-01", "2024-02-29",
	    "2000-02-29", "1999-12-31", "0001-01-01", NULL };
	static const char *const bad_dates[] = { "2027-02-29", "1900-02-29",
	    "2027-13-01", "2027-00-10", "2027-04-31", "2027-4-1",
	    "2027-04-01T", " 2027-04-01", "2027/04/01", "20270401", "",
	    "0000-01-01", "2027-04-0a", NULL };
	static const char *const good_times[] = { "00:00", "09:30", "23:59",
	    NULL };
	static const char *const bad_times[] = { "24:00", "12:60", "9:30",
	    "09:3", "0930", "09.30", "09:30:00", "", "-1:30", NULL };
	int	 y, m, d, mins;
	size_t	 i;

	(void)state;
	for (i = 0; good_dates[i] != NULL; i++)
		if (str_to_date(good_dates[i], &y, &m, &d) == -1)
			fail_msg("%s refused", good_dates[i]);
	for (i = 0; bad_dates[i] != NULL; i++)
		if (str_to_date(bad_dates[i], &y, &m, &d) == 0)
			fail_msg("%s taken", bad_dates[i]);
	assert_int_equal(str_to_date("2024-02-29", &y, &m, &d), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	for (i = 0; good_times[i] != NULL; i++)
		if (str_to_hhmm(good_times[i], &mins) == -1)
			fail_msg("%s refused", good_times[i]);
	for (i = 0; bad_times[i] != NULL; i++)
		if (str_to_hhmm(bad_times[i], &mins) == 0)
			fail_msg("%s taken", bad_times[i]);
	assert_int_equal(str_to_hhmm("23:59", &mins), 0);
	assert_int_equal(mins, 23 * 60 + 59);
	assert_int_equal(str_to_date(NULL, &y, &m, &d), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_buf_appends_and_grows_past_initial_capacity),
		cmocka_unit_test(test_buf_append_keeps_embedded_nul_bytes),
		cmocka_unit_test(
		    test_buf_release_of_empty_buffer_is_empty_string),
		cmocka_unit_test(
		    test_buf_html_escapes_the_five_special_characters),
		cmocka_unit_test(test_buf_html_keeps_other_text_and_utf8),
		cmocka_unit_test(test_buf_html_null_is_nothing),
		cmocka_unit_test(
		    test_buf_url_keeps_only_unreserved_characters),
		cmocka_unit_test(
		    test_buf_json_str_escapes_quotes_and_backslashes),
		cmocka_unit_test(
		    test_buf_json_str_escapes_every_control_character),
		cmocka_unit_test(
		    test_buf_json_str_cannot_close_a_script_element),
		cmocka_unit_test(
		    test_buf_json_str_keeps_utf8_and_null_is_empty_string),
		cmocka_unit_test(test_str_to_ll_accepts_whole_numbers_in_range),
		cmocka_unit_test(
		    test_str_to_ll_rejects_out_of_range_and_leaves_output_alone),
		cmocka_unit_test(test_str_to_ll_rejects_overflow),
		cmocka_unit_test(test_str_to_ll_rejects_junk_space_and_empty),
		cmocka_unit_test(test_str_to_double_accepts_decimal_numbers),
		cmocka_unit_test(
		    test_str_to_double_rejects_out_of_range_and_overflow),
		cmocka_unit_test(
		    test_str_to_double_rejects_junk_space_and_non_finite),
		cmocka_unit_test(test_str_to_double_rejects_hexadecimal),
		cmocka_unit_test(test_str_copy_reports_truncation),
		cmocka_unit_test(test_str_trim_trims_both_ends),
		cmocka_unit_test(test_str_trim_is_linear_in_leading_space),
		cmocka_unit_test(
		    test_buf_append_file_appends_whole_file_and_reports_missing),
		cmocka_unit_test(test_dates_and_times_are_strict_and_real),
	};

	return (RUN_UNIT_TESTS("buf", tests));
}
