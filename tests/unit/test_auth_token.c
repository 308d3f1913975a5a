/*
 * Unit tests for the tokens of auth.c: auth_token_hash accepts only what
 * auth_token_new hands out (64 lower-case hex digits) and gives the same
 * hash literal for it; auth_hash_equal compares literals.  (Named
 * test_auth_token so as not to clash with tests/integration/test_auth.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "unit.h"

#define HEX64	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

static int
setup(void **state)
{
	(void)state;
	return (sodium_init() < 0 ? -1 : 0);
}

static void
test_token_hash_rejects_what_is_not_a_token(void **state)
{
	static const char *const bad[] = {
		"",
		"abc",
		/* 63 and 65 digits */
		"0123456789abcdef0123456789abcdef"
		"0123456789abcdef0123456789abcde",
		HEX64 "0",
		/* upper case: ours are lower case, one spelling per token */
		"0123456789ABCDEF0123456789abcdef"
		"0123456789abcdef0123456789abcdef",
		/* not hex */
		"g123456789abcdef0123456789abcdef"
		"0123456789abcdef0123456789abcdef",
		"0123456789abcdef0123456789abcdef"
		"0123456789abcdef0123456789abcde ",
		"0123456789abcdef0123456789abcdef"
		"0123456789abcdef0123456789abcd\"'",
		/* a hash literal is not a token */
		"\\x23456789abcdef0123456789abcdef"
		"0123456789abcdef0123456789abcdef",
	};
	char	lit[AUTH_HASH_LIT];
	size_t	i;

	(void)state;
	assert_int_equal(auth_token_hash(NULL, lit), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (auth_token_hash(bad[i], lit) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_int_equal(auth_token_hash(HEX64, lit), 0);
	assert_int_equal(strlen(lit), AUTH_HASH_LIT - 1);
	assert_memory_equal(lit, "\\x", 2);
}

static void
test_token_new_hashes_like_token_hash(void **state)
{
	char	tok[AUTH_TOKEN_HEX + 1], lit[AUTH_HASH_LIT];
	char	again[AUTH_HASH_LIT], tok2[AUTH_TOKEN_HEX + 1];
	char	lit2[AUTH_HASH_LIT];

	(void)state;
	auth_token_new(tok, lit);
	assert_int_equal(strlen(tok), AUTH_TOKEN_HEX);
	assert_int_equal(auth_token_hash(tok, again), 0);
	assert_string_equal(lit, again);
	assert_true(auth_hash_equal(lit, again));
	auth_token_new(tok2, lit2);
	assert_string_not_equal(tok, tok2);
	assert_false(auth_hash_equal(lit, lit2));
	assert_false(auth_hash_equal(lit, NULL));
	assert_false(auth_hash_equal(lit, "\\x00"));
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_token_hash_rejects_what_is_not_a_token),
		cmocka_unit_test(test_token_new_hashes_like_token_hash),
	};

	return (RUN_UNIT_TESTS_SETUP("auth_token", tests, setup, NULL));
}
