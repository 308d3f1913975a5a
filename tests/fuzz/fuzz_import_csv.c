/*
 * libFuzzer target for the CSV importer's cells: the input is one row as
 * lines of "column=value" (PostgreSQL's COPY has already split the file;
 * this is what is ours: each cell put into the form as the web form would
 * send it, then read and checked by listing_form_check with the import's
 * fields; the database is a socket that does not exist).  Contracts:
 *   - a column that is not the template's is refused with a message, and
 *     every column of the template is taken;
 *   - every value the form accepted obeys its field's limit;
 *   - a row with no errors makes a document that loads back into a form
 *     that makes the same document.
 */
/* fuzz-sources: app */
/* fuzz-dict: submit */
#include "form.h"
#include "import_csv.h"
#include "listing.h"
#include "request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
is_column(const char *c)
{
	const char	*cols[200];
	size_t		 i, n;

	n = import_csv_columns(cols, 200);
	for (i = 1; i < n && i < 200; i++)
		if (strcmp(cols[i], c) == 0)
			return (1);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request	 req;
	struct form		 f;
	char			*text, *line, *save = NULL, *eq, err[256];
	size_t			 i;
	int			 rc;

	if ((text = malloc(size + 1)) == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';
	http_request_init(&req);
	req.method = HTTP_POST;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		err[0] = '\0';
		rc = listing_csv_put(&req, line, eq + 1, err, sizeof(err));
		if (rc == -1 && err[0] == '\0') {
			fprintf(stderr, "%s refused without a message\n", line);
			abort();
		}
		if (rc == -1 && is_column(line) && strncmp(err, line,
		    strlen(line)) == 0 && strcmp(err + strlen(line),
		    " is not a column of the template") == 0) {
			fprintf(stderr, "template column %s refused\n", line);
			abort();
		}
	}
	listing_form_init_import(&f);
	(void)listing_form_check(&f, &req);
	for (i = 0; i < f.n; i++)
		if (f.value[i] != NULL && f.fields[i].max > 0 &&
		    form_utf8_chars(f.value[i]) > f.fields[i].max &&
		    f.fields[i].kind != FORM_PHONE) {
			fprintf(stderr, "%s: %zu characters accepted\n",
			    f.fields[i].name, form_utf8_chars(f.value[i]));
			abort();
		}
	form_free(&f);
	fuzz_listing_round_trip(&req);
	http_request_free(&req);
	free(text);
	return (0);
}
