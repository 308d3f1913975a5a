/*
 * Reading from a hot standby.  The test makes a primary of its own, P (a
 * base backup of the test database, promoted), a hot standby S of P that
 * applies the primary's changes DELAY_MS late, as a busy standby might,
 * and a server that writes to P and reads from S (database_read_url).
 *
 * An approval shows at once to the moderator who made it (the request
 * after a write reads from P) and to everyone else within the standby's
 * lag plus database_read_check_ms, the feed's cached pages included.
 * With P stopped, search, pages and the feed still answer from S, and a
 * submission gets the read-only page with what was typed; promoting S
 * brings writes back without restarting the server.
 *
 * Everything started here is stopped by PID (scripts/pg, own_server) in
 * the group teardown, which cmocka runs also when a test fails.
 */
#include <sys/stat.h>

#include <unistd.h>

#include "harness.h"
#include "raw.h"

#define CSRF		"0123456789abcdef0123456789abcdef" \
			"0123456789abcdef0123456789abcdef"
#define DELAY_MS	2000
#define CHECK_MS	200
/* What the README promises plus room for a slow machine. */
#define BOUND_S		((DELAY_MS + CHECK_MS) / 1000.0 + 8.0)

static char			 dir[64];
static char			 own_url[64];
static PGconn			*pc;	/* the primary */
static PGconn			*sc;	/* the standby */
static struct own_server	 own;
static int			 own_up;
static char			 sid[37];	/* approved in the first test */

/* One value from SQL on conn; the test fails on an error. */
static void
val(PGconn *conn, const char *sql, int n, const char *const *params,
    char *out, size_t len)
{
	PGresult	*r;

	r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK &&
	    PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("SQL failed: %s\n%s", PQresultErrorMessage(r), sql);
	snprintf(out, len, "%s", PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
}

/* Until S has replayed all P has written now; seconds it took. */
static double
replayed(void)
{
	char		 lsn[64], ok[8];
	const char	*p[1] = { lsn };
	double		 t0 = now();

	val(pc, "SELECT pg_current_wal_lsn()::text", 0, NULL, lsn,
	    sizeof(lsn));
	do {
		val(sc, "SELECT coalesce(pg_last_wal_replay_lsn() >= "
		    "$1::pg_lsn, false)", 1, p, ok, sizeof(ok));
		if (strcmp(ok, "t") == 0)
			return (now() - t0);
		usleep(50000);
	} while (now() - t0 < 30);
	fail_msg("the standby did not replay %s within 30 s", lsn);
	return (-1);
}

static int
group_setup(void **state)
{
	const char	*pgdir = getenv("SIGNPOST_TEST_PGDIR");
	char		 cmd[1024], out[4096], purl[256], surl[256];
	char		 w[600], rd[600];
	const char	*env[6];
	PGresult	*r;

	(void)state;
	if (pgdir == NULL)
		return (-1);
	snprintf(dir, sizeof(dir), "/tmp/signpost-rep.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return (-1);
	/* As root the clusters run as the user signpost: let it in. */
	chmod(dir, 0755);
	snprintf(cmd, sizeof(cmd), "scripts/pg standby '%s/p' '%s' && "
	    "scripts/pg promote '%s/p' && scripts/pg standby '%s/s' '%s/p'",
	    dir, pgdir, dir, dir, dir);
	if (run_script(cmd, out, sizeof(out)) != 0) {
		fprintf(stderr, "the primary and standby did not start: %s\n",
		    out);
		return (-1);
	}
	snprintf(cmd, sizeof(cmd), "scripts/pg url '%s/p'", dir);
	if (run_script(cmd, purl, sizeof(purl)) != 0)
		return (-1);
	snprintf(cmd, sizeof(cmd), "scripts/pg url '%s/s'", dir);
	if (run_script(cmd, surl, sizeof(surl)) != 0)
		return (-1);
	pc = PQconnectdb(purl);
	sc = PQconnectdb(surl);
	if (PQstatus(pc) != CONNECTION_OK || PQstatus(sc) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect: %s %s\n",
		    PQerrorMessage(pc), PQerrorMessage(sc));
		return (-1);
	}
	/* A standby that is behind, so that reading from it shows. */
	r = PQexec(sc, "ALTER SYSTEM SET recovery_min_apply_delay = '"
	    "2000ms'");
	PQclear(r);
	PQclear(PQexec(sc, "SELECT pg_reload_conf()"));
	/*
	 * As an operator would: writes go to whichever of the two takes
	 * them, reads to a standby while there is one.
	 */
	snprintf(w, sizeof(w), "DATABASE_URL=host=%s/p/run,%s/s/run "
	    "dbname=signpost user=signpost target_session_attrs=read-write",
	    dir, dir);
	snprintf(rd, sizeof(rd), "SIGNPOST_DATABASE_READ_URL=host=%s/s/run,"
	    "%s/p/run dbname=signpost user=signpost "
	    "target_session_attrs=prefer-standby", dir, dir);
	env[0] = w;
	env[1] = rd;
	env[2] = "SIGNPOST_DATABASE_READ_CHECK_MS=200";
	env[3] = "SIGNPOST_WORKERS=2";
	env[4] = "SIGNPOST_SUBMISSIONS_PER_HOUR=1000";
	env[5] = NULL;
	if (own_server_start(&own, env) != 0)
		return (-1);
	own_up = 1;
	snprintf(own_url, sizeof(own_url), "http://127.0.0.1:%d", own.port);
	setenv("SIGNPOST_TEST_URL", own_url, 1);
	return (0);
}

static int
group_teardown(void **state)
{
	char	cmd[512], out[4096];
	int	bad = 0;

	(void)state;
	if (own_up && own_server_stop(&own) != 0)
		bad = 1;
	PQfinish(pc);
	PQfinish(sc);
	if (dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "scripts/pg destroy '%s/s'; "
		    "scripts/pg destroy '%s/p'; rm -rf '%s'", dir, dir, dir);
		(void)run_script(cmd, out, sizeof(out));
	}
	return (bad ? -1 : 0);
}

