/*
 * Freshness reminders and the moderators' review pages.  See remind.h.
 *
 * A reminder is a row of table reminder: queued with its whole text, then
 * sent, so that a run without SMTP (or with SMTP down) leaves it in the
 * outbox for the next run.  The row's unique key (listing, review cycle,
 * stage) is what makes each reminder happen once.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "page.h"
#include "remind.h"
#include "route.h"

#define OUTBOX_MAX	1000	/* reminders one run tries to send */
#define REVIEW_ROWS	500
#define OUTBOX_ROWS	500
#define SENT_ROWS	50
#define SMTP_CONNECT_S	15L
#define SMTP_TOTAL_S	60L
/* RFC 2047: an encoded word is at most 75 characters. */
#define WORD_BYTES	45

/* A listing's cycle ends at review_due, or review_months after its check. */
#define DUE_SQL \
	"coalesce(s.review_due, (s.last_reviewed" \
	" + make_interval(months => $1::int))::date)"

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
	  " AND NOT EXISTS (SELECT 1 FROM reminder r"
	  "   WHERE r.service_id = s.id AND r.review_due = d.due"
	  "   AND r.stage >= st.stage)"
	  " ORDER BY s.id, st.stage DESC" },
	{ "remind_token_insert",
	  "INSERT INTO edit_token (token_hash, submission_id)"
	  " VALUES ($1::bytea, $2)" },
	{ "remind_insert",
	  "INSERT INTO reminder (service_id, review_due, stage, to_email,"
	  " subject, body) VALUES ($1, $2::date, $3::smallint, $4, $5, $6)"
	  " ON CONFLICT ON CONSTRAINT reminder_once_key DO NOTHING"
	  " RETURNING id" },
	{ "remind_outbox_ids",
	  "SELECT id FROM reminder WHERE sent_at IS NULL"
	  " ORDER BY created_at, id LIMIT $1::int" },
	/* SKIP LOCKED: two runs at once never send the same reminder. */
	{ "remind_lock",
	  "SELECT id, to_email, subject, body FROM reminder"
	  " WHERE id = $1::bigint AND sent_at IS NULL"
	  " FOR UPDATE SKIP LOCKED" },
	/*
	 * Once sent, the link is in the group's mailbox: the copy here
	 * goes, so that the table (or a backup of it) opens no listing.
	 */
	{ "remind_sent",
	  "UPDATE reminder SET sent_at = now(), last_error = NULL,"
	  " body = regexp_replace(body, '/edit/[0-9a-f]{64}',"
	  "   '/edit/(sent; not kept)', 'g')"
	  " WHERE id = $1::bigint" },
	{ "remind_failed",
	  "UPDATE reminder SET last_error = $2 WHERE id = $1::bigint" },
	{ "remind_waiting",
	  "SELECT count(*) FROM reminder WHERE sent_at IS NULL" },
	{ "remind_review",
	  "SELECT s.id, s.name, o.name,"
	  " to_char(s.last_reviewed, 'FMDD FMMonth YYYY'),"
	  " to_char(d.due, 'FMDD FMMonth YYYY'), d.due < current_date,"
	  " s.review_email IS NOT NULL,"
	  " (SELECT to_char(max(r.sent_at) AT TIME ZONE 'Europe/London',"
	  "   'FMDD FMMonth YYYY') FROM reminder r"
	  "   WHERE r.service_id = s.id AND r.review_due = d.due),"
	  " count(*) OVER ()"
	  " FROM service s"
	  " JOIN organization o ON o.id = s.organization_id"
	  " CROSS JOIN LATERAL (SELECT " DUE_SQL " AS due) d"
	  " WHERE s.status = 'active'"
	  " AND (d.due IS NULL OR d.due <= current_date + interval '2 months')"
	  " ORDER BY s.last_reviewed NULLS FIRST, d.due, s.name, s.id"
	  " LIMIT $2::int" },
	{ "remind_outbox_waiting",
	  "SELECT r.to_email, r.subject,"
	  " to_char(r.created_at AT TIME ZONE 'Europe/London',"
	  "   'FMDD FMMonth YYYY HH24:MI'), r.last_error, s.id, s.name,"
	  " count(*) OVER ()"
	  " FROM reminder r JOIN service s ON s.id = r.service_id"
	  " WHERE r.sent_at IS NULL ORDER BY r.created_at, r.id"
	  " LIMIT $1::int" },
	{ "remind_outbox_sent",
	  "SELECT r.to_email, r.subject,"
	  " to_char(r.sent_at AT TIME ZONE 'Europe/London',"
	  "   'FMDD FMMonth YYYY HH24:MI'), s.id, s.name"
	  " FROM reminder r JOIN service s ON s.id = r.service_id"
	  " WHERE r.sent_at IS NOT NULL ORDER BY r.sent_at DESC, r.id DESC"
	  " LIMIT $1::int" },
};

