/*
 * Unit tests for postcode_parse(): every outward format, case and spacing,
 * sectors and the strings that could be a sector or a district, each
 * letter rule, every rejection, small buffers, and a sample of real
 * Code-Point Open postcodes.  Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "postcode.h"
#include "unit.h"

#define SAMPLE_PATH	"tests/unit/data/postcodes_sample.txt"
#define SAMPLE_MIN	2000

static const char *const kind_names[] = { "INVALID", "FULL", "OUTWARD",
    "SECTOR" };

static int
parse_is(const char *in, enum postcode_kind want_kind, const char *want,
    enum postcode_kind *got_kind, char *got, size_t gotlen)
{
	char	out[POSTCODE_MAX];

	memset(out, 'X', sizeof(out));
	*got_kind = postcode_parse(in, out, sizeof(out));
	snprintf(got, gotlen, "%.*s", (int)sizeof(out), out);
	return (*got_kind == want_kind && memchr(out, '\0', sizeof(out)) &&
	    strcmp(out, want) == 0);
}

/* A macro, so that a failure names the line of the case that failed. */
#define assert_parse(in, kind, want) do {				\
	enum postcode_kind	 k_;					\
	char			 o_[POSTCODE_MAX + 1];			\
									\
	if (!parse_is((in), (kind), (want), &k_, o_, sizeof(o_)))	\
		fail_msg("postcode_parse(\"%s\") = %s \"%s\", want %s \"%s\"", \
		    (in), kind_names[k_], o_, kind_names[kind], (want)); \
} while (0)

#define assert_full(in, want)	assert_parse((in), POSTCODE_FULL, (want))
#define assert_outward(in, want) assert_parse((in), POSTCODE_OUTWARD, (want))
#define assert_sector(in, want)	assert_parse((in), POSTCODE_SECTOR, (want))
#define assert_invalid(in)	assert_parse((in), POSTCODE_INVALID, "")

/* Every outward format, in canonical form. */

static void
test_postcode_accepts_format_a9(void **state)
{
	(void)state;
	assert_full("M1 1AE", "M1 1AE");
	assert_full("G1 2AB", "G1 2AB");
}

static void
test_postcode_accepts_format_a99(void **state)
{
	(void)state;
	assert_full("B33 8TH", "B33 8TH");
	assert_full("G12 8QQ", "G12 8QQ");
}

static void
test_postcode_accepts_format_aa9(void **state)
{
	(void)state;
	assert_full("CR2 6XH", "CR2 6XH");
	assert_full("EH1 1YZ", "EH1 1YZ");
}

static void
test_postcode_accepts_format_aa99(void **state)
{
	(void)state;
	assert_full("DN55 1PT", "DN55 1PT");
}

static void
test_postcode_accepts_format_a9a(void **state)
{
	(void)state;
	assert_full("W1A 0AX", "W1A 0AX");
}

static void
test_postcode_accepts_format_aa9a(void **state)
{
	(void)state;
	assert_full("EC1A 1BB", "EC1A 1BB");
}

static void
test_postcode_accepts_district_zero(void **state)
{
	(void)state;
	assert_full("BS0 1AA", "BS0 1AA");
	assert_outward("BL0", "BL0");
}

/* Case and white space. */

static void
test_postcode_accepts_lower_case(void **state)
{
	(void)state;
	assert_full("g12 8qq", "G12 8QQ");
	assert_full("ec1a 1bb", "EC1A 1BB");
}

static void
test_postcode_accepts_mixed_case(void **state)
{
	(void)state;
	assert_full("g12 8Qq", "G12 8QQ");
	assert_full("Eh1 1yZ", "EH1 1YZ");
}

static void
test_postcode_accepts_missing_space(void **state)
{
	(void)state;
	assert_full("g128qq", "G12 8QQ");
	assert_full("M11AE", "M1 1AE");
	assert_full("EC1A1BB", "EC1A 1BB");
	assert_full("DN551PT", "DN55 1PT");
}

static void
test_postcode_accepts_extra_spaces(void **state)
{
	(void)state;
	assert_full("G12  8QQ", "G12 8QQ");
	assert_full("G12     8QQ", "G12 8QQ");
}

