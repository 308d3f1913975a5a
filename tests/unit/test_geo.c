/*
 * geo: conversions against Ordnance Survey's 40 OSTN15 test points,
 * rejection of points outside Great Britain, geodesic distance against
 * values computed with other tools, and per-thread PROJ state.
 * Run from the repository root: data and the grid are opened relative to it.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "geo.h"
#include "unit.h"

#define POINTS_CSV	"tests/unit/data/ostn15/ostn15_test_points_etrs89_to_osgb36.csv"
#define GRID_CRS	"EPSG:27700"
#define GRID_DIR	"conf/proj"
#define NPOINTS		40
#define NTHREADS	4
#define ROUNDS		25

struct tp {
	char	id[8];
	double	lat, lon;	/* ETRS89, taken as WGS84 */
	double	east, north;	/* OSGB36 National Grid */
	int	flag;		/* osgb_datum_flag */
};

static struct tp	pts[NPOINTS];
static int		npts;
static char		opname[512];

static int
parse_double(const char *s, double *out)
{
	char	*end;

	if (s == NULL || *s == '\0')
		return (-1);
	errno = 0;
	*out = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(*out))
		return (-1);
	return (0);
}

static int
load_points(void)
{
	FILE	*f;
	char	 line[512], *p, *fld[8];
	double	 flag, height;
	int	 i, rc = -1;

	if ((f = fopen(POINTS_CSV, "r")) == NULL) {
		print_error("%s: %s (run from the repository root)\n",
		    POINTS_CSV, strerror(errno));
		return (-1);
	}
	if (fgets(line, sizeof(line), f) == NULL)	/* header */
		goto out;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (npts == NPOINTS)
			goto out;
		p = line;
		for (i = 0; i < 8; i++)
			fld[i] = strsep(&p, ",");
		if (p != NULL || fld[7] == NULL)
			goto out;
		if (snprintf(pts[npts].id, sizeof(pts[npts].id), "%s",
		    fld[0]) >= (int)sizeof(pts[npts].id))
			goto out;
		/* Heights (fields 3 and 6) are checked but not used. */
		if (parse_double(fld[1], &pts[npts].lat) == -1 ||
		    parse_double(fld[2], &pts[npts].lon) == -1 ||
		    parse_double(fld[3], &height) == -1 ||
		    parse_double(fld[4], &pts[npts].east) == -1 ||
		    parse_double(fld[5], &pts[npts].north) == -1 ||
		    parse_double(fld[6], &height) == -1 ||
		    parse_double(fld[7], &flag) == -1)
			goto out;
		pts[npts].flag = (int)flag;
		npts++;
	}
	rc = npts == NPOINTS ? 0 : -1;
out:
	if (rc == -1)
		print_error("%s: malformed near row %d\n", POINTS_CSV,
		    npts + 1);
	fclose(f);
	return (rc);
}

static int
init_default(char *err, size_t errlen)
{
	return (geo_init(GRID_CRS, GRID_DIR, err, errlen, opname,
	    sizeof(opname)));
}

static int
group_setup(void **state)
{
	char	 err[256];

	(void)state;
	if (load_points() == -1)
		return (-1);
	if (init_default(err, sizeof(err)) == -1) {
		print_error("geo_init: %s\n", err);
		return (-1);
	}
	print_message("PROJ operation: %s\n", opname);
	return (0);
}

static int
group_teardown(void **state)
{
	(void)state;
	geo_thread_close();
	return (0);
}

/* For tests that call geo_init with other settings: put the default back. */
static int
restore_default(void **state)
{
	char	 err[256];

	(void)state;
	return (init_default(err, sizeof(err)));
}

static void
test_geo_init_picks_ostn15_grid_operation(void **state)
{
	(void)state;
	assert_non_null(strstr(opname, "OSGB36 to WGS 84 (9)"));
	assert_non_null(strstr(opname, "OSTN15"));
}

/*
 * Every point has osgb_datum_flag 1-15, none 0: all 40 lie inside OSTN15's
 * coverage.  Flag 15 (TP31, 32, 36, 37, 38, 40) means "outside the geoid
 * model", which concerns heights only; OS still publishes valid E/N.
 */
