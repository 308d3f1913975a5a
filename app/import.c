/*
 * The import run every importer shares.  See import.h.
 *
 * A record is checked by listing_form_check, the messages a spreadsheet
 * owner or a feed's publisher gets being the ones a group gets on
 * /submit, with where the record is and the template's column.  A record
 * that passes becomes a listing document and waits with the next ones;
 * a batch of them is published by listing_import_batch(), which also
 * tries the database's CHECKs (a record they refuse is undone alone and
 * reported like the others, from its form kept for that).  Everything is
 * one transaction; derived data (search rows, the directory version) is
 * rebuilt once at the end.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "http.h"
#include "import.h"
#include "listing.h"
#include "log.h"
#include "postcode.h"

static const struct db_stmt stmts[] = {
	/*
	 * Derived data (search rows, the directory version) rebuilt once
	 * for the whole import, at its end, instead of after each statement
	 * (see sql/functions/derived_data.sql).
	 */
	{ "imp_bulk",
	  "SELECT set_config('signpost.bulk', 'on', true)" },
	{ "imp_refresh",
	  "/*writes*/ SELECT directory_refresh($1::uuid[])" },
	/* The source, its address when given, and when it was read. */
	{ "imp_source",
	  "INSERT INTO import_source (name, url, attribution)"
	  " VALUES ($1, $2, $3)"
	  " ON CONFLICT (name) DO UPDATE SET checked_at = now(),"
	  " url = coalesce(EXCLUDED.url, import_source.url),"
	  " attribution = coalesce(EXCLUDED.attribution,"
	  " import_source.attribution)" },
	{ "imp_withdraw",
	  "/*writes*/ SELECT o_service, o_name FROM import_withdraw_missing($1,"
	  " $2::jsonb, $3)" },
	/* A feed's term: ours by id or slug, else by name. */
	{ "imp_term",
	  "SELECT slug FROM taxonomy_term WHERE id::text = $1 OR slug = $1"
	  " OR lower(name) = lower($2)"
	  " ORDER BY id::text = $1 OR slug = $1 DESC LIMIT 1" },
	/*
	 * An area by its code, else (a code from before a boundary change,
	 * such as Glasgow City's S12000046, now S12000049) by its name and
	 * kind.
	 */
	{ "imp_area",
	  "SELECT code FROM area WHERE code = $1"
	  " OR (lower(name) = lower($2) AND kind = $3)"
	  " ORDER BY code = $1 DESC LIMIT 1" },
	/*
	 * The tables an import fills, their statistics brought up to date
	 * inside its transaction (ANALYZE counts the rows this transaction
	 * inserted): see import_record.
	 */
	{ "imp_analyze",
	  "/*writes*/ ANALYZE organization, service, location,"
	  " service_at_location, schedule, service_taxonomy, phone, language,"
	  " accessibility, submission, listing_change, import_key" },
	{ "imp_apply",
	  "/*writes*/ SELECT o_n, o_service, o_outcome, o_constraint,"
	  " o_before::text, o_after::text FROM listing_import_batch($1,"
	  " $2::jsonb, $3, $4::int, $5::boolean, $6::boolean)" },
};

/* imp_apply's columns. */
enum { IMP_N, IMP_SERVICE, IMP_OUTCOME, IMP_CONSTRAINT, IMP_BEFORE,
    IMP_AFTER };

/*
 * Records a batch: each one statement a table for a first import, where
 * one record at a time took some forty (sql/functions/
 * listing_import_batch.sql).  Small enough that a batch the database
 * refuses, tried again a record at a time, costs little.
 */
#define IMPORT_BATCH	250

/*
 * A record waiting for its batch: checked when the batch is (its
 * postcodes looked up with the others', one query), then published.
 */
struct import_pending {
	char			*where;
	long long		 n;
	char			*key;
	char			*doc;		/* once checked, if good */
	int			 bad;		/* the reader found it bad */
	/* Its fields: checked, and said again in the form's words when
	 * the database refuses it. */
	struct http_request	 req;
};

/*
 * Records a batch: read, then checked (their documents in rows), then
 * sent to listing_import_batch() and their outcomes said.  A run has
 * two: while the database writes one, the next is checked (the client's
 * work, a tenth of an import, done on the other core; advance()).
 */
struct import_batch {
	struct import_pending	 rec[IMPORT_BATCH];
	size_t			 n;
	struct buf		 rows;
	size_t			 good;		/* records in rows */
	int			 sent;		/* awaiting db_collect */
};

void
import_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/*
 * What a feed names again and again (its terms, its areas) looked up once
 * a run: a look-up each time was 25 000 queries for 10 000 services, 3.2 s
 * of a 15 s import.  Direct-mapped, keyed by the look-up's whole text
 * (the answer may differ with any of its parts); the directory's terms
 * and areas do not change while it runs.  Emptied by import_begin and
 * run_free.
 */
#define MEMO_SLOTS	512

struct memo_slot {
	char	*key;
	char	*val;		/* NULL: not one of ours */
};