static void
test_postcode_accepts_surrounding_whitespace(void **state)
{
	(void)state;
	assert_full(" g12 8qq ", "G12 8QQ");
	assert_full("\tG12 8QQ\r\n", "G12 8QQ");
	assert_full("\v\fG12 8QQ\n", "G12 8QQ");
}

static void
test_postcode_accepts_tab_between_parts(void **state)
{
	(void)state;
	assert_full("G12\t8QQ", "G12 8QQ");
	assert_full("G12 \t 8QQ", "G12 8QQ");
}

static void
test_postcode_accepts_space_in_wrong_place(void **state)
{
	(void)state;
	/* The inward code is always the last three characters. */
	assert_full("G128 QQ", "G12 8QQ");
	assert_full("G 12 8QQ", "G12 8QQ");
	assert_full("G 1 2 8 Q Q", "G12 8QQ");
	assert_full("G12A B", "G1 2AB");
}

static void
test_postcode_accepts_long_surrounding_whitespace(void **state)
{
	char	in[512];

	(void)state;
	/* The length limit is on what is between the white space. */
	memset(in, ' ', sizeof(in));
	memcpy(in + 200, "G12 8QQ", 7);
	in[sizeof(in) - 1] = '\0';
	assert_full(in, "G12 8QQ");
}

static void
test_postcode_output_is_a_fixed_point(void **state)
{
	const char	*in[] = { " g128qq", "ec1a1bb", "W1A\t0ax", "g 12",
			    "dn55", "gir0aa", "g1 1", "g111", "eh1  2",
			    "ec1a1" };
	char		 out[POSTCODE_MAX], again[POSTCODE_MAX];
	enum postcode_kind k;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		k = postcode_parse(in[i], out, sizeof(out));
		assert_int_not_equal(k, POSTCODE_INVALID);
		assert_int_equal(postcode_parse(out, again, sizeof(again)), k);
		assert_string_equal(again, out);
	}
}

/* Outward code alone. */

static void
test_postcode_outward_alone_is_district(void **state)
{
	(void)state;
	assert_outward("M1", "M1");
	assert_outward("G12", "G12");
	assert_outward("EH1", "EH1");
	assert_outward("DN55", "DN55");
	assert_outward("W1A", "W1A");
	assert_outward("EC1A", "EC1A");
}

static void
test_postcode_outward_alone_any_case_and_spacing(void **state)
{
	(void)state;
	assert_outward("g12", "G12");
	assert_outward("g 12", "G12");
	assert_outward(" eh1\t", "EH1");
	assert_outward("ec1a\n", "EC1A");
}

/* Sectors: an outward code and the inward code's digit. */

static void
test_postcode_space_before_one_digit_is_sector(void **state)
{
	(void)state;
	assert_sector("G1 1", "G1 1");
	assert_sector("G42 8", "G42 8");
	assert_sector("EH1 2", "EH1 2");
	assert_sector("DN55 1", "DN55 1");
	assert_sector("W1A 0", "W1A 0");
	assert_sector("EC1A 1", "EC1A 1");
	assert_sector("BL0 6", "BL0 6");
}

static void
test_postcode_sector_any_case_and_white_space(void **state)
{
	(void)state;
	assert_sector("g1 1", "G1 1");
	assert_sector("EH1  2", "EH1 2");
	assert_sector(" g42\t8\n", "G42 8");
	assert_sector("ec1a \t 1", "EC1A 1");
	assert_sector("G 1 1", "G1 1");
}

static void
test_postcode_sector_is_not_the_district_without_the_space(void **state)
{
	(void)state;
	/* The bug this kind exists for: G1 1 is central Glasgow, G11 not. */
	assert_sector("G1 1", "G1 1");
	assert_outward("G11", "G11");
	assert_sector("EH1 2", "EH1 2");
	assert_outward("EH12", "EH12");
	assert_sector("G4 2", "G4 2");
	assert_outward("g42", "G42");
}

static void
test_postcode_compact_outward_code_stays_district(void **state)
{
	(void)state;
	/* Could be G1 1 or G11: a valid outward code is the district. */
	assert_outward("G11", "G11");
	assert_outward("g11", "G11");
	assert_outward("EH12", "EH12");
	assert_outward("W1A", "W1A");
	assert_outward("M11", "M11");
}

