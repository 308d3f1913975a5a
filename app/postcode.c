/*
 * postcode: UK postcode parsing, then (further down) look-up of postcode,
 * sector and district centroids, the Code-Point Open import and
 * /api/postcodes.
 */
#include <stddef.h>
#include <string.h>

#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <zlib.h>

#include "buf.h"
#include "db.h"
#include "geo.h"
#include "http.h"
#include "log.h"
#include "postcode.h"
#include "reply.h"

/*
 * The format rules are those of Wikipedia, "Postcodes in the United
 * Kingdom", section "Validation", which restates the Royal Mail rules
 * behind the UK Government Data Standards Catalogue "Postcode" standard
 * (BS 7666):
 *
 *	outward	A9 A99 AA9 AA99 A9A AA9A, inward 9AA
 *	- Q V X are not used in the first position;
 *	- I J Z are not used in the second position;
 *	- the third position of A9A is one of A B C D E F G H J K P S T U W;
 *	- the fourth position of AA9A is one of A B E H M N P R V W X Y;
 *	- the two inward letters never use C I K M O V.
 *
 * Deliberately not checked: which areas have single-, double-digit or zero
 * districts (a fact about the data, and look-up answers that), BFPO and
 * overseas-territory codes (ASCN 1ZZ, ...), which are not geographic.
 * "GIR 0AA" (Girobank) is accepted as a full postcode because the Data
 * Standards Catalogue pattern accepts it; "GIR" alone is not a district.
 *
 * Input: ASCII letters in any case, digits, and ASCII white space anywhere
 * (users type "g128qq", "G12  8QQ", "G 12 8QQ", paste tabs and newlines);
 * white space is dropped and the last three characters are the inward code.
 * Anything else -- punctuation such as "G12-8QQ", control characters, any
 * byte >= 0x80 (including a pasted U+00A0 no-break space) -- is rejected
 * rather than guessed at.
 *
 * Shorter input is a district ("G12") or a sector, the district and the
 * inward code's digit ("G12 8").  "G11" could be either district G11 or
 * sector G1 1, and only the space tells them apart, so white space counts
 * here: a last word of one digit after an outward code is a sector ("G1 1",
 * "EH1  2"); without white space a valid outward code is a district
 * ("G11"), and only what is not one may be an outward code and a digit
 * ("G111" is G11 1).  With white space elsewhere, what compacts to an
 * outward code is still a district ("g 12"), but nothing is re-split into a
 * sector ("G1 28" is not G12 8): that would move the search somewhere the
 * person did not say.
 */

#define TRIMMED_MAX	16	/* input bytes, leading/trailing space aside */
#define COMPACT_MAX	7	/* "EC1A1BB" */
#define INWARD_LEN	3

#define FIRST_LETTERS	"ABCDEFGHIJKLMNOPRSTUWYZ"	/* not Q V X */
#define SECOND_LETTERS	"ABCDEFGHKLMNOPQRSTUVWXY"	/* not I J Z */
#define THIRD_LETTERS	"ABCDEFGHJKPSTUW"		/* A9A */
#define FOURTH_LETTERS	"ABEHMNPRVWXY"			/* AA9A */
#define INWARD_LETTERS	"ABDEFGHJLNPQRSTUWXYZ"		/* not C I K M O V */