/* remind_due's columns. */
enum {
	D_ID, D_NAME, D_EMAIL, D_CHECKED, D_DUE, D_DUE_TEXT, D_STAGE, D_SUB
};

struct counts {
	int	queued;
	int	sent;
	int	failed;		/* sending */
	int	skipped;	/* no edit link possible, or could not queue */
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
	    "suggest\nchanges to the listing.\n\n-- \nSignpost\n");
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

/* Sending. */

/* An address fit for an SMTP envelope and a header: no quoting needed. */
static int
mailbox_ok(const char *a)
{
	const char	*at = strchr(a, '@');
	size_t		 len = strlen(a), i;

	if (len < 3 || len > 254 || at == NULL || at == a || at[1] == '\0' ||
	    strchr(at + 1, '@') != NULL)
		return (0);
	for (i = 0; i < len; i++)
		if ((unsigned char)a[i] <= ' ' || (unsigned char)a[i] >= 0x7f ||
		    strchr("<>()[],;:\\\"", a[i]) != NULL)
			return (0);
	return (1);
}

/* "Name <addr>" or "addr": the address, or -1. */
static int
address_of(const char *in, char *out, size_t len)
{
	const char	*lt, *gt;
	size_t		 n;

	if ((lt = strchr(in, '<')) != NULL) {
		if ((gt = strchr(lt, '>')) == NULL)
			return (-1);
		in = lt + 1;
		n = (size_t)(gt - in);
	} else {
		while (*in == ' ' || *in == '\t')
			in++;
		for (n = strlen(in); n > 0 && (in[n - 1] == ' ' ||
		    in[n - 1] == '\t'); n--)
			;
	}
	if (n >= len)
		return (-1);
	memcpy(out, in, n);
	out[n] = '\0';
	return (mailbox_ok(out) ? 0 : -1);
}

/*
 * A header field.  Control characters become spaces (no header
 * injection); text with any non-ASCII byte goes as RFC 2047 encoded words,
 * each cut at a character boundary and folded onto its own line.
 */
static void
header(struct buf *m, const char *field, const char *value)
{
	const unsigned char	*v = (const unsigned char *)value;
	unsigned char		 chunk[WORD_BYTES];
	char			 b64[sodium_base64_ENCODED_LEN(WORD_BYTES,
				    sodium_base64_VARIANT_ORIGINAL)];
	size_t			 len = strlen(value), i, j, k;
	int			 ascii = 1;

	for (i = 0; i < len; i++)
		if (v[i] >= 0x80)
			ascii = 0;
	buf_printf(m, "%s:", field);
	if (ascii) {
		buf_puts(m, " ");
		for (i = 0; i < len; i++)
			buf_append(m, v[i] < ' ' || v[i] == 0x7f ? " " :
			    (const char *)&v[i], 1);
		buf_puts(m, "\r\n");
		return;
	}
	for (i = 0; i < len; i += k) {
		k = len - i < WORD_BYTES ? len - i : WORD_BYTES;
		/* Never split a UTF-8 sequence: back off its tail bytes. */
		while (k > 1 && i + k < len && (v[i + k] & 0xc0) == 0x80)
			k--;
		memcpy(chunk, v + i, k);
		for (j = 0; j < k; j++)
			if (chunk[j] < ' ' || chunk[j] == 0x7f)
				chunk[j] = ' ';
		sodium_bin2base64(b64, sizeof(b64), chunk, k,
		    sodium_base64_VARIANT_ORIGINAL);
		buf_printf(m, "%s=?UTF-8?B?%s?=", i == 0 ? " " : "\r\n ", b64);
	}
	buf_puts(m, "\r\n");
}

