/*
 * libFuzzer target for request bodies: the input after its first byte is
 * the body of a well-formed POST, so that every mutation lands in
 * libmicrohttpd's post processor (multipart/form-data or urlencoded) and
 * our callbacks, not in a header the server would refuse first.  The
 * first byte picks the content type, the framing (Content-Length or one
 * chunk) and the route: every POST form, a GET-only page, and no route.
 */
/* fuzz-sources: app */
/* fuzz-dict: request */
#include "request.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const paths[] = {
	"/services/00000000-0000-4000-8000-000000000001/report",
	"/search",
	"/nowhere",
	"/submit",
	"/edit/0000000000000000000000000000000000000000000000000000000000000000"
	    "/change",
	"/admin/login",
	"/admin/submissions/00000000-0000-4000-8000-000000000001/approve",
	"/edit/0000000000000000000000000000000000000000000000000000000000000000"
	    "/withdraw",
};

/*
 * The browser's CSRF cookie: a body that carries csrf=<the same> gets
 * past the router's check into the handler (the seeds do).
 */
#define COOKIE	"Cookie: signpost_csrf=" \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"

static const char *const types[] = {
	"multipart/form-data; boundary=zz",
	"application/x-www-form-urlencoded",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*path, *type;
	uint8_t		*req;
	size_t		 n, cap;
	int		 chunked, k;

	if (size < 1)
		return (0);
	type = types[data[0] & 1];
	chunked = (data[0] >> 1) & 1;
	path = paths[(data[0] >> 2) % (sizeof(paths) / sizeof(paths[0]))];
	data++;
	size--;
	cap = size + 512;
	if ((req = malloc(cap)) == NULL)
		return (0);
	if (chunked)
		k = snprintf((char *)req, cap, "POST %s HTTP/1.1\r\nHost: f\r\n"
		    COOKIE "Content-Type: %s\r\nTransfer-Encoding: chunked"
		    "\r\n\r\n",
		    path, type);
	else
		k = snprintf((char *)req, cap, "POST %s HTTP/1.1\r\nHost: f\r\n"
		    COOKIE "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
		    path,
		    type, size);
	n = (size_t)k;
	/* One chunk holding the body, then the last chunk. */
	if (chunked && size > 0)
		n += (size_t)snprintf((char *)req + n, cap - n, "%zx\r\n",
		    size);
	memcpy(req + n, data, size);
	n += size;
	if (chunked && size > 0) {
		memcpy(req + n, "\r\n", 2);
		n += 2;
	}
	if (chunked) {
		memcpy(req + n, "0\r\n\r\n", 5);
		n += 5;
	}
	fuzz_connection(req, n);
	free(req);
	return (0);
}
