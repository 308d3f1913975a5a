/*
 * search: finding services near a place.  Owns the search statements, the
 * in-memory catalogue the form offers (category tree, accessibility
 * features; refreshed from the database every few minutes, shared between
 * threads by reference count), and the pure helpers that turn form values
 * into filter values.  Every filter is ANDed; distances are geodesic and
 * the radius cut-off is exact (see sql/007_search.sql).  Results are owned
 * by the caller (search_results_free).
 */
#ifndef SEARCH_H
#define SEARCH_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "db.h"

#define SEARCH_PAGE_SIZE	20
#define SEARCH_MAX_PAGE		500
#define SEARCH_MAX_ACCESS	8	/* accessibility needs asked for */
#define SEARCH_MAX_AREAS	4	/* ward, council, board, country */
#define SEARCH_Q_MAX		200
#define SEARCH_CAP		200	/* matches read (CAP_SQL) */

/* The category tree, in display order (parents before children). */
struct search_term {
	char	id[37];
	char	slug[96];
	char	name[128];
	int	depth;		/* 0 = top level */
	int	parent;		/* index into terms, -1 at the top */
};

struct search_catalog {
	int			 refs;
	struct search_term	*terms;
	size_t			 nterms;
	char			(*features)[96];	/* accessibility */
	size_t			 nfeatures;
};

enum search_tod {
	SEARCH_TOD_ANY,
	SEARCH_TOD_MORNING,	/* before 12:00 */
	SEARCH_TOD_AFTERNOON,	/* 12:00 to 17:00 */
	SEARCH_TOD_EVENING	/* after 17:00 */
};

enum search_sort {
	SEARCH_SORT_DISTANCE,
	SEARCH_SORT_RELEVANCE
};

/* A search, validated.  Strings point into the request or the catalogue. */
struct search_query {
	const struct search_catalog *catalog;
	double		 lat, lon;	/* the centre */
	double		 east, north;
	const char	*areas[SEARCH_MAX_AREAS]; /* area codes it lies in */
	size_t		 nareas;
	int		 radius_m;
	const char	*q;		/* keywords or NULL */
	const struct search_term *category;	/* or NULL */
	int		 wday;		/* 0 = Sunday .. 6, -1 any */
	enum search_tod	 tod;
	int		 open_now;
	int		 free_only;
	int		 self_referral;
	int		 walking;
	int		 age;		/* -1 any */
	const char	*access[SEARCH_MAX_ACCESS];
	size_t		 naccess;
	enum search_sort sort;
	int		 page;		/* 1-based */
};

struct search_item {
	char	 id[37];
	char	*name;
	char	*org;
	int	 local;		/* 0: matched by service area only */
	double	 dist_m;	/* local only */
	char	*area;		/* the area it covers */
	int	 is_free;
	char	*cost;
	int	 min_age, max_age;	/* -1 not given */
	char	*eligibility;
	char	*last_reviewed;	/* "2026-03-01" or NULL */
	int	 stale;
	int	 is_demo;
	char	*kind;
	char	*categories;	/* "Money, Debt" or NULL */
	int	 self_referral;	/* -1 not known */
	int	 drop_in;
	char	*place;		/* nearest venue: name, address */
	int	 has_point;
	double	 lat, lon;	/* nearest venue, for the map */
	char	*next;		/* "Tue 10:00–11:30" or NULL */
};

struct search_results {
	long long		 total;
	long long		 covered;	/* of total, by area only */
	char			*corrected;	/* words searched */
	int			 was_corrected;
	int			 capped;	/* SEARCH_CAP reached */
	struct search_item	*items;
	size_t			 n;
};

void	search_init(void);

/* The shared catalogue (never NULL after a successful call): release it. */
enum db_status	search_catalog_get(struct search_catalog **);
/* The same, read again if older than max_age seconds. */
enum db_status	search_catalog_get_fresh(struct search_catalog **, int);
void	search_catalog_put(struct search_catalog *);
const struct search_term *search_catalog_term(const struct search_catalog *,
	    const char *);
/* The feature as the catalogue spells it, or NULL. */
const char *search_catalog_feature(const struct search_catalog *,
	    const char *);

/* Run q; now is the time "open now" and "next session" mean. */
enum db_status	search_run(const struct search_query *, time_t,
		    struct search_results *);
void	search_results_free(struct search_results *);

/* The centre from a position (nearest postcode's areas, when close). */
enum db_status	search_areas_near(struct search_query *, char [][16],
		    size_t);

/*
 * Pure helpers (unit-tested).  Radius: "0.5", "1", "2", "5", "10", "25"
 * km to metres, -1 for anything else.  Day: "mon".."sun" to 0 (Sunday)
 * .. 6, -1.  Time of day: "morning", "afternoon", "evening" or -1.
 */
int	search_parse_radius(const char *);
int	search_parse_day(const char *);
int	search_parse_tod(const char *);
/* Opening-time window of a time of day, as "HH:MM" strings. */
void	search_tod_window(enum search_tod, const char **, const char **);
/* The country an area code belongs to (GSS prefix), or NULL. */
const char *search_country_of(const char *);
/*
 * The query centred on a postcode's position, with the areas it lies in,
 * smallest first (ward, council area, health board, country): services
 * covering any of them match too.  The codes are copied into areas,
 * which must outlive q.  The search page and the embed both start here.
 */
struct postcode_info;
void	search_query_at(struct search_query *, const struct postcode_info *,
	    char [][16]);
/* "120 m", "0.8 km", "12 km". */
void	search_format_distance(double, struct buf *);
/* Descendants of term i (itself included), as a uuid[] literal. */
void	search_term_ids(const struct search_catalog *, size_t,
	    struct buf *);
/* Text array literal {"a","b"} with quotes and backslashes escaped. */
void	search_text_array(const char *const *, size_t, struct buf *);

#endif
