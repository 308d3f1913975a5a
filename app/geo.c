/*
 * geo: WGS84 <-> grid CRS through PROJ, and geodesic distance.
 *
 * A PJ_CONTEXT and every PJ made with it must stay on one thread, so each
 * thread builds its own set on first use and keeps it under a pthread key
 * whose destructor frees it when the thread exits.  The settings recorded
 * by geo_init() are written once at start-up, before any other thread
 * exists, and only read afterwards.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proj.h>

#include "geo.h"

#define SOURCE_CRS	"EPSG:4326"
/* Debian's proj-data: proj.db and the grids it ships. */
#define PROJ_DB_DIR	"/usr/share/proj"
#define GEODESIC_DEF	"+proj=longlat +ellps=WGS84"

struct settings {
	char		crs[256];
	char		grid_dir[4096];
	/* Area of use of the grid CRS, degrees; west > east crosses 180. */
	double		west;
	double		south;
	double		east;
	double		north;
};

struct state {
	PJ_CONTEXT	*ctx;
	PJ		*to_grid;	/* normalised: x is east, y north */
	PJ		*geod;		/* radians, for proj_lp_dist() */
	char		 lasterr[256];
};

static struct settings	cfg;
static int		initialised;
static pthread_key_t	state_key;
static int		key_made;

static void
state_free(struct state *st)
{
	if (st == NULL)
		return;
	/* The PJs belong to the context: destroy them first. */
	proj_destroy(st->geod);
	proj_destroy(st->to_grid);
	if (st->ctx != NULL)
		proj_context_destroy(st->ctx);
	free(st);
}

static void
state_destructor(void *p)
{
	state_free(p);
}

/*
 * PROJ would print to stderr; keep its last message instead, so that
 * geo_init() can say why a CRS was refused and requests stay quiet.
 */
static void
proj_logger(void *arg, int level, const char *msg)
{
	struct state	*st = arg;

	(void)level;
	snprintf(st->lasterr, sizeof(st->lasterr), "%s", msg);
}

static const char *
proj_reason(const struct state *st)
{
	int	 e;

	if (st->lasterr[0] != '\0')
		return (st->lasterr);
	e = proj_context_errno(st->ctx);
	return (e != 0 ? proj_context_errno_string(st->ctx, e) :
	    "unknown error");
}

static struct state *
state_new(const struct settings *s, char *err, size_t errlen)
{
	struct state	*st;
	const char	*paths[2];
	int		 npaths = 0;
	PJ		*crs = NULL, *op = NULL;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	if ((st->ctx = proj_context_create()) == NULL) {
		snprintf(err, errlen, "cannot create a PROJ context");
		goto fail;
	}
	proj_log_func(st->ctx, st, proj_logger);
	proj_log_level(st->ctx, PJ_LOG_ERROR);
	/* A missing grid must not turn into a download at request time. */
	proj_context_set_enable_network(st->ctx, 0);
	/*
	 * Setting the paths replaces PROJ's defaults (PROJ_DATA, the user's
	 * ~/.local/share/proj), so the grid we ship is the one that is used.
	 */
	if (s->grid_dir[0] != '\0')
		paths[npaths++] = s->grid_dir;
	paths[npaths++] = PROJ_DB_DIR;
	proj_context_set_search_paths(st->ctx, npaths, paths);

	/* Checked on its own first: "unknown CRS" is the usual mistake. */
	crs = proj_create(st->ctx, s->crs);
	if (crs == NULL || !proj_is_crs(crs)) {
		snprintf(err, errlen, "unknown CRS \"%s\": %s", s->crs,
		    crs == NULL ? proj_reason(st) : "not a CRS");
		goto fail;
	}
	op = proj_create_crs_to_crs(st->ctx, SOURCE_CRS, s->crs, NULL);
	if (op == NULL) {
		snprintf(err, errlen, "cannot transform %s to %s: %s",
		    SOURCE_CRS, s->crs, proj_reason(st));
		goto fail;
	}
	/*
	 * EPSG:4326 is latitude-first and grid CRSs differ in axis order;
	 * normalised, every call passes x = longitude/easting.
	 */
	if ((st->to_grid = proj_normalize_for_visualization(st->ctx,
	    op)) == NULL) {
		snprintf(err, errlen, "cannot normalise %s to %s: %s",
		    SOURCE_CRS, s->crs, proj_reason(st));
		goto fail;
	}
	/* Not "+proj=geod": that is no projection and gives NULL. */
	if ((st->geod = proj_create(st->ctx, GEODESIC_DEF)) == NULL) {
		snprintf(err, errlen, "cannot create %s: %s", GEODESIC_DEF,
		    proj_reason(st));
		goto fail;
	}
	proj_destroy(op);
	proj_destroy(crs);
	st->lasterr[0] = '\0';
	return (st);

fail:
	proj_destroy(op);
	proj_destroy(crs);
	state_free(st);
	return (NULL);
}

