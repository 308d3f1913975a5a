/*
 * Response compression.  See gzip.h.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "buf.h"
#include "gzip.h"

/* zlib's window bits plus 16: a gzip header and trailer, not zlib's. */
#define GZIP_WBITS	(15 + 16)

static int
start(z_stream *z)
{
	memset(z, 0, sizeof(*z));
	return (deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, GZIP_WBITS,
	    8, Z_DEFAULT_STRATEGY) == Z_OK ? 0 : -1);
}

int
gzip_buf(const void *data, size_t len, struct buf *out)
{
	z_stream	 z;
	unsigned char	*tmp = NULL;
	uLong		 bound;
	int		 rc = -1;

	if (len > (size_t)UINT32_MAX || start(&z) == -1)
		return (-1);
	bound = deflateBound(&z, (uLong)len);
	if ((tmp = malloc(bound)) == NULL)
		goto out;
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = tmp;
	z.avail_out = (uInt)bound;
	/* The bound holds the whole output, so one call ends the stream. */
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		goto out;
	rc = buf_append(out, tmp, bound - z.avail_out);
out:
	deflateEnd(&z);
	free(tmp);
	return (rc);
}

struct memo {
	const void	*data;
	size_t		 len;
	struct buf	 gz;
	struct memo	*next;
};

static pthread_mutex_t	 memo_lock = PTHREAD_MUTEX_INITIALIZER;
static struct memo	*memos;

int
gzip_static(const void *data, size_t len, const void **gz, size_t *gzlen)
{
	struct memo	*m;
	int		 rc = -1;

	/*
	 * A handful of entries (the compiled-in files and fixed documents),
	 * each made once: the lock is held while the first is compressed
	 * so two threads never do the same work.
	 */
	pthread_mutex_lock(&memo_lock);
	for (m = memos; m != NULL; m = m->next)
		if (m->data == data && m->len == len)
			break;
	if (m == NULL && (m = calloc(1, sizeof(*m))) != NULL) {
		m->data = data;
		m->len = len;
		buf_init(&m->gz);
		if (gzip_buf(data, len, &m->gz) == -1) {
			buf_free(&m->gz);
			free(m);
			m = NULL;
		} else {
			m->next = memos;
			memos = m;
		}
	}
	if (m != NULL) {
		*gz = m->gz.data;
		*gzlen = m->gz.len;
		rc = 0;
	}
	pthread_mutex_unlock(&memo_lock);
	return (rc);
}

struct gzip_stream {
	z_stream	 z;
	gzip_read_fn	 fn;
	void		*arg;
	void		(*freefn)(void *);
	int		 inner_end;
	int		 done;
	char		 in[16384];
};

struct gzip_stream *
gzip_stream_new(gzip_read_fn fn, void *arg, void (*freefn)(void *))
{
	struct gzip_stream	*g;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return (NULL);
	if (start(&g->z) == -1) {
		free(g);
		return (NULL);
	}
	g->fn = fn;
	g->arg = arg;
	g->freefn = freefn;
	return (g);
}

ssize_t
gzip_stream_read(void *arg, char *dst, size_t max)
{
	struct gzip_stream	*g = arg;
	ssize_t			 n;
	int			 rc;

	if (g->done)
		return (0);
	if (max > (size_t)UINT32_MAX)
		max = UINT32_MAX;
	g->z.next_out = (Bytef *)dst;
	g->z.avail_out = (uInt)max;
	/*
	 * Fill dst, or end the stream: 0 means the end to our caller, so
	 * a call that has read input but not yet made output goes on.
	 */
	while (g->z.avail_out > 0) {
		if (g->z.avail_in == 0 && !g->inner_end) {
			if ((n = g->fn(g->arg, g->in, sizeof(g->in))) < 0)
				return (-1);
			if (n == 0)
				g->inner_end = 1;
			g->z.next_in = (Bytef *)g->in;
			g->z.avail_in = (uInt)n;
		}
		rc = deflate(&g->z, g->inner_end ? Z_FINISH : Z_NO_FLUSH);
		if (rc == Z_STREAM_END) {
			g->done = 1;
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return (-1);
	}
	return ((ssize_t)(max - g->z.avail_out));
}

void
gzip_stream_free(void *arg)
{
	struct gzip_stream	*g = arg;

	if (g == NULL)
		return;
	deflateEnd(&g->z);
	if (g->freefn != NULL)
		g->freefn(g->arg);
	free(g);
}
