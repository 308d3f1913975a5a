/*
 * Freshness reminders and the moderators' review pages.  See remind.h.
 *
 * A reminder is a row of table outbox (outbox.c sends it): queued with
 * its whole text, then sent, so that a run without SMTP (or with SMTP
 * down) leaves it in the outbox for the next run.  The row's unique key
 * (listing, review cycle, stage) is what makes each reminder happen once.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "outbox.h"
#include "page.h"
#include "remind.h"
#include "reply.h"

#define REVIEW_ROWS	500
#define OUTBOX_ROWS	500
#define SENT_ROWS	50

/* A listing's cycle ends at review_due, or review_months after its check. */
#define DUE_SQL \
	"coalesce(s.review_due, (s.last_reviewed" \
	" + make_interval(months => $1::int))::date)"

/* What an outbox row is about: the link's path and the listing's name. */
#define OUTBOX_TARGET \
	"CASE WHEN s.id IS NOT NULL THEN '/services/' || s.id" \
	" ELSE '/admin/submissions/' || r.submission_id END," \
	" coalesce(s.name, sub.document->'service'->>'name', 'a listing')"

static const struct db_stmt stmts[] = {
	/*
	 * The latest stage each listing has reached in its cycle, unless
	 * that stage or a later one was already queued: a listing first seen
	 * at 11 months gets one reminder, not two at once.
	 */
	{ "remind_due",
	  "SELECT DISTINCT ON (s.id) s.id, s.name, s.review_email,"
	  " to_char(s.last_reviewed, 'FMDD FMMonth YYYY'), d.due,"
	  " to_char(d.due, 'FMDD FMMonth YYYY'), st.stage,"
	  " (SELECT sub.id FROM submission sub WHERE sub.service_id = s.id"
	  "   AND sub.status = 'approved' ORDER BY sub.decided_at DESC"
	  "   LIMIT 1)"
	  " FROM service s"
	  " CROSS JOIN LATERAL (SELECT " DUE_SQL " AS due) d"
	  " CROSS JOIN (VALUES ($2::int), ($3::int)) st (stage)"
	  " WHERE s.status = 'active' AND s.review_email IS NOT NULL"
	  " AND s.last_reviewed IS NOT NULL"
	  " AND current_date >= s.last_reviewed"
	  "   + make_interval(months => st.stage)"
	  " AND NOT EXISTS (SELECT 1 FROM outbox r"
	  "   WHERE r.kind = 'reminder' AND r.service_id = s.id"
	  "   AND r.review_due = d.due"
	  "   AND r.stage >= st.stage)"
	  " ORDER BY s.id, st.stage DESC" },
	{ "remind_token_insert",
	  "INSERT INTO edit_token (token_hash, submission_id)"
	  " VALUES ($1::bytea, $2)" },
	{ "remind_insert",
	  "INSERT INTO outbox (kind, service_id, review_due, stage,"
	  " to_email, subject, body) VALUES ('reminder', $1, $2::date,"
	  " $3::smallint, $4, $5, $6)"
	  " ON CONFLICT ON CONSTRAINT outbox_reminder_once DO NOTHING"
	  " RETURNING id" },
	{ "remind_waiting",
	  "SELECT count(*) FROM outbox WHERE sent_at IS NULL" },
	{ "remind_review",
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
	  " CROSS JOIN LATERAL (SELECT " DUE_SQL " AS due) d"
	  " WHERE s.status = 'active'"
	  " AND (d.due IS NULL OR d.due <= current_date + interval '2 months')"
	  " ORDER BY s.last_reviewed NULLS FIRST, d.due, s.name, s.id"
	  " LIMIT $2::int" },
	/*
	 * A message about a listing not yet published links to the item
	 * in the queue instead of the service page.
	 */
	{ "remind_outbox_waiting",
	  "SELECT r.to_email, r.subject,"
	  " to_char(r.created_at AT TIME ZONE 'Europe/London',"
	  "   'FMDD FMMonth YYYY HH24:MI'), r.last_error, " OUTBOX_TARGET ","
	  " count(*) OVER ()"
	  " FROM outbox r LEFT JOIN service s ON s.id = r.service_id"
	  " LEFT JOIN submission sub ON sub.id = r.submission_id"
	  " WHERE r.sent_at IS NULL ORDER BY r.created_at, r.id"
	  " LIMIT $1::int" },
	{ "remind_outbox_sent",
	  "SELECT r.to_email, r.subject,"
	  " to_char(r.sent_at AT TIME ZONE 'Europe/London',"
	  "   'FMDD FMMonth YYYY HH24:MI'), " OUTBOX_TARGET
	  " FROM outbox r LEFT JOIN service s ON s.id = r.service_id"
	  " LEFT JOIN submission sub ON sub.id = r.submission_id"
	  " WHERE r.sent_at IS NOT NULL ORDER BY r.sent_at DESC, r.id DESC"
	  " LIMIT $1::int" },
};

