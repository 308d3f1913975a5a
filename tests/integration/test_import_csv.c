/*
 * `signpost import csv`: the command run as a spreadsheet owner runs it,
 * on the example in the repository and on files written here, against
 * the test cluster.  A dry run changes nothing; an import publishes each
 * row through listing_import() with one history entry credited to the
 * import; the same file again changes nothing; a changed row updates its
 * listing; a bad row is reported by line and column and, without
 * --skip-bad, nothing is applied.  /export/services.csv, imported into an
 * empty database and exported again, gives the same bytes.
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

/* A row, and its line end, at the end of text. */
static void
add_row(char *text, size_t len, const char *const *pairs)
{
	char	line[4096];
	size_t	n = strlen(text);

	row(line, sizeof(line), pairs);
	if (snprintf(text + n, len - n, "%s\n", line) >= (int)(len - n))
		fail_msg("the test file is too long");
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

/* total_items of a feed page. */
static long
total_items(const struct resp *r)
{
	cJSON	*j = resp_json(r);
	long	 n = -1;

	if (j != NULL)
		n = (long)jnum(j, "total_items");
	cJSON_Delete(j);
	return (n);
}

static int
count_src(const char *const *p)
{
	char	v[32];

	sql_str("SELECT count(*) FROM import_key WHERE source = $1", 1, p, v,
	    sizeof(v));
	return (atoi(v));
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
	long		 total;
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

	r = http_get("/api/services?per_page=1");
	assert_status(&r, 200);
	total = total_items(&r);
	resp_free(&r);
	rc = import(example, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "3 rows read; 3 added, 0 updated, 0 "
	    "unchanged, 0 not imported"))
		fail_msg("import: exit %d\n%s", rc, out);
	/*
	 * The directory's version moved once, at the import's end: the
	 * feed's cached pages are renewed (the server hears it at once).
	 */
	for (rc = 0; rc < 100; rc++) {
		r = http_get("/api/services?per_page=1");
		assert_status(&r, 200);
		if (total_items(&r) == total + 3)
			break;
		resp_free(&r);
		usleep(50000);
	}
	if (rc == 100)
		fail_msg("the feed still counts %ld services, not %ld", total,
		    total + 3);
	resp_free(&r);
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
	/*
	 * Found by search, by its words near its postcode: the search rows
	 * the import put off were built at its end.
	 */
	/* The vectors built set-based are the ones a single edit builds. */
	assert_int_equal(count("SELECT count(*) FROM service s JOIN import_key"
	    " k ON k.service_id = s.id WHERE k.source = $1 AND"
	    " s.search_vector IS DISTINCT FROM service_search_document(s.id,"
	    " s.name, s.description)"), 0);
	r = http_get("/search?postcode=G13+2XD&q=knightswood+walk");
	assert_status(&r, 200);
	if (!contains(r.body, "Knightswood Park health walk"))
		fail_msg("search does not find the imported walk:\n%.2000s",
		    r.body);
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
	char		 text[16384], path[256], out[16384];
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
	add_row(text, sizeof(text), good);
	add_row(text, sizeof(text), bad);
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
	add_row(text, sizeof(text), good);
	unlink(path);
	write_file(path, sizeof(path), text);
	rc = import(path, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 1 updated, 0 unchanged"))
		fail_msg("changed row: exit %d\n%s", rc, out);
	assert_int_equal(count(KEYS), before + 1);
	unlink(path);
}

/*
 * A row the form's checks pass but the database refuses (here a CHECK
 * added for the test) is reported by its line like any bad row: undone
 * alone, and with it the whole file unless --skip-bad.
 */
static void
test_import_csv_row_the_database_refuses(void **state)
{
	char		 text[16384], path[256], out[16384], name[128];
	const char	*good[] = { "organisation=Import Test Org", NULL,
	    "kind=service", "description=Soup.", "is_free=yes",
	    "postcode=G12 8QQ", NULL };
	const char	*refused[] = { "organisation=Import Test Org",
	    "service=Refused by the database", "kind=service",
	    "description=Soup.", "is_free=yes", "postcode=G12 8QQ", NULL };
	int		 rc, before;

	(void)state;
	template_header();
	snprintf(name, sizeof(name), "service=Soup club %s", test_suffix());
	good[1] = name;
	snprintf(text, sizeof(text), "%s\n", header);
	add_row(text, sizeof(text), good);
	add_row(text, sizeof(text), refused);
	write_file(path, sizeof(path), text);
	before = count(KEYS);
	PQclear(test_sql("ALTER TABLE service ADD CONSTRAINT"
	    " import_test_refused CHECK (name <> 'Refused by the database')"
	    " NOT VALID", 0, NULL));

	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "line 3: Something in the form could "
	    "not be saved") || !contains(out, "nothing was imported") ||
	    contains(out, "line 2:"))
		fail_msg("refused row: exit %d\n%s", rc, out);
	assert_int_equal(count(KEYS), before);

	rc = import(path, "--skip-bad", out, sizeof(out));
	if (rc != 0 || !contains(out, "line 2: added") ||
	    !contains(out, "line 3: Something in the form could not be "
	    "saved") || !contains(out, "1 added, 0 updated, 0 unchanged, "
	    "1 not imported"))
		fail_msg("refused row, --skip-bad: exit %d\n%s", rc, out);
	assert_int_equal(count(KEYS), before + 1);
	assert_int_equal(count("SELECT count(*) FROM service"
	    " WHERE name = 'Refused by the database' AND $1 <> ''"), 0);
	PQclear(test_sql("ALTER TABLE service DROP CONSTRAINT"
	    " import_test_refused", 0, NULL));
	unlink(path);
}

