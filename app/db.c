/*
 * PostgreSQL access.  Each thread has one connection (a pthread key with a
 * destructor closes it when the thread ends), and a second one for reads
 * when database_read_url names hot standbys: read-only statements go
 * there, everything else, and reads after the request's own writes, to
 * the primary.  Statements are prepared on
 * a connection the first time they are used there, so one statement that
 * does not prepare (say, before a migration) does not take the others down.
 * When the server goes away, the next call reconnects; a call that finds
 * its connection dead is retried once on a fresh one.
 *
 * Nothing here blocks inside libpq: connections are opened with
 * PQconnectStartParams and kept in non-blocking mode, and every wait for
 * the server is a poll() on the socket that ends at the call's deadline
 * (db_set_timeout).  Non-blocking mode matters for PQfinish too, which
 * would otherwise wait for ever to send its goodbye into a full socket.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libpq-fe.h>

#include "buf.h"
#include "db.h"
#include "log.h"

#define DB_MAX_STMTS	256
/* Without a deadline (the CLI commands), connecting still gives up. */
#define CONNECT_MS	5000
/* How long other calls fail at once after one ran into its deadline. */
#define STALL_HOLD_MS	1000
#define NO_DEADLINE	LLONG_MAX

/*
 * One connection and what this thread knows of it.  A thread has two:
 * the write connection (database_url), and the read connection
 * (database_read_url) when one is configured.
 */
struct db_conn {
	PGconn		*conn;
	unsigned char	 prepared[DB_MAX_STMTS];
	int		 replica;	/* the read connection */
	int		 streaming;
	int		 in_tx;		/* between db_tx_begin and its end */
	int		 timed_out;	/* out of time: do not retry */
	/*
	 * db_send: a statement sent, its answer not read yet (sent), or
	 * read early by another call and kept for db_collect (kept).
	 */
	int		 sent;
	long long	 sent_deadline;
	int		 kept;
	enum db_status	 kept_st;
	PGresult	*kept_res;
	char		 sqlstate[6];
	char		 errmsg[512];
};

struct db_thread {
	struct db_conn	 rw;
	struct db_conn	 ro;
	struct db_conn	*last;		/* used by the last call: its error */
	int		 pinned;	/* reads on rw until the request ends */
	int		 wrote;		/* a write was sent in this request */
};

/* How a wait for the server ended. */
enum wait {
	W_READY,
	W_TIMEOUT,
	W_LOST
};

static const struct db_stmt	*stmts[DB_MAX_STMTS];
static unsigned char		 reads_only[DB_MAX_STMTS];
static size_t			 nstmts;
static char			*conninfo;
static char			*read_conninfo;	/* NULL: reads on rw */
static int			 limit_ms;	/* 0: no deadline */
/* ms; 0: not stalled.  One per connection kind: a stalled primary does
 * not hold up reads from a standby. */
static atomic_llong		 stalled_at[2];
static atomic_llong		 answered_at[2];	/* ms: last answer */
static pthread_key_t		 key;
static pthread_once_t		 key_once = PTHREAD_ONCE_INIT;
static struct db_thread		 fallback = { .ro = { .replica = 1 } };

static void
thread_free(void *p)
{
	struct db_thread	*t = p;

	if (t == NULL)
		return;
	if (t->rw.conn != NULL)
		PQfinish(t->rw.conn);
	if (t->ro.conn != NULL)
		PQfinish(t->ro.conn);
	PQclear(t->rw.kept_res);
	free(t);
}

static void
key_init(void)
{
	(void)pthread_key_create(&key, thread_free);
}

static struct db_thread *
thread_state(void)
{
	struct db_thread	*t;

	(void)pthread_once(&key_once, key_init);
	if ((t = pthread_getspecific(key)) == NULL) {
		if ((t = calloc(1, sizeof(*t))) == NULL ||
		    pthread_setspecific(key, t) != 0) {
			free(t);
			return (&fallback);
		}
		t->ro.replica = 1;
	}
	return (t);
}

/* The write connection: writes, transactions, scripts, LISTEN. */
static struct db_conn *
writer(void)
{
	struct db_thread	*t = thread_state();

	t->last = &t->rw;
	return (&t->rw);
}

/*
 * Where a statement goes.  A read goes to the read connection unless
 * there is none, or this request has written (or follows the person's
 * own write by the marker), or a transaction is open: then it must see
 * what the primary has.  A write pins the rest of the request.
 */
static struct db_conn *
route(int read_only)
{
	struct db_thread	*t = thread_state();

	if (!read_only) {
		t->wrote = 1;
		t->pinned = 1;
	}
	t->last = read_only && read_conninfo != NULL && !t->pinned &&
	    !t->rw.in_tx ? &t->ro : &t->rw;
	return (t->last);
}

/* A stream open on either connection. */
static struct db_conn *
streaming(void)
{
	struct db_thread	*t = thread_state();

	if (t->rw.streaming)
		return (&t->rw);
	if (t->ro.streaming)
		return (&t->ro);
	return (NULL);
}

