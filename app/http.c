/*
 * The HTTP request: the object handlers see, parameter parsing, response
 * helpers, compression.  Pure (no sockets, no libmicrohttpd): unit tests
 * and fuzzers drive it on hand-made requests.  The server that fills it
 * is http_server.c.
 */
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "gzip.h"
#include "http.h"
#include "log.h"

void
http_request_init(struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	buf_init(&req->body);
	buf_init(&req->resp);
	req->status = 200;
}

void
http_request_free(struct http_request *req)
{
	free(req->method_str);
	free(req->path);
	free(req->raw_query);
	http_kv_free(&req->query);
	http_kv_free(&req->form);
	http_kv_free(&req->headers);
	http_kv_free(&req->cookies);
	http_kv_free(&req->route);
	http_kv_free(&req->resp_headers);
	buf_free(&req->body);
	buf_free(&req->resp);
	if (req->stream_free != NULL && req->stream_arg != NULL)
		req->stream_free(req->stream_arg);
	memset(req, 0, sizeof(*req));
}

void
http_decline(struct http_request *req)
{
	http_kv_free(&req->resp_headers);
	buf_reset(&req->resp);
	if (req->stream_free != NULL && req->stream_arg != NULL)
		req->stream_free(req->stream_arg);
	req->stream = NULL;
	req->stream_arg = NULL;
	req->stream_free = NULL;
	req->static_body = NULL;
	req->static_len = 0;
	req->resp_gzip = 0;
	req->status = 200;
	req->err_param[0] = req->err_detail[0] = '\0';
	http_kv_free(&req->route);
	req->declined = 1;
}

int
http_kv_add(struct http_kvlist *l, const char *k, const char *v)
{
	struct http_kv	*nv;
	size_t		 cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 8;
		if ((nv = reallocarray(l->v, cap, sizeof(*nv))) == NULL)
			return (-1);
		l->v = nv;
		l->cap = cap;
	}
	if ((l->v[l->n].key = strdup(k)) == NULL)
		return (-1);
	if ((l->v[l->n].value = strdup(v != NULL ? v : "")) == NULL) {
		free(l->v[l->n].key);
		return (-1);
	}
	l->n++;
	return (0);
}

const char *
http_kv_get(const struct http_kvlist *l, const char *k)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, k) == 0)
			return (l->v[i].value);
	return (NULL);
}

const char *
http_kv_get_case(const struct http_kvlist *l, const char *k)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].key, k) == 0)
			return (l->v[i].value);
	return (NULL);
}