static __thread struct memo_slot	memo[MEMO_SLOTS];

static void
memo_clear(void)
{
	size_t	i;

	for (i = 0; i < MEMO_SLOTS; i++) {
		free(memo[i].key);
		free(memo[i].val);
		memo[i].key = memo[i].val = NULL;
	}
}

static struct memo_slot *
memo_slot(const char *key)
{
	uint32_t	h = 2166136261u;

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return (&memo[h % MEMO_SLOTS]);
}

/*
 * The first column of the named statement's answer for these parameters
 * (joined by tabs as the key), *val NULL when it has no row: 0, or -1
 * when the database failed.  *val is the memo's: valid until the next
 * call.
 */
static int
memo_lookup(const char *stmt, int n, const char *const *prm,
    const char **val)
{
	struct db_result	*r = NULL;
	struct memo_slot	*m;
	struct buf		 key;
	int			 i, rc = -1;

	buf_init(&key);
	buf_puts(&key, stmt);
	for (i = 0; i < n; i++)
		buf_printf(&key, "\t%s", prm[i]);
	if (key.oom)
		goto out;
	m = memo_slot(buf_cstr(&key));
	if (m->key != NULL && strcmp(m->key, buf_cstr(&key)) == 0) {
		*val = m->val;
		rc = 0;
		goto out;
	}
	if (db_exec(stmt, n, prm, &r) != DB_OK)
		goto out;
	free(m->key);
	free(m->val);
	m->val = NULL;
	if ((m->key = strdup(buf_cstr(&key))) == NULL ||
	    (db_rows(r) == 1 && (m->val = strdup(db_value(r, 0, 0))) ==
	    NULL)) {
		free(m->key);
		m->key = NULL;
		goto out;
	}
	*val = m->val;
	rc = 0;
out:
	db_free(r);
	buf_free(&key);
	return (rc);
}

/* A batch emptied for the next records. */
static void
batch_reset(struct import_batch *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++) {
		free(b->rec[i].where);
		free(b->rec[i].key);
		free(b->rec[i].doc);
		http_request_free(&b->rec[i].req);
	}
	b->n = 0;
	b->good = 0;
	buf_reset(&b->rows);
}

static void
run_free(struct import_run *run)
{
	int	i;

	for (i = 0; i < 2; i++) {
		if (run->batch[i] == NULL)
			continue;
		/* An answer nobody will read (the run failed meanwhile). */
		if (run->batch[i]->sent)
			(void)db_collect(NULL);
		batch_reset(run->batch[i]);
		buf_free(&run->batch[i]->rows);
		free(run->batch[i]);
		run->batch[i] = NULL;
	}
	postcode_cache_end();
	memo_clear();
	buf_free(&run->actor);
	buf_free(&run->touched);
	if (run->done != NULL)
		fclose(run->done);
	run->done = NULL;
}

int
import_begin(struct import_run *run, const char *what, const char *unit,
    const char *file, const struct import_opts *o, FILE *report, char *err,
    size_t errlen)
{
	const char	*base, *p[3];

	memset(run, 0, sizeof(*run));
	run->o = o;
	run->report = report;
	run->what = what;
	run->unit = unit;
	buf_init(&run->actor);
	buf_init(&run->touched);
	/*
	 * Each record's line of the report, said only if the import is
	 * kept: in a file, so memory does not grow with the records.
	 */
	if ((run->done = tmpfile()) == NULL) {
		snprintf(err, errlen, "a temporary file: %s",
		    strerror(errno));
		run_free(run);
		return (-1);
	}
	if ((base = strrchr(file, '/')) != NULL)
		base++;
	else
		base = file;
	buf_printf(&run->actor, "import: %s (%s)", o->source, base);
	buf_puts(&run->touched, "{");
	memo_clear();
	if (postcode_cache_begin() == -1) {
		snprintf(err, errlen, "out of memory");
		run_free(run);
		return (-1);
	}
	if (db_tx_begin() != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		run_free(run);
		return (-1);
	}
	p[0] = o->source;
	p[1] = o->source_url;
	p[2] = o->attribution;
	if (db_exec("imp_bulk", 0, NULL, NULL) != DB_OK ||
	    db_exec("imp_source", 3, p, NULL) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		import_abort(run);
		return (-1);
	}
	return (0);
}

void
import_abort(struct import_run *run)
{
	db_tx_rollback();
	run_free(run);
}

/* Every error of a record's form, as "where: column 'value': message". */
static void
report_form(FILE *report, const char *where, const struct form *f)
{
	const char	*col, *msg;
	size_t		 i;

	if (f->form_msg != NULL)
		fprintf(report, "%s: %s\n", where, f->form_msg);
	for (i = 0; i < f->n; i++) {
		if ((msg = form_message(f, i)) == NULL)
			continue;
		if ((col = listing_csv_column_of(f->fields[i].name)) == NULL)
			col = f->fields[i].name;
		if (f->raw[i] != NULL && f->raw[i][0] != '\0')
			fprintf(report, "%s: %s '%s': %s\n", where, col,
			    f->raw[i], msg);
		else
			fprintf(report, "%s: %s: %s\n", where, col, msg);
	}
}

