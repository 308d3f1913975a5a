/*
 * http: the request/response object handlers see, typed parameter getters
 * that reject bad values, response helpers and compression.  No sockets:
 * handlers run on a hand-made request in tests.  http_server.c (the only
 * file that includes <microhttpd.h>) fills requests and sends answers.  A
 * request is owned by one thread at a time.
 */
#ifndef HTTP_H
#define HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"

struct cJSON;

enum http_method {
	HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_OPTIONS,
	HTTP_OTHER
};

struct http_kv {
	char	*key;
	char	*value;
};

struct http_kvlist {
	struct http_kv	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * A streaming body: called until it returns 0 (end).  It writes at most
 * max bytes to dst and returns how many, or -1 to abort the connection.
 */
typedef ssize_t	(*http_stream_fn)(void *, char *, size_t);

struct http_request {
	enum http_method	 method;
	char			*method_str;
	char			*path;		/* percent-decoded */
	char			*raw_query;	/* as sent, may be NULL */
	struct http_kvlist	 query;
	struct http_kvlist	 form;		/* urlencoded or multipart */
	struct http_kvlist	 headers;
	struct http_kvlist	 cookies;
	struct http_kvlist	 route;		/* {name} captures */
	struct buf		 body;		/* other content types */

	/* Response. */
	int			 status;
	struct http_kvlist	 resp_headers;
	struct buf		 resp;
	/* Not copied, not freed, never changed while the process runs. */
	const void		*static_body;
	size_t			 static_len;
	/* resp holds a gzip already (a cache's copy): see http_finish. */
	int			 resp_gzip;
	int			 finished;
	http_stream_fn		 stream;
	void			*stream_arg;
	void			(*stream_free)(void *);

	char			 client_ip[64];	/* the peer, as text */
	/* An API route (the router's table says): errors as problem JSON. */
	int			 api;
	/*
	 * Set while the handler runs on the network thread to answer from
	 * memory if it can: no database, no waiting.  A handler that cannot
	 * calls http_decline and the request goes to a worker as usual.
	 */
	int			 memory_only;
	int			 declined;
	/* Who is signed in (auth.c fills it for the router), or empty. */
	char			 user_id[40];
	char			 user_email[256];
	int			 user_admin;
	/*
	 * On a signed-in page: the forms' CSRF token, bound to the session
	 * (the router sets it from auth_csrf_token), or empty.
	 */
	char			 csrf_session[65];
	/* The last parameter a getter rejected, and why. */
	char			 err_param[64];
	char			 err_detail[256];
};

enum http_param {
	HTTP_PARAM_OK,
	HTTP_PARAM_ABSENT,	/* missing or empty */
	HTTP_PARAM_BAD		/* err_param and err_detail say why */
};

void	http_request_init(struct http_request *);
void	http_request_free(struct http_request *);
/* In memory_only mode: "not from memory"; forgets any response begun. */
void	http_decline(struct http_request *);

int	http_kv_add(struct http_kvlist *, const char *, const char *);
const char *http_kv_get(const struct http_kvlist *, const char *);
const char *http_kv_get_case(const struct http_kvlist *, const char *);
void	http_kv_free(struct http_kvlist *);
/* Parse an application/x-www-form-urlencoded string into a list. */
int	http_parse_urlencoded(struct http_kvlist *, const char *, size_t);
int	http_parse_cookies(struct http_kvlist *, const char *);
/* Percent-decode in place ('+' is a space when plus is set); -1 if bad. */
int	http_url_decode(char *, int);

const char *http_header(const struct http_request *, const char *);
const char *http_cookie(const struct http_request *, const char *);
const char *http_route_param(const struct http_request *, const char *);
/*
 * The first non-empty value or NULL: from the body on POST, from the
 * query string otherwise (never one overriding the other).
 */
const char *http_param(const struct http_request *, const char *);
/* All values of a repeated parameter, in order; returns the count. */
size_t	http_param_all(const struct http_request *, const char *,
	    const char **, size_t);

enum http_param	http_param_str(struct http_request *, const char *, size_t,
		    const char **);
enum http_param	http_param_int(struct http_request *, const char *,
		    long long, long long, long long *);
enum http_param	http_param_double(struct http_request *, const char *,
		    double, double, double *);
enum http_param	http_param_bool(struct http_request *, const char *, int *);
enum http_param	http_param_uuid(struct http_request *, const char *,
		    const char **);
enum http_param	http_param_enum(struct http_request *, const char *,
		    const char *const *, int *);
void	http_param_error(struct http_request *, const char *, const char *,
	    ...) __attribute__((format(printf, 3, 4)));
int	http_is_uuid(const char *);

void	http_header_set(struct http_request *, const char *, const char *);
/* Another header of the same name (Set-Cookie). */
void	http_header_add(struct http_request *, const char *, const char *);
/* Set status and content type; the body is whatever is in req->resp. */
void	http_respond(struct http_request *, int, const char *);
void	http_respond_data(struct http_request *, int, const char *,
	    const void *, size_t);
void	http_respond_json(struct http_request *, int, struct cJSON *);
void	http_redirect(struct http_request *, int, const char *);
/* RFC 9457 problem; param may be NULL. */
void	http_problem(struct http_request *, int, const char *, const char *,
	    const char *);
void	http_stream(struct http_request *, int, const char *,
	    http_stream_fn, void *, void (*)(void *));
/*
 * Set ETag (quoted by the caller) and answer 304 when If-None-Match
 * matches: returns 1 when the handler should stop there.
 */
int	http_etag(struct http_request *, const char *);
/* 1 when an If-None-Match value names etag: "*", or it, weak or strong. */
int	http_etag_matches(const char *, const char *);
const char *http_status_text(int);
/* 1 when the client takes gzip (Accept-Encoding, q above 0). */
int	http_accepts_gzip(const struct http_request *);
/*
 * The last step before a response goes out, once per request: compress
 * a text body for a client that takes gzip (a static body's copy is made
 * once and kept; resp_gzip says resp is compressed already), with
 * Content-Encoding, Vary and a weak ETag.  Run where the handler ran.
 */
void	http_finish(struct http_request *);

#endif
