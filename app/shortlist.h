/*
 * shortlist: the services a worker is gathering to hand over.  Without
 * JavaScript it lives in the URL as ids=<uuid>,<uuid>,... (at most
 * SHORTLIST_MAX); this module parses and writes that list, renders the
 * add/remove button every result and detail page shows, keeps redirects
 * on this site, and sizes the SMS version.  Pure functions on the
 * caller's structs and buffers: thread-safe.
 */
#ifndef SHORTLIST_H
#define SHORTLIST_H

#include <stddef.h>

#include "buf.h"

struct http_request;

#define SHORTLIST_MAX		20
#define SHORTLIST_BAD_SHOWN	5	/* bad entries kept to report */
#define SHORTLIST_PATH_MAX	1024	/* longest back= path accepted */

struct shortlist {
	size_t	n;
	char	ids[SHORTLIST_MAX][37];	/* lower case, unique, in order */
	size_t	nbad;			/* entries that are not UUIDs */
	char	bad[SHORTLIST_BAD_SHOWN][48]; /* the first few, cut short */
	size_t	dropped;		/* valid ids beyond SHORTLIST_MAX */
};

void	shortlist_init(struct shortlist *);
/*
 * Parse "a,b,c" (NULL or "" is an empty list).  Upper-case UUIDs are
 * folded, duplicates and empty entries skipped, spaces around entries
 * trimmed.  Every usable id is kept; returns 0 when nothing was wrong,
 * -1 when some entry was not a UUID (nbad, bad) or there were more than
 * SHORTLIST_MAX (dropped), so the caller can say so.
 */
int	shortlist_parse(struct shortlist *, const char *);
/* The same for the request's ids parameter. */
int	shortlist_from_request(const struct http_request *,
	    struct shortlist *);
/* Index of id in the list, or -1. */
int	shortlist_find(const struct shortlist *, const char *);
/* 0, or -1 when the list is full or id is not a UUID.  Adding an id
 * that is there already is a success. */
int	shortlist_add(struct shortlist *, const char *);
/* 0, or -1 when id was not there. */
int	shortlist_remove(struct shortlist *, const char *);
/* "a,b,c" ("" for an empty list). */
void	shortlist_encode(const struct shortlist *, struct buf *);
/* PostgreSQL array literal "{a,b,c}" for a uuid[] parameter. */
void	shortlist_sql_array(const struct shortlist *, struct buf *);
/* A short human message about what shortlist_parse rejected. */
void	shortlist_problem(const struct shortlist *, struct buf *);

/*
 * For links and forms on every page, so the shortlist survives
 * navigation without JavaScript: sep ('?' or '&') then "ids=...", or
 * nothing when the request has no valid ids; and the same as a hidden
 * form field (HTML-escaped).
 */
void	shortlist_link_query(struct buf *, const struct http_request *, char);
void	shortlist_hidden_input(struct buf *, const struct http_request *);

/*
 * A small GET form to /shortlist/toggle: "Add to shortlist" or "Remove
 * from shortlist" (the accessible name adds the service name), carrying
 * the request's ids and its own path and query as back=, so that the
 * toggle comes back to the same page with the updated list.  The form
 * has id "sl-<service id>"; the redirect returns to that fragment.
 */
void	shortlist_button(struct buf *, const struct http_request *,
	    const char *, const char *);

/*
 * 1 if s is a path on this site that is safe to redirect to: starts
 * with one '/', not "//" or "/\", printable ASCII only (no spaces or
 * control characters, so no header splitting), at most
 * SHORTLIST_PATH_MAX bytes.
 */
int	shortlist_local_path(const char *);
/*
 * Location for going back: back's path, its query without any ids,
 * then ids=<list> (when not empty) and #sl-<focus> (when focus is not
 * NULL).  back must have passed shortlist_local_path.  0, or -1 when
 * back's query is malformed.
 */
int	shortlist_back_url(struct buf *, const char *,
	    const struct shortlist *, const char *);

/*
 * SMS.  A message is GSM-7 when every character is in the GSM 03.38
 * alphabet (the extension characters ^ { } \ [ ] ~ | and the euro sign
 * count twice): 160 septets in one part, 153 per part when
 * concatenated; otherwise UCS-2: 70 UTF-16 units, 67 per part.  An
 * escape pair or a surrogate pair is never split across parts.
 */
struct sms_size {
	size_t	chars;		/* septets (GSM-7) or UTF-16 units (UCS-2) */
	size_t	parts;		/* 0 for an empty text */
	int	unicode;	/* 1: needs UCS-2 */
};

void	shortlist_sms_size(const char *, struct sms_size *);
/*
 * Append s for an SMS on one line: typographic dashes, quotes, ellipsis
 * and no-break spaces become their GSM-7 look-alikes (so one en dash
 * does not halve the message length), and line breaks and tabs become
 * single spaces.
 */
void	shortlist_sms_clean(struct buf *, const char *);

struct shortlist_sms_item {
	const char	*name;
	const char	*when;		/* NULL or "" to leave the line out */
	const char	*where;
	const char	*phone;
};

/*
 * The compact text: per service its name, "When: ", "Where: ", "Tel: "
 * lines, services separated by a blank line.
 */
void	shortlist_sms_text(struct buf *, const struct shortlist_sms_item *,
	    size_t);

#endif