static void
test_postcode_compact_outward_and_digit_is_sector(void **state)
{
	(void)state;
	/* Not an outward code, but one followed by a digit. */
	assert_sector("G111", "G11 1");
	assert_sector("g428", "G42 8");
	assert_sector("G123", "G12 3");
	assert_sector("EH121", "EH12 1");
	assert_sector("EC1A1", "EC1A 1");
	assert_sector("W1A0", "W1A 0");
	assert_sector("DN551", "DN55 1");
}

static void
test_postcode_rejects_space_that_splits_an_outward_code(void **state)
{
	(void)state;
	/* Re-splitting "G1 28" as G12 8 would search where nobody said. */
	assert_invalid("G1 28");
	assert_invalid("EH1 21");
	assert_invalid("G 111");
	assert_invalid("G12  88");
	assert_invalid("G1 12");
}

static void
test_postcode_rejects_malformed_sectors(void **state)
{
	(void)state;
	assert_invalid("Q1 1");		/* Q never first */
	assert_invalid("GI1 1");	/* I never second */
	assert_invalid("W1L 1");	/* L never third of A9A */
	assert_invalid("EC1C 1");	/* C never fourth of AA9A */
	assert_invalid("G123 4");	/* three-digit district */
	assert_invalid("G1234");
	assert_invalid("G1 1A");	/* half an inward code */
	assert_invalid("G12 8Q");
	assert_invalid("1 1");
	assert_invalid("12 8");
	assert_invalid("GIR 0");
	assert_invalid("G1-1");
	assert_invalid("G1\xc2\xa0" "1");	/* U+00A0 no-break space */
}

static void
test_postcode_kind_names(void **state)
{
	(void)state;
	assert_string_equal(postcode_kind_label(POSTCODE_SECTOR),
	    "postcode sector");
	assert_string_equal(postcode_kind_label(POSTCODE_OUTWARD),
	    "postcode district");
	assert_string_equal(postcode_kind_label(POSTCODE_FULL), "postcode");
	assert_string_equal(postcode_kind_name(POSTCODE_SECTOR), "sector");
	assert_string_equal(postcode_kind_name(POSTCODE_OUTWARD),
	    "district");
	assert_string_equal(postcode_kind_name(POSTCODE_FULL), "postcode");
}

/* GIR 0AA, the one historic exception. */

static void
test_postcode_accepts_girobank_special(void **state)
{
	(void)state;
	assert_full("GIR 0AA", "GIR 0AA");
	assert_full("gir0aa", "GIR 0AA");
}

static void
test_postcode_rejects_gir_other_than_0aa(void **state)
{
	(void)state;
	assert_invalid("GIR 0AB");
	assert_invalid("GIR 1AA");
	assert_invalid("GIR");
}

/* Letter rules. */

static void
test_postcode_rejects_inward_letter_c(void **state)
{
	(void)state;
	assert_invalid("G12 8CQ");
	assert_invalid("G12 8QC");
}

static void
test_postcode_rejects_inward_letters_c_i_k_m_o_v(void **state)
{
	const char	*p;
	char		 in[16];

	(void)state;
	for (p = "CIKMOV"; *p != '\0'; p++) {
		snprintf(in, sizeof(in), "G12 8%cQ", *p);
		assert_invalid(in);
		snprintf(in, sizeof(in), "G12 8Q%c", *p);
		assert_invalid(in);
		snprintf(in, sizeof(in), "G12 8%c%c", *p + 'a' - 'A', 'q');
		assert_invalid(in);
	}
}

static void
test_postcode_accepts_every_other_inward_letter(void **state)
{
	const char	*p;
	char		 in[16];

	(void)state;
	for (p = "ABDEFGHJLNPQRSTUWXYZ"; *p != '\0'; p++) {
		snprintf(in, sizeof(in), "G12 8%c%c", *p, *p);
		assert_full(in, in);
	}
}

static void
test_postcode_rejects_first_letter_q_v_x(void **state)
{
	(void)state;
	assert_invalid("Q1 1AA");
	assert_invalid("V12 1AA");
	assert_invalid("XA1 1AA");
	assert_invalid("QA1A 1AA");
	assert_invalid("X1");
	assert_invalid("va1");
}

