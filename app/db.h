/*
 * db: the only file that includes <libpq-fe.h>.  Each thread owns one
 * connection (two with a read connection: db_setup_read), opened on
 * first use with every registered statement prepared, and re-opened on
 * the next call after it is lost.  Results are
 * owned by the caller (db_free).  Statements are registered at start-up,
 * before threads start; SQL is never assembled from user input.  No call
 * waits on the server past the deadline db_set_timeout gives it.
 */
#ifndef DB_H
#define DB_H

#include <stddef.h>

enum db_status {
	DB_OK,
	DB_ERROR,	/* the statement failed; db_sqlstate() says why */
	DB_UNAVAILABLE	/* no connection, or no answer in time: 503 */
};

struct db_stmt {
	const char	*name;
	const char	*sql;
};

struct db_result;

void	db_setup(const char *);
/*
 * database_read_url: where read-only statements go, a connection of its
 * own per thread (NULL or empty: none, everything on database_url).  It
 * is made read-only, wherever it lands.  Writes, transactions and
 * scripts always use database_url, opened when first needed.
 */
void	db_setup_read(const char *);
int	db_has_replica(void);
/*
 * Reading one's own writes.  db_request_begin starts a request on this
 * thread; with pin set (the person wrote a moment ago) its reads go to
 * the write connection.  Any write pins the rest of the request too, so
 * a page shown after "saved" is read from where it was saved.
 * db_request_wrote says whether the request sent a write.
 */
void	db_request_begin(int);
int	db_request_wrote(void);
/* 1 when this request's reads go to the primary although a read
 * connection exists: what it shows must not come from a standby's cache. */
int	db_reads_primary(void);
/*
 * The most any call waits for the server, in ms, connecting included;
 * when it passes, the connection is dropped and the call answers
 * DB_UNAVAILABLE.  Connections also get a statement_timeout of four
 * fifths of it, so that PostgreSQL cancels a slow query first.  0 (the
 * default, for the CLI commands' long imports) means no limit, except 5 s
 * to connect.  Set it at start-up, before any connection is made.
 */
void	db_set_timeout(int);
void	db_register(const struct db_stmt *, size_t);
/*
 * The SQL text of a registered statement, or NULL if there is none by
 * that name: for `signpost sql`, so that benchmarks run what we run.
 */
const char	*db_stmt_sql(const char *);
/*
 * 1 when the registered statement only reads (it may go to the read
 * connection, and be re-sent after a lost connection), 0 when it may
 * write, -1 when there is none by that name.
 */
int		 db_stmt_reads_only(const char *);

enum db_status	db_exec(const char *, int, const char *const *,
		    struct db_result **);
/*
 * A statement sent now and its answer collected later, so that the caller
 * works while the server does (an import checks its next records while
 * the last batch is written).  One at a time, on the write connection;
 * db_collect answers as db_exec would.  Any other call in between reads
 * that answer first and keeps it for db_collect: it is correct, only the
 * overlap is lost.
 */
enum db_status	db_send(const char *, int, const char *const *);
enum db_status	db_collect(struct db_result **);
/*
 * A transaction on this thread's connection.  Statements in it are never
 * re-sent on a new connection: if the connection is lost, every call
 * fails (DB_UNAVAILABLE) and the transaction is gone.  Outside one, only
 * read-only statements are re-sent once after a lost connection; a write
 * is not, since its reply, not its effect, may be what was lost.  COMMIT
 * answering DB_UNAVAILABLE means "not known": callers say so.  After a
 * failed statement, call db_tx_rollback.
 */
enum db_status	db_tx_begin(void);
enum db_status	db_tx_commit(void);
void		db_tx_rollback(void);
int		db_in_tx(void);
/* One-off SQL with no parameters (migrations, admin commands). */
enum db_status	db_script(const char *, struct db_result **);
enum db_status	db_ping(void);
/*
 * After a write failed with DB_UNAVAILABLE: 1 when the primary is gone
 * (refused, not merely slow) and the read connection still answers, so
 * the directory is read-only rather than down.  0 without a replica.
 */
int		db_read_only(void);

int		 db_rows(const struct db_result *);
int		 db_cols(const struct db_result *);
int		 db_colnum(const struct db_result *, const char *);
const char	*db_colname(const struct db_result *, int);
/* NULL for SQL NULL. */
const char	*db_value(const struct db_result *, int, int);
int		 db_isnull(const struct db_result *, int, int);
/* The text, or NULL when it is SQL NULL or empty: for optional columns. */
const char	*db_text(const struct db_result *, int, int);
/* A boolean column: 1 true, 0 false, -1 NULL. */
int		 db_bool(const struct db_result *, int, int);
/* Number of rows an INSERT/UPDATE/DELETE touched. */
long long	 db_affected(const struct db_result *);
void		 db_free(struct db_result *);

/* COPY ... FROM STDIN for bulk loads: begin, put any number, end. */
enum db_status	db_copy_begin(const char *);
enum db_status	db_copy_put(const char *, size_t);
enum db_status	db_copy_end(void);

/*
 * Streaming a large result row by row (single-row mode) with constant
 * memory.  db_stream_next returns 1 with a one-row result, 0 at the end,
 * -1 on error; the deadline is per row.  Only one stream per thread at a
 * time.  db_stream_cancel drops the connection (the next call reconnects).
 */
enum db_status	db_stream_begin(const char *, int, const char *const *);
int		db_stream_next(struct db_result **);
void		db_stream_cancel(void);

/*
 * LISTEN/NOTIFY on this thread's connection, for a thread that does
 * nothing else.  db_listen takes a channel name that is a constant
 * identifier ([a-z_]+), never user input.  db_wait_notify waits up to
 * the timeout (ms) and returns how many notifications arrived (0 on
 * timeout) with the last one's payload copied into the buffer, or -1
 * when the connection is lost: listen again then.
 */
enum db_status	db_listen(const char *);
int		db_wait_notify(int, char *, size_t);

/* The last error on this thread: SQLSTATE ("23505") and message, for logs. */
const char	*db_sqlstate(void);
const char	*db_errmsg(void);
/* Close this thread's connection (at thread exit it happens by itself). */
void		 db_close(void);

#endif
