/*
 * import_postcodes: `signpost import postcodes FILE`, OS Code-Point Open
 * (plain or gzipped CSV) through COPY into a staging table; positions
 * are converted to WGS84 with PROJ and the postcode table is replaced in
 * one transaction, so a failed import leaves the old data in place.
 * Sectors and districts are rebuilt from it.  Run from the command line,
 * one thread.
 */
#ifndef IMPORT_POSTCODES_H
#define IMPORT_POSTCODES_H

#include <stddef.h>

void	import_postcodes_init(void);
/* 0, or -1 with err set (nothing changed). */
int	import_postcodes(const char *, char *, size_t);
/*
 * Latitude and longitude for sectors and districts that have none (rows
 * from before sql/010): PROJ, which SQL cannot call.  How many, or -1.
 */
int	import_postcodes_fill_latlon(char *, size_t);

#endif