static void
test_geo_os_points_agree_within_1cm(void **state)
{
	double	 e, n, err, worst = 0;
	int	 i;

	(void)state;
	assert_int_equal(npts, NPOINTS);
	for (i = 0; i < npts; i++) {
		assert_true(pts[i].flag >= 1 && pts[i].flag <= 15);
		if (geo_to_grid(pts[i].lat, pts[i].lon, &e, &n) == -1)
			fail_msg("%s rejected", pts[i].id);
		err = hypot(e - pts[i].east, n - pts[i].north);
		if (fabs(e - pts[i].east) > 0.01 ||
		    fabs(n - pts[i].north) > 0.01)
			fail_msg("%s: %.4f %.4f, OS %.3f %.3f", pts[i].id, e,
			    n, pts[i].east, pts[i].north);
		if (err > worst)
			worst = err;
	}
	print_message("WGS84 -> grid: worst of %d points %.2f mm\n", npts,
	    worst * 1000);
}

static void
test_geo_os_grid_points_invert_within_1cm(void **state)
{
	double	 lat, lon, d, worst = 0;
	int	 i;

	(void)state;
	assert_int_equal(npts, NPOINTS);
	for (i = 0; i < npts; i++) {
		if (geo_to_wgs84(pts[i].east, pts[i].north, &lat, &lon) == -1)
			fail_msg("%s rejected", pts[i].id);
		/* 1e-7 degrees is at most 11 mm on the ground. */
		if (fabs(lat - pts[i].lat) > 1e-7 ||
		    fabs(lon - pts[i].lon) > 1e-7)
			fail_msg("%s: %.9f %.9f, OS %.9f %.9f", pts[i].id, lat,
			    lon, pts[i].lat, pts[i].lon);
		assert_int_equal(geo_distance(lat, lon, pts[i].lat,
		    pts[i].lon, &d), 0);
		if (d > 0.01)
			fail_msg("%s: %.4f m from OS", pts[i].id, d);
		if (d > worst)
			worst = d;
	}
	print_message("grid -> WGS84: worst of %d points %.2f mm\n", npts,
	    worst * 1000);
}

static void
test_geo_to_grid_rejects_points_outside_gb(void **state)
{
	static const double	 far[][2] = {
		{ 0, 0 },		/* Null Island */
		{ 40.7128, -74.0060 },	/* New York */
		{ 48.8566, 2.3522 },	/* Paris, south of 49.75 N */
		{ -33.8688, 151.2093 },	/* Sydney */
		{ 90, 0 },
		{ 55.86, 179.9 },
	};
	double			 e = -1, n = -1;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		assert_false(geo_in_area(far[i][0], far[i][1]));
		assert_int_equal(geo_to_grid(far[i][0], far[i][1], &e, &n),
		    -1);
	}
	/* Outputs are untouched on failure. */
	assert_true(e == -1 && n == -1);
}

static void
test_geo_to_wgs84_rejects_grid_points_outside_gb(void **state)
{
	static const double	 far[][2] = {
		{ 5e6, 5e6 },
		{ -3e6, 0 },
		{ 400000, -3e6 },
		{ 1e9, 1e9 },
	};
	double			 lat, lon;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(far) / sizeof(far[0]); i++)
		assert_int_equal(geo_to_wgs84(far[i][0], far[i][1], &lat,
		    &lon), -1);
}

static void
test_geo_rejects_non_finite_input(void **state)
{
	double	 a, b;

	(void)state;
	assert_int_equal(geo_to_grid(NAN, -4.25, &a, &b), -1);
	assert_int_equal(geo_to_grid(55.86, INFINITY, &a, &b), -1);
	assert_int_equal(geo_to_grid(-INFINITY, -4.25, &a, &b), -1);
	assert_int_equal(geo_to_wgs84(NAN, 665000, &a, &b), -1);
	assert_int_equal(geo_to_wgs84(259000, HUGE_VAL, &a, &b), -1);
	assert_int_equal(geo_distance(NAN, 0, 0, 0, &a), -1);
	assert_int_equal(geo_distance(0, 0, 0, INFINITY, &a), -1);
	assert_int_equal(geo_distance(91, 0, 0, 0, &a), -1);
	assert_false(geo_in_area(NAN, -4.25));
}

