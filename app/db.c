/*
 * PostgreSQL access.  Each thread has one connection (a pthread key with a
 * destructor closes it when the thread ends).  Statements are prepared on
 * a connection the first time they are used there, so one statement that
 * does not prepare (say, before a migration) does not take the others down.
 * When the server goes away, the next call reconnects; a call that finds
 * its connection dead is retried once on a fresh one.
 */
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "buf.h"
#include "db.h"
#include "log.h"

#define DB_MAX_STMTS	256

struct db_thread {
	PGconn		*conn;
	unsigned char	 prepared[DB_MAX_STMTS];
	int		 streaming;
	char		 sqlstate[6];
	char		 errmsg[512];
};

static const struct db_stmt	*stmts[DB_MAX_STMTS];
static size_t			 nstmts;
static char			*conninfo;
static pthread_key_t		 key;
static pthread_once_t		 key_once = PTHREAD_ONCE_INIT;
static struct db_thread		 fallback;	/* when malloc fails */

static void
thread_free(void *p)
{
	struct db_thread	*t = p;

	if (t == NULL)
		return;
	if (t->conn != NULL)
		PQfinish(t->conn);
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
	}
	return (t);
}

void
db_setup(const char *ci)
{
	free(conninfo);
	if ((conninfo = strdup(ci)) == NULL)
		fatal("out of memory");
}

void
db_register(const struct db_stmt *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (nstmts == DB_MAX_STMTS)
			fatal("more than %d prepared statements", DB_MAX_STMTS);
		stmts[nstmts++] = &s[i];
	}
}

static void
set_error(struct db_thread *t, const char *state, const char *msg)
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
drop_conn(struct db_thread *t)
{
	if (t->conn != NULL)
		PQfinish(t->conn);
	t->conn = NULL;
	t->streaming = 0;
	memset(t->prepared, 0, sizeof(t->prepared));
}

static int
ensure_conn(struct db_thread *t)
{
	const char *const kw[] = { "dbname", "application_name",
	    "connect_timeout", NULL };
	const char *const val[] = { conninfo, "signpost", "5", NULL };

	if (t->conn != NULL && PQstatus(t->conn) == CONNECTION_OK)
		return (0);
	drop_conn(t);
	if (conninfo == NULL) {
		set_error(t, "08000", "no database configured");
		return (-1);
	}
	t->conn = PQconnectdbParams(kw, val, 1);
	if (t->conn == NULL || PQstatus(t->conn) != CONNECTION_OK) {
		set_error(t, "08001", t->conn != NULL ?
		    PQerrorMessage(t->conn) : "out of memory");
		drop_conn(t);
		return (-1);
	}
	/* Notices (e.g. "relation exists, skipping") are not our log. */
	PQsetNoticeProcessor(t->conn, NULL, NULL);
	return (0);
}

static enum db_status
result_status(struct db_thread *t, PGresult *r)
{
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
		return (DB_ERROR);
	}
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

const char *
db_stmt_sql(const char *name)
{
	int	i;

	if ((i = find_stmt(name)) == -1)
		return (NULL);
	return (stmts[i]->sql);
}

static enum db_status
exec_once(struct db_thread *t, int idx, int n, const char *const *params,
    struct db_result **out)
{
	PGresult	*r;
	enum db_status	 st;

	if (ensure_conn(t) == -1)
		return (DB_UNAVAILABLE);
	if (!t->prepared[idx]) {
		r = PQprepare(t->conn, stmts[idx]->name, stmts[idx]->sql, 0,
		    NULL);
		st = result_status(t, r);
		PQclear(r);
		if (st != DB_OK) {
			if (st == DB_ERROR)
				log_warn("db: preparing %s: %s",
				    stmts[idx]->name, t->errmsg);
			return (st);
		}
		t->prepared[idx] = 1;
	}
	r = PQexecPrepared(t->conn, stmts[idx]->name, n, params, NULL, NULL,
	    0);
	if ((st = result_status(t, r)) != DB_OK || out == NULL) {
		PQclear(r);
		return (st);
	}
	*out = (struct db_result *)r;
	return (DB_OK);
}

enum db_status
db_exec(const char *name, int n, const char *const *params,
    struct db_result **out)
{
	struct db_thread	*t = thread_state();
	enum db_status		 st;
	int			 idx, had_conn;

	if (out != NULL)
		*out = NULL;
	if ((idx = find_stmt(name)) == -1) {
		set_error(t, "26000", "unknown prepared statement");
		log_warn("db: unknown statement %s", name);
		return (DB_ERROR);
	}
	if (t->streaming) {
		set_error(t, "55000", "a stream is open on this thread");
		return (DB_ERROR);
	}
	had_conn = t->conn != NULL;
	st = exec_once(t, idx, n, params, out);
	/*
	 * A connection that was open but died (server restarted) fails
	 * the first statement sent on it; one retry on a new connection
	 * makes a restart invisible to the user.
	 */
	if (st == DB_UNAVAILABLE && had_conn)
		st = exec_once(t, idx, n, params, out);
	return (st);
}

