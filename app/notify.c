/*
 * The e-mails to groups about their listings.  See notify.h.
 *
 * The texts are plain and short: they are read on a phone, often by a
 * volunteer, and say what happened, what the link does, and that the link
 * is as good as a key.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "notify.h"
#include "outbox.h"

static const struct db_stmt stmts[] = {
	{ "notify_target",
	  "SELECT document->>'contact_email', document->'service'->>'name',"
	  " service_id FROM submission WHERE id = $1" },
	{ "notify_token",
	  "INSERT INTO edit_token (token_hash, submission_id)"
	  " VALUES ($1::bytea, $2)" },
};

enum { T_EMAIL, T_NAME, T_SERVICE };

void
notify_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/* A name on one line: it goes into a subject too. */
static void
one_line(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_append(b, (unsigned char)*s < ' ' ? " " : s, 1);
}

static void
link_text(struct buf *b, const char *token)
{
	buf_printf(b, "Your listing's private page:\n\n  %s/edit/%s\n\n"
	    "With it you can change the listing, tell us it is still "
	    "correct,\nor take it off at once. Anyone who has the link can "
	    "do that, so\nplease keep it to yourself.\n\n", config.public_url,
	    token);
}

static enum db_status
queue(const char *kind, const char *submission, const char *to,
    struct buf *subject, struct buf *body)
{
	if (subject->oom || body->oom) {
		log_warn("notify: out of memory");
		return (DB_ERROR);
	}
	return (outbox_queue(kind, to, buf_cstr(subject), buf_cstr(body),
	    submission));
}

enum db_status
notify_submitted(const char *submission, const char *to, const char *name,
    const char *token)
{
	struct buf	subject, body, one;
	enum db_status	st;

	buf_init(&subject);
	buf_init(&body);
	buf_init(&one);
	one_line(&one, name);
	buf_printf(&subject, "We have your listing: %s", buf_cstr(&one));
	buf_printf(&body, "Hello,\n\nThank you for adding your listing to "
	    "Signpost:\n\n  %s\n\nA moderator will check it, usually within "
	    "two working days, and\nthen it appears in search. We will write "
	    "to you when it is\npublished, or if something needs changing "
	    "first.\n\n", buf_cstr(&one));
	link_text(&body, token);
	buf_puts(&body, "-- \nSignpost\n");
	st = queue(OUTBOX_SUBMITTED, submission, to, &subject, &body);
	buf_free(&subject);
	buf_free(&body);
	buf_free(&one);
	return (st);
}

enum db_status
notify_decided(const char *submission, const char *reason)
{
	struct db_result	*r = NULL;
	struct buf		 subject, body, one;
	char			 tok[AUTH_TOKEN_HEX + 1], lit[AUTH_HASH_LIT];
	const char		*p[2];
	enum db_status		 st;

	buf_init(&subject);
	buf_init(&body);
	buf_init(&one);
	tok[0] = '\0';
	p[0] = submission;
	if ((st = db_exec("notify_target", 1, p, &r)) != DB_OK)
		goto out;
	if (db_rows(r) == 0 || db_text(r, 0, T_EMAIL) == NULL)
		goto out;	/* a moderator's own change: nobody to tell */
	auth_token_new(tok, lit);
	p[0] = lit;
	p[1] = submission;
	if ((st = db_exec("notify_token", 2, p, NULL)) != DB_OK)
		goto out;
	one_line(&one, db_text(r, 0, T_NAME) != NULL ?
	    db_value(r, 0, T_NAME) : "your listing");
	if (reason == NULL) {
		buf_printf(&subject, "Your listing is published: %s",
		    buf_cstr(&one));
		buf_printf(&body, "Hello,\n\nA moderator has checked your "
		    "listing and it is now on Signpost:\n\n  %s\n",
		    buf_cstr(&one));
		if (db_text(r, 0, T_SERVICE) != NULL)
			buf_printf(&body, "  %s/services/%s\n",
			    config.public_url, db_value(r, 0, T_SERVICE));
		buf_puts(&body, "\n");
	} else {
		buf_printf(&subject, "Your listing was not published: %s",
		    buf_cstr(&one));
		buf_printf(&body, "Hello,\n\nA moderator has looked at your "
		    "listing and could not publish it\nas it was:\n\n  %s\n\n"
		    "The moderator's reason:\n\n  %s\n\nYou can change it "
		    "and send it again from its private page.\n\n",
		    buf_cstr(&one), reason);
	}
	link_text(&body, tok);
	buf_puts(&body, "-- \nSignpost\n");
	st = queue(reason == NULL ? OUTBOX_APPROVED : OUTBOX_REJECTED,
	    submission, db_value(r, 0, T_EMAIL), &subject, &body);
 out:
	if (st != DB_OK && st != DB_UNAVAILABLE)
		log_warn("notify: submission %s: %s %s", submission,
		    db_sqlstate(), db_errmsg());
	sodium_memzero(tok, sizeof(tok));
	db_free(r);
	buf_free(&subject);
	buf_free(&body);
	buf_free(&one);
	return (st);
}
