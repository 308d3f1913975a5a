/*
 * The moderators' freshness pages.  See page_review.h.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "page.h"
#include "page_review.h"
#include "remind.h"
#include "reply.h"

#define REVIEW_ROWS	500
#define OUTBOX_ROWS	500
#define SENT_ROWS	50

/* What an outbox row is about: the link's path and the listing's name. */
#define OUTBOX_TARGET \
	"CASE WHEN s.id IS NOT NULL THEN '/services/' || s.id" \
	" ELSE '/admin/submissions/' || r.submission_id END," \
	" coalesce(s.name, sub.document->'service'->>'name', 'a listing')"

static const struct db_stmt stmts[] = {
	{ "review_due",
	  "SELECT s.id, s.name, o.name,"
	  " to_char(s.last_reviewed, 'FMDD FMMonth YYYY'),"
	  " to_char(d.due, 'FMDD FMMonth YYYY'), d.due < current_date,"
	  " s.review_email IS NOT NULL,"
	  " (SELECT to_char(max(r.sent_at) AT TIME ZONE 'Europe/London',"
	  "   'FMDD FMMonth YYYY') FROM outbox r"
	  "   WHERE r.kind = 'reminder' AND r.service_id = s.id"
	  "   AND r.review_due = d.due),"
	  " count(*) OVER ()"
	  " FROM service s"
	  " JOIN organization o ON o.id = s.organization_id"
	  " CROSS JOIN LATERAL (SELECT " REMIND_DUE_SQL " AS due) d"
	  " WHERE s.status = 'active'"
	  " AND (d.due IS NULL OR d.due <= current_date + interval '2 months')"
	  " ORDER BY s.last_reviewed NULLS FIRST, d.due, s.name, s.id"
	  " LIMIT $2::int" },
	/*
	 * A message about a listing not yet published links to the item
	 * in the queue instead of the service page.
	 */
	{ "review_outbox_waiting",
	  "SELECT r.to_email, r.subject,"
	  " to_char(r.created_at AT TIME ZONE 'Europe/London',"
	  "   'FMDD FMMonth YYYY HH24:MI'), r.last_error, " OUTBOX_TARGET ","
	  " count(*) OVER ()"
	  " FROM outbox r LEFT JOIN service s ON s.id = r.service_id"
	  " LEFT JOIN submission sub ON sub.id = r.submission_id"
	  " WHERE r.sent_at IS NULL ORDER BY r.created_at, r.id"
	  " LIMIT $1::int" },
	{ "review_outbox_sent",
	  "SELECT r.to_email, r.subject,"
	  " to_char(r.sent_at AT TIME ZONE 'Europe/London',"
	  "   'FMDD FMMonth YYYY HH24:MI'), " OUTBOX_TARGET
	  " FROM outbox r LEFT JOIN service s ON s.id = r.service_id"
	  " LEFT JOIN submission sub ON sub.id = r.submission_id"
	  " WHERE r.sent_at IS NOT NULL ORDER BY r.sent_at DESC, r.id DESC"
	  " LIMIT $1::int" },
};

void
page_review_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static void
admin_nav(struct buf *b, const char *here)
{
	static const struct {
		const char	*path;
		const char	*label;
	} items[] = {
		{ "/admin/review", "Due for review" },
		{ "/admin/outbox", "Outbox" },
	};
	size_t	i;

	buf_puts(b, "<nav aria-label=\"Moderation\"><ul class=\"inline\">");
	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		buf_printf(b, "<li><a href=\"%s\"%s>%s</a></li>", items[i].path,
		    strcmp(items[i].path, here) == 0 ?
		    " aria-current=\"page\"" : "", items[i].label);
	}
	buf_puts(b, "</ul></nav>\n");
}

static void
listing_link(struct buf *b, const char *id, const char *name)
{
	buf_puts(b, "<a href=\"/services/");
	buf_url(b, id);
	buf_puts(b, "\">");
	buf_html(b, name);
	buf_puts(b, "</a>");
}

/* An outbox row's listing: its page, or its item in the queue. */
static void
link_to(struct buf *b, const char *href, const char *name)
{
	buf_puts(b, "<a href=\"");
	buf_html(b, href);
	buf_puts(b, "\">");
	buf_html(b, name);
	buf_puts(b, "</a>");
}

