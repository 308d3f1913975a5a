/*
 * The moderators' pages.  What is published and when is decided in SQL
 * (listing_publish, listing_restore in sql/011) under row locks; these
 * pages draw the items, carry the versions the moderator saw, and turn
 * the functions' SQLSTATEs into pages that say what happened:
 *   SP409  the item was decided or edited by someone else first
 *   SP412  the published listing changed since the update was made from
 *          it (or since the history page was loaded)
 *   22xxx, 23xxx  the listing breaks a rule of the schema: nothing is
 *          published, and the rule is named on the item page
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "http.h"
#include "listing.h"
#include "log.h"
#include "notify.h"
#include "outbox.h"
#include "page.h"
#include "page_admin.h"
#include "reply.h"

#define QUEUE_PAGE	50
#define QUEUE_MAX_PAGE	100000
#define REASON_MAX	2000	/* characters; sql/011 says the same */
#define HISTORY_MAX	200
#define NAME_MAX_LEN	256

static const struct db_stmt stmts[] = {
	/* One pass over each partial index. */
	{ "adm_counts",
	  "SELECT count(*) FILTER (WHERE kind = 'new'),"
	  " count(*) FILTER (WHERE kind = 'update'),"
	  " (SELECT count(*) FROM problem_report WHERE status = 'open')"
	  " FROM submission WHERE status = 'pending'" },
	/*
	 * The page of the queue first (ids only, merged from the two
	 * partial indexes on created_at), then the documents of those
	 * fifty rows only: rows skipped by OFFSET are never detoasted.
	 */
	{ "adm_queue",
	  "WITH q AS (SELECT kind, id, created_at FROM ("
	  "  (SELECT kind, id, created_at FROM submission"
	  "   WHERE status = 'pending' ORDER BY created_at)"
	  "  UNION ALL"
	  "  (SELECT 'report', id, created_at FROM problem_report"
	  "   WHERE status = 'open' ORDER BY created_at)) u"
	  " ORDER BY created_at, id LIMIT $2::int OFFSET $1::int)"
	  " SELECT q.kind, q.id,"
	  " to_char(q.created_at, 'YYYY-MM-DD HH24:MI'),"
	  " s.document::text, sv.name, r.problem"
	  " FROM q"
	  " LEFT JOIN submission s ON s.id = q.id AND q.kind <> 'report'"
	  " LEFT JOIN problem_report r ON r.id = q.id AND q.kind = 'report'"
	  " LEFT JOIN service sv ON sv.id = r.service_id"
	  " ORDER BY q.created_at, q.id" },
	{ "adm_sub_get",
	  "SELECT s.id, s.kind, s.service_id, s.document::text,"
	  " s.base_version, s.version, s.status, s.reason,"
	  " to_char(s.created_at, 'YYYY-MM-DD HH24:MI'),"
	  " to_char(s.decided_at, 'YYYY-MM-DD HH24:MI'), u.email,"
	  " sv.version,"
	  " CASE WHEN s.kind = 'update' AND sv.id IS NOT NULL"
	  "   THEN listing_document(s.service_id)::text END,"
	  /*
	   * What approving publishes: an organisation named by its id
	   * stays as it is listed, whatever the group typed about it.
	   */
	  " coalesce(jsonb_set(s.document, '{organization}',"
	  "   organization_document(CASE WHEN s.document->'organization'"
	  "   ->>'id' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
	  "[0-9a-f]{12}$' THEN (s.document->'organization'->>'id')::uuid"
	  "   END)), s.document)::text"
	  " FROM submission s"
	  " LEFT JOIN app_user u ON u.id = s.decided_by"
	  " LEFT JOIN service sv ON sv.id = s.service_id"
	  " WHERE s.id = $1" },
	/*
	 * Possible duplicates: published listings and other items waiting
	 * (two groups may send the same walk), whose names are alike
	 * (pg_trgm's %, at its 0.3 threshold).  Ranked by how alike the
	 * names are, then the same kind; the nearest venue is a hint shown
	 * beside them, never a match on its own: a food bank 300 m from a
	 * walking group is no duplicate of it.
	 */
	{ "adm_duplicates",
	  "WITH d AS (SELECT $2::jsonb #>> '{service,name}' AS name,"
	  "  $2::jsonb #>> '{service,kind}' AS kind,"
	  "  CASE WHEN jsonb_typeof($2::jsonb -> 'venues') = 'array'"
	  "  THEN $2::jsonb -> 'venues' ELSE '[]'::jsonb END AS venues),"
	  " pc AS (SELECT p.grid FROM postcode p"
	  "  WHERE p.postcode IN (SELECT v ->> 'postcode'"
	  "  FROM d, jsonb_array_elements(d.venues) v)),"
	  " c AS ("
	  "  SELECT false AS waiting, sv.id, sv.name, sv.kind, sv.status,"
	  "  (SELECT min(l.grid <-> pc.grid) FROM service_at_location sal"
	  "   JOIN location l ON l.id = sal.location_id, pc"
	  "   WHERE sal.service_id = sv.id) AS metres"
	  "  FROM service sv, d"
	  "  WHERE sv.name % d.name AND sv.id IS DISTINCT FROM $1::uuid"
	  "  UNION ALL"
	  "  SELECT true, o.id, o.document #>> '{service,name}',"
	  "  o.document #>> '{service,kind}', o.status,"
	  "  (SELECT min(p.grid <-> pc.grid) FROM jsonb_array_elements("
	  "   CASE WHEN jsonb_typeof(o.document -> 'venues') = 'array'"
	  "   THEN o.document -> 'venues' ELSE '[]'::jsonb END) v"
	  "   JOIN postcode p ON p.postcode = v ->> 'postcode', pc)"
	  "  FROM submission o, d"
	  "  WHERE o.status = 'pending' AND o.id <> $3::uuid"
	  "  AND (o.document #>> '{service,name}') % d.name"
	  "  AND ($1::uuid IS NULL OR o.service_id IS DISTINCT FROM"
	  "  $1::uuid))"
	  " SELECT c.waiting, c.id, c.name, c.status,"
	  " round(100 * similarity(c.name, d.name))::int,"
	  " c.kind IS NOT DISTINCT FROM d.kind, round(c.metres)::int"
	  " FROM c, d"
	  " ORDER BY similarity(c.name, d.name)"
	  "   + CASE WHEN c.kind IS NOT DISTINCT FROM d.kind THEN 0.2"
	  "   ELSE 0 END DESC, c.metres NULLS LAST, c.name, c.id LIMIT 20" },
	/* A published listing, for its moderators' edit page. */
	{ "adm_svc_get",
	  "SELECT s.name, s.status, s.version, listing_document(s.id)::text"
	  " FROM service s WHERE s.id = $1" },
	/* Which rule a document breaks; its writes are undone. */
	{ "adm_svc_check",
	  "/*writes*/ SELECT listing_check($1::jsonb)" },
	/*
	 * A moderator's correction goes the way every change goes: an
	 * update submission, published at once (listing_publish records
	 * it in the history), from the version the moderator saw.
	 */
	{ "adm_svc_update",
	  "INSERT INTO submission (kind, service_id, document, base_version)"
	  " VALUES ('update', $1, $2::jsonb, $3::int) RETURNING id" },
	{ "adm_svc_unpublish",
	  "WITH d AS (SELECT listing_document($1) AS doc),"
	  " u AS (UPDATE service SET status = 'inactive',"
	  "   version = version + 1"
	  "   WHERE id = $1 AND version = $2::int AND status = 'active'"
	  "   RETURNING id)"
	  " INSERT INTO listing_change (service_id, user_id, actor, action,"
	  "   before, after)"
	  " SELECT u.id, $3, $4, 'withdrawn', d.doc,"
	  "   jsonb_set(d.doc, '{withdrawn}', 'true') FROM u, d"
	  " RETURNING service_id" },
	{ "adm_publish",
	  "/*writes*/ SELECT listing_publish($1, $2::int, $3, $4::int)" },
	/* Which rule a document breaks; its writes are undone. */
	{ "adm_check",
	  "/*writes*/ SELECT listing_check(document) FROM submission"
	  " WHERE id = $1" },
	{ "adm_reject",
	  "UPDATE submission SET status = 'rejected', reason = $3,"
	  " decided_at = now(), decided_by = $4, updated_at = now()"
	  " WHERE id = $1 AND version = $2::int AND status = 'pending'"
	  " RETURNING id" },
	{ "adm_edit",
	  "UPDATE submission SET document = $3::jsonb, version = version + 1,"
	  " updated_at = now()"
	  " WHERE id = $1 AND version = $2::int AND status = 'pending'"
	  " RETURNING version" },
	{ "adm_report_get",
	  "SELECT r.id, r.service_id, s.name, r.problem, r.details, r.email,"
	  " r.status, to_char(r.created_at, 'YYYY-MM-DD HH24:MI'),"
	  " to_char(r.resolved_at, 'YYYY-MM-DD HH24:MI'), u.email,"
	  " r.resolution"
	  " FROM problem_report r JOIN service s ON s.id = r.service_id"
	  " LEFT JOIN app_user u ON u.id = r.resolved_by"
	  " WHERE r.id = $1" },
	{ "adm_report_resolve",
	  "UPDATE problem_report SET status = $2, resolved_at = now(),"
	  " resolved_by = $3, resolution = $4"
	  " WHERE id = $1 AND status = 'open' RETURNING id" },
	{ "adm_service",
	  "SELECT name, version, listing_document(id)::text FROM service"
	  " WHERE id = $1" },
	/*
	 * by_group: the change was written by the group (sent from /submit
	 * or its link, which record the sender's address), whoever
	 * approved it.  A restore names the change it put back.
	 */
	{ "adm_history",
	  "SELECT c.id, to_char(c.changed_at, 'YYYY-MM-DD HH24:MI'), c.actor,"
	  " c.action, c.restored_from, c.before::text, c.after::text,"
	  " c.after = listing_document(c.service_id),"
	  " EXISTS (SELECT 1 FROM submission sub WHERE sub.id ="
	  "   c.submission_id AND sub.submitter_ip IS NOT NULL),"
	  " to_char(rc.changed_at, 'YYYY-MM-DD HH24:MI'), rc.action,"
	  " rc.actor"
	  " FROM listing_change c"
	  " LEFT JOIN listing_change rc ON rc.id = c.restored_from"
	  " WHERE c.service_id = $1"
	  " ORDER BY c.changed_at DESC, c.id DESC LIMIT $2::int" },
	/* The version a restore would put back, beside the listing now. */
	{ "adm_restore_preview",
	  "SELECT to_char(c.changed_at, 'YYYY-MM-DD HH24:MI'), c.actor,"
	  " c.action, c.after::text, listing_document(s.id)::text, s.version,"
	  " s.name"
	  " FROM listing_change c JOIN service s ON s.id = c.service_id"
	  " WHERE c.id = $1::bigint AND c.service_id = $2::uuid" },
	/* The change must be one of this listing's: no row, no restore. */
	{ "adm_restore",
	  "/*writes*/ SELECT listing_restore(c.id, $2::int, $3)"
	  " FROM listing_change c"
	  " WHERE c.id = $1::bigint AND c.service_id = $4::uuid" },
};

