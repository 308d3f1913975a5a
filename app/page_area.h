/*
 * page_area: asset mapping around GP practices.  /areas ranks every
 * practice by how much of the directory lies within 1 km of it, least
 * covered first; /areas/{code} shows one practice within 1, 2 or 5 km:
 * the services around it with their distances, counts by top-level
 * category (a bar chart and the same numbers in a table), and the gaps,
 * categories with nothing near or well below the median practice of its
 * council area.  The counting is in sql/016_area_coverage.sql.
 */
#ifndef PAGE_AREA_H
#define PAGE_AREA_H

struct http_request;

void	page_area_init(void);
void	page_areas(struct http_request *);
void	page_area(struct http_request *);
/* The same data for spreadsheets and maps: /areas.csv, and
 * /areas/{code}/services.csv and .geojson (radius=1|2|5). */
void	page_areas_csv(struct http_request *);
void	page_area_csv(struct http_request *);
void	page_area_geojson(struct http_request *);

#endif
