/*
 * `signpost import oruk`: our own feed (/api/services as NDJSON, full)
 * imported into an empty directory, then again (nothing changes); a messy
 * feed page as real publishers write them (HTML descriptions, empty
 * strings, ids that are not UUIDs, no location, a location with no
 * postcode, a postcode we do not know (kept, with no venue), a schedule
 * on several days, more
 * sessions than a listing holds, a category we do not have, a service
 * with no id); and files that are not a feed.
 */
#include <unistd.h>

#include "harness.h"

static char	rt_db[64];
static char	source[64];

static void
write_file(char *path, size_t len, const char *text, size_t n)
{
	FILE	*f;
	int	 fd;

	snprintf(path, len, "/tmp/signpost-import-oruk.XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		fail_msg("cannot make a temporary file");
	fwrite(text, 1, n, f);
	fclose(f);
}

static int
import(const char *path, const char *flags, char *out, size_t len)
{
	char	args[1024];

	if (source[0] == '\0')
		snprintf(source, sizeof(source), "oruk-%s", test_suffix());
	snprintf(args, sizeof(args), "import oruk '%s' --source '%s' %s",
	    path, source, flags);
	return (run_signpost(args, out, len));
}

/* One value from database conn (or the test database when NULL). */
static void
value(PGconn *c, const char *sql, const char *p1, char *out, size_t len)
{
	const char	*p[1] = { p1 };
	PGresult	*r;

	r = PQexecParams(c != NULL ? c : test_db(), sql, p1 != NULL, NULL, p,
	    NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	snprintf(out, len, "%s", PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ?
	    PQgetvalue(r, 0, 0) : "(none)");
	PQclear(r);
}

/*
 * A listing as one line of text, to compare a source's and an import's:
 * name, description, venue postcode, session, categories, areas.
 */
#define LISTING_LINE \
	"s.name || '|' || s.description || '|' || l.postal_code || '|' ||" \
	" sch.byday || ' ' || to_char(sch.opens_at, 'HH24:MI') || '-' ||" \
	" to_char(sch.closes_at, 'HH24:MI') || '|' ||" \
	" (SELECT string_agg(t.slug, ',' ORDER BY t.slug)" \
	" FROM service_taxonomy st JOIN taxonomy_term t" \
	" ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id)" \
	" || '|' || coalesce((SELECT string_agg(sa.area_code, ','" \
	" ORDER BY sa.area_code) FROM service_area sa" \
	" WHERE sa.service_id = s.id), 'no areas')"
#define LISTING_JOINS \
	"JOIN service_at_location x ON x.service_id = s.id" \
	" JOIN location l ON l.id = x.location_id" \
	" JOIN schedule sch ON sch.service_at_location_id = x.id" \
	" OR sch.service_id = s.id"

static void
test_import_oruk_our_own_feed_into_an_empty_directory(void **state)
{
	static char	 out[1 << 20];
	char		 path[512], conn[1024], want[256], got[1024];
	char		 id[64], aid[64], *a = getenv("DATABASE_URL");
	struct resp	 r;
	PGconn		*b;
	long		 lines = 0;
	int		 rc;

	(void)state;
	/* The demo's walks, if no test has loaded them yet. */
	value(NULL, "SELECT count(*) FROM service WHERE is_demo", NULL, got,
	    sizeof(got));
	if (strcmp(got, "0") == 0 && (rc = run_signpost("load-demo", out,
	    sizeof(out))) != 0)
		fail_msg("load-demo: %d\n%s", rc, out);
	/* A walk with a venue, a weekly session and two categories. */
	value(NULL, "SELECT s.id FROM service s JOIN service_at_location x"
	    " ON x.service_id = s.id JOIN schedule sch"
	    " ON sch.service_at_location_id = x.id OR sch.service_id = s.id"
	    " WHERE s.status = 'active'"
	    " AND sch.freq = 'WEEKLY' AND sch.byday = 'SA'"
	    " AND (SELECT count(*) FROM service_taxonomy t"
	    " WHERE t.service_id = s.id) >= 2 ORDER BY s.name LIMIT 1", NULL,
	    id, sizeof(id));
	if (strcmp(id, "(none)") == 0)
		fail_msg("no weekly Saturday walk with two categories");
	/* Read from the test server's own feed, 25 a page. */
	r = http_get("/api/services?per_page=1");
	assert_status(&r, 200);
	{
		cJSON	*j = resp_json(&r);

		assert_non_null(j);
		lines = (long)jnum(j, "total_items");
		cJSON_Delete(j);
	}
	resp_free(&r);
	snprintf(path, sizeof(path), "%s/api/services?per_page=25&full=true",
	    test_url());

	empty_directory(rt_db, sizeof(rt_db), conn, sizeof(conn));
	setenv("DATABASE_URL", conn, 1);
	rc = import(path, "--skip-bad", out, sizeof(out));
	setenv("DATABASE_URL", a, 1);
	snprintf(want, sizeof(want), "import oruk: %ld services read;", lines);
	if (rc != 0 || !contains(out, want) || !contains(out, ", 0 withdrawn"))
		fail_msg("import: exit %d, want %s\n%.4000s", rc, want, out);
	if (PQstatus(b = PQconnectdb(conn)) != CONNECTION_OK)
		fail_msg("%s: %s", conn, PQerrorMessage(b));

	/* Kept under its id in the feed, with what it says. */
	value(b, "SELECT " LISTING_LINE " FROM service s"
	    " JOIN import_key k ON k.service_id = s.id " LISTING_JOINS
	    " WHERE k.key = 'id:' || $1", id, got, sizeof(got));
	value(NULL, "SELECT " LISTING_LINE " FROM service s " LISTING_JOINS
	    " WHERE s.id = $1", id, want, sizeof(want));
	if (strcmp(got, want) != 0)
		fail_msg("imported: %s\nsource:   %s", got, want);
	/* Found by search there too: the search rows were built. */
	value(b, "SELECT count(*) FROM search_point sp JOIN import_key k"
	    " ON k.service_id = sp.service_id WHERE k.key = 'id:' || $1",
	    id, got, sizeof(got));
	assert_string_equal(got, "1");

	/* A service that covers areas covers the same ones there. */
	value(NULL, "SELECT s.id FROM service s WHERE s.status = 'active'"
	    " AND EXISTS (SELECT 1 FROM service_area sa"
	    " WHERE sa.service_id = s.id) ORDER BY s.name LIMIT 1", NULL, aid,
	    sizeof(aid));
	if (strcmp(aid, "(none)") == 0)
		fail_msg("no service that covers an area");
	value(NULL, "SELECT string_agg(area_code, ',' ORDER BY area_code)"
	    " FROM service_area WHERE service_id = $1", aid, want,
	    sizeof(want));
	snprintf(got, sizeof(got), "id:%s", aid);
	value(b, "SELECT string_agg(sa.area_code, ',' ORDER BY sa.area_code)"
	    " FROM import_key k JOIN service_area sa"
	    " ON sa.service_id = k.service_id WHERE k.key = $1", got, got,
	    sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("areas imported: %s, source: %s", got, want);
	/* Again: nothing changes. */
	setenv("DATABASE_URL", conn, 1);
	rc = import(path, "--skip-bad", out, sizeof(out));
	setenv("DATABASE_URL", a, 1);
	if (rc != 0 || !contains(out, " 0 added, 0 updated, "))
		fail_msg("again: exit %d\n%.4000s", rc, out);

	/*
	 * A transaction a page: when page 2 fails (here it repeats page 1,
	 * page=1 being first in the address), page 1 is kept.
	 */
	snprintf(path, sizeof(path), "%s/api/services?page=1&per_page=2",
	    test_url());
	setenv("DATABASE_URL", conn, 1);
	{
		char	cmd[700];

		snprintf(cmd, sizeof(cmd), "import oruk '%s' --source 'paged'",
		    path);
		rc = run_signpost(cmd, out, sizeof(out));
	}
	setenv("DATABASE_URL", a, 1);
	if (rc != 1 || !contains(out, "repeats page 1: the feed loops") ||
	    !contains(out, "the 1 page before it was imported"))
		fail_msg("a failing page 2: exit %d\n%s", rc, out);
	value(b, "SELECT count(*) FROM import_key WHERE source = 'paged'",
	    NULL, got, sizeof(got));
	assert_string_equal(got, "2");
	PQfinish(b);
}

static int
drop_rt_db(void **state)
{
	(void)state;
	drop_directory(rt_db);
	return (0);
}

/* The services of a messy feed page; each %s is the test's suffix. */
#define SVC_TEA \
"  { \"id\": \"tea-1%s\", \"name\": \"Tea &amp; Talk %s\",\n" \
"    \"description\": \"<p>Drop in for <b>tea</b> &amp; a chat.</p>" \
"<ul><li>Mondays</li><li>Free&nbsp;for all</li></ul>\",\n" \
"    \"email\": \"\", \"fees\": \"Free\", \"pc_vendor\": {\"x\": 1},\n" \
"    \"organization\": { \"id\": \"org-%s\", \"name\": \"Tea Org %s\" },\n" \
"    \"service_at_locations\": [ { \"location\": { \"name\": \"Hall\",\n" \
"      \"addresses\": [ { \"address_1\": \"1 Main St\", \"city\": " \
"\"Glasgow\", \"postal_code\": \"G12 8QQ\", \"address_type\": " \
"\"physical\" } ] } } ],\n" \
"    \"schedules\": [ { \"freq\": \"WEEKLY\", \"interval\": 1,\n" \
"      \"byday\": \"MO,WE,FR\", \"opens_at\": \"10:00:00\", " \
"\"closes_at\": \"12:00:00\" } ],\n" \
"    \"attributes\": [ { \"taxonomy_term\": { \"id\": \"x\", \"name\": " \
"\"Physical Activity\" } }, { \"taxonomy_term\": { \"id\": \"y\", " \
"\"name\": \"Zzz Unknown Term\" } } ] }"
#define SVC_HELP \
"  { \"id\": \"helpline-%s\", \"name\": \"Helpline %s\", \"url\": \"\",\n" \
"    \"organization\": { \"name\": \"Tea Org %s\" } }"
#define SVC_NOPC \
"  { \"id\": \"nopc-%s\", \"name\": \"No postcode %s\",\n" \
"    \"organization\": { \"name\": \"Tea Org %s\" },\n" \
"    \"service_at_locations\": [ { \"location\": { \"name\": \"Van\" } } ]" \
" }"
#define SVC_BADPC \
"  { \"id\": \"badpc-%s\", \"name\": \"Bad postcode %s\",\n" \
"    \"organization\": { \"name\": \"Tea Org %s\" },\n" \
"    \"service_at_locations\": [ { \"location\": { \"addresses\": [ {\n" \
"      \"postal_code\": \"ZZ9 9ZZ\" } ] } } ] }"
/* Five days in five weeks of the month: five sessions, one too many. */
#define SVC_WEEK \
"  { \"id\": \"weekdays-%s\", \"name\": \"Weekdays %s\",\n" \
"    \"organization\": { \"name\": \"Tea Org %s\" },\n" \
"    \"service_at_locations\": [ { \"location\": { \"addresses\": [ {\n" \
"      \"postal_code\": \"G12 8QQ\" } ] } } ],\n" \
"    \"schedules\": [ { \"freq\": \"MONTHLY\", \"byday\": " \
"\"1MO,2TU,3WE,4TH,-1FR\", \"opens_at\": \"09:00\", \"closes_at\": " \
"\"17:00\" } ] }"
#define SVC_NOID	"  { \"name\": \"No id\" }"
#define PAGE_HEAD \
"{ \"total_items\": 6, \"page_number\": 1, \"first_page\": true,\n" \
"  \"last_page\": true, \"contents\": [\n"
#define FEED_PAGE	PAGE_HEAD SVC_TEA ",\n" SVC_HELP ",\n" SVC_NOPC ",\n" \
	SVC_BADPC ",\n" SVC_WEEK ",\n" SVC_NOID " ] }\n"
/* The same feed later: nopc and weekdays gone, badpc still there. */
#define FEED_LATER	PAGE_HEAD SVC_TEA ",\n" SVC_HELP ",\n" SVC_BADPC \
	" ] }\n"

static void
test_import_oruk_copes_with_a_messy_feed(void **state)
{
	static char	 out[65536], text[16384];
	char		 path[256], key[128], got[1024];
	const char	*s = test_suffix();
	int		 rc;

	(void)state;
	snprintf(text, sizeof(text), FEED_PAGE, s, s, s, s, s, s, s, s, s, s,
	    s, s, s, s, s, s);
	write_file(path, sizeof(path), text, strlen(text));

	/* A bad service and no --skip-bad: nothing is applied. */
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "nothing was imported") ||
	    !contains(out, "postcode 'ZZ9 9ZZ'") ||
	    !contains(out, "service 6: no id: left out"))
		fail_msg("without --skip-bad: exit %d\n%s", rc, out);
	snprintf(key, sizeof(key), "id:tea-1%s", s);
	value(NULL, "SELECT count(*) FROM import_key WHERE key = $1", key,
	    got, sizeof(got));
	assert_string_equal(got, "0");

	rc = import(path, "--skip-bad --url https://directory.example/api/"
	    "services", out, sizeof(out));
	if (rc != 0 || !contains(out, "6 services read; 5 added, 0 updated, "
	    "0 unchanged, 1 not imported") ||
	    !contains(out, "postcode 'ZZ9 9ZZ' is not one we know: kept with "
	    "no venue") ||
	    !contains(out, "category 'Zzz Unknown Term' is not one of ours") ||
	    !contains(out, "no location with a postcode: kept with no venue") ||
	    !contains(out, "5 sessions a week or month; a listing holds 4, "
	    "so none are kept"))
		fail_msg("--skip-bad: exit %d\n%s", rc, out);

	/*
	 * HTML made plain text, entities decoded, list items kept; a rule
	 * on three days one session on the three.
	 */
	value(NULL, "SELECT s.name || '|' || s.description || '|' ||"
	    " s.is_free || '|' || coalesce(s.email, 'no e-mail') || '|' ||"
	    " (SELECT string_agg(sch.byday || ' ' || to_char(sch.opens_at,"
	    " 'HH24:MI'), ',' ORDER BY sch.byday) FROM schedule sch"
	    " JOIN service_at_location x ON x.id = sch.service_at_location_id"
	    " WHERE x.service_id = s.id) || '|' ||"
	    " (SELECT string_agg(t.slug, ',') FROM service_taxonomy st"
	    " JOIN taxonomy_term t ON t.id = st.taxonomy_term_id"
	    " WHERE st.service_id = s.id)"
	    " FROM import_key k JOIN service s ON s.id = k.service_id"
	    " WHERE k.key = $1", key, got, sizeof(got));
	{
		char	want[512];

		snprintf(want, sizeof(want), "Tea & Talk %s|Drop in for tea & "
		    "a chat.\n\n- Mondays\n- Free for all|true|no e-mail|"
		    "MO,WE,FR 10:00|physical-activity", s);
		if (strcmp(got, want) != 0)
			fail_msg("stored: %s\nwanted: %s", got, want);
	}
	/* Its page says where it comes from and when that was read. */
	value(NULL, "SELECT service_id FROM import_key WHERE key = $1", key,
	    got, sizeof(got));
	{
		char		 path2[1100], want[256];
		struct resp	 r;

		snprintf(path2, sizeof(path2), "/services/%s", got);
		r = http_get(path2);
		assert_status(&r, 200);
		snprintf(want, sizeof(want), "<p class=\"source\">From <a "
		    "href=\"https://directory.example/api/services\" "
		    "rel=\"nofollow\">%s</a>, checked ", source);
		if (!contains(r.body, want))
			fail_msg("no source line on %s:\n%.3000s", path2,
			    strstr(r.body, "detail-foot") != NULL ?
			    strstr(r.body, "detail-foot") : r.body);
		resp_free(&r);
	}
	/* No venue: kept, with none. */
	snprintf(key, sizeof(key), "id:helpline-%s", s);
	value(NULL, "SELECT count(x.id) FROM import_key k"
	    " LEFT JOIN service_at_location x ON x.service_id = k.service_id"
	    " WHERE k.key = $1", key, got, sizeof(got));
	assert_string_equal(got, "0");
	/* One organisation for the five, found by name. */
	snprintf(key, sizeof(key), "Tea Org %s", s);
	value(NULL, "SELECT count(*) FROM organization WHERE name = $1", key,
	    got, sizeof(got));
	assert_string_equal(got, "1");

	/* The same page again: nothing changes. */
	rc = import(path, "--skip-bad", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 0 updated, 5 unchanged"))
		fail_msg("again: exit %d\n%s", rc, out);
	unlink(path);

	/* The whole feed later, without two of them: --full withdraws those. */
	snprintf(text, sizeof(text), FEED_LATER, s, s, s, s, s, s, s, s, s, s);
	write_file(path, sizeof(path), text, strlen(text));
	rc = import(path, "--skip-bad --full", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 0 updated, 3 unchanged, 0 "
	    "not imported, 2 withdrawn") ||
	    !contains(out, "withdrawn (no longer in the feed): Weekdays"))
		fail_msg("--full: exit %d\n%s", rc, out);
	snprintf(key, sizeof(key), "id:weekdays-%s", s);
	value(NULL, "SELECT s.status || '|' || c.action || '|' || c.actor"
	    " FROM import_key k JOIN service s ON s.id = k.service_id"
	    " JOIN listing_change c ON c.service_id = s.id"
	    " WHERE k.key = $1 ORDER BY c.id DESC LIMIT 1", key, got,
	    sizeof(got));
	if (strncmp(got, "inactive|withdrawn|import: ", 27) != 0)
		fail_msg("withdrawn: %s", got);
	unlink(path);

	/* Back in the feed: published again. */
	snprintf(text, sizeof(text), FEED_PAGE, s, s, s, s, s, s, s, s, s, s,
	    s, s, s, s, s, s);
	write_file(path, sizeof(path), text, strlen(text));
	rc = import(path, "--skip-bad --full", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 2 updated, 3 unchanged, 1 "
	    "not imported (each reported above), 0 withdrawn"))
		fail_msg("back: exit %d\n%s", rc, out);
	value(NULL, "SELECT s.status FROM import_key k JOIN service s"
	    " ON s.id = k.service_id WHERE k.key = $1", key, got, sizeof(got));
	assert_string_equal(got, "active");
	unlink(path);
}

