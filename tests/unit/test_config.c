/*
 * Unit tests for config.c: the shipped conf/signpost.conf, a good file
 * of every value type, each kind of mistake reported as file:line with
 * the key, and the environment overlay (SIGNPOST_<KEY>, DATABASE_URL).
 * Run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "unit.h"

/* Every environment variable the overlay reads, cleared before each test. */
static const char *const env_names[] = {
	"SIGNPOST_LISTEN_ADDRESS", "SIGNPOST_PORT", "SIGNPOST_WORKERS",
	"SIGNPOST_DATABASE_URL", "SIGNPOST_CRS", "SIGNPOST_PROJ_GRID_DIR",
	"SIGNPOST_USER", "SIGNPOST_MAX_BODY_BYTES", "SIGNPOST_MAX_URI_BYTES",
	"SIGNPOST_MAX_HEADER_BYTES", "SIGNPOST_CONNECTION_TIMEOUT",
	"SIGNPOST_MAX_CONNECTIONS", "SIGNPOST_MAX_CONNECTIONS_PER_IP",
	"SIGNPOST_ACCESS_LOG", "SIGNPOST_PUBLIC_URL", "SIGNPOST_TILE_URL",
	"SIGNPOST_TILE_ATTRIBUTION", "SIGNPOST_REVIEW_MONTHS", "DATABASE_URL",
	NULL
};

struct fixture {
	struct config	c;
	char		path[64];
	char		err[1024];
};

static int
setup(void **state)
{
	struct fixture	*f;
	size_t		 i;
	int		 fd;

	for (i = 0; env_names[i] != NULL; i++)
		unsetenv(env_names[i]);
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return (-1);
	snprintf(f->path, sizeof(f->path), "/tmp/signpost-conf.XXXXXX");
	if ((fd = mkstemp(f->path)) == -1) {
		free(f);
		return (-1);
	}
	close(fd);
	config_defaults(&f->c);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	unlink(f->path);
	free(f);
	for (i = 0; env_names[i] != NULL; i++)
		unsetenv(env_names[i]);
	return (0);
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

static void
write_file(struct fixture *f, const char *text)
{
	FILE	*fp;

	assert_non_null(fp = fopen(f->path, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static int
load(struct fixture *f, const char *text)
{
	write_file(f, text);
	f->err[0] = '\0';
	return (config_load_file(&f->c, f->path, f->err, sizeof(f->err)));
}

/* The message starts with "path:line: " and contains each of the words. */
static void
assert_error_at(struct fixture *f, int line, const char *w1, const char *w2)
{
	char	prefix[128];

	snprintf(prefix, sizeof(prefix), "%s:%d: ", f->path, line);
	if (strncmp(f->err, prefix, strlen(prefix)) != 0 ||
	    (w1 != NULL && strstr(f->err, w1) == NULL) ||
	    (w2 != NULL && strstr(f->err, w2) == NULL))
		fail_msg("error \"%s\" should start \"%s\" and say \"%s\" "
		    "and \"%s\"", f->err, prefix, w1 ? w1 : "",
		    w2 ? w2 : "");
}

static void
test_defaults_are_safe(void **state)
{
	struct fixture	*f = *state;

	assert_string_equal(f->c.listen_address, "127.0.0.1");
	assert_int_equal(f->c.port, 8080);
	assert_int_equal(f->c.max_body_bytes, 1024 * 1024);
	assert_int_equal(f->c.max_uri_bytes, 2048);
	assert_int_equal(f->c.max_header_bytes, 8192);
	assert_int_equal(f->c.access_log, 1);
	assert_string_equal(f->c.database_url, "");
	/* A stuck database must give a 503 well within 5 s. */
	assert_int_equal(f->c.database_timeout, 3000);
	assert_true(f->c.workers >= 1);
	assert_true(f->c.connection_timeout >= 1);
}

static void
test_shipped_config_file_loads(void **state)
{
	struct fixture	*f = *state;

	if (config_load_file(&f->c, "conf/signpost.conf", f->err,
	    sizeof(f->err)) != 0)
		fail_msg("conf/signpost.conf: %s", f->err);
	assert_int_equal(f->c.port, 8080);
	assert_int_equal(f->c.max_body_bytes, 1048576);
	assert_int_equal(f->c.database_timeout, 3000);
	assert_string_equal(f->c.tile_attribution,
	    "&copy; OpenStreetMap contributors");
}

static void
test_good_file_sets_every_type(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f,
	    "# comment\n"
	    "\n"
	    "   # indented comment\n"
	    "port=9090\n"
	    "  workers   =   8  \n"
	    "listen_address = ::1\r\n"
	    "database_url = host=/tmp/pg dbname=signpost user=x\n"
	    "max_body_bytes = 2048\n"
	    "access_log = no\n"
	    "public_url = https://signpost.example/\n"
	    "review_months = 6"), 0);
	assert_int_equal(f->c.port, 9090);
	assert_int_equal(f->c.workers, 8);
	assert_string_equal(f->c.listen_address, "::1");
	/* Only the first '=' separates key and value. */
	assert_string_equal(f->c.database_url,
	    "host=/tmp/pg dbname=signpost user=x");
	assert_int_equal(f->c.max_body_bytes, 2048);
	assert_int_equal(f->c.access_log, 0);
	assert_string_equal(f->c.public_url, "https://signpost.example/");
	assert_int_equal(f->c.review_months, 6);
	/* Keys the file does not mention keep their defaults. */
	assert_int_equal(f->c.max_uri_bytes, 2048);
}

static void
test_empty_string_value_is_allowed(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f, "database_url =\n"), 0);
	assert_string_equal(f->c.database_url, "");
}