/*
 * A file longer than a batch (listing_import_batch takes 250 records at
 * a time): every row published as one at a time would publish it, one
 * organisation for the name the rows share, a row the database refuses in
 * the second batch reported by its line while the rest of its batch is
 * kept, and the same file again changes nothing.
 */
static void
test_import_csv_rows_in_batches(void **state)
{
	char		*text, path[256], name[128], org[128];
	static char	 out[262144];
	const char	*pairs[] = { org, name, "kind=walking_group",
	    "description=A walk.", "is_free=yes", "postcode=G12 8QQ",
	    "categories=physical-activity", "session1_freq=weekly",
	    "session1_day=TU", "session1_opens=10:00",
	    "session1_closes=11:00", "walk_grade=easy", "walk_length_km=3",
	    NULL };
	const char	*p[1] = { source };
	size_t		 len = 600 * 1024;
	int		 i, rc, keys, changes;

	(void)state;
	template_header();
	if ((text = malloc(len)) == NULL)
		fail_msg("out of memory");
	snprintf(org, sizeof(org), "organisation=Batch Walkers %s",
	    test_suffix());
	snprintf(text, len, "%s\n", header);
	for (i = 1; i <= 600; i++) {
		if (i == 300)
			snprintf(name, sizeof(name), "service=Refused by the "
			    "database");
		else
			snprintf(name, sizeof(name), "service=Batch walk %d %s",
			    i, test_suffix());
		/*
		 * A postcode we do not have is looked up while it is checked,
		 * when the batch before it is being written: that answer is
		 * kept for its batch, and this one is said.
		 */
		pairs[5] = i == 450 ? "postcode=G12 9ZZ" : "postcode=G12 8QQ";
		add_row(text, len, pairs);
	}
	write_file(path, sizeof(path), text);
	free(text);
	keys = count(KEYS);
	changes = count(CHANGES);
	PQclear(test_sql("ALTER TABLE service ADD CONSTRAINT"
	    " import_test_refused CHECK (name <> 'Refused by the database')"
	    " NOT VALID", 0, NULL));

	rc = import(path, "--skip-bad", out, sizeof(out));
	if (rc != 0 || !contains(out, "line 2: added: Batch walk 1 ") ||
	    !contains(out, "line 601: added: Batch walk 600 ") ||
	    !contains(out, "line 301: Something in the form could not be "
	    "saved") || contains(out, "line 301: added") ||
	    !contains(out, "line 451: postcode 'G12 9ZZ': We cannot find "
	    "the postcode") || contains(out, "line 451: added") ||
	    !contains(out, "598 added, 0 updated, 0 unchanged, 2 not "
	    "imported"))
		fail_msg("600 rows: exit %d\n%.2000s", rc, out);
	assert_int_equal(count(KEYS), keys + 598);
	/* One history entry each, credited to the import, the listing's. */
	assert_int_equal(count(CHANGES " AND c.action = 'created'"
	    " AND c.actor LIKE 'import: %' AND c.after = listing_document("
	    "c.service_id) AND c.after #>> '{service,name}' LIKE 'Batch walk"
	    " %'"), 598);
	assert_int_equal(count("SELECT count(DISTINCT s.organization_id)"
	    " FROM import_key k JOIN service s ON s.id = k.service_id"
	    " WHERE k.source = $1 AND s.name LIKE 'Batch walk %'"), 1);
	assert_int_equal(count("SELECT count(*) FROM import_key k"
	    " JOIN schedule sc ON sc.service_id = k.service_id"
	    " JOIN walk_detail w ON w.service_id = k.service_id"
	    " JOIN submission sb ON sb.service_id = k.service_id"
	    " AND sb.status = 'approved'"
	    " WHERE k.source = $1 AND sc.byday = 'TU'"
	    " AND sb.document #>> '{service,name}' LIKE 'Batch walk %'"),
	    598);
	/* In search: derived data rebuilt for every one of them. */
	assert_int_equal(count("SELECT count(DISTINCT sp.service_id)"
	    " FROM import_key k JOIN search_point sp"
	    " ON sp.service_id = k.service_id JOIN service s"
	    " ON s.id = k.service_id WHERE k.source = $1"
	    " AND s.name LIKE 'Batch walk %'"), 598);
	assert_int_equal(count_src(p), keys + 598);

	rc = import(path, "--skip-bad", out, sizeof(out));
	if (rc != 0 || !contains(out, "0 added, 0 updated, 598 unchanged, "
	    "2 not imported"))
		fail_msg("600 rows again: exit %d\n%.2000s", rc, out);
	assert_int_equal(count(CHANGES), changes + 598);
	PQclear(test_sql("ALTER TABLE service DROP CONSTRAINT"
	    " import_test_refused", 0, NULL));
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
	if (rc != 1 || !contains(out, "unknown columns 'name'") ||
	    !contains(out, "missing: organisation, service, kind") ||
	    contains(out, "is_free"))
		fail_msg("wrong header: exit %d\n%s", rc, out);
	unlink(path);
	write_file(path, sizeof(path), "");
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "is empty"))
		fail_msg("empty file: exit %d\n%s", rc, out);
	unlink(path);
	/* Not UTF-8: PostgreSQL names the line. */
	write_file(path, sizeof(path), "organisation,service,kind,"
	    "description,is_free\nOrg,Caf\xe9,service,Tea,yes\n");
	rc = import(path, "", out, sizeof(out));
	if (rc != 1 || !contains(out, "UTF8") || !contains(out, "line 2"))
		fail_msg("not UTF-8: exit %d\n%s", rc, out);
	unlink(path);
	rc = import("/nonexistent/listings.csv", "", out, sizeof(out));
	if (rc != 1 || !contains(out, "No such file"))
		fail_msg("no file: exit %d\n%s", rc, out);
}