void
http_kv_free(struct http_kvlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

int
http_url_decode(char *s, int plus)
{
	char	*r, *w;
	int	 hi, lo;

	for (r = w = s; *r != '\0'; r++) {
		if (*r == '%') {
			if ((hi = hexval((unsigned char)r[1])) == -1 ||
			    (lo = hexval((unsigned char)r[2])) == -1)
				return (-1);
			/* A decoded NUL would cut the value short silently. */
			if (hi == 0 && lo == 0)
				return (-1);
			*w++ = (char)(hi << 4 | lo);
			r += 2;
		} else if (plus && *r == '+')
			*w++ = ' ';
		else
			*w++ = *r;
	}
	*w = '\0';
	return (0);
}

int
http_parse_urlencoded(struct http_kvlist *l, const char *s, size_t len)
{
	char	*copy, *p, *pair, *eq;
	int	 rc = -1;

	if ((copy = strndup(s, len)) == NULL)
		return (-1);
	/* strndup stops at a NUL byte: a body holding one is malformed. */
	if (strlen(copy) != len)
		goto out;
	p = copy;
	while ((pair = strsep(&p, "&")) != NULL) {
		if (*pair == '\0')
			continue;
		if ((eq = strchr(pair, '=')) != NULL)
			*eq++ = '\0';
		if (http_url_decode(pair, 1) == -1 ||
		    (eq != NULL && http_url_decode(eq, 1) == -1))
			goto out;
		if (*pair == '\0')
			continue;
		if (http_kv_add(l, pair, eq != NULL ? eq : "") == -1)
			goto out;
	}
	rc = 0;
out:
	free(copy);
	return (rc);
}

int
http_parse_cookies(struct http_kvlist *l, const char *s)
{
	char	*copy, *p, *pair, *eq;
	int	 rc = -1;

	if ((copy = strdup(s)) == NULL)
		return (-1);
	p = copy;
	while ((pair = strsep(&p, ";")) != NULL) {
		pair = str_trim(pair);
		if ((eq = strchr(pair, '=')) == NULL || eq == pair)
			continue;
		*eq++ = '\0';
		if (http_kv_add(l, str_trim(pair), str_trim(eq)) == -1)
			goto out;
	}
	rc = 0;
out:
	free(copy);
	return (rc);
}

const char *
http_header(const struct http_request *req, const char *name)
{
	return (http_kv_get_case(&req->headers, name));
}

const char *
http_cookie(const struct http_request *req, const char *name)
{
	return (http_kv_get(&req->cookies, name));
}

const char *
http_route_param(const struct http_request *req, const char *name)
{
	return (http_kv_get(&req->route, name));
}

/*
 * A POST's parameters are its body's and a GET's its query's, never a
 * mix: a link must not be able to override what a form sent.
 */
static const struct http_kvlist *
params(const struct http_request *req)
{
	return (req->method == HTTP_POST ? &req->form : &req->query);
}

const char *
http_param(const struct http_request *req, const char *name)
{
	const struct http_kvlist	*l = params(req);
	const char			*v;
	size_t				 i;

	for (i = 0; i < l->n; i++) {
		v = l->v[i].value;
		if (strcmp(l->v[i].key, name) == 0 && *v != '\0')
			return (v);
	}
	return (NULL);
}

size_t
http_param_all(const struct http_request *req, const char *name,
    const char **out, size_t max)
{
	const struct http_kvlist	*l = params(req);
	size_t				 i, n = 0;

	for (i = 0; i < l->n && n < max; i++)
		if (strcmp(l->v[i].key, name) == 0 && *l->v[i].value != '\0')
			out[n++] = l->v[i].value;
	return (n);
}

void
http_param_error(struct http_request *req, const char *name, const char *fmt,
    ...)
{
	va_list	ap;

	str_copy(req->err_param, sizeof(req->err_param), name);
	va_start(ap, fmt);
	vsnprintf(req->err_detail, sizeof(req->err_detail), fmt, ap);
	va_end(ap);
}

/* The length of the UTF-8 sequence at p, or 0 if it is not well-formed. */
static size_t
utf8_seq(const unsigned char *p)
{
	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return ((p[1] & 0xc0) == 0x80 ? 2 : 0);
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return (0);
		/* Overlong forms, and the UTF-16 surrogates. */
		if ((p[0] == 0xe0 && p[1] < 0xa0) ||
		    (p[0] == 0xed && p[1] > 0x9f))
			return (0);
		return (3);
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80)
			return (0);
		/* Overlong forms, and above U+10FFFF. */
		if ((p[0] == 0xf0 && p[1] < 0x90) ||
		    (p[0] == 0xf4 && p[1] > 0x8f))
			return (0);
		return (4);
	}
	return (0);
}

enum http_param
http_param_str(struct http_request *req, const char *name, size_t maxlen,
    const char **out)
{
	const char	*v;
	const unsigned char *p;
	size_t		 n;

	*out = NULL;
	if ((v = http_param(req, name)) == NULL)
		return (HTTP_PARAM_ABSENT);
	if (strlen(v) > maxlen) {
		http_param_error(req, name, "%s must be at most %zu characters",
		    name, maxlen);
		return (HTTP_PARAM_BAD);
	}
	for (p = (const unsigned char *)v; *p != '\0'; p += n) {
		/* The database is UTF-8 and would fail the whole statement. */
		if ((n = utf8_seq(p)) == 0) {
			http_param_error(req, name,
			    "%s is not valid UTF-8 text", name);
			return (HTTP_PARAM_BAD);
		}
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
		    *p == 0x7f) {
			http_param_error(req, name,
			    "%s contains control characters", name);
			return (HTTP_PARAM_BAD);
		}
	}
	*out = v;
	return (HTTP_PARAM_OK);
}

