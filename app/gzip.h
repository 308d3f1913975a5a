/*
 * gzip: compressing response bodies (RFC 1952) with zlib, whole or as a
 * stream, and a memo of the compressed copies of bodies that never change
 * (compiled-in files), so each is compressed once per process.  The memo
 * is thread-safe; a stream belongs to the thread that reads it.
 */
#ifndef GZIP_H
#define GZIP_H

#include <stddef.h>
#include <sys/types.h>

struct buf;

/* Smaller bodies gain less than the header and the work cost. */
#define GZIP_MIN_LEN	256

/* Appends the gzip of data to out: 0, or -1 (out of memory). */
int	gzip_buf(const void *, size_t, struct buf *);
/*
 * The gzip of a body that stays at that address, unchanged, until exit:
 * made on first use and kept.  0, or -1 when it cannot be made.
 */
int	gzip_static(const void *, size_t, const void **, size_t *);

/*
 * A stream of the gzip of another stream (same reader signature as
 * http_stream_fn: at most max bytes into dst, 0 at the end, -1 to cut).
 * gzip_stream_new takes the inner reader and its free function.
 */
typedef ssize_t	(*gzip_read_fn)(void *, char *, size_t);
struct gzip_stream;
struct gzip_stream *gzip_stream_new(gzip_read_fn, void *, void (*)(void *));
ssize_t	gzip_stream_read(void *, char *, size_t);
void	gzip_stream_free(void *);

#endif
