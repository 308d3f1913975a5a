/*
 * libFuzzer target for the Open Referral UK importer's own part: the
 * input is one service as a feed sends it (JSON), mapped onto the
 * template's cells (import_oruk_map), then read and checked by
 * listing_form_check with the import's fields; and the same bytes as a
 * description made plain text.  (cJSON parses; the database is a socket
 * that does not exist.)  Contracts:
 *   - nothing crashes, leaks or reads out of bounds, whatever the JSON;
 *   - plain text is never longer than the HTML it came from (an entity
 *     decodes to fewer bytes than it is written with);
 *   - a service with no errors makes a document that loads back into a
 *     form that makes the same document.
 */
/* fuzz-sources: app */
#include "request.h"

#include "buf.h"
#include "form.h"
#include "import.h"
#include "import_oruk.h"
#include "listing.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request	 req;
	struct form		 f, g;
	struct buf		 t;
	FILE			*devnull;
	char			*text, *doc, *again;

	if ((text = malloc(size + 1)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';

	buf_init(&t);
	import_text(&t, text);
	if (t.len > strlen(text)) {
		fprintf(stderr, "plain text grew: %zu from %zu\n", t.len,
		    strlen(text));
		abort();
	}
	buf_free(&t);

	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	http_request_init(&req);
	req.method = HTTP_POST;
	if (import_oruk_map(text, size, &req, devnull, "fuzz") == 0) {
		listing_form_init_import(&f);
		(void)listing_form_check(&f, &req);
		if (f.nerr == 0 && (doc = listing_form_document(&f)) != NULL) {
			listing_form_init_import(&g);
			if (listing_form_load(&g, doc) == -1 ||
			    (again = listing_form_document(&g)) == NULL ||
			    strcmp(again, doc) != 0) {
				fprintf(stderr, "round trip changed the "
				    "document: %s\n", doc);
				abort();
			}
			free(again);
			form_free(&g);
			free(doc);
		}
		form_free(&f);
	}
	fclose(devnull);
	http_request_free(&req);
	free(text);
	return (0);
}
