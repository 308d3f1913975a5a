/*
 * route: the route table (every URL of the product, the function behind
 * it, and what it is: an API, readable from other origins, answered from
 * memory) and the dispatcher.  Only main.c and app.c include this: the
 * handlers answer errors through reply.h, which reads what the router
 * set on the request.
 */
#ifndef ROUTE_H
#define ROUTE_H

#include "http.h"
#include "http_server.h"

struct http_request;
struct http_kvlist;

void	route_dispatch(struct http_request *);
/*
 * An error found before dispatch (on the network thread: a too long
 * address, a body too large): answered as the route it was for would.
 */
void	route_early_error(struct http_request *, int, const char *);
/*
 * Where the request runs: CHEAP routes (compiled-in files) on the network
 * thread, MEMORY routes there first if their answer is in memory, the
 * rest on a worker.
 */
enum http_run	route_where(const struct http_request *);
/* Sets req->api from the table (a path under /api/ if no route). */
void	route_classify(struct http_request *);
/* 1 if path matches pattern ("/a/{id}", "/assets/ *"), captures added. */
int	route_match(const char *, const char *, struct http_kvlist *);

#define ROUTE_CSRF	0x01	/* POST: the form's CSRF token is checked */
#define ROUTE_LOGIN	0x02	/* a moderator's session is needed */
#define ROUTE_ADMIN	0x04	/* an administrator's session is needed */
#define ROUTE_API	0x08	/* a program's: errors as problem JSON */
#define ROUTE_CORS	0x10	/* any origin may read it */
#define ROUTE_CHEAP	0x20	/* from memory: answered without a worker */
#define ROUTE_MEMORY	0x40	/* tried from memory first (memory_only) */

/* The table, for tests: 0, or -1 past the end. */
size_t	route_count(void);
int	route_info(size_t, enum http_method *, const char **,
	    unsigned int *);

#endif