void
db_setup(const char *ci)
{
	free(conninfo);
	if ((conninfo = strdup(ci)) == NULL)
		fatal("out of memory");
}

void
db_setup_read(const char *ci)
{
	free(read_conninfo);
	read_conninfo = NULL;
	if (ci != NULL && *ci != '\0' && (read_conninfo = strdup(ci)) == NULL)
		fatal("out of memory");
}

int
db_has_replica(void)
{
	return (read_conninfo != NULL);
}

void
db_request_begin(int pin)
{
	struct db_thread	*t = thread_state();

	t->pinned = pin;
	t->wrote = 0;
}

int
db_request_wrote(void)
{
	return (thread_state()->wrote);
}

int
db_reads_primary(void)
{
	return (read_conninfo != NULL && thread_state()->pinned);
}

void
db_set_timeout(int ms)
{
	limit_ms = ms > 0 ? ms : 0;
}

/* An identifier's character: words are matched whole. */
static int
ident(char c)
{
	return (isalnum((unsigned char)c) || c == '_');
}

/* sql holds word, not as part of a longer name (updated_at). */
static int
has_word(const char *sql, const char *word)
{
	const char	*p = sql;
	size_t		 n = strlen(word);

	while ((p = strcasestr(p, word)) != NULL) {
		if ((p == sql || !ident(p[-1]) || !ident(word[0])) &&
		    (!ident(word[n - 1]) || !ident(p[n])))
			return (1);
		p += n;
	}
	return (0);
}

/*
 * Only a statement that cannot have changed anything may be sent again
 * on a new connection (a write whose reply was lost may have committed),
 * or to a standby.  A SELECT of a function may write too: the functions
 * that do are named here, and other writers name themselves with a
 * leading comment.
 */
static int
is_read_only(const char *sql)
{
	static const char *const words[] = { "INSERT", "UPDATE", "DELETE",
	    "MERGE", "TRUNCATE", "nextval", "setval", "pg_notify",
	    "/*writes*/", "listing_apply", "listing_check", "listing_publish",
	    "listing_restore" };
	size_t	i;

	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	if (strncasecmp(sql, "SELECT", 6) != 0 &&
	    strncasecmp(sql, "WITH", 4) != 0)
		return (0);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (has_word(sql, words[i]))
			return (0);
	return (1);
}

void
db_register(const struct db_stmt *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (nstmts == DB_MAX_STMTS)
			fatal("more than %d prepared statements", DB_MAX_STMTS);
		reads_only[nstmts] = is_read_only(s[i].sql);
		stmts[nstmts++] = &s[i];
	}
}

static void
set_error(struct db_conn *t, const char *state, const char *msg)
{
	size_t	n;

	str_copy(t->sqlstate, sizeof(t->sqlstate), state != NULL ? state : "");
	if (msg == NULL)
		msg = "";
	snprintf(t->errmsg, sizeof(t->errmsg), "%s", msg);
	/* libpq messages end in a newline; log lines must not. */
	n = strlen(t->errmsg);
	while (n > 0 && (t->errmsg[n - 1] == '\n' || t->errmsg[n - 1] == ' '))
		t->errmsg[--n] = '\0';
}

static void
drop_conn(struct db_conn *t)
{
	if (t->conn != NULL)
		PQfinish(t->conn);
	t->conn = NULL;
	t->streaming = 0;
	/* A statement sent on it will never be answered: db_collect says
	 * so. */
	if (t->sent) {
		t->sent = 0;
		t->kept = 1;
		t->kept_st = DB_UNAVAILABLE;
		t->kept_res = NULL;
	}
	/* A transaction dies with its connection; the caller learns it
	 * from the failed call and must not carry on as if inside one. */
	t->in_tx = 0;
	memset(t->prepared, 0, sizeof(t->prepared));
}

