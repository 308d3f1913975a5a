/*
 * The CSV import.  See import_csv.h.
 *
 * PostgreSQL reads the file (COPY into a staging table whose columns are
 * the template's); each staged row's cells are put into a request as if
 * the web form had sent them (listing_csv_put) and handed to the import
 * run (import.c), which checks, reports by line and publishes them.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "http.h"
#include "import.h"
#include "import_csv.h"
#include "listing.h"
#include "log.h"

#define MAX_COLUMNS	160
#define MAX_ROWS	100000	/* a directory's worth; more: split it */
#define BATCH_ROWS	"500"	/* rows fetched from the stage at once */

/* qsort's comparison of row numbers by their keys, then by line. */
static char	**sort_keys;

static int
by_key(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b, c;

	if ((c = strcmp(sort_keys[x], sort_keys[y])) != 0)
		return (c);
	return (x < y ? -1 : x > y);
}

size_t
import_csv_columns(const char **out, size_t max)
{
	if (max == 0)
		return (listing_csv_columns(NULL, 0) + 1);
	/* id first: the key the source knows the listing by. */
	out[0] = "id";
	return (listing_csv_columns(out + 1, max - 1) + 1);
}

/*
 * The header: which template column each of the file's columns is.  Only
 * the first line is read here, split at its commas (column names have
 * none); the rows are PostgreSQL's to parse.  A byte-order mark is
 * skipped, quotes and spaces around a name ignored, case too.  Columns
 * may come in any order and optional ones may be left out; an unknown
 * column, one given twice, or a required one missing is an error naming
 * them all.  0, or -1 with err set.
 */
static int
header(const char *line, size_t len, const char **cols, size_t ncols,
    struct buf *list, char *err, size_t errlen)
{
	struct buf	 unknown, twice, missing;
	char		 name[128];
	const char	*p, *e, *end = line + len;
	size_t		 i, n;
	int		 used[200] = { 0 }, rc = -1;

	buf_init(&unknown);
	buf_init(&twice);
	buf_init(&missing);
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	for (p = line; p < end; p = e + 1) {
		for (e = p; e < end && *e != ','; e++)
			;
		n = (size_t)(e - p);
		while (n > 0 && (*p == ' ' || *p == '"')) {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '"' ||
		    p[n - 1] == '\r'))
			n--;
		snprintf(name, sizeof(name), "%.*s", (int)(n < 100 ? n : 100),
		    p);
		for (i = 0; i < ncols; i++)
			if (strcasecmp(cols[i], name) == 0)
				break;
		if (i == ncols)
			buf_printf(&unknown, "%s'%s'", unknown.len ? ", " : "",
			    name);
		else if (used[i]++)
			buf_printf(&twice, "%s%s", twice.len ? ", " : "",
			    cols[i]);
		else
			buf_printf(list, "%s\"%s\"", list->len ? ", " : "",
			    cols[i]);
	}
	for (i = 0; i < ncols; i++)
		if (!used[i] && listing_csv_required(cols[i]))
			buf_printf(&missing, "%s%s", missing.len ? ", " : "",
			    cols[i]);
	if (unknown.len > 0 || twice.len > 0 || missing.len > 0) {
		snprintf(err, errlen, "the header is not the template's (see "
		    "`signpost import csv --template`):%s%s%s%s%s%s",
		    unknown.len ? " unknown columns " : "", buf_cstr(&unknown),
		    twice.len ? "; given twice: " : "", buf_cstr(&twice),
		    missing.len ? "; missing: " : "", buf_cstr(&missing));
		goto out;
	}
	rc = 0;
out:
	buf_free(&unknown);
	buf_free(&twice);
	buf_free(&missing);
	return (rc);
}

/*
 * Where the file comes from: a path (plain or gzipped), or text in memory
 * (an upload).  read() is gzread's shape: bytes, 0 at the end, -1.
 */
struct source {
	gzFile		 f;
	const char	*data;
	size_t		 len, off;
};

static int
src_read(struct source *s, char *dst, size_t max)
{
	size_t	n;

	if (s->f != NULL)
		return (gzread(s->f, dst, (unsigned int)max));
	n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(dst, s->data + s->off, n);
	s->off += n;
	return ((int)n);
}

