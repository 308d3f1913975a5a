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
#include "buf.h"
#include "form.h"
#include "import.h"
#include "import_oruk.h"
#include "listing.h"
#include "request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request	 req;
	struct buf		 t;
	FILE			*devnull;
	char			*text;

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
	if (import_oruk_map(text, size, &req, devnull, "fuzz") == 0)
		fuzz_listing_round_trip(&req);
	fclose(devnull);
	http_request_free(&req);
	free(text);
	return (0);
}