static void
test_import_oruk_files_that_are_not_a_feed(void **state)
{
	static char	 out[16384];
	char		 path[256], text[1024], url[512];
	const char	*s = test_suffix();
	int		 rc;

	(void)state;
	write_file(path, sizeof(path), "<html>Service Unavailable</html>\n",
	    33);
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "is not JSON"))
		fail_msg("HTML: exit %d\n%s", rc, out);
	unlink(path);

	write_file(path, sizeof(path), "{\"contents\": [{\"id\": \"a\", ", 25);
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "is not JSON"))
		fail_msg("truncated: exit %d\n%s", rc, out);
	unlink(path);

	write_file(path, sizeof(path), "{\"status\": 500}\n", 16);
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "not a feed"))
		fail_msg("not a feed: exit %d\n%s", rc, out);
	unlink(path);

	/*
	 * One array of services, read a service at a time (json_split.c):
	 * taken; cut short, or followed by something else, said and nothing
	 * kept.
	 */
	snprintf(text, sizeof(text), "\xef\xbb\xbf [ {\"id\": \"ar1-%s\", "
	    "\"name\": \"Array one %s\", \"organization\": {\"name\": "
	    "\"Ar Org %s\"}},\n {\"id\": \"ar2-%s\", \"name\": \"Array "
	    "[two] %s\", \"organization\": {\"name\": \"Ar Org %s\"}} ]\n",
	    s, s, s, s, s, s);
	write_file(path, sizeof(path), text, strlen(text));
	rc = import(path, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "2 services read; 2 added"))
		fail_msg("an array: exit %d\n%s", rc, out);
	unlink(path);
	snprintf(text, sizeof(text), "[{\"id\": \"ar3-%s\", \"name\": "
	    "\"Array three %s\", \"organization\": {\"name\": \"Ar Org "
	    "%s\"}}, {\"id\": \"ar4", s, s, s);
	write_file(path, sizeof(path), text, strlen(text));
	rc = import(path, "--skip-bad", out, sizeof(out));
	if (rc != 1 || !contains(out, "the array is not closed: the file "
	    "ends inside it") || !contains(out, "cut short"))
		fail_msg("an array cut short: exit %d\n%s", rc, out);
	snprintf(text, sizeof(text), "[] {}");
	write_file(path, sizeof(path), text, strlen(text));
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "something after the array's end, at "
	    "byte 3"))
		fail_msg("after the array: exit %d\n%s", rc, out);
	unlink(path);
	{
		char	key[128], got[32];

		snprintf(key, sizeof(key), "id:ar3-%s", s);
		value(NULL, "SELECT count(*) FROM import_key WHERE key = $1",
		    key, got, sizeof(got));
		assert_string_equal(got, "0");
	}

	/*
	 * NDJSON with a broken line and a name that is not UTF-8: each
	 * said, the others taken.
	 */
	snprintf(text, sizeof(text), "{\"id\": \"nd1-%s\", \"name\": \"Nd one "
	    "%s\", \"organization\": {\"name\": \"Nd Org %s\"}}\n{\"id\": "
	    "\"nd2\", \"na\n\n{\"id\": \"nd3-%s\", \"name\": \"Nd three %s\", "
	    "\"organization\": {\"name\": \"Nd Org %s\"}}\n{\"id\": \"nd4\", "
	    "\"name\": \"Bad \xff\xfe bytes\", \"organization\": {\"name\": "
	    "\"Nd Org %s\"}}\n", s, s, s, s, s, s, s);
	write_file(path, sizeof(path), text, strlen(text));
	rc = import(path, "--skip-bad --dry-run", out, sizeof(out));
	if (rc != 0 || !contains(out, "line 2: not JSON: left out") ||
	    !contains(out, "service 5 (nd4): service: ") ||
	    !contains(out, "4 services read; 2 would be added"))
		fail_msg("ndjson: exit %d\n%s", rc, out);
	unlink(path);

	/* Addresses that are not a feed, each said with its page. */
	snprintf(url, sizeof(url), "%s/no-such-feed", test_url());
	rc = import(url, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "page 1 (") || !contains(out,
	    "): HTTP 404"))
		fail_msg("404: exit %d\n%s", rc, out);
	snprintf(url, sizeof(url), "%s/", test_url());
	rc = import(url, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "is not JSON"))
		fail_msg("a page: exit %d\n%s", rc, out);
	/* page=1 first in the address: every page the server sends is 1. */
	snprintf(url, sizeof(url), "%s/api/services?page=1&per_page=2",
	    test_url());
	rc = import(url, "--dry-run", out, sizeof(out));
	if (rc != 1 || !contains(out, "page 2 (") ||
	    !contains(out, "repeats page 1: the feed loops; stopped"))
		fail_msg("a loop: exit %d\n%s", rc, out);
	/* --since: only what changed after it; nothing is not an error. */
	snprintf(url, sizeof(url), "%s/api/services", test_url());
	rc = import(url, "--since 2999-01-01T00:00:00Z", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 services read; 0 added"))
		fail_msg("--since: exit %d\n%s", rc, out);
	rc = import(path, "--since 2999-01-01", out, sizeof(out));
	if (rc != 2)
		fail_msg("--since with a file: exit %d\n%s", rc, out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
		    test_import_oruk_our_own_feed_into_an_empty_directory,
		    drop_rt_db),
		cmocka_unit_test(test_import_oruk_copes_with_a_messy_feed),
		cmocka_unit_test(test_import_oruk_files_that_are_not_a_feed),
	};

	return (RUN_TESTS("import_oruk", tests));
}
