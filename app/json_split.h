/*
 * json_split: a JSON array read a piece at a time, each element handed on
 * as soon as its last byte has come, so that a file of one huge array
 * ("[{...}, {...}, ...]") is held one element at a time, not whole.  It
 * finds where elements begin and end (strings, escapes, nesting, the
 * commas between them) and checks nothing else: each element is parsed by
 * whoever receives it (cJSON).  No allocation but the element's bytes.
 */
#ifndef JSON_SPLIT_H
#define JSON_SPLIT_H

#include <stddef.h>

#include "buf.h"

/* Called with each element's bytes (not NUL-terminated past len, but
 * elem[len] is '\0') and its number from 1: 0 to go on, -1 to stop. */
typedef int	(*json_split_fn)(void *, const char *, size_t, long long);

struct json_split {
	int		 state;
	int		 depth;		/* of [ and { within the element */
	int		 in_str, esc;
	size_t		 max;		/* the largest element, in bytes */
	long long	 n;		/* elements handed on */
	long long	 at;		/* bytes read */
	struct buf	 elem;
	json_split_fn	 fn;
	void		*arg;
};

void	json_split_init(struct json_split *, size_t, json_split_fn, void *);
void	json_split_free(struct json_split *);
/*
 * The next piece of the text: 0; -1 when it is not an array of that shape
 * (or an element is over max, or fn stopped), with why and the byte in
 * err.  After fn stops, err is left as fn left it.
 */
int	json_split_feed(struct json_split *, const char *, size_t, char *,
	    size_t);
/* The text's end: 0 when the array was closed, else -1 with why. */
int	json_split_end(struct json_split *, char *, size_t);

#endif
