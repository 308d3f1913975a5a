/*
 * Integration tests for bounded waits on the database.  With every
 * process of the test cluster stopped (SIGSTOP: what a stuck disk or a
 * network partition looks like from here), requests under load get their
 * 503 from the server's own deadline (5 s is the budget without load;
 * under it, only an answer is asserted, and scripts/bench times it) and
 * the server goes on serving what needs no database;
 * after SIGCONT requests succeed again within seconds.  A query held up
 * by a lock is cancelled by PostgreSQL's statement_timeout before the
 * server's own deadline, and the CLI commands have neither.  A cached
 * feed page is answered while every worker waits on such a lock.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <regex.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "raw.h"

#define BUDGET_MS	5000	/* the longest a client may wait */
/*
 * Under load (six clients, and CI running other builds beside): every
 * request must be answered, within a margin that holds on a busy machine.
 * The absolute times are scripts/bench's to measure, not a test's.
 */
#define LOADED_MS	30000
#define STOP_MS		8000	/* how long the cluster is stopped */
#define RECOVER_MS	5000	/* SIGCONT to the first success */
#define SETTLE_MS	2000	/* first success to all succeeding */
#define GUARD_MS	30000	/* the guard resumes the cluster by then */
#define CLIENTS		6
#define MAX_RECS	1024
#define MIGRATE_LOCK	"7270001"	/* app/migrate.c's advisory lock */