/*
 * What spreadsheets write: a byte-order mark, Windows line endings, a
 * quoted line break inside a cell, columns in another order and optional
 * ones left out are all taken; the same listing twice takes the later
 * line and says so.
 */
static void
test_import_csv_takes_what_spreadsheets_write(void **state)
{
	char	text[2048], path[256], out[8192], name[64], org[64];
	int	rc;

	(void)state;
	template_header();
	snprintf(name, sizeof(name), "Tea club %s", test_suffix());
	snprintf(org, sizeof(org), "BOM Org %s", test_suffix());
	snprintf(text, sizeof(text), "\xef\xbb\xbf\"service\",organisation,"
	    "kind,description,is_free,postcode,id\r\n"
	    "%s,%s,service,\"Tea,\r\nand cake\",yes,G12 8QQ,t1\r\n"
	    "%s,%s,service,Tea and cake.,no,G12 8QQ,t1\r\n", name, org,
	    name, org);
	write_file(path, sizeof(path), text);
	rc = import(path, "", out, sizeof(out));
	if (rc != 0 || !contains(out, "line 2: the same listing as line 3 "
	    "(the same id): the later line is taken") ||
	    !contains(out, "1 added") || !contains(out, "1 left out"))
		fail_msg("spreadsheet file: exit %d\n%s", rc, out);
	/* The later line's values are the ones published. */
	assert_int_equal(count("SELECT count(*) FROM service s JOIN import_key"
	    " k ON k.service_id = s.id WHERE k.source = $1 AND k.key = 'id:t1'"
	    " AND s.description = 'Tea and cake.'"), 1);
	unlink(path);
}

#define BOUNDARY	"sp-test-boundary-7f3a"

