/*
 * import: what every importer of listings shares, whatever the format it
 * reads (import_csv.c, import_oruk.c).  A run is one transaction.  Each
 * record arrives as the listing form's fields (put into a request, as if
 * the web form had sent them) and goes the way a submission goes: the
 * form layer's checks, a listing document, then with the next ones (a
 * batch) listing_import_batch() (sql/functions) under the record's key
 * within its source, the database's own rules tried in a subtransaction.
 * Every record not taken is reported with where it is and why; with any
 * (and no skip_bad), or in a dry run, nothing is kept.  Derived data is
 * rebuilt once, at the end.  Run from the command line or a worker, one
 * thread per run.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stdio.h>

#include "buf.h"

struct http_request;

struct import_opts {
	const char	*source;	/* whose data: the import's name */
	const char	*source_url;	/* its feed's address, or NULL */
	const char	*attribution;	/* what its licence asks us to say */
	int		 dry_run;	/* report, change nothing */
	int		 skip_bad;	/* apply the good records anyway */
	/*
	 * The file is the source's whole feed: its listings not in it are
	 * withdrawn (import_withdraw_missing).
	 */
	int		 full;
	long		*bad_out;	/* if not NULL: records not importable */
	/*
	 * If not NULL: called for each listing a record changes, with its
	 * number and its document before and after (JSON text).
	 */
	void		(*on_change)(void *, long long, const char *,
			    const char *);
	void		*change_arg;
};

struct import_batch;

struct import_run {
	const struct import_opts	*o;
	FILE				*report;
	const char			*what;	/* "import csv" */
	const char			*unit;	/* "rows" */
	struct buf			 actor, touched;
	FILE				*done;	/* records' report lines */
	long				 read, added, updated, unchanged, bad;
	long				 superseded, withdrawn;
	long				 kept_added, kept_updated;
	int				 checkpoints;
	/*
	 * Records waiting for their batch: checked and published a batch
	 * at a time (listing_import_batch), one batch filled while the one
	 * before it waits to be sent (import.c).
	 */
	struct import_batch		*batch[2];
	int				 fill;
};

void	import_init(void);
/*
 * A transaction for a run of what (its name in messages) from file
 * (its base name is credited in the history).  0, or -1 with err set.
 */
int	import_begin(struct import_run *, const char *, const char *,
	    const char *, const struct import_opts *, FILE *, char *,
	    size_t);
/*
 * One record: req's form holds the listing form's fields; where says
 * where it is in the file ("line 14"), n is its number for on_change,
 * key what the source knows it by; bad: the reader already found (and
 * reported) something wrong with it, so it is checked and reported but
 * never applied.  0 when taken or reported as bad, -1 with err set when
 * the database failed.
 */
int	import_record(struct import_run *, struct http_request *,
	    const char *, long long, const char *, int, char *, size_t);
/*
 * Commit what the run has applied so far (its derived data rebuilt) and
 * go on in a new transaction: a feed read page by page keeps the pages
 * before a failure, and a re-run finds them unchanged and goes on.  Does
 * nothing in a dry run.  0; 1 when a record was bad and skip_bad is off
 * (stop: import_end undoes the rest and says so); -1 with err set.
 */
int	import_checkpoint(struct import_run *, char *, size_t);
/*
 * The listings this source gave before whose keys are not in seen (a
 * JSON array of every key the run read) withdrawn, each said.  0, or -1
 * with err set.
 */
struct cJSON;
int	import_withdraw_missing(struct import_run *, const struct cJSON *,
	    char *, size_t);
/*
 * A whole run over a feed read from its address (url) page by page:
 * pages(run, arg, ...) reads them, committing each with
 * import_checkpoint; with o->full, what the source gave before and seen
 * (the keys the pages read) lacks is withdrawn; then import_end.  A page
 * that fails says how many before it were kept.  As import_end, or -1
 * with err set.
 */
typedef int	(*import_pages_fn)(struct import_run *, void *, char *,
		    size_t);
int	import_pages(const char *, const char *, const struct import_opts *,
	    FILE *, import_pages_fn, void *, const struct cJSON *, char *,
	    size_t);
/*
 * The summary; then commit (rebuilding derived data), or roll back in a
 * dry run or when a record was bad and skip_bad is off.  0 when applied
 * (or would be), 1 when a record was bad and nothing was applied, -1
 * with err set.
 */
int	import_end(struct import_run *, char *, size_t);
/* Undo everything (after a failure) and free the run. */
void	import_abort(struct import_run *);

/*
 * Helpers for the importers of JSON feeds (import_oruk.c,
 * import_aliss.c).  A member's text, NULL when missing, not a string or
 * blank.
 */
struct cJSON;
const char *import_json_str(const struct cJSON *, const char *);
/* HTML (or plain text) as plain text: paragraphs and list items kept. */
void	import_text(struct buf *, const char *);
/*
 * A cell put into req as a spreadsheet row's (listing_csv_put); one that
 * cannot be put is reported at where and *bad set.  _text: made plain
 * text first.
 */
void	import_put(struct http_request *, const char *, const char *, FILE *,
	    const char *, int *);
void	import_put_text(struct http_request *, const char *, const char *,
	    FILE *, const char *, int *);
/*
 * A feed's terms ("id-or-slug\tname\n" lines) as our categories' slugs in
 * the categories cell; the terms we do not have are reported and left
 * out.  0, or -1 with err set when the database failed.
 */
int	import_categories(struct http_request *, const char *, FILE *,
	    const char *, int *, char *, size_t);
/*
 * A feed's areas ("code\tname\tkind\n" lines, kind ours: council_area,
 * health_board, ward, country) into the areas cell: a code we have as
 * it is, an old one by its name (said), the others said and left out.
 * 0, or -1 with err set.
 */
int	import_areas(struct http_request *, const char *, FILE *, const char *,
	    int *, char *, size_t);

/*
 * One service of a JSON feed, numbered n: map puts its cells into the
 * request and its terms and areas lines (as above) into two buffers; the
 * key is prefix and its "id".  A service with no id, or not an object,
 * is said and counted bad.  The key is added to seen (a JSON array of
 * every key read) when seen is not NULL.  0, or -1 with err set.
 */
typedef int	(*import_map_fn)(const struct cJSON *, struct http_request *,
		    struct buf *, struct buf *, FILE *, const char *);
int	import_json_service(struct import_run *, const struct cJSON *,
	    long long, const char *, import_map_fn, struct cJSON *, char *,
	    size_t);

#endif
