/*
 * Freshness reminders.  See remind.h (the moderators' pages are
 * page_review.c).
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
#include "log.h"
#include "outbox.h"
#include "remind.h"


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
	  " CROSS JOIN LATERAL (SELECT " REMIND_DUE_SQL " AS due) d"
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
