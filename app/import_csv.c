/*
 * The CSV import.  See import_csv.h.
 *
 * A row is put into a request as if the web form had sent it
 * (listing_csv_put), then read and checked by listing_form_check: the
 * messages a spreadsheet owner gets are the ones a group gets on /submit,
 * with the line and the column.  A row that passes becomes a listing
 * document and is published by listing_import(), which also tries the
 * database's CHECKs (a row they refuse is undone alone and reported like
 * the others).  Everything is one transaction: with a bad row (and no
 * --skip-bad), or in a dry run, it is rolled back.  Derived data (search
 * rows, the directory version) is rebuilt once at the end.
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
#include "import_csv.h"
#include "listing.h"
#include "log.h"

#define MAX_COLUMNS	160
#define MAX_ROWS	100000	/* a directory's worth; more: split it */
#define BATCH_ROWS	"500"	/* rows fetched from the stage at once */

static const struct db_stmt stmts[] = {
	/* The organisation a name already belongs to, if one does. */
	{ "imp_org_by_name",
	  "SELECT id FROM organization WHERE lower(name) = lower($1)"
	  " ORDER BY id LIMIT 1" },
	/* What a row's listing is now, before it changes. */
	{ "imp_before",
	  "SELECT listing_document(k.service_id)::text FROM import_key k"
	  " WHERE k.source = $1 AND k.key = $2" },
	{ "imp_doc",
	  "SELECT listing_document($1)::text" },
	/*
	 * Derived data (search rows, the directory version) rebuilt once
	 * for the whole import, at its end, instead of after each statement
	 * (see sql/functions/derived_data.sql).
	 */
	{ "imp_bulk",
	  "SELECT set_config('signpost.bulk', 'on', true)" },
	{ "imp_refresh",
	  "/*writes*/ SELECT directory_refresh($1::uuid[])" },
	{ "imp_apply",
	  "SELECT o_service, o_outcome, o_constraint FROM listing_import($1,"
	  " $2, $3::jsonb, $4, $5::int)" },
};

/* imp_apply's columns. */
enum { IMP_SERVICE, IMP_OUTCOME, IMP_CONSTRAINT };

void
import_csv_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

struct counts {
	long	read, added, updated, unchanged, bad, superseded;
};

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

/* Every error of a row's form, as "line N: column 'value': message". */
static void
report_form(FILE *report, long line, const struct form *f)
{
	const char	*col, *msg;
	size_t		 i;

	if (f->form_msg != NULL)
		fprintf(report, "line %ld: %s\n", line, f->form_msg);
	for (i = 0; i < f->n; i++) {
		if ((msg = form_message(f, i)) == NULL)
			continue;
		if ((col = listing_csv_column_of(f->fields[i].name)) == NULL)
			col = f->fields[i].name;
		if (f->raw[i] != NULL && f->raw[i][0] != '\0')
			fprintf(report, "line %ld: %s '%s': %s\n", line, col,
			    f->raw[i], msg);
		else
			fprintf(report, "line %ld: %s: %s\n", line, col, msg);
	}
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
 * One staged row as a listing document (*doc, the caller frees): 0; 1
 * when the row is bad (each problem reported); -1 when the database
 * failed (err set).  The database's own rules (CHECKs, foreign keys) are
 * tried when the row is applied, in its own subtransaction
 * (listing_import); a row they refuse comes back here with the name of
 * the constraint (constraint), to be reported in the form's words.
 */
static int
check_row(const struct db_result *r, int row, const char **cols,
    size_t ncols, const char *constraint, FILE *report, char **doc,
    char *err, size_t errlen)
{
	struct http_request	 req;
	struct db_result	*q = NULL;
	struct form		 f;
	const char		*p[1], *org;
	char			 cerr[256];
	long long		 line = line_of(r, row);
	size_t			 i;
	int			 rc = 1, bad = 0;
	enum db_status		 st;

	*doc = NULL;
	http_request_init(&req);
	req.method = HTTP_POST;
	listing_form_init_import(&f);
	/* Column 0 is the import's own id, not the listing's. */
	for (i = 1; i < ncols; i++)
		if (listing_csv_put(&req, cols[i], db_isnull(r, row,
		    (int)i + 1) ? NULL : db_value(r, row, (int)i + 1), cerr,
		    sizeof(cerr)) == -1) {
			fprintf(report, "line %lld: %s\n", line, cerr);
			bad = 1;
		}
	/* An organisation we list already is that one, not a new one. */
	if ((org = http_kv_get(&req.form, "org_name")) != NULL) {
		p[0] = org;
		if ((st = db_exec("imp_org_by_name", 1, p, &q)) != DB_OK)
			goto dberr;
		(void)http_kv_add(&req.form, "org_id", db_rows(q) == 1 ?
		    db_value(q, 0, 0) : "new");
		db_free(q);
		q = NULL;
	}
	if ((st = listing_form_check(&f, &req)) != DB_OK)
		goto dberr;
	if (constraint != NULL)
		listing_form_constraint(&f, constraint);
	if (f.nerr > 0 || bad) {
		report_form(report, (long)line, &f);
		goto out;
	}
	if ((*doc = listing_form_document(&f)) == NULL) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "line %lld: %s", line, db_errmsg());
	rc = -1;
out:
	if (rc != 0) {
		free(*doc);
		*doc = NULL;
	}
	db_free(q);
	form_free(&f);
	http_request_free(&req);
	return (rc);
}

