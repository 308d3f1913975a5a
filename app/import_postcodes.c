/*
 * The Code-Point Open import.  See import_postcodes.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "buf.h"
#include "db.h"
#include "geo.h"
#include "import_postcodes.h"
#include "log.h"
#include "postcode.h"

static const struct db_stmt stmts[] = {
	{ "postcode_stage_rows",
	  "SELECT postcode, pqi, easting, northing, country, health_board,"
	  " council_area, ward FROM postcode_stage" },
	{ "postcode_district_rows",
	  "SELECT outward, easting, northing FROM postcode_district" },
	/*
	 * One statement for all rows: every statement on the table bumps
	 * directory_version (sql/008), one a row would bump it hundreds of
	 * times.
	 */
	{ "postcode_district_set_latlon",
	  "UPDATE postcode_district d"
	  " SET latitude = v.lat, longitude = v.lon"
	  " FROM unnest($1::text[], $2::float8[], $3::float8[])"
	  " AS v(outward, lat, lon)"
	  " WHERE d.outward = v.outward" },
	{ "postcode_sector_rows_unplaced",
	  "SELECT sector, easting, northing FROM postcode_sector"
	  " WHERE latitude IS NULL" },
	/*
	 * Only rows still without: a concurrent import may have replaced
	 * them, with positions of its own, since they were read.
	 */
	{ "postcode_sector_set_latlon",
	  "UPDATE postcode_sector s"
	  " SET latitude = v.lat, longitude = v.lon"
	  " FROM unnest($1::text[], $2::float8[], $3::float8[])"
	  " AS v(sector, lat, lon)"
	  " WHERE s.sector = v.sector AND s.latitude IS NULL" },
	{ "postcode_count",
	  "SELECT count(*) FROM postcode" },
};

void
import_postcodes_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/*
 * Import.  PostgreSQL parses the CSV (COPY into a staging table); this
 * code normalises postcodes, converts grid references to WGS84 with PROJ,
 * and COPYs the result into postcode, replacing the old rows in one
 * transaction so a failed import leaves the previous data untouched.
 */

struct import_stats {
	long	read;
	long	loaded;
	long	no_coords;	/* positional quality 90 */
	long	rejected;
};

