/*
 * The HTTP server: libmicrohttpd, the only code in the tree that knows
 * about it, and our worker threads.  Limits are enforced here so no
 * handler can forget them.  See http_server.h.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <limits.h>
#include <pthread.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "buf.h"
#include "config.h"
#include "http.h"
#include "http_server.h"
#include "log.h"

/*
 * libmicrohttpd glue.  A connection's state is made in the URI log
 * callback (the only place that sees the raw request target, needed for
 * the 414 check) and freed in the completion callback, which also writes
 * the access log line.
 *
 * One libmicrohttpd thread does all the network work: parsing, limits,
 * and sending.  Handlers run on our own pool of worker threads, each
 * with its database connection, fed from one queue: a complete request
 * is suspended, queued, run by the next free worker and resumed with its
 * response.  Because every waiting request is in that queue, we can see
 * how many there are and turn the excess away with 503 at once (with
 * libmicrohttpd's own thread pool a request behind a slow one waits,
 * unseen and unbounded, on that thread).  A streamed body is made the
 * same way, one block per job, so no database call ever runs on the
 * network thread.  The app marks requests cheap enough (static assets)
 * to answer on the network thread directly.
 */

enum job {
	JOB_NONE,
	JOB_REQUEST,	/* run the handler */
	JOB_BLOCK	/* make the next block of a streamed body */
};

#define STREAM_BLOCK	(64 * 1024)
/* Headers our responses add (room kept for them in the pool). */
#define HTTP_RESP_HEADERS	32
/* More than any page or API call takes: beyond, 414 or 431 at once. */
#define MAX_QUERY_ARGS		200
#define MAX_HEADERS		100

struct conn {
	struct http_request	 req;
	struct http_server	*srv;
	struct MHD_Connection	*mc;
	struct conn		*next;		/* in the queue */
	enum job		 job;
	struct timespec		 start;
	size_t			 uri_len;
	int			 started;
	int			 nul_in_uri;
	int			 too_large;
	int			 handled;	/* by a worker; resumed */
	int			 queued;	/* a response is queued */
	unsigned long long	 bytes;

	/* A streamed body's current block, made by a worker. */
	char			*block;
	size_t			 block_len;
	size_t			 block_off;
	int			 block_end;	/* 1 end of stream, -1 cut */
};

struct http_server {
	struct MHD_Daemon	*daemon;
	struct http_app		 app;
	pthread_t		*threads;
	int			 nthreads;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct conn		*head, *tail;
	size_t			 waiting;	/* JOB_REQUEST in the queue */
	size_t			 max_waiting;
	int			 stopping;
};

static void *
uri_log_cb(void *cls, const char *uri, struct MHD_Connection *mc)
{
	struct conn	*c;
	const char	*q;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (NULL);
	c->srv = cls;
	c->mc = mc;
	http_request_init(&c->req);
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	c->uri_len = strlen(uri);
	if ((q = strchr(uri, '?')) != NULL)
		c->req.raw_query = strdup(q + 1);
	/* libmicrohttpd decodes %00 in place, which cuts the URL short. */
	for (q = uri; (q = strchr(q, '%')) != NULL; q++)
		if (q[1] == '0' && q[2] == '0')
			c->nul_in_uri = 1;
	return (c);
}

static enum MHD_Result
header_cb(void *cls, enum MHD_ValueKind kind, const char *k, size_t klen,
    const char *v, size_t vlen)
{
	struct conn		*c = cls;
	struct http_request	*req = &c->req;

	if (k == NULL)
		return (MHD_YES);
	if (v == NULL)
		v = "";
	/*
	 * libmicrohttpd 0.9.75 ends a header value at a NUL and reports
	 * that length too, so a NUL cannot be told from the end here.
	 */
	(void)klen;
	(void)vlen;
	switch (kind) {
	case MHD_HEADER_KIND:
		(void)http_kv_add(&req->headers, k, v);
		break;
	case MHD_GET_ARGUMENT_KIND:
		(void)http_kv_add(&req->query, k, v);
		break;
	case MHD_COOKIE_KIND:
		(void)http_kv_add(&req->cookies, k, v);
		break;
	default:
		break;
	}
	return (MHD_YES);
}

