/*
 * http_server: the HTTP/1.1 server, libmicrohttpd behind it (this is the
 * only module that includes <microhttpd.h>).  One network thread parses,
 * enforces the limits and sends; handlers run on our worker threads, each
 * with its database connection, fed from one bounded queue.
 */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include <stddef.h>

#include "http.h"

/* Server lifetime (main.c). */
struct http_server;
typedef void	(*http_handler_fn)(struct http_request *);
/* Renders an error (413, 414, 431 ...) the layer itself decided on. */
typedef void	(*http_error_fn)(struct http_request *, int, const char *);
enum http_run {
	HTTP_RUN_WORKER,	/* queued for a worker thread */
	HTTP_RUN_HERE,		/* answered on the network thread */
	HTTP_RUN_TRY_HERE	/* from memory there, if it can (memory_only) */
};
struct http_app {
	http_handler_fn	 handler;	/* runs on a worker thread */
	http_error_fn	 error;		/* runs on the network thread */
	/* Where a complete request runs; NULL: on a worker. */
	enum http_run	(*where)(const struct http_request *);
};
/* Listens on config's address with config.workers worker threads. */
int	http_server_start(struct http_server **, const struct http_app *,
	    char *, size_t);
/*
 * No socket and no threads, for the request fuzzer: connections are
 * handed in, each http_server_run is one turn of the event loop (waiting
 * up to ms), and handlers run inside it.
 */
int	http_server_start_unbound(struct http_server **,
	    const struct http_app *, char *, size_t);
int	http_server_add_connection(struct http_server *, int);
int	http_server_run(struct http_server *, int);
/* Connections the server still holds, or -1. */
int	http_server_connections(struct http_server *);
/* The port actually bound (config port 0 picks a free one). */
int	http_server_port(struct http_server *);
/* Finishes queued requests, then stops. */
void	http_server_stop(struct http_server *);

#endif
