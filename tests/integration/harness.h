/*
 * Integration test helpers: HTTP against the real server started by
 * scripts/run-integration (SIGNPOST_TEST_URL), and SQL against its
 * throw-away database (DATABASE_URL) for fixtures.  Header-only so each
 * test is one file; include it once per test program.
 */
#ifndef HARNESS_H
#define HARNESS_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <libpq-fe.h>

/* Not every test program uses each helper. */
#define HARNESS_HELPER	static __attribute__((unused))

struct resp {
	long	 status;
	char	*body;
	size_t	 len;
	char	*headers;	/* raw header block of the final response */
	size_t	 hlen;
};

HARNESS_HELPER size_t
h_write(char *p, size_t sz, size_t n, void *arg)
{
	char	**bufp = arg;
	size_t	 *lenp = (size_t *)((char *)arg + sizeof(char *));
	char	 *nb;

	if ((nb = realloc(*bufp, *lenp + sz * n + 1)) == NULL)
		return (0);
	memcpy(nb + *lenp, p, sz * n);
	*lenp += sz * n;
	nb[*lenp] = '\0';
	*bufp = nb;
	return (sz * n);
}

HARNESS_HELPER size_t
h_header(char *p, size_t sz, size_t n, void *arg)
{
	struct resp	*r = arg;

	/* A new status line starts a new response (after 100 Continue). */
	if (sz * n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		free(r->headers);
		r->headers = NULL;
		r->hlen = 0;
	}
	return (h_write(p, sz, n, &r->headers));
}

HARNESS_HELPER const char *
test_url(void)
{
	const char	*u = getenv("SIGNPOST_TEST_URL");

	return (u != NULL ? u : "http://127.0.0.1:8080");
}

/*
 * One request.  method NULL means GET; body may be NULL; extra is a
 * NULL-terminated list of "Header: value" strings.
 */
HARNESS_HELPER int
http_do(struct resp *r, const char *method, const char *path,
    const char *body, size_t bodylen, const char *const *extra)
{
	CURL			*c;
	struct curl_slist	*hl = NULL;
	char			 url[8192];
	CURLcode		 rc;

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s%s", test_url(), path);
	if ((c = curl_easy_init()) == NULL)
		return (-1);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, h_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, h_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	if (method != NULL && strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (method != NULL)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)bodylen);
	}
	for (; extra != NULL && *extra != NULL; extra++)
		hl = curl_slist_append(hl, *extra);
	if (hl != NULL)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	if (r->body == NULL && (r->body = calloc(1, 1)) == NULL)
		return (-1);
	return (rc == CURLE_OK ? 0 : -1);
}

HARNESS_HELPER struct resp
http_get(const char *path)
{
	struct resp	r;

	(void)http_do(&r, NULL, path, NULL, 0, NULL);
	return (r);
}

HARNESS_HELPER struct resp
http_post_form(const char *path, const char *form)
{
	struct resp		 r;
	const char *const	 h[] = {
	    "Content-Type: application/x-www-form-urlencoded", NULL };

	(void)http_do(&r, "POST", path, form, strlen(form), h);
	return (r);
}

HARNESS_HELPER void
resp_free(struct resp *r)
{
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof(*r));
}

/* The value of a response header (case-insensitive), copied into out. */
HARNESS_HELPER int
resp_header(const struct resp *r, const char *name, char *out, size_t len)
{
	const char	*p = r->headers;
	size_t		 n = strlen(name), vl;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			p += n + 1;
			while (*p == ' ')
				p++;
			vl = strcspn(p, "\r\n");
			snprintf(out, len, "%.*s", (int)vl, p);
			return (0);
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return (-1);
}

HARNESS_HELPER cJSON *
resp_json(const struct resp *r)
{
	return (cJSON_Parse(r->body));
}

/* A member of a JSON object, or the test fails. */
HARNESS_HELPER const char *
jstr(const cJSON *o, const char *k)
{
	const char	*s = cJSON_GetStringValue(cJSON_GetObjectItem(o, k));

	if (s == NULL)
		fail_msg("no string \"%s\" in the JSON", k);
	return (s);
}

HARNESS_HELPER double
jnum(const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItem(o, k);

	if (!cJSON_IsNumber(v))
		fail_msg("no number \"%s\" in the JSON", k);
	return (cJSON_GetNumberValue(v));
}