/* EPSG:27700's area of use is the box 49.75-61.01 N, 9 W-2.01 E. */
static void
test_geo_in_area_follows_crs_bounds(void **state)
{
	(void)state;
	assert_true(geo_in_area(55.8642, -4.2518));	/* Glasgow */
	assert_true(geo_in_area(49.75, -9));		/* corner, inclusive */
	assert_true(geo_in_area(61.01, 2.01));
	assert_false(geo_in_area(49.749, -4));
	assert_false(geo_in_area(61.011, -1));
	assert_false(geo_in_area(55, -9.001));
	assert_false(geo_in_area(55, 2.011));
}

/*
 * TP26 (Glasgow) to TP27 (Edinburgh) and TP01 (Scilly) to TP40 (Shetland)
 * on WGS84: 63170.053 m and 1167781.753 m from geod(1) (Karney), and
 * 63170.052980 m and 1167781.752886 m from an independent Vincenty inverse
 * in Python.  Both agree to the millimetre.
 */
static void
test_geo_distance_matches_independent_geodesic(void **state)
{
	double	 d;

	(void)state;
	assert_int_equal(geo_distance(55.85399952950, -4.29649016251,
	    55.92478265510, -3.29479219337, &d), 0);
	assert_true(fabs(d - 63170.053) <= 0.001);
	assert_int_equal(geo_distance(49.92226393730, -6.29977752014,
	    60.13308091660, -2.07382822798, &d), 0);
	assert_true(fabs(d - 1167781.753) <= 0.001);
}

static void
test_geo_distance_is_zero_for_same_point(void **state)
{
	double	 d = -1;

	(void)state;
	assert_int_equal(geo_distance(55.8642, -4.2518, 55.8642, -4.2518,
	    &d), 0);
	assert_true(d == 0);
}

static void
test_geo_distance_is_symmetric(void **state)
{
	double	 ab, ba;
	int	 i, j;

	(void)state;
	for (i = 0; i < npts; i += 7) {
		j = (i + 13) % npts;
		assert_int_equal(geo_distance(pts[i].lat, pts[i].lon,
		    pts[j].lat, pts[j].lon, &ab), 0);
		assert_int_equal(geo_distance(pts[j].lat, pts[j].lon,
		    pts[i].lat, pts[i].lon, &ba), 0);
		assert_true(fabs(ab - ba) <= 1e-6);
		assert_true(ab > 0);
	}
}

struct worker {
	pthread_t	 tid;
	int		 close_explicitly;
	int		 failures;
	int		 mismatches;
	double		 e[NPOINTS], n[NPOINTS];
	double		 lat[NPOINTS], lon[NPOINTS];
};

static void *
worker_run(void *arg)
{
	struct worker	*w = arg;
	double		 e, n, lat, lon;
	int		 r, i;

	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < npts; i++) {
			if (geo_to_grid(pts[i].lat, pts[i].lon, &e, &n) == -1 ||
			    geo_to_wgs84(pts[i].east, pts[i].north, &lat,
			    &lon) == -1) {
				w->failures++;
				continue;
			}
			if (r == 0) {
				w->e[i] = e;
				w->n[i] = n;
				w->lat[i] = lat;
				w->lon[i] = lon;
			} else if (e != w->e[i] || n != w->n[i] ||
			    lat != w->lat[i] || lon != w->lon[i])
				w->mismatches++;
		}
	}
	/* The others leave their PROJ objects to the key's destructor. */
	if (w->close_explicitly)
		geo_thread_close();
	return (NULL);
}

static void
test_geo_threads_convert_concurrently_with_same_results(void **state)
{
	struct worker	*w;
	double		 e, n, lat, lon;
	int		 t, i;

	(void)state;
	w = calloc(NTHREADS, sizeof(*w));
	assert_non_null(w);
	for (t = 0; t < NTHREADS; t++) {
		w[t].close_explicitly = t % 2;
		assert_int_equal(pthread_create(&w[t].tid, NULL, worker_run,
		    &w[t]), 0);
	}
	for (t = 0; t < NTHREADS; t++)
		assert_int_equal(pthread_join(w[t].tid, NULL), 0);
	for (t = 0; t < NTHREADS; t++) {
		assert_int_equal(w[t].failures, 0);
		assert_int_equal(w[t].mismatches, 0);
		for (i = 0; i < npts; i++) {
			assert_int_equal(geo_to_grid(pts[i].lat, pts[i].lon,
			    &e, &n), 0);
			assert_int_equal(geo_to_wgs84(pts[i].east,
			    pts[i].north, &lat, &lon), 0);
			assert_true(e == w[t].e[i] && n == w[t].n[i]);
			assert_true(lat == w[t].lat[i] && lon == w[t].lon[i]);
		}
	}
	free(w);
}