/* COPY the file into csv_stage, whose columns are the template's. */
static int
stage(struct source *f, const char *path, const char **cols, size_t ncols,
    char *err, size_t errlen)
{
	struct buf	 sql, list;
	char		 chunk[65536];
	const char	*nl;
	size_t		 i;
	int		 n, rc = -1, copying = 0;

	buf_init(&sql);
	buf_init(&list);
	if ((n = src_read(f, chunk, sizeof(chunk))) <= 0) {
		snprintf(err, errlen, "%s is empty: the first line must be "
		    "the template's header", path);
		goto out;
	}
	if ((nl = memchr(chunk, '\n', (size_t)n)) == NULL &&
	    n == (int)sizeof(chunk)) {
		snprintf(err, errlen, "%s: the first line is not a header",
		    path);
		goto out;
	}
	if (header(chunk, nl != NULL ? (size_t)(nl - chunk) : (size_t)n,
	    cols, ncols, &list, err, errlen) == -1)
		goto out;
	/* Names from our own table, never from the file. */
	buf_puts(&sql, "CREATE TEMP TABLE csv_stage (line bigserial");
	for (i = 0; i < ncols; i++)
		buf_printf(&sql, ", \"%s\" text", cols[i]);
	/*
	 * Gone with the transaction: a server's worker keeps its connection
	 * for the next import.
	 */
	buf_puts(&sql, ") ON COMMIT DROP");
	if (db_script(buf_cstr(&sql), NULL) != DB_OK)
		goto dberr;
	buf_reset(&sql);
	buf_printf(&sql, "COPY csv_stage (%s) FROM STDIN (FORMAT csv, "
	    "HEADER true)", buf_cstr(&list));
	if (db_copy_begin(buf_cstr(&sql)) != DB_OK)
		goto dberr;
	copying = 1;
	do {
		if (db_copy_put(chunk, (size_t)n) != DB_OK)
			goto dberr;
	} while ((n = src_read(f, chunk, sizeof(chunk))) > 0);
	if (n < 0) {
		int	e;

		snprintf(err, errlen, "%s: %s", path, f->f != NULL ?
		    gzerror(f->f, &e) : "cannot be read");
		(void)db_copy_end();
		goto out;
	}
	copying = 0;
	if (db_copy_end() != DB_OK) {
		snprintf(err, errlen, "%s could not be read as CSV: %s", path,
		    db_errmsg());
		goto out;
	}
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "%s", db_errmsg());
	if (copying)
		(void)db_copy_end();
out:
	buf_free(&sql);
	buf_free(&list);
	return (rc);
}

/*
 * The key a listing is imported under: the id column when the file has
 * one, else its organisation, service and venue postcode.
 */
static void
row_key(struct buf *k, const struct db_result *r, int row, int cid,
    int corg, int csvc, int cpc)
{
	const char	*p;

	buf_reset(k);
	if (cid >= 0 && !db_isnull(r, row, cid) &&
	    db_value(r, row, cid)[0] != '\0') {
		buf_printf(k, "id:%s", db_value(r, row, cid));
		return;
	}
	buf_puts(k, "name:");
	for (p = corg >= 0 ? db_value(r, row, corg) : ""; *p != '\0'; p++)
		buf_printf(k, "%c", (char)tolower((unsigned char)*p));
	buf_puts(k, "|");
	for (p = csvc >= 0 ? db_value(r, row, csvc) : ""; *p != '\0'; p++)
		buf_printf(k, "%c", (char)tolower((unsigned char)*p));
	buf_puts(k, "|");
	for (p = cpc >= 0 ? db_value(r, row, cpc) : ""; *p != '\0'; p++)
		if (*p != ' ')
			buf_printf(k, "%c", (char)toupper((unsigned char)*p));
}

/*
 * A staged row's line in the file: the header is line 1.  (A cell with
 * a line break in it counts as one line: it is a row that is numbered.)
 */
static long long
line_of(const struct db_result *r, int row)
{
	long long	n = 0;

	(void)str_to_ll(db_value(r, row, 0), 1, LLONG_MAX, &n);
	return (n + 1);
}

/*
 * A staged row's cells into req's form, as the web form would send them;
 * a cell that cannot be put is reported.  1 when one could not, else 0.
 */
static int
fill(struct http_request *req, const struct db_result *r, int row,
    const char **cols, size_t ncols, FILE *report)
{
	char	cerr[256];
	size_t	i;
	int	bad = 0;

	/* Column 0 is the import's own id, not the listing's. */
	for (i = 1; i < ncols; i++)
		if (listing_csv_put(req, cols[i], db_isnull(r, row,
		    (int)i + 1) ? NULL : db_value(r, row, (int)i + 1), cerr,
		    sizeof(cerr)) == -1) {
			fprintf(report, "line %lld: %s\n", line_of(r, row),
			    cerr);
			bad = 1;
		}
	return (bad);
}

static int	run(struct source *, const char *,
		    const struct import_opts *, FILE *, char *, size_t);