static long long
now_ms(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* Milliseconds left for poll(): -1 without a deadline, 0 once it passed. */
static int
ms_left(long long deadline)
{
	long long	left;

	if (deadline == NO_DEADLINE)
		return (-1);
	if ((left = deadline - now_ms()) <= 0)
		return (0);
	return (left > INT_MAX ? INT_MAX : (int)left);
}

/*
 * After a call ran into its deadline, calls on every thread fail at once
 * for STALL_HOLD_MS rather than each waiting out a deadline of its own: a
 * request makes several calls, and a worker serves the requests queued
 * behind it only when it is done, so the waits would add up past what a
 * client will wait for its 503.  The next call after the hold tries with
 * a full deadline again, and any answer from the server ends the stall.
 */
static int
stalled(struct db_conn *t)
{
	long long	at = atomic_load(&stalled_at[t->replica]);

	if (at == 0 || now_ms() - at >= STALL_HOLD_MS)
		return (0);
	set_error(t, "08006", "the database did not answer in time a moment "
	    "ago; not waiting for it again yet");
	return (1);
}

static void
answered(struct db_conn *t)
{
	atomic_store(&answered_at[t->replica], now_ms());
	if (atomic_load(&stalled_at[t->replica]) != 0)
		atomic_store(&stalled_at[t->replica], 0);
}

/*
 * A deadline passed on one kind of connection.  The other kind is held
 * too unless it answered within the hold: then it is a server of its
 * own, alive (a frozen primary must not stop reads from a busy
 * standby); when it has been quiet as long, it may well be the same
 * server, and a request must not wait out a second deadline on it.
 */
static void
stall(int kind)
{
	long long	now = now_ms();

	atomic_store(&stalled_at[kind], now);
	if (read_conninfo != NULL &&
	    now - atomic_load(&answered_at[!kind]) >= STALL_HOLD_MS)
		atomic_store(&stalled_at[!kind], now);
}

/*
 * The deadline of a call starting now, or -1 when the database stalled
 * a moment ago (the thread's error says so).
 */
static int
call_begin(struct db_conn *t, long long *deadline)
{
	t->timed_out = 0;
	*deadline = limit_ms > 0 ? now_ms() + limit_ms : NO_DEADLINE;
	return (stalled(t) ? -1 : 0);
}

/*
 * A wait that ended without an answer.  After a timeout the connection
 * is dropped, not cancelled: PQcancel opens a connection of its own to
 * the postmaster and waits, with no limit, for it to answer, which a
 * stopped server never does.  The backend sees our socket close as soon
 * as it runs again.
 */
static enum db_status
give_up(struct db_conn *t, enum wait w, int ms)
{
	char	msg[128];

	if (w == W_TIMEOUT) {
		snprintf(msg, sizeof(msg), "no answer from the database "
		    "within %d ms", ms);
		set_error(t, "08006", msg);
		t->timed_out = 1;
		stall(t->replica);
	} else
		set_error(t, "08006", t->conn != NULL &&
		    *PQerrorMessage(t->conn) != '\0' ? PQerrorMessage(t->conn) :
		    "lost the connection to the database");
	drop_conn(t);
	return (DB_UNAVAILABLE);
}

/* The socket is ready for events, or the deadline passed, or it broke. */
static enum wait
wait_sock(PGconn *conn, short events, long long deadline, short *revents)
{
	struct pollfd	pfd;
	int		ms, n;

	for (;;) {
		if ((pfd.fd = PQsocket(conn)) < 0)
			return (W_LOST);
		pfd.events = events;
		pfd.revents = 0;
		ms = ms_left(deadline);
		if ((n = poll(&pfd, 1, ms)) > 0) {
			if (revents != NULL)
				*revents = pfd.revents;
			return (W_READY);
		}
		if (n == 0 && ms_left(deadline) == 0)
			return (W_TIMEOUT);
		if (n == -1 && errno != EINTR)
			return (W_LOST);
	}
}

/*
 * Send everything libpq has queued.  While the server is not reading,
 * read what it sends, as PQflush's documentation asks: it may be waiting
 * for us to take its output before it takes more input.
 */
static enum wait
flush(PGconn *conn, long long deadline)
{
	enum wait	w;
	short		rev;
	int		f;

	while ((f = PQflush(conn)) == 1) {
		if ((w = wait_sock(conn, POLLIN | POLLOUT, deadline, &rev)) !=
		    W_READY)
			return (w);
		if ((rev & (POLLIN | POLLHUP | POLLERR)) &&
		    PQconsumeInput(conn) == 0)
			return (W_LOST);
	}
	return (f == 0 ? W_READY : W_LOST);
}

/* Wait until PQgetResult can return without blocking. */
static enum wait
await(PGconn *conn, long long deadline)
{
	enum wait	w;

	if ((w = flush(conn, deadline)) != W_READY)
		return (w);
	while (PQisBusy(conn)) {
		if ((w = wait_sock(conn, POLLIN, deadline, NULL)) != W_READY)
			return (w);
		/*
		 * On a lost connection libpq stops being busy and
		 * PQgetResult reports it, with the server's last words.
		 */
		if (PQconsumeInput(conn) == 0)
			return (PQisBusy(conn) ? W_LOST : W_READY);
	}
	return (W_READY);
}

/*
 * Every result of the command just sent, keeping the last as PQexec
 * does, or stopping at COPY IN for the caller to feed.
 */
static enum wait
collect(PGconn *conn, long long deadline, PGresult **out)
{
	PGresult	*r;
	enum wait	 w;

	*out = NULL;
	for (;;) {
		if ((w = await(conn, deadline)) != W_READY) {
			PQclear(*out);
			*out = NULL;
			return (w);
		}
		if ((r = PQgetResult(conn)) == NULL)
			return (W_READY);
		PQclear(*out);
		*out = r;
		if (PQresultStatus(r) == PGRES_COPY_IN ||
		    PQresultStatus(r) == PGRES_COPY_OUT ||
		    PQresultStatus(r) == PGRES_COPY_BOTH ||
		    PQstatus(conn) == CONNECTION_BAD)
			return (W_READY);
	}
}

static enum db_status
result_status(struct db_conn *t, PGresult *r)
{
	if (PQstatus(t->conn) == CONNECTION_OK)
		answered(t);
	switch (PQresultStatus(r)) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
	case PGRES_SINGLE_TUPLE:
	case PGRES_COPY_IN:
		return (DB_OK);
	default:
		set_error(t, PQresultErrorField(r, PG_DIAG_SQLSTATE),
		    PQresultErrorMessage(r));
		if (PQstatus(t->conn) != CONNECTION_OK) {
			drop_conn(t);
			return (DB_UNAVAILABLE);
		}
		/*
		 * statement_timeout (or an administrator) cancelled it: the
		 * server is there but could not answer in time, which is a
		 * 503 like our own deadline, and not worth a retry.
		 */
		if (strcmp(t->sqlstate, "57014") == 0) {
			t->timed_out = 1;
			return (DB_UNAVAILABLE);
		}
		return (DB_ERROR);
	}
}

