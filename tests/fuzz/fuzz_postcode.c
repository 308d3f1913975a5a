/*
 * libFuzzer target for postcode_parse(): memory safety, the output
 * contract for every buffer size, and a differential check against the
 * format rules written as one POSIX regular expression.
 */
/* fuzz-sources: app */
#include <assert.h>
#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postcode.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The rules of app/postcode.c (Wikipedia, "Postcodes in the United
 * Kingdom", Validation) restated independently, for upper-case input
 * without spaces; sectors are told from districts by the white space,
 * which oracle() looks at itself.
 */
#define OUTWARD_RE	"([A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|"		\
			"[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
#define INWARD_RE	"[0-9][ABD-HJLNP-UW-Z][ABD-HJLNP-UW-Z]"

static regex_t	full_re, outward_re, sector_re;

static int
is_ws(int c)
{
	return (c == ' ' || (c >= '\t' && c <= '\r'));
}

/* What postcode_parse() should say about s, and its canonical form. */
static enum postcode_kind
oracle(const char *s, char *want, size_t wantlen)
{
	char	 compact[64];
	size_t	 i, first, last, n, words;
	int	 c, last_word_len;

	want[0] = '\0';
	for (first = 0; s[first] != '\0' && is_ws(s[first]); first++)
		continue;
	if (s[first] == '\0')
		return (POSTCODE_INVALID);
	for (last = strlen(s) - 1; is_ws(s[last]); last--)
		continue;
	if (last - first + 1 > 16)
		return (POSTCODE_INVALID);
	n = 0;
	words = 1;
	last_word_len = 0;
	for (i = first; i <= last; i++) {
		c = (unsigned char)s[i];
		if (is_ws(c)) {
			if (!is_ws((unsigned char)s[i + 1])) {
				words++;
				last_word_len = 0;
			}
			continue;
		}
		last_word_len++;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		else if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9'))
			return (POSTCODE_INVALID);
		compact[n++] = (char)c;
	}
	compact[n] = '\0';
	if (regexec(&full_re, compact, 0, NULL, 0) == 0) {
		assert(n >= 5 && n <= 7 && wantlen > n + 1);
		memcpy(want, compact, n - 3);
		want[n - 3] = ' ';
		memcpy(want + n - 2, compact + n - 3, 4);
		return (POSTCODE_FULL);
	}
	/* "G1 1": a last word of one digit after an outward code. */
	if (words > 1 && last_word_len == 1 &&
	    regexec(&sector_re, compact, 0, NULL, 0) == 0) {
		memcpy(want, compact, n - 1);
		want[n - 1] = ' ';
		memcpy(want + n, compact + n - 1, 2);
		return (POSTCODE_SECTOR);
	}
	if (regexec(&outward_re, compact, 0, NULL, 0) == 0) {
		memcpy(want, compact, n + 1);
		return (POSTCODE_OUTWARD);
	}
	/* "G111": not an outward code, but one and a digit. */
	if (words == 1 && regexec(&sector_re, compact, 0, NULL, 0) == 0) {
		memcpy(want, compact, n - 1);
		want[n - 1] = ' ';
		memcpy(want + n, compact + n - 1, 2);
		return (POSTCODE_SECTOR);
	}
	return (POSTCODE_INVALID);
}

static void
init(void)
{
	static int	done;

	if (done)
		return;
	if (regcomp(&full_re, "^(GIR0AA|" OUTWARD_RE INWARD_RE ")$",
	    REG_EXTENDED | REG_NOSUB) != 0 ||
	    regcomp(&outward_re, "^" OUTWARD_RE "$",
	    REG_EXTENDED | REG_NOSUB) != 0 ||
	    regcomp(&sector_re, "^" OUTWARD_RE "[0-9]$",
	    REG_EXTENDED | REG_NOSUB) != 0)
		abort();
	done = 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t	 outlens[] = { 0, 1, POSTCODE_MAX - 1,
				    POSTCODE_MAX, POSTCODE_MAX + 1, 64 };
	enum postcode_kind	 k, k2, want_kind;
	char			*in, *out, again[POSTCODE_MAX], want[16];
	size_t			 i, outlen;

	init();
	/* Exactly sized, so that ASan sees any read past the NUL. */
	if ((in = malloc(size + 1)) == NULL)
		return (0);
	memcpy(in, data, size);
	in[size] = '\0';
	want_kind = oracle(in, want, sizeof(want));

	for (i = 0; i < sizeof(outlens) / sizeof(outlens[0]); i++) {
		outlen = outlens[i];
		/* Exactly sized too; malloc(0) still gives a unique pointer. */
		if ((out = malloc(outlen)) == NULL)
			abort();
		memset(out, 'X', outlen);
		k = postcode_parse(in, out, outlen);

		if (outlen < POSTCODE_MAX) {
			assert(k == POSTCODE_INVALID);
			assert(outlen == 0 || out[0] == '\0');
			assert(outlen < 2 || out[1] == 'X');
			free(out);
			continue;
		}
		assert(memchr(out, '\0', outlen) != NULL);
		assert(strlen(out) < outlen && strlen(out) < POSTCODE_MAX);
		assert(k == want_kind);
		assert(strcmp(out, want) == 0);
		if (k == POSTCODE_INVALID) {
			assert(out[0] == '\0');
		} else {
			k2 = postcode_parse(out, again, sizeof(again));
			assert(k2 == k);
			assert(strcmp(again, out) == 0);
		}
		free(out);
	}
	free(in);
	return (0);
}
