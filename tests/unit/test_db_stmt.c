/*
 * Unit tests for db_stmt_sql: `signpost sql NAME` and scripts/bench build
 * the pgbench script from it, so it must give the registered text itself
 * and nothing for a name that was never registered.  No connection.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "unit.h"

static const struct db_stmt	stmts[] = {
	{ "test_stmt_one", "SELECT $1::int + 1" },
	{ "test_stmt_two", "SELECT 'two' WHERE $1 IS NOT NULL" },
};

static int
setup(void **state)
{
	static int	registered;

	(void)state;
	if (!registered) {
		db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
		registered = 1;
	}
	return (0);
}

static void
test_stmt_sql_returns_the_registered_text(void **state)
{
	(void)state;
	/* The same pointer: nothing copied, nothing reformatted. */
	assert_ptr_equal(db_stmt_sql("test_stmt_one"), stmts[0].sql);
	assert_ptr_equal(db_stmt_sql("test_stmt_two"), stmts[1].sql);
}

static void
test_stmt_sql_unknown_name_is_null(void **state)
{
	(void)state;
	assert_null(db_stmt_sql("test_stmt_three"));
	assert_null(db_stmt_sql(""));
	/* A prefix of a registered name is not that name. */
	assert_null(db_stmt_sql("test_stmt"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
		    test_stmt_sql_returns_the_registered_text, setup),
		cmocka_unit_test_setup(test_stmt_sql_unknown_name_is_null,
		    setup),
	};

	return (RUN_UNIT_TESTS("db_stmt", tests));
}
