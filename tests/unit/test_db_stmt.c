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
	/* Reads whose column names hold a writing keyword. */
	{ "test_read_cols", "SELECT updated_at, deleted, last_insert_id "
	  "FROM t WHERE truncated IS NULL" },
	{ "test_read_with", "\n\tWITH a AS (SELECT 1) SELECT * FROM a" },
	{ "test_write_update", "UPDATE t SET x = 1" },
	{ "test_write_cte", "WITH d AS (DELETE FROM t RETURNING id) "
	  "SELECT count(*) FROM d" },
	{ "test_write_seq", "SELECT nextval('s')" },
	{ "test_write_fn", "SELECT listing_apply($1, $2)" },
	{ "test_write_marker", "/*writes*/ SELECT session_touch($1)" },
	{ "test_write_notify", "SELECT pg_notify('c', 'x')" },
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

/*
 * What may go to a standby: a write sent there fails, and a write
 * re-sent after a lost reply may run twice.  Keywords are whole words.
 */
static void
test_stmt_reads_only_by_whole_words(void **state)
{
	(void)state;
	assert_int_equal(db_stmt_reads_only("test_stmt_one"), 1);
	assert_int_equal(db_stmt_reads_only("test_read_cols"), 1);
	assert_int_equal(db_stmt_reads_only("test_read_with"), 1);
	assert_int_equal(db_stmt_reads_only("test_write_update"), 0);
	assert_int_equal(db_stmt_reads_only("test_write_cte"), 0);
	assert_int_equal(db_stmt_reads_only("test_write_seq"), 0);
	assert_int_equal(db_stmt_reads_only("test_write_fn"), 0);
	assert_int_equal(db_stmt_reads_only("test_write_marker"), 0);
	assert_int_equal(db_stmt_reads_only("test_write_notify"), 0);
	assert_int_equal(db_stmt_reads_only("no_such_stmt"), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(
		    test_stmt_sql_returns_the_registered_text, setup),
		cmocka_unit_test_setup(test_stmt_sql_unknown_name_is_null,
		    setup),
		cmocka_unit_test_setup(test_stmt_reads_only_by_whole_words,
		    setup),
	};

	return (RUN_UNIT_TESTS("db_stmt", tests));
}
