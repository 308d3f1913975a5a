/*
 * Community listings without an account.  A group submits a listing; it
 * waits for a moderator (app/page_admin.c); the group keeps a private
 * link (/edit/{token}) to change it, to say it is still correct, or to
 * withdraw it.  The token is 256 random bits; only its hash is stored
 * (app/auth.c), and a wrong, old or withdrawn link is a plain 404 that
 * does not say which.  Each write is one transaction, committed before
 * the page that confirms it is sent.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "http.h"
#include "listing.h"
#include "log.h"
#include "notify.h"
#include "outbox.h"
#include "page.h"
#include "page_submit.h"
#include "reply.h"

#define HONEYPOT	"nickname"

static const struct db_stmt stmts[] = {
	{ "submit_recent",
	  "SELECT count(*), coalesce(ceil(extract(epoch FROM min(created_at)"
	  " + interval '1 hour' - now())), 0)::int"
	  " FROM submission WHERE submitter_ip = $1"
	  " AND created_at > now() - interval '1 hour'" },
	{ "submit_check",
	  "SELECT listing_check($1::jsonb)" },
	{ "submit_insert",
	  "INSERT INTO submission (kind, document, submitter_ip)"
	  " VALUES ('new', $1::jsonb, $2) RETURNING id" },
	{ "submit_token",
	  "INSERT INTO edit_token (token_hash, submission_id)"
	  " VALUES ($1::bytea, $2)" },
	/*
	 * What a link leads to: its first submission, the listing once
	 * published, and the item waiting for a moderator if there is one.
	 */
	{ "edit_lookup",
	  "SELECT t.token_hash, s.id, s.status, s.reason, sv.id, sv.status,"
	  " sv.version, sv.name, to_char(sv.last_reviewed, 'FMDD FMMonth YYYY'),"
	  " p.id, p.version, p.document::text,"
	  " CASE WHEN sv.id IS NOT NULL THEN listing_document(sv.id)::text END,"
	  " s.document::text, s.version"
	  " FROM edit_token t"
	  " JOIN submission s ON s.id = t.submission_id"
	  " LEFT JOIN service sv ON sv.id = s.service_id"
	  " LEFT JOIN submission p ON p.status = 'pending'"
	  "   AND (p.id = s.id OR (s.service_id IS NOT NULL"
	  "   AND p.service_id = s.service_id))"
	  " WHERE t.token_hash = $1::bytea" },
	{ "edit_update_pending",
	  "UPDATE submission SET document = $2::jsonb, version = version + 1,"
	  " updated_at = now()"
	  " WHERE id = $1 AND version = $3::int AND status = 'pending'" },
	/*
	 * A new listing a moderator did not publish, changed by its group
	 * and sent back to the queue.  The reason stays, so that the next
	 * moderator sees what was asked.
	 */
	{ "edit_resend_rejected",
	  "UPDATE submission SET document = $2::jsonb, version = version + 1,"
	  " status = 'pending', decided_at = NULL, decided_by = NULL,"
	  " updated_at = now()"
	  " WHERE id = $1 AND version = $3::int AND status = 'rejected'"
	  " AND service_id IS NULL" },
	{ "edit_insert_update",
	  "INSERT INTO submission (kind, service_id, document, base_version,"
	  " submitter_ip)"
	  " SELECT 'update', id, $2::jsonb, version, $4 FROM service"
	  " WHERE id = $1 AND version = $3::int AND status = 'active'" },
	{ "edit_confirm",
	  "WITH d AS (SELECT listing_document($1) AS doc)"
	  " INSERT INTO listing_change (service_id, actor, action, before,"
	  "   after)"
	  " SELECT s.id, 'edit link', 'confirmed', d.doc, d.doc"
	  " FROM service s, d WHERE s.id = $1 AND s.status = 'active'" },
	{ "edit_confirm_date",
	  "UPDATE service SET last_reviewed = current_date,"
	  " review_due = current_date + make_interval(months => $2::int)"
	  " WHERE id = $1 AND status = 'active'" },
	{ "edit_withdraw_service",
	  "WITH d AS (SELECT listing_document($1) AS doc),"
	  " u AS (UPDATE service SET status = 'inactive',"
	  "   version = version + 1 WHERE id = $1 AND status = 'active'"
	  "   RETURNING id)"
	  " INSERT INTO listing_change (service_id, actor, action, before,"
	  "   after)"
	  " SELECT u.id, 'edit link', 'withdrawn', d.doc,"
	  "   jsonb_set(d.doc, '{withdrawn}', 'true') FROM u, d" },
	{ "edit_withdraw_pending",
	  "UPDATE submission SET status = 'rejected', decided_at = now(),"
	  " updated_at = now(), reason = 'Withdrawn by the group'"
	  " WHERE (id = $1 OR ($2::uuid IS NOT NULL AND service_id = $2))"
	  " AND status = 'pending'" },
	{ "edit_forget",
	  "DELETE FROM edit_token WHERE submission_id = $1" },
};

