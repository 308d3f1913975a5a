/*
 * The listings as files.  See page_export.h.
 */
#include "buf.h"
#include "db.h"
#include "export_csv.h"
#include "http.h"
#include "page_export.h"
#include "reply.h"

void
page_export_services_csv(struct http_request *req)
{
	struct buf	out;
	enum db_status	st;

	buf_init(&out);
	if ((st = export_csv_services(&out)) != DB_OK)
		reply_db_error(req, st);
	else
		reply_export(req, "text/csv; charset=utf-8", "services.csv",
		    out.data, out.len);
	buf_free(&out);
}