static int
total_of(const struct db_result *r, int col)
{
	long long	n;

	if (db_rows(r) == 0 || str_to_ll(db_value(r, 0, col), 0, 1 << 30,
	    &n) == -1)
		return (db_rows(r));
	return ((int)n);
}

/* review_due's columns. */
enum {
	R_ID, R_NAME, R_ORG, R_CHECKED, R_DUE, R_OVERDUE, R_HAS_EMAIL,
	R_REMINDED, R_TOTAL
};

void
page_review(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	const char		*p[2];
	char			 months[16], lim[16];
	enum db_status		 st;
	int			 i, total;

	snprintf(months, sizeof(months), "%d", config.review_months);
	snprintf(lim, sizeof(lim), "%d", REVIEW_ROWS);
	p[0] = months;
	p[1] = lim;
	if ((st = db_exec("review_due", 2, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	total = total_of(r, R_TOTAL);
	page_begin(req, "Listings due for review", PAGE_NOINDEX);
	admin_nav(b, "/admin/review");
	buf_puts(b, "<h1>Listings due for review</h1>\n");
	if (total == 0)
		buf_puts(b, "<p>No listing is due for review in the next two "
		    "months.</p>\n");
	else
		buf_printf(b, "<p><strong>%d listing%s</strong> %s overdue for "
		    "review or due within two months.%s</p>\n", total,
		    total == 1 ? "" : "s", total == 1 ? "is" : "are",
		    total > db_rows(r) ? " The oldest are shown first." : "");
	buf_printf(b, "<p>A listing is due %d months after it was last "
	    "checked. Its contact is reminded by e-mail at %d and %d months "
	    "(see the <a href=\"/admin/outbox\">outbox</a>).</p>\n",
	    config.review_months, config.reminder_months_first,
	    config.reminder_months_second);
	if (db_rows(r) == 0)
		goto end;
	buf_printf(b, "<table class=\"schedule\">\n<caption>Listings due for "
	    "review, oldest check first (%d%s)</caption>\n<thead><tr>"
	    "<th scope=\"col\">Listing</th>"
	    "<th scope=\"col\">Last checked</th>"
	    "<th scope=\"col\">Review due</th>"
	    "<th scope=\"col\">Reminder</th>"
	    "<th scope=\"col\">History</th></tr></thead>\n<tbody>\n",
	    db_rows(r), total > db_rows(r) ? " shown" : "");
	for (i = 0; i < db_rows(r); i++) {
		buf_puts(b, "<tr><th scope=\"row\">");
		listing_link(b, db_value(r, i, R_ID), db_value(r, i, R_NAME));
		buf_puts(b, "<br><small>");
		buf_html(b, db_value(r, i, R_ORG));
		buf_puts(b, "</small></th><td>");
		if (db_isnull(r, i, R_CHECKED))
			buf_puts(b, "Never checked");
		else {
			buf_puts(b, "Not checked since ");
			buf_html(b, db_value(r, i, R_CHECKED));
		}
		buf_puts(b, "</td><td>");
		if (db_isnull(r, i, R_DUE))
			buf_puts(b, "Now");
		else if (db_bool(r, i, R_OVERDUE) == 1) {
			buf_puts(b, "<strong>Overdue</strong> since ");
			buf_html(b, db_value(r, i, R_DUE));
		} else {
			buf_puts(b, "Due ");
			buf_html(b, db_value(r, i, R_DUE));
		}
		buf_puts(b, "</td><td>");
		if (db_bool(r, i, R_HAS_EMAIL) != 1)
			buf_puts(b, "No contact e-mail");
		else if (db_isnull(r, i, R_REMINDED))
			buf_puts(b, "None sent yet");
		else {
			buf_puts(b, "Sent ");
			buf_html(b, db_value(r, i, R_REMINDED));
		}
		buf_puts(b, "</td><td><a href=\"/admin/services/");
		buf_url(b, db_value(r, i, R_ID));
		buf_puts(b, "/history\">History<span class=\"visually-hidden\"> "
		    "of ");
		buf_html(b, db_value(r, i, R_NAME));
		buf_puts(b, "</span></a></td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
 end:
	page_end(req, 0);
	page_send(req, 200);
	http_header_set(req, "Cache-Control", "no-store");
 out:
	db_free(r);
}

/* review_outbox_waiting's columns; sent: to, subject, when, href, name. */
enum {
	W_TO, W_SUBJECT, W_CREATED, W_ERROR, W_HREF, W_NAME, W_TOTAL
};

void
page_outbox(struct http_request *req)
{
	struct db_result	*w = NULL, *s = NULL;
	struct buf		*b = &req->resp;
	const char		*p[1];
	char			 lim[16];
	enum db_status		 st;
	int			 i, total;

	snprintf(lim, sizeof(lim), "%d", OUTBOX_ROWS);
	p[0] = lim;
	if ((st = db_exec("review_outbox_waiting", 1, p, &w)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	snprintf(lim, sizeof(lim), "%d", SENT_ROWS);
	if ((st = db_exec("review_outbox_sent", 1, p, &s)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	total = total_of(w, W_TOTAL);
	page_begin(req, "Outbox", PAGE_NOINDEX);
	admin_nav(b, "/admin/outbox");
	buf_puts(b, "<h1>Outbox</h1>\n<p>Every e-mail to a group: the "
	    "private link when a listing is sent, the moderator&rsquo;s "
	    "decision, and the reminders to check it.</p>\n");
	buf_printf(b, "<p><strong>%d e-mail%s</strong> waiting to be "
	    "sent.</p>\n", total, total == 1 ? "" : "s");
	if (config.smtp_url[0] == '\0')
		buf_puts(b, "<p class=\"notice notice-warning\">No mail server "
		    "is set up (<code>smtp_url</code>), so e-mails wait here. "
		    "Once it is set, the server sends them within a minute of "
		    "its start, and so does <code>signpost remind</code>.</p>\n");
	else if (total > 0)
		buf_puts(b, "<p>The server tries again every minute, and so "
		    "does the next <code>signpost remind</code>.</p>\n");
	if (db_rows(w) > 0) {
		buf_printf(b, "<table class=\"schedule\">\n<caption>Waiting "
		    "to be sent (%d%s)</caption>\n<thead><tr>"
		    "<th scope=\"col\">To</th>"
		    "<th scope=\"col\">Listing</th>"
		    "<th scope=\"col\">Subject</th>"
		    "<th scope=\"col\">Queued</th>"
		    "<th scope=\"col\">Last error</th></tr></thead>\n"
		    "<tbody>\n", db_rows(w), total > db_rows(w) ?
		    " oldest shown" : "");
		for (i = 0; i < db_rows(w); i++) {
			buf_puts(b, "<tr><th scope=\"row\">");
			buf_html(b, db_value(w, i, W_TO));
			buf_puts(b, "</th><td>");
			link_to(b, db_value(w, i, W_HREF),
			    db_value(w, i, W_NAME));
			buf_puts(b, "</td><td>");
			buf_html(b, db_value(w, i, W_SUBJECT));
			buf_puts(b, "</td><td>");
			buf_html(b, db_value(w, i, W_CREATED));
			buf_puts(b, "</td><td>");
			if (db_isnull(w, i, W_ERROR))
				buf_puts(b, "None (not tried yet)");
			else
				buf_html(b, db_value(w, i, W_ERROR));
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</tbody>\n</table>\n");
	}
	if (db_rows(s) == 0)
		buf_puts(b, "<p>No e-mail has been sent yet.</p>\n");
	else {
		buf_printf(b, "<table class=\"schedule\">\n<caption>The %d "
		    "most recently sent</caption>\n<thead><tr>"
		    "<th scope=\"col\">To</th>"
		    "<th scope=\"col\">Listing</th>"
		    "<th scope=\"col\">Subject</th>"
		    "<th scope=\"col\">Sent</th></tr></thead>\n<tbody>\n",
		    db_rows(s));
		for (i = 0; i < db_rows(s); i++) {
			buf_puts(b, "<tr><th scope=\"row\">");
			buf_html(b, db_value(s, i, 0));
			buf_puts(b, "</th><td>");
			link_to(b, db_value(s, i, 3), db_value(s, i, 4));
			buf_puts(b, "</td><td>");
			buf_html(b, db_value(s, i, 1));
			buf_puts(b, "</td><td>");
			buf_html(b, db_value(s, i, 2));
			buf_puts(b, "</td></tr>\n");
		}
		buf_puts(b, "</tbody>\n</table>\n");
	}
	page_end(req, 0);
	page_send(req, 200);
	http_header_set(req, "Cache-Control", "no-store");
 out:
	db_free(w);
	db_free(s);
}