enum http_param
http_param_int(struct http_request *req, const char *name, long long min,
    long long max, long long *out)
{
	const char	*v;

	if ((v = http_param(req, name)) == NULL)
		return (HTTP_PARAM_ABSENT);
	if (str_to_ll(v, min, max, out) == -1) {
		http_param_error(req, name,
		    "%s must be a whole number from %lld to %lld", name, min,
		    max);
		return (HTTP_PARAM_BAD);
	}
	return (HTTP_PARAM_OK);
}

enum http_param
http_param_double(struct http_request *req, const char *name, double min,
    double max, double *out)
{
	const char	*v;

	if ((v = http_param(req, name)) == NULL)
		return (HTTP_PARAM_ABSENT);
	if (str_to_double(v, min, max, out) == -1) {
		http_param_error(req, name, "%s must be a number from %g to %g",
		    name, min, max);
		return (HTTP_PARAM_BAD);
	}
	return (HTTP_PARAM_OK);
}

enum http_param
http_param_bool(struct http_request *req, const char *name, int *out)
{
	const char	*v;

	if ((v = http_param(req, name)) == NULL)
		return (HTTP_PARAM_ABSENT);
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0 || strcmp(v, "no") == 0)
		*out = 0;
	else {
		http_param_error(req, name, "%s must be true or false", name);
		return (HTTP_PARAM_BAD);
	}
	return (HTTP_PARAM_OK);
}

int
http_is_uuid(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 36)
		return (0);
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return (0);
		} else if (!isxdigit((unsigned char)s[i]))
			return (0);
	}
	return (1);
}

enum http_param
http_param_uuid(struct http_request *req, const char *name, const char **out)
{
	const char	*v;

	*out = NULL;
	if ((v = http_param(req, name)) == NULL)
		return (HTTP_PARAM_ABSENT);
	if (!http_is_uuid(v)) {
		http_param_error(req, name, "%s must be a UUID", name);
		return (HTTP_PARAM_BAD);
	}
	*out = v;
	return (HTTP_PARAM_OK);
}