static enum MHD_Result
post_cb(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *ctype, const char *enc,
    const char *data, uint64_t off, size_t size)
{
	struct http_request	*req = cls;
	struct http_kv		*last;
	char			*nv;
	size_t			 old;

	(void)kind;
	(void)filename;
	(void)ctype;
	(void)enc;
	/*
	 * A part whose name libmicrohttpd cannot hand over (a NUL inside
	 * it, or no name at all) arrives with a NULL key: the body is
	 * malformed, and the request gets its 400.
	 */
	if (key == NULL)
		return (MHD_NO);
	if (data == NULL)
		size = 0;
	/* Long values arrive in pieces; later pieces continue the last one. */
	if (off > 0 && req->form.n > 0 &&
	    strcmp((last = &req->form.v[req->form.n - 1])->key, key) == 0) {
		old = strlen(last->value);
		if ((nv = realloc(last->value, old + size + 1)) == NULL)
			return (MHD_NO);
		if (size > 0)
			memcpy(nv + old, data, size);
		nv[old + size] = '\0';
		last->value = nv;
		return (MHD_YES);
	}
	if ((nv = strndup(size > 0 ? data : "", size)) == NULL)
		return (MHD_NO);
	if (http_kv_add(&req->form, key, nv) == -1) {
		free(nv);
		return (MHD_NO);
	}
	free(nv);
	return (MHD_YES);
}

static enum http_method
method_of(const char *m)
{
	if (strcmp(m, "GET") == 0)
		return (HTTP_GET);
	if (strcmp(m, "HEAD") == 0)
		return (HTTP_HEAD);
	if (strcmp(m, "POST") == 0)
		return (HTTP_POST);
	if (strcmp(m, "PUT") == 0)
		return (HTTP_PUT);
	if (strcmp(m, "DELETE") == 0)
		return (HTTP_DELETE);
	if (strcmp(m, "OPTIONS") == 0)
		return (HTTP_OPTIONS);
	return (HTTP_OTHER);
}

/*
 * Hands a job to the workers and suspends the connection until one has
 * done it.  -1 when it cannot be queued: the server is stopping, or (for
 * a new request) too many are waiting already.
 */
static int
submit(struct conn *c, enum job job)
{
	struct http_server	*s = c->srv;

	pthread_mutex_lock(&s->mu);
	if (s->stopping || (job == JOB_REQUEST &&
	    s->waiting >= s->max_waiting)) {
		pthread_mutex_unlock(&s->mu);
		return (-1);
	}
	if (job == JOB_REQUEST)
		s->waiting++;
	pthread_mutex_unlock(&s->mu);

	/* Suspended before any worker can see it, so resume comes after. */
	MHD_suspend_connection(c->mc);
	c->job = job;
	c->next = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->tail != NULL)
		s->tail->next = c;
	else
		s->head = c;
	s->tail = c;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	return (0);
}

static void
make_block(struct conn *c)
{
	ssize_t	n;

	c->block_len = c->block_off = 0;
	if (c->block == NULL && (c->block = malloc(STREAM_BLOCK)) == NULL) {
		c->block_end = -1;
		return;
	}
	n = c->req.stream(c->req.stream_arg, c->block, STREAM_BLOCK);
	if (n == 0)
		c->block_end = 1;
	else if (n < 0)
		c->block_end = -1;
	else
		c->block_len = (size_t)n;
}

static void *
worker(void *arg)
{
	struct http_server	*s = arg;
	struct conn		*c;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->head == NULL && !s->stopping)
			pthread_cond_wait(&s->cv, &s->mu);
		if ((c = s->head) == NULL) {
			/* Stopping, and nothing is left to do. */
			pthread_mutex_unlock(&s->mu);
			break;
		}
		if ((s->head = c->next) == NULL)
			s->tail = NULL;
		if (c->job == JOB_REQUEST)
			s->waiting--;
		pthread_mutex_unlock(&s->mu);

		if (c->job == JOB_REQUEST) {
			s->app.handler(&c->req);
			/* Compressing is work too: not the network thread's. */
			http_finish(&c->req);
			c->handled = 1;
		} else
			make_block(c);
		c->job = JOB_NONE;
		MHD_resume_connection(c->mc);
	}
	return (NULL);
}

/* The body of a 304: none, and of no stated length. */
static ssize_t
no_body_cb(void *cls, uint64_t pos, char *dst, size_t max)
{
	(void)cls;
	(void)pos;
	(void)dst;
	(void)max;
	return (MHD_CONTENT_READER_END_OF_STREAM);
}