enum {
	E_HASH, E_SUB, E_SUBSTATUS, E_REASON, E_SVC, E_SVCSTATUS, E_VERSION,
	E_NAME, E_CHECKED, E_PENDING, E_PVERSION, E_PDOC, E_DOC, E_SUBDOC,
	E_SUBVERSION
};

void
page_submit_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static void
honeypot(struct buf *b)
{
	/* Hidden from people (and screen readers); bots fill it in. */
	buf_puts(b, "<div class=\"hp\" aria-hidden=\"true\"><label for=\""
	    HONEYPOT "\">Leave this empty</label><input type=\"text\" "
	    "name=\"" HONEYPOT "\" id=\"" HONEYPOT "\" tabindex=\"-1\" "
	    "autocomplete=\"off\"></div>\n");
}

static void
submit_page(struct http_request *req, const struct form *f, int status)
{
	struct buf	*b = &req->resp;

	page_begin(req, f->nerr > 0 ? "Error: Add a listing" :
	    "Add a listing", PAGE_NOINDEX);
	form_summary(b, f);
	buf_puts(b, "<h1>Add a listing</h1>\n<p>Tell us about a service, "
	    "walking group or activity that people can go to. You do not "
	    "need an account. A moderator checks every listing before it "
	    "appears, usually within two working days.</p>\n"
	    "<form class=\"listing-form\" method=\"post\" action=\"/submit\" "
	    "novalidate>\n");
	form_csrf_input(b, req);
	honeypot(b);
	listing_form_html(b, f);
	buf_puts(b, "<button type=\"submit\" class=\"button\">Send for "
	    "checking</button>\n</form>\n");
	page_end(req, 0);
	page_send(req, status);
	http_header_set(req, "Cache-Control", "no-store");
}

void
page_submit_form(struct http_request *req)
{
	struct form	f;

	listing_form_init(&f);
	submit_page(req, &f, 200);
	form_free(&f);
}

/*
 * 1 when this address may submit now; 0 when it has sent its hour's
 * share, with the seconds until it may send again in *wait.
 */
static int
rate_ok(struct http_request *req, enum db_status *st, long long *wait)
{
	struct db_result	*r = NULL;
	const char		*p[1] = { req->client_ip };
	long long		 n = 0;

	*wait = 0;
	if ((*st = db_exec("submit_recent", 1, p, &r)) != DB_OK)
		return (0);
	(void)str_to_ll(db_value(r, 0, 0), 0, LLONG_MAX, &n);
	(void)str_to_ll(db_value(r, 0, 1), 0, 3600, wait);
	db_free(r);
	if (*wait <= 0)
		*wait = 60;
	return (n < config.submissions_per_hour);
}

/*
 * Too many from this connection: the form again with everything typed
 * (read and checked as usual, so its own errors show too), and when to
 * try again.  Nothing is stored.
 */
static void
busy_page(struct http_request *req, struct form *f, long long wait)
{
	char		ra[24], msg[512];
	long long	mins = (wait + 59) / 60;
	enum db_status	st;

	if ((st = listing_form_check(f, req)) != DB_OK) {
		reply_db_error(req, st);
		return;
	}
	snprintf(msg, sizeof(msg), "We have had several listings from your "
	    "connection in the last hour, so we cannot take this one yet. "
	    "Everything you typed is still below: please send it again in "
	    "%lld minute%s%s%s%s.", mins, mins == 1 ? "" : "s",
	    config.contact_email[0] != '\0' ? ", or write to us at " : "",
	    config.contact_email,
	    config.contact_email[0] != '\0' ? " if you cannot wait" : "");
	form_error(f, NULL, msg);
	snprintf(ra, sizeof(ra), "%lld", wait);
	submit_page(req, f, 429);
	http_header_set(req, "Retry-After", ra);
}