/* The header is there and its value starts with prefix. */
HARNESS_HELPER int
header_starts(const struct resp *r, const char *name, const char *prefix)
{
	char	v[512];

	return (resp_header(r, name, v, sizeof(v)) == 0 &&
	    strncmp(v, prefix, strlen(prefix)) == 0);
}

/*
 * The status, or the test fails saying what came back: the status and
 * the start of the body, not only two numbers.
 */
#define assert_status(r, want) do {					\
	const struct resp	*r_ = (r);				\
	long			 w_ = (want);				\
									\
	if (r_->status != w_)						\
		fail_msg("status %ld, want %ld; the body:\n%.3000s",	\
		    r_->status, w_, r_->body != NULL ? r_->body : "");	\
} while (0)

/* A fresh browser's CSRF cookie and form token, from GET path. */
struct session {
	char	cookie[256];	/* "Cookie: signpost_csrf=..." */
	char	tok[80];
};

HARNESS_HELPER void
browser(struct session *s, const char *path)
{
	char		 sc[512];
	const char	*p;
	struct resp	 r;

	r = http_get(path);
	assert_status(&r, 200);
	if (resp_header(&r, "Set-Cookie", sc, sizeof(sc)) != 0)
		fail_msg("GET %s set no cookie:\n%s", path, r.headers);
	snprintf(s->cookie, sizeof(s->cookie), "Cookie: %.*s",
	    (int)strcspn(sc, ";"), sc);
	if ((p = strstr(r.body, "name=\"csrf\" value=\"")) == NULL)
		fail_msg("GET %s has no form token:\n%.2000s", path, r.body);
	p += strlen("name=\"csrf\" value=\"");
	snprintf(s->tok, sizeof(s->tok), "%.*s", (int)strcspn(p, "\""), p);
	resp_free(&r);
}

/*
 * The form token of a signed-in browser (cookie: its "Cookie: ..."
 * header with the session), as it finds it on a page: bound to the
 * session, not the double-submit cookie.
 */
HARNESS_HELPER void
signed_in_token(const char *cookie, char *out, size_t len)
{
	struct resp		 r;
	const char *const	 h[] = { cookie, NULL };
	const char		*p;

	(void)http_do(&r, NULL, "/admin/whoami", NULL, 0, h);
	assert_status(&r, 200);
	if ((p = strstr(r.body, "name=\"csrf\" value=\"")) == NULL)
		fail_msg("no form token on /admin/whoami:\n%.2000s", r.body);
	p += strlen("name=\"csrf\" value=\"");
	snprintf(out, len, "%.*s", (int)strcspn(p, "\""), p);
	resp_free(&r);
}

/* SQL for fixtures.  Aborts the test on error: a fixture must work. */
HARNESS_HELPER PGconn *
test_db(void)
{
	static PGconn	*conn;

	if (conn == NULL) {
		conn = PQconnectdb(getenv("DATABASE_URL") != NULL ?
		    getenv("DATABASE_URL") : "");
		if (PQstatus(conn) != CONNECTION_OK)
			fail_msg("cannot connect to DATABASE_URL: %s",
			    PQerrorMessage(conn));
	}
	return (conn);
}