static ssize_t
stream_cb(void *cls, uint64_t pos, char *dst, size_t max)
{
	struct conn	*c = cls;
	ssize_t		 n;
	size_t		 len;

	(void)pos;
	if (c->srv->nthreads == 0) {
		/* No workers (the fuzzer's server): make it here. */
		n = c->req.stream(c->req.stream_arg, dst, max);
		if (n == 0)
			return (MHD_CONTENT_READER_END_OF_STREAM);
		if (n < 0)
			return (MHD_CONTENT_READER_END_WITH_ERROR);
		c->bytes += (unsigned long long)n;
		return (n);
	}
	if (c->block_off < c->block_len) {
		len = c->block_len - c->block_off;
		if (len > max)
			len = max;
		memcpy(dst, c->block + c->block_off, len);
		c->block_off += len;
		c->bytes += len;
		return ((ssize_t)len);
	}
	if (c->block_end == 1)
		return (MHD_CONTENT_READER_END_OF_STREAM);
	if (c->block_end == -1 || submit(c, JOB_BLOCK) == -1)
		return (MHD_CONTENT_READER_END_WITH_ERROR);
	/* Nothing yet: libmicrohttpd asks again once we resume. */
	return (0);
}

static enum MHD_Result
queue(struct conn *c, struct MHD_Connection *mc)
{
	struct http_request	*req = &c->req;
	struct MHD_Response	*r;
	enum MHD_Result		 ret;
	size_t			 i, len;
	char			*data;

	http_finish(req);
	if (req->stream != NULL) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
		    STREAM_BLOCK, stream_cb, c, NULL);
	} else if (req->static_body != NULL) {
		/*
		 * For a 304 (as for HEAD) libmicrohttpd sends the length of
		 * the body, not the body: the Content-Length RFC 9110 asks of
		 * a 304, where an empty buffer would say "0".
		 */
		r = MHD_create_response_from_buffer(req->static_len,
		    (void *)(uintptr_t)req->static_body,
		    MHD_RESPMEM_PERSISTENT);
		c->bytes = req->status == 304 ? 0 : req->static_len;
	} else if (req->status == 304 && req->resp.len == 0) {
		/*
		 * The tag matched before the body was made, so its length
		 * is not known, and "Content-Length: 0" would be a lie (RFC
		 * 9110 8.6): a response of unknown size states none.  A
		 * handler that has the body leaves it in resp instead, and
		 * libmicrohttpd sends its length but not the body.
		 */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
		    STREAM_BLOCK, no_body_cb, NULL, NULL);
		c->bytes = 0;
	} else {
		len = req->resp.oom ? 0 : req->resp.len;
		if ((data = buf_release(&req->resp)) == NULL)
			return (MHD_NO);
		r = MHD_create_response_from_buffer(len, data,
		    MHD_RESPMEM_MUST_FREE);
		if (r == NULL)
			free(data);
		c->bytes = req->status == 304 ? 0 : len;
	}
	if (r == NULL)
		return (MHD_NO);
	for (i = 0; i < req->resp_headers.n; i++)
		MHD_add_response_header(r, req->resp_headers.v[i].key,
		    req->resp_headers.v[i].value);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(mc, (unsigned int)req->status, r);
	MHD_destroy_response(r);
	c->queued = 1;
	return (ret);
}

static enum MHD_Result
fail_early(struct conn *c, struct MHD_Connection *mc, int status,
    const char *detail)
{
	c->srv->app.error(&c->req, status, detail);
	http_header_set(&c->req, "Connection", "close");
	return (queue(c, mc));
}

static enum MHD_Result
trailer_cb(void *cls, enum MHD_ValueKind kind, const char *k, size_t klen,
    const char *v, size_t vlen)
{
	size_t	*n = cls;

	(void)kind;
	(void)k;
	(void)v;
	*n += klen + vlen + 4;
	return (MHD_YES);
}

static size_t
trailer_bytes(struct MHD_Connection *mc)
{
	size_t	n = 0;

	(void)MHD_get_connection_values_n(mc, MHD_FOOTER_KIND, trailer_cb, &n);
	return (n);
}

static size_t
header_bytes(const struct http_request *req)
{
	size_t	i, n = 0;

	for (i = 0; i < req->headers.n; i++)
		n += strlen(req->headers.v[i].key) +
		    strlen(req->headers.v[i].value) + 4;
	return (n);
}

static size_t
header_count(const struct http_request *req, const char *name)
{
	size_t	i, n = 0;

	for (i = 0; i < req->headers.n; i++)
		if (strcasecmp(req->headers.v[i].key, name) == 0)
			n++;
	return (n);
}

/*
 * RFC 9112 section 6: a body whose length two parts of the chain could
 * read differently is how requests get smuggled past a proxy.  We never
 * guess; libmicrohttpd itself takes the first Content-Length and lets
 * chunked win silently, so these are checked before it reads a byte.
 */
