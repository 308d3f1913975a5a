/*
 * postcode: UK postcode parsing, then (further down) look-up of postcode,
 * sector and district centroids.  See postcode.h.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include "buf.h"
#include "db.h"
#include "log.h"
#include "postcode.h"

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
/* A full postcode and the names of its areas: postcode_info's order. */
#define POSTCODE_SELECT \
	"SELECT p.postcode, p.latitude, p.longitude, p.easting, p.northing," \
	" p.council_area_code, ca.name, p.health_board_code, hb.name," \
	" p.ward_code, w.name" \
	" FROM postcode p" \
	" LEFT JOIN area ca ON ca.code = p.council_area_code" \
	" LEFT JOIN area hb ON hb.code = p.health_board_code" \
	" LEFT JOIN area w ON w.code = p.ward_code"

static const struct db_stmt stmts[] = {
	{ "postcode_get",
	  POSTCODE_SELECT " WHERE p.postcode = $1" },
	/* Many at once (postcode_cache_fill): an array of postcodes. */
	{ "postcode_get_many",
	  POSTCODE_SELECT " WHERE p.postcode = ANY ($1::text[])" },
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
};

void
postcode_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static void
copy_field(char *dst, size_t len, const struct db_result *r, int row,
    int col)
{
	const char	*v = db_value(r, row, col);

	if (v == NULL || str_copy(dst, len, v) == -1)
		dst[0] = '\0';
}

/*
 * An import names the same venues row after row: a lookup remembered
 * saves a round trip to the database for each (a fifth of the time an
 * import spent checking a row, measured on 5 000 rows).  A postcode may
 * take one of PC_CACHE_WAYS slots from the one its hash names, pushing
 * out the one filled longest ago, so the memory is fixed (about 1.5 MB)
 * however long the file.  With one slot, two of a batch's 250 postcodes
 * shared a slot some eight times a batch, and each such miss went to the
 * database while the batch before was being written (import.c), which
 * then waited for it.
 */
#define PC_CACHE_SLOTS	4096
#define PC_CACHE_WAYS	4

struct pc_slot {
	int			used;
	unsigned int		gen;	/* postcode_cache_fill's count */
	enum postcode_lookup	rc;
	struct postcode_info	pi;
};

static __thread struct pc_slot	*pc_cache;
static __thread unsigned int	 pc_gen;

int
postcode_cache_begin(void)
{
	if (pc_cache == NULL && (pc_cache = calloc(PC_CACHE_SLOTS,
	    sizeof(*pc_cache))) == NULL)
		return (-1);
	return (0);
}

void
postcode_cache_end(void)
{
	free(pc_cache);
	pc_cache = NULL;
}

/* The first slot a canonical postcode of that kind may take (FNV-1a). */
static size_t
pc_hash(const char *canon, enum postcode_kind kind)
{
	unsigned int	h = 2166136261u ^ (unsigned int)kind;

	for (; *canon != '\0'; canon++)
		h = (h ^ (unsigned char)*canon) * 16777619u;
	return (h % PC_CACHE_SLOTS);
}

/* The slot holding that postcode, or NULL. */
static struct pc_slot *
pc_find(const char *canon, enum postcode_kind kind)
{
	struct pc_slot	*c;
	size_t		 h = pc_hash(canon, kind), i;

	for (i = 0; i < PC_CACHE_WAYS; i++) {
		c = &pc_cache[(h + i) % PC_CACHE_SLOTS];
		if (c->used && c->pi.kind == kind &&
		    strcmp(c->pi.postcode, canon) == 0)
			return (c);
	}
	return (NULL);
}

/* The slot to remember that postcode in: a free one, else the oldest. */
static struct pc_slot *
pc_victim(const char *canon, enum postcode_kind kind)
{
	struct pc_slot	*c, *old = NULL;
	size_t		 h = pc_hash(canon, kind), i;

	for (i = 0; i < PC_CACHE_WAYS; i++) {
		c = &pc_cache[(h + i) % PC_CACHE_SLOTS];
		if (!c->used)
			return (c);
		if (old == NULL || pc_gen - c->gen > pc_gen - old->gen)
			old = c;
	}
	return (old);
}

static enum postcode_lookup	lookup(const char *, enum postcode_kind,
				    struct postcode_info *);

enum postcode_lookup
postcode_lookup(const char *input, struct postcode_info *out)
{
	struct pc_slot		*c;
	char			 canon[POSTCODE_MAX];
	enum postcode_kind	 kind;
	enum postcode_lookup	 rc;

	memset(out, 0, sizeof(*out));
	if ((kind = postcode_parse(input, canon, sizeof(canon))) ==
	    POSTCODE_INVALID)
		return (POSTCODE_MALFORMED);
	if (pc_cache == NULL)
		return (lookup(canon, kind, out));
	if ((c = pc_find(canon, kind)) != NULL) {
		*out = c->pi;
		return (c->rc);
	}
	rc = lookup(canon, kind, out);
	if (rc == POSTCODE_FOUND || rc == POSTCODE_NOT_FOUND) {
		c = pc_victim(canon, kind);
		c->used = 1;
		c->gen = pc_gen;
		c->rc = rc;
		c->pi = *out;
	}
	return (rc);
}

