/*
 * scripts/backup and scripts/restore, as an operator runs them: dump the
 * test database, restore the archive into a new cluster of its own, start
 * a second server on it, and compare what partners and people see on the
 * two: the whole feed (ndjson), organisations, GeoJSON, a search page.
 * The new cluster and the second server are stopped by PID in the group
 * teardown, which cmocka runs also when a test fails.
 */
#include <sys/stat.h>

#include <unistd.h>

#include "harness.h"
#include "raw.h"

static char			 dir[64];
static char			 new_url[256];
static struct own_server	 own;
static int			 own_up;

static int
group_setup(void **state)
{
	char	cmd[512], out[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/signpost-restore.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return (-1);
	/* As root the cluster runs as the user signpost: let it in. */
	chmod(dir, 0755);
	snprintf(cmd, sizeof(cmd), "SIGNPOST_PG_FAST=1 scripts/pg start "
	    "'%s/pg' >/dev/null && scripts/pg url '%s/pg'", dir, dir);
	if (run_script(cmd, out, sizeof(out)) != 0) {
		fprintf(stderr, "the second cluster did not start: %s\n", out);
		return (-1);
	}
	if (strlen(out) >= sizeof(new_url))
		return (-1);
	memcpy(new_url, out, strlen(out) + 1);
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
	if (dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "scripts/pg destroy '%s/pg'; "
		    "rm -rf '%s'", dir, dir);
		(void)run_script(cmd, out, sizeof(out));
	}
	return (bad ? -1 : 0);
}

/* GET path from the server at base; the body, which the caller frees. */
static char *
body_of(const char *base, const char *path)
{
	struct resp	 r;
	char		*b;

	setenv("SIGNPOST_TEST_URL", base, 1);
	(void)http_do(&r, NULL, path, NULL, 0, NULL);
	assert_status(&r, 200);
	b = r.body;
	r.body = NULL;
	resp_free(&r);
	return (b);
}

static void
test_backup_restored_into_a_new_cluster_serves_the_same_directory(
    void **state)
{
	static const char *const paths[] = {
	    "/api/services?format=ndjson",
	    "/api/organizations?per_page=100",
	    "/api/taxonomy_terms?per_page=100",
	    "/api/services.geojson",
	    "/search?postcode=G11+7AA&radius=5",
	};
	const char	*env[3];
	char		 main_url[256], cmd[1024], out[8192], dbenv[300];
	char		*a, *b;
	size_t		 i;

	(void)state;
	snprintf(main_url, sizeof(main_url), "%s", test_url());
	snprintf(cmd, sizeof(cmd), "scripts/backup '%s/directory.dump'",
	    dir);
	assert_int_equal(run_script(cmd, out, sizeof(out)), 0);
	assert_true(contains(out, "backup: "));
	snprintf(cmd, sizeof(cmd), "DATABASE_URL='%s' scripts/restore "
	    "'%s/directory.dump'", new_url, dir);
	if (run_script(cmd, out, sizeof(out)) != 0)
		fail_msg("restore failed: %s", out);
	assert_true(contains(out, "restored"));

	snprintf(dbenv, sizeof(dbenv), "DATABASE_URL=%s", new_url);
	env[0] = dbenv;
	env[1] = "SIGNPOST_WORKERS=2";
	env[2] = NULL;
	assert_int_equal(own_server_start(&own, env), 0);
	own_up = 1;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char	own_url[64];

		snprintf(own_url, sizeof(own_url), "http://127.0.0.1:%d",
		    own.port);
		a = body_of(main_url, paths[i]);
		b = body_of(own_url, paths[i]);
		setenv("SIGNPOST_TEST_URL", main_url, 1);
		if (strcmp(a, b) != 0)
			fail_msg("%s differs after the round trip (%zu and %zu "
			    "bytes)", paths[i], strlen(a), strlen(b));
		/* Not two empty directories compared. */
		assert_true(strlen(a) > 1000);
		free(a);
		free(b);
	}
	sql_str("SELECT count(*) FROM service", 0, NULL, out, sizeof(out));
	assert_true(atoi(out) > 100);
}

static void
test_restore_refuses_what_is_not_a_backup_and_changes_nothing(void **state)
{
	char	cmd[1024], out[8192], before[32], after[32];
	FILE	*f;
	char	junk[128];

	(void)state;
	snprintf(junk, sizeof(junk), "%s/not-a-dump", dir);
	if ((f = fopen(junk, "w")) == NULL)
		fail_msg("cannot write %s", junk);
	fputs("code,name\nthis is not an archive\n", f);
	fclose(f);
	sql_str("SELECT count(*) FROM service", 0, NULL, before,
	    sizeof(before));
	snprintf(cmd, sizeof(cmd), "scripts/restore '%s'", junk);
	assert_int_equal(run_script(cmd, out, sizeof(out)), 1);
	assert_true(contains(out, "is not a pg_dump archive"));
	snprintf(cmd, sizeof(cmd), "scripts/restore '%s/missing.dump'", dir);
	assert_int_equal(run_script(cmd, out, sizeof(out)), 1);
	assert_true(contains(out, "cannot read"));
	sql_str("SELECT count(*) FROM service", 0, NULL, after,
	    sizeof(after));
	assert_string_equal(before, after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_backup_restored_into_a_new_cluster_serves_the_same_directory),
		cmocka_unit_test(
		    test_restore_refuses_what_is_not_a_backup_and_changes_nothing),
	};

	return (RUN_TESTS_WITH("backup", tests, group_setup, group_teardown));
}