static void
test_geo_thread_close_then_use_rebuilds_state(void **state)
{
	double	 e, n;

	(void)state;
	geo_thread_close();
	geo_thread_close();	/* twice is harmless */
	assert_int_equal(geo_to_grid(pts[25].lat, pts[25].lon, &e, &n), 0);
	assert_true(fabs(e - pts[25].east) <= 0.01);
}

static void
test_geo_init_rejects_unknown_crs_and_keeps_settings(void **state)
{
	char	 err[256], op[256];
	double	 e, n;

	(void)state;
	err[0] = '\0';
	assert_int_equal(geo_init("EPSG:99999", GRID_DIR, err, sizeof(err),
	    op, sizeof(op)), -1);
	assert_non_null(strstr(err, "EPSG:99999"));
	print_message("unknown CRS: %s\n", err);
	assert_int_equal(geo_init("not a crs", GRID_DIR, err, sizeof(err),
	    op, sizeof(op)), -1);
	assert_non_null(strstr(err, "not a crs"));
	assert_int_equal(geo_init("", GRID_DIR, err, sizeof(err), op,
	    sizeof(op)), -1);
	/* A failed geo_init leaves the working configuration in place. */
	assert_int_equal(geo_to_grid(pts[25].lat, pts[25].lon, &e, &n), 0);
	assert_true(fabs(e - pts[25].east) <= 0.01);
}

static void
test_geo_init_rejects_missing_grid_dir(void **state)
{
	char	 err[256];

	(void)state;
	assert_int_equal(geo_init(GRID_CRS, "conf/no-such-dir", err,
	    sizeof(err), NULL, 0), -1);
	assert_non_null(strstr(err, "conf/no-such-dir"));
}

/*
 * Without the grid PROJ quietly uses the Helmert "(6)" and is metres off:
 * the operation name is how the start-up log catches it.
 */
static void
test_geo_init_without_grid_reports_helmert(void **state)
{
	char	 err[256], op[512];
	double	 e, n;

	(void)state;
	assert_int_equal(geo_init(GRID_CRS, "tests/unit", err, sizeof(err),
	    op, sizeof(op)), 0);
	assert_null(strstr(op, "OSTN15"));
	assert_non_null(strstr(op, "no grid"));
	/* TP26, Glasgow: OS's README measures 1.06 m for this fallback. */
	assert_int_equal(geo_to_grid(pts[25].lat, pts[25].lon, &e, &n), 0);
	assert_true(hypot(e - pts[25].east, n - pts[25].north) > 0.5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geo_init_picks_ostn15_grid_operation),
		cmocka_unit_test(test_geo_os_points_agree_within_1cm),
		cmocka_unit_test(test_geo_os_grid_points_invert_within_1cm),
		cmocka_unit_test(test_geo_to_grid_rejects_points_outside_gb),
		cmocka_unit_test(
		    test_geo_to_wgs84_rejects_grid_points_outside_gb),
		cmocka_unit_test(test_geo_rejects_non_finite_input),
		cmocka_unit_test(test_geo_in_area_follows_crs_bounds),
		cmocka_unit_test(
		    test_geo_distance_matches_independent_geodesic),
		cmocka_unit_test(test_geo_distance_is_zero_for_same_point),
		cmocka_unit_test(test_geo_distance_is_symmetric),
		cmocka_unit_test(
		    test_geo_threads_convert_concurrently_with_same_results),
		cmocka_unit_test(test_geo_thread_close_then_use_rebuilds_state),
		cmocka_unit_test_teardown(
		    test_geo_init_rejects_unknown_crs_and_keeps_settings,
		    restore_default),
		cmocka_unit_test_teardown(test_geo_init_rejects_missing_grid_dir,
		    restore_default),
		cmocka_unit_test_teardown(
		    test_geo_init_without_grid_reports_helmert,
		    restore_default),
	};

	return (RUN_UNIT_TESTS_SETUP("geo", tests, group_setup,
	    group_teardown));
}