static const char *
framing_error(const struct http_request *req, const char *version)
{
	const char	*te;
	size_t		 ncl, nte, nhost;

	/* RFC 9112 3.2: exactly one Host in HTTP/1.1, at most one before. */
	nhost = header_count(req, "Host");
	if (nhost > 1 || (nhost == 0 && version != NULL &&
	    strcmp(version, "HTTP/1.1") == 0))
		return ("The request needs exactly one Host header.");
	ncl = header_count(req, "Content-Length");
	nte = header_count(req, "Transfer-Encoding");
	if (ncl > 1)
		return ("The request has more than one Content-Length header.");
	if (ncl == 1 && nte > 0)
		return ("The request has both Content-Length and "
		    "Transfer-Encoding headers.");
	if (nte > 1)
		return ("The request has more than one Transfer-Encoding "
		    "header.");
	if (nte == 1 && ((te = http_header(req, "Transfer-Encoding")) ==
	    NULL || strcasecmp(te, "chunked") != 0))
		return ("The only transfer coding accepted is \"chunked\".");
	return (NULL);
}

static int
parse_body(struct conn *c, struct MHD_Connection *mc)
{
	struct http_request	*req = &c->req;
	struct MHD_PostProcessor *pp;
	const char		*ct;
	enum MHD_Result		 r;

	if (req->body.len == 0 || (ct = http_header(req, "Content-Type")) ==
	    NULL)
		return (0);
	if (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
		return (http_parse_urlencoded(&req->form, buf_cstr(&req->body),
		    req->body.len));
	if (strncasecmp(ct, "multipart/form-data", 19) == 0) {
		if ((pp = MHD_create_post_processor(mc, 16 * 1024, post_cb,
		    req)) == NULL)
			return (-1);
		r = MHD_post_process(pp, req->body.data, req->body.len);
		if (MHD_destroy_post_processor(pp) != MHD_YES)
			r = MHD_NO;
		return (r == MHD_YES ? 0 : -1);
	}
	return (0);
}

/* The first call: request line and headers are in, no body yet. */

/*
 * The peer's address, for rate limits.  Behind a proxy this is the
 * proxy's: the limits then apply to all its clients together, which errs
 * on the safe side; X-Forwarded-For is not trusted, anyone can send it.
 */
static void
client_address(struct MHD_Connection *mc, struct http_request *req)
{
	const union MHD_ConnectionInfo	*ci;
	const struct sockaddr		*sa;

	str_copy(req->client_ip, sizeof(req->client_ip), "unknown");
	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    req->client_ip, sizeof(req->client_ip));
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr,
		    req->client_ip, sizeof(req->client_ip));
}

static enum MHD_Result
first_call(struct conn *c, struct MHD_Connection *mc, const char *url,
    const char *method, const char *version)
{
	struct http_request	*req = &c->req;
	const char		*cl, *framing;
	long long		 clen;

	c->started = 1;
	req->method = method_of(method);
	if ((req->method_str = strdup(method)) == NULL ||
	    (req->path = strdup(url)) == NULL)
		return (MHD_NO);
	MHD_get_connection_values_n(mc, MHD_HEADER_KIND |
	    MHD_GET_ARGUMENT_KIND | MHD_COOKIE_KIND, header_cb, c);
	client_address(mc, req);
	if (c->uri_len > config.max_uri_bytes)
		return (fail_early(c, mc, 414, "The address is too long."));
	if (req->query.n > MAX_QUERY_ARGS)
		return (fail_early(c, mc, 414, "The address has too many "
		    "parameters."));
	if (req->headers.n > MAX_HEADERS)
		return (fail_early(c, mc, 431, "The request has too many "
		    "headers."));
	if (c->nul_in_uri)
		return (fail_early(c, mc, 400, "The address contains %00 (a "
		    "NUL character), which is not allowed."));
	if (header_bytes(req) > config.max_header_bytes)
		return (fail_early(c, mc, 431, "The request headers are too "
		    "large."));
	if ((framing = framing_error(req, version)) != NULL)
		return (fail_early(c, mc, 400, framing));
	cl = http_header(req, "Content-Length");
	if (cl != NULL && (str_to_ll(cl, 0, LLONG_MAX, &clen) == -1 ||
	    (unsigned long long)clen > config.max_body_bytes))
		return (fail_early(c, mc, 413, "The request body is too "
		    "large."));
	return (MHD_YES);
}

