/*
 * `signpost import aliss`: the real ALISS API response in the repository
 * (sql/data/aliss-services-example.json, six services) imported, each
 * kept under its ALISS id with its venue, ALISS's own categories and its
 * service areas (an old council code by today's), its page naming ALISS
 * and its licence; again, nothing changes; a service
 * detail and files that are not ALISS's.
 */
#include <unistd.h>

#include "harness.h"

static char	source[64];

static int
import(const char *path, const char *flags, char *out, size_t len)
{
	char	args[1024];

	if (source[0] == '\0')
		snprintf(source, sizeof(source), "ALISS %s", test_suffix());
	snprintf(args, sizeof(args), "import aliss '%s' --source '%s' %s",
	    path, source, flags);
	return (run_signpost(args, out, len));
}

static void
one(const char *sql, const char *p1, char *out, size_t len)
{
	const char	*p[1] = { p1 };

	sql_str(sql, 1, p, out, len);
}

static void
test_import_aliss_the_example_response(void **state)
{
	static char	 out[65536];
	char		 path[1200], got[1024], want[512];
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	struct resp	 r;
	int		 rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/sql/data/aliss-services-example.json",
	    root != NULL ? root : ".");
	rc = import(path, "--dry-run", out, sizeof(out));
	if (rc != 0 || !contains(out, "6 services read; 6 would be added"))
		fail_msg("dry run: exit %d\n%s", rc, out);
	rc = import(path, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "6 services read; 6 added, 0 updated, "
	    "0 unchanged, 0 not imported") ||
	    !contains(out, "area S12000046 (Glasgow City) is today's "
	    "S12000049"))
		fail_msg("import: exit %d\n%s", rc, out);
	/* Its areas: Edinburgh as it is, Glasgow by today's code. */
	one("SELECT string_agg(sa.area_code, ',' ORDER BY sa.area_code)"
	    " FROM import_key k JOIN service_area sa"
	    " ON sa.service_id = k.service_id WHERE k.source = $1"
	    " AND k.key = 'aliss:d48c6a07-aa83-46f4-b35b-5adfa7ce9856'",
	    source, got, sizeof(got));
	assert_string_equal(got, "S12000036,S12000049");

	/* The walk: its venue, and ALISS's categories, which are ours. */
	one("SELECT s.name || '|' || l.postal_code || '|' ||"
	    " (SELECT string_agg(t.slug, ',' ORDER BY t.slug)"
	    " FROM service_taxonomy st JOIN taxonomy_term t"
	    " ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id)"
	    " FROM import_key k JOIN service s ON s.id = k.service_id"
	    " JOIN service_at_location x ON x.service_id = s.id"
	    " JOIN location l ON l.id = x.location_id WHERE k.source = $1"
	    " AND k.key = 'aliss:374ca73b-eea4-45ea-9694-70866b419107'",
	    source, got, sizeof(got));
	assert_string_equal(got, "Hill Walking Group|KA30 8QL|"
	    "outdoor-pursuits,social-group");

	/* Its page names ALISS, links it, and carries the licence. */
	one("SELECT service_id FROM import_key WHERE source = $1"
	    " AND key = 'aliss:374ca73b-eea4-45ea-9694-70866b419107'", source,
	    got, sizeof(got));
	snprintf(path, sizeof(path), "/services/%s", got);
	r = http_get(path);
	assert_status(&r, 200);
	snprintf(want, sizeof(want), "From <a href=\"https://www.aliss.org/\" "
	    "rel=\"nofollow\">%s</a>, checked ", source);
	if (!contains(r.body, want) || !contains(r.body, "Contains data from "
	    "ALISS (aliss.org), licensed under CC BY 4.0"))
		fail_msg("the page of an ALISS listing:\n%.3000s",
		    strstr(r.body, "detail-foot") != NULL ?
		    strstr(r.body, "detail-foot") : r.body);
	resp_free(&r);

	/*
	 * The feed carries it too: an attribute naming the source, with its
	 * licence and address, the day it was read as assured_date; the
	 * source's term lists its listings and is in /taxonomies.
	 */
	snprintf(path, sizeof(path), "/api/services/%s", got);
	r = http_get(path);
	assert_status(&r, 200);
	{
		cJSON		*j = resp_json(&r), *a, *t;
		const cJSON	*src = NULL;
		char		 today[16], term[64];
		time_t		 now = time(NULL);

		strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&now));
		assert_non_null(j);
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(j,
		    "attributes"))
			if (strcmp(jstr(a, "link_type"), "data_source") == 0)
				src = cJSON_GetObjectItemCaseSensitive(a,
				    "taxonomy_term");
		if (src == NULL || strcmp(jstr(src, "name"), source) != 0 ||
		    strcmp(jstr(src, "description"), "Contains data from ALISS "
		    "(aliss.org), licensed under CC BY 4.0") != 0 ||
		    strcmp(jstr(src, "term_uri"), "https://www.aliss.org/") !=
		    0 || strcmp(jstr(src, "taxonomy"), "Data sources") != 0 ||
		    strcmp(jstr(j, "assured_date"), today) != 0)
			fail_msg("no source in the feed's document:\n%s",
			    r.body);
		snprintf(term, sizeof(term), "%s", jstr(src, "id"));
		cJSON_Delete(j);
		resp_free(&r);
		snprintf(path, sizeof(path), "/api/services?taxonomy_term_id="
		    "%s", term);
		r = http_get(path);
		assert_status(&r, 200);
		j = resp_json(&r);
		if (jnum(j, "total_items") != 6)
			fail_msg("the source's term lists %.0f:\n%.2000s",
			    jnum(j, "total_items"), r.body);
		cJSON_Delete(j);
		resp_free(&r);
		snprintf(path, sizeof(path), "/api/taxonomy_terms/%s", term);
		r = http_get(path);
		assert_status(&r, 200);
		j = resp_json(&r);
		t = j != NULL ? cJSON_GetObjectItemCaseSensitive(j, "name") :
		    NULL;
		if (!cJSON_IsString(t) || strcmp(t->valuestring, source) != 0)
			fail_msg("the source's term:\n%s", r.body);
		cJSON_Delete(j);
		resp_free(&r);
		r = http_get("/api/taxonomies");
		assert_status(&r, 200);
		if (!contains(r.body, "\"name\":\"Data sources\""))
			fail_msg("no Data sources taxonomy:\n%.2000s", r.body);
	}
	resp_free(&r);

	/* /about/data names it with its count and licence. */
	r = http_get("/about/data");
	assert_status(&r, 200);
	snprintf(want, sizeof(want), "rel=\"nofollow\">%s</a>: 6 listings, "
	    "last read ", source);
	if (!contains(r.body, want) || !contains(r.body, "Contains data from "
	    "ALISS (aliss.org), licensed under CC BY 4.0."))
		fail_msg("/about/data:\n%.4000s", r.body);
	resp_free(&r);

	/* Again: nothing changes. */
	snprintf(path, sizeof(path), "%s/sql/data/aliss-services-example.json",
	    root != NULL ? root : ".");
	rc = import(path, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 0 updated, 6 unchanged"))
		fail_msg("again: exit %d\n%s", rc, out);
}

