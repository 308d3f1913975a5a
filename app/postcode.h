/*
 * postcode: UK postcode parsing (any spacing and case) and look-up of
 * postcode and district centroids, the Code-Point Open import, and the
 * /api/postcodes handler.  Parsing is pure and thread-safe.
 */
#ifndef POSTCODE_H
#define POSTCODE_H

#include <stddef.h>

struct http_request;

enum postcode_kind {
	POSTCODE_INVALID,
	POSTCODE_FULL,		/* "G12 8QQ" */
	POSTCODE_OUTWARD	/* "G12": a district */
};

#define POSTCODE_MAX	9	/* "EC1A 1BB" and the NUL */

enum postcode_kind	postcode_parse(const char *, char *, size_t);

struct postcode_info {
	char		postcode[POSTCODE_MAX];
	int		is_district;
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

void	postcode_init(void);
enum postcode_lookup	postcode_lookup(const char *, struct postcode_info *);
int	postcode_import(const char *, char *, size_t);
int	postcode_fill_latlon(char *, size_t);

void	postcode_api_get(struct http_request *);

#endif
