/*
 * geo: the only file that includes <proj.h>.  WGS84 (EPSG:4326) to and
 * from the configured grid CRS (default EPSG:27700) through the OS OSTN15
 * grid, and geodesic distance.  Each thread gets its own PROJ context and
 * transformations, made on first use and freed when the thread exits.
 * 0 on success, -1 when the point is outside the CRS's area of use, not
 * finite, PROJ failed, or geo_init() has not succeeded.
 */
#ifndef GEO_H
#define GEO_H

#include <stddef.h>

/*
 * Start-up only, before other threads use geo: geo_init(crs, grid_dir,
 * err, errlen, op, oplen).  Checks that PROJ can build the transformation
 * and records in op (when not NULL) the operation it picked and its grids,
 * e.g. "... OSGB36 to WGS 84 (9) ... [grid uk_os_OSTN15_NTv2_OSGBtoETRS.tif]",
 * so that a missing OSTN15 grid shows up in the log instead of as 1-5 m
 * errors.  On -1 (unknown CRS, missing grid_dir, ...) err says why and
 * the settings already in force stay.
 */
int	geo_init(const char *, const char *, char *, size_t, char *, size_t);
/* (lat, lon) to (easting, northing); outputs untouched on -1. */
int	geo_to_grid(double, double, double *, double *);
/* (easting, northing) to (lat, lon); outputs untouched on -1. */
int	geo_to_wgs84(double, double, double *, double *);
/* Inside the grid CRS's area of use (a lat/lon box, bounds inclusive). */
int	geo_in_area(double, double);
/* Geodesic metres on WGS84 between (lat1, lon1) and (lat2, lon2). */
int	geo_distance(double, double, double, double, double *);
/* Free the calling thread's PROJ objects now; later calls rebuild them. */
void	geo_thread_close(void);

#endif
