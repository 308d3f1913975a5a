/*
 * The outbox and SMTP.  See outbox.h.
 *
 * Sending locks one row at a time (SKIP LOCKED), so the server's thread
 * and a `signpost remind` run never send the same message twice, and
 * marks it sent right after the SMTP server says yes.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "net.h"
#include "outbox.h"

#define OUTBOX_MAX	1000	/* messages one run tries to send */
/* The sender thread's sweep when nobody wakes it: retries, `remind`. */
#define SWEEP_S		60
/* RFC 2047: an encoded word is at most 75 characters. */
#define WORD_BYTES	45

static const struct db_stmt stmts[] = {
	{ "outbox_queue",
	  "INSERT INTO outbox (kind, to_email, subject, body, submission_id,"
	  " service_id)"
	  " SELECT $1, $2, $3, $4, s.id, s.service_id FROM submission s"
	  " WHERE s.id = $5" },
	{ "outbox_ids",
	  "SELECT id FROM outbox WHERE sent_at IS NULL"
	  " ORDER BY created_at, id LIMIT $1::int" },
	/* SKIP LOCKED: two senders at once never send the same message. */
	{ "outbox_lock",
	  "SELECT id, to_email, subject, body, kind FROM outbox"
	  " WHERE id = $1::bigint AND sent_at IS NULL"
	  " FOR UPDATE SKIP LOCKED" },
	/*
	 * Once sent, the link is in the group's mailbox: the copy here
	 * goes, so that the table (or a backup of it) opens no listing.
	 */
	{ "outbox_sent",
	  "UPDATE outbox SET sent_at = now(), last_error = NULL,"
	  " body = regexp_replace(body, '/edit/[0-9a-f]{64}',"
	  "   '/edit/(sent; not kept)', 'g')"
	  " WHERE id = $1::bigint" },
	{ "outbox_failed",
	  "UPDATE outbox SET last_error = $2 WHERE id = $1::bigint" },
};

static pthread_t	sender;
static pthread_mutex_t	sender_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	sender_cv;
static int		sender_running;
static int		sender_woken;
static int		sender_stopping;

void
outbox_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

enum db_status
outbox_queue(const char *kind, const char *to, const char *subject,
    const char *body, const char *submission)
{
	const char	*p[5] = { kind, to, subject, body, submission };

	return (db_exec("outbox_queue", 5, p, NULL));
}

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
message(struct buf *m, const char *kind, const char *id,
    const char *from_addr, const char *to, const char *subject,
    const char *body)
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
	buf_printf(m, "Message-ID: <%s.%s.%s@%s>\r\n", kind, id, hex,
	    domain);
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

/* 0 when the server took the message; else -1 and why in err. */
static int
smtp_send(struct net *c, const char *kind, const char *id,
    const char *from_addr, const char *to, const char *subject,
    const char *body, char *err, size_t errlen)
{
	struct buf	m;
	int		ret = -1;

	buf_init(&m);
	message(&m, kind, id, from_addr, to, subject, body);
	if (m.oom)
		snprintf(err, errlen, "out of memory");
	else
		ret = net_smtp_send(c, config.smtp_url, config.smtp_user,
		    config.smtp_password, from_addr, to, m.data, m.len, err,
		    errlen);
	buf_free(&m);
	return (ret);
}

/*
 * One message, locked for the time it takes to send it and mark it:
 * sent_at is set right after the server says yes, so it goes once.
 */
static enum db_status
send_one(struct net *c, const char *id, const char *from_addr,
    struct outbox_counts *n)
{
	struct db_result	*r = NULL;
	const char		*p[2];
	char			 err[512];
	enum db_status		 st;
	int			 ok = 0;

	if ((st = db_tx_begin()) != DB_OK)
		return (st);
	p[0] = id;
	if ((st = db_exec("outbox_lock", 1, p, &r)) != DB_OK)
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
		ok = smtp_send(c, db_value(r, 0, 4), id, from_addr,
		    db_value(r, 0, 1), db_value(r, 0, 2), db_value(r, 0, 3),
		    err, sizeof(err)) == 0;
	if (ok) {
		st = db_exec("outbox_sent", 1, p, NULL);
		n->sent++;
	} else {
		log_warn("outbox: message %s to %s not sent: %s", id,
		    db_value(r, 0, 1), err);
		p[1] = err;
		st = db_exec("outbox_failed", 2, p, NULL);
		n->failed++;
	}
	if (st != DB_OK)
		goto fail;
	if ((st = db_tx_commit()) != DB_OK)
		goto lost;
	goto out;
 fail:
	log_warn("outbox: message %s: %s %s", id, db_sqlstate(),
	    db_errmsg());
	db_tx_rollback();
 lost:
	if (ok)
		log_warn("outbox: message %s was sent but may not be marked "
		    "sent: it could go a second time", id);
 out:
	db_free(r);
	return (st);
}