/*
 * A checked row published: 0; 1 when the database refused it (the
 * constraint's name in *constraint, the caller frees); -1 with err set.
 * The service of an added or updated row is appended to touched, the
 * derived data to refresh at the end, and what became of it to done,
 * which is reported only if the import is kept (or is a dry run).
 */
static int
apply_row(long long line, const char *doc, const char *key,
    const char *actor, const struct import_csv_opts *o, struct counts *n,
    struct buf *touched, struct buf *done, char **constraint, char *err,
    size_t errlen)
{
	struct db_result	*q = NULL, *a = NULL;
	const char		*p[5], *outcome;
	char			 months[16], name[256], *before = NULL;

	*constraint = NULL;
	snprintf(months, sizeof(months), "%d", config.review_months);
	p[0] = o->source;
	p[1] = key;
	if (o->on_change != NULL) {
		if (db_exec("imp_before", 2, p, &q) != DB_OK)
			goto dberr;
		if (db_rows(q) == 1 && (before = strdup(db_value(q, 0, 0))) ==
		    NULL)
			goto dberr;
		db_free(q);
		q = NULL;
	}
	p[2] = doc;
	p[3] = actor;
	p[4] = months;
	if (db_exec("imp_apply", 5, p, &q) != DB_OK)
		goto dberr;
	outcome = db_value(q, 0, IMP_OUTCOME);
	if (strcmp(outcome, "bad") == 0) {
		if ((*constraint = strdup(db_value(q, 0, IMP_CONSTRAINT))) ==
		    NULL)
			goto dberr;
		db_free(q);
		free(before);
		return (1);
	}
	if (o->on_change != NULL && before != NULL &&
	    strcmp(outcome, "updated") == 0) {
		p[0] = db_value(q, 0, IMP_SERVICE);
		if (db_exec("imp_doc", 1, p, &a) != DB_OK)
			goto dberr;
		o->on_change(o->change_arg, line, before, db_value(a, 0, 0));
		db_free(a);
	}
	if (strcmp(outcome, "unchanged") == 0)
		n->unchanged++;
	else {
		if (strcmp(outcome, "added") == 0)
			n->added++;
		else
			n->updated++;
		buf_printf(touched, "%s%s", touched->len > 1 ? "," : "",
		    db_value(q, 0, IMP_SERVICE));
	}
	buf_printf(done, "line %lld: %s%s: %s\n", line, o->dry_run &&
	    strcmp(outcome, "unchanged") != 0 ? "would be " : "", outcome,
	    listing_document_name(doc, name, sizeof(name)) != NULL ? name :
	    "(no name)");
	db_free(q);
	free(before);
	return (0);
dberr:
	snprintf(err, errlen, "line %lld: %s", line, db_errmsg());
	db_free(q);
	free(before);
	return (-1);
}

static int	run(struct source *, const char *,
		    const struct import_csv_opts *, FILE *, char *, size_t);

int
import_csv(const char *path, const struct import_csv_opts *o, FILE *report,
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
    const struct import_csv_opts *o, FILE *report, char *err, size_t errlen)
{
	struct source	src;

	memset(&src, 0, sizeof(src));
	src.data = data;
	src.len = len;
	return (run(&src, name, o, report, err, errlen));
}

