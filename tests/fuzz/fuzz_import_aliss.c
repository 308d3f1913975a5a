/*
 * libFuzzer target for the ALISS importer's own part: the input is one
 * service as ALISS's API sends it (JSON), mapped onto the template's
 * cells (import_aliss_map), then read and checked by listing_form_check
 * with the import's fields.  (cJSON parses; the categories are the
 * database's to match and are left out; the database is a socket that
 * does not exist.)  Contracts:
 *   - nothing crashes, leaks or reads out of bounds, whatever the JSON;
 *   - a service with no errors makes a document that loads back into a
 *     form that makes the same document.
 */
/* fuzz-sources: app */
#include <cjson/cJSON.h>

#include "buf.h"
#include "form.h"
#include "import_aliss.h"
#include "listing.h"
#include "request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request	 req;
	struct buf		 terms, areas;
	FILE			*devnull;

	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	http_request_init(&req);
	req.method = HTTP_POST;
	buf_init(&terms);
	buf_init(&areas);
	if (import_aliss_map((const char *)data, size, &req, &terms, &areas,
	    devnull, "fuzz") == 0)
		fuzz_listing_round_trip(&req);
	buf_free(&terms);
	buf_free(&areas);
	fclose(devnull);
	http_request_free(&req);
	return (0);
}