static void
write_file(char *path, size_t len, const char *text)
{
	FILE	*f;
	int	 fd;

	snprintf(path, len, "/tmp/signpost-import-aliss.XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		fail_msg("cannot make a temporary file");
	fputs(text, f);
	fclose(f);
}

static void
test_import_aliss_a_service_and_files_that_are_not_aliss(void **state)
{
	static char	 out[16384];
	char		 path[256], text[2048], got[256];
	const char	*s = test_suffix();
	int		 rc;

	(void)state;
	/* A service's detail: line breaks kept, an unknown category said. */
	snprintf(text, sizeof(text), "{\"meta\": {}, \"data\": {\"id\": "
	    "\"soup-%s\", \"name\": \"Soup Social %s\", \"description\": "
	    "\"Soup and a chat.\\r\\nEvery Thursday.\\r\\n\", \"phone\": \"\","
	    " \"organisation\": {\"name\": \"Soup Org %s\"}, \"categories\": "
	    "[{\"name\": \"Lunch Club\", \"slug\": \"lunch-club\"}, {\"name\":"
	    " \"Knitting\", \"slug\": \"no-such-slug\"}], \"locations\": "
	    "[{\"name\": \"Hall\", \"street_address\": \"Main Street\", "
	    "\"locality\": \"Glasgow\", \"postal_code\": \"G12 8QQ\"}]}}", s,
	    s, s);
	write_file(path, sizeof(path), text);
	rc = import(path, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "1 services read; 1 added") ||
	    !contains(out, "category 'Knitting' is not one of ours"))
		fail_msg("detail: exit %d\n%s", rc, out);
	snprintf(text, sizeof(text), "aliss:soup-%s", s);
	one("SELECT s.description FROM import_key k JOIN service s"
	    " ON s.id = k.service_id WHERE k.key = $1", text, got,
	    sizeof(got));
	assert_string_equal(got, "Soup and a chat.\nEvery Thursday.");
	unlink(path);

	write_file(path, sizeof(path), "{\"error\": \"rate limited\"}");
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "not from ALISS's API"))
		fail_msg("not ALISS: exit %d\n%s", rc, out);
	unlink(path);
	write_file(path, sizeof(path), "<html>");
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "is not JSON"))
		fail_msg("HTML: exit %d\n%s", rc, out);
	unlink(path);
}

