/*
 * postcode: UK postcode parsing (any spacing and case) and look-up of
 * postcode, sector and district centroids.  Parsing is pure and
 * thread-safe.  (The Code-Point Open import is import_postcodes.c, the
 * /api/postcodes handler api.c.)
 */
#ifndef POSTCODE_H
#define POSTCODE_H

#include <stddef.h>

struct http_request;

enum postcode_kind {
	POSTCODE_INVALID,
	POSTCODE_FULL,		/* "G12 8QQ" */
	POSTCODE_OUTWARD,	/* "G12": a district */
	POSTCODE_SECTOR		/* "G12 8": a district and one inward digit */
};

#define POSTCODE_MAX	9	/* "EC1A 1BB" and the NUL */

/* What to tell a person whose input is none of the kinds above. */
#define POSTCODE_FORMAT_HELP	"Enter a full postcode like G12 8QQ, a " \
	"postcode sector like G12 8, or a district like G12"

enum postcode_kind	postcode_parse(const char *, char *, size_t);
/* "postcode sector" for people; "sector" for JSON. */
const char		*postcode_kind_label(enum postcode_kind);
const char		*postcode_kind_name(enum postcode_kind);

struct postcode_info {
	char		postcode[POSTCODE_MAX];
	enum postcode_kind kind;
	double		latitude;
	double		longitude;
	double		easting;
	double		northing;
	char		council_area[64];
	char		council_area_code[16];
	char		health_board[64];
	char		health_board_code[16];
	char		ward[96];
	char		ward_code[16];
};

enum postcode_lookup {
	POSTCODE_FOUND,
	POSTCODE_NOT_FOUND,
	POSTCODE_MALFORMED,
	POSTCODE_DB_DOWN,
	POSTCODE_DB_ERROR
};

/*
 * postcode_lookup() sets postcode (canonical) and kind for
 * POSTCODE_NOT_FOUND too, so that the caller can say what was not found;
 * postcode_not_found() says it, in a sentence for a person.
 */
void	postcode_init(void);
enum postcode_lookup	postcode_lookup(const char *, struct postcode_info *);
/*
 * From postcode_cache_begin() to postcode_cache_end(), this thread's
 * lookups are remembered (found or not), for an import: postcodes change
 * only when they are imported, never during another import.
 */
int	postcode_cache_begin(void);
void	postcode_cache_end(void);
/*
 * The full postcodes among inputs (as typed) looked up in one query and
 * those found remembered, when the cache is on: an import's batch.  0,
 * or -1 when the database failed (each is then looked up alone).
 */
int	postcode_cache_fill(const char *const *, size_t);
void	postcode_not_found(const struct postcode_info *, char *, size_t);
int	postcode_import(const char *, char *, size_t);
int	postcode_fill_latlon(char *, size_t);

void	postcode_api_get(struct http_request *);

#endif
