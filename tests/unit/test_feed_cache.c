/*
 * feed_cache: bodies come back byte for byte for the same key and
 * version only; a newer version empties the cache; a body rendered before
 * a change cannot land after it; the byte cap holds with the least
 * recently used body going first; and it stays whole under threads.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "buf.h"
#include "feed_cache.h"
#include "unit.h"

/* Versions only grow in the cache's life: each test takes fresh ones. */
static uint64_t	next_version = 1;

static uint64_t
fresh(void)
{
	return (next_version += 10);
}

static int
get(const char *key, uint64_t v, struct buf *b, char *ct, size_t ctlen)
{
	buf_reset(b);
	return (feed_cache_get(key, v, 0, b, ct, ctlen));
}

static void
test_cache_returns_the_same_bytes_for_key_and_version(void **state)
{
	struct buf	 b;
	char		 ct[48];
	uint64_t	 v = fresh();
	const char	 body[] = "{\"a\":1}\0tail";	/* NUL inside */

	(void)state;
	buf_init(&b);
	assert_int_equal(get("/api/x?p=1", v, &b, ct, sizeof(ct)), -1);
	feed_cache_put("/api/x?p=1", v, "application/json", body,
	    sizeof(body));
	assert_int_equal(get("/api/x?p=1", v, &b, ct, sizeof(ct)), 0);
	assert_int_equal(b.len, sizeof(body));
	assert_memory_equal(b.data, body, sizeof(body));
	assert_string_equal(ct, "application/json");
	/* Another key, or an older version, is a miss. */
	assert_int_equal(get("/api/x?p=2", v, &b, ct, sizeof(ct)), -1);
	assert_int_equal(get("/api/x?p=1", v - 1, &b, ct, sizeof(ct)), -1);
	buf_free(&b);
}

/* The gzip copy is made at put and inflates to the body itself. */
static void
test_cache_gives_the_gzip_copy_when_asked(void **state)
{
	struct buf	 b;
	char		 ct[48], body[4000], back[4000];
	uint64_t	 v = fresh();
	z_stream	 z;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(body); i++)
		body[i] = "{\"name\":\"walk\"},"[i % 16];
	buf_init(&b);
	feed_cache_put("/gz", v, "application/json", body, sizeof(body));
	assert_int_equal(feed_cache_get("/gz", v, 1, &b, ct, sizeof(ct)), 1);
	assert_true(b.len < sizeof(body) / 4);
	assert_int_equal((unsigned char)b.data[0], 0x1f);
	assert_int_equal((unsigned char)b.data[1], 0x8b);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)b.data;
	z.avail_in = (uInt)b.len;
	z.next_out = (Bytef *)back;
	z.avail_out = sizeof(back);
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.total_out, sizeof(body));
	inflateEnd(&z);
	assert_memory_equal(back, body, sizeof(body));
	/* Without gz, the body; a tiny body has no gzip copy at all. */
	assert_int_equal(get("/gz", v, &b, ct, sizeof(ct)), 0);
	assert_int_equal(b.len, sizeof(body));
	feed_cache_put("/tiny", v, "application/json", "{}", 2);
	buf_reset(&b);
	assert_int_equal(feed_cache_get("/tiny", v, 1, &b, ct, sizeof(ct)),
	    0);
	assert_int_equal(b.len, 2);
	buf_free(&b);
}

static void
test_cache_newer_version_empties_it(void **state)
{
	struct buf	 b;
	char		 ct[48];
	size_t		 bytes, n;
	uint64_t	 v = fresh();

	(void)state;
	buf_init(&b);
	feed_cache_put("/a", v, "application/json", "1", 1);
	feed_cache_put("/b", v, "application/json", "2", 1);
	feed_cache_stats(&bytes, &n);
	assert_true(n >= 2);
	assert_int_equal(get("/a", v + 1, &b, ct, sizeof(ct)), -1);
	feed_cache_stats(&bytes, &n);
	assert_int_equal(n, 0);
	assert_int_equal(bytes, 0);
	/* The old version's body is gone for good. */
	assert_int_equal(get("/b", v, &b, ct, sizeof(ct)), -1);
	buf_free(&b);
}

