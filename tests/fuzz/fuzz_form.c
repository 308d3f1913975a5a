/*
 * libFuzzer target for the request parsing in app/http.c that sees raw
 * client bytes: http_parse_urlencoded (form bodies), http_parse_cookies,
 * http_url_decode and http_etag (If-None-Match), then every typed getter
 * over what was parsed.  Beyond memory safety it checks contracts:
 * decoding agrees with an independent decoder, parsed forms survive a
 * buf_url round trip unchanged, and a getter that says OK returned a value
 * that obeys its rules (range, UTF-8, no control characters).
 */
/* fuzz-sources: app/http.c app/gzip.c app/buf.c app/config.c app/log.c */
/* fuzz-pkgs: libcjson zlib */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "http.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/*
 * The reference decoder: returns the decoded length, or -1 for a bad or
 * NUL escape.  Written from RFC 3986 2.1 and the WHATWG urlencoded rules,
 * not from http.c.
 */
static long
ref_decode(const char *in, char *out, int plus)
{
	size_t	i, n = 0;
	int	h, l;

	for (i = 0; in[i] != '\0'; i++) {
		if (in[i] == '%') {
			if (in[i + 1] == '\0' || (h = hex(in[i + 1])) < 0 ||
			    in[i + 2] == '\0' || (l = hex(in[i + 2])) < 0 ||
			    (h | l) == 0)
				return (-1);
			out[n++] = (char)(h * 16 + l);
			i += 2;
		} else
			out[n++] = plus && in[i] == '+' ? ' ' : in[i];
	}
	out[n] = '\0';
	return ((long)n);
}

static int
utf8_ok(const unsigned char *s)
{
	uint32_t	cp;
	size_t		n, i;

	while (*s != '\0') {
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			n = 1;
			cp = *s & 0x1f;
		} else if ((*s & 0xf0) == 0xe0) {
			n = 2;
			cp = *s & 0x0f;
		} else if ((*s & 0xf8) == 0xf0) {
			n = 3;
			cp = *s & 0x07;
		} else
			return (0);
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return (0);
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (0);
		s += n + 1;
	}
	return (1);
}

static void
check_decode(const char *s, size_t len)
{
	char	*a, *b;
	long	 want;
	int	 plus;

	a = malloc(len + 1);
	b = malloc(len + 1);
	assert(a != NULL && b != NULL);
	for (plus = 0; plus <= 1; plus++) {
		memcpy(a, s, len + 1);
		want = ref_decode(s, b, plus);
		if (http_url_decode(a, plus) == 0) {
			assert(want >= 0);
			assert(strlen(a) == (size_t)want);
			assert(memcmp(a, b, (size_t)want) == 0);
		} else
			assert(want < 0);
	}
	free(a);
	free(b);
}

/* Re-encode the list, parse it again: the same pairs must come back. */
static void
check_round_trip(const struct http_kvlist *l)
{
	struct http_kvlist	 again;
	struct buf		 b;
	size_t			 i;

	buf_init(&b);
	memset(&again, 0, sizeof(again));
	for (i = 0; i < l->n; i++) {
		/* Parsing drops empty keys, so none can come out of it. */
		assert(l->v[i].key[0] != '\0');
		if (i > 0)
			buf_puts(&b, "&");
		buf_url(&b, l->v[i].key);
		buf_puts(&b, "=");
		buf_url(&b, l->v[i].value);
	}
	if (b.oom)
		goto out;
	assert(http_parse_urlencoded(&again, buf_cstr(&b), b.len) == 0);
	assert(again.n == l->n);
	for (i = 0; i < l->n; i++) {
		assert(strcmp(again.v[i].key, l->v[i].key) == 0);
		assert(strcmp(again.v[i].value, l->v[i].value) == 0);
	}
out:
	http_kv_free(&again);
	buf_free(&b);
}

static void
check_rejection(const struct http_request *req, const char *name)
{
	/* The parameter name, truncated to fit, and a reason. */
	assert(strncmp(req->err_param, name, sizeof(req->err_param) - 1) ==
	    0 || req->err_param[0] == '\0');
	assert(req->err_detail[0] != '\0');
}

