/*
 * api: small JSON endpoints that belong to no bigger module: /healthz,
 * 200 when the database answers and 503 when it does not, so a monitor
 * can tell the two apart; /api/postcodes/{postcode}, a postcode, sector
 * or district and its centroid and areas.  Thread-safe: no state.
 */
#ifndef API_H
#define API_H

struct http_request;

void	api_healthz(struct http_request *);
void	api_postcode(struct http_request *);

#endif
