/*
 * A JSON array read a piece at a time.  See json_split.h.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "json_split.h"

enum {
	S_START,	/* before the '[' */
	S_FIRST,	/* after '[': an element or ']' */
	S_NEXT,		/* after ',': an element */
	S_AFTER,	/* after an element: ',' or ']' */
	S_ELEM,		/* in an object, array or string */
	S_SCALAR,	/* in a number, true, false or null */
	S_DONE,		/* after ']' */
	S_ERROR
};

void
json_split_init(struct json_split *s, size_t max, json_split_fn fn,
    void *arg)
{
	memset(s, 0, sizeof(*s));
	s->state = S_START;
	s->max = max;
	s->fn = fn;
	s->arg = arg;
	buf_init(&s->elem);
}

void
json_split_free(struct json_split *s)
{
	buf_free(&s->elem);
}

/* As cJSON reads it: any control byte or space between values. */
static int
space(char c)
{
	return ((unsigned char)c <= ' ');
}

/* The element is whole: handed on. */
static int
emit(struct json_split *s, char *err, size_t errlen)
{
	s->state = S_AFTER;
	if (s->elem.oom) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	if (s->fn(s->arg, s->elem.len > 0 ? s->elem.data : "", s->elem.len,
	    ++s->n) == -1)
		return (-1);
	buf_reset(&s->elem);
	return (0);
}

static int
begin(struct json_split *s, char c)
{
	buf_reset(&s->elem);
	buf_append(&s->elem, &c, 1);
	s->depth = c == '{' || c == '[';
	s->in_str = c == '"';
	s->esc = 0;
	s->state = s->depth > 0 || s->in_str ? S_ELEM : S_SCALAR;
	return (0);
}

/* One byte; -1 with err set when the text cannot be such an array. */
static int
step(struct json_split *s, char c, char *err, size_t errlen)
{
	switch (s->state) {
	case S_START:
		if (space(c))
			return (0);
		if (c != '[')
			goto bad;
		s->state = S_FIRST;
		return (0);
	case S_FIRST:
	case S_NEXT:
		if (space(c))
			return (0);
		if (c == ']' && s->state == S_FIRST) {
			s->state = S_DONE;
			return (0);
		}
		if (c == ']' || c == ',')
			goto bad;
		return (begin(s, c));
	case S_AFTER:
		if (space(c))
			return (0);
		if (c == ',')
			s->state = S_NEXT;
		else if (c == ']')
			s->state = S_DONE;
		else
			goto bad;
		return (0);
	case S_SCALAR:
		if (space(c) || c == ',' || c == ']') {
			if (emit(s, err, errlen) == -1)
				return (-1);
			return (step(s, c, err, errlen));
		}
		break;
	case S_ELEM:
		break;
	case S_DONE:
		if (space(c))
			return (0);
		snprintf(err, errlen, "something after the array's end, at "
		    "byte %lld", s->at);
		return (-1);
	default:
		snprintf(err, errlen, "not an array");
		return (-1);
	}
	/* In an element. */
	if (buf_append(&s->elem, &c, 1) == -1 || s->elem.len > s->max) {
		snprintf(err, errlen, "element %lld is %s", s->n + 1,
		    s->elem.oom ? "too large for memory" : "too large");
		return (-1);
	}
	if (s->state == S_SCALAR)
		return (0);
	if (s->in_str) {
		if (s->esc)
			s->esc = 0;
		else if (c == '\\')
			s->esc = 1;
		else if (c == '"') {
			s->in_str = 0;
			if (s->depth == 0)
				return (emit(s, err, errlen));
		}
		return (0);
	}
	if (c == '"')
		s->in_str = 1;
	else if (c == '{' || c == '[')
		s->depth++;
	else if ((c == '}' || c == ']') && --s->depth == 0)
		return (emit(s, err, errlen));
	return (0);
bad:
	snprintf(err, errlen, "not an array of JSON values: '%c' at byte "
	    "%lld", c, s->at);
	return (-1);
}

int
json_split_feed(struct json_split *s, const char *p, size_t len, char *err,
    size_t errlen)
{
	size_t	i;

	if (s->state == S_ERROR) {
		snprintf(err, errlen, "not an array");
		return (-1);
	}
	for (i = 0; i < len; i++, s->at++)
		if (step(s, p[i], err, errlen) == -1) {
			s->state = S_ERROR;
			return (-1);
		}
	return (0);
}

int
json_split_end(struct json_split *s, char *err, size_t errlen)
{
	if (s->state == S_DONE)
		return (0);
	if (s->state != S_ERROR)
		snprintf(err, errlen, "the array is not closed: the file ends "
		    "%s (at byte %lld): is it cut short?", s->state == S_START ?
		    "before it begins" : "inside it", s->at);
	return (-1);
}