int
import_csv(const char *path, const struct import_opts *o, FILE *report,
    char *err, size_t errlen)
{
	struct source	src;
	int		rc;

	memset(&src, 0, sizeof(src));
	if ((src.f = gzopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	rc = run(&src, path, o, report, err, errlen);
	gzclose(src.f);
	return (rc);
}

int
import_csv_text(const char *data, size_t len, const char *name,
    const struct import_opts *o, FILE *report, char *err, size_t errlen)
{
	struct source	src;

	memset(&src, 0, sizeof(src));
	src.data = data;
	src.len = len;
	return (run(&src, name, o, report, err, errlen));
}

static int
run(struct source *src, const char *path, const struct import_opts *o,
    FILE *report, char *err, size_t errlen)
{
	struct import_run	 imp;
	struct db_result	*r = NULL;
	struct http_request	 req;
	struct buf		 sql, key;
	const char		*cols[MAX_COLUMNS];
	char			**keys = NULL, where[32];
	int			*order = NULL;
	size_t			 ncols, i;
	int			 row, rc = -1, bad, nrows = 0, first;
	int			 began = 0;

	buf_init(&sql);
	buf_init(&key);
	if ((ncols = import_csv_columns(cols, MAX_COLUMNS)) > MAX_COLUMNS) {
		snprintf(err, errlen, "the template has too many columns");
		goto out;
	}
	if (import_begin(&imp, "import csv", "rows", path, o, report, err,
	    errlen) == -1)
		goto out;
	began = 1;
	if (stage(src, path, cols, ncols, err, errlen) == -1)
		goto out;
	/* The keys first: a row's fate depends on the rows after it. */
	if (db_script("SELECT line, \"id\", \"organisation\", \"service\","
	    " \"postcode\" FROM csv_stage ORDER BY line", &r) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto out;
	}
	if ((nrows = db_rows(r)) > MAX_ROWS) {
		snprintf(err, errlen, "%s has %d rows; split it into files of "
		    "at most %d", path, nrows, MAX_ROWS);
		goto out;
	}
	if ((keys = calloc((size_t)nrows + 1, sizeof(*keys))) == NULL ||
	    (order = calloc((size_t)nrows + 1, sizeof(*order))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/*
	 * The same listing twice in one file: the later line wins (a
	 * spreadsheet's correction is usually added at the bottom), and the
	 * earlier one is reported as left out.
	 */
	for (row = 0; row < nrows; row++) {
		row_key(&key, r, row, 1, 2, 3, 4);
		if ((keys[row] = strdup(buf_cstr(&key))) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		order[row] = row;
	}
	sort_keys = keys;
	qsort(order, (size_t)nrows, sizeof(*order), by_key);
	for (i = 0; i + 1 < (size_t)nrows; i++)
		if (strcmp(keys[order[i]], keys[order[i + 1]]) == 0) {
			fprintf(report, "line %lld: the same listing as line "
			    "%lld (the same %s): the later line is taken\n",
			    line_of(r, order[i]), line_of(r, order[i + 1]),
			    strncmp(keys[order[i]], "id:", 3) == 0 ? "id" :
			    "organisation, service and postcode");
			free(keys[order[i]]);
			keys[order[i]] = NULL;
			imp.superseded++;
		}
	db_free(r);
	r = NULL;

	/* Then the rows, a batch at a time: memory stays flat. */
	buf_puts(&sql, "DECLARE csv_rows NO SCROLL CURSOR FOR SELECT line");
	for (i = 0; i < ncols; i++)
		buf_printf(&sql, ", \"%s\"", cols[i]);
	buf_puts(&sql, " FROM csv_stage ORDER BY line");
	if (db_script(buf_cstr(&sql), NULL) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto out;
	}
	for (first = 0; first < nrows; first += db_rows(r)) {
		db_free(r);
		if (db_script("FETCH " BATCH_ROWS " FROM csv_rows", &r) !=
		    DB_OK) {
			snprintf(err, errlen, "%s", db_errmsg());
			goto out;
		}
		if (db_rows(r) == 0)
			break;
		for (row = 0; row < db_rows(r); row++) {
			if (keys[first + row] == NULL) {
				imp.read++;
				continue;
			}
			http_request_init(&req);
			req.method = HTTP_POST;
			bad = fill(&req, r, row, cols, ncols, report);
			snprintf(where, sizeof(where), "line %lld",
			    line_of(r, row));
			rc = import_record(&imp, &req, where, line_of(r, row),
			    keys[first + row], bad, err, errlen);
			http_request_free(&req);
			if (rc == -1)
				goto out;
		}
	}
	began = 0;
	rc = import_end(&imp, err, errlen);
out:
	if (began) {
		import_abort(&imp);
		rc = -1;
	}
	for (row = 0; keys != NULL && row < nrows; row++)
		free(keys[row]);
	free(keys);
	free(order);
	db_free(r);
	buf_free(&sql);
	buf_free(&key);
	return (rc);
}
