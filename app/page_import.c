/*
 * The administrators' import pages.  See page_import.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "http.h"
#include "import.h"
#include "import_csv.h"
#include "listing.h"
#include "log.h"
#include "page.h"
#include "page_import.h"
#include "reply.h"

#define LINES_PER_PAGE	50

static const struct db_stmt stmts[] = {
	{ "imp_upload_insert",
	  "INSERT INTO import_upload (source, body, dry_report, bad_rows,"
	  " created_by, dry_changes) VALUES ($1, $2, $3, $4::int, $5,"
	  " $6::jsonb) RETURNING id" },
	{ "imp_upload_get",
	  "SELECT u.source, u.dry_report, u.bad_rows,"
	  " to_char(u.created_at, 'YYYY-MM-DD HH24:MI'), c.email,"
	  " to_char(u.applied_at, 'YYYY-MM-DD HH24:MI'), a.email,"
	  " u.applied_report, jsonb_array_length(u.dry_changes),"
	  " (SELECT jsonb_agg(c) FROM (SELECT c FROM"
	  "   jsonb_array_elements(u.dry_changes) c"
	  "   OFFSET $2::int LIMIT $3::int) x)::text"
	  " FROM import_upload u LEFT JOIN app_user c ON c.id = u.created_by"
	  " LEFT JOIN app_user a ON a.id = u.applied_by WHERE u.id = $1" },
	{ "imp_upload_recent",
	  "SELECT id, source, to_char(created_at, 'YYYY-MM-DD HH24:MI'),"
	  " applied_at IS NOT NULL FROM import_upload"
	  " ORDER BY created_at DESC LIMIT 10" },
	/* The first apply claims the upload; a second finds it taken. */
	{ "imp_upload_claim",
	  "UPDATE import_upload SET applied_at = now(), applied_by = $2"
	  " WHERE id = $1 AND applied_at IS NULL RETURNING source, body" },
	{ "imp_upload_release",
	  "UPDATE import_upload SET applied_at = NULL, applied_by = NULL"
	  " WHERE id = $1" },
	{ "imp_upload_done",
	  "UPDATE import_upload SET applied_report = $2 WHERE id = $1" },
};

static const struct form_field fields[] = {
	{ .name = "file", .label = "The spreadsheet, as CSV",
	  .hint = "In the template's columns (see the example and the "
	  "column list in the README). Up to 1 MB here; a larger file "
	  "goes in with <code>signpost import csv</code>.",
	  .kind = FORM_FILE, .required = 1, .max = 1 << 20,
	  .required_msg = "Choose a CSV file to upload" },
	{ .name = "source", .label = "Where the listings come from",
	  .hint = "A short name, like &ldquo;Glasgow Links 2026&rdquo;. "
	  "Importing again under the same name updates the listings it "
	  "made.", .kind = FORM_TEXT, .required = 1, .max = 200,
	  .required_msg = "Say where the listings come from" },
};

#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

void
page_import_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static void
frame(struct http_request *req, const char *title)
{
	struct buf	*b = &req->resp;

	page_begin(req, title, PAGE_NOINDEX);
	buf_puts(b, "<p><a href=\"/admin\">Back to the queue</a></p>\n");
	http_header_set(req, "Cache-Control", "no-store");
}

