/*
 * import_practices: GP practices, the areas asset mapping is drawn around.
 * `signpost import practices FILE` loads an NHS ODS practice list
 * (scotprac.csv's twelve columns) or the four-column template
 * (code,name,address,postcode), plain or gzipped, through COPY into a
 * staging table; sql/015_practice.sql's practice_import() validates and
 * upserts it in one transaction and reports every line that was not
 * imported, with its reason.  Re-importing updates, never duplicates.
 */
#ifndef IMPORT_PRACTICES_H
#define IMPORT_PRACTICES_H

#include <stdio.h>

/*
 * 0 when the file was applied (rows it could not use are reported on
 * report, by line), -1 with err set when nothing was changed.
 */
int	import_practices(const char *, FILE *, char *, size_t);

#endif