static long long
ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
sleep_ms(int n)
{
	struct timespec	ts = { n / 1000, (long)(n % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* A line of the server's log matching the regular expression. */
static int
log_has(const char *re_src)
{
	const char	*path = getenv("SIGNPOST_TEST_SERVER_LOG");
	char		 line[4096];
	regex_t		 re;
	FILE		*f;
	int		 found = 0;

	if (path == NULL)
		fail_msg("SIGNPOST_TEST_SERVER_LOG is not set");
	assert_int_equal(regcomp(&re, re_src, REG_EXTENDED | REG_NOSUB), 0);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = regexec(&re, line, 0, NULL, 0) == 0;
	fclose(f);
	regfree(&re);
	return (found);
}

/*
 * A 503 as reply_db_error makes it: Retry-After, and an HTML page or,
 * under /api/, problem JSON.  No cmocka asserts: load threads call it.
 */
static int
good_503(const struct resp *r, int api)
{
	char	 v[128];
	cJSON	*j;
	int	 ok;

	if (r->status != 503 ||
	    resp_header(r, "Retry-After", v, sizeof(v)) == -1 ||
	    resp_header(r, "Content-Type", v, sizeof(v)) == -1)
		return (0);
	if (!api)
		return (strncmp(v, "text/html", 9) == 0 &&
		    strstr(r->body, "<!doctype html>") != NULL);
	if (strncmp(v, "application/problem+json", 24) != 0 ||
	    (j = resp_json(r)) == NULL)
		return (0);
	ok = cJSON_GetNumberValue(cJSON_GetObjectItem(j, "status")) == 503;
	cJSON_Delete(j);
	return (ok);
}

/* Stopping and resuming the cluster */

static pid_t	stopped_pm = -1;
static pid_t	guard_pid = -1;
static int	guard_fd = -1;

/*
 * Whatever becomes of this process, the cluster runs again: a child
 * sends SIGCONT when the pipe closes (at resume, or when we die) or after
 * GUARD_MS.  Forked before the load threads start.
 */
static void
guard_start(pid_t pm)
{
	struct pollfd	pfd;
	int		p[2];

	if (pipe2(p, O_CLOEXEC) == -1)
		fail_msg("pipe: %s", strerror(errno));
	if ((guard_pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (guard_pid == 0) {
		close(p[1]);
		pfd.fd = p[0];
		pfd.events = POLLIN;
		(void)poll(&pfd, 1, GUARD_MS);
		(void)pg_signal_tree(pm, SIGCONT);
		_exit(0);
	}
	close(p[0]);
	guard_fd = p[1];
}

static void
cluster_resume(void)
{
	if (stopped_pm > 0)
		(void)pg_signal_tree(stopped_pm, SIGCONT);
	stopped_pm = -1;
	if (guard_fd != -1)
		close(guard_fd);
	guard_fd = -1;
	if (guard_pid > 0)
		(void)waitpid(guard_pid, NULL, 0);
	guard_pid = -1;
}

/* Load: CLIENTS threads asking for pages and API answers that need SQL */

static const struct {
	const char	*path;
	int		 api;
} load_paths[] = {
	{ "/search?postcode=G12+8QQ", 0 },
	{ "/api/postcodes/G12%208QQ", 1 },
	{ "/search?postcode=G82+1AB&radius=5", 0 },
	{ "/api/postcodes/G82%201AB", 1 },
};
#define NPATHS	(sizeof(load_paths) / sizeof(load_paths[0]))

struct rec {
	long long	start, end;
	long		status;
	int		path;
	int		good_503;
};

struct client {
	pthread_t	tid;
	int		started;
	size_t		n;
	struct rec	recs[MAX_RECS];
};

static struct client	clients[CLIENTS];
static atomic_int	load_on;

static void *
client_run(void *arg)
{
	struct client	*c = arg;
	struct resp	 r;
	struct rec	*rec;
	size_t		 next = (size_t)(c - clients);

	while (atomic_load(&load_on) && c->n < MAX_RECS) {
		rec = &c->recs[c->n];
		rec->path = (int)(next++ % NPATHS);
		rec->start = ms();
		(void)http_do(&r, NULL, load_paths[rec->path].path, NULL, 0,
		    NULL);
		rec->end = ms();
		rec->status = r.status;
		rec->good_503 = good_503(&r, load_paths[rec->path].api);
		resp_free(&r);
		c->n++;
		sleep_ms(50);
	}
	return (NULL);
}

static void
load_start(void)
{
	int	i;

	memset(clients, 0, sizeof(clients));
	atomic_store(&load_on, 1);
	for (i = 0; i < CLIENTS; i++) {
		if (pthread_create(&clients[i].tid, NULL, client_run,
		    &clients[i]) != 0)
			fail_msg("pthread_create failed");
		clients[i].started = 1;
	}
}

static void
load_stop(void)
{
	int	i;

	atomic_store(&load_on, 0);
	for (i = 0; i < CLIENTS; i++)
		if (clients[i].started) {
			(void)pthread_join(clients[i].tid, NULL);
			clients[i].started = 0;
		}
}

static int
resume_everything(void **state)
{
	(void)state;
	load_stop();
	cluster_resume();
	return (0);
}

/* A request that must answer status within BUDGET_MS. */
static struct resp
timed_get(const char *path, long status)
{
	struct resp	 r;
	long long	 t = ms();

	r = http_get(path);
	t = ms() - t;
	if (r.status != status || t > BUDGET_MS)
		fail_msg("%s: %ld after %lld ms, want %ld within %d ms: "
		    "%.200s", path, r.status, t, status, BUDGET_MS, r.body);
	return (r);
}

static void
assert_all_up(int rounds)
{
	struct resp	r;
	size_t		i;
	int		n;

	for (n = 0; n < rounds; n++)
		for (i = 0; i < NPATHS; i++) {
			r = timed_get(load_paths[i].path, 200);
			resp_free(&r);
		}
}

/* While stopped: /healthz says so, and what needs no SQL is served. */
static void
assert_serving_while_stopped(void)
{
	struct resp	 r;
	cJSON		*j;

	r = timed_get("/healthz", 503);
	if ((j = resp_json(&r)) == NULL ||
	    cJSON_GetStringValue(cJSON_GetObjectItem(j, "database")) ==
	    NULL ||
	    strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(j, "database")),
	    "unreachable") != 0)
		fail_msg("healthz body: %.200s", r.body);
	cJSON_Delete(j);
	resp_free(&r);
	r = timed_get("/assets/leaflet/leaflet.css", 200);
	resp_free(&r);
	r = timed_get("/about/data", 200);
	resp_free(&r);
}

static void
test_stopped_database_gives_503_under_load(void **state)
{
	const struct rec	*rec;
	long long		 t_stop, t_resume, t_up;
	long long		 slowest = 0;
	size_t			 i;
	int			 c, n503 = 0, nrec = 0;

	(void)state;
	/* Every worker holds an open connection to be caught by the stop. */
	assert_all_up(4);
	stopped_pm = pg_postmaster_pid();
	guard_start(stopped_pm);
	load_start();
	sleep_ms(1000);

	if (pg_signal_tree(stopped_pm, SIGSTOP) < 1)
		fail_msg("could not stop the cluster's processes");
	t_stop = ms();
	while (ms() - t_stop < STOP_MS) {
		assert_serving_while_stopped();
		sleep_ms(300);
	}
	t_resume = ms();
	cluster_resume();

	for (;;) {
		struct resp	a, b;

		a = http_get(load_paths[0].path);
		b = http_get(load_paths[1].path);
		c = a.status == 200 && b.status == 200;
		resp_free(&a);
		resp_free(&b);
		if (c)
			break;
		if (ms() - t_resume > RECOVER_MS)
			fail_msg("still failing %lld ms after SIGCONT",
			    ms() - t_resume);
		sleep_ms(100);
	}
	t_up = ms();
	sleep_ms(SETTLE_MS + 1000);
	load_stop();

	for (c = 0; c < CLIENTS; c++)
		for (i = 0; i < clients[c].n; i++) {
			rec = &clients[c].recs[i];
			nrec++;
			if (rec->end - rec->start > slowest)
				slowest = rec->end - rec->start;
			if (rec->status == 0 ||
			    rec->end - rec->start > LOADED_MS)
				fail_msg("%s at %+lld ms of the stop: %ld "
				    "after %lld ms",
				    load_paths[rec->path].path,
				    rec->start - t_stop, rec->status,
				    rec->end - rec->start);
			/* Sent once every process had stopped. */
			if (rec->start >= t_stop + 100 &&
			    rec->end <= t_resume) {
				if (!rec->good_503)
					fail_msg("%s at %+lld ms of the stop: "
					    "%ld, want a 503 page or problem "
					    "with Retry-After",
					    load_paths[rec->path].path,
					    rec->start - t_stop, rec->status);
				n503++;
			}
			if (rec->start >= t_up + SETTLE_MS &&
			    rec->status != 200)
				fail_msg("%s %lld ms after recovery: %ld",
				    load_paths[rec->path].path,
				    rec->start - t_up, rec->status);
		}
	print_message("%d requests, %d answered 503 while stopped, the "
	    "slowest in %lld ms; recovered %lld ms after SIGCONT\n", nrec,
	    n503, slowest, t_up - t_resume);
	if (n503 < CLIENTS)
		fail_msg("only %d requests while stopped: no load", n503);
	/* The 503s came from the server's own deadline, not a lucky error. */
	if (!log_has("db unavailable: no answer from the database within"))
		fail_msg("the server log does not say its database deadline "
		    "passed");
	assert_all_up(3);
}

/* A statement waiting on a lock: PostgreSQL cancels it first */

static int
release_lock(void **state)
{
	PGresult	*r;

	(void)state;
	if (PQtransactionStatus(test_db()) != PQTRANS_IDLE) {
		r = PQexec(test_db(), "ROLLBACK");
		PQclear(r);
	}
	return (0);
}

static void
test_query_held_by_lock_is_cancelled_by_statement_timeout(void **state)
{
	struct resp	 r;
	PGresult	*res;
	long long	 t;
	size_t		 i;

	(void)state;
	res = test_sql("BEGIN", 0, NULL);
	PQclear(res);
	res = test_sql("LOCK TABLE postcode IN ACCESS EXCLUSIVE MODE", 0,
	    NULL);
	PQclear(res);
	/* A page and an API answer, as 503 with their own look. */
	for (i = 0; i < 2; i++) {
		t = ms();
		r = http_get(load_paths[i].path);
		t = ms() - t;
		if (!good_503(&r, load_paths[i].api))
			fail_msg("%s with postcode locked: %ld %.200s",
			    load_paths[i].path, r.status, r.body);
		/* The lock held it for the statement_timeout, no longer. */
		if (t < 1000 || t > BUDGET_MS)
			fail_msg("%s: 503 after %lld ms", load_paths[i].path,
			    t);
		resp_free(&r);
	}
	if (!log_has("db unavailable: .*statement timeout"))
		fail_msg("the server log does not say PostgreSQL's "
		    "statement_timeout cancelled the query");
	res = test_sql("ROLLBACK", 0, NULL);
	PQclear(res);
	assert_all_up(2);
}

/*
 * A cached feed page needs no worker: with every worker held by a query
 * waiting on a lock, it is answered before any of them is let go.
 */
#define FEED_PAGE	"/api/services?page=1&per_page=50"
#define HELD		4	/* scripts/lib-server.sh's SIGNPOST_WORKERS */

struct held {
	pthread_t	tid;
	long long	end;
	long		status;
};

static void *
held_run(void *arg)
{
	struct held	*h = arg;
	struct resp	 r;

	r = http_get(load_paths[1].path);
	h->end = ms();
	h->status = r.status;
	resp_free(&r);
	return (NULL);
}

static void
test_cached_feed_page_needs_no_worker(void **state)
{
	struct held	 held[HELD];
	struct resp	 r;
	PGresult	*res;
	char		 n[16], etag[128], again[128];
	long long	 t_feed, first = 0;
	int		 i, tries;

	(void)state;
	/* Rendered and cached, and the change listener is up. */
	for (tries = 0; ; tries++) {
		r = timed_get(FEED_PAGE, 200);
		assert_int_equal(resp_header(&r, "ETag", etag, sizeof(etag)),
		    0);
		resp_free(&r);
		r = timed_get(FEED_PAGE, 200);
		assert_int_equal(resp_header(&r, "ETag", again,
		    sizeof(again)), 0);
		resp_free(&r);
		if (strcmp(etag, again) == 0)
			break;
		if (tries == 20)
			fail_msg("the feed page keeps changing");
	}
	sleep_ms(500);
	res = test_sql("BEGIN", 0, NULL);
	PQclear(res);
	res = test_sql("LOCK TABLE postcode IN ACCESS EXCLUSIVE MODE", 0,
	    NULL);
	PQclear(res);
	for (i = 0; i < HELD; i++)
		if (pthread_create(&held[i].tid, NULL, held_run, &held[i]) !=
		    0)
			fail_msg("pthread_create failed");
	/* Every worker is inside a query waiting for the lock. */
	for (tries = 0; ; tries++) {
		/* Inside our transaction the view is a snapshot: renew it. */
		res = test_sql("SELECT pg_stat_clear_snapshot()", 0, NULL);
		PQclear(res);
		sql_str("SELECT count(*) FROM pg_stat_activity WHERE "
		    "wait_event_type = 'Lock' AND pid <> pg_backend_pid()", 0,
		    NULL, n, sizeof(n));
		if (atoi(n) >= HELD)
			break;
		if (tries == 200)
			fail_msg("only %s queries wait for the lock", n);
		sleep_ms(10);
	}
	r = http_get(FEED_PAGE);
	t_feed = ms();
	for (i = 0; i < HELD; i++) {
		(void)pthread_join(held[i].tid, NULL);
		if (first == 0 || held[i].end < first)
			first = held[i].end;
		/* Each held its worker until statement_timeout let go. */
		if (held[i].status != 503)
			fail_msg("a held request got %ld", held[i].status);
	}
	res = test_sql("ROLLBACK", 0, NULL);
	PQclear(res);
	assert_status(&r, 200);
	resp_free(&r);
	if (t_feed > first)
		fail_msg("the cached page came %lld ms after a worker was "
		    "free: it waited for one", t_feed - first);
}

/* The CLI commands: no statement_timeout, no deadline */

static pid_t	migrate_pid = -1;

static int
unlock_and_reap(void **state)
{
	PGresult	*r;

	(void)state;
	r = PQexec(test_db(), "SELECT pg_advisory_unlock_all()");
	PQclear(r);
	if (migrate_pid > 0) {
		kill(migrate_pid, SIGKILL);
		(void)waitpid(migrate_pid, NULL, 0);
	}
	migrate_pid = -1;
	return (0);
}

static void
test_migrate_waits_past_the_server_deadline(void **state)
{
	const char	*bin = getenv("SIGNPOST_TEST_BIN");
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	PGresult	*r;
	long long	 t;
	pid_t		 w = 0;
	int		 status = 0, fd;

	(void)state;
	if (bin == NULL)
		fail_msg("SIGNPOST_TEST_BIN is not set");
	r = test_sql("SELECT pg_advisory_lock(" MIGRATE_LOCK ")", 0, NULL);
	PQclear(r);
	if ((migrate_pid = fork()) == -1)
		fail_msg("fork: %s", strerror(errno));
	if (migrate_pid == 0) {
		/* The setting must not reach the CLI, however short. */
		setenv("SIGNPOST_DATABASE_TIMEOUT", "300", 1);
		if (root != NULL)
			setenv("SIGNPOST_ROOT", root, 1);
		if ((fd = open("/dev/null", O_WRONLY)) != -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl(bin, bin, "migrate", (char *)NULL);
		_exit(127);
	}
	/* Longer than the default 3 s deadline, and than the 300 ms. */
	sleep_ms(4000);
	if ((w = waitpid(migrate_pid, &status, WNOHANG)) != 0)
		fail_msg("migrate gave up waiting for the lock (status %d)",
		    status);
	r = test_sql("SELECT pg_advisory_unlock(" MIGRATE_LOCK ")", 0, NULL);
	PQclear(r);
	for (t = ms(); ms() - t < 20000; sleep_ms(50))
		if ((w = waitpid(migrate_pid, &status, WNOHANG)) != 0)
			break;
	if (w != migrate_pid)
		fail_msg("migrate did not finish after the lock was released");
	migrate_pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("migrate exited with status %d", status);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
		    test_cached_feed_page_needs_no_worker, release_lock),
		cmocka_unit_test_teardown(
		    test_migrate_waits_past_the_server_deadline,
		    unlock_and_reap),
		cmocka_unit_test_teardown(
		    test_query_held_by_lock_is_cancelled_by_statement_timeout,
		    release_lock),
		cmocka_unit_test_teardown(
		    test_stopped_database_gives_503_under_load,
		    resume_everything),
	};

	(void)http_post_form;
	return (RUN_TESTS("db_timeout", tests));
}