/* The results of what was just sent; the caller clears *out in any case. */
static enum db_status
finish(struct db_conn *t, long long deadline, PGresult **out)
{
	enum wait	w;

	if ((w = collect(t->conn, deadline, out)) != W_READY)
		return (give_up(t, w, limit_ms));
	return (result_status(t, *out));
}

/* A PQsend* call refused: a broken connection, or a bad call. */
static enum db_status
send_failed(struct db_conn *t)
{
	set_error(t, "08006", PQerrorMessage(t->conn));
	if (PQstatus(t->conn) != CONNECTION_OK) {
		drop_conn(t);
		return (DB_UNAVAILABLE);
	}
	return (DB_ERROR);
}

/*
 * PostgreSQL cancels a statement itself a little before our deadline:
 * then the connection survives, and the server's log names the query.
 * The remaining fifth is for connecting and for the cancel to come back.
 * The read connection is read-only even when it lands on the primary
 * (prefer-standby with no standby up), so a write sent there by mistake
 * fails the same way everywhere, in the tests too.
 */
static int
session_setup(struct db_conn *t, long long deadline)
{
	PGresult	*r;
	char		 sql[128];
	int		 rc = -1;

	if (limit_ms == 0 && !t->replica)
		return (0);
	snprintf(sql, sizeof(sql), "SET statement_timeout = %d;%s",
	    limit_ms - limit_ms / 5, t->replica ?
	    "SET default_transaction_read_only = on" : "");
	if (!PQsendQuery(t->conn, sql)) {
		(void)send_failed(t);
		return (-1);
	}
	if (finish(t, deadline, &r) == DB_OK)
		rc = 0;
	PQclear(r);
	if (rc == -1)
		drop_conn(t);
	return (rc);
}

/*
 * An idle connection with something to read has been told goodbye (a
 * server restart sends "terminating connection" and closes).  Finding
 * that out before sending, not after, means even a write may go on a new
 * connection: nothing of it reached the old one.  Outside a transaction
 * only; inside one, the loss must surface.
 */
static int
closed_by_server(struct db_conn *t)
{
	struct pollfd	pfd;
	int		i;

	if (t->in_tx || t->streaming || PQsocket(t->conn) < 0)
		return (0);
	pfd.fd = PQsocket(t->conn);
	pfd.events = POLLIN;
	/* The goodbye message first, then the end of the stream. */
	for (i = 0; i < 3; i++) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 0) <= 0)
			return (0);
		if (!PQconsumeInput(t->conn) ||
		    PQstatus(t->conn) != CONNECTION_OK)
			return (1);
	}
	return (0);
}

/*
 * Another call while a db_send statement is out: its answer is read now
 * and kept for db_collect, so that this call can go (the caller only
 * loses the overlap).
 */
static void
settle(struct db_conn *t)
{
	PGresult	*r;
	enum db_status	 st;

	if (!t->sent)
		return;
	st = finish(t, t->sent_deadline, &r);
	if (!t->sent) {
		/* finish() dropped the connection: drop_conn kept the loss. */
		PQclear(r);
		return;
	}
	t->sent = 0;
	t->kept = 1;
	t->kept_st = st;
	t->kept_res = r;
}