/*
 * Would it publish?  The CHECKs are the last line: what the form let
 * through and the database would refuse goes back on its field.
 * Returns 1 when it would, 0 with the error on the form.
 */
static enum db_status
would_publish(struct form *f, const char *doc, int *ok)
{
	struct db_result	*r = NULL;
	const char		*p[1] = { doc };
	enum db_status		 st;

	*ok = 0;
	if ((st = db_exec("submit_check", 1, p, &r)) != DB_OK)
		return (st);
	if (db_value(r, 0, 0) == NULL)
		*ok = 1;
	else
		listing_form_constraint(f, db_value(r, 0, 0));
	db_free(r);
	return (DB_OK);
}

static void
tx_fail(struct http_request *req, enum db_status st)
{
	db_tx_rollback();
	reply_db_error(req, st);
}

enum checked {
	CHECKED_OPEN,		/* in the transaction, the document made */
	CHECKED_REDRAW,		/* the form has errors: draw it again */
	CHECKED_SENT		/* an error page has been sent */
};

/*
 * Read and check a posted listing, make its document, and open the
 * transaction that stores it, with the document first tried against the
 * database's CHECKs inside it.
 */
static enum checked
checked_tx(struct http_request *req, struct form *f, char **doc)
{
	enum db_status	st;
	int		ok;

	if ((st = listing_form_check(f, req)) != DB_OK) {
		reply_db_error(req, st);
		return (CHECKED_SENT);
	}
	if (f->nerr > 0)
		return (CHECKED_REDRAW);
	if ((*doc = listing_form_document(f)) == NULL) {
		reply_error(req, 500, "Something went wrong on our side.");
		return (CHECKED_SENT);
	}
	if ((st = db_tx_begin()) != DB_OK) {
		reply_db_error(req, st);
		return (CHECKED_SENT);
	}
	if ((st = would_publish(f, *doc, &ok)) != DB_OK) {
		tx_fail(req, st);
		return (CHECKED_SENT);
	}
	if (!ok) {
		db_tx_rollback();
		return (CHECKED_REDRAW);
	}
	return (CHECKED_OPEN);
}

void
page_submit_post(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct form		 f;
	struct buf		 loc;
	char			*doc = NULL, tok[AUTH_TOKEN_HEX + 1];
	char			 lit[AUTH_HASH_LIT];
	const char		*p[2];
	long long		 wait;
	enum db_status		 st;

	listing_form_init(&f);
	buf_init(&loc);
	if (http_param(req, HONEYPOT) != NULL) {
		log_info("submit: honeypot filled from %s", req->client_ip);
		reply_error(req, 400, "This form could not be accepted.");
		goto out;
	}
	if (!rate_ok(req, &st, &wait)) {
		if (st != DB_OK)
			reply_db_error(req, st);
		else
			busy_page(req, &f, wait);
		goto out;
	}
	switch (checked_tx(req, &f, &doc)) {
	case CHECKED_OPEN:
		break;
	case CHECKED_REDRAW:
		submit_page(req, &f, 400);
		goto out;
	case CHECKED_SENT:
		goto out;
	}
	p[0] = doc;
	p[1] = req->client_ip;
	if ((st = db_exec("submit_insert", 2, p, &r)) != DB_OK) {
		tx_fail(req, st);
		goto out;
	}
	auth_token_new(tok, lit);
	p[0] = lit;
	p[1] = db_value(r, 0, 0);
	if ((st = db_exec("submit_token", 2, p, NULL)) != DB_OK ||
	    (st = notify_submitted(db_value(r, 0, 0), form_value(&f,
	    "contact_email"), form_value(&f, "name"), tok)) != DB_OK) {
		tx_fail(req, st);
		goto out;
	}
	if ((st = db_tx_commit()) != DB_OK) {
		/* Not known whether it committed: say so, never "thanks". */
		reply_db_error(req, st);
		goto out;
	}
	outbox_wake();
	log_info("submission %s from %s", db_value(r, 0, 0), req->client_ip);
	buf_printf(&loc, "/edit/%s?sent=1", tok);
	http_redirect(req, 303, buf_cstr(&loc));
	http_header_set(req, "Cache-Control", "no-store");
out:
	free(doc);
	db_free(r);
	buf_free(&loc);
	form_free(&f);
}

