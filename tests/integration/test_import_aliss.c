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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_aliss_the_example_response),
		cmocka_unit_test(
		    test_import_aliss_a_service_and_files_that_are_not_aliss),
	};

	return (RUN_TESTS("import_aliss", tests));
}