/* Our own ASCII tests: <ctype.h> depends on the locale. */
static int
is_space(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

static int
in_set(int c, const char *set)
{
	/* strchr() would find the terminating NUL of set. */
	return (c != '\0' && strchr(set, c) != NULL);
}

/*
 * Copy in to s without white space, upper-cased, and set *len; *last is
 * where in s the last word starts, 0 when there is no white space between
 * words.  Fails on any byte that is not an ASCII letter, digit or space, on
 * more than COMPACT_MAX characters, and when the input less leading and
 * trailing white space is longer than TRIMMED_MAX bytes.
 */
static int
compact(const char *in, char s[COMPACT_MAX + 1], size_t *len, size_t *last)
{
	const unsigned char	*p, *first;
	unsigned char		 c;
	size_t			 n;
	int			 gap = 0;

	first = NULL;
	n = 0;
	*last = 0;
	for (p = (const unsigned char *)in; *p != '\0'; p++) {
		c = *p;
		if (is_space(c)) {
			gap = 1;
			continue;
		}
		if (first == NULL)
			first = p;
		else if ((size_t)(p - first) >= TRIMMED_MAX)
			return (-1);
		if (gap && n > 0)
			*last = n;
		gap = 0;
		if (c >= 'a' && c <= 'z')
			c = c - 'a' + 'A';
		if (!(c >= 'A' && c <= 'Z') && !is_digit(c))
			return (-1);
		if (n == COMPACT_MAX)
			return (-1);
		s[n++] = (char)c;
	}
	s[n] = '\0';
	*len = n;
	return (0);
}

/* The first len bytes of s (upper case, no spaces) are an outward code. */
static int
outward_ok(const char *s, size_t len)
{
	if (len < 2 || len > 4 || !in_set(s[0], FIRST_LETTERS))
		return (0);
	if (is_digit(s[1])) {
		/* A9, A99, A9A */
		if (len == 2)
			return (1);
		if (len == 3)
			return (is_digit(s[2]) || in_set(s[2], THIRD_LETTERS));
		return (0);
	}
	/* AA9, AA99, AA9A */
	if (!in_set(s[1], SECOND_LETTERS) || len < 3 || !is_digit(s[2]))
		return (0);
	if (len == 3)
		return (1);
	return (is_digit(s[3]) || in_set(s[3], FOURTH_LETTERS));
}

static int
inward_ok(const char *s)
{
	return (is_digit(s[0]) && in_set(s[1], INWARD_LETTERS) &&
	    in_set(s[2], INWARD_LETTERS));
}

/* s is an outward code and one digit. */
static int
sector_ok(const char *s, size_t len)
{
	return (len >= 3 && is_digit(s[len - 1]) && outward_ok(s, len - 1));
}

enum postcode_kind
postcode_parse(const char *in, char *out, size_t outlen)
{
	char	 s[COMPACT_MAX + 1];
	size_t	 n, m, last;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (in == NULL || out == NULL || outlen < POSTCODE_MAX)
		return (POSTCODE_INVALID);
	if (compact(in, s, &n, &last) == -1)
		return (POSTCODE_INVALID);

	/*
	 * Full postcodes end in two letters, sectors in a digit: a string
	 * is never both.  A full postcode is at least 5 characters.
	 */
	if (n > 4 && (strcmp(s, "GIR0AA") == 0 ||
	    (outward_ok(s, n - INWARD_LEN) && inward_ok(s + n - INWARD_LEN)))) {
		m = n - INWARD_LEN;
		memcpy(out, s, m);
		out[m] = ' ';
		memcpy(out + m + 1, s + m, INWARD_LEN + 1);
		return (POSTCODE_FULL);
	}
	/* The order matters: see the comment at the top. */
	if ((last > 0 && last == n - 1 && sector_ok(s, n)) ||
	    (last == 0 && !outward_ok(s, n) && sector_ok(s, n))) {
		memcpy(out, s, n - 1);
		out[n - 1] = ' ';
		out[n] = s[n - 1];
		out[n + 1] = '\0';
		return (POSTCODE_SECTOR);
	}
	if (!outward_ok(s, n))
		return (POSTCODE_INVALID);
	memcpy(out, s, n + 1);
	return (POSTCODE_OUTWARD);
}

const char *
postcode_kind_label(enum postcode_kind kind)
{
	switch (kind) {
	case POSTCODE_FULL:
		return ("postcode");
	case POSTCODE_SECTOR:
		return ("postcode sector");
	case POSTCODE_OUTWARD:
		return ("postcode district");
	case POSTCODE_INVALID:
		break;
	}
	return ("");
}

const char *
postcode_kind_name(enum postcode_kind kind)
{
	switch (kind) {
	case POSTCODE_FULL:
		return ("postcode");
	case POSTCODE_SECTOR:
		return ("sector");
	case POSTCODE_OUTWARD:
		return ("district");
	case POSTCODE_INVALID:
		break;
	}
	return ("invalid");
}

/*
 * Look-up.  Area names come from the area table; codes with no name there
 * (a few English ones near the border) are given as the code alone.
 */
static const struct db_stmt stmts[] = {
	{ "postcode_get",
	  "SELECT p.postcode, p.latitude, p.longitude, p.easting, p.northing,"
	  " p.council_area_code, ca.name, p.health_board_code, hb.name,"
	  " p.ward_code, w.name"
	  " FROM postcode p"
	  " LEFT JOIN area ca ON ca.code = p.council_area_code"
	  " LEFT JOIN area hb ON hb.code = p.health_board_code"
	  " LEFT JOIN area w ON w.code = p.ward_code"
	  " WHERE p.postcode = $1" },
	{ "postcode_district_get",
	  "SELECT d.outward, d.latitude, d.longitude, round(d.easting),"
	  " round(d.northing),"
	  " d.council_area_code, ca.name, d.health_board_code, hb.name,"
	  " NULL, NULL"
	  " FROM postcode_district d"
	  " LEFT JOIN area ca ON ca.code = d.council_area_code"
	  " LEFT JOIN area hb ON hb.code = d.health_board_code"
	  " WHERE d.outward = $1" },
	{ "postcode_sector_get",
	  "SELECT s.sector, s.latitude, s.longitude, round(s.easting),"
	  " round(s.northing),"
	  " s.council_area_code, ca.name, s.health_board_code, hb.name,"
	  " NULL, NULL"
	  " FROM postcode_sector s"
	  " LEFT JOIN area ca ON ca.code = s.council_area_code"
	  " LEFT JOIN area hb ON hb.code = s.health_board_code"
	  " WHERE s.sector = $1" },
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
postcode_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static void
copy_field(char *dst, size_t len, const struct db_result *r, int col)
{
	const char	*v = db_value(r, 0, col);

	if (v == NULL || str_copy(dst, len, v) == -1)
		dst[0] = '\0';
}

enum postcode_lookup
postcode_lookup(const char *input, struct postcode_info *out)
{
	struct db_result	*r = NULL;
	char			 canon[POSTCODE_MAX];
	const char		*p[1];
	enum postcode_kind	 kind;
	enum postcode_lookup	 rc;
	enum db_status		 st;

	memset(out, 0, sizeof(*out));
	if ((kind = postcode_parse(input, canon, sizeof(canon))) ==
	    POSTCODE_INVALID)
		return (POSTCODE_MALFORMED);
	/* Fits: both are POSTCODE_MAX. */
	memcpy(out->postcode, canon, sizeof(out->postcode));
	out->kind = kind;
	p[0] = canon;
	st = db_exec(kind == POSTCODE_FULL ? "postcode_get" :
	    kind == POSTCODE_SECTOR ? "postcode_sector_get" :
	    "postcode_district_get", 1, p, &r);
	if (st != DB_OK)
		return (st == DB_UNAVAILABLE ? POSTCODE_DB_DOWN :
		    POSTCODE_DB_ERROR);
	if (db_rows(r) == 0) {
		rc = POSTCODE_NOT_FOUND;
		goto out;
	}
	if (db_value(r, 0, 1) == NULL) {
		/* Only a sector can be without: see sql/010. */
		log_warn("postcode %s has no latitude/longitude yet; "
		    "\"signpost migrate\" or a restart fills them", canon);
		rc = POSTCODE_DB_ERROR;
		goto out;
	}
	if (str_to_double(db_value(r, 0, 1), -90, 90, &out->latitude) == -1 ||
	    str_to_double(db_value(r, 0, 2), -180, 180, &out->longitude) ==
	    -1 ||
	    str_to_double(db_value(r, 0, 3), -1e7, 1e7, &out->easting) == -1 ||
	    str_to_double(db_value(r, 0, 4), -1e7, 1e7, &out->northing) ==
	    -1) {
		rc = POSTCODE_DB_ERROR;
		goto out;
	}
	copy_field(out->council_area_code, sizeof(out->council_area_code),
	    r, 5);
	copy_field(out->council_area, sizeof(out->council_area), r, 6);
	copy_field(out->health_board_code, sizeof(out->health_board_code),
	    r, 7);
	copy_field(out->health_board, sizeof(out->health_board), r, 8);
	copy_field(out->ward_code, sizeof(out->ward_code), r, 9);
	copy_field(out->ward, sizeof(out->ward), r, 10);
	rc = POSTCODE_FOUND;
out:
	db_free(r);
	return (rc);
}

void
postcode_not_found(const struct postcode_info *pi, char *out, size_t len)
{
	char	outward[POSTCODE_MAX];

	switch (pi->kind) {
	case POSTCODE_SECTOR:
		snprintf(outward, sizeof(outward), "%.*s",
		    (int)strcspn(pi->postcode, " "), pi->postcode);
		snprintf(out, len, "We have no postcodes in the postcode "
		    "sector %s. Check it and try again, or enter the district "
		    "alone, like %s", pi->postcode, outward);
		break;
	case POSTCODE_OUTWARD:
		snprintf(out, len, "We have no postcodes in the postcode "
		    "district %s. Check it and try again", pi->postcode);
		break;
	default:
		snprintf(out, len, "We could not find the postcode %s. Check "
		    "it and try again, or enter the first part, like G12",
		    pi->postcode);
		break;
	}
}

static void
add_area(cJSON *o, const char *key, const char *name, const char *code)
{
	char	k[64];

	if (code[0] == '\0')
		return;
	cJSON_AddStringToObject(o, key, name[0] != '\0' ? name : code);
	snprintf(k, sizeof(k), "%s_code", key);
	cJSON_AddStringToObject(o, k, code);
}

void
postcode_api_get(struct http_request *req)
{
	struct postcode_info	 pi;
	const char		*in;
	char			 detail[64];
	cJSON			*o;

	in = http_route_param(req, "postcode");
	switch (postcode_lookup(in != NULL ? in : "", &pi)) {
	case POSTCODE_MALFORMED:
		http_problem(req, 400, "Bad Request", "not a UK postcode. "
		    POSTCODE_FORMAT_HELP, "postcode");
		return;
	case POSTCODE_NOT_FOUND:
		if (pi.kind == POSTCODE_FULL) {
			http_problem(req, 404, "Not Found",
			    "postcode not found", "postcode");
			return;
		}
		snprintf(detail, sizeof(detail), "no postcodes in %s %s",
		    postcode_kind_label(pi.kind), pi.postcode);
		http_problem(req, 404, "Not Found", detail, "postcode");
		return;
	case POSTCODE_DB_DOWN:
		reply_db_error(req, DB_UNAVAILABLE);
		return;
	case POSTCODE_DB_ERROR:
		reply_db_error(req, DB_ERROR);
		return;
	case POSTCODE_FOUND:
		break;
	}
	if ((o = cJSON_CreateObject()) == NULL) {
		reply_error(req, 500, "out of memory");
		return;
	}
	cJSON_AddStringToObject(o, "postcode", pi.postcode);
	cJSON_AddStringToObject(o, "kind", postcode_kind_name(pi.kind));
	cJSON_AddNumberToObject(o, "latitude", pi.latitude);
	cJSON_AddNumberToObject(o, "longitude", pi.longitude);
	cJSON_AddNumberToObject(o, "easting", pi.easting);
	cJSON_AddNumberToObject(o, "northing", pi.northing);
	add_area(o, "council_area", pi.council_area, pi.council_area_code);
	add_area(o, "health_board", pi.health_board, pi.health_board_code);
	add_area(o, "ward", pi.ward, pi.ward_code);
	http_header_set(req, "Cache-Control", "public, max-age=86400");
	http_respond_json(req, 200, o);
	cJSON_Delete(o);
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
postcode_fill_latlon(char *err, size_t errlen)
{
	long	n;

	if (centroid_latlon("postcode_sector_rows_unplaced",
	    "postcode_sector_set_latlon", &n, err, errlen) == -1)
		return (-1);
	return ((int)n);
}

int
postcode_import(const char *path, char *err, size_t errlen)
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