static void
test_unknown_key_names_file_line_and_key(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f, "port = 1\n\n# x\nprot = 8080\n"), -1);
	assert_error_at(f, 4, "unknown setting", "\"prot\"");
}

static void
test_bad_number_names_key_range_and_value(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f, "port = eighty\n"), -1);
	assert_error_at(f, 1, "port", "0 to 65535");
	assert_non_null(strstr(f->err, "\"eighty\""));
	assert_int_equal(f->c.port, 8080);
}

static void
test_number_with_junk_or_out_of_range_is_rejected(void **state)
{
	static const char *const bad[] = { "port = 80x\n", "port = 65536\n",
	    "port = -1\n", "workers = 0\n", "port = 8 0\n", "port =\n",
	    "max_body_bytes = 1e6\n", "max_uri_bytes = 99999999999999999999\n",
	    NULL };
	struct fixture	*f = *state;
	size_t		 i;

	for (i = 0; bad[i] != NULL; i++)
		if (load(f, bad[i]) != -1)
			fail_msg("accepted %s", bad[i]);
		else
			assert_error_at(f, 1, "whole number", NULL);
}

static void
test_bad_bool_says_yes_or_no(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f, "access_log = sometimes\n"), -1);
	assert_error_at(f, 1, "access_log", "yes or no");
}

static void
test_line_without_equals_is_an_error(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f, "port 8080\n"), -1);
	assert_error_at(f, 1, "key = value", NULL);
}

static void
test_too_long_string_is_an_error_not_a_truncation(void **state)
{
	struct fixture	*f = *state;
	char		 text[200];

	snprintf(text, sizeof(text), "user = %0100d\n", 0);
	assert_int_equal(load(f, text), -1);
	assert_error_at(f, 1, "user", "longer than");
}

static void
test_overlong_line_is_an_error(void **state)
{
	struct fixture	*f = *state;
	char		*text;

	assert_non_null(text = malloc(5000));
	memcpy(text, "tile_url = ", 11);
	memset(text + 11, 'a', 4000);
	strcpy(text + 4011, "\nport = 1\n");
	assert_int_equal(load(f, text), -1);
	free(text);
	assert_error_at(f, 1, "too long", NULL);
}

static void
test_missing_file_names_it(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(config_load_file(&f->c, "/nonexistent/signpost.conf",
	    f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "/nonexistent/signpost.conf"));
}

static void
test_env_overrides_file(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f, "port = 9090\nmax_body_bytes = 4096\n"), 0);
	setenv("SIGNPOST_PORT", "9191", 1);
	setenv("SIGNPOST_MAX_BODY_BYTES", "8192", 1);
	setenv("SIGNPOST_ACCESS_LOG", "off", 1);
	assert_int_equal(config_load_env(&f->c, f->err, sizeof(f->err)), 0);
	assert_int_equal(f->c.port, 9191);
	assert_int_equal(f->c.max_body_bytes, 8192);
	assert_int_equal(f->c.access_log, 0);
}

static void
test_env_bad_value_names_the_variable(void **state)
{
	struct fixture	*f = *state;

	setenv("SIGNPOST_PORT", "http", 1);
	assert_int_equal(config_load_env(&f->c, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "SIGNPOST_PORT"));
	assert_non_null(strstr(f->err, "\"http\""));
	assert_int_equal(f->c.port, 8080);
}

static void
test_database_url_env_overrides_file(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f, "database_url = host=/file dbname=a\n"), 0);
	setenv("DATABASE_URL", "postgresql:///signpost?host=/env", 1);
	assert_int_equal(config_load_env(&f->c, f->err, sizeof(f->err)), 0);
	assert_string_equal(f->c.database_url,
	    "postgresql:///signpost?host=/env");
}

static void
test_empty_database_url_env_keeps_file_value(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(load(f, "database_url = host=/file dbname=a\n"), 0);
	setenv("DATABASE_URL", "", 1);
	assert_int_equal(config_load_env(&f->c, f->err, sizeof(f->err)), 0);
	assert_string_equal(f->c.database_url, "host=/file dbname=a");
}

static void
test_env_without_settings_changes_nothing(void **state)
{
	struct fixture	*f = *state;
	struct config	 before;

	before = f->c;
	assert_int_equal(config_load_env(&f->c, f->err, sizeof(f->err)), 0);
	assert_memory_equal(&before, &f->c, sizeof(before));
}

static void
test_config_set_unknown_key(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(config_set(&f->c, "nope", "1", f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "\"nope\""));
	assert_int_equal(config_set(&f->c, "connection_timeout", "3", f->err,
	    sizeof(f->err)), 0);
	assert_int_equal(f->c.connection_timeout, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_defaults_are_safe),
		T(test_shipped_config_file_loads),
		T(test_good_file_sets_every_type),
		T(test_empty_string_value_is_allowed),
		T(test_unknown_key_names_file_line_and_key),
		T(test_bad_number_names_key_range_and_value),
		T(test_number_with_junk_or_out_of_range_is_rejected),
		T(test_bad_bool_says_yes_or_no),
		T(test_line_without_equals_is_an_error),
		T(test_too_long_string_is_an_error_not_a_truncation),
		T(test_overlong_line_is_an_error),
		T(test_missing_file_names_it),
		T(test_env_overrides_file),
		T(test_env_bad_value_names_the_variable),
		T(test_database_url_env_overrides_file),
		T(test_empty_database_url_env_keeps_file_value),
		T(test_env_without_settings_changes_nothing),
		T(test_config_set_unknown_key),
	};

	return (RUN_UNIT_TESTS("config", tests));
}