static int
run(struct source *src, const char *path, const struct import_csv_opts *o,
    FILE *report, char *err, size_t errlen)
{
	struct db_result	*r = NULL;
	struct counts		 n;
	struct buf		 sql, key, actor, touched, done;
	const char		*cols[MAX_COLUMNS], *base, *p[1];
	char			**keys = NULL, *constraint, *doc = NULL;
	int			*order = NULL;
	size_t			 ncols, i;
	int			 row, rc = -1, k, nrows = 0, first;

	memset(&n, 0, sizeof(n));
	buf_init(&sql);
	buf_init(&key);
	buf_init(&actor);
	buf_init(&touched);
	buf_init(&done);
	if ((ncols = import_csv_columns(cols, MAX_COLUMNS)) > MAX_COLUMNS) {
		snprintf(err, errlen, "the template has too many columns");
		goto out;
	}
	if ((base = strrchr(path, '/')) != NULL)
		base++;
	else
		base = path;
	buf_printf(&actor, "import: %s (%s)", o->source, base);
	if (db_tx_begin() != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto out;
	}
	if (db_exec("imp_bulk", 0, NULL, NULL) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto fail;
	}
	if (stage(src, path, cols, ncols, err, errlen) == -1)
		goto fail;
	/* The keys first: a row's fate depends on the rows after it. */
	if (db_script("SELECT line, \"id\", \"organisation\", \"service\","
	    " \"postcode\" FROM csv_stage ORDER BY line", &r) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto fail;
	}
	if ((nrows = db_rows(r)) > MAX_ROWS) {
		snprintf(err, errlen, "%s has %d rows; split it into files of "
		    "at most %d", path, nrows, MAX_ROWS);
		goto fail;
	}
	if ((keys = calloc((size_t)nrows + 1, sizeof(*keys))) == NULL ||
	    (order = calloc((size_t)nrows + 1, sizeof(*order))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
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
			goto fail;
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
			n.superseded++;
		}
	db_free(r);
	r = NULL;

	/*
	 * Then the rows, a batch at a time (memory stays flat): each is
	 * checked by the form layer and applied, also when an earlier row
	 * was bad and it will all be undone, so that everything wrong with
	 * the file, the database's own rules included, is said at once.
	 */
	buf_puts(&sql, "DECLARE csv_rows NO SCROLL CURSOR FOR SELECT line");
	for (i = 0; i < ncols; i++)
		buf_printf(&sql, ", \"%s\"", cols[i]);
	buf_puts(&sql, " FROM csv_stage ORDER BY line");
	if (db_script(buf_cstr(&sql), NULL) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto fail;
	}
	buf_puts(&touched, "{");
	for (first = 0; first < nrows; first += db_rows(r)) {
		db_free(r);
		if (db_script("FETCH " BATCH_ROWS " FROM csv_rows", &r) !=
		    DB_OK) {
			snprintf(err, errlen, "%s", db_errmsg());
			goto fail;
		}
		if (db_rows(r) == 0)
			break;
		for (row = 0; row < db_rows(r); row++) {
			n.read++;
			if (keys[first + row] == NULL)
				continue;
			if ((k = check_row(r, row, cols, ncols, NULL, report,
			    &doc, err, errlen)) == -1)
				goto fail;
			if (k == 1) {
				n.bad++;
				continue;
			}
			k = apply_row(line_of(r, row), doc, keys[first + row],
			    buf_cstr(&actor), o, &n, &touched, &done,
			    &constraint, err, errlen);
			free(doc);
			doc = NULL;
			if (k == -1)
				goto fail;
			if (k == 1) {
				n.bad++;
				k = check_row(r, row, cols, ncols, constraint,
				    report, &doc, err, errlen);
				free(constraint);
				if (k == -1)
					goto fail;
			}
		}
	}
	buf_puts(&touched, "}");
	if (o->bad_out != NULL)
		*o->bad_out = n.bad;
	if (n.bad > 0 && !o->skip_bad) {
		db_tx_rollback();
		fprintf(report, "import csv: %ld rows read, %ld not importable "
		    "(each reported above by line): nothing was imported; "
		    "correct them, or run with --skip-bad to import the "
		    "others\n", n.read, n.bad);
		rc = 1;
		goto out;
	}
	fputs(buf_cstr(&done), report);
	fprintf(report, "import csv: %ld rows read; %ld %s, %ld %s, %ld "
	    "unchanged, %ld not imported%s", n.read, n.added,
	    o->dry_run ? "would be added" : "added", n.updated,
	    o->dry_run ? "would be updated" : "updated", n.unchanged, n.bad,
	    n.bad > 0 ? " (each reported above by line)" : "");
	if (n.superseded > 0)
		fprintf(report, ", %ld left out for a later line", n.superseded);
	fprintf(report, "\n");
	if (o->dry_run) {
		db_tx_rollback();
		fprintf(report, "import csv: a dry run: nothing was "
		    "changed\n");
		rc = 0;
		goto out;
	}
	p[0] = buf_cstr(&touched);
	if (touched.oom || db_exec("imp_refresh", 1, p, NULL) != DB_OK) {
		snprintf(err, errlen, "%s", touched.oom ? "out of memory" :
		    db_errmsg());
		goto fail;
	}
	if (db_tx_commit() != DB_OK) {
		snprintf(err, errlen, "the import could not be committed: %s",
		    db_errmsg());
		goto out;
	}
	rc = 0;
	goto out;
fail:
	db_tx_rollback();
out:
	for (row = 0; keys != NULL && row < nrows; row++)
		free(keys[row]);
	free(keys);
	free(doc);
	free(order);
	db_free(r);
	buf_free(&sql);
	buf_free(&key);
	buf_free(&actor);
	buf_free(&touched);
	buf_free(&done);
	return (rc);
}