/* The calling thread's state, built on first use; NULL before geo_init. */
static struct state *
thread_state(void)
{
	struct state	*st;
	char		 err[256];

	if (!initialised)
		return (NULL);
	if ((st = pthread_getspecific(state_key)) != NULL)
		return (st);
	/*
	 * geo_init() built the same thing with the same settings, so only
	 * running out of memory gets here; the caller's -1 covers it.
	 */
	if ((st = state_new(&cfg, err, sizeof(err))) == NULL)
		return (NULL);
	if (pthread_setspecific(state_key, st) != 0) {
		state_free(st);
		return (NULL);
	}
	return (st);
}

static int
area_of_use(struct state *st, struct settings *s, char *err, size_t errlen)
{
	PJ		*crs;
	const char	*name;
	int		 rc = -1;

	if ((crs = proj_create(st->ctx, s->crs)) == NULL) {
		snprintf(err, errlen, "unknown CRS \"%s\": %s", s->crs,
		    proj_reason(st));
		return (-1);
	}
	/* A CRS given as a PROJ string has no area: the whole world. */
	if (!proj_get_area_of_use(st->ctx, crs, &s->west, &s->south,
	    &s->east, &s->north, &name) || s->west == -1000) {
		s->west = -180;
		s->south = -90;
		s->east = 180;
		s->north = 90;
	}
	if (!(s->south < s->north)) {
		snprintf(err, errlen, "CRS \"%s\" has an empty area of use",
		    s->crs);
		goto out;
	}
	rc = 0;
out:
	proj_destroy(crs);
	return (rc);
}

static int
in_area(const struct settings *s, double lat, double lon)
{
	if (!isfinite(lat) || !isfinite(lon))
		return (0);
	if (lat < s->south || lat > s->north)
		return (0);
	if (s->west <= s->east)
		return (lon >= s->west && lon <= s->east);
	return (lon >= s->west || lon <= s->east);
}

/* "name [grid a.tif]" so the start-up log shows whether OSTN15 is used. */
static void
describe_op(struct state *st, char *op, size_t oplen)
{
	PJ		*used;
	const char	*name, *grid;
	int		 i, k, n, len;
	size_t		 off;

	if (op == NULL || oplen == 0)
		return;
	if ((used = proj_trans_get_last_used_operation(st->to_grid)) ==
	    NULL) {
		snprintf(op, oplen, "unknown operation");
		return;
	}
	name = proj_get_name(used);
	len = snprintf(op, oplen, "%s", name != NULL ? name : "unnamed");
	off = len < 0 ? 0 : (size_t)len;
	n = proj_coordoperation_get_grid_used_count(st->ctx, used);
	for (i = k = 0; i < n && off < oplen; i++) {
		if (!proj_coordoperation_get_grid_used(st->ctx, used, i,
		    &grid, NULL, NULL, NULL, NULL, NULL, NULL) || grid == NULL)
			continue;
		len = snprintf(op + off, oplen - off, "%s%s", k++ == 0 ?
		    " [grid " : ", ", grid);
		off += len < 0 ? 0 : (size_t)len;
	}
	if (off < oplen)
		snprintf(op + off, oplen - off, "%s", k > 0 ? "]" :
		    " [no grid]");
	proj_destroy(used);
}