static int
ensure_conn(struct db_conn *t, long long deadline)
{
	const char *const kw[] = { "dbname", "application_name", NULL };
	const char *const val[] = { t->replica ? read_conninfo : conninfo,
	    "signpost", NULL };
	PostgresPollingStatusType	 ps = PGRES_POLLING_WRITING;
	enum wait			 w;
	long long			 cdl = deadline;

	settle(t);
	if (t->conn != NULL && PQstatus(t->conn) == CONNECTION_OK &&
	    !closed_by_server(t))
		return (0);
	drop_conn(t);
	if (val[0] == NULL) {
		set_error(t, "08000", "no database configured");
		return (-1);
	}
	if (cdl == NO_DEADLINE)
		cdl = now_ms() + CONNECT_MS;
	if ((t->conn = PQconnectStartParams(kw, val, 1)) == NULL) {
		set_error(t, "08001", "out of memory");
		return (-1);
	}
	while (ps != PGRES_POLLING_OK) {
		if (ps == PGRES_POLLING_FAILED ||
		    PQstatus(t->conn) == CONNECTION_BAD) {
			set_error(t, "08001", PQerrorMessage(t->conn));
			drop_conn(t);
			return (-1);
		}
		if ((w = wait_sock(t->conn, ps == PGRES_POLLING_READING ?
		    POLLIN : POLLOUT, cdl, NULL)) != W_READY) {
			(void)give_up(t, w, limit_ms > 0 ? limit_ms :
			    CONNECT_MS);
			return (-1);
		}
		ps = PQconnectPoll(t->conn);
	}
	answered(t);
	/* Notices (e.g. "relation exists, skipping") are not our log. */
	PQsetNoticeProcessor(t->conn, NULL, NULL);
	if (PQsetnonblocking(t->conn, 1) == -1) {
		set_error(t, "08001", PQerrorMessage(t->conn));
		drop_conn(t);
		return (-1);
	}
	return (session_setup(t, deadline));
}

static int
find_stmt(const char *name)
{
	size_t	i;

	for (i = 0; i < nstmts; i++)
		if (strcmp(stmts[i]->name, name) == 0)
			return ((int)i);
	return (-1);
}

/* find_stmt, saying so when there is none by that name. */
static int
known_stmt(const char *name)
{
	int	idx;

	if ((idx = find_stmt(name)) == -1) {
		set_error(writer(), "26000", "unknown prepared statement");
		log_warn("db: unknown statement %s", name);
	}
	return (idx);
}

const char *
db_stmt_sql(const char *name)
{
	int	i;

	if ((i = find_stmt(name)) == -1)
		return (NULL);
	return (stmts[i]->sql);
}

int
db_stmt_reads_only(const char *name)
{
	int	i;

	if ((i = find_stmt(name)) == -1)
		return (-1);
	return (reads_only[i]);
}

static enum db_status
prepare(struct db_conn *t, int idx, long long deadline)
{
	PGresult	*r;
	enum db_status	 st;

	if (t->prepared[idx])
		return (DB_OK);
	if (!PQsendPrepare(t->conn, stmts[idx]->name, stmts[idx]->sql, 0,
	    NULL))
		return (send_failed(t));
	st = finish(t, deadline, &r);
	PQclear(r);
	if (st == DB_OK)
		t->prepared[idx] = 1;
	else if (st == DB_ERROR)
		log_warn("db: preparing %s: %s", stmts[idx]->name, t->errmsg);
	return (st);
}

/* A registered statement sent (prepared first if it is not yet). */
static enum db_status
send_prepared(struct db_conn *t, int idx, int n, const char *const *params,
    long long deadline)
{
	enum db_status	 st;

	if (ensure_conn(t, deadline) == -1)
		return (DB_UNAVAILABLE);
	if ((st = prepare(t, idx, deadline)) != DB_OK)
		return (st);
	if (!PQsendQueryPrepared(t->conn, stmts[idx]->name, n, params, NULL,
	    NULL, 0))
		return (send_failed(t));
	return (DB_OK);
}

static enum db_status
exec_once(struct db_conn *t, int idx, int n, const char *const *params,
    long long deadline, struct db_result **out)
{
	PGresult	*r;
	enum db_status	 st;

	if ((st = send_prepared(t, idx, n, params, deadline)) != DB_OK)
		return (st);
	if ((st = finish(t, deadline, &r)) != DB_OK || out == NULL) {
		PQclear(r);
		return (st);
	}
	*out = (struct db_result *)r;
	return (DB_OK);
}

/*
 * A connection that was open but died (server restarted) fails the first
 * statement sent on it; one retry on a new connection makes a restart
 * invisible to the user.  Not after a timeout: the server is not
 * answering, and the deadline is spent.
 */
/*
 * Once, on a new connection, when the old one turned out to be dead (the
 * server restarted since): never inside a transaction, whose earlier
 * statements died with the connection.
 */
static int
worth_retry(const struct db_conn *t, enum db_status st, int had_conn,
    int was_in_tx, long long deadline)
{
	return (st == DB_UNAVAILABLE && had_conn && !was_in_tx &&
	    !t->timed_out && ms_left(deadline) != 0);
}

enum db_status
db_exec(const char *name, int n, const char *const *params,
    struct db_result **out)
{
	struct db_conn		*t;
	enum db_status		 st;
	long long		 deadline;
	int			 idx, had_conn, in_tx;

	if (out != NULL)
		*out = NULL;
	if ((idx = known_stmt(name)) == -1)
		return (DB_ERROR);
	t = route(reads_only[idx]);
	if (streaming() != NULL) {
		set_error(t, "55000", "a stream is open on this thread");
		return (DB_ERROR);
	}
	if (call_begin(t, &deadline) == -1)
		return (DB_UNAVAILABLE);
	had_conn = t->conn != NULL;
	in_tx = t->in_tx;
	st = exec_once(t, idx, n, params, deadline, out);
	if (reads_only[idx] && worth_retry(t, st, had_conn, in_tx, deadline))
		st = exec_once(t, idx, n, params, deadline, out);
	return (st);
}

