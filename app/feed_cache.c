/*
 * The feed's body cache: a chained hash table for look-up and a doubly
 * linked list for recency.  A body is copied out under the lock rather
 * than lent, because an entry may be evicted while libmicrohttpd is still
 * sending it; a copy of a page costs microseconds, far below the request.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "feed_cache.h"
#include "gzip.h"

#define NBUCKETS	4096

struct entry {
	struct entry	*hnext;		/* hash chain */
	struct entry	*prev, *next;	/* LRU: head is the most recent */
	uint64_t	 hash;
	uint64_t	 version;
	char		 ctype[48];
	char		*key;
	char		*body;
	size_t		 len;
	struct buf	 gz;		/* its gzip, when worth having */
};

static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry	*buckets[NBUCKETS];
static struct entry	*head, *tail;
static size_t		 bytes, entries;
static uint64_t		 newest;

static uint64_t
fnv1a(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return (h);
}

static size_t
cost(const struct entry *e)
{
	return (sizeof(*e) + strlen(e->key) + 1 + e->len + e->gz.len);
}

static void
lru_unlink(struct entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push(struct entry *e)
{
	e->prev = NULL;
	e->next = head;
	if (head != NULL)
		head->prev = e;
	head = e;
	if (tail == NULL)
		tail = e;
}

static void
free_entry(struct entry *e)
{
	free(e->key);
	free(e->body);
	buf_free(&e->gz);
	free(e);
}

static void
remove_entry(struct entry *e)
{
	struct entry	**pp;

	for (pp = &buckets[e->hash % NBUCKETS]; *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	lru_unlink(e);
	bytes -= cost(e);
	entries--;
	free_entry(e);
}

static void
clear_locked(void)
{
	while (head != NULL)
		remove_entry(head);
}

static struct entry *
find(const char *key, uint64_t h)
{
	struct entry	*e;

	for (e = buckets[h % NBUCKETS]; e != NULL; e = e->hnext)
		if (e->hash == h && strcmp(e->key, key) == 0)
			return (e);
	return (NULL);
}

int
feed_cache_get(const char *key, uint64_t version, int gz, struct buf *out,
    char *ctype, size_t ctlen)
{
	struct entry	*e;
	uint64_t	 h = fnv1a(key);
	int		 rc = -1;

	pthread_mutex_lock(&lock);
	if (version > newest) {
		clear_locked();
		newest = version;
	}
	if ((e = find(key, h)) != NULL && e->version == version) {
		lru_unlink(e);
		lru_push(e);
		if (gz && e->gz.len > 0) {
			if (buf_append(out, e->gz.data, e->gz.len) == 0 &&
			    str_copy(ctype, ctlen, e->ctype) == 0)
				rc = 1;
		} else if (buf_append(out, e->body, e->len) == 0 &&
		    str_copy(ctype, ctlen, e->ctype) == 0)
			rc = 0;
	}
	pthread_mutex_unlock(&lock);
	return (rc);
}

void
feed_cache_put(const char *key, uint64_t version, const char *ctype,
    const void *body, size_t len)
{
	struct entry	*e, *old;
	uint64_t	 h = fnv1a(key);

	if (len > FEED_CACHE_MAX_ENTRY)
		return;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;
	e->hash = h;
	e->version = version;
	e->len = len;
	if (str_copy(e->ctype, sizeof(e->ctype), ctype) == -1 ||
	    (e->key = strdup(key)) == NULL ||
	    (e->body = malloc(len > 0 ? len : 1)) == NULL) {
		free(e->key);
		free(e);
		return;
	}
	memcpy(e->body, body, len);
	/* Compressed once here, outside the lock, not at every hit. */
	buf_init(&e->gz);
	if (len >= GZIP_MIN_LEN && gzip_buf(body, len, &e->gz) == -1)
		buf_free(&e->gz);
	pthread_mutex_lock(&lock);
	if (version > newest) {
		clear_locked();
		newest = version;
	}
	/* A body rendered before a change must not replace a newer one. */
	if (version < newest) {
		pthread_mutex_unlock(&lock);
		free_entry(e);
		return;
	}
	if ((old = find(key, h)) != NULL)
		remove_entry(old);
	while (tail != NULL && bytes + cost(e) > FEED_CACHE_MAX_BYTES)
		remove_entry(tail);
	e->hnext = buckets[h % NBUCKETS];
	buckets[h % NBUCKETS] = e;
	lru_push(e);
	bytes += cost(e);
	entries++;
	pthread_mutex_unlock(&lock);
}

void
feed_cache_stats(size_t *nbytes, size_t *nentries)
{
	pthread_mutex_lock(&lock);
	*nbytes = bytes;
	*nentries = entries;
	pthread_mutex_unlock(&lock);
}

void
feed_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	clear_locked();
	pthread_mutex_unlock(&lock);
}
