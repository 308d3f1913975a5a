/*
 * postcode: UK postcode parsing, then (further down) look-up of postcode
 * and district centroids, the Code-Point Open import and /api/postcodes.
 */
#include <stddef.h>
#include <string.h>

#include "postcode.h"

/*
 * The format rules are those of Wikipedia, "Postcodes in the United
 * Kingdom", section "Validation", which restates the Royal Mail rules
 * behind the UK Government Data Standards Catalogue "Postcode" standard
 * (BS 7666):
 *
 *	outward	A9 A99 AA9 AA99 A9A AA9A, inward 9AA
 *	- Q V X are not used in the first position;
 *	- I J Z are not used in the second position;
 *	- the third position of A9A is one of A B C D E F G H J K P S T U W;
 *	- the fourth position of AA9A is one of A B E H M N P R V W X Y;
 *	- the two inward letters never use C I K M O V.
 *
 * Deliberately not checked: which areas have single-, double-digit or zero
 * districts (a fact about the data, and look-up answers that), BFPO and
 * overseas-territory codes (ASCN 1ZZ, ...), which are not geographic.
 * "GIR 0AA" (Girobank) is accepted as a full postcode because the Data
 * Standards Catalogue pattern accepts it; "GIR" alone is not a district.
 *
 * Input: ASCII letters in any case, digits, and ASCII white space anywhere
 * (users type "g128qq", "G12  8QQ", "G 12 8QQ", paste tabs and newlines);
 * white space is dropped and the last three characters are the inward code.
 * Anything else -- punctuation such as "G12-8QQ", control characters, any
 * byte >= 0x80 (including a pasted U+00A0 no-break space) -- is rejected
 * rather than guessed at.
 */

#define TRIMMED_MAX	16	/* input bytes, leading/trailing space aside */
#define COMPACT_MAX	7	/* "EC1A1BB" */
#define INWARD_LEN	3

#define FIRST_LETTERS	"ABCDEFGHIJKLMNOPRSTUWYZ"	/* not Q V X */
#define SECOND_LETTERS	"ABCDEFGHKLMNOPQRSTUVWXY"	/* not I J Z */
#define THIRD_LETTERS	"ABCDEFGHJKPSTUW"		/* A9A */
#define FOURTH_LETTERS	"ABEHMNPRVWXY"			/* AA9A */
#define INWARD_LETTERS	"ABDEFGHJLNPQRSTUWXYZ"		/* not C I K M O V */

/* Our own ASCII tests: <ctype.h> depends on the locale. */
static int
is_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

static int
in_set(int c, const char *set)
{
	/* strchr() would find the terminating NUL of set. */
	return (c != '\0' && strchr(set, c) != NULL);
}

/*
 * Copy in to s without white space, upper-cased, and set *len.  Fails on
 * any byte that is not an ASCII letter, digit or space, on more than
 * COMPACT_MAX characters, and when the input less leading and trailing
 * white space is longer than TRIMMED_MAX bytes.
 */
static int
compact(const char *in, char s[COMPACT_MAX + 1], size_t *len)
{
	const unsigned char	*p, *first;
	unsigned char		 c;
	size_t			 n;

	first = NULL;
	n = 0;
	for (p = (const unsigned char *)in; *p != '\0'; p++) {
		c = *p;
		if (is_space(c))
			continue;
		if (first == NULL)
			first = p;
		else if ((size_t)(p - first) >= TRIMMED_MAX)
			return (-1);
		if (c >= 'a' && c <= 'z')
			c = c - 'a' + 'A';
		if (!(c >= 'A' && c <= 'Z') && !is_digit(c))
			return (-1);
		if (n == COMPACT_MAX)
			return (-1);
		s[n++] = (char)c;
	}
	s[n] = '\0';
	*len = n;
	return (0);
}

/* The first len bytes of s (upper case, no spaces) are an outward code. */
static int
outward_ok(const char *s, size_t len)
{
	if (len < 2 || len > 4 || !in_set(s[0], FIRST_LETTERS))
		return (0);
	if (is_digit(s[1])) {
		/* A9, A99, A9A */
		if (len == 2)
			return (1);
		if (len == 3)
			return (is_digit(s[2]) || in_set(s[2], THIRD_LETTERS));
		return (0);
	}
	/* AA9, AA99, AA9A */
	if (!in_set(s[1], SECOND_LETTERS) || len < 3 || !is_digit(s[2]))
		return (0);
	if (len == 3)
		return (1);
	return (is_digit(s[3]) || in_set(s[3], FOURTH_LETTERS));
}

static int
inward_ok(const char *s)
{
	return (is_digit(s[0]) && in_set(s[1], INWARD_LETTERS) &&
	    in_set(s[2], INWARD_LETTERS));
}

enum postcode_kind
postcode_parse(const char *in, char *out, size_t outlen)
{
	char	 s[COMPACT_MAX + 1];
	size_t	 n, m;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (in == NULL || out == NULL || outlen < POSTCODE_MAX)
		return (POSTCODE_INVALID);
	if (compact(in, s, &n) == -1)
		return (POSTCODE_INVALID);

	/*
	 * An outward code is at most 4 characters and a full postcode at
	 * least 5, so the length alone says which one to try.
	 */
	if (n > 4) {
		m = n - INWARD_LEN;
		if (strcmp(s, "GIR0AA") != 0 &&
		    (!outward_ok(s, m) || !inward_ok(s + m)))
			return (POSTCODE_INVALID);
		memcpy(out, s, m);
		out[m] = ' ';
		memcpy(out + m + 1, s + m, INWARD_LEN + 1);
		return (POSTCODE_FULL);
	}
	if (!outward_ok(s, n))
		return (POSTCODE_INVALID);
	memcpy(out, s, n + 1);
	return (POSTCODE_OUTWARD);
}
