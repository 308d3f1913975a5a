/*
 * `signpost import csv`: the command run as a spreadsheet owner runs it,
 * on the example in the repository and on files written here, against
 * the test cluster.  A dry run changes nothing; an import publishes each
 * row through listing_import() with one history entry credited to the
 * import; the same file again changes nothing; a changed row updates its
 * listing; a bad row is reported by line and column and, without
 * --skip-bad, nothing is applied.
 */
#include <unistd.h>

#include "harness.h"

static char	header[4096];
static char	source[64];

/* The template's header, as `import csv --template` prints it. */
static void
template_header(void)
{
	if (header[0] != '\0')
		return;
	if (run_signpost("import csv --template", header,
	    sizeof(header)) != 0)
		fail_msg("import csv --template failed: %s", header);
	header[strcspn(header, "\n")] = '\0';
	snprintf(source, sizeof(source), "test-%s", test_suffix());
}

/*
 * A CSV row in the template's columns from "column=value" pairs (the rest
 * empty), quoted where needed.
 */
static void
row(char *out, size_t len, const char *const *pairs)
{
	char		 cols[4096], *c, *save = NULL;
	const char	*v;
	size_t		 i, n = 0, k;

	snprintf(cols, sizeof(cols), "%s", header);
	out[0] = '\0';
	for (c = strtok_r(cols, ",", &save); c != NULL;
	    c = strtok_r(NULL, ",", &save), n++) {
		v = "";
		for (i = 0; pairs[i] != NULL; i++) {
			k = strcspn(pairs[i], "=");
			if (strlen(c) == k && strncmp(pairs[i], c, k) == 0)
				v = pairs[i] + k + 1;
		}
		k = strlen(out);
		if (strpbrk(v, ",\"") != NULL)
			snprintf(out + k, len - k, "%s\"%s\"", n ? "," : "", v);
		else
			snprintf(out + k, len - k, "%s%s", n ? "," : "", v);
	}
}