/* Row row of a postcode look-up (POSTCODE_SELECT's columns) into out. */
static enum postcode_lookup
info_of(const struct db_result *r, int row, struct postcode_info *out)
{
	if (db_value(r, row, 1) == NULL) {
		/* Only a sector can be without: see sql/010. */
		log_warn("postcode %s has no latitude/longitude yet; "
		    "\"signpost migrate\" or a restart fills them",
		    out->postcode);
		return (POSTCODE_DB_ERROR);
	}
	if (str_to_double(db_value(r, row, 1), -90, 90, &out->latitude) ==
	    -1 || str_to_double(db_value(r, row, 2), -180, 180,
	    &out->longitude) == -1 || str_to_double(db_value(r, row, 3),
	    -1e7, 1e7, &out->easting) == -1 ||
	    str_to_double(db_value(r, row, 4), -1e7, 1e7, &out->northing) ==
	    -1)
		return (POSTCODE_DB_ERROR);
	copy_field(out->council_area_code, sizeof(out->council_area_code),
	    r, row, 5);
	copy_field(out->council_area, sizeof(out->council_area), r, row, 6);
	copy_field(out->health_board_code, sizeof(out->health_board_code),
	    r, row, 7);
	copy_field(out->health_board, sizeof(out->health_board), r, row, 8);
	copy_field(out->ward_code, sizeof(out->ward_code), r, row, 9);
	copy_field(out->ward, sizeof(out->ward), r, row, 10);
	return (POSTCODE_FOUND);
}

/* A canonical postcode of that kind from the database. */
static enum postcode_lookup
lookup(const char *canon, enum postcode_kind kind, struct postcode_info *out)
{
	struct db_result	*r = NULL;
	const char		*p[1];
	enum postcode_lookup	 rc;
	enum db_status		 st;

	snprintf(out->postcode, sizeof(out->postcode), "%s", canon);
	out->kind = kind;
	p[0] = canon;
	st = db_exec(kind == POSTCODE_FULL ? "postcode_get" :
	    kind == POSTCODE_SECTOR ? "postcode_sector_get" :
	    "postcode_district_get", 1, p, &r);
	if (st != DB_OK)
		return (st == DB_UNAVAILABLE ? POSTCODE_DB_DOWN :
		    POSTCODE_DB_ERROR);
	rc = db_rows(r) == 0 ? POSTCODE_NOT_FOUND : info_of(r, 0, out);
	db_free(r);
	return (rc);
}

int
postcode_cache_fill(const char *const *inputs, size_t n)
{
	struct db_result	*r = NULL;
	struct postcode_info	 pi;
	struct pc_slot		*c;
	struct buf		 arr;
	const char		*p[1];
	char			 canon[POSTCODE_MAX];
	size_t			 i;
	int			 k, rc = -1;

	if (pc_cache == NULL)
		return (0);
	buf_init(&arr);
	/* What this fill brings is pushed out last. */
	pc_gen++;
	for (i = 0; i < n; i++) {
		if (postcode_parse(inputs[i], canon, sizeof(canon)) !=
		    POSTCODE_FULL)
			continue;
		if ((c = pc_find(canon, POSTCODE_FULL)) != NULL) {
			c->gen = pc_gen;
			continue;
		}
		/* Letters, digits and a space: quoted as they are. */
		buf_printf(&arr, "%s\"%s\"", arr.len > 0 ? "," : "{", canon);
	}
	if (arr.len == 0) {
		rc = 0;
		goto out;
	}
	buf_puts(&arr, "}");
	p[0] = buf_cstr(&arr);
	if (arr.oom || db_exec("postcode_get_many", 1, p, &r) != DB_OK)
		goto out;
	for (k = 0; k < db_rows(r); k++) {
		memset(&pi, 0, sizeof(pi));
		snprintf(pi.postcode, sizeof(pi.postcode), "%s",
		    db_value(r, k, 0));
		pi.kind = POSTCODE_FULL;
		if (info_of(r, k, &pi) != POSTCODE_FOUND)
			continue;
		if ((c = pc_find(pi.postcode, POSTCODE_FULL)) == NULL)
			c = pc_victim(pi.postcode, POSTCODE_FULL);
		c->used = 1;
		c->gen = pc_gen;
		c->rc = POSTCODE_FOUND;
		c->pi = pi;
	}
	/*
	 * One asked for and not there is left to its own look-up: it may
	 * have been pushed out by others of the batch, so its absence here
	 * does not say it is not a postcode.
	 */
	rc = 0;
out:
	db_free(r);
	buf_free(&arr);
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