/*
 * A record as a listing document (*doc, the caller frees): 0; 1 when it
 * is bad (each problem reported); -1 when the database failed (err set).
 * constraint: the database refused the document for that constraint
 * (listing_import), to be reported in the form's words.
 */
static int
check(struct http_request *req, const char *where, const char *constraint,
    FILE *report, char **doc, char *err, size_t errlen)
{
	struct form		 f;
	int			 rc = 1;

	*doc = NULL;
	listing_form_init_import(&f);
	/*
	 * Not a choice from a list: the organisation is the one we list
	 * under that name, found by listing_import_batch(), else a new one.
	 */
	if (http_kv_get(&req->form, "org_name") != NULL &&
	    http_kv_get(&req->form, "org_id") == NULL &&
	    http_kv_add(&req->form, "org_id", "new") == -1) {
		snprintf(err, errlen, "%s: out of memory", where);
		rc = -1;
		goto out;
	}
	if (listing_form_check(&f, req) != DB_OK)
		goto dberr;
	if (constraint != NULL)
		listing_form_constraint(&f, constraint);
	if (f.nerr > 0) {
		report_form(report, where, &f);
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
	snprintf(err, errlen, "%s: %s", where, db_errmsg());
	rc = -1;
out:
	form_free(&f);
	return (rc);
}

/* The batch's record numbered n, or NULL. */
static struct import_pending *
pending_of(struct import_batch *b, long long n)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		if (b->rec[i].n == n)
			return (&b->rec[i]);
	return (NULL);
}

/* One record's outcome (row i of q) counted and said. */
static int
outcome(struct import_run *run, struct import_batch *b, struct db_result *q,
    int i, char *err, size_t errlen)
{
	const struct import_opts	*o = run->o;
	struct import_pending		*p;
	const char			*what;
	char				 name[256], *doc = NULL;
	int				 k;

	if ((p = pending_of(b, strtoll(db_value(q, i, IMP_N), NULL,
	    10))) == NULL) {
		snprintf(err, errlen, "the import's batch answered a record "
		    "it was not given");
		return (-1);
	}
	what = db_value(q, i, IMP_OUTCOME);
	if (strcmp(what, "bad") == 0) {
		run->bad++;
		k = check(&p->req, p->where, db_value(q, i, IMP_CONSTRAINT),
		    run->report, &doc, err, errlen);
		free(doc);
		return (k == -1 ? -1 : 0);
	}
	if (o->on_change != NULL && strcmp(what, "updated") == 0 &&
	    !db_isnull(q, i, IMP_BEFORE))
		o->on_change(o->change_arg, p->n, db_value(q, i, IMP_BEFORE),
		    db_value(q, i, IMP_AFTER));
	if (strcmp(what, "unchanged") == 0)
		run->unchanged++;
	else {
		if (strcmp(what, "added") == 0)
			run->added++;
		else
			run->updated++;
		buf_printf(&run->touched, "%s%s", run->touched.len > 1 ? "," :
		    "", db_value(q, i, IMP_SERVICE));
	}
	/* Said only if the import is kept (or is a dry run). */
	fprintf(run->done, "%s: %s%s: %s\n", p->where, o->dry_run &&
	    strcmp(what, "unchanged") != 0 ? "would be " : "", what,
	    listing_document_name(p->doc, name, sizeof(name)) != NULL ?
	    name : "(no name)");
	return (0);
}

/* The records of a result, in the order they were read. */
static int
by_n(const void *a, const void *b)
{
	long long	x = *(const long long *)a, y = *(const long long *)b;

	return (x < y ? -1 : x > y);
}

/*
 * The venues' postcodes of a batch's records looked up in one query
 * (postcode_cache_fill) before each is checked: a round trip a record
 * was most of what checking it cost.
 */
static void
prefetch(struct import_batch *b)
{
	const char	**pcs;
	size_t		  i, n = 0;

	if ((pcs = calloc(b->n * LISTING_VENUES, sizeof(*pcs))) == NULL)
		return;
	for (i = 0; i < b->n; i++)
		n += listing_venue_postcodes(&b->rec[i].req, pcs + n,
		    LISTING_VENUES);
	(void)postcode_cache_fill(pcs, n);
	free(pcs);
}

/*
 * A batch's records checked (what is wrong said to report), the good
 * ones' documents put in its rows: 0, or -1 with err set.
 */