static void
test_postcode_rejects_second_letter_i_j_z(void **state)
{
	(void)state;
	assert_invalid("GI1 1AA");
	assert_invalid("GJ12 1AA");
	assert_invalid("GZ1A 1AA");
	assert_invalid("gi1");
}

static void
test_postcode_checks_third_letter_of_a9a(void **state)
{
	const char	*p;
	char		 in[16];

	(void)state;
	for (p = "ABCDEFGHJKPSTUW"; *p != '\0'; p++) {
		snprintf(in, sizeof(in), "W1%c 0AX", *p);
		assert_full(in, in);
	}
	for (p = "ILMNOQRVXYZ"; *p != '\0'; p++) {
		snprintf(in, sizeof(in), "W1%c 0AX", *p);
		assert_invalid(in);
		snprintf(in, sizeof(in), "W1%c", *p);
		assert_invalid(in);
	}
}

static void
test_postcode_checks_fourth_letter_of_aa9a(void **state)
{
	const char	*p;
	char		 in[16];

	(void)state;
	for (p = "ABEHMNPRVWXY"; *p != '\0'; p++) {
		snprintf(in, sizeof(in), "EC1%c 1BB", *p);
		assert_full(in, in);
	}
	for (p = "CDFGIJKLOQSTUZ"; *p != '\0'; p++) {
		snprintf(in, sizeof(in), "EC1%c 1BB", *p);
		assert_invalid(in);
		snprintf(in, sizeof(in), "EC1%c", *p);
		assert_invalid(in);
	}
}

/* Shape. */

static void
test_postcode_rejects_empty(void **state)
{
	(void)state;
	assert_invalid("");
}

static void
test_postcode_rejects_only_whitespace(void **state)
{
	(void)state;
	assert_invalid(" ");
	assert_invalid(" \t\r\n ");
}

static void
test_postcode_rejects_single_character(void **state)
{
	(void)state;
	assert_invalid("G");
	assert_invalid("1");
}

static void
test_postcode_rejects_outward_starting_with_digit(void **state)
{
	(void)state;
	assert_invalid("1G2 8QQ");
	assert_invalid("12");
	assert_invalid("8QQ");
}

static void
test_postcode_rejects_three_letter_area(void **state)
{
	(void)state;
	assert_invalid("ABC1 1AA");
	assert_invalid("ABC 1AA");
	assert_invalid("ABC");
}

static void
test_postcode_rejects_three_digit_district(void **state)
{
	(void)state;
	assert_invalid("G123 1AA");
	/* "G123" is sector G12 3: see the sector tests. */
	assert_invalid("G1234");
}

static void
test_postcode_rejects_letter_after_two_digits(void **state)
{
	(void)state;
	assert_invalid("G12A 1AA");
	assert_invalid("EC12A 1BB");
}

static void
test_postcode_rejects_malformed_inward(void **state)
{
	(void)state;
	assert_invalid("G12 QQ8");
	assert_invalid("G12 88Q");
	assert_invalid("G12 8Q");
	assert_invalid("G12 8QQQ");
	assert_invalid("G12 AQQ");
}

static void
test_postcode_rejects_too_many_characters(void **state)
{
	(void)state;
	assert_invalid("EC1A 1BBB");
	assert_invalid("EC1AB 1BB");
	assert_invalid("G12 8QQ G12 8QQ");
}

static void
test_postcode_rejects_punctuation(void **state)
{
	(void)state;
	assert_invalid("G12-8QQ");
	assert_invalid("G12.8QQ");
	assert_invalid("G12,8QQ");
	assert_invalid("G12_8QQ");
	assert_invalid("(G12 8QQ)");
	assert_invalid("G12 8QQ.");
	assert_invalid("\"G12\"");
}

static void
test_postcode_rejects_non_ascii(void **state)
{
	(void)state;
	assert_invalid("G12\xc2\xa0" "8QQ");		/* U+00A0 no-break space */
	assert_invalid("G12 8QQ\xe2\x80\x8b");		/* U+200B zero width */
	assert_invalid("\xef\xbc\xa7" "12 8QQ");	/* U+FF27 fullwidth G */
	assert_invalid("G12 8Q\xff");
}

static void
test_postcode_rejects_control_characters(void **state)
{
	(void)state;
	assert_invalid("G12\x01" "8QQ");
	assert_invalid("G12 8QQ\x1b");
	assert_invalid("\x7f" "G12");
}