enum db_status
db_script(const char *sql, struct db_result **out)
{
	struct db_thread	*t = thread_state();
	PGresult		*r;
	enum db_status		 st;

	if (out != NULL)
		*out = NULL;
	if (ensure_conn(t) == -1)
		return (DB_UNAVAILABLE);
	r = PQexec(t->conn, sql);
	if ((st = result_status(t, r)) != DB_OK || out == NULL) {
		PQclear(r);
		return (st);
	}
	*out = (struct db_result *)r;
	return (DB_OK);
}

enum db_status
db_ping(void)
{
	struct db_thread	*t = thread_state();
	PGresult		*r;
	enum db_status		 st;
	int			 attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (ensure_conn(t) == -1)
			return (DB_UNAVAILABLE);
		r = PQexec(t->conn, "SELECT 1");
		st = result_status(t, r);
		PQclear(r);
		if (st != DB_UNAVAILABLE)
			return (st);
	}
	return (DB_UNAVAILABLE);
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
	struct db_thread	*t = thread_state();
	PGresult		*r;
	enum db_status		 st;

	if (ensure_conn(t) == -1)
		return (DB_UNAVAILABLE);
	r = PQexec(t->conn, sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		st = result_status(t, r);
		PQclear(r);
		return (st == DB_OK ? DB_ERROR : st);
	}
	PQclear(r);
	return (DB_OK);
}

enum db_status
db_copy_put(const char *data, size_t len)
{
	struct db_thread	*t = thread_state();

	if (t->conn == NULL)
		return (DB_UNAVAILABLE);
	while (len > 0) {
		int	n = len > (1 << 20) ? (1 << 20) : (int)len;

		if (PQputCopyData(t->conn, data, n) != 1) {
			set_error(t, "08006", PQerrorMessage(t->conn));
			return (DB_ERROR);
		}
		data += n;
		len -= (size_t)n;
	}
	return (DB_OK);
}

enum db_status
db_copy_end(void)
{
	struct db_thread	*t = thread_state();
	PGresult		*r;
	enum db_status		 st = DB_OK, s;

	if (t->conn == NULL)
		return (DB_UNAVAILABLE);
	if (PQputCopyEnd(t->conn, NULL) != 1) {
		set_error(t, "08006", PQerrorMessage(t->conn));
		return (DB_ERROR);
	}
	while ((r = PQgetResult(t->conn)) != NULL) {
		if ((s = result_status(t, r)) != DB_OK)
			st = s;
		PQclear(r);
		if (t->conn == NULL)
			break;
	}
	return (st);
}

enum db_status
db_stream_begin(const char *name, int n, const char *const *params)
{
	struct db_thread	*t = thread_state();
	PGresult		*r;
	enum db_status		 st;
	int			 idx;

	if ((idx = find_stmt(name)) == -1 || t->streaming) {
		set_error(t, "55000", "unknown statement or stream open");
		return (DB_ERROR);
	}
	if (ensure_conn(t) == -1)
		return (DB_UNAVAILABLE);
	if (!t->prepared[idx]) {
		r = PQprepare(t->conn, stmts[idx]->name, stmts[idx]->sql, 0,
		    NULL);
		st = result_status(t, r);
		PQclear(r);
		if (st != DB_OK)
			return (st);
		t->prepared[idx] = 1;
	}
	if (!PQsendQueryPrepared(t->conn, name, n, params, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(t->conn)) {
		set_error(t, "08006", PQerrorMessage(t->conn));
		if (PQstatus(t->conn) != CONNECTION_OK) {
			drop_conn(t);
			return (DB_UNAVAILABLE);
		}
		return (DB_ERROR);
	}
	t->streaming = 1;
	return (DB_OK);
}

static void
stream_drain(struct db_thread *t)
{
	PGresult	*r;

	while (t->conn != NULL && (r = PQgetResult(t->conn)) != NULL)
		PQclear(r);
	t->streaming = 0;
}

int
db_stream_next(struct db_result **out)
{
	struct db_thread	*t = thread_state();
	PGresult		*r;

	*out = NULL;
	if (!t->streaming || t->conn == NULL)
		return (-1);
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
		stream_drain(t);
		return (0);
	default:
		(void)result_status(t, r);
		PQclear(r);
		stream_drain(t);
		return (-1);
	}
}

void
db_stream_cancel(void)
{
	struct db_thread	*t = thread_state();
	PGcancel		*c;
	char			 err[256];

	if (!t->streaming || t->conn == NULL)
		return;
	if ((c = PQgetCancel(t->conn)) != NULL) {
		(void)PQcancel(c, err, sizeof(err));
		PQfreeCancel(c);
	}
	stream_drain(t);
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
	struct db_thread	*t = thread_state();
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
	return (thread_state()->sqlstate);
}

const char *
db_errmsg(void)
{
	return (thread_state()->errmsg);
}

void
db_close(void)
{
	struct db_thread	*t = thread_state();

	drop_conn(t);
}