/* The token's row, or NULL with the 404 (or 503) sent. */
static struct db_result *
lookup(struct http_request *req)
{
	struct db_result	*r = NULL;
	const char		*p[1];
	char			 lit[AUTH_HASH_LIT];
	enum db_status		 st;

	if (auth_token_hash(http_route_param(req, "token"), lit) == -1)
		goto nope;
	p[0] = lit;
	if ((st = db_exec("edit_lookup", 1, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		return (NULL);
	}
	if (db_rows(r) == 1 && auth_hash_equal(db_value(r, 0, E_HASH), lit))
		return (r);
	db_free(r);
nope:
	reply_error(req, 404, "This link does not work. Check that you "
	    "copied all of it from the e-mail or page it came from.");
	return (NULL);
}

/* A new listing that was not published: the group may resend it. */
static int
rejected_new(const struct db_result *r)
{
	return (db_value(r, 0, E_PENDING) == NULL &&
	    db_value(r, 0, E_SVC) == NULL &&
	    strcmp(db_value(r, 0, E_SUBSTATUS), "rejected") == 0);
}

/*
 * The listing can be changed: something pending or published, or not
 * published and so to be changed and sent again.
 */
static int
changeable(const struct db_result *r)
{
	return (db_value(r, 0, E_PENDING) != NULL ||
	    (db_value(r, 0, E_SVC) != NULL &&
	    strcmp(db_value(r, 0, E_SVCSTATUS), "active") == 0) ||
	    rejected_new(r));
}

static void
action_form(struct buf *b, struct http_request *req, const char *action,
    const char *button, const char *cls)
{
	buf_puts(b, "<form method=\"post\" action=\"/edit/");
	buf_html(b, http_route_param(req, "token"));
	buf_printf(b, "/%s\">", action);
	form_csrf_input(b, req);
	if (strcmp(action, "withdraw") == 0)
		buf_puts(b, "<div class=\"choice\"><input type=\"checkbox\" "
		    "name=\"sure\" id=\"sure\" value=\"yes\" required><label "
		    "for=\"sure\">Yes, take the listing off Signpost</label>"
		    "</div>");
	buf_printf(b, "<button type=\"submit\" class=\"button %s\">%s"
	    "</button></form>\n", cls, button);
}

void
page_edit(struct http_request *req)
{
	struct db_result	*r;
	struct buf		*b = &req->resp;
	const char		*svc, *pending, *sub_status;

	if ((r = lookup(req)) == NULL)
		return;
	svc = db_value(r, 0, E_SVC);
	pending = db_value(r, 0, E_PENDING);
	sub_status = db_value(r, 0, E_SUBSTATUS);
	page_begin(req, "Your listing", PAGE_NOINDEX);
	if (http_param(req, "sent") != NULL) {
		buf_puts(b, "<div class=\"confirmation\" role=\"status\"><h1>"
		    "Thank you: we have your listing</h1><p>A moderator will "
		    "check it, usually within two working days, and then it "
		    "appears in search. We have e-mailed you the private link "
		    "below, and will write again when it is published.</p>"
		    "</div>\n");
	} else
		buf_puts(b, "<h1>Your listing</h1>\n");
	if (http_param(req, "changed") != NULL)
		buf_puts(b, "<div class=\"confirmation\" role=\"status\"><p>"
		    "Thank you: your change is with a moderator.</p></div>\n");
	if (http_param(req, "confirmed") != NULL)
		buf_puts(b, "<div class=\"confirmation\" role=\"status\"><p>"
		    "Thank you: the listing now shows it was checked today."
		    "</p></div>\n");
	buf_puts(b, "<div class=\"panel\"><h2>Your private link</h2><p>Keep "
	    "this link: with it you can change the listing, tell us it is "
	    "still correct, or take it off. Anyone with the link can do "
	    "that, so do not share it.</p><p class=\"edit-link\"><code>");
	buf_html(b, config.public_url);
	buf_puts(b, "/edit/");
	buf_html(b, http_route_param(req, "token"));
	buf_puts(b, "</code></p></div>\n");

	if (svc != NULL && strcmp(db_value(r, 0, E_SVCSTATUS), "active") == 0) {
		buf_puts(b, "<p>The listing <a href=\"/services/");
		buf_html(b, svc);
		buf_puts(b, "\">");
		buf_html(b, db_value(r, 0, E_NAME));
		buf_puts(b, "</a> is published");
		if (db_value(r, 0, E_CHECKED) != NULL) {
			buf_puts(b, ", last checked on ");
			buf_html(b, db_value(r, 0, E_CHECKED));
		}
		buf_puts(b, ".</p>\n");
		if (pending != NULL)
			buf_puts(b, "<p>A change you sent is waiting for a "
			    "moderator.</p>\n");
		else if (strcmp(sub_status, "rejected") == 0 &&
		    db_value(r, 0, E_REASON) != NULL) {
			buf_puts(b, "<p>Your last change was not published. "
			    "The moderator said: &ldquo;");
			buf_html(b, db_value(r, 0, E_REASON));
			buf_puts(b, "&rdquo; You can change the listing "
			    "again below.</p>\n");
		}
		buf_puts(b, "<h2>Is it still correct?</h2><p>If nothing has "
		    "changed, say so: people trust listings checked "
		    "recently.</p>");
		action_form(b, req, "confirm", "It is still correct", "");
	} else if (pending != NULL)
		buf_puts(b, "<p>Your listing is waiting for a moderator. You "
		    "can still change it.</p>\n");
	else if (rejected_new(r)) {
		buf_puts(b, "<p>A moderator could not publish this listing as "
		    "it was.");
		if (db_value(r, 0, E_REASON) != NULL) {
			buf_puts(b, " The moderator said: &ldquo;");
			buf_html(b, db_value(r, 0, E_REASON));
			buf_puts(b, "&rdquo;");
		}
		buf_puts(b, "</p>\n<h2>Change it and send it again</h2><p>"
		    "Everything you sent is filled in; change what the "
		    "moderator asked and send it back for checking.</p><p>"
		    "<a class=\"button\" href=\"/edit/");
		buf_html(b, http_route_param(req, "token"));
		buf_puts(b, "/change\">Change and send again</a></p>\n");
	}
	if (pending != NULL || (svc != NULL &&
	    strcmp(db_value(r, 0, E_SVCSTATUS), "active") == 0)) {
		buf_puts(b, "<h2>Change the listing</h2><p><a class=\"button\" "
		    "href=\"/edit/");
		buf_html(b, http_route_param(req, "token"));
		buf_puts(b, "/change\">Change the listing</a></p>\n"
		    "<h2>Take it off</h2><p>If it has stopped running. "
		    "It disappears from search at once.</p>");
		action_form(b, req, "withdraw", "Withdraw the listing",
		    "button-warning");
	}
	page_end(req, 0);
	page_send(req, 200);
	http_header_set(req, "Cache-Control", "no-store");
	/* The token is in the address: never in a Referer to elsewhere. */
	http_header_set(req, "Referrer-Policy", "no-referrer");
	db_free(r);
}

static void
change_page(struct http_request *req, const struct form *f,
    const char *version, const char *base, int status)
{
	struct buf	*b = &req->resp;

	page_begin(req, f->nerr > 0 ? "Error: Change your listing" :
	    "Change your listing", PAGE_NOINDEX);
	form_summary(b, f);
	buf_puts(b, "<h1>Change your listing</h1>\n<p>A moderator checks "
	    "the change before it appears.</p>\n<form class=\"listing-form\" "
	    "method=\"post\" action=\"/edit/");
	buf_html(b, http_route_param(req, "token"));
	buf_puts(b, "/change\" novalidate>\n");
	form_csrf_input(b, req);
	/* What the change was made from, to find a change in between. */
	if (version != NULL) {
		buf_puts(b, "<input type=\"hidden\" name=\"version\" value=\"");
		buf_html(b, version);
		buf_puts(b, "\">");
	}
	if (base != NULL) {
		buf_puts(b, "<input type=\"hidden\" name=\"base\" value=\"");
		buf_html(b, base);
		buf_puts(b, "\">");
	}
	listing_form_html(b, f);
	buf_puts(b, "<button type=\"submit\" class=\"button\">Send the "
	    "change</button>\n</form>\n");
	page_end(req, 0);
	page_send(req, status);
	http_header_set(req, "Cache-Control", "no-store");
	http_header_set(req, "Referrer-Policy", "no-referrer");
}

void
page_edit_change_form(struct http_request *req)
{
	struct db_result	*r;
	struct form		 f;
	const char		*pending;

	listing_form_init(&f);
	if ((r = lookup(req)) == NULL)
		goto out;
	if (!changeable(r)) {
		reply_error(req, 404, "This listing can no longer be changed.");
		goto out;
	}
	pending = db_value(r, 0, E_PENDING);
	if (rejected_new(r)) {
		if (listing_form_load(&f, db_value(r, 0, E_SUBDOC)) == -1) {
			reply_error(req, 500, "Something went wrong on our "
			    "side.");
			goto out;
		}
		change_page(req, &f, db_value(r, 0, E_SUBVERSION), NULL, 200);
		goto out;
	}
	if (listing_form_load(&f, pending != NULL ? db_value(r, 0, E_PDOC) :
	    db_value(r, 0, E_DOC)) == -1) {
		reply_error(req, 500, "Something went wrong on our side.");
		goto out;
	}
	change_page(req, &f, pending != NULL ? db_value(r, 0, E_PVERSION) :
	    NULL, pending == NULL ? db_value(r, 0, E_VERSION) : NULL, 200);
out:
	db_free(r);
	form_free(&f);
}

/* Both versions side by side: nothing the person typed is lost. */
static void
conflict_page(struct http_request *req, const char *theirs,
    const char *current)
{
	struct buf	*b = &req->resp;

	page_begin(req, "Your change was not saved", PAGE_NOINDEX);
	buf_puts(b, "<h1>Your change was not saved</h1>\n<p>The listing "
	    "changed while you were editing it (a moderator may have "
	    "edited or published it). Nothing has been overwritten. Compare "
	    "the two below, then <a href=\"/edit/");
	buf_html(b, http_route_param(req, "token"));
	buf_puts(b, "/change\">make your change again</a> on the current "
	    "version.</p>\n<div class=\"columns\"><section><h2>What you "
	    "sent</h2>");
	listing_document_html(b, theirs);
	buf_puts(b, "</section><section><h2>The listing now</h2>");
	listing_document_html(b, current);
	buf_puts(b, "</section></div>\n<h2>The differences</h2>");
	(void)listing_diff_html(b, current, theirs);
	page_end(req, 0);
	page_send(req, 409);
	http_header_set(req, "Cache-Control", "no-store");
	http_header_set(req, "Referrer-Policy", "no-referrer");
}

void
page_edit_change_post(struct http_request *req)
{
	struct db_result	*r = NULL, *w = NULL;
	struct form		 f;
	struct buf		 loc;
	const char		*pending, *p[4], *version, *base;
	char			*doc = NULL;
	enum db_status		 st;

	listing_form_init(&f);
	buf_init(&loc);
	if ((r = lookup(req)) == NULL)
		goto out;
	if (!changeable(r)) {
		reply_error(req, 404, "This listing can no longer be changed.");
		goto out;
	}
	pending = db_value(r, 0, E_PENDING);
	version = http_param(req, "version");
	base = http_param(req, "base");
	switch (checked_tx(req, &f, &doc)) {
	case CHECKED_OPEN:
		break;
	case CHECKED_REDRAW:
		change_page(req, &f, version, base, 400);
		goto out;
	case CHECKED_SENT:
		goto out;
	}
	if (pending != NULL) {
		/* The form must have been made from this pending version. */
		p[0] = pending;
		p[1] = doc;
		p[2] = version != NULL ? version : "0";
		st = db_exec("edit_update_pending", 3, p, &w);
	} else if (rejected_new(r)) {
		/* And this one from the version that was not published. */
		p[0] = db_value(r, 0, E_SUB);
		p[1] = doc;
		p[2] = version != NULL ? version : "0";
		st = db_exec("edit_resend_rejected", 3, p, &w);
	} else {
		p[0] = db_value(r, 0, E_SVC);
		p[1] = doc;
		p[2] = base != NULL ? base : "0";
		p[3] = req->client_ip;
		st = db_exec("edit_insert_update", 4, p, &w);
	}
	if (st == DB_ERROR && (strcmp(db_sqlstate(), "23505") == 0 ||
	    strcmp(db_sqlstate(), "22P02") == 0)) {
		/* Another change is already pending, or a forged version. */
		db_tx_rollback();
		conflict_page(req, doc, pending != NULL ?
		    db_value(r, 0, E_PDOC) : db_value(r, 0, E_DOC));
		goto out;
	}
	if (st != DB_OK) {
		tx_fail(req, st);
		goto out;
	}
	if (db_affected(w) == 0) {
		db_tx_rollback();
		db_free(r);
		/* Show what it is now, not what it was when we looked. */
		if ((r = lookup(req)) == NULL)
			goto out;
		conflict_page(req, doc, db_value(r, 0, E_PENDING) != NULL ?
		    db_value(r, 0, E_PDOC) : rejected_new(r) ?
		    db_value(r, 0, E_SUBDOC) : db_value(r, 0, E_DOC));
		goto out;
	}
	if ((st = db_tx_commit()) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	buf_printf(&loc, "/edit/%s?changed=1", http_route_param(req, "token"));
	http_redirect(req, 303, buf_cstr(&loc));
out:
	free(doc);
	db_free(r);
	db_free(w);
	buf_free(&loc);
	form_free(&f);
}

void
page_edit_confirm(struct http_request *req)
{
	struct db_result	*r;
	struct buf		 loc;
	const char		*p[2];
	char			 months[16];
	enum db_status		 st;

	buf_init(&loc);
	if ((r = lookup(req)) == NULL)
		goto out;
	if (db_value(r, 0, E_SVC) == NULL ||
	    strcmp(db_value(r, 0, E_SVCSTATUS), "active") != 0) {
		reply_error(req, 409, "Only a published listing can be marked "
		    "as checked.");
		goto out;
	}
	snprintf(months, sizeof(months), "%d", config.review_months);
	p[0] = db_value(r, 0, E_SVC);
	p[1] = months;
	if ((st = db_tx_begin()) != DB_OK ||
	    (st = db_exec("edit_confirm_date", 2, p, NULL)) != DB_OK ||
	    (st = db_exec("edit_confirm", 1, p, NULL)) != DB_OK ||
	    (st = db_tx_commit()) != DB_OK) {
		tx_fail(req, st);
		goto out;
	}
	buf_printf(&loc, "/edit/%s?confirmed=1", http_route_param(req,
	    "token"));
	http_redirect(req, 303, buf_cstr(&loc));
out:
	db_free(r);
	buf_free(&loc);
}

void
page_edit_withdraw(struct http_request *req)
{
	struct db_result	*r;
	struct buf		*b = &req->resp;
	const char		*p[2];
	enum db_status		 st;

	if ((r = lookup(req)) == NULL)
		return;
	if (!changeable(r)) {
		reply_error(req, 404, "This listing is no longer listed.");
		goto out;
	}
	if (http_param(req, "sure") == NULL ||
	    strcmp(http_param(req, "sure"), "yes") != 0) {
		reply_error(req, 400, "Tick the box to say you want to take "
		    "the listing off, then press the button again.");
		goto out;
	}
	p[0] = db_value(r, 0, E_SUB);
	p[1] = db_value(r, 0, E_SVC);
	if ((st = db_tx_begin()) != DB_OK ||
	    (st = db_exec("edit_withdraw_pending", 2, p, NULL)) != DB_OK ||
	    (p[1] != NULL && (st = db_exec("edit_withdraw_service", 1, p + 1,
	    NULL)) != DB_OK) ||
	    (st = db_exec("edit_forget", 1, p, NULL)) != DB_OK ||
	    (st = db_tx_commit()) != DB_OK) {
		tx_fail(req, st);
		goto out;
	}
	page_begin(req, "Listing withdrawn", PAGE_NOINDEX);
	buf_puts(b, "<div class=\"confirmation\" role=\"status\"><h1>The "
	    "listing has been withdrawn</h1><p>It no longer appears in "
	    "search. This link no longer works. Thank you for telling "
	    "us.</p></div>\n<p><a href=\"/submit\">Add a new listing</a></p>\n");
	page_end(req, 0);
	page_send(req, 200);
	http_header_set(req, "Cache-Control", "no-store");
out:
	db_free(r);
}