enum http_param
http_param_enum(struct http_request *req, const char *name,
    const char *const *choices, int *out)
{
	const char	*v;
	struct buf	 list;
	int		 i;

	if ((v = http_param(req, name)) == NULL)
		return (HTTP_PARAM_ABSENT);
	for (i = 0; choices[i] != NULL; i++)
		if (strcmp(choices[i], v) == 0) {
			*out = i;
			return (HTTP_PARAM_OK);
		}
	buf_init(&list);
	for (i = 0; choices[i] != NULL; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", choices[i]);
	http_param_error(req, name, "%s must be one of: %s", name,
	    buf_cstr(&list));
	buf_free(&list);
	return (HTTP_PARAM_BAD);
}

void
http_header_set(struct http_request *req, const char *k, const char *v)
{
	size_t	i;

	for (i = 0; i < req->resp_headers.n; i++)
		if (strcasecmp(req->resp_headers.v[i].key, k) == 0) {
			char	*nv;

			if ((nv = strdup(v)) == NULL)
				return;
			free(req->resp_headers.v[i].value);
			req->resp_headers.v[i].value = nv;
			return;
		}
	(void)http_kv_add(&req->resp_headers, k, v);
}

void
http_header_add(struct http_request *req, const char *k, const char *v)
{
	(void)http_kv_add(&req->resp_headers, k, v);
}

void
http_respond(struct http_request *req, int status, const char *ctype)
{
	req->status = status;
	if (ctype != NULL)
		http_header_set(req, "Content-Type", ctype);
}

void
http_respond_data(struct http_request *req, int status, const char *ctype,
    const void *data, size_t len)
{
	buf_reset(&req->resp);
	buf_append(&req->resp, data, len);
	http_respond(req, status, ctype);
}

void
http_respond_json(struct http_request *req, int status, cJSON *json)
{
	char	*s;

	if ((s = cJSON_PrintUnformatted(json)) == NULL) {
		http_respond_data(req, 500, "text/plain; charset=utf-8",
		    "out of memory\n", 14);
		return;
	}
	buf_reset(&req->resp);
	buf_puts(&req->resp, s);
	cJSON_free(s);
	http_respond(req, status, "application/json");
}

void
http_problem(struct http_request *req, int status, const char *title,
    const char *detail, const char *param)
{
	cJSON	*p;

	if ((p = cJSON_CreateObject()) == NULL) {
		http_respond_data(req, 500, "text/plain; charset=utf-8",
		    "out of memory\n", 14);
		return;
	}
	cJSON_AddStringToObject(p, "type", "about:blank");
	cJSON_AddStringToObject(p, "title", title != NULL ? title :
	    http_status_text(status));
	cJSON_AddNumberToObject(p, "status", status);
	if (detail != NULL)
		cJSON_AddStringToObject(p, "detail", detail);
	if (param != NULL)
		cJSON_AddStringToObject(p, "parameter", param);
	if (req->path != NULL)
		cJSON_AddStringToObject(p, "instance", req->path);
	http_respond_json(req, status, p);
	http_header_set(req, "Content-Type", "application/problem+json");
	cJSON_Delete(p);
}

void
http_redirect(struct http_request *req, int status, const char *location)
{
	buf_reset(&req->resp);
	http_header_set(req, "Location", location);
	http_respond(req, status, "text/plain; charset=utf-8");
}

void
http_stream(struct http_request *req, int status, const char *ctype,
    http_stream_fn fn, void *arg, void (*freefn)(void *))
{
	req->stream = fn;
	req->stream_arg = arg;
	req->stream_free = freefn;
	http_respond(req, status, ctype);
}

int
http_etag_matches(const char *inm, const char *etag)
{
	const char	*p, *q;
	size_t		 elen = strlen(etag);

	for (p = inm; *p != '\0'; p = q) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (*p == '*')
			return (1);
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		for (q = p; *q != '\0' && *q != ','; q++)
			;
		while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if ((size_t)(q - p) == elen && memcmp(p, etag, elen) == 0)
			return (1);
		while (*q != '\0' && *q != ',')
			q++;
	}
	return (0);
}

int
http_etag(struct http_request *req, const char *etag)
{
	const char	*inm;

	http_header_set(req, "ETag", etag);
	if ((inm = http_header(req, "If-None-Match")) == NULL ||
	    !http_etag_matches(inm, etag))
		return (0);
	buf_reset(&req->resp);
	req->status = 304;
	return (1);
}

/* A q value of zero ("0", "0.0", "0.000"): the coding is refused. */
static int
q_zero(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (end - p < 2 || strncasecmp(p, "q=", 2) != 0)
		return (0);
	for (p += 2; p < end && *p != ' ' && *p != '\t'; p++)
		if (*p != '0' && *p != '.')
			return (0);
	return (1);
}

int
http_accepts_gzip(const struct http_request *req)
{
	const char	*ae, *p, *e, *semi, *t;
	size_t		 n;
	int		 star = 0;

	if ((ae = http_header(req, "Accept-Encoding")) == NULL)
		return (0);
	for (p = ae; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		for (semi = p; semi < e && *semi != ';'; semi++)
			;
		for (t = semi; t > p && (t[-1] == ' ' || t[-1] == '\t'); t--)
			;
		n = (size_t)(t - p);
		/* RFC 9110 12.5.3: "x-gzip" is the same coding. */
		if ((n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(p, "x-gzip", 6) == 0))
			return (semi == e || !q_zero(semi + 1, e));
		if (n == 1 && *p == '*')
			star = semi == e || !q_zero(semi + 1, e);
	}
	return (star);
}

