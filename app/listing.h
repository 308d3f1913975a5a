/*
 * listing: a whole listing as people edit it.  One table, a row per
 * field, serves /submit, the group's edit link and the moderators' edit
 * page; a checked form becomes the listing document of sql/011 (JSON
 * text) and a document becomes a form again.  It also draws a document
 * as it will appear and the field-by-field differences between two
 * documents, and puts a CHECK violation's message on its field: all from
 * the same table.  Thread-safe.
 */
#ifndef LISTING_H
#define LISTING_H

#include "buf.h"
#include "db.h"
#include "form.h"

struct http_request;

#define LISTING_VENUES		2
#define LISTING_SESSIONS	4

void	listing_init(void);
void	listing_form_init(struct form *);
/* The same fields for an import: the group's own e-mail may be empty. */
void	listing_form_init_import(struct form *);

/*
 * The CSV template (import_csv.c): its columns in order (how many; the
 * first max names into out), the column a form field comes from (NULL:
 * none), and one cell of a row put into a request's form as the web form
 * would send it (lists split at ";", yes/no as yes, no, true, false, 1,
 * 0, days as MO or Monday).  0, or -1 with err set.
 */
size_t	listing_csv_columns(const char **, size_t);
const char *listing_csv_column_of(const char *);
/* 1 when an import's file must have the column (its rows need it). */
int	listing_csv_required(const char *);
int	listing_csv_put(struct http_request *, const char *, const char *,
	    char *, size_t);
/*
 * A document as the cells of its template row (all but "id", which the
 * caller writes first), ending the line: what listing_csv_put reads back
 * into the same document.  Its first venue only; no contact e-mail (not
 * published).  0, or -1 if the document is not valid.
 */
int	listing_csv_row(struct buf *, const char *);

/*
 * Read and check a posted listing: every field's own limits, then what
 * ties fields together (ages, times, venues known to our postcode table,
 * walk details for a walking group, the organisation picked or new).
 * Errors go into the form; the status is the database's.
 */
enum db_status	listing_form_check(struct form *, struct http_request *);
/* A checked form as a listing document; NULL when out of memory. */
char	*listing_form_document(const struct form *);
/* A stored document into the form, for editing.  0 or -1. */
int	 listing_form_load(struct form *, const char *);
/* Every field, in sections with headings (no <form> element). */
void	 listing_form_html(struct buf *, const struct form *);
/* After a CHECK violation: put its message on the field it is about. */
void	 listing_form_constraint(struct form *, const char *);

/* A document read-only, the way its service page will show it. */
void	 listing_document_html(struct buf *, const char *);
/*
 * The fields that differ between two documents (before may be NULL: all
 * of after is new) as a table with a row per field: name, before, after.
 * Returns the number of differences, or -1 if a document is not valid.
 */
int	 listing_diff_html(struct buf *, const char *, const char *);
/* The name and a contact e-mail of a document, for lists; NULL if none. */
const char *listing_document_name(const char *, char *, size_t);
/*
 * A rule's days as a session holds them: "2MO,2WE" is the week they
 * share ("2"; "-1" for the last, "" for every week) and the days
 * ("MO,WE").  -1 when they share none ("1MO,3WE") or are not days.
 */
int	listing_byday_split(const char *, char *, size_t, char *, size_t);
/* The venues' postcodes in a request's form (at most max): how many. */
size_t	listing_venue_postcodes(const struct http_request *, const char **,
	    size_t);

#endif
