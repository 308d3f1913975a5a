/*
 * page_export: the directory's own listings as files anyone may take:
 * /export/services.csv (the import template's columns, see
 * export_csv.c).  The GeoJSON of the same listings at their venues is
 * the feed's (/export/services.geojson in the route table).
 */
#ifndef PAGE_EXPORT_H
#define PAGE_EXPORT_H

struct http_request;

void	page_export_services_csv(struct http_request *);

#endif