static int
check_batch(struct import_run *run, struct import_batch *b, FILE *report,
    char *err, size_t errlen)
{
	struct import_pending	*pp;
	size_t			 i;
	int			 k;

	buf_reset(&b->rows);
	buf_puts(&b->rows, "[");
	/*
	 * Applied also when an earlier record was bad and it will all be
	 * undone: the database's own rules are tried only there, and what
	 * they refuse is said now rather than after the file is corrected.
	 */
	for (i = 0; i < b->n; i++) {
		pp = &b->rec[i];
		if ((k = check(&pp->req, pp->where, NULL, report, &pp->doc,
		    err, errlen)) == -1)
			return (-1);
		if (k == 1 || pp->bad) {
			free(pp->doc);
			pp->doc = NULL;
			run->bad++;
			continue;
		}
		buf_printf(&b->rows, "%s{\"n\":%lld,\"key\":", b->good++ > 0 ?
		    "," : "", pp->n);
		buf_json_str(&b->rows, pp->key);
		buf_printf(&b->rows, ",\"doc\":%s}", pp->doc);
	}
	buf_puts(&b->rows, "]");
	if (b->rows.oom) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	return (0);
}

/* A checked batch's good records sent to be published: 0, or -1. */
static int
send_batch(struct import_run *run, struct import_batch *b, char *err,
    size_t errlen)
{
	const char	*p[6];
	char		 months[16];

	if (b->good == 0)
		return (0);
	snprintf(months, sizeof(months), "%d", config.review_months);
	p[0] = run->o->source;
	p[1] = buf_cstr(&b->rows);
	p[2] = buf_cstr(&run->actor);
	p[3] = months;
	p[4] = run->o->on_change != NULL ? "true" : "false";
	p[5] = run->o->dry_run ? "true" : "false";
	if (db_send("imp_apply", 6, p) != DB_OK) {
		snprintf(err, errlen, "%s: %s", b->rec[0].where, db_errmsg());
		return (-1);
	}
	b->sent = 1;
	return (0);
}

/*
 * A sent batch's outcomes read, counted and said in the order read
 * (whichever way each went), then what checking the batch after it
 * reported; the batch emptied.  0, or -1 with err set.
 */
