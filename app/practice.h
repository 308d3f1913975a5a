/*
 * practice: GP practices, the areas asset mapping is drawn around.
 * `signpost import practices FILE` loads an NHS ODS practice list
 * (scotprac.csv's twelve columns) or the four-column template
 * (code,name,address,postcode), plain or gzipped, through COPY into a
 * staging table; sql/015_practice.sql's practice_import() validates and
 * upserts it in one transaction and reports every line that was not
 * imported, with its reason.  Re-importing updates, never duplicates.
 */
#ifndef PRACTICE_H
#define PRACTICE_H

#include <stdio.h>

/*
 * 0 when the file was applied (rows it could not use are reported on
 * report, by line), -1 with err set when nothing was changed.
 */
int	practice_import(const char *, FILE *, char *, size_t);

#endif
