/*
 * The listings as a spreadsheet.  See export_csv.h.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "export_csv.h"
#include "import_csv.h"
#include "listing.h"
#include "log.h"

static const struct db_stmt stmts[] = {
	/*
	 * The id a listing is known by: the one its source gave it when it
	 * came from an import with ids (so an export imported elsewhere and
	 * exported again is the same file), else its own.
	 */
	{ "exp_services",
	  "SELECT coalesce((SELECT substr(k.key, 4) FROM import_key k"
	  "   WHERE k.service_id = s.id AND k.key LIKE 'id:%'"
	  "   ORDER BY k.imported_at DESC, k.source LIMIT 1), s.id::text)"
	  "   AS known,"
	  " listing_document(s.id)::text"
	  " FROM service s WHERE s.status = 'active'"
	  " ORDER BY lower(s.name), known" },
};

void
export_csv_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

enum db_status
export_csv_services(struct buf *out)
{
	struct db_result	*r = NULL;
	const char		*cols[200];
	size_t			 i, n;
	int			 row;
	enum db_status		 st;

	if ((st = db_exec("exp_services", 0, NULL, &r)) != DB_OK)
		return (st);
	n = import_csv_columns(cols, 200);
	for (i = 0; i < n && i < 200; i++)
		buf_printf(out, "%s%s", i > 0 ? "," : "", cols[i]);
	buf_puts(out, "\r\n");
	for (row = 0; row < db_rows(r); row++) {
		buf_csv_field(out, db_value(r, row, 0), 0);
		if (listing_csv_row(out, db_value(r, row, 1)) == -1) {
			log_warn("export: listing %s has no valid document",
			    db_value(r, row, 0));
			st = DB_ERROR;
			break;
		}
	}
	db_free(r);
	return (out->oom && st == DB_OK ? DB_ERROR : st);
}