static int
finish_batch(struct import_run *run, struct import_batch *b, char *err,
    size_t errlen)
{
	struct db_result	*q = NULL;
	long long		(*order)[2] = NULL;
	size_t			 i;
	int			 nr, rc = -1;

	if (b->sent) {
		b->sent = 0;
		if (db_collect(&q) != DB_OK) {
			snprintf(err, errlen, "%s: %s", b->rec[0].where,
			    db_errmsg());
			goto out;
		}
		nr = db_rows(q);
		if ((order = calloc(nr > 0 ? nr : 1, sizeof(*order))) ==
		    NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		for (i = 0; i < (size_t)nr; i++) {
			order[i][0] = strtoll(db_value(q, i, IMP_N), NULL, 10);
			order[i][1] = (long long)i;
		}
		qsort(order, nr, sizeof(*order), by_n);
		for (i = 0; i < (size_t)nr; i++)
			if (outcome(run, b, q, (int)order[i][1], err,
			    errlen) == -1)
				goto out;
	}
	rc = 0;
out:
	free(order);
	db_free(q);
	batch_reset(b);
	return (rc);
}

/*
 * The batch being filled is full (or the run needs everything read so
 * far): its postcodes fetched, the batch before it sent, this one checked
 * while the database writes that one, whose outcomes are then said; this
 * one waits, checked, to be sent with the next.  0, or -1 with err set.
 */
static int
advance(struct import_run *run, char *err, size_t errlen)
{
	struct import_batch	*cur = run->batch[run->fill];
	struct import_batch	*prev = run->batch[!run->fill];
	FILE			*said = NULL;
	char			*text = NULL;
	size_t			 len = 0;
	int			 rc = -1;

	prefetch(cur);
	if (prev->n > 0 && send_batch(run, prev, err, errlen) == -1)
		goto out;
	if (prev->n > 0 && (said = open_memstream(&text, &len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (check_batch(run, cur, said != NULL ? said : run->report, err,
	    errlen) == -1)
		goto out;
	if (said != NULL) {
		if (fclose(said) != 0) {
			said = NULL;
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		said = NULL;
	}
	if (prev->n > 0 && finish_batch(run, prev, err, errlen) == -1)
		goto out;
	if (len > 0)
		fwrite(text, 1, len, run->report);
	run->fill = !run->fill;
	rc = 0;
out:
	if (said != NULL)
		fclose(said);
	free(text);
	return (rc);
}

/*
 * Every record read so far published and its outcome said: 0, or -1 with
 * err set.
 */
static int
flush(struct import_run *run, char *err, size_t errlen)
{
	struct import_batch	*last;

	if (run->batch[0] == NULL)
		return (0);
	if (run->batch[run->fill]->n > 0 && advance(run, err, errlen) == -1)
		return (-1);
	last = run->batch[!run->fill];
	if (last->n > 0 && (send_batch(run, last, err, errlen) == -1 ||
	    finish_batch(run, last, err, errlen) == -1))
		return (-1);
	return (0);
}

/* A record kept for its batch: 0, or -1 with err set. */
static int
pend(struct import_run *run, struct http_request *req, const char *where,
    long long n, const char *key, int bad, char *err, size_t errlen)
{
	struct import_batch	*b;
	struct import_pending	*p;
	size_t			 i;
	int			 k;

	for (k = 0; k < 2; k++)
		if (run->batch[k] == NULL) {
			if ((run->batch[k] = calloc(1,
			    sizeof(*run->batch[k]))) == NULL)
				goto oom;
			buf_init(&run->batch[k]->rows);
		}
	b = run->batch[run->fill];
	p = &b->rec[b->n];
	memset(p, 0, sizeof(*p));
	http_request_init(&p->req);
	p->req.method = req->method;
	p->n = n;
	p->bad = bad;
	b->n++;
	if ((p->where = strdup(where)) == NULL ||
	    (p->key = strdup(key)) == NULL)
		goto oom;
	for (i = 0; i < req->form.n; i++)
		if (http_kv_add(&p->req.form, req->form.v[i].key,
		    req->form.v[i].value) == -1)
			goto oom;
	if (b->n == IMPORT_BATCH)
		return (advance(run, err, errlen));
	return (0);
oom:
	snprintf(err, errlen, "%s: out of memory", where);
	return (-1);
}

int
import_record(struct import_run *run, struct http_request *req,
    const char *where, long long n, const char *key, int bad, char *err,
    size_t errlen)
{
	run->read++;
	/*
	 * Into an empty or small directory, the plans of listing_import's
	 * statements are made while the tables look empty and stay so as
	 * they fill: the cost of a row grew with the rows before it.  The
	 * statistics are renewed as the import grows (1 000, 10 000, 100 000
	 * rows), which makes the plans be made again.
	 */
	if (run->read == 1000 || run->read == 10000 ||
	    run->read == 100000) {
		if (flush(run, err, errlen) == -1)
			return (-1);
		if (db_exec("imp_analyze", 0, NULL, NULL) != DB_OK) {
			snprintf(err, errlen, "%s: %s", where, db_errmsg());
			return (-1);
		}
	}
	return (pend(run, req, where, n, key, bad, err, errlen));
}

int
import_withdraw_missing(struct import_run *run, const cJSON *seen, char *err,
    size_t errlen)
{
	struct db_result	*r = NULL;
	const char		*p[3];
	char			*keys;
	int			 i, k;

	if (flush(run, err, errlen) == -1)
		return (-1);
	if ((keys = cJSON_PrintUnformatted(seen)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	p[0] = run->o->source;
	p[1] = keys;
	p[2] = buf_cstr(&run->actor);
	k = db_exec("imp_withdraw", 3, p, &r);
	free(keys);
	if (k != DB_OK) {
		snprintf(err, errlen, "withdrawing what the feed no longer "
		    "has: %s", db_errmsg());
		return (-1);
	}
	for (i = 0; i < db_rows(r); i++) {
		buf_printf(&run->touched, "%s%s", run->touched.len > 1 ? "," :
		    "", db_value(r, i, 0));
		fprintf(run->done, "%s: %swithdrawn (no longer in the "
		    "feed): %s\n", run->what, run->o->dry_run ? "would be " :
		    "", db_value(r, i, 1));
		run->withdrawn++;
	}
	db_free(r);
	return (0);
}

/* The records' lines so far into the report, and the file emptied. */
static void
say_done(struct import_run *run)
{
	char	chunk[8192];
	size_t	n;

	fflush(run->done);
	rewind(run->done);
	while ((n = fread(chunk, 1, sizeof(chunk), run->done)) > 0)
		fwrite(chunk, 1, n, run->report);
	fflush(run->report);
	rewind(run->done);
	if (ftruncate(fileno(run->done), 0) == -1)
		log_warn("import: the report's temporary file: %s",
		    strerror(errno));
}

/* Derived data rebuilt for what was applied, and the commit. */
static int
commit(struct import_run *run, char *err, size_t errlen)
{
	const char	*p[1];

	p[0] = buf_cstr(&run->touched);
	if (run->touched.oom || ferror(run->done) ||
	    db_exec("imp_refresh", 1, p, NULL) != DB_OK) {
		snprintf(err, errlen, "%s", run->touched.oom ||
		    ferror(run->done) ? "the report's temporary file could not "
		    "be written" : db_errmsg());
		db_tx_rollback();
		return (-1);
	}
	if (db_tx_commit() != DB_OK) {
		snprintf(err, errlen, "the import could not be committed: %s",
		    db_errmsg());
		return (-1);
	}
	return (0);
}

int
import_checkpoint(struct import_run *run, char *err, size_t errlen)
{
	if (flush(run, err, errlen) == -1)
		return (-1);
	if (run->o->dry_run)
		return (0);
	if (run->bad > 0 && !run->o->skip_bad)
		return (1);
	buf_puts(&run->touched, "}");
	if (commit(run, err, errlen) == -1)
		return (-1);
	run->kept_added = run->added;
	run->kept_updated = run->updated;
	run->checkpoints++;
	/* Said as it goes: a long feed shows its progress. */
	say_done(run);
	buf_reset(&run->touched);
	buf_puts(&run->touched, "{");
	if (db_tx_begin() != DB_OK || db_exec("imp_bulk", 0, NULL, NULL) !=
	    DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		return (-1);
	}
	return (0);
}

int
import_end(struct import_run *run, char *err, size_t errlen)
{
	const struct import_opts	*o = run->o;
	int				 rc = -1;

	if (flush(run, err, errlen) == -1) {
		db_tx_rollback();
		goto out;
	}
	buf_puts(&run->touched, "}");
	if (o->bad_out != NULL)
		*o->bad_out = run->bad;
	if (run->bad > 0 && !o->skip_bad) {
		db_tx_rollback();
		if (run->checkpoints > 0)
			fprintf(run->report, "%s: %ld %s read, %ld not "
			    "importable (each reported above): the pages "
			    "before the first of them were imported (%ld "
			    "added, %ld updated), nothing from that page on; "
			    "correct them, or run with --skip-bad to import "
			    "the others\n", run->what, run->read, run->unit,
			    run->bad, run->kept_added, run->kept_updated);
		else
			fprintf(run->report, "%s: %ld %s read, %ld not "
			    "importable (each reported above): nothing was "
			    "imported; correct them, or run with --skip-bad to "
			    "import the others\n", run->what, run->read,
			    run->unit, run->bad);
		rc = 1;
		goto out;
	}
	say_done(run);
	fprintf(run->report, "%s: %ld %s read; %ld %s, %ld %s, %ld "
	    "unchanged, %ld not imported%s", run->what, run->read, run->unit,
	    run->added, o->dry_run ? "would be added" : "added", run->updated,
	    o->dry_run ? "would be updated" : "updated", run->unchanged,
	    run->bad, run->bad > 0 ? " (each reported above)" : "");
	if (run->superseded > 0)
		fprintf(run->report, ", %ld left out for a later one",
		    run->superseded);
	if (run->o->full)
		fprintf(run->report, ", %ld %s", run->withdrawn, o->dry_run ?
		    "would be withdrawn" : "withdrawn");
	fprintf(run->report, "\n");
	if (o->dry_run) {
		db_tx_rollback();
		fprintf(run->report, "%s: a dry run: nothing was changed\n",
		    run->what);
		rc = 0;
		goto out;
	}
	if (commit(run, err, errlen) == -1)
		goto out;
	rc = 0;
out:
	run_free(run);
	return (rc);
}

int
import_pages(const char *what, const char *url, const struct import_opts *o,
    FILE *report, import_pages_fn pages, void *arg, const cJSON *seen,
    char *err, size_t errlen)
{
	struct import_run	 run;
	size_t			 n;

	if (import_begin(&run, what, "services", url, o, report, err,
	    errlen) == -1)
		return (-1);
	if (pages(&run, arg, err, errlen) == -1) {
		if (run.checkpoints > 0) {
			n = strlen(err);
			snprintf(err + n, errlen - n, " (the %d page%s before "
			    "it %s imported; run it again to go on: %s will "
			    "be unchanged)", run.checkpoints,
			    run.checkpoints == 1 ? "" : "s",
			    run.checkpoints == 1 ? "was" : "were",
			    run.checkpoints == 1 ? "it" : "they");
		}
		goto fail;
	}
	if (o->full && import_withdraw_missing(&run, seen, err, errlen) == -1)
		goto fail;
	return (import_end(&run, err, errlen));
fail:
	import_abort(&run);
	return (-1);
}

/* The cells of a record, for the importers of JSON feeds. */

/* A member's text, or NULL when missing, not a string, or blank. */
const char *
import_json_str(const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);
	const char	*s;

	if (!cJSON_IsString(v) || (s = v->valuestring) == NULL)
		return (NULL);
	return (s[strspn(s, " \t\r\n")] == '\0' ? NULL : s);
}

/* A tag that starts a block: a line break around it. */
static int
block(const char *tag)
{
	static const char *const tags[] = { "p", "/p", "div", "/div", "ul",
	    "/ul", "ol", "/ol", NULL };
	size_t	i;

	for (i = 0; tags[i] != NULL; i++)
		if (strcmp(tag, tags[i]) == 0)
			return (1);
	if (tag[0] == '/')
		tag++;
	return (tag[0] == 'h' && isdigit((unsigned char)tag[1]));
}

/* A code point as UTF-8 (one of those import_text decodes). */
static void
utf8_put(struct buf *out, unsigned long cp)
{
	char	u[4];
	size_t	n = 0;

	if (cp < 0x80)
		u[n++] = (char)cp;
	else if (cp < 0x800) {
		u[n++] = (char)(0xc0 | cp >> 6);
		u[n++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		u[n++] = (char)(0xe0 | cp >> 12);
		u[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[n++] = (char)(0x80 | (cp & 0x3f));
	} else {
		u[n++] = (char)(0xf0 | cp >> 18);
		u[n++] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[n++] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[n++] = (char)(0x80 | (cp & 0x3f));
	}
	buf_append(out, u, n);
}

/*
 * HTML as plain text: tags dropped, <p>, <br>, <div> and headings a line
 * break, <li> a line starting "- ", the common entities and numeric ones
 * decoded, runs of spaces one space, no more than one blank line.
 */
void
import_text(struct buf *out, const char *html)
{
	const char	*p = html, *e;
	char		 tag[16];
	size_t		 n;
	unsigned long	 cp;
	/* nl 2: no line break before the first text. */
	int		 space = 0, nl = 2;

	static const struct {
		const char	*name, *text;
	} ents[] = {
		{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
		{ "apos", "'" }, { "nbsp", " " }, { "ndash", "\u2013" },
		{ "mdash", "\u2014" }, { "rsquo", "\u2019" },
		{ "lsquo", "\u2018" }, { "rdquo", "\u201d" },
		{ "ldquo", "\u201c" }, { "hellip", "\u2026" },
		{ "pound", "\u00a3" }, { NULL, NULL }
	};

	if (html == NULL)
		return;
	while (*p != '\0') {
		if (*p == '<') {
			/* A broken tag: the rest is not text. */
			if ((e = strchr(p, '>')) == NULL)
				break;
			for (n = 0, p++; p < e && n + 1 < sizeof(tag) &&
			    (isalnum((unsigned char)*p) || *p == '/'); p++)
				tag[n++] = (char)tolower((unsigned char)*p);
			/* <br/> is <br>. */
			while (n > 1 && tag[n - 1] == '/')
				n--;
			tag[n] = '\0';
			p = e + 1;
			if (strcmp(tag, "br") == 0) {
				if (nl < 2) {
					buf_puts(out, "\n");
					nl++;
				}
				space = 0;
			} else if (block(tag)) {
				while (nl < 2) {
					buf_puts(out, "\n");
					nl++;
				}
				space = 0;
			} else if (strcmp(tag, "li") == 0) {
				if (nl == 0)
					buf_puts(out, "\n");
				buf_puts(out, "- ");
				nl = 0;
				space = 0;
			}
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			space = 1;
			p++;
			continue;
		}
		if (space && nl == 0 && out->len > 0)
			buf_puts(out, " ");
		space = 0;
		nl = 0;
		if (*p == '&' && (e = strchr(p, ';')) != NULL && e - p <= 10) {
			size_t	 i;
			char	 name[12];

			snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1),
			    p + 1);
			if (name[0] == '#') {
				errno = 0;
				cp = strtoul(name + 1 + (name[1] == 'x' ||
				    name[1] == 'X'), NULL, name[1] == 'x' ||
				    name[1] == 'X' ? 16 : 10);
				if (errno == 0 && cp >= 0x20 &&
				    cp <= 0x10ffff && (cp < 0xd800 ||
				    cp > 0xdfff)) {
					utf8_put(out, cp);
					p = e + 1;
					continue;
				}
			} else
				for (i = 0; ents[i].name != NULL; i++)
					if (strcmp(name, ents[i].name) == 0) {
						buf_puts(out, ents[i].text);
						p = e + 1;
						break;
					}
			if (p == e + 1)
				continue;
		}
		buf_append(out, p, 1);
		p++;
	}
	/* No trailing blank lines or spaces. */
	while (out->len > 0 && (out->data[out->len - 1] == '\n' ||
	    out->data[out->len - 1] == ' '))
		out->data[--out->len] = '\0';
}

/* A cell put as a spreadsheet row's; what cannot be put is reported. */
void
import_put(struct http_request *req, const char *col, const char *v,
    FILE *report,
    const char *where, int *bad)
{
	char	err[256];

	if (v != NULL && listing_csv_put(req, col, v, err, sizeof(err)) ==
	    -1) {
		fprintf(report, "%s: %s\n", where, err);
		*bad = 1;
	}
}

void
import_put_text(struct http_request *req, const char *col, const char *html,
    FILE *report, const char *where, int *bad)
{
	struct buf	t;

	if (html == NULL)
		return;
	buf_init(&t);
	import_text(&t, html);
	import_put(req, col, t.len > 0 ? buf_cstr(&t) : NULL, report, where,
	    bad);
	buf_free(&t);
}

/* A feed's terms as our categories; the others reported. */
int
import_categories(struct http_request *req, const char *tl, FILE *report,
    const char *where, int *bad, char *err, size_t errlen)
{
	struct buf		 slugs, line;
	const char		*p, *e, *tab, *prm[2], *slug;
	int			 rc = -1;

	buf_init(&slugs);
	buf_init(&line);
	for (p = tl; *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			break;
		buf_reset(&line);
		buf_append(&line, p, (size_t)(e - p));
		if ((tab = strchr(buf_cstr(&line), '\t')) == NULL)
			continue;
		line.data[tab - line.data] = '\0';
		prm[0] = line.data;
		prm[1] = tab + 1;
		if (memo_lookup("imp_term", 2, prm, &slug) == -1) {
			snprintf(err, errlen, "%s: %s", where, db_errmsg());
			goto out;
		}
		if (slug != NULL)
			buf_printf(&slugs, "%s%s", slugs.len > 0 ? ";" : "",
			    slug);
		else
			fprintf(report, "%s: category '%s' is not one of ours: "
			    "left out\n", where, tab + 1);
	}
	if (slugs.len > 0)
		import_put(req, "categories", buf_cstr(&slugs), report, where,
		    bad);
	rc = 0;
out:
	buf_free(&slugs);
	buf_free(&line);
	return (rc);
}

int
import_areas(struct http_request *req, const char *lines, FILE *report,
    const char *where, int *bad, char *err, size_t errlen)
{
	struct buf		 codes, line;
	const char		*p, *e, *prm[3], *code;
	char			*t1, *t2;
	int			 rc = -1;

	buf_init(&codes);
	buf_init(&line);
	for (p = lines; *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			break;
		buf_reset(&line);
		buf_append(&line, p, (size_t)(e - p));
		if ((t1 = strchr(line.data, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL)
			continue;
		*t1++ = '\0';
		*t2++ = '\0';
		prm[0] = line.data;
		prm[1] = t1;
		prm[2] = t2;
		if (memo_lookup("imp_area", 3, prm, &code) == -1) {
			snprintf(err, errlen, "%s: %s", where, db_errmsg());
			goto out;
		}
		if (code != NULL) {
			if (strcmp(code, line.data) != 0)
				fprintf(report, "%s: area %s (%s) is today's "
				    "%s\n", where, line.data, t1, code);
			buf_printf(&codes, "%s%s", codes.len > 0 ? ";" : "",
			    code);
		} else
			fprintf(report, "%s: area %s (%s) is not one we know: "
			    "left out\n", where, line.data, t1);
	}
	if (codes.len > 0)
		import_put(req, "areas", buf_cstr(&codes), report, where, bad);
	rc = 0;
out:
	buf_free(&codes);
	buf_free(&line);
	return (rc);
}

/*
 * A feed's venue at a postcode we do not have: the listing is kept with
 * no venue, never placed at a wrong point, and so without the sessions
 * held there; said.  (A spreadsheet's is an error instead: its owner
 * typed it and can correct it.)  0, or -1 when the database failed.
 */
static int
venue_known(struct http_request *req, FILE *report, const char *where)
{
	struct postcode_info	 pc;
	const char		*v = http_kv_get(&req->form, "v1_postcode");
	char			 typed[64], *k;
	size_t			 i;
	int			 sessions = 0;

	if (v == NULL)
		return (0);
	switch (postcode_lookup(v, &pc)) {
	case POSTCODE_FOUND:
		if (pc.kind == POSTCODE_FULL)
			return (0);
		break;
	case POSTCODE_NOT_FOUND:
	case POSTCODE_MALFORMED:
		break;
	default:
		return (-1);
	}
	str_copy(typed, sizeof(typed), v);
	for (i = 0; i < req->form.n; i++) {
		k = req->form.v[i].key;
		if ((k[0] != 'v' && k[0] != 's') ||
		    !isdigit((unsigned char)k[1]) || k[2] != '_')
			continue;
		if (k[0] == 's' && strcmp(k + 3, "pattern") == 0)
			sessions++;
		req->form.v[i].value[0] = '\0';
	}
	fprintf(report, "%s: postcode '%s' is not one we know: kept with no "
	    "venue%s\n", where, typed, sessions > 0 ? ", and so without its "
	    "sessions" : "");
	return (0);
}

int
import_json_service(struct import_run *imp, const cJSON *svc, long long n,
    const char *prefix, import_map_fn map, cJSON *seen, char *err,
    size_t errlen)
{
	struct http_request	 req;
	struct buf		 terms, areas, key;
	const char		*id = import_json_str(svc, "id");
	char			 where[160];
	int			 bad, rc = -1;

	if (id != NULL)
		snprintf(where, sizeof(where), "service %lld (%.100s)", n, id);
	else
		snprintf(where, sizeof(where), "service %lld", n);
	if (!cJSON_IsObject(svc) || id == NULL) {
		fprintf(imp->report, "%s: %s: left out\n", where,
		    !cJSON_IsObject(svc) ? "not a JSON object" : "no id");
		imp->read++;
		imp->bad++;
		return (0);
	}
	http_request_init(&req);
	req.method = HTTP_POST;
	buf_init(&terms);
	buf_init(&areas);
	buf_init(&key);
	bad = map(svc, &req, &terms, &areas, imp->report, where);
	if (venue_known(&req, imp->report, where) == -1) {
		snprintf(err, errlen, "%s: %s", where, db_errmsg());
		goto out;
	}
	if (import_categories(&req, buf_cstr(&terms), imp->report, where,
	    &bad, err, errlen) == -1 || import_areas(&req, buf_cstr(&areas),
	    imp->report, where, &bad, err, errlen) == -1)
		goto out;
	buf_printf(&key, "%s%s", prefix, id);
	if (seen != NULL)
		cJSON_AddItemToArray(seen, cJSON_CreateString(buf_cstr(&key)));
	rc = import_record(imp, &req, where, n, buf_cstr(&key), bad, err,
	    errlen);
out:
	buf_free(&terms);
	buf_free(&areas);
	buf_free(&key);
	http_request_free(&req);
	return (rc);
}