static int
stage_file(const char *path, char *err, size_t errlen)
{
	gzFile	 f;
	char	 chunk[65536], first[16];
	int	 n, header = -1;

	if ((f = gzopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (db_script("CREATE TEMP TABLE postcode_stage (postcode text, "
	    "pqi text, easting text, northing text, country text, "
	    "nhs_region text, health_board text, county text, "
	    "council_area text, ward text)", NULL) != DB_OK)
		goto dberr;
	while ((n = gzread(f, chunk, sizeof(chunk))) > 0) {
		if (header == -1) {
			/* OS ships no header line; copies may add one. */
			snprintf(first, sizeof(first), "%.*s", n, chunk);
			header = strncasecmp(first, "Postcode,", 9) == 0 ||
			    strncasecmp(first, "\"Postcode\"", 10) == 0;
			if (db_copy_begin(header ?
			    "COPY postcode_stage FROM STDIN (FORMAT csv, "
			    "HEADER true)" :
			    "COPY postcode_stage FROM STDIN (FORMAT csv)") !=
			    DB_OK)
				goto dberr;
		}
		if (db_copy_put(chunk, (size_t)n) != DB_OK)
			goto dberr;
	}
	if (n < 0) {
		int	 e;

		snprintf(err, errlen, "%s: %s", path, gzerror(f, &e));
		(void)db_copy_end();
		gzclose(f);
		return (-1);
	}
	gzclose(f);
	if (header == -1) {
		snprintf(err, errlen, "%s: the file is empty", path);
		return (-1);
	}
	if (db_copy_end() != DB_OK) {
		snprintf(err, errlen, "%s is not Code-Point Open CSV (10 "
		    "columns): %s", path, db_errmsg());
		return (-1);
	}
	return (0);
dberr:
	gzclose(f);
	snprintf(err, errlen, "%s", db_errmsg());
	return (-1);
}

static void
copy_text(struct buf *b, const char *v)
{
	/* Area codes are checked against ^[A-Z][0-9]{8}$ by the table. */
	if (v == NULL || *v == '\0')
		buf_puts(b, "\\N");
	else
		for (; *v != '\0'; v++)
			if (*v != '\t' && *v != '\n' && *v != '\\' &&
			    *v != '\r')
				buf_append(b, v, 1);
}

static int
convert_rows(struct buf *out, struct import_stats *s, char *err,
    size_t errlen)
{
	struct db_result	*r = NULL;
	char			 canon[POSTCODE_MAX];
	const char		*pc;
	long long		 pqi;
	double			 e, n, lat, lon;
	int			 i, rows;

	if (db_exec("postcode_stage_rows", 0, NULL, &r) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		return (-1);
	}
	rows = db_rows(r);
	for (i = 0; i < rows; i++) {
		s->read++;
		pc = db_value(r, i, 0);
		if (str_to_ll(db_value(r, i, 1), 0, 100, &pqi) == 0 &&
		    pqi == 90) {
			s->no_coords++;
			continue;
		}
		if (pc == NULL || postcode_parse(pc, canon, sizeof(canon)) !=
		    POSTCODE_FULL ||
		    (pqi != 10 && pqi != 20 && pqi != 30 && pqi != 40 &&
		    pqi != 50 && pqi != 60) ||
		    str_to_double(db_value(r, i, 2), 1, 1e7, &e) == -1 ||
		    str_to_double(db_value(r, i, 3), 1, 1e7, &n) == -1 ||
		    geo_to_wgs84(e, n, &lat, &lon) == -1) {
			if (s->rejected++ < 5)
				log_warn("import-postcodes: skipping row %d "
				    "(%s): not a valid postcode row", i + 1,
				    pc != NULL ? pc : "no postcode");
			continue;
		}
		buf_printf(out, "%s\t%.*s\t%lld\t%.0f\t%.0f\t%.7f\t%.7f\t"
		    "(%.0f,%.0f)\t", canon, (int)strcspn(canon, " "), canon,
		    pqi, e, n, lat, lon, e, n);
		copy_text(out, db_value(r, i, 4));
		buf_puts(out, "\t");
		copy_text(out, db_value(r, i, 5));
		buf_puts(out, "\t");
		copy_text(out, db_value(r, i, 6));
		buf_puts(out, "\t");
		copy_text(out, db_value(r, i, 7));
		buf_puts(out, "\n");
		s->loaded++;
	}
	db_free(r);
	if (out->oom) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	return (0);
}

/* An element of an array literal, quoted whatever it holds. */
static void
array_elem(struct buf *b, int first, const char *v)
{
	buf_puts(b, first ? "\"" : ",\"");
	for (; *v != '\0'; v++) {
		if (*v == '"' || *v == '\\')
			buf_puts(b, "\\");
		buf_append(b, v, 1);
	}
	buf_puts(b, "\"");
}

/*
 * District and sector centroids: the mean grid position, converted by
 * PROJ.  rows gives (key, easting, northing); set takes the keys, the
 * latitudes and the longitudes as three arrays.  Sets *done to the number
 * of rows converted.
 */
static int
centroid_latlon(const char *rows, const char *set, long *done, char *err,
    size_t errlen)
{
	struct db_result	*r = NULL;
	struct buf		 keys, lats, lons;
	const char		*p[3];
	double			 e, n, lat, lon;
	int			 i, rc = -1;

	*done = 0;
	buf_init(&keys);
	buf_init(&lats);
	buf_init(&lons);
	if (db_exec(rows, 0, NULL, &r) != DB_OK)
		goto dberr;
	buf_puts(&keys, "{");
	buf_puts(&lats, "{");
	buf_puts(&lons, "{");
	for (i = 0; i < db_rows(r); i++) {
		if (db_value(r, i, 0) == NULL ||
		    str_to_double(db_value(r, i, 1), 0, 1e7, &e) == -1 ||
		    str_to_double(db_value(r, i, 2), 0, 1e7, &n) == -1 ||
		    geo_to_wgs84(e, n, &lat, &lon) == -1) {
			snprintf(err, errlen, "%s: cannot convert the centroid "
			    "of %s", rows, db_value(r, i, 0) != NULL ?
			    db_value(r, i, 0) : "a row without a key");
			goto out;
		}
		array_elem(&keys, i == 0, db_value(r, i, 0));
		buf_printf(&lats, "%s%.7f", i > 0 ? "," : "", lat);
		buf_printf(&lons, "%s%.7f", i > 0 ? "," : "", lon);
	}
	buf_puts(&keys, "}");
	buf_puts(&lats, "}");
	buf_puts(&lons, "}");
	if (keys.oom || lats.oom || lons.oom) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (db_rows(r) > 0) {
		p[0] = buf_cstr(&keys);
		p[1] = buf_cstr(&lats);
		p[2] = buf_cstr(&lons);
		if (db_exec(set, 3, p, NULL) != DB_OK)
			goto dberr;
	}
	*done = db_rows(r);
	rc = 0;
	goto out;
dberr:
	snprintf(err, errlen, "%s", db_errmsg());
out:
	db_free(r);
	buf_free(&keys);
	buf_free(&lats);
	buf_free(&lons);
	return (rc);
}

/*
 * Sectors made by sql/010 from postcodes loaded before it, or by any
 * postcode_sector_refresh() not followed by the import's own conversion,
 * have no latitude/longitude: PROJ gives them theirs.  Returns the number
 * of sectors filled, or -1.
 */
int
import_postcodes_fill_latlon(char *err, size_t errlen)
{
	long	n;

	if (centroid_latlon("postcode_sector_rows_unplaced",
	    "postcode_sector_set_latlon", &n, err, errlen) == -1)
		return (-1);
	return ((int)n);
}

int
import_postcodes(const char *path, char *err, size_t errlen)
{
	struct import_stats	 s;
	struct buf		 rows;
	long			 districts = 0, sectors = 0;
	int			 rc = -1;

	memset(&s, 0, sizeof(s));
	buf_init(&rows);
	if (db_tx_begin() != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		return (-1);
	}
	if (stage_file(path, err, errlen) == -1 ||
	    convert_rows(&rows, &s, err, errlen) == -1)
		goto out;
	if (s.loaded == 0) {
		snprintf(err, errlen, "%s: no postcode rows with coordinates; "
		    "nothing changed", path);
		goto out;
	}
	if (db_script("DELETE FROM postcode", NULL) != DB_OK ||
	    db_copy_begin("COPY postcode (postcode, outward, "
	    "positional_quality, easting, northing, latitude, longitude, "
	    "grid, country_code, health_board_code, council_area_code, "
	    "ward_code) FROM STDIN") != DB_OK ||
	    db_copy_put(rows.data, rows.len) != DB_OK ||
	    db_copy_end() != DB_OK ||
	    db_script("SELECT postcode_district_refresh()", NULL) != DB_OK ||
	    db_script("SELECT postcode_sector_refresh()", NULL) != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto out;
	}
	if (centroid_latlon("postcode_district_rows",
	    "postcode_district_set_latlon", &districts, err, errlen) == -1 ||
	    centroid_latlon("postcode_sector_rows_unplaced",
	    "postcode_sector_set_latlon", &sectors, err, errlen) == -1)
		goto out;
	if (db_tx_commit() != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg());
		goto out;
	}
	log_info("import-postcodes: %ld rows read, %ld loaded, %ld without "
	    "coordinates skipped (positional quality 90), %ld rejected; "
	    "%ld districts, %ld sectors", s.read, s.loaded, s.no_coords,
	    s.rejected, districts, sectors);
	rc = 0;
out:
	if (rc == -1)
		db_tx_rollback();
	buf_free(&rows);
	return (rc);
}