int
geo_init(const char *crs, const char *grid_dir, char *err, size_t errlen,
    char *op, size_t oplen)
{
	struct settings	 s;
	struct state	*st = NULL, *old;
	struct stat	 sb;
	PJ_COORD	 c;
	double		 lat, lon;
	int		 rc = -1, len;

	memset(&s, 0, sizeof(s));
	if (op != NULL && oplen > 0)
		op[0] = '\0';
	if (crs == NULL || crs[0] == '\0') {
		snprintf(err, errlen, "no CRS configured");
		return (-1);
	}
	len = snprintf(s.crs, sizeof(s.crs), "%s", crs);
	if (len < 0 || (size_t)len >= sizeof(s.crs)) {
		snprintf(err, errlen, "CRS \"%.40s...\" is too long", crs);
		return (-1);
	}
	if (grid_dir != NULL && grid_dir[0] != '\0') {
		len = snprintf(s.grid_dir, sizeof(s.grid_dir), "%s",
		    grid_dir);
		if (len < 0 || (size_t)len >= sizeof(s.grid_dir)) {
			snprintf(err, errlen, "grid directory name too long");
			return (-1);
		}
		/* PROJ skips a missing directory without a word. */
		if (stat(grid_dir, &sb) == -1) {
			snprintf(err, errlen, "grid directory %s: %s",
			    grid_dir, strerror(errno));
			return (-1);
		}
		if (!S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "grid directory %s: not a "
			    "directory", grid_dir);
			return (-1);
		}
	}
	if (!key_made) {
		if (pthread_key_create(&state_key, state_destructor) != 0) {
			snprintf(err, errlen, "pthread_key_create failed");
			return (-1);
		}
		key_made = 1;
	}

	if ((st = state_new(&s, err, errlen)) == NULL)
		return (-1);
	if (area_of_use(st, &s, err, errlen) == -1)
		goto out;

	/* A point in the middle of the area proves the pipeline runs. */
	lat = (s.south + s.north) / 2;
	lon = (s.west + s.east) / 2;
	if (s.west > s.east)
		lon = lon > 0 ? lon - 180 : lon + 180;
	c = proj_trans(st->to_grid, PJ_FWD, proj_coord(lon, lat, 0, 0));
	if (!isfinite(c.xy.x) || !isfinite(c.xy.y)) {
		snprintf(err, errlen, "cannot transform %.4f,%.4f from %s to "
		    "%s: %s", lat, lon, SOURCE_CRS, s.crs, proj_reason(st));
		goto out;
	}
	describe_op(st, op, oplen);

	/* Only a complete success replaces the settings in force. */
	old = pthread_getspecific(state_key);
	if (pthread_setspecific(state_key, st) != 0) {
		snprintf(err, errlen, "pthread_setspecific failed");
		goto out;
	}
	state_free(old);
	st = NULL;
	cfg = s;
	initialised = 1;
	rc = 0;
out:
	state_free(st);
	return (rc);
}

int
geo_in_area(double lat, double lon)
{
	if (!initialised)
		return (0);
	return (in_area(&cfg, lat, lon));
}

int
geo_to_grid(double lat, double lon, double *east, double *north)
{
	struct state	*st;
	PJ_COORD	 c;

	if (!geo_in_area(lat, lon) || (st = thread_state()) == NULL)
		return (-1);
	c = proj_trans(st->to_grid, PJ_FWD, proj_coord(lon, lat, 0, 0));
	/* PROJ reports failure as HUGE_VAL, i.e. infinity. */
	if (!isfinite(c.xy.x) || !isfinite(c.xy.y))
		return (-1);
	*east = c.xy.x;
	*north = c.xy.y;
	return (0);
}

int
geo_to_wgs84(double east, double north, double *lat, double *lon)
{
	struct state	*st;
	PJ_COORD	 c;

	if (!isfinite(east) || !isfinite(north) ||
	    (st = thread_state()) == NULL)
		return (-1);
	c = proj_trans(st->to_grid, PJ_INV, proj_coord(east, north, 0, 0));
	/*
	 * Far outside the grid PROJ falls back to a ballpark operation and
	 * still answers, so the area check is what refuses such points.
	 */
	if (!isfinite(c.lp.lam) || !isfinite(c.lp.phi) ||
	    !in_area(&cfg, c.lp.phi, c.lp.lam))
		return (-1);
	*lat = c.lp.phi;
	*lon = c.lp.lam;
	return (0);
}

int
geo_distance(double lat1, double lon1, double lat2, double lon2,
    double *metres)
{
	struct state	*st;
	PJ_COORD	 a, b;
	double		 d;

	if (!isfinite(lat1) || !isfinite(lon1) || !isfinite(lat2) ||
	    !isfinite(lon2))
		return (-1);
	if (fabs(lat1) > 90 || fabs(lat2) > 90 || fabs(lon1) > 180 ||
	    fabs(lon2) > 180)
		return (-1);
	if ((st = thread_state()) == NULL)
		return (-1);
	a = proj_coord(proj_torad(lon1), proj_torad(lat1), 0, 0);
	b = proj_coord(proj_torad(lon2), proj_torad(lat2), 0, 0);
	d = proj_lp_dist(st->geod, a, b);
	if (!isfinite(d))
		return (-1);
	*metres = d;
	return (0);
}

void
geo_thread_close(void)
{
	struct state	*st;

	if (!key_made)
		return;
	if ((st = pthread_getspecific(state_key)) == NULL)
		return;
	(void)pthread_setspecific(state_key, NULL);
	state_free(st);
}
