/*
 * libFuzzer target for the array splitter of the feed importer
 * (app/json_split.c), which reads a file of one huge JSON array a piece at
 * a time.  The input is fed in pieces whose sizes come from its first
 * byte, as a file arrives from gzread.  Contracts, checked against cJSON
 * reading the same bytes whole:
 *   - nothing crashes, leaks or reads out of bounds, whatever the bytes;
 *   - how the bytes are cut into pieces never changes the outcome;
 *   - when cJSON reads the text as an array, the splitter finishes without
 *     error and hands on exactly its elements, each of which cJSON reads
 *     as the same value.
 */
/* fuzz-sources: app/json_split.c app/buf.c */
/* fuzz-pkgs: libcjson */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json_split.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct seen {
	const cJSON	*whole;		/* cJSON's array, or NULL */
	long long	 n;
	int		 bad;		/* an element differs from cJSON's */
};

static int
element(void *arg, const char *text, size_t len, long long n)
{
	struct seen	*s = arg;
	cJSON		*e;

	if (text[len] != '\0')
		abort();
	s->n = n;
	if (s->whole == NULL)
		return (0);
	e = cJSON_ParseWithLength(text, len);
	if (e == NULL || !cJSON_Compare(e, cJSON_GetArrayItem(s->whole,
	    (int)n - 1), 1))
		s->bad = 1;
	cJSON_Delete(e);
	return (0);
}

/* The text split in pieces of step bytes: 0 or -1, and the count. */
static int
split(const char *text, size_t len, size_t step, struct seen *s)
{
	struct json_split	js;
	char			err[256];
	size_t			off, k;
	int			rc = 0;

	json_split_init(&js, 1 << 20, element, s);
	for (off = 0; off < len && rc == 0; off += k) {
		k = len - off < step ? len - off : step;
		rc = json_split_feed(&js, text + off, k, err, sizeof(err));
	}
	if (rc == 0)
		rc = json_split_end(&js, err, sizeof(err));
	json_split_free(&js);
	return (rc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen	 a, b;
	cJSON		*whole;
	const char	*text;
	size_t		 len, step;
	int		 ra, rb;

	if (size < 1)
		return (0);
	step = data[0] % 16 + 1;
	text = (const char *)data + 1;
	len = size - 1;
	/* Ours stops at a NUL like any C string reader; so does cJSON. */
	if (memchr(text, '\0', len) != NULL)
		return (0);
	/* Whole, and nothing but space after it, as the splitter asks. */
	whole = cJSON_ParseWithLengthOpts(text, len, NULL, 1);
	if (!cJSON_IsArray(whole)) {
		cJSON_Delete(whole);
		whole = NULL;
	}
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.whole = b.whole = whole;
	ra = split(text, len, step, &a);
	rb = split(text, len, len > 0 ? len : 1, &b);
	if (ra != rb || a.n != b.n)
		abort();
	if (whole != NULL && (ra != 0 || a.bad || b.bad ||
	    a.n != cJSON_GetArraySize(whole)))
		abort();
	cJSON_Delete(whole);
	return (0);
}