static pid_t	web_pid = -1;
static int	web_port;
static char	web_dir[64];

static int
web_stop(void **state)
{
	char	cmd[128];

	(void)state;
	if (web_pid > 0) {
		kill(web_pid, SIGTERM);
		waitpid(web_pid, NULL, 0);
		web_pid = -1;
	}
	if (web_dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", web_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", web_dir);
		web_dir[0] = '\0';
	}
	return (0);
}

/* A static file server on loopback over web_dir. */
static int
web_start(void **state)
{
	char		 port[16], log[128];
	char *const	 args[] = { "python3", "-m", "http.server", port,
	    "--bind", "127.0.0.1", "--directory", web_dir, NULL };

	snprintf(web_dir, sizeof(web_dir), "/tmp/signpost-aliss-web.XXXXXX");
	if (mkdtemp(web_dir) == NULL || (web_port = free_port()) == -1)
		return (-1);
	snprintf(port, sizeof(port), "%d", web_port);
	snprintf(log, sizeof(log), "%s/server.log", web_dir);
	if (python_server(args, log, web_port, &web_pid) == -1) {
		(void)web_stop(state);
		return (-1);
	}
	return (0);
}

/*
 * A page of the API in web_dir: the example's services from..to-1, its
 * "next" the page named next (NULL: the last).  A page of raw text when
 * raw is not NULL.
 */
static void
web_page(const char *name, const cJSON *all, int from, int to,
    const char *next, const char *raw)
{
	char	 path[128], url[128];
	cJSON	*page, *data;
	char	*text;
	FILE	*f;
	int	 i;

	snprintf(path, sizeof(path), "%s/%s", web_dir, name);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s", path);
	if (raw != NULL) {
		fputs(raw, f);
		fclose(f);
		return;
	}
	page = cJSON_CreateObject();
	cJSON_AddNumberToObject(page, "count", cJSON_GetArraySize(all));
	if (next != NULL) {
		snprintf(url, sizeof(url), "http://127.0.0.1:%d/%s", web_port,
		    next);
		cJSON_AddStringToObject(page, "next", url);
	} else
		cJSON_AddNullToObject(page, "next");
	cJSON_AddNullToObject(page, "previous");
	data = cJSON_AddArrayToObject(page, "data");
	for (i = from; i < to; i++)
		cJSON_AddItemToArray(data, cJSON_Duplicate(
		    cJSON_GetArrayItem(all, i), 1));
	text = cJSON_PrintUnformatted(page);
	fputs(text, f);
	fclose(f);
	free(text);
	cJSON_Delete(page);
}

static int
import_url(const char *page, const char *flags, char *out, size_t len)
{
	char	args[1024];

	snprintf(args, sizeof(args), "import aliss "
	    "'http://127.0.0.1:%d/%s' --source 'ALISS web %s' %s", web_port,
	    page, test_suffix(), flags);
	return (run_signpost(args, out, len));
}