static void
test_cache_ignores_a_body_rendered_before_a_change(void **state)
{
	struct buf	 b;
	char		 ct[48];
	uint64_t	 v = fresh();

	(void)state;
	buf_init(&b);
	feed_cache_put("/new", v + 1, "application/json", "new", 3);
	feed_cache_put("/old", v, "application/json", "old", 3);
	assert_int_equal(get("/old", v, &b, ct, sizeof(ct)), -1);
	assert_int_equal(get("/new", v + 1, &b, ct, sizeof(ct)), 0);
	assert_memory_equal(b.data, "new", 3);
	buf_free(&b);
}

static void
test_cache_keeps_under_the_cap_evicting_least_recent(void **state)
{
	struct buf	 b;
	char		 ct[48], key[32], *big;
	size_t		 bytes, n, sz = 1u << 20;
	uint64_t	 v = fresh();
	int		 i, total;

	(void)state;
	buf_init(&b);
	assert_non_null(big = malloc(sz));
	memset(big, 'x', sz);
	total = (int)(FEED_CACHE_MAX_BYTES / sz) + 8;
	for (i = 0; i < total; i++) {
		snprintf(key, sizeof(key), "/k%d", i);
		feed_cache_put(key, v, "application/json", big, sz);
		/* Touch /k0 each time: it must outlive everything else. */
		assert_int_equal(get("/k0", v, &b, ct, sizeof(ct)), 0);
	}
	feed_cache_stats(&bytes, &n);
	assert_true(bytes <= FEED_CACHE_MAX_BYTES);
	assert_true(n < (size_t)total);
	assert_int_equal(get("/k1", v, &b, ct, sizeof(ct)), -1);
	snprintf(key, sizeof(key), "/k%d", total - 1);
	assert_int_equal(get(key, v, &b, ct, sizeof(ct)), 0);
	assert_int_equal(b.len, sz);
	/* An empty body is a body. */
	feed_cache_put("/empty", v, "application/json", big, 0);
	assert_int_equal(get("/empty", v, &b, ct, sizeof(ct)), 0);
	assert_int_equal(b.len, 0);
	/* Too big for one entry: not kept at all. */
	free(big);
	assert_non_null(big = calloc(1, FEED_CACHE_MAX_ENTRY + 1));
	feed_cache_put("/huge", v, "application/json", big,
	    FEED_CACHE_MAX_ENTRY + 1);
	assert_int_equal(get("/huge", v, &b, ct, sizeof(ct)), -1);
	free(big);
	buf_free(&b);
	feed_cache_clear();
}

#define NTHREADS	4
#define ROUNDS		2000

static uint64_t	thread_version;

static void *
hammer(void *arg)
{
	struct buf	 b;
	char		 ct[48], key[32], body[64];
	int		 i, id = (int)(intptr_t)arg, bad = 0;

	buf_init(&b);
	for (i = 0; i < ROUNDS; i++) {
		snprintf(key, sizeof(key), "/t%d/%d", id, i % 50);
		snprintf(body, sizeof(body), "body of %s", key);
		feed_cache_put(key, thread_version, "application/json", body,
		    strlen(body));
		buf_reset(&b);
		if (feed_cache_get(key, thread_version, 0, &b, ct,
		    sizeof(ct)) == 0 && (b.len != strlen(body) ||
		    memcmp(b.data, body, b.len) != 0))
			bad++;
	}
	buf_free(&b);
	return ((void *)(intptr_t)bad);
}

static void
test_cache_is_consistent_under_threads(void **state)
{
	pthread_t	t[NTHREADS];
	void		*bad;
	int		 i, total = 0;

	(void)state;
	thread_version = fresh();
	for (i = 0; i < NTHREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer,
		    (void *)(intptr_t)i), 0);
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(t[i], &bad), 0);
		total += (int)(intptr_t)bad;
	}
	assert_int_equal(total, 0);
	feed_cache_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_cache_returns_the_same_bytes_for_key_and_version),
		cmocka_unit_test(test_cache_gives_the_gzip_copy_when_asked),
		cmocka_unit_test(test_cache_newer_version_empties_it),
		cmocka_unit_test(
		    test_cache_ignores_a_body_rendered_before_a_change),
		cmocka_unit_test(
		    test_cache_keeps_under_the_cap_evicting_least_recent),
		cmocka_unit_test(test_cache_is_consistent_under_threads),
	};

	return (RUN_UNIT_TESTS("feed_cache", tests));
}