static void
write_file(char *path, size_t len, const char *text)
{
	FILE	*f;
	int	 fd;

	snprintf(path, len, "/tmp/signpost-import-csv.XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		fail_msg("cannot make a temporary file");
	fputs(text, f);
	fclose(f);
}

static int
import(const char *path, const char *flags, char *out, size_t len)
{
	char	args[2048];

	snprintf(args, sizeof(args), "import csv '%s' --source '%s' %s", path,
	    source, flags);
	return (run_signpost(args, out, len));
}

static int
count(const char *sql)
{
	char		 v[32];
	const char	*p[1] = { source };

	sql_str(sql, 1, p, v, sizeof(v));
	return (atoi(v));
}

#define KEYS	"SELECT count(*) FROM import_key WHERE source = $1"
#define CHANGES	"SELECT count(*) FROM listing_change c JOIN import_key k" \
	" ON k.service_id = c.service_id WHERE k.source = $1"

static void
test_import_csv_example_dry_run_import_and_again(void **state)
{
	char		 example[1024], out[16384], id[40], want[256];
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	const char	*p[2];
	struct resp	 r;
	int		 rc;

	(void)state;
	template_header();
	snprintf(example, sizeof(example), "%s/sql/data/"
	    "services-example.csv", root != NULL ? root : ".");

	/* A dry run says what would happen, and does nothing. */
	rc = import(example, "--dry-run", out, sizeof(out));
	if (rc != 0 || !contains(out, "3 would be added") ||
	    !contains(out, "a dry run: nothing was changed"))
		fail_msg("dry run: exit %d\n%s", rc, out);
	assert_int_equal(count(KEYS), 0);

	rc = import(example, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "3 rows read; 3 added, 0 updated, 0 "
	    "unchanged, 0 not imported"))
		fail_msg("import: exit %d\n%s", rc, out);
	assert_int_equal(count(KEYS), 3);
	/* One history entry each, credited to the import and the file. */
	assert_int_equal(count(CHANGES), 3);
	snprintf(want, sizeof(want), "import: %s (services-example.csv)",
	    source);
	p[0] = source;
	p[1] = want;
	sql_str("SELECT count(*) FROM listing_change c JOIN import_key k"
	    " ON k.service_id = c.service_id WHERE k.source = $1"
	    " AND c.actor = $2 AND c.action = 'created'", 2, p, id,
	    sizeof(id));
	assert_string_equal(id, "3");

	/* Published: its page is there, at its postcode. */
	sql_str("SELECT k.service_id FROM import_key k WHERE k.source = $1"
	    " AND k.key = 'id:knightswood-walk'", 1, p, id, sizeof(id));
	snprintf(want, sizeof(want), "/services/%s", id);
	r = http_get(want);
	assert_status(&r, 200);
	assert_true(contains(r.body, "Knightswood Park health walk"));
	assert_true(contains(r.body, "G13 2XD"));
	resp_free(&r);
	/* The file gave a contact: reminders cover it; the others, not. */
	assert_int_equal(count("SELECT count(*) FROM service s JOIN import_key"
	    " k ON k.service_id = s.id WHERE k.source = $1"
	    " AND s.review_email IS NOT NULL"), 1);

	/* The same file again: nothing changes, not even an id. */
	rc = import(example, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 0 updated, 3 unchanged"))
		fail_msg("again: exit %d\n%s", rc, out);
	assert_int_equal(count(CHANGES), 3);
	assert_int_equal(count(KEYS), 3);
}

static void
test_import_csv_bad_rows_are_reported_and_nothing_applied(void **state)
{
	char		 text[16384], line[4096], path[256], out[16384];
	char		 name[128];
	const char	*good[] = { "organisation=Import Test Org",
	    NULL, "kind=service", "description=Tea and a chat.",
	    "is_free=yes", "postcode=G12 8QQ", "session1_freq=weekly",
	    "session1_day=Monday", "session1_opens=10:00",
	    "session1_closes=11:30", NULL };
	const char	*bad[] = { "organisation=Import Test Org",
	    "service=Broken row", "kind=service", "description=Oops.",
	    "is_free=maybe", "postcode=G12 8Q", "session1_freq=weekly",
	    "session1_day=Monday", "session1_opens=25:00",
	    "session1_closes=11:30", "categories=no-such-category", NULL };
	int		 rc, before;

	(void)state;
	template_header();
	snprintf(name, sizeof(name), "service=Lunch club %s", test_suffix());
	good[1] = name;
	snprintf(text, sizeof(text), "%s\n", header);
	row(line, sizeof(line), good);
	strncat(text, line, sizeof(text) - strlen(text) - 2);
	strcat(text, "\n");
	row(line, sizeof(line), bad);
	strncat(text, line, sizeof(text) - strlen(text) - 2);
	strcat(text, "\n");
	write_file(path, sizeof(path), text);
	before = count(KEYS);

	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "line 3: postcode 'G12 8Q'") ||
	    !contains(out, "line 3: session1_opens '25:00'") ||
	    !contains(out, "line 3: categories 'no-such-category'") ||
	    !contains(out, "line 3: is_free 'maybe'") ||
	    !contains(out, "nothing was imported") ||
	    contains(out, "line 2:"))
		fail_msg("bad file: exit %d\n%s", rc, out);
	assert_int_equal(count(KEYS), before);

	/* --skip-bad: the good row goes in, the bad one is still said. */
	rc = import(path, "--skip-bad", out, sizeof(out));
	if (rc != 0 || !contains(out, "line 2: added") ||
	    !contains(out, "line 3: postcode 'G12 8Q'") ||
	    !contains(out, "1 added, 0 updated, 0 unchanged, 1 not imported"))
		fail_msg("--skip-bad: exit %d\n%s", rc, out);
	assert_int_equal(count(KEYS), before + 1);

	/* A changed cell updates the listing it made, in place. */
	good[3] = "description=Tea, a chat and soup.";
	snprintf(text, sizeof(text), "%s\n", header);
	row(line, sizeof(line), good);
	strncat(text, line, sizeof(text) - strlen(text) - 2);
	strcat(text, "\n");
	unlink(path);
	write_file(path, sizeof(path), text);
	rc = import(path, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 1 updated, 0 unchanged"))
		fail_msg("changed row: exit %d\n%s", rc, out);
	assert_int_equal(count(KEYS), before + 1);
	unlink(path);
}

static void
test_import_csv_wrong_header_or_no_file(void **state)
{
	char	path[256], out[4096];
	int	rc;

	(void)state;
	template_header();
	write_file(path, sizeof(path), "name,postcode\nA group,G12 8QQ\n");
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "not a CSV file in the template's "
	    "columns"))
		fail_msg("wrong header: exit %d\n%s", rc, out);
	unlink(path);
	rc = import("/nonexistent/listings.csv", "", out, sizeof(out));
	if (rc != 1 || !contains(out, "No such file"))
		fail_msg("no file: exit %d\n%s", rc, out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_import_csv_example_dry_run_import_and_again),
		cmocka_unit_test(
		    test_import_csv_bad_rows_are_reported_and_nothing_applied),
		cmocka_unit_test(test_import_csv_wrong_header_or_no_file),
	};

	return (RUN_TESTS("import_csv", tests));
}