enum db_status
db_send(const char *name, int n, const char *const *params)
{
	struct db_conn		*t;
	enum db_status		 st;
	enum wait		 w;
	long long		 deadline;
	int			 idx;

	if ((idx = known_stmt(name)) == -1)
		return (DB_ERROR);
	t = route(0);
	if (streaming() != NULL || t->sent || t->kept) {
		set_error(t, "55000", "a stream is open, or a sent statement "
		    "is not collected");
		return (DB_ERROR);
	}
	if (call_begin(t, &deadline) == -1)
		return (DB_UNAVAILABLE);
	if ((st = send_prepared(t, idx, n, params, deadline)) != DB_OK)
		return (st);
	/* All of it on its way: the server cannot start on a part. */
	if ((w = flush(t->conn, deadline)) != W_READY)
		return (give_up(t, w, limit_ms));
	t->sent = 1;
	t->sent_deadline = deadline;
	return (DB_OK);
}

enum db_status
db_collect(struct db_result **out)
{
	struct db_conn		*t = writer();
	PGresult		*r;
	enum db_status		 st;

	if (out != NULL)
		*out = NULL;
	if (t->kept) {
		t->kept = 0;
		r = t->kept_res;
		st = t->kept_st;
		t->kept_res = NULL;
	} else if (t->sent) {
		st = finish(t, t->sent_deadline, &r);
		/* Also when finish() dropped the connection (drop_conn kept
		 * the loss, said here). */
		t->sent = 0;
		t->kept = 0;
	} else {
		set_error(t, "55000", "no statement was sent");
		return (DB_ERROR);
	}
	if (st != DB_OK || out == NULL) {
		PQclear(r);
		return (st);
	}
	*out = (struct db_result *)r;
	return (DB_OK);
}

/* One command in the simple protocol (several statements may be in it). */
static enum db_status
simple(struct db_conn *t, const char *sql, long long deadline,
    PGresult **out)
{
	*out = NULL;
	if (ensure_conn(t, deadline) == -1)
		return (DB_UNAVAILABLE);
	if (!PQsendQuery(t->conn, sql))
		return (send_failed(t));
	return (finish(t, deadline, out));
}

enum db_status
db_script(const char *sql, struct db_result **out)
{
	struct db_conn		*t = route(0);
	PGresult		*r;
	enum db_status		 st;
	long long		 deadline;

	if (out != NULL)
		*out = NULL;
	if (t->streaming) {
		set_error(t, "55000", "a stream is open on this thread");
		return (DB_ERROR);
	}
	if (call_begin(t, &deadline) == -1)
		return (DB_UNAVAILABLE);
	if ((st = simple(t, sql, deadline, &r)) != DB_OK || out == NULL) {
		PQclear(r);
		return (st);
	}
	*out = (struct db_result *)r;
	return (DB_OK);
}

/* BEGIN, COMMIT, ROLLBACK: each once, never retried. */
static enum db_status
tx_command(struct db_conn *t, const char *sql)
{
	PGresult	*r;
	enum db_status	 st;
	long long	 deadline;

	if (t->streaming) {
		set_error(t, "55000", "a stream is open on this thread");
		return (DB_ERROR);
	}
	if (call_begin(t, &deadline) == -1)
		return (DB_UNAVAILABLE);
	st = simple(t, sql, deadline, &r);
	PQclear(r);
	return (st);
}

enum db_status
db_tx_begin(void)
{
	struct db_conn		*t = route(0);
	enum db_status		 st;

	if (t->in_tx) {
		set_error(t, "25001", "a transaction is already open");
		return (DB_ERROR);
	}
	/* A connection that died while idle is found out here, before
	 * anything in the transaction was sent: that one may be redone. */
	if (t->conn != NULL && PQstatus(t->conn) != CONNECTION_OK)
		drop_conn(t);
	if ((st = tx_command(t, "BEGIN")) == DB_UNAVAILABLE &&
	    !t->timed_out && t->conn == NULL)
		st = tx_command(t, "BEGIN");
	if (st == DB_OK)
		t->in_tx = 1;
	return (st);
}

enum db_status
db_tx_commit(void)
{
	struct db_conn		*t = writer();
	enum db_status		 st;

	if (!t->in_tx) {
		set_error(t, "25P01", "no transaction is open");
		return (DB_ERROR);
	}
	st = tx_command(t, "COMMIT");
	t->in_tx = 0;
	return (st);
}

void
db_tx_rollback(void)
{
	struct db_conn		*t = writer();

	if (!t->in_tx)
		return;
	t->in_tx = 0;
	/* When this fails the connection is gone, and the transaction with
	 * it: the server rolls it back. */
	(void)tx_command(t, "ROLLBACK");
}

int
db_in_tx(void)
{
	return (thread_state()->rw.in_tx);
}