HARNESS_HELPER PGresult *
test_sql(const char *sql, int n, const char *const *params)
{
	PGresult	*r;

	r = PQexecParams(test_db(), sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("fixture SQL failed: %s\n%s",
		    PQresultErrorMessage(r), sql);
	return (r);
}

/* Fixture helpers. */

/* Fixture SQL that returns one row: its first column, copied into out. */
HARNESS_HELPER void
sql_str(const char *sql, int n, const char *const *params, char *out,
    size_t len)
{
	PGresult	*r = test_sql(sql, n, params);

	assert_int_equal(PQntuples(r), 1);
	snprintf(out, len, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
}

/* A suffix for fixture names, the same for the whole run of one program. */
HARNESS_HELPER const char *
test_suffix(void)
{
	static char	sfx[32];

	if (sfx[0] == '\0') {
		srand((unsigned int)(time(NULL) ^ getpid()));
		snprintf(sfx, sizeof(sfx), "%ld-%d", (long)time(NULL), rand());
	}
	return (sfx);
}

/*
 * A signed-in account made for a test: role "moderator" or "admin", the
 * address who-SUFFIX@example.org, a live session.  Its id, the Cookie
 * header (with the double-submit cookie csrf_cookie as well, when not
 * NULL: what a browser that filled in a public form also sends) and the
 * form token its pages carry.
 */
struct account {
	char	id[40];
	char	email[128];
	char	cookie[256];
	char	csrf[80];
};

HARNESS_HELPER void
account_new(struct account *a, const char *role, const char *who,
    const char *csrf_cookie)
{
	char		 tok[65];
	const char	*p[2];

	snprintf(a->email, sizeof(a->email), "%s-%s@example.org", who,
	    test_suffix());
	p[0] = a->email;
	p[1] = role;
	sql_str("INSERT INTO app_user (email, role, password_hash)"
	    " VALUES ($1, $2, '$argon2id$not-a-real-hash')"
	    " ON CONFLICT (lower(email)) DO UPDATE SET role = $2"
	    " RETURNING id", 2, p, a->id, sizeof(a->id));
	sql_str("SELECT md5(random()::text) || md5(random()::text)", 0, NULL,
	    tok, sizeof(tok));
	p[0] = tok;
	p[1] = a->id;
	PQclear(test_sql("INSERT INTO user_session (token_hash, user_id,"
	    " expires_at) VALUES (sha256(convert_to($1, 'UTF8')), $2,"
	    " now() + interval '1 hour')", 2, p));
	snprintf(a->cookie, sizeof(a->cookie), "Cookie: signpost_session=%s%s%s",
	    tok, csrf_cookie != NULL ? "; signpost_csrf=" : "",
	    csrf_cookie != NULL ? csrf_cookie : "");
	signed_in_token(a->cookie, a->csrf, sizeof(a->csrf));
}

/* 1 if hay contains needle; else 0, and the missing text is printed. */
HARNESS_HELPER int
contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL) {
		print_message("missing: %s\n", needle);
		return (0);
	}
	return (1);
}

/* A TCP port on loopback nobody listens on now, or -1. */
HARNESS_HELPER int
free_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof(sa);
	int			fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return (-1);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return (port);
}