/* remind_due's columns. */
enum {
	D_ID, D_NAME, D_EMAIL, D_CHECKED, D_DUE, D_DUE_TEXT, D_STAGE, D_SUB
};

struct counts {
	int			queued;
	int			skipped;	/* no edit link possible, or
						 * could not queue */
	struct outbox_counts	mail;
};

void
remind_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/* Queueing. */

static void
compose(struct buf *subject, struct buf *body, const struct db_result *r,
    int i, int second, const char *token)
{
	struct buf	 one;
	const char	*name, *p;

	/* A name is one line, in the subject and in the text. */
	buf_init(&one);
	for (p = db_value(r, i, D_NAME); *p != '\0'; p++)
		buf_append(&one, (unsigned char)*p < ' ' ? " " : p, 1);
	name = buf_cstr(&one);
	buf_printf(subject, "%sPlease check your listing: %s",
	    second ? "Second reminder: " : "", name);
	buf_printf(body, "Hello,\n\n%s from Signpost about your "
	    "listing:\n\n  %s\n\n", second ? "This is a second reminder" :
	    "This is a reminder", name);
	buf_printf(body, "It was last checked on %s.\n"
	    "We ask every group to check its listing at least once every %d\n"
	    "months, so that people who find it get the right times and "
	    "places.\nPlease look at it before %s.\n\n",
	    db_value(r, i, D_CHECKED), config.review_months,
	    db_value(r, i, D_DUE_TEXT));
	buf_printf(body, "Your listing's private page:\n\n  %s/edit/%s\n\n",
	    config.public_url, token);
	buf_puts(body, "If everything is still right, press the \"still "
	    "correct\" button on\nthat page: that is all. If something has "
	    "changed, change it there\nand a moderator will publish it.\n\n"
	    "Please keep this link to yourself: anyone who has it can "
	    "change\nthe listing, or take it off Signpost at once.\n\n"
	    "-- \nSignpost\n");
	if (one.oom)
		subject->oom = 1;
	buf_free(&one);
}

/*
 * One reminder in one transaction: a new edit link on the listing's
 * latest approved submission, and the reminder carrying it.  DB_ERROR is
 * this listing's problem (logged); DB_UNAVAILABLE ends the run.
 */
static enum db_status
queue_one(const struct db_result *due, int i, struct counts *n)
{
	struct db_result	*r = NULL;
	struct buf		 subject, body;
	const char		*p[6];
	char			 tok[AUTH_TOKEN_HEX + 1], lit[AUTH_HASH_LIT];
	long long		 stage;
	enum db_status		 st;

	buf_init(&subject);
	buf_init(&body);
	if (str_to_ll(db_value(due, i, D_STAGE), 1, 120, &stage) == -1) {
		st = DB_ERROR;
		goto out;
	}
	auth_token_new(tok, lit);
	compose(&subject, &body, due, i, stage ==
	    config.reminder_months_second &&
	    config.reminder_months_second != config.reminder_months_first,
	    tok);
	if (subject.oom || body.oom) {
		log_warn("remind: out of memory");
		st = DB_ERROR;
		goto out;
	}
	if ((st = db_tx_begin()) != DB_OK)
		goto out;
	p[0] = lit;
	p[1] = db_value(due, i, D_SUB);
	if ((st = db_exec("remind_token_insert", 2, p, NULL)) != DB_OK)
		goto fail;
	p[0] = db_value(due, i, D_ID);
	p[1] = db_value(due, i, D_DUE);
	p[2] = db_value(due, i, D_STAGE);
	p[3] = db_value(due, i, D_EMAIL);
	p[4] = buf_cstr(&subject);
	p[5] = buf_cstr(&body);
	if ((st = db_exec("remind_insert", 6, p, &r)) != DB_OK)
		goto fail;
	if (db_rows(r) == 0) {
		/* Another run queued it just now: keep no second link. */
		db_tx_rollback();
		goto out;
	}
	if ((st = db_tx_commit()) != DB_OK) {
		log_warn("remind: %s: commit not confirmed: %s",
		    db_value(due, i, D_ID), db_errmsg());
		goto out;
	}
	n->queued++;
	log_info("remind: queued the month-%lld reminder for %s (%s)", stage,
	    db_value(due, i, D_ID), db_value(due, i, D_NAME));
	goto out;
 fail:
	log_warn("remind: cannot queue a reminder for %s: %s %s",
	    db_value(due, i, D_ID), db_sqlstate(), db_errmsg());
	db_tx_rollback();
 out:
	if (st == DB_ERROR)
		n->skipped++;
	db_free(r);
	buf_free(&subject);
	buf_free(&body);
	sodium_memzero(tok, sizeof(tok));
	return (st);
}

