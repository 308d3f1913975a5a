/*
 * feed: the partner API under /api/ -- Open Referral UK 3.0 (HSDS 3.0)
 * JSON, NDJSON and GeoJSON.  Pages are rendered once per directory change
 * (sql/008) and then served from feed_cache; NDJSON streams every match in
 * constant memory.  Handlers are thread-safe; feed_init runs at start-up.
 */
#ifndef FEED_H
#define FEED_H

struct http_request;

void	feed_init(void);

void	feed_root(struct http_request *);
void	feed_openapi(struct http_request *);
void	feed_services(struct http_request *);
void	feed_service(struct http_request *);
void	feed_services_geojson(struct http_request *);
void	feed_service_at_locations(struct http_request *);
void	feed_service_at_location(struct http_request *);
void	feed_taxonomies(struct http_request *);
void	feed_taxonomy(struct http_request *);
void	feed_taxonomy_terms(struct http_request *);
void	feed_taxonomy_term(struct http_request *);
void	feed_organizations(struct http_request *);
void	feed_organization(struct http_request *);

#endif