/* A moderator on P with a live session: its Cookie header. */
static void
moderator(char *cookie, size_t len)
{
	char		 id[40], tok[65], email[128];
	const char	*p[2];

	snprintf(email, sizeof(email), "replica-%s@example.org",
	    test_suffix());
	p[0] = email;
	val(pc, "INSERT INTO app_user (email, role, password_hash) VALUES "
	    "($1, 'moderator', '$argon2id$not-a-real-hash') RETURNING id", 1,
	    p, id, sizeof(id));
	val(pc, "SELECT md5(random()::text) || md5(random()::text)", 0, NULL,
	    tok, sizeof(tok));
	p[0] = tok;
	p[1] = id;
	val(pc, "INSERT INTO user_session (token_hash, user_id, expires_at) "
	    "VALUES (sha256(convert_to($1, 'UTF8')), $2, now() + "
	    "interval '1 hour')", 2, p, id, sizeof(id));
	snprintf(cookie, len, "Cookie: signpost_session=%s; signpost_csrf="
	    CSRF, tok);
}

/* A new walking group waiting for a moderator, made on P: its id. */
static char	venue_pc[16];	/* the submission's venue postcode */

static void
submission(const char *name, char *id, size_t len)
{
	char		*pc_ = venue_pc;
	const char	*p[2] = { name, pc_ };

	val(pc, "SELECT postcode FROM postcode ORDER BY postcode LIMIT 1", 0,
	    NULL, venue_pc, sizeof(venue_pc));
	val(pc, "INSERT INTO submission (kind, document) VALUES ('new', "
	    "jsonb_build_object('organization', jsonb_build_object('id', "
	    "NULL, 'name', 'Replica Test Org', 'description', NULL, "
	    "'website', NULL, 'email', NULL, 'phone', NULL, "
	    "'charity_number', NULL), 'service', jsonb_build_object('name', "
	    "$1::text, 'kind', 'service', 'description', 'A group for "
	    "testing.', 'categories', '[]'::jsonb, 'eligibility', NULL, "
	    "'minimum_age', NULL, 'maximum_age', NULL, 'is_free', true, "
	    "'cost', NULL, 'self_referral', NULL, 'professional_referral', "
	    "NULL, 'drop_in', NULL, 'booking_required', NULL, 'referral', "
	    "NULL, 'email', NULL, 'phone', NULL, 'website', NULL, "
	    "'languages', '[]'::jsonb), 'venues', jsonb_build_array("
	    "jsonb_build_object('name', 'Test Hall', 'address', "
	    "'1 Test Street', 'city', 'Glasgow', 'postcode', $2::text, "
	    "'hide_address', false, 'accessibility', NULL)), 'sessions', "
	    "'[]'::jsonb, 'walk', NULL, 'contact_email', "
	    "'group@example.org')) RETURNING id", 2, p, id, len);
}