static enum MHD_Result
access_cb(void *cls, struct MHD_Connection *mc, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct http_server	*s = cls;
	struct conn		*c = *con_cls;
	struct http_request	*req;
	enum http_run		 where;

	if (c == NULL)
		return (MHD_NO);
	req = &c->req;
	if (c->queued) {
		/* An early error was queued: swallow the rest of the body. */
		*upload_size = 0;
		return (MHD_YES);
	}
	if (c->handled)
		return (queue(c, mc));
	if (!c->started)
		return (first_call(c, mc, url, method, version));
	if (*upload_size > 0) {
		/*
		 * Chunked bodies have no length up front: count, keep
		 * consuming, and answer 413 at the end (MHD cannot queue a
		 * response in the middle of an upload).
		 */
		if (!c->too_large && req->body.len + *upload_size >
		    config.max_body_bytes) {
			c->too_large = 1;
			buf_free(&req->body);
		}
		if (!c->too_large)
			buf_append(&req->body, upload, *upload_size);
		*upload_size = 0;
		return (MHD_YES);
	}
	if (c->too_large)
		return (fail_early(c, mc, 413, "The request body is too "
		    "large."));
	/*
	 * A chunked body's trailer fields are headers that come late: the
	 * same limit holds for the two together.
	 */
	if (header_bytes(req) + trailer_bytes(mc) > config.max_header_bytes)
		return (fail_early(c, mc, 431, "The request headers and "
		    "trailers are too large."));
	if (req->body.oom) {
		s->app.error(req, 500, "Out of memory.");
		return (queue(c, mc));
	}
	if (parse_body(c, mc) == -1) {
		s->app.error(req, 400, "The form data could not be read.");
		return (queue(c, mc));
	}
	where = s->nthreads == 0 ? HTTP_RUN_HERE : s->app.where != NULL ?
	    s->app.where(req) : HTTP_RUN_WORKER;
	if (where == HTTP_RUN_HERE) {
		s->app.handler(req);
		return (queue(c, mc));
	}
	if (where == HTTP_RUN_TRY_HERE) {
		/*
		 * A cached feed page needs neither a worker nor the
		 * database: queueing it would cost more than the answer.
		 */
		req->memory_only = 1;
		s->app.handler(req);
		req->memory_only = 0;
		if (!req->declined)
			return (queue(c, mc));
		req->declined = 0;
	}
	if (submit(c, JOB_REQUEST) == -1) {
		s->app.error(req, 503, "The service is busy. Please try again "
		    "in a moment.");
		http_header_set(req, "Retry-After", "1");
		return (queue(c, mc));
	}
	return (MHD_YES);
}

static void
completed_cb(void *cls, struct MHD_Connection *mc, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct conn	*c = *con_cls;
	struct timespec	 now;
	unsigned long long usec;
	long long	 ns;

	(void)cls;
	(void)mc;
	(void)toe;
	if (c == NULL)
		return;
	if (config.access_log && c->started) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		/* Signed first: tv_nsec alone goes backwards every second. */
		ns = (long long)(now.tv_sec - c->start.tv_sec) * 1000000000LL +
		    (now.tv_nsec - c->start.tv_nsec);
		usec = ns > 0 ? (unsigned long long)ns / 1000ULL : 0;
		log_access(c->req.method_str, c->req.path, c->queued ?
		    c->req.status : 0, c->bytes, usec);
	}
	http_request_free(&c->req);
	free(c->block);
	free(c);
	*con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char	msg[1024];
	size_t	n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* Its messages end in a newline; a log line must not. */
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	log_warn("%s", msg);
}

static struct http_server *
server_new(const struct http_app *app, int nthreads, char *err,
    size_t errlen)
{
	struct http_server	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (nthreads > 0 && (s->threads = calloc((size_t)nthreads,
	    sizeof(*s->threads))) == NULL)) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return (NULL);
	}
	s->app = *app;
	s->max_waiting = (size_t)config.max_waiting_per_worker *
	    (size_t)(nthreads > 0 ? nthreads : 1);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	return (s);
}

static void
server_free(struct http_server *s)
{
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->threads);
	free(s);
}

/* Lets every worker finish what is queued, then waits for them. */
static void
stop_workers(struct http_server *s)
{
	int	i;

	pthread_mutex_lock(&s->mu);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	for (i = 0; i < s->nthreads; i++)
		pthread_join(s->threads[i], NULL);
	s->nthreads = 0;
}

