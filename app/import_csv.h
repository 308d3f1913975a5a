/*
 * import_csv: `signpost import csv FILE`, a spreadsheet of listings in the
 * template's columns (listing.c's table names them; the README documents
 * them), plain or gzipped.  PostgreSQL reads the CSV (COPY into a staging
 * table, the header checked against the template); each row goes through
 * the import run (import.c): the same form layer and listing checks as
 * /submit, listing_import() (sql/functions), all in one transaction.
 */
#ifndef IMPORT_CSV_H
#define IMPORT_CSV_H

#include <stdio.h>

struct import_opts;

/*
 * The template's columns in order: "id" (the source's own key, optional),
 * then listing.c's.  How many; the first max names go into out.
 */
size_t	import_csv_columns(const char **, size_t);
/*
 * Reports every row not imported on report, by line, and a summary.
 * 0 when the file was applied (or, in a dry run, would be); 1 when a row
 * was bad and nothing was applied; -1 with err set when the file could
 * not be read or the database failed (nothing changed).
 */
int	import_csv(const char *, const struct import_opts *, FILE *,
	    char *, size_t);
/* The same from text in memory (an upload), named name in messages. */
int	import_csv_text(const char *, size_t, const char *,
	    const struct import_opts *, FILE *, char *, size_t);

#endif