/* The whole RFC 5322 message, lines ending in CRLF. */
static void
message(struct buf *m, const char *id, const char *from_addr,
    const char *to, const char *subject, const char *body)
{
	unsigned char	 rnd[8];
	char		 date[64], hex[sizeof(rnd) * 2 + 1];
	const char	*p, *domain;
	struct tm	 tm;
	time_t		 now;

	now = time(NULL);
	localtime_r(&now, &tm);
	/* No setlocale() in this program: %a and %b are English. */
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	domain = strchr(from_addr, '@') + 1;

	header(m, "From", config.smtp_from);
	header(m, "To", to);
	header(m, "Subject", subject);
	header(m, "Date", date);
	buf_printf(m, "Message-ID: <reminder.%s.%s@%s>\r\n", id, hex, domain);
	buf_puts(m, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    /* RFC 3834: no out-of-office replies to this. */
	    "Auto-Submitted: auto-generated\r\n\r\n");
	for (p = body; *p != '\0'; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			buf_puts(m, "\r\n");
		else
			buf_append(m, p, 1);
	}
	if (p == body || p[-1] != '\n')
		buf_puts(m, "\r\n");
}

struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
read_message(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload	*u = arg;
	size_t		 n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return (n);
}

/* 0 when the server took the message; else -1 and why in err. */
static int
smtp_send(CURL *c, const char *id, const char *from_addr, const char *to,
    const char *subject, const char *body, char *err, size_t errlen)
{
	struct curl_slist	*rcpt = NULL;
	struct buf		 m, env_from, env_to;
	struct upload		 up;
	char			 cerr[CURL_ERROR_SIZE];
	CURLcode		 rc;
	long			 code = 0;
	int			 ret = -1;

	buf_init(&m);
	buf_init(&env_from);
	buf_init(&env_to);
	message(&m, id, from_addr, to, subject, body);
	buf_printf(&env_from, "<%s>", from_addr);
	buf_printf(&env_to, "<%s>", to);
	if (m.oom || env_from.oom || env_to.oom ||
	    (rcpt = curl_slist_append(NULL, buf_cstr(&env_to))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	up.p = m.data;
	up.left = m.len;
	cerr[0] = '\0';
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, config.smtp_url);
	/* A mistyped smtp_url must not make this an HTTP or file client. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, buf_cstr(&env_from));
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (config.smtp_user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, config.smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, config.smtp_password);
	}
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, SMTP_TOTAL_S);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		ret = 0;
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code != 0)
		snprintf(err, errlen, "SMTP %ld: %s", code,
		    cerr[0] != '\0' ? cerr : curl_easy_strerror(rc));
	else
		snprintf(err, errlen, "%s", cerr[0] != '\0' ? cerr :
		    curl_easy_strerror(rc));
 out:
	/* The handle keeps pointers to these until the next reset. */
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(rcpt);
	buf_free(&m);
	buf_free(&env_from);
	buf_free(&env_to);
	return (ret);
}

/*
 * One reminder, locked for the time it takes to send it and mark it:
 * sent_at is set right after the server says yes, so it goes once.
 */
static enum db_status
send_one(CURL *c, const char *id, const char *from_addr, struct counts *n)
{
	struct db_result	*r = NULL;
	const char		*p[2];
	char			 err[512];
	enum db_status		 st;
	int			 ok = 0;

	if ((st = db_tx_begin()) != DB_OK)
		return (st);
	p[0] = id;
	if ((st = db_exec("remind_lock", 1, p, &r)) != DB_OK)
		goto fail;
	if (db_rows(r) == 0) {
		/* Sent meanwhile, or being sent by another run. */
		db_tx_rollback();
		goto out;
	}
	if (!mailbox_ok(db_value(r, 0, 1))) {
		snprintf(err, sizeof(err), "the address cannot be used in "
		    "SMTP as it is");
		ok = 0;
	} else
		ok = smtp_send(c, id, from_addr, db_value(r, 0, 1),
		    db_value(r, 0, 2), db_value(r, 0, 3), err,
		    sizeof(err)) == 0;
	if (ok) {
		st = db_exec("remind_sent", 1, p, NULL);
		n->sent++;
	} else {
		log_warn("remind: reminder %s to %s not sent: %s", id,
		    db_value(r, 0, 1), err);
		p[1] = err;
		st = db_exec("remind_failed", 2, p, NULL);
		n->failed++;
	}
	if (st != DB_OK)
		goto fail;
	if ((st = db_tx_commit()) != DB_OK)
		goto lost;
	goto out;
 fail:
	log_warn("remind: reminder %s: %s %s", id, db_sqlstate(),
	    db_errmsg());
	db_tx_rollback();
 lost:
	if (ok)
		log_warn("remind: reminder %s was sent but may not be marked "
		    "sent: it could go a second time", id);
 out:
	db_free(r);
	return (st);
}

static enum db_status
send_outbox(struct counts *n)
{
	struct db_result	*r = NULL;
	CURL			*c = NULL;
	const char		*p[1];
	char			 from[256], lim[16];
	enum db_status		 st;
	int			 i;

	if (address_of(config.smtp_from, from, sizeof(from)) == -1) {
		log_warn("remind: smtp_from \"%s\" has no usable address: "
		    "nothing sent", config.smtp_from);
		return (DB_OK);
	}
	snprintf(lim, sizeof(lim), "%d", OUTBOX_MAX);
	p[0] = lim;
	if ((st = db_exec("remind_outbox_ids", 1, p, &r)) != DB_OK) {
		log_warn("remind: cannot read the outbox: %s", db_errmsg());
		goto out;
	}
	if (db_rows(r) == 0)
		goto out;
	if ((c = curl_easy_init()) == NULL) {
		log_warn("remind: cannot start libcurl: nothing sent");
		goto out;
	}
	for (i = 0; i < db_rows(r); i++)
		if ((st = send_one(c, db_value(r, i, 0), from, n)) ==
		    DB_UNAVAILABLE)
			goto out;
	st = DB_OK;
 out:
	if (c != NULL)
		curl_easy_cleanup(c);
	db_free(r);
	return (st);
}

static void
summary(const struct counts *n)
{
	struct db_result	*r = NULL;

	printf("%d reminder%s queued, %d sent, %d failed", n->queued,
	    n->queued == 1 ? "" : "s", n->sent, n->failed);
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
	struct counts	n = { 0, 0, 0, 0 };
	int		ret = 1;

	if (sodium_init() < 0) {
		log_warn("remind: cannot initialise libsodium");
		return (1);
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_warn("remind: cannot initialise libcurl");
		return (1);
	}
	if (db_ping() != DB_OK) {
		log_warn("remind: database not reachable: %s", db_errmsg());
		goto out;
	}
	if (queue(&n) == DB_UNAVAILABLE)
		goto unreachable;
	if (config.smtp_url[0] == '\0')
		log_info("remind: smtp_url is not set: reminders wait in the "
		    "outbox (/admin/outbox)");
	else if (send_outbox(&n) == DB_UNAVAILABLE)
		goto unreachable;
	summary(&n);
	ret = 0;
	goto out;
 unreachable:
	log_warn("remind: lost the database: %s", db_errmsg());
	printf("%d reminder%s queued, %d sent, %d failed (database lost)\n",
	    n.queued, n.queued == 1 ? "" : "s", n.sent, n.failed);
 out:
	db_close();
	curl_global_cleanup();
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
		{ "/admin/outbox", "Reminder outbox" },
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
		route_db_error(req, st);
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

/* remind_outbox_waiting's columns; sent: to, subject, when, id, name. */
enum {
	W_TO, W_SUBJECT, W_CREATED, W_ERROR, W_ID, W_NAME, W_TOTAL
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
		route_db_error(req, st);
		goto out;
	}
	snprintf(lim, sizeof(lim), "%d", SENT_ROWS);
	if ((st = db_exec("remind_outbox_sent", 1, p, &s)) != DB_OK) {
		route_db_error(req, st);
		goto out;
	}
	total = total_of(w, W_TOTAL);
	page_begin(req, "Reminder outbox", PAGE_NOINDEX);
	admin_nav(b, "/admin/outbox");
	buf_puts(b, "<h1>Reminder outbox</h1>\n");
	buf_printf(b, "<p><strong>%d reminder%s</strong> waiting to be "
	    "sent.</p>\n", total, total == 1 ? "" : "s");
	if (config.smtp_url[0] == '\0')
		buf_puts(b, "<p class=\"notice notice-warning\">No mail server "
		    "is set up (<code>smtp_url</code>), so reminders wait here. "
		    "Once it is set, the next <code>signpost remind</code> "
		    "sends them.</p>\n");
	else if (total > 0)
		buf_puts(b, "<p>The next <code>signpost remind</code> sends "
		    "them, and tries again those that failed.</p>\n");
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
			listing_link(b, db_value(w, i, W_ID),
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
		buf_puts(b, "<p>No reminder has been sent yet.</p>\n");
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
			listing_link(b, db_value(s, i, 3), db_value(s, i, 4));
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