/*
 * Each connection's memory pool holds the request as read, one record
 * per query argument and per header (about 64 bytes each in
 * libmicrohttpd 0.9.75) and our response's headers.  Sized for the most
 * records a request within our URI and header limits can have ("a&" is
 * an argument, "X:a" a header), so that libmicrohttpd never runs out
 * before our own checks answer 414 or 431: out of pool it closes the
 * connection with no answer at all.
 */
static size_t
pool_size(void)
{
	size_t	records;

	records = config.max_uri_bytes / 2 + config.max_header_bytes / 4 +
	    HTTP_RESP_HEADERS;
	return ((size_t)config.max_uri_bytes + config.max_header_bytes +
	    records * 64 + 16384);
}

int
http_server_start(struct http_server **out, const struct http_app *app,
    char *err, size_t errlen)
{
	struct http_server	*s;
	struct addrinfo		 hints, *ai = NULL;
	char			 port[8];
	unsigned int		 flags;
	int			 gai, e;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%d", config.port);
	if ((gai = getaddrinfo(config.listen_address, port, &hints, &ai)) !=
	    0) {
		snprintf(err, errlen, "listen_address %s: %s",
		    config.listen_address, gai_strerror(gai));
		return (-1);
	}
	if ((s = server_new(app, config.workers, err, errlen)) == NULL) {
		freeaddrinfo(ai);
		return (-1);
	}
	for (; s->nthreads < config.workers; s->nthreads++)
		if ((e = pthread_create(&s->threads[s->nthreads], NULL,
		    worker, s)) != 0) {
			snprintf(err, errlen, "cannot start a worker: %s",
			    strerror(e));
			freeaddrinfo(ai);
			stop_workers(s);
			server_free(s);
			return (-1);
		}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	s->daemon = MHD_start_daemon(flags, (uint16_t)config.port, NULL, NULL,
	    access_cb, s,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)config.max_connections,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned int)config.max_connections_per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)config.connection_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_size(),
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log_cb, s,
	    MHD_OPTION_NOTIFY_COMPLETED, completed_cb, NULL,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
	    MHD_OPTION_END);
	freeaddrinfo(ai);
	if (s->daemon == NULL) {
		snprintf(err, errlen, "cannot listen on %s port %d (in use, "
		    "or not an address of this machine?)",
		    config.listen_address, config.port);
		stop_workers(s);
		server_free(s);
		return (-1);
	}
	*out = s;
	return (0);
}

int
http_server_start_unbound(struct http_server **out,
    const struct http_app *app, char *err, size_t errlen)
{
	struct http_server	*s;

	if ((s = server_new(app, 0, err, errlen)) == NULL)
		return (-1);
	s->daemon = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET |
	    MHD_USE_ERROR_LOG, 0, NULL, NULL, access_cb, s,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)config.connection_timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_size(),
	    MHD_OPTION_URI_LOG_CALLBACK, uri_log_cb, s,
	    MHD_OPTION_NOTIFY_COMPLETED, completed_cb, NULL,
	    MHD_OPTION_END);
	if (s->daemon == NULL) {
		snprintf(err, errlen, "cannot start libmicrohttpd");
		server_free(s);
		return (-1);
	}
	*out = s;
	return (0);
}

int
http_server_add_connection(struct http_server *s, int fd)
{
	struct sockaddr_in	sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return (MHD_add_connection(s->daemon, fd, (struct sockaddr *)&sin,
	    sizeof(sin)) == MHD_YES ? 0 : -1);
}

int
http_server_run(struct http_server *s, int ms)
{
	return (MHD_run_wait(s->daemon, ms) == MHD_YES ? 0 : -1);
}

int
http_server_connections(struct http_server *s)
{
	const union MHD_DaemonInfo	*i;

	if ((i = MHD_get_daemon_info(s->daemon,
	    MHD_DAEMON_INFO_CURRENT_CONNECTIONS)) == NULL)
		return (-1);
	return ((int)i->num_connections);
}

int
http_server_port(struct http_server *s)
{
	const union MHD_DaemonInfo	*i;

	if ((i = MHD_get_daemon_info(s->daemon,
	    MHD_DAEMON_INFO_BIND_PORT)) == NULL)
		return (-1);
	return (i->port);
}

void
http_server_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	/*
	 * Workers first: libmicrohttpd must not be stopped with a
	 * connection suspended, and once they have drained the queue
	 * nothing new is queued (submit sees stopping and answers 503).
	 */
	stop_workers(s);
	MHD_stop_daemon(s->daemon);
	server_free(s);
}