/* adm_sub_get's columns. */
enum {
	SUB_ID, SUB_KIND, SUB_SERVICE, SUB_DOC, SUB_BASE, SUB_VERSION,
	SUB_STATUS, SUB_REASON, SUB_CREATED, SUB_DECIDED, SUB_DECIDER,
	SUB_SVCVERSION, SUB_PUBLISHED, SUB_EFFECTIVE
};

/* adm_report_get's columns. */
enum {
	REP_ID, REP_SERVICE, REP_NAME, REP_PROBLEM, REP_DETAILS, REP_EMAIL,
	REP_STATUS, REP_CREATED, REP_RESOLVED, REP_RESOLVER, REP_RESOLUTION
};

static const struct form_field approve_fields[] = {
	{ .name = "version", .label = "Version", .kind = FORM_INT,
	  .required = 1, .min_value = 1, .max_value = INT_MAX },
};

static const struct form_field unpublish_fields[] = {
	{ .name = "version", .label = "Version", .kind = FORM_INT,
	  .required = 1, .min_value = 1, .max_value = INT_MAX },
	{ .name = "sure", .label = "Yes, take this listing off Signpost",
	  .kind = FORM_CHECKBOX, .required = 1,
	  .required_msg = "Tick the box to confirm that it comes off "
	  "Signpost" },
};

static const struct form_field reject_fields[] = {
	{ .name = "version", .label = "Version", .kind = FORM_INT,
	  .required = 1, .min_value = 1, .max_value = INT_MAX },
	{ .name = "reason", .label = "Reason for rejecting it",
	  .hint = "The group sees this on its private link's page; so do "
	  "other moderators.",
	  .kind = FORM_TEXTAREA, .required = 1, .max = REASON_MAX,
	  .required_msg = "Enter the reason for rejecting it" },
};

static const struct form_choice outcomes[] = {
	{ "resolved", "Resolved: the listing was corrected" },
	{ "dismissed", "Dismissed: nothing needed changing" },
	{ NULL, NULL }
};

static const struct form_field resolve_fields[] = {
	{ .name = "outcome", .label = "Outcome", .kind = FORM_RADIO,
	  .required = 1, .choices = outcomes,
	  .required_msg = "Choose whether the report was resolved or "
	  "dismissed" },
	{ .name = "note", .label = "Note", .kind = FORM_TEXTAREA,
	  .max = REASON_MAX },
};

static const struct form_field restore_fields[] = {
	{ .name = "change", .label = "Change", .kind = FORM_INT,
	  .required = 1, .min_value = 1, .max_value = LLONG_MAX },
	{ .name = "version", .label = "Version", .kind = FORM_INT,
	  .required = 1, .min_value = 1, .max_value = INT_MAX },
};

#define NFIELDS(t)	(sizeof(t) / sizeof((t)[0]))

void
page_admin_init(void)
{
	db_register(stmts, NFIELDS(stmts));
}

/* The frame: the page, then who is signed in and the way out. */
static void
admin_begin(struct http_request *req, const char *title)
{
	struct buf	*b = &req->resp;

	page_begin(req, title, PAGE_NOINDEX);
	buf_puts(b, "<div class=\"admin-bar\"><p>Signed in as <strong>");
	buf_html(b, req->user_email);
	buf_puts(b, "</strong> · <a href=\"/admin\">Queue</a> · <a href=\""
	    "/admin/review\">Due for review</a> · <a href=\"/admin/outbox\">"
	    "Outbox</a>");
	if (req->user_admin)
		buf_puts(b, " · <a href=\"/admin/import\">Import</a>");
	buf_puts(b, "</p>"
	    "<form method=\"post\" action=\"/admin/logout\">");
	form_csrf_input(b, req);
	buf_puts(b, "<button class=\"button-link\" type=\"submit\">Sign out"
	    "</button></form></div>\n");
}

static void
admin_send(struct http_request *req, int status)
{
	page_end(req, 0);
	http_header_set(req, "Cache-Control", "no-store");
	page_send(req, status);
}

static void
see_other(struct http_request *req, const char *prefix, const char *id,
    const char *suffix)
{
	struct buf	loc;

	buf_init(&loc);
	buf_puts(&loc, prefix);
	buf_url(&loc, id);
	buf_puts(&loc, suffix);
	http_redirect(req, 303, buf_cstr(&loc));
	http_header_set(req, "Cache-Control", "no-store");
	buf_free(&loc);
}

static const char *
route_uuid(struct http_request *req)
{
	const char	*id = http_route_param(req, "id");

	if (!http_is_uuid(id)) {
		reply_error(req, 404, "There is no such item. It may have "
		    "been removed, or the link may be mistyped.");
		return (NULL);
	}
	return (id);
}

static void
link_to(struct buf *b, const char *prefix, const char *id,
    const char *suffix, const char *text)
{
	buf_puts(b, "<a href=\"");
	buf_puts(b, prefix);
	buf_html(b, id);
	buf_puts(b, suffix);
	buf_puts(b, "\">");
	buf_html(b, text);
	buf_puts(b, "</a>");
}

static void
hidden(struct buf *b, const char *name, const char *value)
{
	buf_puts(b, "<input type=\"hidden\" name=\"");
	buf_html(b, name);
	buf_puts(b, "\" value=\"");
	buf_html(b, value != NULL ? value : "");
	buf_puts(b, "\">");
}

/* The document's name for headings, or a stand-in. */
static const char *
doc_name(const char *doc, char *out, size_t len)
{
	const char	*n = NULL;

	if (doc != NULL)
		n = listing_document_name(doc, out, len);
	return (n != NULL && *n != '\0' ? n : "(no name)");
}

static const char *
problem_label(const char *p)
{
	if (p == NULL)
		return ("");
	if (strcmp(p, "closed") == 0)
		return ("The service has closed");
	if (strcmp(p, "wrong_time") == 0)
		return ("The times are wrong");
	if (strcmp(p, "wrong_contact") == 0)
		return ("The contact details are wrong");
	return ("Something else");
}

/* A SQLSTATE class that means "the listing breaks a rule". */
static int
rule_broken(const char *state)
{
	return (strncmp(state, "23", 2) == 0 || strncmp(state, "22", 2) == 0);
}

/* 1 with r filled when the submission exists; else the answer is given. */
static int
load_submission(struct http_request *req, const char *id,
    struct db_result **r)
{
	const char	*p[1] = { id };
	enum db_status	 st;

	if ((st = db_exec("adm_sub_get", 1, p, r)) != DB_OK) {
		reply_db_error(req, st);
		return (0);
	}
	if (db_rows(*r) != 1) {
		reply_error(req, 404, "There is no such item in the queue. It "
		    "may have been removed, or the link may be mistyped.");
		return (0);
	}
	return (1);
}

/* ------------------------------------------------------------------ */
/* The queue. */