/* Text of any kind: worth compressing.  Images and archives are not. */
static int
compressible(const char *ctype)
{
	return (ctype != NULL && (strncasecmp(ctype, "text/", 5) == 0 ||
	    strstr(ctype, "json") != NULL || strstr(ctype, "javascript") !=
	    NULL || strstr(ctype, "xml") != NULL));
}

void
http_finish(struct http_request *req)
{
	struct buf		 gz;
	struct gzip_stream	*g;
	const char		*etag;
	const void		*sgz;
	size_t			 sgzlen;
	char			 weak[128];

	if (req->finished)
		return;
	req->finished = 1;
	if (!compressible(http_kv_get_case(&req->resp_headers,
	    "Content-Type")) || req->status == 204 ||
	    http_kv_get_case(&req->resp_headers, "Content-Encoding") != NULL)
		return;
	/* Caches must keep the two forms apart. */
	http_header_set(req, "Vary", "Accept-Encoding");
	if (!http_accepts_gzip(req))
		return;
	if (req->resp_gzip)
		;
	else if (req->stream != NULL) {
		if (req->status == 304 || (g = gzip_stream_new(req->stream,
		    req->stream_arg, req->stream_free)) == NULL)
			return;
		req->stream = gzip_stream_read;
		req->stream_arg = g;
		req->stream_free = gzip_stream_free;
	} else if (req->static_body != NULL) {
		if (req->static_len < GZIP_MIN_LEN || gzip_static(
		    req->static_body, req->static_len, &sgz, &sgzlen) == -1)
			return;
		req->static_body = sgz;
		req->static_len = sgzlen;
	} else if (req->status == 304) {
		/*
		 * The length a 200 would have is the compressed one, not
		 * known without the work: the 304 states none.
		 */
		buf_reset(&req->resp);
		return;
	} else {
		if (req->resp.oom || req->resp.len < GZIP_MIN_LEN)
			return;
		buf_init(&gz);
		if (gzip_buf(req->resp.data, req->resp.len, &gz) == -1 ||
		    gz.oom) {
			buf_free(&gz);
			return;
		}
		buf_free(&req->resp);
		req->resp = gz;
	}
	http_header_set(req, "Content-Encoding", "gzip");
	/*
	 * A strong tag names one exact byte sequence (RFC 9110 8.8.1):
	 * the compressed body's is weak, as nginx makes it, and
	 * If-None-Match compares weakly, so either form still matches.
	 */
	if ((etag = http_kv_get_case(&req->resp_headers, "ETag")) != NULL &&
	    etag[0] == '"' && snprintf(weak, sizeof(weak), "W/%s", etag) <
	    (int)sizeof(weak))
		http_header_set(req, "ETag", weak);
}

const char *
http_status_text(int status)
{
	switch (status) {
	case 200: return ("OK");
	case 201: return ("Created");
	case 204: return ("No Content");
	case 301: return ("Moved Permanently");
	case 302: return ("Found");
	case 303: return ("See Other");
	case 304: return ("Not Modified");
	case 400: return ("Bad Request");
	case 401: return ("Unauthorized");
	case 403: return ("Forbidden");
	case 404: return ("Not Found");
	case 405: return ("Method Not Allowed");
	case 409: return ("Conflict");
	case 413: return ("Content Too Large");
	case 414: return ("URI Too Long");
	case 415: return ("Unsupported Media Type");
	case 422: return ("Unprocessable Content");
	case 429: return ("Too Many Requests");
	case 431: return ("Request Header Fields Too Large");
	case 500: return ("Internal Server Error");
	case 503: return ("Service Unavailable");
	default: return ("Unknown");
	}
}
