/*
 * import_oruk: `signpost import oruk FILE|URL`, the services of an Open
 * Referral UK 3.0 (HSDS 3.0) feed as a publisher serves them: read from
 * its address page by page (libcurl, through net.c), or a saved
 * /services page ({"contents": [...]}), a JSON array of services, one
 * service, or NDJSON (one service a line, read a line at a time), plain
 * or gzipped.  Each service is mapped onto the listing template's
 * columns (its own id the key, so a re-run updates instead of adding) and
 * goes through the import run (import.c) like a spreadsheet row.  What
 * real feeds get wrong is coped with and said: HTML in descriptions
 * (made plain text), empty strings for nulls, no location or no postcode
 * (kept with no venue), more locations or sessions than a listing holds,
 * categories we do not have.  Run from the command line, one thread.
 */
#ifndef IMPORT_ORUK_H
#define IMPORT_ORUK_H

#include <stddef.h>
#include <stdio.h>

struct buf;
struct http_request;
struct import_opts;

/*
 * As import_csv: every service not imported reported, then a summary.
 * 0 applied (or would be), 1 a service was bad and nothing was applied,
 * -1 with err set.
 */
int	import_oruk(const char *, const struct import_opts *, FILE *, char *,
	    size_t);
/*
 * The same from a feed's address (its /services, any query it needs
 * such as per_page), read page by page; since, when not NULL, asks only
 * for what changed after it (modified_after).
 */
int	import_oruk_url(const char *, const char *, const struct import_opts *,
	    FILE *, char *, size_t);
/*
 * One service (JSON text) into req's form as the template's columns,
 * without the database (categories are left to the caller): what the
 * fuzzer reaches.  Problems are reported with where.  0, or 1 when the
 * service cannot be a listing at all.
 */
int	import_oruk_map(const char *, size_t, struct http_request *, FILE *,
	    const char *);

#endif