static enum db_status
ping(struct db_conn *t)
{
	PGresult		*r;
	enum db_status		 st;
	long long		 deadline;
	int			 had_conn;

	if (t->streaming) {
		set_error(t, "55000", "a stream is open on this thread");
		return (DB_ERROR);
	}
	if (call_begin(t, &deadline) == -1)
		return (DB_UNAVAILABLE);
	had_conn = t->conn != NULL;
	st = simple(t, "SELECT 1", deadline, &r);
	PQclear(r);
	if (worth_retry(t, st, had_conn, t->in_tx, deadline)) {
		st = simple(t, "SELECT 1", deadline, &r);
		PQclear(r);
	}
	return (st);
}

enum db_status
db_ping(void)
{
	return (ping(writer()));
}

/*
 * Writes fail because the primary is gone (it refused or dropped the
 * connection) and the read connection answers.  Not when the primary
 * is only slow: that answer already took a deadline, and a standby
 * check must not add another; it gets the plain 503.
 */
int
db_read_only(void)
{
	struct db_thread	*t = thread_state();
	long long		 at = atomic_load(&stalled_at[0]);

	if (read_conninfo == NULL || t->rw.timed_out ||
	    (at != 0 && now_ms() - at < STALL_HOLD_MS))
		return (0);
	t->last = &t->ro;
	return (ping(&t->ro) == DB_OK);
}

int
db_rows(const struct db_result *r)
{
	return (r == NULL ? 0 : PQntuples((const PGresult *)r));
}

int
db_cols(const struct db_result *r)
{
	return (r == NULL ? 0 : PQnfields((const PGresult *)r));
}

int
db_colnum(const struct db_result *r, const char *name)
{
	return (PQfnumber((const PGresult *)r, name));
}

const char *
db_colname(const struct db_result *r, int col)
{
	return (PQfname((const PGresult *)r, col));
}

const char *
db_value(const struct db_result *r, int row, int col)
{
	if (r == NULL || row < 0 || col < 0 || row >= db_rows(r) ||
	    col >= db_cols(r) || PQgetisnull((const PGresult *)r, row, col))
		return (NULL);
	return (PQgetvalue((const PGresult *)r, row, col));
}

int
db_isnull(const struct db_result *r, int row, int col)
{
	return (db_value(r, row, col) == NULL);
}

const char *
db_text(const struct db_result *r, int row, int col)
{
	const char	*v = db_value(r, row, col);

	return (v != NULL && *v != '\0' ? v : NULL);
}

int
db_bool(const struct db_result *r, int row, int col)
{
	const char	*v = db_value(r, row, col);

	if (v == NULL)
		return (-1);
	return (v[0] == 't');
}

long long
db_affected(const struct db_result *r)
{
	long long	 n;

	if (r == NULL || str_to_ll(PQcmdTuples((PGresult *)(uintptr_t)r), 0,
	    LLONG_MAX, &n) == -1)
		return (0);
	return (n);
}

void
db_free(struct db_result *r)
{
	PQclear((PGresult *)r);
}

enum db_status
db_copy_begin(const char *sql)
{
	struct db_conn		*t = writer();
	PGresult		*r;
	enum db_status		 st;
	long long		 deadline;

	if (call_begin(t, &deadline) == -1)
		return (DB_UNAVAILABLE);
	st = simple(t, sql, deadline, &r);
	if (st == DB_OK && PQresultStatus(r) != PGRES_COPY_IN) {
		set_error(t, "42601", "not a COPY FROM STDIN");
		st = DB_ERROR;
	}
	PQclear(r);
	return (st);
}

/*
 * PQputCopyData and PQputCopyEnd in non-blocking mode only queue (0:
 * no room even for that); the deadline holds while the queue drains.
 */
enum db_status
db_copy_put(const char *data, size_t len)
{
	struct db_conn		*t = writer();
	enum wait		 w;
	long long		 deadline;
	int			 n, rc;

	if (t->conn == NULL)
		return (DB_UNAVAILABLE);
	(void)call_begin(t, &deadline);
	while (len > 0) {
		n = len > (1 << 20) ? (1 << 20) : (int)len;
		if ((rc = PQputCopyData(t->conn, data, n)) == 0) {
			if ((w = flush(t->conn, deadline)) != W_READY)
				return (give_up(t, w, limit_ms));
			rc = PQputCopyData(t->conn, data, n);
		}
		if (rc != 1) {
			set_error(t, "08006", PQerrorMessage(t->conn));
			return (DB_ERROR);
		}
		if ((w = flush(t->conn, deadline)) != W_READY)
			return (give_up(t, w, limit_ms));
		data += n;
		len -= (size_t)n;
	}
	return (DB_OK);
}

enum db_status
db_copy_end(void)
{
	struct db_conn		*t = writer();
	PGresult		*r;
	enum db_status		 st;
	enum wait		 w;
	long long		 deadline;
	int			 rc;

	if (t->conn == NULL)
		return (DB_UNAVAILABLE);
	(void)call_begin(t, &deadline);
	if ((rc = PQputCopyEnd(t->conn, NULL)) == 0) {
		if ((w = flush(t->conn, deadline)) != W_READY)
			return (give_up(t, w, limit_ms));
		rc = PQputCopyEnd(t->conn, NULL);
	}
	if (rc != 1) {
		set_error(t, "08006", PQerrorMessage(t->conn));
		return (DB_ERROR);
	}
	st = finish(t, deadline, &r);
	PQclear(r);
	return (st);
}