void
page_admin_queue(struct http_request *req)
{
	struct db_result	*c = NULL, *q = NULL;
	struct buf		*b = &req->resp;
	const char		*p[2], *kind, *doc;
	char			 off[24], lim[8], name[NAME_MAX_LEN];
	long long		 page = 1, total, pages, nnew, nupd, nrep;
	enum db_status		 st;
	int			 i;

	if (http_param_int(req, "page", 1, QUEUE_MAX_PAGE, &page) ==
	    HTTP_PARAM_BAD) {
		reply_bad_param(req);
		return;
	}
	if ((st = db_exec("adm_counts", 0, NULL, &c)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (str_to_ll(db_value(c, 0, 0), 0, LLONG_MAX, &nnew) == -1 ||
	    str_to_ll(db_value(c, 0, 1), 0, LLONG_MAX, &nupd) == -1 ||
	    str_to_ll(db_value(c, 0, 2), 0, LLONG_MAX, &nrep) == -1) {
		reply_error(req, 500, "Something went wrong on our side.");
		goto out;
	}
	total = nnew + nupd + nrep;
	pages = total == 0 ? 1 : (total + QUEUE_PAGE - 1) / QUEUE_PAGE;
	if (page > pages) {
		reply_error(req, 404, "The queue is shorter than that now. "
		    "Go to its first page.");
		goto out;
	}
	snprintf(off, sizeof(off), "%lld", (page - 1) * QUEUE_PAGE);
	snprintf(lim, sizeof(lim), "%d", QUEUE_PAGE);
	p[0] = off;
	p[1] = lim;
	if ((st = db_exec("adm_queue", 2, p, &q)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}

	admin_begin(req, "Moderation queue");
	buf_puts(b, "<h1>Moderation queue</h1>\n<ul class=\"queue-counts\">");
	buf_printf(b, "<li><strong id=\"count-new\">%lld</strong> new "
	    "listing%s waiting</li>", nnew, nnew == 1 ? "" : "s");
	buf_printf(b, "<li><strong id=\"count-update\">%lld</strong> "
	    "update%s waiting</li>", nupd, nupd == 1 ? "" : "s");
	buf_printf(b, "<li><strong id=\"count-report\">%lld</strong> open "
	    "problem report%s</li></ul>\n", nrep, nrep == 1 ? "" : "s");
	if (db_rows(q) == 0) {
		buf_puts(b, "<p>Nothing is waiting.</p>\n");
		admin_send(req, 200);
		goto out;
	}
	buf_puts(b, "<table class=\"queue\"><caption>Oldest first"
	    "</caption>\n<thead><tr><th scope=\"col\">What</th>"
	    "<th scope=\"col\">Name</th><th scope=\"col\">Submitted</th>"
	    "</tr></thead>\n<tbody>");
	for (i = 0; i < db_rows(q); i++) {
		kind = db_value(q, i, 0);
		buf_puts(b, "<tr><td>");
		if (strcmp(kind, "report") == 0) {
			buf_puts(b, "Problem report</td><td>");
			buf_puts(b, "<a href=\"/admin/reports/");
			buf_html(b, db_value(q, i, 1));
			buf_puts(b, "\">");
			buf_html(b, db_text(q, i, 4) != NULL ?
			    db_value(q, i, 4) : "(no name)");
			buf_puts(b, "</a>: ");
			buf_html(b, problem_label(db_value(q, i, 5)));
		} else {
			buf_puts(b, strcmp(kind, "new") == 0 ? "New listing" :
			    "Update");
			buf_puts(b, "</td><td><a href=\"/admin/submissions/");
			buf_html(b, db_value(q, i, 1));
			buf_puts(b, "\">");
			doc = db_value(q, i, 3);
			buf_html(b, doc_name(doc, name, sizeof(name)));
			buf_puts(b, "</a>");
		}
		buf_puts(b, "</td><td>");
		buf_html(b, db_value(q, i, 2));
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table>\n");
	if (pages > 1) {
		buf_puts(b, "<nav class=\"pagination\" aria-label=\"Pages of "
		    "the queue\"><ul>");
		if (page > 1)
			buf_printf(b, "<li><a rel=\"prev\" href=\"/admin?page="
			    "%lld\">Previous</a></li>", page - 1);
		buf_printf(b, "<li>Page %lld of %lld</li>", page, pages);
		if (page < pages)
			buf_printf(b, "<li><a rel=\"next\" href=\"/admin?page="
			    "%lld\">Next</a></li>", page + 1);
		buf_puts(b, "</ul></nav>\n");
	}
	admin_send(req, 200);
out:
	db_free(c);
	db_free(q);
}

/* ------------------------------------------------------------------ */
/* An item: preview, diff, duplicates, and what can be done with it. */

/* adm_duplicates' columns. */
enum {
	DUP_WAITING, DUP_ID, DUP_NAME, DUP_STATUS, DUP_ALIKE, DUP_KIND,
	DUP_METRES
};

static void
duplicates(struct buf *b, const struct db_result *s)
{
	struct db_result	*r = NULL;
	const char		*p[3], *m;
	long long		 metres;
	int			 i;

	p[0] = db_value(s, 0, SUB_SERVICE);
	p[1] = db_value(s, 0, SUB_DOC);
	p[2] = db_value(s, 0, SUB_ID);
	buf_puts(b, "<section aria-labelledby=\"h-dups\"><h2 id=\"h-dups\">"
	    "Possible duplicates</h2>\n");
	if (db_exec("adm_duplicates", 3, p, &r) != DB_OK) {
		/* The item is still worth showing without them. */
		log_warn("duplicates of %s: %s", db_value(s, 0, SUB_ID),
		    db_errmsg());
		buf_puts(b, "<p>The check for duplicates failed; it has been "
		    "logged.</p>\n");
	} else if (db_rows(r) == 0)
		buf_puts(b, "<p>No other listing, published or waiting, has a "
		    "name like this one.</p>\n");
	else {
		buf_puts(b, "<ul class=\"duplicates\">");
		for (i = 0; i < db_rows(r); i++) {
			buf_puts(b, "<li>");
			if (db_bool(r, i, DUP_WAITING) == 1) {
				link_to(b, "/admin/submissions/",
				    db_value(r, i, DUP_ID), "",
				    db_text(r, i, DUP_NAME) != NULL ?
				    db_value(r, i, DUP_NAME) : "(no name)");
				buf_puts(b, " (waiting in the queue)");
			} else {
				link_to(b, "/services/", db_value(r, i,
				    DUP_ID), "", db_value(r, i, DUP_NAME));
				if (strcmp(db_value(r, i, DUP_STATUS),
				    "active") != 0) {
					buf_puts(b, " (");
					buf_html(b, db_value(r, i, DUP_STATUS));
					buf_puts(b, ")");
				}
			}
			buf_printf(b, ": names %s%% alike",
			    db_value(r, i, DUP_ALIKE));
			if (db_bool(r, i, DUP_KIND) == 1)
				buf_puts(b, ", the same kind");
			if ((m = db_text(r, i, DUP_METRES)) != NULL &&
			    str_to_ll(m, 0, LLONG_MAX, &metres) == 0) {
				if (metres < 20)
					buf_puts(b, ", a venue at the same "
					    "place");
				else if (metres < 1000)
					buf_printf(b, ", a venue about %lld m "
					    "away", (metres + 5) / 10 * 10);
				else if (metres <= 20000)
					buf_printf(b, ", a venue %.1f km away",
					    (double)metres / 1000);
			}
			buf_puts(b, "</li>");
		}
		buf_puts(b, "</ul>\n");
	}
	buf_puts(b, "</section>\n");
	db_free(r);
}

static void
diff_section(struct buf *b, const char *before, const char *after)
{
	struct buf	d;
	int		n;

	buf_init(&d);
	n = listing_diff_html(&d, before, after);
	if (n > 0)
		buf_append(b, d.data, d.len);
	else if (n == 0)
		buf_puts(b, "<p>No field differs from the published "
		    "listing.</p>\n");
	else
		buf_puts(b, "<p>The differences cannot be shown: a version "
		    "is not a valid listing.</p>\n");
	buf_free(&d);
}

static void
reject_form(struct buf *b, struct http_request *req, const char *id,
    const char *version, struct form *rf)
{
	buf_puts(b, "<form method=\"post\" action=\"/admin/submissions/");
	buf_html(b, id);
	buf_puts(b, "/reject\" class=\"admin-action\" novalidate>");
	form_csrf_input(b, req);
	hidden(b, "version", version);
	form_field(b, rf, "reason");
	buf_puts(b, "<button class=\"button button-warning\" type=\"submit\">"
	    "Reject</button></form>\n");
}

/*
 * The group named an organisation that is listed already and typed other
 * details for it: approving publishes the listed ones, so say which of
 * the typed ones it leaves out, as a diff of their own.
 */
static void
org_typed(struct buf *b, const struct db_result *r)
{
	struct buf	d;

	buf_init(&d);
	if (listing_diff_html(&d, db_value(r, 0, SUB_EFFECTIVE),
	    db_value(r, 0, SUB_DOC)) > 0) {
		buf_puts(b, "<section aria-labelledby=\"h-org\"><h2 "
		    "id=\"h-org\">The organisation as the group typed it"
		    "</h2>\n<p>The group chose an organisation that is listed "
		    "already. Approving publishes the listing under it as it "
		    "is listed (&ldquo;Before&rdquo;); what the group typed "
		    "(&ldquo;After&rdquo;) is not published. To use their "
		    "details, edit the organisation&rsquo;s listing.</p>\n");
		buf_append(b, d.data, d.len);
		buf_puts(b, "</section>\n");
	}
	buf_free(&d);
}

static void
preview(struct buf *b, const char *doc)
{
	buf_puts(b, "<section aria-labelledby=\"h-preview\"><h2 "
	    "id=\"h-preview\">As it will appear</h2>\n");
	listing_document_html(b, doc);
	buf_puts(b, "</section>\n");
}

/*
 * The item page.  rf: the reject form as sent (errors kept), or NULL;
 * rule: the constraint an approval broke, or NULL.
 */
static void
item_page(struct http_request *req, const char *id, struct form *rf,
    const char *rule, int status)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	struct form		 empty, lf;
	struct buf		 title;
	const char		*doc, *eff, *kind, *stat, *version;
	char			 name[NAME_MAX_LEN];
	int			 pending, update;

	form_init(&empty, reject_fields, NFIELDS(reject_fields));
	listing_form_init(&lf);
	buf_init(&title);
	if (!load_submission(req, id, &r))
		goto out;
	doc = db_value(r, 0, SUB_DOC);
	eff = db_value(r, 0, SUB_EFFECTIVE);
	kind = db_value(r, 0, SUB_KIND);
	stat = db_value(r, 0, SUB_STATUS);
	version = db_value(r, 0, SUB_VERSION);
	pending = strcmp(stat, "pending") == 0;
	update = strcmp(kind, "update") == 0;
	buf_printf(&title, "%s: %s", update ? "Update" : "New listing",
	    doc_name(doc, name, sizeof(name)));

	admin_begin(req, buf_cstr(&title));
	if (rule != NULL) {
		/* The rule on the field it is about, as the edit page has it. */
		if (listing_form_load(&lf, doc) == 0)
			listing_form_constraint(&lf, rule);
		buf_puts(b, "<div class=\"error-summary\" role=\"alert\" "
		    "tabindex=\"-1\" data-error-summary><h2>Nothing was "
		    "published</h2><ul>");
		if (lf.nerr > 0) {
			size_t	i;

			if (lf.form_msg != NULL) {
				buf_puts(b, "<li>");
				buf_html(b, lf.form_msg);
				buf_puts(b, "</li>");
			}
			for (i = 0; i < lf.n; i++)
				if (lf.err[i] != FORM_OK) {
					buf_puts(b, "<li>");
					buf_html(b, lf.fields[i].label);
					buf_puts(b, ": ");
					buf_html(b, form_message(&lf, i));
					buf_puts(b, "</li>");
				}
		}
		buf_puts(b, "<li>The listing breaks the rule <code>");
		buf_html(b, rule);
		buf_puts(b, "</code>. ");
		link_to(b, "/admin/submissions/", id, "/edit",
		    "Edit the listing");
		buf_puts(b, " to correct it, then approve it.</li></ul></div>\n");
	} else if (rf != NULL)
		form_summary(b, rf);
	buf_puts(b, "<h1>");
	buf_html(b, buf_cstr(&title));
	buf_puts(b, "</h1>\n<p class=\"item-status\">");
	if (pending) {
		buf_puts(b, "Waiting since ");
		buf_html(b, db_value(r, 0, SUB_CREATED));
		/* A group's resend keeps what the last moderator asked. */
		if (db_text(r, 0, SUB_REASON) != NULL) {
			buf_puts(b, ". Sent again by the group after a "
			    "moderator said: &ldquo;");
			buf_html(b, db_value(r, 0, SUB_REASON));
			buf_puts(b, "&rdquo;");
		}
	} else if (strcmp(stat, "approved") == 0) {
		buf_puts(b, "<strong>Published</strong> ");
		buf_html(b, db_value(r, 0, SUB_DECIDED));
		if (db_text(r, 0, SUB_DECIDER) != NULL) {
			buf_puts(b, " by ");
			buf_html(b, db_value(r, 0, SUB_DECIDER));
		}
		if (db_text(r, 0, SUB_SERVICE) != NULL) {
			buf_puts(b, ": ");
			link_to(b, "/services/", db_value(r, 0, SUB_SERVICE),
			    "", "see the listing");
			buf_puts(b, " · ");
			link_to(b, "/admin/services/", db_value(r, 0,
			    SUB_SERVICE), "/history", "its history");
		}
	} else if (strcmp(stat, "rejected") == 0) {
		buf_puts(b, "<strong>Rejected</strong> ");
		buf_html(b, db_value(r, 0, SUB_DECIDED));
		if (db_text(r, 0, SUB_DECIDER) != NULL) {
			buf_puts(b, " by ");
			buf_html(b, db_value(r, 0, SUB_DECIDER));
		}
		if (db_text(r, 0, SUB_REASON) != NULL) {
			buf_puts(b, ": ");
			buf_html(b, db_value(r, 0, SUB_REASON));
		}
	} else
		buf_puts(b, "Replaced by a later change from the group");
	buf_puts(b, "</p>\n");

	/*
	 * What changes first, then the decision: on a small screen the
	 * buttons must not come before what they approve.  An update's
	 * change is its diff; a new listing's is all of it.
	 */
	if (update) {
		buf_puts(b, "<section aria-labelledby=\"h-diff\"><h2 "
		    "id=\"h-diff\">What changes</h2>\n");
		if (db_text(r, 0, SUB_SVCVERSION) == NULL)
			buf_puts(b, "<p>The published listing has been "
			    "removed.</p>\n");
		else {
			if (pending && strcmp(db_value(r, 0, SUB_SVCVERSION),
			    db_value(r, 0, SUB_BASE)) != 0)
				buf_puts(b, "<p class=\"warning\"><strong>The "
				    "published listing has changed since this "
				    "update was made.</strong> Approving it "
				    "will be refused; check the differences "
				    "against the listing as it is now.</p>\n");
			diff_section(b, db_value(r, 0, SUB_PUBLISHED), eff);
		}
		buf_puts(b, "</section>\n");
		org_typed(b, r);
	} else {
		org_typed(b, r);
		preview(b, eff);
		duplicates(b, r);
	}
	if (pending) {
		buf_puts(b, "<section class=\"admin-actions\" "
		    "aria-labelledby=\"h-decide\"><h2 id=\"h-decide\">"
		    "Your decision</h2>\n<form method=\"post\" "
		    "action=\"/admin/submissions/");
		buf_html(b, id);
		buf_puts(b, "/approve\" class=\"admin-action\">");
		form_csrf_input(b, req);
		hidden(b, "version", version);
		buf_puts(b, "<button class=\"button\" type=\"submit\">Approve"
		    " and publish</button></form>\n<p>");
		link_to(b, "/admin/submissions/", id, "/edit",
		    "Edit before approving");
		buf_puts(b, "</p>\n");
		reject_form(b, req, id, version, rf != NULL ? rf : &empty);
		buf_puts(b, "</section>\n");
	}
	if (update) {
		preview(b, eff);
		duplicates(b, r);
	}
	admin_send(req, status);
out:
	db_free(r);
	buf_free(&title);
	form_free(&lf);
	form_free(&empty);
}

void
page_admin_item(struct http_request *req)
{
	const char	*id;

	if ((id = route_uuid(req)) != NULL)
		item_page(req, id, NULL, NULL, 200);
}

/*
 * SP409.  Another moderator acted between this one's loading the item and
 * sending a decision: say who did what and when, show the item as it is
 * now, and keep what this one typed (the reason), ready to send again
 * while the item still waits.
 */
static void
acted_first(struct http_request *req, const char *id, const char *typed)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	struct form		 rf;
	const char		*stat, *who;

	form_init(&rf, reject_fields, NFIELDS(reject_fields));
	/* Gone altogether is a 404, not someone else's act. */
	if (!load_submission(req, id, &r))
		goto out;
	stat = db_value(r, 0, SUB_STATUS);
	who = db_text(r, 0, SUB_DECIDER) != NULL ?
	    db_value(r, 0, SUB_DECIDER) : "another moderator";
	admin_begin(req, "Someone else acted on this item first");
	buf_puts(b, "<h1>Someone else acted on this item first</h1>\n"
	    "<p class=\"notice notice-warning\">Nothing you sent was done. ");
	if (strcmp(stat, "approved") == 0) {
		buf_puts(b, "It was <strong>published</strong> by ");
		buf_html(b, who);
		buf_puts(b, " at ");
		buf_html(b, db_value(r, 0, SUB_DECIDED));
		buf_puts(b, ".");
	} else if (strcmp(stat, "rejected") == 0) {
		buf_puts(b, "It was <strong>rejected</strong> by ");
		buf_html(b, who);
		buf_puts(b, " at ");
		buf_html(b, db_value(r, 0, SUB_DECIDED));
		if (db_text(r, 0, SUB_REASON) != NULL) {
			buf_puts(b, ", saying &ldquo;");
			buf_html(b, db_value(r, 0, SUB_REASON));
			buf_puts(b, "&rdquo;");
		}
		buf_puts(b, ".");
	} else if (strcmp(stat, "pending") == 0) {
		buf_puts(b, "It is still waiting, but it was changed after you "
		    "loaded it (it is now version ");
		buf_html(b, db_value(r, 0, SUB_VERSION));
		buf_puts(b, "): look at it again before deciding.");
	} else
		buf_puts(b, "The group replaced it with a later change.");
	buf_puts(b, "</p>\n");
	if (typed != NULL && strcmp(stat, "pending") == 0) {
		buf_puts(b, "<h2>Your reason, kept</h2>\n<p>Send it again if "
		    "it still applies to the item as it is now.</p>\n");
		if (form_set(&rf, "reason", typed) == -1)
			log_warn("acted first %s: out of memory", id);
		reject_form(b, req, id, db_value(r, 0, SUB_VERSION), &rf);
	} else if (typed != NULL) {
		buf_puts(b, "<h2>What you typed</h2>\n<p>Kept here in case "
		    "you need it:</p>\n<blockquote class=\"typed\">");
		buf_html(b, typed);
		buf_puts(b, "</blockquote>\n");
	}
	buf_puts(b, "<h2>The item now</h2>\n");
	listing_document_html(b, db_value(r, 0, SUB_DOC));
	buf_puts(b, "<p>");
	link_to(b, "/admin/submissions/", id, "", "Open the item");
	buf_puts(b, "</p>\n");
	admin_send(req, 409);
out:
	db_free(r);
	form_free(&rf);
}

/* SP412: the update was made from a version that is no longer published. */
static void
stale_update(struct http_request *req, const char *id)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	struct form		 rf;
	const char		*pub, *doc;

	form_init(&rf, reject_fields, NFIELDS(reject_fields));
	if (!load_submission(req, id, &r))
		goto out;
	pub = db_value(r, 0, SUB_PUBLISHED);
	doc = db_value(r, 0, SUB_DOC);
	admin_begin(req, "The listing changed since this update was made");
	buf_puts(b, "<h1>The listing changed since this update was made</h1>"
	    "\n<p>Someone published a change to this listing after the group "
	    "made their update, so publishing it would undo that change. "
	    "Nothing was published.</p>\n");
	buf_puts(b, "<h2>What the update would change now</h2>\n");
	if (pub != NULL)
		diff_section(b, pub, doc);
	buf_puts(b, "<div class=\"side-by-side\"><section aria-labelledby="
	    "\"h-pub\"><h2 id=\"h-pub\">Published now</h2>\n");
	if (pub != NULL)
		listing_document_html(b, pub);
	else
		buf_puts(b, "<p>The listing has been removed.</p>");
	buf_puts(b, "</section>\n<section aria-labelledby=\"h-sub\"><h2 "
	    "id=\"h-sub\">The submitted update</h2>\n");
	listing_document_html(b, doc);
	buf_puts(b, "</section></div>\n");
	if (strcmp(db_value(r, 0, SUB_STATUS), "pending") == 0) {
		buf_puts(b, "<h2>Reject the update</h2>\n<p>Ask the group to "
		    "make their change again from the listing as it is now."
		    "</p>\n");
		if (form_set(&rf, "reason", "The listing changed after this "
		    "update was made from it.") == -1)
			log_warn("stale update %s: out of memory", id);
		reject_form(b, req, id, db_value(r, 0, SUB_VERSION), &rf);
	}
	buf_puts(b, "<p>");
	link_to(b, "/admin/submissions/", id, "", "Back to the item");
	buf_puts(b, "</p>\n");
	admin_send(req, 409);
out:
	db_free(r);
	form_free(&rf);
}

/* After a failed publish: which rule the document breaks, or NULL. */
static char *
broken_rule(const char *id, char *out, size_t len)
{
	struct db_result	*r = NULL;
	const char		*p[1] = { id };
	char			*rule = NULL;

	if (db_exec("adm_check", 1, p, &r) == DB_OK && db_rows(r) == 1 &&
	    db_text(r, 0, 0) != NULL && str_copy(out, len,
	    db_value(r, 0, 0)) == 0)
		rule = out;
	db_free(r);
	return (rule);
}

/*
 * A decision made in the open transaction: queue the group's e-mail with
 * it (reason NULL: published), commit, and wake the outbox.  0, or -1
 * with the answer sent; lost says that the COMMIT's reply was lost.
 */
static int
decided(struct http_request *req, const char *id, const char *reason,
    const char *lost)
{
	enum db_status	st;

	if ((st = notify_decided(id, reason)) != DB_OK) {
		db_tx_rollback();
		reply_db_error(req, st);
		return (-1);
	}
	if (db_tx_commit() != DB_OK) {
		/* The reply to COMMIT is what was lost, maybe not the commit. */
		log_warn("decision on %s: commit: %s", id, db_errmsg());
		reply_error(req, 503, lost);
		return (-1);
	}
	outbox_wake();
	return (0);
}

void
page_admin_approve(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct form		 f;
	const char		*id, *p[4];
	char			 state[8], months[16], rule[128], msg[256];
	enum db_status		 st;

	form_init(&f, approve_fields, NFIELDS(approve_fields));
	if ((id = route_uuid(req)) == NULL)
		goto out;
	if (form_read(&f, req) > 0) {
		reply_error(req, 400, "The form was not complete. Reload the "
		    "item and approve it again.");
		goto out;
	}
	snprintf(months, sizeof(months), "%d", config.review_months);
	p[0] = id;
	p[1] = form_value(&f, "version");
	p[2] = req->user_id;
	p[3] = months;
	if ((st = db_tx_begin()) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if ((st = db_exec("adm_publish", 4, p, &r)) != DB_OK) {
		str_copy(state, sizeof(state), db_sqlstate());
		str_copy(msg, sizeof(msg), db_errmsg());
		db_tx_rollback();
		if (st != DB_ERROR)
			reply_db_error(req, st);
		else if (strcmp(state, "SP409") == 0)
			acted_first(req, id, NULL);
		else if (strcmp(state, "SP412") == 0)
			stale_update(req, id);
		else if (rule_broken(state)) {
			log_info("submission %s not published: %s %s", id,
			    state, msg);
			item_page(req, id, NULL, broken_rule(id, rule,
			    sizeof(rule)) != NULL ? rule : "unknown", 422);
		} else {
			log_warn("publish %s: %s %s", id, state, msg);
			reply_error(req, 500, "Something went wrong on our "
			    "side. It has been logged; nothing was published.");
		}
		goto out;
	}
	if (decided(req, id, NULL, "We could not confirm that the listing "
	    "was published. Reload the item to see whether it was.") == -1)
		goto out;
	log_info("submission %s published as service %s by %s", id,
	    db_value(r, 0, 0), req->user_email);
	see_other(req, "/admin/submissions/", id, "");
out:
	db_free(r);
	form_free(&f);
}

void
page_admin_reject(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct form		 f;
	const char		*id, *p[4];
	enum db_status		 st;

	form_init(&f, reject_fields, NFIELDS(reject_fields));
	if ((id = route_uuid(req)) == NULL)
		goto out;
	if (form_read(&f, req) > 0) {
		if (form_has_error(&f, "version"))
			reply_error(req, 400, "The form was not complete. "
			    "Reload the item and reject it again.");
		else
			item_page(req, id, &f, NULL, 400);
		goto out;
	}
	p[0] = id;
	p[1] = form_value(&f, "version");
	p[2] = form_value(&f, "reason");
	p[3] = req->user_id;
	if ((st = db_tx_begin()) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if ((st = db_exec("adm_reject", 4, p, &r)) != DB_OK) {
		db_tx_rollback();
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(r) == 0) {
		db_tx_rollback();
		acted_first(req, id, form_value(&f, "reason"));
		goto out;
	}
	if (decided(req, id, form_value(&f, "reason"), "We could not confirm "
	    "that the item was rejected. Reload it to see whether it was.") ==
	    -1)
		goto out;
	log_info("submission %s rejected by %s", id, req->user_email);
	see_other(req, "/admin/submissions/", id, "");
out:
	db_free(r);
	form_free(&f);
}

/* ------------------------------------------------------------------ */
/* Editing an item before approving it. */

static void
edit_form(struct buf *b, struct http_request *req, const char *id,
    const char *version, const struct form *f, const char *button)
{
	buf_puts(b, "<form method=\"post\" action=\"/admin/submissions/");
	buf_html(b, id);
	buf_puts(b, "/edit\" novalidate>");
	form_csrf_input(b, req);
	hidden(b, "version", version);
	listing_form_html(b, f);
	buf_puts(b, "<button class=\"button\" type=\"submit\">");
	buf_html(b, button);
	buf_puts(b, "</button> ");
	link_to(b, "/admin/submissions/", id, "", "Cancel");
	buf_puts(b, "</form>\n");
}

static void
edit_page(struct http_request *req, const char *id, const char *version,
    const char *name, const struct form *f, int status)
{
	struct buf	*b = &req->resp;
	struct buf	 title;

	buf_init(&title);
	buf_printf(&title, "Edit: %s", name);
	admin_begin(req, buf_cstr(&title));
	form_summary(b, f);
	buf_puts(b, "<h1>");
	buf_html(b, buf_cstr(&title));
	buf_puts(b, "</h1>\n<p>Your changes are saved to the item in the "
	    "queue; nothing is published until it is approved.</p>\n");
	edit_form(b, req, id, version, f, "Save changes");
	admin_send(req, status);
	buf_free(&title);
}

void
page_admin_edit_form(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct form		 f;
	const char		*id, *doc;
	char			 name[NAME_MAX_LEN];

	listing_form_init(&f);
	if ((id = route_uuid(req)) == NULL)
		goto out;
	if (!load_submission(req, id, &r))
		goto out;
	if (strcmp(db_value(r, 0, SUB_STATUS), "pending") != 0) {
		/* Decided: the item page says how. */
		see_other(req, "/admin/submissions/", id, "");
		goto out;
	}
	doc = db_value(r, 0, SUB_DOC);
	if (listing_form_load(&f, doc) == -1)
		log_warn("submission %s: document does not load into the "
		    "form", id);
	edit_page(req, id, db_value(r, 0, SUB_VERSION),
	    doc_name(doc, name, sizeof(name)), &f, 200);
out:
	db_free(r);
	form_free(&f);
}

/*
 * The item changed while the moderator edited it: both versions, and
 * their form again carrying the current version, so saving it now is a
 * choice made knowing.
 */
static void
edit_conflict(struct http_request *req, const char *id, const char *mine,
    const struct form *f)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	const char		*cur;

	if (!load_submission(req, id, &r))
		goto out;
	cur = db_value(r, 0, SUB_DOC);
	admin_begin(req, "Someone else changed this item");
	buf_puts(b, "<h1>Someone else changed this item while you were "
	    "editing it</h1>\n<p>Your changes were not saved, and are kept "
	    "below.</p>\n");
	buf_puts(b, "<h2>How your version differs from the current one</h2>"
	    "\n");
	diff_section(b, cur, mine);
	buf_puts(b, "<div class=\"side-by-side\"><section aria-labelledby="
	    "\"h-mine\"><h2 id=\"h-mine\">Your version</h2>\n");
	listing_document_html(b, mine);
	buf_puts(b, "</section>\n<section aria-labelledby=\"h-cur\"><h2 "
	    "id=\"h-cur\">The current version</h2>\n");
	listing_document_html(b, cur);
	buf_puts(b, "</section></div>\n");
	if (strcmp(db_value(r, 0, SUB_STATUS), "pending") == 0) {
		buf_puts(b, "<h2>Save your version over the current one</h2>\n");
		edit_form(b, req, id, db_value(r, 0, SUB_VERSION), f,
		    "Save my version");
	} else {
		buf_puts(b, "<p>The item has been decided, so it can no longer "
		    "be edited. ");
		link_to(b, "/admin/submissions/", id, "", "See the item");
		buf_puts(b, ".</p>\n");
	}
	admin_send(req, 409);
out:
	db_free(r);
}

void
page_admin_edit_post(struct http_request *req)
{
	struct db_result	*r = NULL, *s = NULL;
	struct form		 f;
	const char		*id, *p[3];
	char			*doc = NULL, vs[16], name[NAME_MAX_LEN];
	long long		 version;
	enum db_status		 st;

	listing_form_init(&f);
	if ((id = route_uuid(req)) == NULL)
		goto out;
	if (http_param_int(req, "version", 1, INT_MAX, &version) !=
	    HTTP_PARAM_OK) {
		reply_error(req, 400, "The form was not complete. Reload the "
		    "item and edit it again.");
		goto out;
	}
	snprintf(vs, sizeof(vs), "%lld", version);
	if ((st = listing_form_check(&f, req)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (f.nerr > 0) {
		if (!load_submission(req, id, &s))
			goto out;
		edit_page(req, id, vs, doc_name(db_value(s, 0, SUB_DOC), name,
		    sizeof(name)), &f, 400);
		goto out;
	}
	if ((doc = listing_form_document(&f)) == NULL) {
		reply_error(req, 500, "Something went wrong on our side.");
		goto out;
	}
	p[0] = id;
	p[1] = vs;
	p[2] = doc;
	if ((st = db_exec("adm_edit", 3, p, &r)) != DB_OK) {
		if (st == DB_ERROR && strcmp(db_sqlstate(), "23514") == 0) {
			/* Only the size of the whole document is checked. */
			form_error(&f, NULL, "The listing is too long to keep. "
			    "Shorten the longest descriptions.");
			edit_page(req, id, vs, doc_name(doc, name,
			    sizeof(name)), &f, 400);
		} else
			reply_db_error(req, st);
		goto out;
	}
	if (db_rows(r) == 0) {
		edit_conflict(req, id, doc, &f);
		goto out;
	}
	log_info("submission %s edited by %s (version %s)", id,
	    req->user_email, db_value(r, 0, 0));
	see_other(req, "/admin/submissions/", id, "");
out:
	free(doc);
	db_free(r);
	db_free(s);
	form_free(&f);
}

/* ------------------------------------------------------------------ */
/* A published listing: corrected or taken down by a moderator. */

/* adm_svc_get's columns. */
enum { SVC_NAME, SVC_STATUS, SVC_VERSION, SVC_DOC };

/* The published listing, or NULL with the 404 (or 503) sent. */
static struct db_result *
load_service(struct http_request *req, const char *id)
{
	struct db_result	*r = NULL;
	const char		*p[1] = { id };
	enum db_status		 st;

	if ((st = db_exec("adm_svc_get", 1, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		return (NULL);
	}
	if (db_rows(r) != 1) {
		db_free(r);
		reply_error(req, 404, "There is no such listing.");
		return (NULL);
	}
	return (r);
}

/*
 * The listing as a form (lf, from version) and the unpublish form (uf):
 * saving publishes at once and is recorded like every change.
 */
static void
service_edit_page(struct http_request *req, const char *id,
    const struct db_result *r, const char *version, struct form *lf,
    struct form *uf, int status)
{
	struct buf	*b = &req->resp;
	struct buf	 title;

	buf_init(&title);
	buf_puts(&title, "Edit the published listing: ");
	buf_puts(&title, db_value(r, 0, SVC_NAME));
	admin_begin(req, buf_cstr(&title));
	form_summary(b, lf);
	form_summary(b, uf);
	buf_puts(b, "<h1>");
	buf_html(b, buf_cstr(&title));
	buf_puts(b, "</h1>\n<p>Saving publishes the change at once; it is "
	    "recorded in the listing&rsquo;s ");
	link_to(b, "/admin/services/", id, "/history", "history");
	buf_puts(b, ", from where it can be put back.</p>\n"
	    "<form class=\"listing-form\" method=\"post\" "
	    "action=\"/admin/services/");
	buf_html(b, id);
	buf_puts(b, "/edit\" novalidate>");
	form_csrf_input(b, req);
	hidden(b, "version", version);
	listing_form_html(b, lf);
	buf_puts(b, "<button class=\"button\" type=\"submit\">Save and "
	    "publish</button> ");
	link_to(b, "/services/", id, "", "Cancel");
	buf_puts(b, "</form>\n<section aria-labelledby=\"h-unpublish\"><h2 "
	    "id=\"h-unpublish\">Take it off Signpost</h2>\n<p>For a service "
	    "that has stopped, or a listing that should not be public. It "
	    "leaves search and the feed at once; its page says it is no "
	    "longer running, and the history can put it back.</p>\n"
	    "<form method=\"post\" action=\"/admin/services/");
	buf_html(b, id);
	buf_puts(b, "/unpublish\" novalidate>");
	form_csrf_input(b, req);
	hidden(b, "version", version);
	form_field(b, uf, "sure");
	buf_puts(b, "<button class=\"button button-warning\" type=\"submit\">"
	    "Unpublish</button></form>\n</section>\n");
	admin_send(req, status);
	buf_free(&title);
}

/* Not published (any more): nothing to edit; the history can restore. */
static int
service_editable(struct http_request *req, const char *id,
    const struct db_result *r)
{
	if (strcmp(db_value(r, 0, SVC_STATUS), "active") == 0)
		return (1);
	admin_begin(req, "This listing is not published");
	buf_puts(&req->resp, "<h1>This listing is not published</h1>\n<p>It "
	    "is listed as ");
	buf_html(&req->resp, db_value(r, 0, SVC_STATUS));
	buf_puts(&req->resp, ". To publish it again, put back a version from "
	    "its ");
	link_to(&req->resp, "/admin/services/", id, "/history", "history");
	buf_puts(&req->resp, ".</p>\n");
	admin_send(req, 409);
	return (0);
}

void
page_admin_service_edit_form(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct form		 lf, uf;
	const char		*id;

	listing_form_init(&lf);
	form_init(&uf, unpublish_fields, NFIELDS(unpublish_fields));
	if ((id = route_uuid(req)) == NULL || (r = load_service(req, id)) ==
	    NULL || !service_editable(req, id, r))
		goto out;
	if (listing_form_load(&lf, db_value(r, 0, SVC_DOC)) == -1)
		log_warn("service %s: document does not load into the form",
		    id);
	service_edit_page(req, id, r, db_value(r, 0, SVC_VERSION), &lf, &uf,
	    200);
out:
	db_free(r);
	form_free(&lf);
	form_free(&uf);
}

/*
 * Someone changed the listing after this moderator opened it, or a
 * group's change waits for it: nothing was saved, the typed form stays.
 */
static void
service_edit_refused(struct http_request *req, const char *id,
    const struct db_result *r, const char *version, struct form *lf,
    const char *waiting)
{
	struct form	uf;

	form_init(&uf, unpublish_fields, NFIELDS(unpublish_fields));
	if (waiting != NULL)
		form_error(lf, NULL, "A change from the group is waiting for "
		    "this listing: approve or reject it first (in the queue), "
		    "then make yours. Nothing was saved; your text is below.");
	else
		form_error(lf, NULL, "Someone changed this listing after you "
		    "opened it. Nothing was saved: open it again to see their "
		    "change; your text is below.");
	service_edit_page(req, id, r, version, lf, &uf, 409);
	form_free(&uf);
}

void
page_admin_service_edit_post(struct http_request *req)
{
	struct db_result	*r = NULL, *w = NULL, *c = NULL;
	struct form		 lf, uf;
	const char		*id, *p[4];
	char			*doc = NULL, vs[16], months[16], state[8];
	long long		 version;
	enum db_status		 st;

	listing_form_init(&lf);
	form_init(&uf, unpublish_fields, NFIELDS(unpublish_fields));
	if ((id = route_uuid(req)) == NULL || (r = load_service(req, id)) ==
	    NULL || !service_editable(req, id, r))
		goto out;
	if (http_param_int(req, "version", 1, INT_MAX, &version) !=
	    HTTP_PARAM_OK) {
		reply_error(req, 400, "The form was not complete. Open the "
		    "listing's edit page again.");
		goto out;
	}
	snprintf(vs, sizeof(vs), "%lld", version);
	if ((st = listing_form_check(&lf, req)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (lf.nerr == 0 && (doc = listing_form_document(&lf)) == NULL) {
		reply_error(req, 500, "Something went wrong on our side.");
		goto out;
	}
	if (doc != NULL) {
		/* What the database would refuse goes on its field. */
		p[0] = doc;
		if ((st = db_exec("adm_svc_check", 1, p, &c)) != DB_OK) {
			reply_db_error(req, st);
			goto out;
		}
		if (db_text(c, 0, 0) != NULL)
			listing_form_constraint(&lf, db_value(c, 0, 0));
	}
	if (lf.nerr > 0) {
		service_edit_page(req, id, r, vs, &lf, &uf, 400);
		goto out;
	}
	if ((st = db_tx_begin()) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	p[0] = id;
	p[1] = doc;
	p[2] = vs;
	if ((st = db_exec("adm_svc_update", 3, p, &w)) != DB_OK) {
		str_copy(state, sizeof(state), db_sqlstate());
		db_tx_rollback();
		if (st == DB_ERROR && strcmp(state, "23505") == 0)
			service_edit_refused(req, id, r, vs, &lf, "waiting");
		else
			reply_db_error(req, st);
		goto out;
	}
	snprintf(months, sizeof(months), "%d", config.review_months);
	p[0] = db_value(w, 0, 0);
	p[1] = "1";
	p[2] = req->user_id;
	p[3] = months;
	db_free(c);
	c = NULL;
	if ((st = db_exec("adm_publish", 4, p, &c)) != DB_OK) {
		str_copy(state, sizeof(state), db_sqlstate());
		db_tx_rollback();
		if (st == DB_ERROR && strcmp(state, "SP412") == 0)
			service_edit_refused(req, id, r, vs, &lf, NULL);
		else
			reply_db_error(req, st);
		goto out;
	}
	if ((st = db_tx_commit()) != DB_OK) {
		log_warn("edit service %s: commit: %s", id, db_errmsg());
		reply_error(req, 503, "We could not confirm that the change "
		    "was saved. Open the listing's history to see whether it "
		    "was.");
		goto out;
	}
	log_info("service %s edited by %s", id, req->user_email);
	see_other(req, "/admin/services/", id, "/history");
out:
	free(doc);
	db_free(r);
	db_free(w);
	db_free(c);
	form_free(&lf);
	form_free(&uf);
}

void
page_admin_service_unpublish(struct http_request *req)
{
	struct db_result	*r = NULL, *u = NULL;
	struct form		 lf, uf;
	const char		*id, *p[4];
	enum db_status		 st;

	listing_form_init(&lf);
	form_init(&uf, unpublish_fields, NFIELDS(unpublish_fields));
	if ((id = route_uuid(req)) == NULL || (r = load_service(req, id)) ==
	    NULL || !service_editable(req, id, r))
		goto out;
	if (form_read(&uf, req) > 0) {
		if (form_has_error(&uf, "version"))
			reply_error(req, 400, "The form was not complete. Open "
			    "the listing's edit page again.");
		else {
			(void)listing_form_load(&lf, db_value(r, 0, SVC_DOC));
			service_edit_page(req, id, r, db_value(r, 0,
			    SVC_VERSION), &lf, &uf, 400);
		}
		goto out;
	}
	p[0] = id;
	p[1] = form_value(&uf, "version");
	p[2] = req->user_id;
	p[3] = req->user_email;
	if ((st = db_exec("adm_svc_unpublish", 4, p, &u)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(u) == 0) {
		(void)listing_form_load(&lf, db_value(r, 0, SVC_DOC));
		form_error(&lf, NULL, "Someone changed this listing after you "
		    "opened it, so it was not unpublished. Here it is as it is "
		    "now.");
		service_edit_page(req, id, r, db_value(r, 0, SVC_VERSION), &lf,
		    &uf, 409);
		goto out;
	}
	log_info("service %s unpublished by %s", id, req->user_email);
	see_other(req, "/admin/services/", id, "/history");
out:
	db_free(r);
	db_free(u);
	form_free(&lf);
	form_free(&uf);
}

/* ------------------------------------------------------------------ */
/* Problem reports. */

static void
report_page(struct http_request *req, const char *id, struct form *f,
    int status)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	const char		*p[1] = { id };
	enum db_status		 st;

	if ((st = db_exec("adm_report_get", 1, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(r) != 1) {
		reply_error(req, 404, "There is no such problem report.");
		goto out;
	}
	admin_begin(req, "Problem report");
	form_summary(b, f);
	buf_puts(b, "<h1>Problem report</h1>\n<dl class=\"report\">"
	    "<dt>Listing</dt><dd>");
	link_to(b, "/services/", db_value(r, 0, REP_SERVICE), "",
	    db_value(r, 0, REP_NAME));
	buf_puts(b, " (");
	link_to(b, "/admin/services/", db_value(r, 0, REP_SERVICE),
	    "/edit", "correct or unpublish it");
	buf_puts(b, " · ");
	link_to(b, "/admin/services/", db_value(r, 0, REP_SERVICE),
	    "/history", "history");
	buf_puts(b, ")</dd><dt>Problem</dt><dd>");
	buf_html(b, problem_label(db_value(r, 0, REP_PROBLEM)));
	buf_puts(b, "</dd><dt>Details</dt><dd class=\"report-details\">");
	buf_html(b, db_text(r, 0, REP_DETAILS) != NULL ?
	    db_value(r, 0, REP_DETAILS) : "None given");
	buf_puts(b, "</dd><dt>Reply to</dt><dd>");
	if (db_text(r, 0, REP_EMAIL) != NULL) {
		buf_puts(b, "<a href=\"mailto:");
		buf_html(b, db_value(r, 0, REP_EMAIL));
		buf_puts(b, "\">");
		buf_html(b, db_value(r, 0, REP_EMAIL));
		buf_puts(b, "</a>");
	} else
		buf_puts(b, "No address given");
	buf_puts(b, "</dd><dt>Sent</dt><dd>");
	buf_html(b, db_value(r, 0, REP_CREATED));
	buf_puts(b, "</dd></dl>\n");
	if (strcmp(db_value(r, 0, REP_STATUS), "open") != 0) {
		buf_puts(b, "<p class=\"item-status\"><strong>");
		buf_puts(b, strcmp(db_value(r, 0, REP_STATUS), "resolved") ==
		    0 ? "Resolved" : "Dismissed");
		buf_puts(b, "</strong> ");
		buf_html(b, db_value(r, 0, REP_RESOLVED));
		if (db_text(r, 0, REP_RESOLVER) != NULL) {
			buf_puts(b, " by ");
			buf_html(b, db_value(r, 0, REP_RESOLVER));
		}
		if (db_text(r, 0, REP_RESOLUTION) != NULL) {
			buf_puts(b, ": ");
			buf_html(b, db_value(r, 0, REP_RESOLUTION));
		}
		buf_puts(b, "</p>\n");
	} else {
		buf_puts(b, "<form method=\"post\" action=\"/admin/reports/");
		buf_html(b, id);
		buf_puts(b, "/resolve\" novalidate>");
		form_csrf_input(b, req);
		form_field(b, f, "outcome");
		form_field(b, f, "note");
		buf_puts(b, "<button class=\"button\" type=\"submit\">Close the "
		    "report</button></form>\n");
	}
	admin_send(req, status);
out:
	db_free(r);
}

void
page_admin_report(struct http_request *req)
{
	struct form	 f;
	const char	*id;

	form_init(&f, resolve_fields, NFIELDS(resolve_fields));
	if ((id = route_uuid(req)) != NULL)
		report_page(req, id, &f, 200);
	form_free(&f);
}

void
page_admin_report_resolve(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct form		 f;
	struct buf		*b = &req->resp;
	const char		*id, *p[4];
	enum db_status		 st;

	form_init(&f, resolve_fields, NFIELDS(resolve_fields));
	if ((id = route_uuid(req)) == NULL)
		goto out;
	if (form_read(&f, req) > 0) {
		report_page(req, id, &f, 400);
		goto out;
	}
	p[0] = id;
	p[1] = form_value(&f, "outcome");
	p[2] = req->user_id;
	p[3] = form_value(&f, "note");
	if ((st = db_exec("adm_report_resolve", 4, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(r) == 0) {
		db_free(r);
		r = NULL;
		if ((st = db_exec("adm_report_get", 1, p, &r)) != DB_OK)
			reply_db_error(req, st);
		else if (db_rows(r) == 0)
			reply_error(req, 404, "There is no such problem "
			    "report.");
		else {
			admin_begin(req, "Someone else acted on this item "
			    "first");
			buf_puts(b, "<h1>Someone else acted on this item first"
			    "</h1>\n<p>The report was closed after you loaded "
			    "it.</p>\n<p>");
			link_to(b, "/admin/reports/", id, "",
			    "Reload the report");
			buf_puts(b, " to see how.</p>\n");
			admin_send(req, 409);
		}
		goto out;
	}
	log_info("problem report %s %s by %s", id, p[1], req->user_email);
	see_other(req, "/admin/reports/", id, "");
out:
	db_free(r);
	form_free(&f);
}

/* ------------------------------------------------------------------ */
/* A listing's history, and putting an earlier version back. */

/* adm_history's columns past the first eight. */
enum { H_BY_GROUP = 8, H_RWHEN, H_RACTION, H_RACTOR };

/* After a restore: which version was put back, said once, at the top. */
static void
restored_banner(struct buf *b, const struct db_result *h, const char *chg)
{
	int	i;

	if (chg == NULL)
		return;
	for (i = 0; i < db_rows(h); i++) {
		if (strcmp(db_value(h, i, 0), chg) != 0)
			continue;
		buf_puts(b, "<div class=\"confirmation\" role=\"status\"><p>"
		    "Put back: the version of ");
		buf_html(b, db_value(h, i, 1));
		buf_puts(b, " (");
		buf_html(b, db_value(h, i, 3));
		buf_puts(b, " by ");
		buf_html(b, db_value(h, i, 2));
		buf_puts(b, "). It is the listing now, recorded as the newest "
		    "change below.</p></div>\n");
		return;
	}
}

/* Restoring asks first, showing what would change. */
void
page_admin_restore_confirm(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	struct form		 f;
	const char		*id, *p[2];
	enum db_status		 st;

	form_init(&f, restore_fields, NFIELDS(restore_fields));
	if ((id = route_uuid(req)) == NULL)
		goto out;
	if (form_read(&f, req) > 0) {
		reply_error(req, 400, "The link was not complete. Choose the "
		    "version again from the history.");
		goto out;
	}
	p[0] = form_value(&f, "change");
	p[1] = id;
	if ((st = db_exec("adm_restore_preview", 2, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(r) != 1) {
		reply_error(req, 404, "That change is not in this listing's "
		    "history.");
		goto out;
	}
	admin_begin(req, "Put back this version?");
	buf_puts(b, "<h1>Put back this version?</h1>\n<p>The listing ");
	buf_html(b, db_value(r, 0, 6));
	buf_puts(b, " goes back to how it was after the change of <strong>");
	buf_html(b, db_value(r, 0, 0));
	buf_puts(b, "</strong> (");
	buf_html(b, db_value(r, 0, 2));
	buf_puts(b, " by ");
	buf_html(b, db_value(r, 0, 1));
	buf_puts(b, "), published at once. The history keeps the listing as "
	    "it is now, so this can be undone the same way.</p>\n");
	if (strcmp(db_value(r, 0, 5), form_value(&f, "version")) != 0)
		buf_puts(b, "<p class=\"warning\"><strong>The listing changed "
		    "since you loaded the history.</strong> Putting this back "
		    "will be refused; reload the history first.</p>\n");
	buf_puts(b, "<section aria-labelledby=\"h-diff\"><h2 id=\"h-diff\">"
	    "What changes</h2>\n");
	diff_section(b, db_value(r, 0, 4), db_value(r, 0, 3));
	buf_puts(b, "</section>\n<form method=\"post\" action=\""
	    "/admin/services/");
	buf_html(b, id);
	buf_puts(b, "/restore\">");
	form_csrf_input(b, req);
	hidden(b, "change", form_value(&f, "change"));
	hidden(b, "version", form_value(&f, "version"));
	buf_puts(b, "<button class=\"button\" type=\"submit\">Yes, put this "
	    "version back</button> ");
	link_to(b, "/admin/services/", id, "/history", "Cancel");
	buf_puts(b, "</form>\n");
	admin_send(req, 200);
out:
	db_free(r);
	form_free(&f);
}

void
page_admin_history(struct http_request *req)
{
	struct db_result	*s = NULL, *h = NULL;
	struct buf		*b = &req->resp;
	struct buf		 title;
	const char		*id, *p[2], *action;
	char			 lim[8];
	enum db_status		 st;
	int			 i;

	buf_init(&title);
	if ((id = route_uuid(req)) == NULL)
		goto out;
	p[0] = id;
	if ((st = db_exec("adm_service", 1, p, &s)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(s) != 1) {
		reply_error(req, 404, "There is no such listing.");
		goto out;
	}
	snprintf(lim, sizeof(lim), "%d", HISTORY_MAX);
	p[1] = lim;
	if ((st = db_exec("adm_history", 2, p, &h)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	buf_printf(&title, "History: %s", db_value(s, 0, 0));
	admin_begin(req, buf_cstr(&title));
	buf_puts(b, "<h1>");
	buf_html(b, buf_cstr(&title));
	buf_puts(b, "</h1>\n<p>");
	link_to(b, "/services/", id, "", "See the listing");
	buf_puts(b, " · ");
	link_to(b, "/admin/services/", id, "/edit", "Edit or unpublish it");
	buf_puts(b, ". Newest change first.</p>\n");
	restored_banner(b, h, http_param(req, "restored"));
	if (db_rows(h) == 0)
		buf_puts(b, "<p>No change to this listing has been recorded."
		    "</p>\n");
	for (i = 0; i < db_rows(h); i++) {
		action = db_value(h, i, 3);
		buf_puts(b, "<section class=\"history-entry\" id=\"change-");
		buf_html(b, db_value(h, i, 0));
		buf_puts(b, "\"><h2>");
		buf_html(b, db_value(h, i, 1));
		buf_puts(b, ": ");
		buf_html(b, action);
		if (strcmp(db_value(h, i, 2), "edit link") == 0)
			buf_puts(b, " by the group, through its link");
		else if (db_bool(h, i, H_BY_GROUP) == 1) {
			buf_puts(b, " by the group, approved by ");
			buf_html(b, db_value(h, i, 2));
		} else {
			buf_puts(b, " by ");
			buf_html(b, db_value(h, i, 2));
		}
		buf_puts(b, "</h2>\n");
		if (db_text(h, i, 4) != NULL) {
			buf_puts(b, "<p>Put back the version of <a href="
			    "\"#change-");
			buf_html(b, db_value(h, i, 4));
			buf_puts(b, "\">");
			if (db_text(h, i, H_RWHEN) != NULL) {
				buf_html(b, db_value(h, i, H_RWHEN));
				buf_puts(b, " (");
				buf_html(b, db_value(h, i, H_RACTION));
				buf_puts(b, " by ");
				buf_html(b, db_value(h, i, H_RACTOR));
				buf_puts(b, ")");
			} else
				buf_puts(b, "an earlier change");
			buf_puts(b, "</a>.</p>\n");
		}
		diff_section(b, db_text(h, i, 5), db_value(h, i, 6));
		if (db_bool(h, i, 7) == 1)
			buf_puts(b, "<p><strong>This is the listing as it is "
			    "now.</strong></p>\n");
		else {
			/* To the confirmation: nothing changes yet. */
			buf_puts(b, "<form method=\"get\" action=\""
			    "/admin/services/");
			buf_html(b, id);
			buf_puts(b, "/restore\">");
			hidden(b, "change", db_value(h, i, 0));
			hidden(b, "version", db_value(s, 0, 1));
			buf_puts(b, "<button class=\"button button-secondary\" "
			    "type=\"submit\">Restore this version</button>"
			    "</form>\n");
		}
		buf_puts(b, "</section>\n");
	}
	admin_send(req, 200);
out:
	db_free(s);
	db_free(h);
	buf_free(&title);
}

void
page_admin_restore(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	struct form		 f;
	const char		*id, *p[4];
	char			 state[8], msg[256];
	enum db_status		 st;

	form_init(&f, restore_fields, NFIELDS(restore_fields));
	if ((id = route_uuid(req)) == NULL)
		goto out;
	if (form_read(&f, req) > 0) {
		reply_error(req, 400, "The form was not complete. Reload the "
		    "history and try again.");
		goto out;
	}
	p[0] = form_value(&f, "change");
	p[1] = form_value(&f, "version");
	p[2] = req->user_id;
	p[3] = id;
	if ((st = db_tx_begin()) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	st = db_exec("adm_restore", 4, p, &r);
	if (st == DB_OK && db_rows(r) == 0) {
		db_tx_rollback();
		reply_error(req, 404, "That change is not in this listing's "
		    "history.");
		goto out;
	}
	if (st != DB_OK) {
		str_copy(state, sizeof(state), db_sqlstate());
		str_copy(msg, sizeof(msg), db_errmsg());
		db_tx_rollback();
		if (st != DB_ERROR)
			reply_db_error(req, st);
		else if (strcmp(state, "SP404") == 0)
			reply_error(req, 404, "That change is not in this "
			    "listing's history.");
		else if (strcmp(state, "SP412") == 0) {
			admin_begin(req, "The listing changed since you loaded "
			    "this page");
			buf_puts(b, "<h1>The listing changed since you loaded "
			    "this page</h1>\n<p>Nothing was restored. ");
			link_to(b, "/admin/services/", id, "/history",
			    "Reload the history");
			buf_puts(b, " to see the latest change, then choose "
			    "again.</p>\n");
			admin_send(req, 409);
		} else if (rule_broken(state)) {
			log_info("restore in %s refused: %s %s", id, state,
			    msg);
			admin_begin(req, "This version cannot be restored");
			buf_puts(b, "<h1>This version cannot be restored</h1>\n"
			    "<p>It breaks a rule the directory has now, so "
			    "nothing was changed. ");
			link_to(b, "/admin/services/", id, "/history",
			    "Back to the history");
			buf_puts(b, ".</p>\n");
			admin_send(req, 422);
		} else {
			log_warn("restore in %s: %s %s", id, state, msg);
			reply_error(req, 500, "Something went wrong on our "
			    "side. It has been logged; nothing was restored.");
		}
		goto out;
	}
	if ((st = db_tx_commit()) != DB_OK) {
		log_warn("restore in %s: commit: %s", id, db_errmsg());
		reply_error(req, 503, "We could not confirm that the version "
		    "was restored. Reload the history to see whether it was.");
		goto out;
	}
	log_info("service %s: change %s restored by %s", id, p[0],
	    req->user_email);
	{
		struct buf	loc;

		buf_init(&loc);
		buf_puts(&loc, "/history?restored=");
		buf_puts(&loc, form_value(&f, "change"));
		see_other(req, "/admin/services/", id, buf_cstr(&loc));
		buf_free(&loc);
	}
out:
	db_free(r);
	form_free(&f);
}
