/*
 * feed_cache: rendered feed bodies in memory, keyed by normalised URL and
 * directory version, least recently used first out, capped in bytes.
 * Thread-safe (one mutex; it is held only for look-ups and copies).
 */
#ifndef FEED_CACHE_H
#define FEED_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Cap on the whole cache, and on one body (bigger ones are not kept). */
#define FEED_CACHE_MAX_BYTES	(64u << 20)
#define FEED_CACHE_MAX_ENTRY	(8u << 20)

/*
 * Copies the body for key at version into out (appended) and its content
 * type into ctype: with gz set, its gzip when the cache has one (1),
 * else the body itself (0); -1 on a miss.  A newer version than the
 * cache has seen empties the cache: every older body is stale.  Each
 * body is compressed once, when it is put.
 */
int	feed_cache_get(const char *, uint64_t, int, struct buf *, char *,
	    size_t);
void	feed_cache_put(const char *, uint64_t, const char *, const void *,
	    size_t);
/* Bytes and entries held, for tests and the log. */
void	feed_cache_stats(size_t *, size_t *);
void	feed_cache_clear(void);

#endif