enum db_status
db_stream_begin(const char *name, int n, const char *const *params)
{
	struct db_conn		*t;
	enum db_status		 st;
	enum wait		 w;
	long long		 deadline;
	int			 idx;

	if ((idx = find_stmt(name)) == -1 || streaming() != NULL) {
		t = writer();
		set_error(t, "55000", "unknown statement or stream open");
		return (DB_ERROR);
	}
	t = route(reads_only[idx]);
	if (call_begin(t, &deadline) == -1)
		return (DB_UNAVAILABLE);
	if (ensure_conn(t, deadline) == -1)
		return (DB_UNAVAILABLE);
	if ((st = prepare(t, idx, deadline)) != DB_OK)
		return (st);
	if (!PQsendQueryPrepared(t->conn, name, n, params, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(t->conn))
		return (send_failed(t));
	if ((w = flush(t->conn, deadline)) != W_READY)
		return (give_up(t, w, limit_ms));
	t->streaming = 1;
	return (DB_OK);
}

/* Read to the end of the stream, or drop the connection if it stalls. */
static void
stream_drain(struct db_conn *t, long long deadline)
{
	PGresult	*r;
	enum wait	 w;

	while (t->conn != NULL) {
		if ((w = await(t->conn, deadline)) != W_READY) {
			(void)give_up(t, w, limit_ms);
			break;
		}
		if ((r = PQgetResult(t->conn)) == NULL)
			break;
		PQclear(r);
	}
	t->streaming = 0;
}

/* Each row has a deadline of its own: a long stream is not a stall. */
int
db_stream_next(struct db_result **out)
{
	struct db_conn		*t = streaming();
	PGresult		*r;
	enum wait		 w;
	long long		 deadline;

	*out = NULL;
	if (t == NULL || t->conn == NULL)
		return (-1);
	(void)call_begin(t, &deadline);
	if ((w = await(t->conn, deadline)) != W_READY) {
		(void)give_up(t, w, limit_ms);
		return (-1);
	}
	if ((r = PQgetResult(t->conn)) == NULL) {
		t->streaming = 0;
		return (0);
	}
	switch (PQresultStatus(r)) {
	case PGRES_SINGLE_TUPLE:
		*out = (struct db_result *)r;
		return (1);
	case PGRES_TUPLES_OK:
		PQclear(r);
		stream_drain(t, deadline);
		return (0);
	default:
		(void)result_status(t, r);
		PQclear(r);
		stream_drain(t, deadline);
		return (-1);
	}
}

/*
 * A stream given up part-way: not PQcancel, which waits with no limit
 * for the postmaster; dropping the connection stops the backend when it
 * next writes a row, and costs the next call a reconnect.
 */
void
db_stream_cancel(void)
{
	struct db_conn		*t = streaming();

	if (t == NULL || t->conn == NULL)
		return;
	drop_conn(t);
}

enum db_status
db_listen(const char *channel)
{
	char		 sql[96];
	const char	*c;

	for (c = channel; *c != '\0'; c++)
		if ((*c < 'a' || *c > 'z') && *c != '_')
			return (DB_ERROR);
	if (snprintf(sql, sizeof(sql), "LISTEN %s", channel) >=
	    (int)sizeof(sql))
		return (DB_ERROR);
	return (db_script(sql, NULL));
}

int
db_wait_notify(int timeout_ms, char *payload, size_t len)
{
	struct db_conn		*t = writer();
	struct pollfd		 pfd;
	PGnotify		*n;
	int			 count = 0;

	if (t->conn == NULL || PQstatus(t->conn) != CONNECTION_OK)
		return (-1);
	pfd.fd = PQsocket(t->conn);
	pfd.events = POLLIN;
	if (pfd.fd < 0 || poll(&pfd, 1, timeout_ms) == -1)
		return (-1);
	if (PQconsumeInput(t->conn) == 0) {
		set_error(t, "08006", PQerrorMessage(t->conn));
		drop_conn(t);
		return (-1);
	}
	while ((n = PQnotifies(t->conn)) != NULL) {
		if (len > 0)
			snprintf(payload, len, "%s", n->extra);
		PQfreemem(n);
		count++;
	}
	return (count);
}

const char *
db_sqlstate(void)
{
	struct db_thread	*t = thread_state();

	return (t->last != NULL ? t->last->sqlstate : t->rw.sqlstate);
}

const char *
db_errmsg(void)
{
	struct db_thread	*t = thread_state();

	return (t->last != NULL ? t->last->errmsg : t->rw.errmsg);
}

void
db_close(void)
{
	struct db_thread	*t = thread_state();

	drop_conn(&t->rw);
	drop_conn(&t->ro);
}
