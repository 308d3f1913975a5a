/* GP practice import: see import_practices.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "db.h"
#include "import_practices.h"

enum practice_format {
	FORMAT_UNKNOWN,
	FORMAT_ODS,		/* scotprac.csv: organisation_code,... */
	FORMAT_TEMPLATE		/* code,name,address,postcode */
};

static enum practice_format
detect(const char *first)
{
	if (strncasecmp(first, "organisation_code,", 18) == 0)
		return (FORMAT_ODS);
	if (strncasecmp(first, "code,name,address,postcode", 26) == 0 ||
	    strncasecmp(first, "practice_code,name,address,postcode",
	    35) == 0)
		return (FORMAT_TEMPLATE);
	return (FORMAT_UNKNOWN);
}

/*
 * The staged rows are numbered in file order (bigserial, filled by COPY
 * row by row), so a row's line is its number plus the header's line.
 */
static int
stage(gzFile f, const char *path, char *err, size_t errlen)
{
	enum practice_format	 fmt = FORMAT_UNKNOWN;
	char			 chunk[65536], first[64];
	int			 n, started = 0;

	if (db_script("CREATE TEMP TABLE practice_stage (n bigserial, "
	    "code text, name text, address text, postcode text, closed text, "
	    "ptype text) ON COMMIT DROP", NULL) != DB_OK)
		goto dberr;
	while ((n = gzread(f, chunk, sizeof(chunk))) > 0) {
		if (!started) {
			snprintf(first, sizeof(first), "%.*s", n, chunk);
			/* A byte-order mark from spreadsheet exports. */
			fmt = detect(strncmp(first, "\xef\xbb\xbf", 3) == 0 ?
			    first + 3 : first);
			if (fmt == FORMAT_UNKNOWN) {
				snprintf(err, errlen, "%s: the first line must "
				    "be the header \"code,name,address,"
				    "postcode\" or an NHS ODS practice list's "
				    "(\"organisation_code,name,address1,...\")",
				    path);
				return (-1);
			}
			if (fmt == FORMAT_ODS && (db_script("CREATE TEMP "
			    "TABLE practice_ods (n bigserial, "
			    "organisation_code text, name text, address1 text, "
			    "address2 text, address3 text, city text, "
			    "county text, postcode text, opendate text, "
			    "closedate text, telephone text, "
			    "practice_type text) ON COMMIT DROP", NULL) !=
			    DB_OK || db_copy_begin("COPY practice_ods "
			    "(organisation_code, name, address1, address2, "
			    "address3, city, county, postcode, opendate, "
			    "closedate, telephone, practice_type) FROM STDIN "
			    "(FORMAT csv, HEADER true)") != DB_OK))
				goto dberr;
			if (fmt == FORMAT_TEMPLATE && db_copy_begin("COPY "
			    "practice_stage (code, name, address, postcode) "
			    "FROM STDIN (FORMAT csv, HEADER true)") != DB_OK)
				goto dberr;
			started = 1;
		}
		if (db_copy_put(chunk, (size_t)n) != DB_OK)
			goto dberr;
	}
	if (n < 0) {
		int	 e;

		snprintf(err, errlen, "%s: %s", path, gzerror(f, &e));
		if (started)
			(void)db_copy_end();
		return (-1);
	}
	if (!started) {
		snprintf(err, errlen, "%s: the file is empty", path);
		return (-1);
	}
	if (db_copy_end() != DB_OK) {
		snprintf(err, errlen, "%s: %s", path, db_errmsg());
		return (-1);
	}
	if (fmt == FORMAT_ODS && db_script("INSERT INTO practice_stage (n, "
	    "code, name, address, postcode, closed, ptype) SELECT n, "
	    "organisation_code, name, concat_ws(', ', nullif(btrim(address1), "
	    "''), nullif(btrim(address2), ''), nullif(btrim(address3), ''), "
	    "nullif(btrim(city), '')), postcode, closedate, practice_type "
	    "FROM practice_ods", NULL) != DB_OK)
		goto dberr;
	return (0);
dberr:
	snprintf(err, errlen, "%s", db_errmsg());
	return (-1);
}

int
import_practices(const char *path, FILE *report, char *err, size_t errlen)
{
	struct db_result	*r = NULL;
	gzFile			 f;
	const char		*o;
	long			 added = 0, updated = 0, unchanged = 0;
	long			 removed = 0, skipped = 0;
	int			 i, rc = -1;

	if ((f = gzopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (db_tx_begin() != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto out;
	}
	if (stage(f, path, err, errlen) == -1)
		goto out;
	if (db_script("SELECT line, code, outcome, detail FROM "
	    "practice_import()", &r) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto out;
	}
	for (i = 0; i < db_rows(r); i++) {
		o = db_text(r, i, 2);
		if (strcmp(o, "added") == 0)
			added++;
		else if (strcmp(o, "updated") == 0)
			updated++;
		else if (strcmp(o, "unchanged") == 0)
			unchanged++;
		else {
			if (strcmp(db_text(r, i, 3), "removed") == 0)
				removed++;
			else
				skipped++;
			fprintf(report, "%s: line %s: %s %s: %s\n", path,
			    db_text(r, i, 0), db_text(r, i, 1), o,
			    db_text(r, i, 3));
		}
	}
	if (added + updated + unchanged == 0 && removed == 0) {
		snprintf(err, errlen, "%s: no practice could be imported; "
		    "nothing changed", path);
		goto out;
	}
	if (db_tx_commit() != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto out;
	}
	fprintf(report, "import practices: %d lines read; %ld added, %ld "
	    "updated, %ld unchanged, %ld closed and removed, %ld not "
	    "imported (each reported above by line)\n", db_rows(r), added,
	    updated, unchanged, removed, skipped);
	rc = 0;
out:
	if (rc == -1 && db_in_tx())
		db_tx_rollback();
	db_free(r);
	gzclose(f);
	return (rc);
}
