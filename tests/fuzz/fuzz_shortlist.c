/*
 * libFuzzer target for the shortlist in the URL (app/shortlist.c): the ids
 * list, the back= path a toggle redirects to, and the SMS text built from
 * what a service's listing says.  The input is "ids\nback\ntext".  Beyond
 * memory safety it checks the contracts the pages rely on: every kept id
 * is a lower-case UUID, unique, at most SHORTLIST_MAX of them; encoding
 * and parsing again gives the same list; a redirect built from an
 * accepted back= is still a path on this site with no byte that could
 * split a header; a cleaned SMS line has no line breaks.
 */
/* fuzz-sources: app/shortlist.c app/http.c app/gzip.c app/buf.c app/config.c app/log.c */
/* fuzz-pkgs: libcjson zlib */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"
#include "shortlist.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_list(const struct shortlist *sl)
{
	size_t	i, j;

	assert(sl->n <= SHORTLIST_MAX);
	for (i = 0; i < sl->n; i++) {
		assert(strlen(sl->ids[i]) == 36 && http_is_uuid(sl->ids[i]));
		for (j = 0; j < 36; j++)
			assert(!(sl->ids[i][j] >= 'A' && sl->ids[i][j] <= 'F'));
		for (j = 0; j < i; j++)
			assert(strcmp(sl->ids[i], sl->ids[j]) != 0);
	}
}

/* What a Location header may carry: one leading '/', printable ASCII. */
static void
check_location(const char *s)
{
	const unsigned char	*p;

	assert(s[0] == '/' && s[1] != '/' && s[1] != '\\');
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		assert(*p > 0x20 && *p < 0x7f && *p != '\\');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct shortlist	 sl, again;
	struct sms_size		 sz;
	struct buf		 b, back;
	char			*in, *ids, *path, *text, *nl;
	int			 rc;

	if ((in = malloc(size + 1)) == NULL)
		return (0);
	memcpy(in, data, size);
	in[size] = '\0';
	ids = in;
	path = text = "";
	if ((nl = strchr(ids, '\n')) != NULL) {
		*nl = '\0';
		path = nl + 1;
		if ((nl = strchr(path, '\n')) != NULL) {
			*nl = '\0';
			text = nl + 1;
		}
	}
	buf_init(&b);
	buf_init(&back);

	rc = shortlist_parse(&sl, ids);
	check_list(&sl);
	assert((rc == 0) == (sl.nbad == 0 && sl.dropped == 0));
	shortlist_encode(&sl, &b);
	assert(shortlist_parse(&again, buf_cstr(&b)) == 0);
	assert(again.n == sl.n &&
	    memcmp(again.ids, sl.ids, sizeof(sl.ids[0]) * sl.n) == 0);
	buf_reset(&b);
	shortlist_problem(&sl, &b);
	assert(rc == 0 || b.len > 0);

	if (sl.n > 0) {
		assert(shortlist_add(&sl, sl.ids[0]) == 0);
		assert(shortlist_remove(&sl, sl.ids[sl.n - 1]) == 0);
		check_list(&sl);
	}
	if (shortlist_local_path(path)) {
		check_location(path);
		if (shortlist_back_url(&back, path, &sl, sl.n > 0 ?
		    sl.ids[0] : NULL) == 0)
			check_location(buf_cstr(&back));
	}

	shortlist_sms_size(text, &sz);
	assert((sz.parts == 0) == (sz.chars == 0));
	buf_reset(&b);
	shortlist_sms_clean(&b, text);
	assert(b.oom || strpbrk(buf_cstr(&b), "\r\n\t") == NULL);

	buf_free(&b);
	buf_free(&back);
	free(in);
	return (0);
}