/* The server is shutting down: leave the rest for the next start. */
static int
stopping(void)
{
	int	s;

	pthread_mutex_lock(&sender_mtx);
	s = sender_stopping;
	pthread_mutex_unlock(&sender_mtx);
	return (s);
}

enum db_status
outbox_send(struct outbox_counts *n)
{
	struct db_result	*r = NULL;
	struct net		*c = NULL;
	const char		*p[1];
	char			 from[256], lim[16];
	enum db_status		 st;
	int			 i;

	if (config.smtp_url[0] == '\0')
		return (DB_OK);
	if (address_of(config.smtp_from, from, sizeof(from)) == -1) {
		log_warn("outbox: smtp_from \"%s\" has no usable address: "
		    "nothing sent", config.smtp_from);
		return (DB_OK);
	}
	snprintf(lim, sizeof(lim), "%d", OUTBOX_MAX);
	p[0] = lim;
	if ((st = db_exec("outbox_ids", 1, p, &r)) != DB_OK) {
		log_warn("outbox: cannot read the outbox: %s", db_errmsg());
		goto out;
	}
	if (db_rows(r) == 0)
		goto out;
	if ((c = net_new()) == NULL) {
		log_warn("outbox: cannot start libcurl: nothing sent");
		goto out;
	}
	for (i = 0; i < db_rows(r) && !stopping(); i++)
		if ((st = send_one(c, db_value(r, i, 0), from, n)) ==
		    DB_UNAVAILABLE)
			goto out;
	st = DB_OK;
 out:
	net_free(c);
	db_free(r);
	return (st);
}

static void *
sender_main(void *arg)
{
	struct outbox_counts	 n;
	struct timespec		 until;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&sender_mtx);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += SWEEP_S;
		while (!sender_woken && !sender_stopping)
			if (pthread_cond_timedwait(&sender_cv, &sender_mtx,
			    &until) == ETIMEDOUT)
				break;
		sender_woken = 0;
		if (sender_stopping) {
			pthread_mutex_unlock(&sender_mtx);
			break;
		}
		pthread_mutex_unlock(&sender_mtx);
		n.sent = n.failed = 0;
		(void)outbox_send(&n);
		if (n.sent > 0 || n.failed > 0)
			log_info("outbox: %d sent, %d failed", n.sent,
			    n.failed);
	}
	db_close();
	return (NULL);
}

int
outbox_open(void)
{
	if (net_open() == -1) {
		log_warn("outbox: cannot initialise libcurl");
		return (-1);
	}
	return (0);
}

void
outbox_close(void)
{
	net_close();
}

int
outbox_start(void)
{
	pthread_condattr_t	ca;

	if (config.smtp_url[0] == '\0') {
		log_info("outbox: smtp_url is not set: e-mails to groups wait "
		    "in the outbox (/admin/outbox)");
		return (0);
	}
	if (outbox_open() == -1)
		return (-1);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sender_cv, &ca);
	pthread_condattr_destroy(&ca);
	/* The first sweep at once: what waited while the server was down. */
	sender_woken = 1;
	if (pthread_create(&sender, NULL, sender_main, NULL) != 0) {
		log_warn("outbox: cannot start the sender thread: e-mails "
		    "wait for `signpost remind`");
		pthread_cond_destroy(&sender_cv);
		outbox_close();
		return (-1);
	}
	sender_running = 1;
	return (0);
}

void
outbox_wake(void)
{
	pthread_mutex_lock(&sender_mtx);
	if (sender_running) {
		sender_woken = 1;
		pthread_cond_signal(&sender_cv);
	}
	pthread_mutex_unlock(&sender_mtx);
}

/* Waits for a message being sent: at most SMTP_TOTAL_S. */
void
outbox_stop(void)
{
	if (!sender_running)
		return;
	pthread_mutex_lock(&sender_mtx);
	sender_stopping = 1;
	pthread_cond_signal(&sender_cv);
	pthread_mutex_unlock(&sender_mtx);
	pthread_join(sender, NULL);
	sender_running = 0;
	pthread_cond_destroy(&sender_cv);
	outbox_close();
}
