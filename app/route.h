/*
 * route: the route table (every URL of the product and the function
 * behind it, in route.c) and the dispatcher, plus the one place that
 * decides how an error looks: an HTML page, or problem JSON under /api/.
 */
#ifndef ROUTE_H
#define ROUTE_H

#include "db.h"
#include "http.h"

struct http_request;
struct http_kvlist;

void	route_dispatch(struct http_request *);
void	route_error(struct http_request *, int, const char *);
/* Compiled-in files, answered from memory: they never wait for a worker. */
int	route_cheap(const struct http_request *);
/* A 400 for the parameter a getter rejected (req->err_param). */
void	route_bad_param(struct http_request *);
/* 503 for DB_UNAVAILABLE, 500 (logged) for DB_ERROR. */
void	route_db_error(struct http_request *, enum db_status);
/* 1 if path matches pattern ("/a/{id}", "/assets/ *"), captures added. */
int	route_match(const char *, const char *, struct http_kvlist *);
int	route_is_api(const struct http_request *);

#define ROUTE_CSRF	0x01	/* POST: the form's CSRF token is checked */
#define ROUTE_LOGIN	0x02	/* a moderator's session is needed */
#define ROUTE_ADMIN	0x04	/* an administrator's session is needed */

/* The table, for tests: 0, or -1 past the end. */
size_t	route_count(void);
int	route_info(size_t, enum http_method *, const char **,
	    unsigned int *);

#endif