static struct resp
upload(const char *cookie, const char *csrf, const char *file,
    const char *src)
{
	static char		 body[65536];
	struct resp		 r;
	const char *const	 h[] = { cookie, "Content-Type: multipart/"
	    "form-data; boundary=" BOUNDARY, NULL };
	int			 n;

	n = snprintf(body, sizeof(body), "--" BOUNDARY "\r\n"
	    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
	    "--" BOUNDARY "\r\n"
	    "Content-Disposition: form-data; name=\"source\"\r\n\r\n%s\r\n"
	    "--" BOUNDARY "\r\n"
	    "Content-Disposition: form-data; name=\"file\"; "
	    "filename=\"listings.csv\"\r\nContent-Type: text/csv\r\n\r\n"
	    "%s\r\n--" BOUNDARY "--\r\n", csrf, src, file);
	if (n < 0 || (size_t)n >= sizeof(body))
		fail_msg("upload body too long");
	(void)http_do(&r, "POST", "/admin/import", body, (size_t)n, h);
	return (r);
}

/* Uploads a file and follows to its dry-run page (its address in loc). */
static struct resp
dry_run(const char *cookie, const char *csrf, const char *file,
    const char *src, char *loc, size_t loclen)
{
	const char *const	 h[] = { cookie, NULL };
	struct resp		 r;

	r = upload(cookie, csrf, file, src);
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, loclen), 0);
	resp_free(&r);
	(void)http_do(&r, NULL, loc, NULL, 0, h);
	assert_status(&r, 200);
	return (r);
}

/*
 * /admin/import: administrators only; an upload shows its dry run (the
 * rows it would add, every bad row by line) and changes nothing; one
 * button applies the good rows; a second apply of it is refused.
 */
static void
test_admin_import_page_checks_then_applies_once(void **state)
{
	struct account	 mod, adm;
	const char	*cookie, *csrf;
	char		 text[8192], loc[256], path[300], src[64];
	char		 name[80], body[128];
	const char	*good[] = { "organisation=Upload Org", NULL,
	    "kind=service", "description=Drop in for a chat.", "is_free=yes",
	    "postcode=G12 8QQ", NULL };
	const char	*bad[] = { "organisation=Upload Org",
	    "service=Bad upload row", "kind=service", "description=Oops.",
	    "is_free=yes", "postcode=G12 8Q", NULL };
	const char	*h[2], *hp[3];
	const char	*p[1] = { src };
	struct resp	 r;

	(void)state;
	template_header();
	snprintf(src, sizeof(src), "upload-%s", test_suffix());
	snprintf(name, sizeof(name), "service=Upload cafe %s", test_suffix());
	good[1] = name;
	account_new(&mod, "moderator", "import-mod", NULL);
	h[0] = mod.cookie;
	h[1] = NULL;
	(void)http_do(&r, NULL, "/admin/import", NULL, 0, h);
	assert_status(&r, 403);
	resp_free(&r);

	account_new(&adm, "admin", "import-admin", NULL);
	cookie = adm.cookie;
	csrf = adm.csrf;
	h[0] = cookie;
	(void)http_do(&r, NULL, "/admin/import", NULL, 0, h);
	assert_status(&r, 200);
	assert_true(contains(r.body, "enctype=\"multipart/form-data\""));
	assert_true(contains(r.body, "type=\"file\""));
	resp_free(&r);

	snprintf(text, sizeof(text), "%s\n", header);
	add_row(text, sizeof(text), good);
	add_row(text, sizeof(text), bad);
	r = dry_run(cookie, csrf, text, src, loc, sizeof(loc));
	if (!contains(r.body, "line 2: would be added") ||
	    !contains(r.body, "line 3: postcode &#39;G12 8Q&#39;") ||
	    !contains(r.body, "Apply the rows without problems"))
		fail_msg("the dry run page:\n%.3000s", r.body);
	resp_free(&r);
	assert_int_equal(count_src(p), 0);

	snprintf(path, sizeof(path), "%s/apply", loc);
	snprintf(body, sizeof(body), "csrf=%s", csrf);
	hp[0] = cookie;
	hp[1] = "Content-Type: application/x-www-form-urlencoded";
	hp[2] = NULL;
	(void)http_do(&r, "POST", path, body, strlen(body), hp);
	assert_status(&r, 303);
	resp_free(&r);
	assert_int_equal(count_src(p), 1);
	(void)http_do(&r, NULL, loc, NULL, 0, h);
	assert_status(&r, 200);
	assert_true(contains(r.body, "Applied"));
	assert_true(contains(r.body, "line 2: added"));
	resp_free(&r);
	/* Once: the same upload is not applied again. */
	(void)http_do(&r, "POST", path, body, strlen(body), hp);
	assert_status(&r, 409);
	resp_free(&r);
	assert_int_equal(count_src(p), 1);

	/* A changed row: its dry run shows what would change, by field. */
	good[3] = "description=Drop in for a chat and soup.";
	snprintf(text, sizeof(text), "%s\n", header);
	add_row(text, sizeof(text), good);
	r = dry_run(cookie, csrf, text, src, loc, sizeof(loc));
	if (!contains(r.body, "line 2: would be updated") ||
	    !contains(r.body, "The listings it would change") ||
	    !contains(r.body, "<th scope=\"row\">Description</th>"))
		fail_msg("the dry run of a change:\n%.4000s", r.body);
	resp_free(&r);
}

