/*
 * `signpost import practices`: the command run as a person runs it, on
 * files written here, against the test cluster.  Every line that is not
 * imported is reported with its line and reason; re-importing the same
 * file changes nothing; a changed row updates the practice in place.
 */
#include <unistd.h>

#include "harness.h"

static char	code[3][16];

static void
make_codes(void)
{
	unsigned int	 r;
	int		 i;

	srand((unsigned int)(time(NULL) ^ getpid()));
	r = (unsigned int)rand() % 1000000;
	for (i = 0; i < 3; i++)
		snprintf(code[i], sizeof(code[i]), "ZT%06u%d", r, i);
}

/* Writes text to a new temporary file; its path goes in path. */
static void
write_file(char *path, size_t len, const char *text)
{
	FILE	*f;
	int	 fd;

	snprintf(path, len, "/tmp/signpost-practices.XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		fail_msg("cannot make a temporary file");
	fputs(text, f);
	fclose(f);
}

static int
import(const char *path, char *out, size_t len)
{
	char	args[512];

	snprintf(args, sizeof(args), "import practices '%s'", path);
	return (run_signpost(args, out, len));
}

static void
practice_row(const char *c, char *out, size_t len)
{
	const char *const	p[] = { c };

	sql_str("SELECT coalesce((SELECT name || '|' || address || '|' || "
	    "postcode || '|' || coalesce(council_area_code, '') FROM practice "
	    "WHERE code = $1), 'none')", 1, p, out, len);
}

static void
test_practices_import_reports_every_line_and_is_idempotent(void **state)
{
	char	path[64], text[2048], out[8192], row[512];

	(void)state;
	make_codes();
	/* Line 2 good (capitals and a postcode typed loosely), 3 an unknown
	 * postcode, 4 a bad code, 5 and 6 the same code (6 wins). */
	snprintf(text, sizeof(text),
	    "code,name,address,postcode\n"
	    "%s,PARTICK TEST PRACTICE,\"1 DUMBARTON ROAD, GLASGOW\",g117aa\n"
	    "%s,Test Practice South,1 Downing St,SW1A 2AA\n"
	    "no!,Bad Code Practice,,G11 7AA\n"
	    "%s,Early Name,,G11 7AA\n"
	    "%s,Late Name,,G11 7AA\n",
	    code[0], code[1], code[2], code[2]);
	write_file(path, sizeof(path), text);
	assert_int_equal(import(path, out, sizeof(out)), 0);
	assert_true(contains(out, "line 3: "));
	assert_true(contains(out, "unknown_postcode: the postcode SW1A 2AA "
	    "is not in the postcode table"));
	assert_true(contains(out, "line 4: NO! invalid: the practice code"));
	assert_true(contains(out, "line 5: "));
	assert_true(contains(out, "duplicate: the same practice code is on "
	    "line 6, which is used"));
	assert_true(contains(out, "5 lines read; 2 added, 0 updated, "
	    "0 unchanged, 0 closed and removed, 3 not imported"));
	practice_row(code[0], row, sizeof(row));
	assert_string_equal(row, "Partick Test Practice|1 Dumbarton Road, "
	    "Glasgow|G11 7AA|S12000049");
	practice_row(code[1], row, sizeof(row));
	assert_string_equal(row, "none");
	practice_row(code[2], row, sizeof(row));
	assert_string_equal(row, "Late Name||G11 7AA|S12000049");

	/* The same file again: nothing changes. */
	assert_int_equal(import(path, out, sizeof(out)), 0);
	assert_true(contains(out, "0 added, 0 updated, 2 unchanged"));

	/* A changed name updates in place; no second row. */
	snprintf(text, sizeof(text), "code,name,address,postcode\n"
	    "%s,Partick Renamed Practice,,G11 7AA\n", code[0]);
	unlink(path);
	write_file(path, sizeof(path), text);
	assert_int_equal(import(path, out, sizeof(out)), 0);
	assert_true(contains(out, "0 added, 1 updated, 0 unchanged"));
	practice_row(code[0], row, sizeof(row));
	assert_string_equal(row, "Partick Renamed Practice||G11 7AA|"
	    "S12000049");
	unlink(path);
}

static void
test_practices_ods_list_skips_closed_and_removes_them(void **state)
{
	char	path[64], text[2048], out[8192], row[512];

	(void)state;
	make_codes();
	snprintf(text, sizeof(text),
	    "organisation_code,name,address1,address2,address3,city,county,"
	    "postcode,opendate,closedate,telephone,practice_type\n"
	    "%s,ODS PRACTICE,HEALTH CENTRE,,,GLASGOW,,G11 7AA,19950501,,"
	    "0141 000 0000,4\n"
	    "%s,OUT OF HOURS,,,,GLASGOW,,G11 7AA,19950501,,,2\n",
	    code[0], code[1]);
	write_file(path, sizeof(path), text);
	assert_int_equal(import(path, out, sizeof(out)), 0);
	assert_true(contains(out, "line 3: "));
	assert_true(contains(out, "not_gp: practice type 2 is not a GP "
	    "practice"));
	practice_row(code[0], row, sizeof(row));
	assert_string_equal(row, "Ods Practice|Health Centre, Glasgow|"
	    "G11 7AA|S12000049");

	/* The practice has closed since: it goes. */
	snprintf(text, sizeof(text),
	    "organisation_code,name,address1,address2,address3,city,county,"
	    "postcode,opendate,closedate,telephone,practice_type\n"
	    "%s,ODS PRACTICE,HEALTH CENTRE,,,GLASGOW,,G11 7AA,19950501,"
	    "20260101,,4\n", code[0]);
	unlink(path);
	write_file(path, sizeof(path), text);
	assert_int_equal(import(path, out, sizeof(out)), 0);
	assert_true(contains(out, "closed: removed"));
	assert_true(contains(out, "1 closed and removed"));
	practice_row(code[0], row, sizeof(row));
	assert_string_equal(row, "none");
	unlink(path);
}

static void
test_practices_bad_files_change_nothing(void **state)
{
	char	path[64], out[8192], n1[32], n2[32];

	(void)state;
	sql_str("SELECT count(*) FROM practice", 0, NULL, n1, sizeof(n1));
	write_file(path, sizeof(path), "S10002,NO HEADER,,G11 7AA\n");
	assert_int_equal(import(path, out, sizeof(out)), 1);
	assert_true(contains(out, "the first line must be the header"));
	unlink(path);
	write_file(path, sizeof(path), "code,name,address,postcode\n"
	    "ZZ1,Nowhere,,ZZ9 9ZZ\n");
	assert_int_equal(import(path, out, sizeof(out)), 1);
	assert_true(contains(out, "line 2: ZZ1 unknown_postcode"));
	assert_true(contains(out, "no practice could be imported; nothing "
	    "changed"));
	unlink(path);
	/* Too many columns: COPY's own message, with its line. */
	write_file(path, sizeof(path), "code,name,address,postcode\n"
	    "ZZ2,A,B,G11 7AA,extra\n");
	assert_int_equal(import(path, out, sizeof(out)), 1);
	assert_true(contains(out, "extra data after last expected column"));
	unlink(path);
	assert_int_equal(import("/nonexistent/practices.csv", out,
	    sizeof(out)), 1);
	assert_true(contains(out, "No such file or directory"));
	sql_str("SELECT count(*) FROM practice", 0, NULL, n2, sizeof(n2));
	assert_string_equal(n1, n2);
}

/*
 * One command for every import: an unknown kind is named and changes
 * nothing; the old `import-postcodes` still works but says it is old,
 * and a missing file changes no postcode.
 */
static void
test_import_kinds_and_the_old_name(void **state)
{
	char	out[4096], before[32], after[32];
	int	rc;

	(void)state;
	rc = run_signpost("import nonsense /dev/null", out, sizeof(out));
	if (rc != 2 || strstr(out, "unknown kind nonsense") == NULL)
		fail_msg("import nonsense: exit %d\n%s", rc, out);
	sql_str("SELECT count(*) FROM postcode", 0, NULL, before,
	    sizeof(before));
	rc = run_signpost("import-postcodes /nonexistent/codepoint.csv", out,
	    sizeof(out));
	if (rc != 1 || strstr(out, "import-postcodes is the old name") ==
	    NULL || strstr(out, "/nonexistent/codepoint.csv") == NULL)
		fail_msg("import-postcodes: exit %d\n%s", rc, out);
	rc = run_signpost("import postcodes /nonexistent/codepoint.csv", out,
	    sizeof(out));
	if (rc != 1 || strstr(out, "old name") != NULL)
		fail_msg("import postcodes: exit %d\n%s", rc, out);
	sql_str("SELECT count(*) FROM postcode", 0, NULL, after,
	    sizeof(after));
	assert_string_equal(before, after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		   test_practices_import_reports_every_line_and_is_idempotent),
		cmocka_unit_test(
		    test_practices_ods_list_skips_closed_and_removes_them),
		cmocka_unit_test(test_practices_bad_files_change_nothing),
		cmocka_unit_test(test_import_kinds_and_the_old_name),
	};

	return (RUN_TESTS("practices", tests));
}
