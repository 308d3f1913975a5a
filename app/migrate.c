/*
 * Schema migrations.  Files are named NNN_words.sql and applied in name
 * order; a file is never edited once applied anywhere, so a new change is
 * always a new file.  Functions are the exception: sql/functions/ holds
 * the one current definition of each (CREATE OR REPLACE), applied after
 * the migrations on every run, so a change to a function is an edit of
 * its file, not a copy of it in a new migration.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "log.h"
#include "migrate.h"

static const struct db_stmt stmts[] = {
	{ "migrate_is_applied",
	  "SELECT 1 FROM schema_migrations WHERE version = $1" },
	{ "migrate_record",
	  "INSERT INTO schema_migrations (version) VALUES ($1)" },
};

void
migrate_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/* 1 when a file name matches the extended regular expression. */
static int
name_matches(const char *name, const char *pattern)
{
	regex_t	re;
	int	ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return (0);
	ok = regexec(&re, name, 0, NULL, 0) == 0;
	regfree(&re);
	return (ok);
}

static int
is_migration(const struct dirent *d)
{
	return (name_matches(d->d_name, "^[0-9]{3}_[a-z0-9_]+\\.sql$"));
}

static int
apply(const char *dir, const char *name, char *err, size_t errlen)
{
	struct buf		 sql;
	struct db_result	*r = NULL;
	char			 path[4096], version[256];
	const char		*p[1];
	int			 rc = -1;

	buf_init(&sql);
	snprintf(version, sizeof(version), "%.*s",
	    (int)(strlen(name) - 4), name);
	p[0] = version;
	if (db_exec("migrate_is_applied", 1, p, &r) != DB_OK) {
		snprintf(err, errlen, "%s: %s", name, db_errmsg());
		goto out;
	}
	if (db_rows(r) > 0) {
		rc = 0;
		goto out;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		snprintf(err, errlen, "%s: path too long", name);
		goto out;
	}
	if (buf_append_file(&sql, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (db_tx_begin() != DB_OK)
		goto dberr;
	if (db_script(buf_cstr(&sql), NULL) != DB_OK ||
	    db_exec("migrate_record", 1, p, NULL) != DB_OK) {
		snprintf(err, errlen, "%s: %s", name, db_errmsg());
		db_tx_rollback();
		goto out;
	}
	if (db_tx_commit() != DB_OK)
		goto dberr;
	log_info("migrate: applied %s", name);
	rc = 1;
	goto out;
dberr:
	snprintf(err, errlen, "%s: %s", name, db_errmsg());
out:
	db_free(r);
	buf_free(&sql);
	return (rc);
}

static int
is_function_file(const struct dirent *d)
{
	return (name_matches(d->d_name, "^[a-z0-9_]+\\.sql$"));
}

/*
 * Every file in dir/functions, in one transaction: they change together.
 * Bodies are checked when called, not when made, so that files may
 * refer to each other in any order (as pg_restore does it).
 */
static int
apply_functions(const char *dir, char *err, size_t errlen)
{
	struct dirent	**list = NULL;
	struct buf	  sql;
	char		  fdir[4096], path[4096];
	int		  n, i, rc = -1;

	buf_init(&sql);
	if ((size_t)snprintf(fdir, sizeof(fdir), "%s/functions", dir) >=
	    sizeof(fdir)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return (-1);
	}
	if ((n = scandir(fdir, &list, is_function_file, alphasort)) == -1) {
		snprintf(err, errlen, "%s: %s", fdir, strerror(errno));
		return (-1);
	}
	buf_puts(&sql, "SET LOCAL check_function_bodies = off;\n");
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", fdir,
		    list[i]->d_name) >= sizeof(path) ||
		    buf_append_file(&sql, path) == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto out;
		}
		buf_puts(&sql, "\n");
	}
	if (sql.oom) {
		snprintf(err, errlen, "%s: out of memory", fdir);
		goto out;
	}
	if (db_tx_begin() != DB_OK)
		goto dberr;
	if (db_script(buf_cstr(&sql), NULL) != DB_OK) {
		snprintf(err, errlen, "%s: %s", fdir, db_errmsg());
		db_tx_rollback();
		goto out;
	}
	if (db_tx_commit() != DB_OK)
		goto dberr;
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "%s: %s", fdir, db_errmsg());
out:
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	buf_free(&sql);
	return (rc);
}

int
migrate_run(const char *dir, int *applied, char *err, size_t errlen)
{
	struct dirent	**list = NULL;
	int		  n, i, r, rc = -1;

	*applied = 0;
	if (db_script("CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version text PRIMARY KEY, "
	    "applied_at timestamptz NOT NULL DEFAULT now())", NULL) != DB_OK ||
	    db_script("SELECT pg_advisory_lock(7270001)", NULL) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		return (-1);
	}
	if ((n = scandir(dir, &list, is_migration, alphasort)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((r = apply(dir, list[i]->d_name, err, errlen)) == -1)
			goto out;
		*applied += r;
	}
	if (apply_functions(dir, err, errlen) == -1)
		goto out;
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	(void)db_script("SELECT pg_advisory_unlock(7270001)", NULL);
	return (rc);
}