static char	rt_db[64];

static int
drop_rt_db(void **state)
{
	(void)state;
	drop_directory(rt_db);
	return (0);
}

static void
test_export_imports_into_an_empty_directory_and_exports_the_same(void **state)
{
	char		 path[256], again[300], conn[1024];
	static char	 out[131072];
	char		 cmd[512];
	char		 etag[128], inm[160], *a = getenv("DATABASE_URL");
	const char	*h[] = { inm, NULL };
	struct resp	 r, x;
	FILE		*f;
	int		 rc;

	(void)state;
	template_header();
	r = http_get("/export/services.csv");
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Content-Type", "text/csv"));
	assert_true(strncmp(r.body, header, strlen(header)) == 0);
	/* Unchanged: 304 to a client that has it. */
	assert_int_equal(resp_header(&r, "ETag", etag, sizeof(etag)), 0);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	(void)http_do(&x, NULL, "/export/services.csv", NULL, 0, h);
	assert_status(&x, 304);
	resp_free(&x);
	x = http_get("/export/services.geojson");
	assert_status(&x, 200);
	assert_true(contains(x.body, "\"FeatureCollection\""));
	resp_free(&x);

	snprintf(path, sizeof(path), "/tmp/signpost-export.XXXXXX");
	if ((rc = mkstemp(path)) == -1 || (f = fdopen(rc, "w")) == NULL)
		fail_msg("cannot make a temporary file");
	fwrite(r.body, 1, r.len, f);
	fclose(f);

	/* An empty directory: migrated, with postcodes, no listings. */
	empty_directory(rt_db, sizeof(rt_db), conn, sizeof(conn));
	setenv("DATABASE_URL", conn, 1);
	rc = import(path, "", out, sizeof(out));
	if (rc != 0 || !contains(out, " 0 updated, 0 unchanged, 0 not "
	    "imported")) {
		/* What was not taken, without the rows that were. */
		char	*l, *save = NULL;

		setenv("DATABASE_URL", a, 1);
		for (l = strtok_r(out, "\n", &save); l != NULL;
		    l = strtok_r(NULL, "\n", &save))
			if (strstr(l, ": added: ") == NULL)
				print_message("%s\n", l);
		fail_msg("import into the empty one: exit %d", rc);
	}
	snprintf(again, sizeof(again), "%s.again", path);
	snprintf(cmd, sizeof(cmd), "export csv '%s'", again);
	rc = run_signpost(cmd, out, sizeof(out));
	setenv("DATABASE_URL", a, 1);
	if (rc != 0)
		fail_msg("export: %d\n%s", rc, out);
	/* The same bytes: compare the whole file. */
	{
		char	*all;
		long	 n;

		if ((f = fopen(again, "r")) == NULL)
			fail_msg("no export at %s", again);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		if ((all = malloc((size_t)n + 1)) == NULL)
			fail_msg("out of memory");
		if (fread(all, 1, (size_t)n, f) != (size_t)n)
			fail_msg("cannot read %s", again);
		fclose(f);
		if ((size_t)n != r.len || memcmp(all, r.body, r.len) != 0)
			fail_msg("the export again differs: %ld bytes, first "
			    "%zu (diff %s %s)", n, r.len, path, again);
		free(all);
	}
	unlink(path);
	unlink(again);
	resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_import_csv_example_dry_run_import_and_again),
		cmocka_unit_test(
		    test_import_csv_bad_rows_are_reported_and_nothing_applied),
		cmocka_unit_test(test_import_csv_row_the_database_refuses),
		cmocka_unit_test(test_import_csv_rows_in_batches),
		cmocka_unit_test(test_import_csv_wrong_header_or_no_file),
		cmocka_unit_test(test_import_csv_takes_what_spreadsheets_write),
		cmocka_unit_test(
		    test_admin_import_page_checks_then_applies_once),
		cmocka_unit_test_teardown(
		    test_export_imports_into_an_empty_directory_and_exports_the_same,
		    drop_rt_db),
	};

	return (RUN_TESTS("import_csv", tests));
}
