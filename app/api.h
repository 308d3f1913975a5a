/*
 * api: small JSON endpoints that belong to no bigger module (health).
 */
#ifndef API_H
#define API_H

struct http_request;

void	api_healthz(struct http_request *);

#endif