static long
status_of(const char *path, const char *cookie)
{
	struct resp		 r;
	const char *const	 h[] = { cookie, NULL };
	long			 st;

	(void)http_do(&r, NULL, path, NULL, 0, cookie != NULL ? h : NULL);
	st = r.status;
	resp_free(&r);
	return (st);
}

static void
get_ok(const char *path)
{
	struct resp	r;

	r = http_get(path);
	assert_status(&r, 200);
	resp_free(&r);
}

static int
body_has(const char *path, const char *needle)
{
	struct resp	r;
	int		yes;

	r = http_get(path);
	yes = r.status == 200 && strstr(r.body, needle) != NULL;
	resp_free(&r);
	return (yes);
}

/*
 * A word no other listing has, in letters: search corrects a word it does
 * not know to the nearest it does, and other tests' numeric suffixes are
 * near any number.
 */
static void
word(char *out, size_t len)
{
	const char	*d;
	size_t		 n = 2;

	out[0] = 'z';
	out[1] = 'q';
	for (d = test_suffix(); *d != '\0' && n + 1 < len; d++)
		if (*d >= '0' && *d <= '9')
			out[n++] = (char)('k' + (*d - '0'));
	out[n] = '\0';
}

static void
test_replica_reads_lag_but_own_writes_show_at_once(void **state)
{
	struct resp		 r;
	const char *const	 *h;
	char			 cookie[256], tok[80], id[37], name[96];
	char			 path[160], feed[256], body[256], sc_[256];
	char			 both[600], search[160], tag[40];
	const char		*hh[3];
	double			 t0, waited;

	(void)state;
	word(tag, sizeof(tag));
	snprintf(name, sizeof(name), "Replica Walk %s", tag);
	moderator(cookie, sizeof(cookie));
	submission(name, id, sizeof(id));
	(void)replayed();

	/* The feed's page for that name, cached while it has no match. */
	snprintf(feed, sizeof(feed), "/api/services?search=%s", tag);
	r = http_get(feed);
	assert_status(&r, 200);
	assert_null(strstr(r.body, name));
	resp_free(&r);

	signed_in_token(cookie, tok, sizeof(tok));
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	snprintf(body, sizeof(body), "csrf=%s&version=1", tok);
	hh[0] = cookie;
	hh[1] = "Content-Type: application/x-www-form-urlencoded";
	hh[2] = NULL;
	(void)http_do(&r, "POST", path, body, strlen(body), hh);
	assert_status(&r, 303);
	/* A write tells the browser to read from the primary for a while. */
	if (resp_header(&r, "Set-Cookie", sc_, sizeof(sc_)) != 0 ||
	    strncmp(sc_, "sp_fresh=1;", 11) != 0)
		fail_msg("the approval set no sp_fresh cookie:\n%s", r.headers);
	assert_true(contains(sc_, "Max-Age=10"));
	resp_free(&r);
	t0 = now();
	val(pc, "SELECT service_id FROM submission WHERE id = $1", 1,
	    (const char *[]){ id }, sid, sizeof(sid));
	assert_int_equal(strlen(sid), 36);

	/* The moderator's next pages, with the marker: from the primary. */
	snprintf(both, sizeof(both), "%s; sp_fresh=1", cookie);
	h = (const char *const[]){ both, NULL };
	snprintf(path, sizeof(path), "/admin/submissions/%s", id);
	(void)http_do(&r, NULL, path, NULL, 0, h);
	assert_status(&r, 200);
	assert_true(contains(r.body, "Published"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/services/%s", sid);
	assert_int_equal(status_of(path, "Cookie: sp_fresh=1"), 200);
	/* Not the feed page cached from the standby either. */
	{
		const char *const fh[] = { "Cookie: sp_fresh=1", NULL };

		(void)http_do(&r, NULL, feed, NULL, 0, fh);
		assert_status(&r, 200);
		if (strstr(r.body, sid) == NULL)
			fail_msg("the writer's feed page lacks %s:\n%.1000s",
			    sid, r.body);
		resp_free(&r);
	}
	/* Everyone else reads the standby, which has not applied it yet. */
	assert_int_equal(status_of(path, NULL), 404);
	snprintf(search, sizeof(search), "/search?q=%s&postcode=%.*s+%s", tag,
	    (int)strcspn(venue_pc, " "), venue_pc,
	    strchr(venue_pc, ' ') != NULL ? strchr(venue_pc, ' ') + 1 : "");
	assert_false(body_has(search, sid));
	assert_true(now() - t0 < DELAY_MS / 1000.0);

	/* Within the documented bound, everywhere: page, search, feed. */
	while (status_of(path, NULL) != 200 && now() - t0 < BOUND_S)
		usleep(50000);
	waited = now() - t0;
	if (waited >= BOUND_S)
		fail_msg("the approval did not reach the standby's readers "
		    "in %.1f s", waited);
	while (!body_has(search, sid) && now() - t0 < BOUND_S)
		usleep(50000);
	if (now() - t0 >= BOUND_S)
		fail_msg("search on the standby does not find the approved "
		    "service after %.1f s", now() - t0);
	while (!body_has(feed, sid) && now() - t0 < BOUND_S)
		usleep(50000);
	if (now() - t0 >= BOUND_S)
		fail_msg("the cached feed page still lacks the approved "
		    "service after %.1f s", now() - t0);
	snprintf(path, sizeof(path), "/api/services/%s", sid);
	assert_true(body_has(path, name));
}

/* A walking group's form, as a browser with form token tok sends it. */
static void
walk_form(char *out, size_t len, const char *tok, const char *name,
    const char *extra)
{
	char	*ename;
	CURL	*c = curl_easy_init();

	ename = curl_easy_escape(c, name, 0);
	snprintf(out, len, "csrf=%s&org_id=new&org_name=Partick+Strollers"
	    "&name=%s&kind=walking_group&description=Twice+round+the+pond"
	    "%%2C+then+tea&free=yes&category=activity&access=self_referral"
	    "&v1_name=Victoria+Park&v1_postcode=G11+7AA&s1_venue=1"
	    "&s1_pattern=weekly&s1_day=TU&s1_start=10%%3A00&s1_end=11%%3A00"
	    "&walk_grade=easy&walk_length=2&contact_email=walks%%40"
	    "example.org%s", tok, ename, extra);
	curl_free(ename);
	curl_easy_cleanup(c);
}

static struct resp
post_form(const struct session *s, const char *path, const char *body)
{
	struct resp		 r;
	const char *const	 h[] = { s->cookie, "Content-Type: "
	    "application/x-www-form-urlencoded", NULL };

	(void)http_do(&r, "POST", path, body, strlen(body), h);
	return (r);
}

static void
test_replica_primary_gone_reads_stay_writes_come_back(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 cmd[512], out[4096], body[2048], path[200];
	char		 count[16], name[96], edit[96], token[80], loc[300];
	const char	*p[1] = { name }, *e;
	double		 t0;

	(void)state;
	/* A group's edit link, made while the primary is there. */
	snprintf(edit, sizeof(edit), "Edit Link Walk %s", test_suffix());
	browser(&s, "/submit");
	walk_form(body, sizeof(body), s.tok, edit, "");
	r = post_form(&s, "/submit", body);
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	resp_free(&r);
	if ((e = strstr(loc, "/edit/")) == NULL)
		fail_msg("no edit link in %s", loc);
	snprintf(token, sizeof(token), "%.*s", (int)strcspn(e + 6, "?"),
	    e + 6);
	(void)replayed();

	snprintf(cmd, sizeof(cmd), "scripts/pg stop '%s/p'", dir);
	if (run_script(cmd, out, sizeof(out)) != 0)
		fail_msg("could not stop the primary: %s", out);

	/* Reads carry on from the standby. */
	snprintf(path, sizeof(path), "/services/%s", sid);
	get_ok("/search?postcode=G11+7AA");
	get_ok(path);
	get_ok("/api/services?per_page=5");
	get_ok("/areas");
	snprintf(path, sizeof(path), "/shortlist?ids=%s", sid);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(contains(r.body, "Replica Walk"));
	resp_free(&r);
	r = http_get("/healthz");
	assert_status(&r, 200);
	assert_true(contains(r.body, "\"database\":\"read-only\""));
	resp_free(&r);

	/* A submission: refused, and what was typed comes back. */
	browser(&s, "/submit");
	snprintf(name, sizeof(name), "Read Only Walk %s", test_suffix());
	walk_form(body, sizeof(body), s.tok, name, "");
	r = post_form(&s, "/submit", body);
	if (r.status != 503)
		fail_msg("the submission got %ld, not 503:\n%.3000s", r.status,
		    strstr(r.body, "<main") != NULL ? strstr(r.body, "<main") :
		    r.body);
	assert_true(contains(r.body, "read-only just now"));
	assert_true(contains(r.body, "Nothing you sent has been saved"));
	assert_true(contains(r.body, "Twice round the pond, then tea"));
	assert_true(contains(r.body, name));
	assert_null(strstr(r.body, s.tok));
	resp_free(&r);

	/* The edit link: the form still opens; a change is handed back. */
	snprintf(path, sizeof(path), "/edit/%s/change", token);
	browser(&s, path);
	walk_form(body, sizeof(body), s.tok, "Edit Link Walk renamed",
	    "&version=1");
	r = post_form(&s, path, body);
	assert_status(&r, 503);
	assert_true(contains(r.body, "read-only just now"));
	assert_true(contains(r.body, "Edit Link Walk renamed"));
	resp_free(&r);

	/* The standby becomes the primary: writes resume, no restart. */
	snprintf(cmd, sizeof(cmd), "scripts/pg promote '%s/s'", dir);
	if (run_script(cmd, out, sizeof(out)) != 0)
		fail_msg("could not promote the standby: %s", out);
	t0 = now();
	while (!body_has("/healthz", "\"database\":\"ok\"") && now() - t0 < 20)
		usleep(100000);
	assert_true(body_has("/healthz", "\"database\":\"ok\""));
	browser(&s, "/submit");
	walk_form(body, sizeof(body), s.tok, name, "");
	r = post_form(&s, "/submit", body);
	assert_status(&r, 303);
	resp_free(&r);
	val(sc, "SELECT count(*) FROM submission WHERE "
	    "document->'service'->>'name' = $1", 1, p, count, sizeof(count));
	assert_string_equal(count, "1");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_replica_reads_lag_but_own_writes_show_at_once),
		cmocka_unit_test(
		    test_replica_primary_gone_reads_stay_writes_come_back),
	};

	return (RUN_TESTS_WITH("replica", tests, group_setup, group_teardown));
}
