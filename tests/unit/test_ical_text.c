/*
 * ical text: RFC 5545 TEXT escaping and 75-octet line folding, at the
 * byte boundaries where a UTF-8 character of 2, 3 or 4 octets would be
 * split.  (The feed itself is tested over HTTP in tests/integration.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "ical.h"
#include "unit.h"

static void
assert_text(const char *in, const char *want)
{
	struct buf	b;

	buf_init(&b);
	ical_text(&b, in);
	assert_string_equal(buf_cstr(&b), want);
	buf_free(&b);
}

/* Every physical line is at most 75 octets and ends in CRLF. */
static void
assert_folded(const char *out, size_t len)
{
	const char	*p = out, *e;

	while (p < out + len) {
		assert_non_null(e = strstr(p, "\r\n"));
		assert_true(e - p <= 75);
		/* A line never starts or ends inside a UTF-8 character. */
		if (p != out) {
			assert_int_equal(p[0], ' ');
			assert_true(((unsigned char)p[1] & 0xc0) != 0x80);
		}
		p = e + 2;
	}
	assert_ptr_equal(p, out + len);
}

/* Unfold (drop CRLF + space) and compare with the original. */
static void
assert_unfolds_to(const char *out, const char *orig)
{
	char	buf[1024];
	size_t	i, n = 0, len = strlen(out);

	for (i = 0; i < len && n + 1 < sizeof(buf); i++) {
		if (out[i] == '\r' && out[i + 1] == '\n' && out[i + 2] == ' ') {
			i += 2;
			continue;
		}
		if (out[i] == '\r' && out[i + 1] == '\n' && out[i + 2] == '\0')
			break;
		buf[n++] = out[i];
	}
	buf[n] = '\0';
	assert_string_equal(buf, orig);
}

static void
fold(const char *line, struct buf *b)
{
	buf_init(b);
	ical_line(b, line, strlen(line));
	assert_false(b->oom);
	assert_folded(b->data, b->len);
	assert_unfolds_to(b->data, line);
}

static void
test_ical_text_escapes_backslash_semicolon_comma_newline(void **state)
{
	(void)state;
	assert_text("a\\b;c,d\ne", "a\\\\b\\;c\\,d\\ne");
	assert_text("one\r\ntwo\rthree", "one\\ntwo\\nthree");
	assert_text("caf\xc3\xa9 \xe2\x98\x95", "caf\xc3\xa9 \xe2\x98\x95");
	/* Controls other than tab are not allowed in TEXT. */
	assert_text("a\x01" "b\tc\x7f", "ab\tc");
	assert_text("", "");
}

static void
test_ical_line_of_75_octets_is_not_folded(void **state)
{
	char		line[76];
	struct buf	b;

	(void)state;
	memset(line, 'x', 75);
	line[75] = '\0';
	fold(line, &b);
	assert_int_equal(b.len, 77);
	buf_free(&b);
	line[74] = '\0';
	fold(line, &b);
	assert_int_equal(b.len, 76);
	buf_free(&b);
}

static void
test_ical_line_of_76_octets_folds_once(void **state)
{
	char		line[77];
	struct buf	b;

	(void)state;
	memset(line, 'x', 76);
	line[76] = '\0';
	fold(line, &b);
	/* 75, CRLF, space + 1, CRLF. */
	assert_int_equal(b.len, 75 + 2 + 2 + 2);
	buf_free(&b);
}

static void
test_ical_fold_never_splits_a_utf8_character(void **state)
{
	static const char *const chars[] = {
		"\xc3\xa9", "\xe2\x98\x95", "\xf0\x9f\x8c\xb3"
	};
	char		line[600];
	struct buf	b;
	size_t		c, lead, i, n;

	(void)state;
	/* Put each character at every position around the fold points. */
	for (c = 0; c < 3; c++) {
		for (lead = 60; lead <= 80; lead++) {
			memset(line, 'a', lead);
			n = lead;
			for (i = 0; i < 60; i++) {
				memcpy(line + n, chars[c], strlen(chars[c]));
				n += strlen(chars[c]);
			}
			line[n] = '\0';
			fold(line, &b);
			buf_free(&b);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_ical_text_escapes_backslash_semicolon_comma_newline),
		cmocka_unit_test(test_ical_line_of_75_octets_is_not_folded),
		cmocka_unit_test(test_ical_line_of_76_octets_folds_once),
		cmocka_unit_test(test_ical_fold_never_splits_a_utf8_character),
	};

	return (RUN_UNIT_TESTS("ical_text", tests));
}