static void
test_postcode_length_limit_is_16_bytes_after_trimming(void **state)
{
	(void)state;
	/* 16 bytes from the first to the last non-space: accepted. */
	assert_full("  G12          8QQ  ", "G12 8QQ");
	/* 17: rejected, whatever they are. */
	assert_invalid("  G12           8QQ  ");
	assert_invalid("G               12");
}

static void
test_postcode_rejects_very_long_input(void **state)
{
	static char	in[100000];

	(void)state;
	memset(in, 'A', sizeof(in) - 1);
	assert_invalid(in);
	memset(in, ' ', sizeof(in) - 1);
	memcpy(in, "G12", 3);
	memcpy(in + sizeof(in) - 4, "8QQ", 3);
	assert_invalid(in);
}

/* The caller's buffer. */

static void
test_postcode_rejects_null_input(void **state)
{
	char	out[POSTCODE_MAX];

	(void)state;
	memset(out, 'X', sizeof(out));
	assert_int_equal(postcode_parse(NULL, out, sizeof(out)),
	    POSTCODE_INVALID);
	assert_string_equal(out, "");
	assert_int_equal(postcode_parse("G12 8QQ", NULL, 0), POSTCODE_INVALID);
	assert_int_equal(postcode_parse("G12 8QQ", NULL, POSTCODE_MAX),
	    POSTCODE_INVALID);
}

static void
test_postcode_invalid_clears_output(void **state)
{
	char	out[POSTCODE_MAX];

	(void)state;
	assert_int_equal(postcode_parse("G12 8QQ", out, sizeof(out)),
	    POSTCODE_FULL);
	assert_int_equal(postcode_parse("G12-8QQ", out, sizeof(out)),
	    POSTCODE_INVALID);
	assert_string_equal(out, "");
}

static void
test_postcode_rejects_buffer_smaller_than_postcode_max(void **state)
{
	char	out[POSTCODE_MAX + 8];
	size_t	len, i;

	(void)state;
	/* Even when the answer would fit: callers must size for any input. */
	for (len = 0; len < POSTCODE_MAX; len++) {
		memset(out, 'X', sizeof(out));
		assert_int_equal(postcode_parse("G1", out, len),
		    POSTCODE_INVALID);
		if (len > 0)
			assert_int_equal(out[0], '\0');
		for (i = len > 0 ? 1 : 0; i < sizeof(out); i++)
			assert_int_equal(out[i], 'X');
	}
}

static void
test_postcode_never_writes_past_postcode_max(void **state)
{
	char	out[POSTCODE_MAX + 8];
	size_t	i;

	(void)state;
	memset(out, 'X', sizeof(out));
	assert_int_equal(postcode_parse("ec1a1bb", out, POSTCODE_MAX),
	    POSTCODE_FULL);
	assert_string_equal(out, "EC1A 1BB");
	for (i = POSTCODE_MAX; i < sizeof(out); i++)
		assert_int_equal(out[i], 'X');
}

static void
test_postcode_accepts_larger_buffer(void **state)
{
	char	out[64];

	(void)state;
	assert_int_equal(postcode_parse("g128qq", out, sizeof(out)),
	    POSTCODE_FULL);
	assert_string_equal(out, "G12 8QQ");
}

/* Real data. */