static void
check_getters(struct http_request *req, const char *name)
{
	static const char *const choices[] = { "service", "walking_group",
	    "activity", NULL };
	const char	*s, *raw;
	long long	 ll;
	double		 d;
	int		 b, e;

	raw = http_param(req, name);
	switch (http_param_int(req, name, -1000, 1000, &ll)) {
	case HTTP_PARAM_OK:
		assert(ll >= -1000 && ll <= 1000);
		break;
	case HTTP_PARAM_ABSENT:
		assert(raw == NULL);
		break;
	case HTTP_PARAM_BAD:
		check_rejection(req, name);
		break;
	}
	switch (http_param_double(req, name, -90, 90, &d)) {
	case HTTP_PARAM_OK:
		assert(isfinite(d) && d >= -90 && d <= 90);
		/* Decimal only: no hex floats, "inf" or "nan". */
		assert(strpbrk(raw, "xXnNiI") == NULL);
		break;
	case HTTP_PARAM_ABSENT:
		assert(raw == NULL);
		break;
	case HTTP_PARAM_BAD:
		check_rejection(req, name);
		break;
	}
	if (http_param_bool(req, name, &b) == HTTP_PARAM_OK)
		assert(b == 0 || b == 1);
	switch (http_param_uuid(req, name, &s)) {
	case HTTP_PARAM_OK:
		assert(s != NULL && strlen(s) == 36 && http_is_uuid(s));
		break;
	case HTTP_PARAM_ABSENT:
		assert(s == NULL && raw == NULL);
		break;
	case HTTP_PARAM_BAD:
		assert(s == NULL);
		check_rejection(req, name);
		break;
	}
	if (http_param_enum(req, name, choices, &e) == HTTP_PARAM_OK)
		assert(e >= 0 && e < 3 && strcmp(choices[e], raw) == 0);
	switch (http_param_str(req, name, 64, &s)) {
	case HTTP_PARAM_OK:
		assert(s != NULL && strlen(s) <= 64);
		assert(utf8_ok((const unsigned char *)s));
		for (; *s != '\0'; s++)
			assert((unsigned char)*s >= 0x20 || *s == '\t' ||
			    *s == '\n' || *s == '\r');
		break;
	case HTTP_PARAM_ABSENT:
		assert(s == NULL && raw == NULL);
		break;
	case HTTP_PARAM_BAD:
		assert(s == NULL);
		check_rejection(req, name);
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request	 req;
	const char		*v[8];
	char			*s;
	size_t			 i;

	http_request_init(&req);
	if ((s = malloc(size + 1)) == NULL)
		return (0);
	memcpy(s, data, size);
	s[size] = '\0';

	/* The raw bytes as a body: a NUL inside must be refused. */
	if (http_parse_urlencoded(&req.form, (const char *)data, size) == 0) {
		assert(memchr(data, '\0', size) == NULL);
		check_round_trip(&req.form);
	}
	/* The same bytes as a query string, and as a Cookie header. */
	(void)http_parse_urlencoded(&req.query, s, strlen(s));
	(void)http_parse_cookies(&req.cookies, s);
	for (i = 0; i < req.cookies.n; i++) {
		assert(req.cookies.v[i].key[0] != '\0');
		assert(strchr(req.cookies.v[i].key, ';') == NULL);
		assert(strchr(req.cookies.v[i].value, ';') == NULL);
	}
	check_decode(s, strlen(s));

	for (i = 0; i < req.form.n && i < 16; i++)
		check_getters(&req, req.form.v[i].key);
	for (i = 0; i < req.query.n && i < 16; i++)
		check_getters(&req, req.query.v[i].key);
	check_getters(&req, "absent-name");
	if (req.form.n > 0)
		assert(http_param_all(&req, req.form.v[0].key, v, 8) <= 8);

	/* The bytes as If-None-Match. */
	if (http_kv_add(&req.headers, "If-None-Match", s) == 0 &&
	    http_etag(&req, "\"0123456789abcdef\"") == 1)
		assert(req.status == 304 && req.resp.len == 0);

	free(s);
	http_request_free(&req);
	return (0);
}