static void
form_page(struct http_request *req, struct form *f, int status)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	int			 i;

	frame(req, f->nerr > 0 ? "Error: Import listings" :
	    "Import listings");
	form_summary(b, f);
	buf_puts(b, "<h1>Import listings from a spreadsheet</h1>\n"
	    "<p>First you see what the file would do: the listings it would "
	    "add and change, and every row that has a problem, with its "
	    "line. Nothing changes until you apply it.</p>\n"
	    "<form method=\"post\" action=\"/admin/import\" "
	    "enctype=\"multipart/form-data\" novalidate>\n");
	form_csrf_input(b, req);
	form_field(b, f, "file");
	form_field(b, f, "source");
	buf_puts(b, "<button type=\"submit\" class=\"button\">Check the "
	    "file</button>\n</form>\n");
	if (db_exec("imp_upload_recent", 0, NULL, &r) == DB_OK &&
	    db_rows(r) > 0) {
		buf_puts(b, "<h2>Recent uploads</h2>\n<ul>");
		for (i = 0; i < db_rows(r); i++) {
			buf_puts(b, "<li><a href=\"/admin/import/");
			buf_url(b, db_value(r, i, 0));
			buf_puts(b, "\">");
			buf_html(b, db_value(r, i, 1));
			buf_puts(b, ", ");
			buf_html(b, db_value(r, i, 2));
			buf_puts(b, "</a>");
			buf_puts(b, db_bool(r, i, 3) == 1 ? " (applied)" :
			    " (not applied)");
			buf_puts(b, "</li>");
		}
		buf_puts(b, "</ul>\n");
	}
	db_free(r);
	page_end(req, 0);
	page_send(req, status);
}

void
page_import_form(struct http_request *req)
{
	struct form	f;

	form_init(&f, fields, NFIELDS);
	form_set(&f, "source", "upload");
	form_page(req, &f, 200);
	form_free(&f);
}

/* A dry run's changes, kept as {line, before, after} for the page. */
static void
keep_change(void *arg, long long line, const char *before, const char *after)
{
	cJSON	*a = arg, *o;

	if ((o = cJSON_CreateObject()) == NULL)
		return;
	cJSON_AddNumberToObject(o, "line", (double)line);
	cJSON_AddItemToObject(o, "before", cJSON_Parse(before));
	cJSON_AddItemToObject(o, "after", cJSON_Parse(after));
	cJSON_AddItemToArray(a, o);
}