/* Something listens on the loopback port. */
HARNESS_HELPER int
port_open(int port)
{
	struct sockaddr_in	sa;
	int			fd, ok;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return (0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return (ok);
}

/*
 * A helper server, python3 with args (a NULL-terminated list after
 * "python3"), its output in log: 0 once it listens on the loopback port,
 * with *pid its process for the caller to stop; -1 (said) when it exits
 * or does not listen within 10 s (then it is stopped).
 */
HARNESS_HELPER int
python_server(char *const args[], const char *log, int port, pid_t *pid)
{
	int	i, fd;

	if ((*pid = fork()) == -1)
		return (-1);
	if (*pid == 0) {
		if ((fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644)) != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execv("/usr/bin/python3", args);
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
		if (port_open(port))
			return (0);
		if (waitpid(*pid, NULL, WNOHANG) == *pid) {
			*pid = -1;
			fprintf(stderr, "%s exited; see %s\n", args[2], log);
			return (-1);
		}
		usleep(50000);
	}
	fprintf(stderr, "%s did not listen on port %d\n", args[2], port);
	kill(*pid, SIGTERM);
	waitpid(*pid, NULL, 0);
	*pid = -1;
	return (-1);
}

/*
 * A shell command run in the project root (scripts/pg, scripts/backup);
 * its exit status, or -1, and its output (trailing newlines dropped).
 */
HARNESS_HELPER int
run_script(const char *cmd, char *out, size_t len)
{
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	char		 full[2048];
	FILE		*p;
	size_t		 n = 0, got;
	int		 st;

	snprintf(full, sizeof(full), "cd '%s' && %s 2>&1",
	    root != NULL ? root : ".", cmd);
	if ((p = popen(full, "r")) == NULL)
		return (-1);
	while (n + 1 < len && (got = fread(out + n, 1, len - n - 1, p)) > 0)
		n += got;
	out[n] = '\0';
	while (n > 0 && out[n - 1] == '\n')
		out[--n] = '\0';
	st = pclose(p);
	return (st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/*
 * Runs the binary the harness started the server with; returns its exit
 * status and its output (stdout and stderr) in out.
 */
HARNESS_HELPER int
run_signpost(const char *args, char *out, size_t len)
{
	const char	*bin = getenv("SIGNPOST_TEST_BIN");
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	char		 path[4096], cmd[8192];
	FILE		*p;
	size_t		 n = 0, got;
	int		 st;

	if (root == NULL)
		root = ".";
	if (bin == NULL)
		snprintf(path, sizeof(path), "%s/build/release/signpost", root);
	else if (bin[0] != '/')
		snprintf(path, sizeof(path), "%s/%s", root, bin);
	else
		snprintf(path, sizeof(path), "%s", bin);
	if (strchr(path, '\'') != NULL || strchr(root, '\'') != NULL)
		fail_msg("cannot quote path %s", path);
	snprintf(cmd, sizeof(cmd), "SIGNPOST_ROOT='%s' '%s' %s 2>&1", root,
	    path, args);
	if ((p = popen(cmd, "r")) == NULL)
		fail_msg("popen %s failed", cmd);
	while (n + 1 < len && (got = fread(out + n, 1, len - n - 1, p)) > 0)
		n += got;
	out[n] = '\0';
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st))
		fail_msg("%s did not exit normally", cmd);
	return (WEXITSTATUS(st));
}

/* A's postcodes into another database b, through COPY. */
HARNESS_HELPER void
copy_postcodes(PGconn *b)
{
	PGresult	*r;
	char		*row;
	int		 n;

	r = PQexec(test_db(), "COPY postcode TO STDOUT");
	if (PQresultStatus(r) != PGRES_COPY_OUT)
		fail_msg("COPY OUT: %s", PQerrorMessage(test_db()));
	PQclear(r);
	r = PQexec(b, "COPY postcode FROM STDIN");
	if (PQresultStatus(r) != PGRES_COPY_IN)
		fail_msg("COPY IN: %s", PQerrorMessage(b));
	PQclear(r);
	while ((n = PQgetCopyData(test_db(), &row, 0)) > 0) {
		if (PQputCopyData(b, row, n) != 1)
			fail_msg("COPY IN: %s", PQerrorMessage(b));
		PQfreemem(row);
	}
	PQclear(PQgetResult(test_db()));
	if (PQputCopyEnd(b, NULL) != 1 ||
	    PQresultStatus(r = PQgetResult(b)) != PGRES_COMMAND_OK)
		fail_msg("COPY IN: %s", PQerrorMessage(b));
	PQclear(r);
}

/*
 * An empty directory in the test cluster for an import to fill: a new
 * database (its name into name, for the teardown to drop), migrated,
 * with the test database's postcodes and no listings; its conninfo into
 * conn.
 */
HARNESS_HELPER void
empty_directory(char *name, size_t namelen, char *conn, size_t connlen)
{
	static char	 out[65536];
	char		 sql[128];
	const char	*a = getenv("DATABASE_URL");
	PGconn		*b;
	size_t		 i;
	int		 rc;

	snprintf(name, namelen, "rt_%s", test_suffix());
	for (i = 0; name[i] != '\0'; i++)
		if (name[i] == '-')
			name[i] = '_';
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	PQclear(PQexec(test_db(), sql));
	snprintf(conn, connlen, "%s dbname=%s", a, name);
	if (PQstatus(b = PQconnectdb(conn)) != CONNECTION_OK)
		fail_msg("%s: %s", conn, PQerrorMessage(b));
	setenv("DATABASE_URL", conn, 1);
	rc = run_signpost("migrate", out, sizeof(out));
	setenv("DATABASE_URL", a, 1);
	if (rc != 0)
		fail_msg("migrate: %d\n%s", rc, out);
	copy_postcodes(b);
	PQfinish(b);
}

/* The teardown of a test that made one: drop it. */
HARNESS_HELPER void
drop_directory(const char *name)
{
	char	sql[128];

	if (name[0] != '\0') {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", name);
		PQclear(PQexec(test_db(), sql));
	}
}

/*
 * Run the group and print the line scripts/run-integration adds up.  A
 * group setup (NULL: none) starts what its tests share; cmocka runs the
 * teardown also when a test fails.
 */
HARNESS_HELPER int
run_group(const char *name, const struct CMUnitTest *t, size_t n,
    CMFixtureFunction setup, CMFixtureFunction teardown)
{
	int	failed;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	failed = _cmocka_run_group_tests(name, t, n, setup, teardown);
	curl_global_cleanup();
	/* A group setup that failed: none of its tests ran. */
	if (failed < 0)
		failed = (int)n;
	printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
	return (failed != 0);
}

#define RUN_TESTS(name, t)	\
	run_group(name, t, sizeof(t) / sizeof((t)[0]), NULL, NULL)
#define RUN_TESTS_WITH(name, t, setup, teardown)	\
	run_group(name, t, sizeof(t) / sizeof((t)[0]), setup, teardown)

#endif
