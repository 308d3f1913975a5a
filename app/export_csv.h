/*
 * export_csv: every published listing in the CSV template, the reverse of
 * import_csv: what `signpost import csv` reads back into the same
 * listings.  One row per listing (its first venue), ordered by name and
 * id, so that an unchanged directory exports the same bytes.  For
 * /export/services.csv and `signpost export csv`.  Thread-safe.
 */
#ifndef EXPORT_CSV_H
#define EXPORT_CSV_H

#include "db.h"

struct buf;

void		export_csv_init(void);
/* The file: the template's header, then a row per published listing. */
enum db_status	export_csv_services(struct buf *);

#endif
