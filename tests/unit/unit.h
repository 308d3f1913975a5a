/*
 * Unit test runner: runs one cmocka group and prints the plain
 * "N passed, M failed" line scripts/run-unit adds up.  A group whose
 * setup fails runs nothing, so every test in it counts as failed.
 * Header-only; include it once per test program, after <cmocka.h>.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>

static CMFixtureFunction	unit_setup_fn;
static int			unit_setup_failed;

static int
unit_setup(void **state)
{
	if (unit_setup_fn(state) != 0) {
		unit_setup_failed = 1;
		return (-1);
	}
	return (0);
}

static int
unit_run(const char *name, const struct CMUnitTest *t, size_t n,
    CMFixtureFunction setup, CMFixtureFunction teardown)
{
	int	failed;

	unit_setup_fn = setup;
	failed = _cmocka_run_group_tests(name, t, n,
	    setup != NULL ? unit_setup : NULL, teardown);
	if (unit_setup_failed || failed < 0 || (size_t)failed > n)
		failed = (int)n;
	fflush(stderr);
	printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
	return (failed == 0 ? 0 : 1);
}

/* The exit status of main(): 0 when every test passed. */
#define RUN_UNIT_TESTS(name, t)						\
	unit_run(name, t, sizeof(t) / sizeof((t)[0]), NULL, NULL)
#define RUN_UNIT_TESTS_SETUP(name, t, setup, teardown)			\
	unit_run(name, t, sizeof(t) / sizeof((t)[0]), setup, teardown)

#endif