static enum db_status
queue(struct counts *n)
{
	struct db_result	*r = NULL;
	const char		*p[3];
	char			 months[16], first[16], second[16];
	enum db_status		 st;
	int			 i;

	snprintf(months, sizeof(months), "%d", config.review_months);
	snprintf(first, sizeof(first), "%d", config.reminder_months_first);
	snprintf(second, sizeof(second), "%d", config.reminder_months_second);
	p[0] = months;
	p[1] = first;
	p[2] = second;
	if ((st = db_exec("remind_due", 3, p, &r)) != DB_OK) {
		log_warn("remind: cannot list the listings due: %s",
		    db_errmsg());
		goto out;
	}
	for (i = 0; i < db_rows(r); i++) {
		if (db_isnull(r, i, D_SUB)) {
			/* Demo and imported listings: no link to give. */
			log_info("remind: %s (%s) has no approved submission "
			    "for an edit link (demo or imported?): no "
			    "reminder", db_value(r, i, D_ID),
			    db_value(r, i, D_NAME));
			n->skipped++;
			continue;
		}
		if ((st = queue_one(r, i, n)) == DB_UNAVAILABLE)
			goto out;
	}
	st = DB_OK;
 out:
	db_free(r);
	return (st);
}

static void
summary(const struct counts *n)
{
	struct db_result	*r = NULL;

	printf("%d reminder%s queued, %d sent, %d failed", n->queued,
	    n->queued == 1 ? "" : "s", n->mail.sent, n->mail.failed);
	if (db_exec("remind_waiting", 0, NULL, &r) == DB_OK)
		printf("; %s waiting in the outbox", db_value(r, 0, 0));
	if (n->skipped > 0)
		printf("; %d listing%s skipped (see the log)", n->skipped,
		    n->skipped == 1 ? "" : "s");
	printf("\n");
	db_free(r);
}

int
remind_main(void)
{
	struct counts	n = { 0, 0, { 0, 0 } };
	int		ret = 1;

	if (sodium_init() < 0) {
		log_warn("remind: cannot initialise libsodium");
		return (1);
	}
	if (outbox_open() == -1)
		return (1);
	if (db_ping() != DB_OK) {
		log_warn("remind: database not reachable: %s", db_errmsg());
		goto out;
	}
	if (queue(&n) == DB_UNAVAILABLE)
		goto unreachable;
	if (config.smtp_url[0] == '\0')
		log_info("remind: smtp_url is not set: reminders wait in the "
		    "outbox (/admin/outbox)");
	else if (outbox_send(&n.mail) == DB_UNAVAILABLE)
		goto unreachable;
	summary(&n);
	ret = 0;
	goto out;
 unreachable:
	log_warn("remind: lost the database: %s", db_errmsg());
	printf("%d reminder%s queued, %d sent, %d failed (database lost)\n",
	    n.queued, n.queued == 1 ? "" : "s", n.mail.sent, n.mail.failed);
 out:
	db_close();
	outbox_close();
	return (ret);
}

/* The moderators' pages. */

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

/* remind_review's columns. */
enum {
	R_ID, R_NAME, R_ORG, R_CHECKED, R_DUE, R_OVERDUE, R_HAS_EMAIL,
	R_REMINDED, R_TOTAL
};

void
remind_page_review(struct http_request *req)
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
	if ((st = db_exec("remind_review", 2, p, &r)) != DB_OK) {
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

/* remind_outbox_waiting's columns; sent: to, subject, when, href, name. */
enum {
	W_TO, W_SUBJECT, W_CREATED, W_ERROR, W_HREF, W_NAME, W_TOTAL
};

void
remind_page_outbox(struct http_request *req)
{
	struct db_result	*w = NULL, *s = NULL;
	struct buf		*b = &req->resp;
	const char		*p[1];
	char			 lim[16];
	enum db_status		 st;
	int			 i, total;

	snprintf(lim, sizeof(lim), "%d", OUTBOX_ROWS);
	p[0] = lim;
	if ((st = db_exec("remind_outbox_waiting", 1, p, &w)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	snprintf(lim, sizeof(lim), "%d", SENT_ROWS);
	if ((st = db_exec("remind_outbox_sent", 1, p, &s)) != DB_OK) {
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