static void
test_import_aliss_from_its_address(void **state)
{
	static char	 out[65536];
	char		 path[1200], got[256], src[128];
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	cJSON		*example, *all;
	FILE		*f;
	long		 n;
	char		*text;
	int		 rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/sql/data/aliss-services-example.json",
	    root != NULL ? root : ".");
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	text[n] = '\0';
	fclose(f);
	example = cJSON_Parse(text);
	free(text);
	assert_non_null(example);
	all = cJSON_GetObjectItemCaseSensitive(example, "data");
	assert_int_equal(cJSON_GetArraySize(all), 6);
	snprintf(src, sizeof(src), "ALISS web %s", test_suffix());

	/* Three pages, each linking the next. */
	web_page("1.json", all, 0, 2, "2.json", NULL);
	web_page("2.json", all, 2, 4, "3.json", NULL);
	web_page("3.json", all, 4, 6, NULL, NULL);
	rc = import_url("1.json", "", out, sizeof(out));
	if (rc != 0 || !contains(out, "6 services read; 6 added, 0 updated, "
	    "0 unchanged, 0 not imported"))
		fail_msg("three pages: exit %d\n%s", rc, out);
	one("SELECT count(*) || '|' || min(s.url) FROM import_key k"
	    " JOIN import_source s ON s.name = k.source WHERE k.source = $1",
	    src, got, sizeof(got));
	snprintf(path, sizeof(path), "6|http://127.0.0.1:%d/1.json",
	    web_port);
	assert_string_equal(got, path);

	/* Again, as all of ALISS: nothing changes, nothing withdrawn. */
	rc = import_url("1.json", "--full", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 0 updated, 6 unchanged, "
	    "0 not imported, 0 withdrawn"))
		fail_msg("again: exit %d\n%s", rc, out);

	/* The last page without its last service: withdrawn, said. */
	web_page("3.json", all, 4, 5, NULL, NULL);
	rc = import_url("1.json", "--full", out, sizeof(out));
	if (rc != 0 || !contains(out, "5 unchanged, 0 not imported, "
	    "1 withdrawn") || !contains(out, "withdrawn (no longer in the "
	    "feed)"))
		fail_msg("one gone: exit %d\n%s", rc, out);
	one("SELECT count(*) FROM import_key k JOIN service s"
	    " ON s.id = k.service_id WHERE k.source = $1"
	    " AND s.status = 'active'", src, got, sizeof(got));
	assert_string_equal(got, "5");

	/* Links that loop: stopped at the page that comes round again. */
	web_page("3.json", all, 4, 6, "1.json", NULL);
	rc = import_url("1.json", "", out, sizeof(out));
	if (rc != 1 || !contains(out, "page 4 (http://127.0.0.1:") ||
	    !contains(out, "/1.json) is page 1 again: the API's next links "
	    "loop; stopped (the 3 pages before it were imported"))
		fail_msg("a loop: exit %d\n%s", rc, out);

	/* A link to nothing, and a page that is not JSON. */
	web_page("2.json", all, 2, 4, "gone.json", NULL);
	rc = import_url("1.json", "", out, sizeof(out));
	if (rc != 1 || !contains(out, "/gone.json): HTTP 404"))
		fail_msg("404: exit %d\n%s", rc, out);
	web_page("2.json", all, 2, 4, "html.json", NULL);
	web_page("html.json", all, 0, 0, NULL, "<html><body>Busy</body>"
	    "</html>");
	rc = import_url("1.json", "", out, sizeof(out));
	if (rc != 1 || !contains(out, "/html.json) is not JSON"))
		fail_msg("HTML: exit %d\n%s", rc, out);
	cJSON_Delete(example);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_aliss_the_example_response),
		cmocka_unit_test(
		    test_import_aliss_a_service_and_files_that_are_not_aliss),
		cmocka_unit_test(test_import_aliss_from_its_address),
	};

	return (RUN_TESTS_WITH("import_aliss", tests, web_start, web_stop));
}