static void
test_postcode_every_sample_postcode_round_trips(void **state)
{
	FILE	*f;
	char	 line[512];
	size_t	 n, len;

	(void)state;
	if ((f = fopen(SAMPLE_PATH, "r")) == NULL)
		fail_msg("%s: cannot open (run from the repository root)",
		    SAMPLE_PATH);
	n = 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		len = strcspn(line, "\r\n");
		if (line[len] == '\0' && !feof(f))
			fail_msg("%s: line too long", SAMPLE_PATH);
		if (line[0] == '#')
			continue;
		line[len] = '\0';
		assert_full(line, line);
		n++;
	}
	fclose(f);
	if (n < SAMPLE_MIN)
		fail_msg("%s: %zu postcodes, want at least %d", SAMPLE_PATH,
		    n, SAMPLE_MIN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postcode_accepts_format_a9),
		cmocka_unit_test(test_postcode_accepts_format_a99),
		cmocka_unit_test(test_postcode_accepts_format_aa9),
		cmocka_unit_test(test_postcode_accepts_format_aa99),
		cmocka_unit_test(test_postcode_accepts_format_a9a),
		cmocka_unit_test(test_postcode_accepts_format_aa9a),
		cmocka_unit_test(test_postcode_accepts_district_zero),
		cmocka_unit_test(test_postcode_accepts_lower_case),
		cmocka_unit_test(test_postcode_accepts_mixed_case),
		cmocka_unit_test(test_postcode_accepts_missing_space),
		cmocka_unit_test(test_postcode_accepts_extra_spaces),
		cmocka_unit_test(test_postcode_accepts_surrounding_whitespace),
		cmocka_unit_test(test_postcode_accepts_tab_between_parts),
		cmocka_unit_test(test_postcode_accepts_space_in_wrong_place),
		cmocka_unit_test(
		    test_postcode_accepts_long_surrounding_whitespace),
		cmocka_unit_test(test_postcode_output_is_a_fixed_point),
		cmocka_unit_test(test_postcode_outward_alone_is_district),
		cmocka_unit_test(
		    test_postcode_outward_alone_any_case_and_spacing),
		cmocka_unit_test(
		    test_postcode_space_before_one_digit_is_sector),
		cmocka_unit_test(test_postcode_sector_any_case_and_white_space),
		cmocka_unit_test(
		    test_postcode_sector_is_not_the_district_without_the_space),
		cmocka_unit_test(
		    test_postcode_compact_outward_code_stays_district),
		cmocka_unit_test(
		    test_postcode_compact_outward_and_digit_is_sector),
		cmocka_unit_test(
		    test_postcode_rejects_space_that_splits_an_outward_code),
		cmocka_unit_test(test_postcode_rejects_malformed_sectors),
		cmocka_unit_test(test_postcode_kind_names),
		cmocka_unit_test(test_postcode_accepts_girobank_special),
		cmocka_unit_test(test_postcode_rejects_gir_other_than_0aa),
		cmocka_unit_test(test_postcode_rejects_inward_letter_c),
		cmocka_unit_test(test_postcode_rejects_inward_letters_c_i_k_m_o_v),
		cmocka_unit_test(test_postcode_accepts_every_other_inward_letter),
		cmocka_unit_test(test_postcode_rejects_first_letter_q_v_x),
		cmocka_unit_test(test_postcode_rejects_second_letter_i_j_z),
		cmocka_unit_test(test_postcode_checks_third_letter_of_a9a),
		cmocka_unit_test(test_postcode_checks_fourth_letter_of_aa9a),
		cmocka_unit_test(test_postcode_rejects_empty),
		cmocka_unit_test(test_postcode_rejects_only_whitespace),
		cmocka_unit_test(test_postcode_rejects_single_character),
		cmocka_unit_test(test_postcode_rejects_outward_starting_with_digit),
		cmocka_unit_test(test_postcode_rejects_three_letter_area),
		cmocka_unit_test(test_postcode_rejects_three_digit_district),
		cmocka_unit_test(test_postcode_rejects_letter_after_two_digits),
		cmocka_unit_test(test_postcode_rejects_malformed_inward),
		cmocka_unit_test(test_postcode_rejects_too_many_characters),
		cmocka_unit_test(test_postcode_rejects_punctuation),
		cmocka_unit_test(test_postcode_rejects_non_ascii),
		cmocka_unit_test(test_postcode_rejects_control_characters),
		cmocka_unit_test(
		    test_postcode_length_limit_is_16_bytes_after_trimming),
		cmocka_unit_test(test_postcode_rejects_very_long_input),
		cmocka_unit_test(test_postcode_rejects_null_input),
		cmocka_unit_test(test_postcode_invalid_clears_output),
		cmocka_unit_test(
		    test_postcode_rejects_buffer_smaller_than_postcode_max),
		cmocka_unit_test(test_postcode_never_writes_past_postcode_max),
		cmocka_unit_test(test_postcode_accepts_larger_buffer),
		cmocka_unit_test(test_postcode_every_sample_postcode_round_trips),
	};

	return (RUN_UNIT_TESTS("postcode", tests));
}