/* The report of an import run, and its counts, in memory. */
static int
run_import(const char *body, const char *source, int dry,
    const char *who, char **report, long *bad, cJSON *changes, char *err,
    size_t errlen)
{
	struct import_opts	 o;
	FILE			*rep;
	size_t			 len;
	char			 name[300];
	int			 rc;

	memset(&o, 0, sizeof(o));
	o.source = source;
	o.dry_run = dry;
	/* Here the good rows go in with the bad ones shown beside them. */
	o.skip_bad = 1;
	o.bad_out = bad;
	if (changes != NULL) {
		o.on_change = keep_change;
		o.change_arg = changes;
	}
	*report = NULL;
	if ((rep = open_memstream(report, &len)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	snprintf(name, sizeof(name), "an upload by %s", who);
	rc = import_csv_text(body, strlen(body), name, &o, rep, err, errlen);
	fclose(rep);
	return (rc);
}

void
page_import_upload(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct form		 f;
	struct buf		 loc;
	const char		*p[6];
	char			*report = NULL, *ch = NULL, err[1024], nbad[24];
	long			 bad = 0;
	cJSON			*changes;
	enum db_status		 st;

	form_init(&f, fields, NFIELDS);
	buf_init(&loc);
	changes = cJSON_CreateArray();
	if (form_read(&f, req) > 0) {
		form_page(req, &f, 400);
		goto out;
	}
	if (run_import(form_value(&f, "file"), form_value(&f, "source"), 1,
	    req->user_email, &report, &bad, changes, err, sizeof(err)) ==
	    -1) {
		/* The file itself is wrong (its header, its encoding). */
		form_error(&f, "file", err);
		form_page(req, &f, 400);
		goto out;
	}
	snprintf(nbad, sizeof(nbad), "%ld", bad);
	p[0] = form_value(&f, "source");
	p[1] = form_value(&f, "file");
	p[2] = report != NULL ? report : "";
	p[3] = nbad;
	p[4] = req->user_id;
	p[5] = (ch = cJSON_PrintUnformatted(changes)) != NULL ? ch : "[]";
	if ((st = db_exec("imp_upload_insert", 6, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	buf_puts(&loc, "/admin/import/");
	buf_url(&loc, db_value(r, 0, 0));
	http_redirect(req, 303, buf_cstr(&loc));
out:
	free(report);
	cJSON_free(ch);
	cJSON_Delete(changes);
	db_free(r);
	buf_free(&loc);
	form_free(&f);
}

static void
page_link(struct buf *b, const char *id, int page, const char *label)
{
	buf_puts(b, " <a href=\"/admin/import/");
	buf_url(b, id);
	buf_printf(b, "?page=%d\">%s</a>", page, label);
}

/* A report's lines, 50 a page: rows first, the summary last. */
static void
report_html(struct buf *b, const char *report, int page, const char *id)
{
	const char	*p, *e;
	int		 n = 0, total = 0, pages;

	for (p = report; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if (strncmp(p, "import csv: ", 12) == 0) {
			/* The summary: "import csv: " is the command's. */
			char	*t = strndup(p + 12, (size_t)(e - p - 12));

			buf_puts(b, "<p class=\"notice\">");
			buf_html(b, t != NULL ? t : "");
			buf_puts(b, "</p>\n");
			free(t);
		} else if (e > p)
			total++;
	}
	pages = total > 0 ? (total + LINES_PER_PAGE - 1) / LINES_PER_PAGE : 1;
	if (page > pages)
		page = pages;
	if (total == 0)
		return;
	buf_puts(b, "<ol class=\"report\">");
	for (p = report; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		char	*t;

		e = p + strcspn(p, "\n");
		if (e == p || strncmp(p, "import csv:", 11) == 0)
			continue;
		n++;
		if (n <= (page - 1) * LINES_PER_PAGE ||
		    n > page * LINES_PER_PAGE)
			continue;
		if ((t = strndup(p, (size_t)(e - p))) == NULL)
			continue;
		buf_puts(b, strstr(t, ": added:") != NULL ||
		    strstr(t, ": updated:") != NULL ||
		    strstr(t, ": unchanged:") != NULL ||
		    strstr(t, "would be ") != NULL ? "<li>" :
		    "<li class=\"error-row\">");
		buf_html(b, t);
		buf_puts(b, "</li>");
		free(t);
	}
	buf_puts(b, "</ol>\n");
	if (pages > 1) {
		buf_printf(b, "<nav aria-label=\"Report pages\"><p>Page %d of "
		    "%d.", page, pages);
		if (page > 1)
			page_link(b, id, page - 1, "Previous");
		if (page < pages)
			page_link(b, id, page + 1, "Next");
		buf_puts(b, "</p></nav>\n");
	}
}

/* The listings this page of the dry run would change, field by field. */
static void
changes_html(struct buf *b, const char *json, const char *total)
{
	cJSON		*a, *c;
	char		*before, *after;

	if ((a = cJSON_Parse(json)) == NULL || cJSON_GetArraySize(a) == 0) {
		cJSON_Delete(a);
		return;
	}
	buf_puts(b, "<h2>The listings it would change</h2>\n<p>");
	buf_html(b, total);
	buf_puts(b, " in all; these, field by field:</p>\n");
	cJSON_ArrayForEach(c, a) {
		before = cJSON_PrintUnformatted(cJSON_GetObjectItem(c,
		    "before"));
		after = cJSON_PrintUnformatted(cJSON_GetObjectItem(c, "after"));
		buf_printf(b, "<h3>Line %d</h3>\n", (int)cJSON_GetNumberValue(
		    cJSON_GetObjectItem(c, "line")));
		if (before != NULL && after != NULL)
			(void)listing_diff_html(b, before, after);
		cJSON_free(before);
		cJSON_free(after);
	}
	cJSON_Delete(a);
}

void
page_import_show(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	const char		*id = http_route_param(req, "id"), *p[3];
	char			 off[24], lim[16];
	long long		 page = 1;
	enum db_status		 st;

	if (!http_is_uuid(id)) {
		reply_error(req, 404, "There is no such upload.");
		return;
	}
	if (http_param_int(req, "page", 1, 100000, &page) == HTTP_PARAM_BAD)
		page = 1;
	snprintf(off, sizeof(off), "%lld", (page - 1) * LINES_PER_PAGE);
	snprintf(lim, sizeof(lim), "%d", LINES_PER_PAGE);
	p[0] = id;
	p[1] = off;
	p[2] = lim;
	if ((st = db_exec("imp_upload_get", 3, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		return;
	}
	if (db_rows(r) == 0) {
		db_free(r);
		reply_error(req, 404, "There is no such upload.");
		return;
	}
	frame(req, "Import: what the file does");
	buf_puts(b, "<h1>Import from &ldquo;");
	buf_html(b, db_value(r, 0, 0));
	buf_puts(b, "&rdquo;</h1>\n<p>Uploaded ");
	buf_html(b, db_value(r, 0, 3));
	if (!db_isnull(r, 0, 4)) {
		buf_puts(b, " by ");
		buf_html(b, db_value(r, 0, 4));
	}
	buf_puts(b, ".</p>\n");
	if (!db_isnull(r, 0, 5)) {
		buf_puts(b, "<h2>Applied</h2>\n<p>Applied ");
		buf_html(b, db_value(r, 0, 5));
		if (!db_isnull(r, 0, 6)) {
			buf_puts(b, " by ");
			buf_html(b, db_value(r, 0, 6));
		}
		buf_puts(b, ".</p>\n");
		report_html(b, db_isnull(r, 0, 7) ? "" : db_value(r, 0, 7),
		    (int)page, id);
	} else {
		buf_puts(b, "<h2>What it would do</h2>\n");
		report_html(b, db_value(r, 0, 1), (int)page, id);
		if (!db_isnull(r, 0, 9))
			changes_html(b, db_value(r, 0, 9), db_value(r, 0, 8));
		buf_puts(b, "<form method=\"post\" action=\"/admin/import/");
		buf_url(b, id);
		buf_puts(b, "/apply\">");
		form_csrf_input(b, req);
		buf_printf(b, "<button type=\"submit\" class=\"button\">%s"
		    "</button></form>\n", strcmp(db_value(r, 0, 2), "0") != 0 ?
		    "Apply the rows without problems" : "Apply this import");
	}
	db_free(r);
	page_end(req, 0);
	page_send(req, 200);
}

void
page_import_apply(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct buf		 loc;
	const char		*id = http_route_param(req, "id"), *p[2];
	char			*report = NULL, err[1024];
	long			 bad = 0;
	enum db_status		 st;

	buf_init(&loc);
	if (!http_is_uuid(id)) {
		reply_error(req, 404, "There is no such upload.");
		return;
	}
	p[0] = id;
	p[1] = req->user_id;
	if ((st = db_exec("imp_upload_claim", 2, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(r) == 0) {
		reply_error(req, 409, "This upload has been applied already "
		    "(or does not exist): it is not applied twice. Upload the "
		    "file again to import it again.");
		goto out;
	}
	if (run_import(db_value(r, 0, 1), db_value(r, 0, 0), 0,
	    req->user_email, &report, &bad, NULL, err, sizeof(err)) == -1) {
		/* Nothing was applied: the upload may be tried again. */
		(void)db_exec("imp_upload_release", 1, p, NULL);
		log_warn("import: upload %s: %s", id, err);
		reply_error(req, 500, "The import could not be applied; "
		    "nothing was changed. Try again in a moment.");
		goto out;
	}
	p[1] = report != NULL ? report : "";
	if ((st = db_exec("imp_upload_done", 2, p, NULL)) != DB_OK)
		log_warn("import: upload %s applied, its report not kept: %s",
		    id, db_errmsg());
	buf_puts(&loc, "/admin/import/");
	buf_url(&loc, id);
	http_redirect(req, 303, buf_cstr(&loc));
out:
	free(report);
	db_free(r);
	buf_free(&loc);
}
