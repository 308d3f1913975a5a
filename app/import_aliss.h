/*
 * import_aliss: `signpost import aliss FILE|URL`, services from ALISS (A
 * Local Information System for Scotland) as its API gives them: a v4
 * search response ({"data": [...]}), a service's detail ({"data":
 * {...}}), a v3 search ({"results": [...]}), or a JSON array of services;
 * plain or gzipped; or read from the API's address page by page.  Each
 * service becomes the template's cells and goes through the import run
 * (import.c) like a spreadsheet row, keyed by its ALISS id.
 * ALISS's categories are ours (sql/004 is its tree), matched by slug.
 * Every listing imported carries ALISS's licence, CC BY 4.0, in its
 * source's attribution, which its page shows.  Command line, one thread.
 */
#ifndef IMPORT_ALISS_H
#define IMPORT_ALISS_H

#include <stddef.h>
#include <stdio.h>

struct buf;
struct http_request;
struct import_opts;

/* As import_oruk: 0 applied (or would be), 1 bad and nothing applied,
 * -1 with err set. */
int	import_aliss(const char *, const struct import_opts *, FILE *, char *,
	    size_t);
/*
 * The same from the API's address (an http:// or https:// URL of a v4
 * search or import page), following each page's "next" link to the end,
 * one transaction a page.  Withdraws what it lacks only with full (a
 * search's pages are not all of ALISS).
 */
int	import_aliss_url(const char *, const struct import_opts *, FILE *,
	    char *, size_t);
/*
 * One service (JSON text) into req's form, its categories and service
 * areas into terms and areas (the caller's to match, import.h), with no
 * database: what the fuzzer reaches.  0, or 1 when it cannot be a
 * listing at all.
 */
int	import_aliss_map(const char *, size_t, struct http_request *,
	    struct buf *, struct buf *, FILE *, const char *);

#define ALISS_URL		"https://www.aliss.org/"
#define ALISS_ATTRIBUTION	"Contains data from ALISS (aliss.org), " \
				"licensed under CC BY 4.0"

#endif
