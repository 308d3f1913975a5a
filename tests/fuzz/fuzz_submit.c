/*
 * libFuzzer target for the /submit form: the input is an urlencoded body,
 * parsed by http_parse_urlencoded into a POST request and read and
 * checked by listing_form_check (the database is a socket that does not
 * exist, so the checks that need it answer DB_UNAVAILABLE after every
 * check that does not).  Then contracts:
 *   - every value the form accepted obeys its field's limit;
 *   - a document made from the form loads back into a form that makes
 *     the same document (what a group submits is what it later edits);
 *   - a document differs from itself in nothing, and draws.
 */
/* fuzz-sources: app */
/* fuzz-dict: submit */
#include "request.h"

#include "form.h"
#include "listing.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The form again with the document loaded, as on the edit page. */
static void
round_trip(const char *doc)
{
	struct form	 g;
	struct buf	 b;
	char		*again;

	listing_form_init(&g);
	if (listing_form_load(&g, doc) == -1) {
		fprintf(stderr, "document does not load: %s\n", doc);
		abort();
	}
	if ((again = listing_form_document(&g)) != NULL &&
	    strcmp(again, doc) != 0) {
		fprintf(stderr, "round trip changed the document:\n%s\n%s\n",
		    doc, again);
		abort();
	}
	free(again);
	buf_init(&b);
	if (listing_diff_html(&b, doc, doc) != 0) {
		fprintf(stderr, "a document differs from itself: %s\n", doc);
		abort();
	}
	listing_document_html(&b, doc);
	buf_free(&b);
	form_free(&g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request	 req;
	struct form		 f;
	struct buf		 b;
	char			*doc;
	size_t			 i;

	http_request_init(&req);
	req.method = HTTP_POST;
	if (http_parse_urlencoded(&req.form, (const char *)data, size) == -1)
		goto out;
	listing_form_init(&f);
	(void)listing_form_check(&f, &req);
	for (i = 0; i < f.n; i++)
		if (f.value[i] != NULL && f.fields[i].max > 0 &&
		    form_utf8_chars(f.value[i]) > f.fields[i].max &&
		    f.fields[i].kind != FORM_PHONE) {
			fprintf(stderr, "%s: %zu characters accepted\n",
			    f.fields[i].name, form_utf8_chars(f.value[i]));
			abort();
		}
	buf_init(&b);
	form_summary(&b, &f);
	buf_free(&b);
	/* Only a form with no errors is ever turned into a document. */
	if (f.nerr == 0 && (doc = listing_form_document(&f)) != NULL) {
		round_trip(doc);
		free(doc);
	}
	form_free(&f);
out:
	http_request_free(&req);
	return (0);
}
