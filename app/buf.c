/*
 * Growable buffers and escaping.  Escaping lives here, next to the buffer,
 * so that no page or feed has a reason to write its own.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
buf_grow(struct buf *b, size_t need)
{
	size_t	 cap;
	char	*p;

	if (b->oom)
		return (-1);
	if (need > SIZE_MAX - b->len - 1)
		goto fail;
	if (b->len + need + 1 <= b->cap)
		return (0);
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1) {
		if (cap > SIZE_MAX / 2)
			goto fail;
		cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == NULL)
		goto fail;
	b->data = p;
	b->cap = cap;
	return (0);
fail:
	b->oom = 1;
	return (-1);
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (buf_grow(b, n) == -1)
		return (-1);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (0);
}

int
buf_puts(struct buf *b, const char *s)
{
	return (buf_append(b, s, strlen(s)));
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (buf_grow(b, 128) == -1)
		return (-1);
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		return (-1);
	}
	if ((size_t)n >= b->cap - b->len) {
		if (buf_grow(b, (size_t)n) == -1)
			return (-1);
		va_start(ap, fmt);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			return (-1);
	}
	b->len += (size_t)n;
	return (0);
}

int
buf_html(struct buf *b, const char *s)
{
	const char	*start;

	if (s == NULL)
		return (0);
	for (start = s; *s != '\0'; s++) {
		const char *rep;

		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_append(b, start, (size_t)(s - start));
		buf_puts(b, rep);
		start = s + 1;
	}
	buf_append(b, start, (size_t)(s - start));
	return (b->oom ? -1 : 0);
}

int
buf_url(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	if (s == NULL)
		return (0);
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			buf_append(b, s, 1);
		} else {
			char	e[3] = { '%', hex[c >> 4], hex[c & 15] };

			buf_append(b, e, 3);
		}
	}
	return (b->oom ? -1 : 0);
}

int
buf_json_str(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 c;

	buf_append(b, "\"", 1);
	for (; s != NULL && *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char	e[2] = { '\\', (char)c };

			buf_append(b, e, 2);
		} else if (c == '\n') {
			buf_append(b, "\\n", 2);
		} else if (c == '\r') {
			buf_append(b, "\\r", 2);
		} else if (c == '\t') {
			buf_append(b, "\\t", 2);
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			/* <>& too: the string may end up in a <script>. */
			char	e[6] = { '\\', 'u', '0', '0', hex[c >> 4],
			    hex[c & 15] };

			buf_append(b, e, 6);
		} else
			buf_append(b, s, 1);
	}
	buf_append(b, "\"", 1);
	return (b->oom ? -1 : 0);
}

const char *
buf_cstr(struct buf *b)
{
	return (b->data != NULL && !b->oom ? b->data : "");
}

char *
buf_release(struct buf *b)
{
	char	*p;

	if (b->oom) {
		buf_free(b);
		return (NULL);
	}
	if (b->data == NULL && buf_grow(b, 0) == -1)
		return (NULL);
	if (b->len == 0)
		b->data[0] = '\0';
	p = b->data;
	buf_init(b);
	return (p);
}

int
buf_append_file(struct buf *b, const char *path)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;
	int	 rc = 0, saved = 0;

	if ((f = fopen(path, "r")) == NULL)
		return (-1);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	if (ferror(f)) {
		saved = errno != 0 ? errno : EIO;
		rc = -1;
	} else if (b->oom) {
		saved = ENOMEM;
		rc = -1;
	}
	fclose(f);
	if (rc == -1)
		errno = saved;
	return (rc);
}

int
str_to_ll(const char *s, long long min, long long max, long long *out)
{
	char		*end;
	long long	 v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

int
str_to_double(const char *s, double min, double max, double *out)
{
	char	*end;
	double	 v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return (-1);
	/* strtod also reads hex floats ("0x1p4"), "inf" and "nan". */
	if (s[strspn(s, "0123456789+-.eE")] != '\0')
		return (-1);
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

int
str_copy(char *dst, size_t dstlen, const char *src)
{
	size_t	n;

	if (dstlen == 0)
		return (-1);
	n = strlen(src);
	if (n >= dstlen) {
		dst[0] = '\0';
		return (-1);
	}
	memcpy(dst, src, n + 1);
	return (0);
}

char *
str_trim(char *s)
{
	char	*b, *e;

	for (b = s; isspace((unsigned char)*b); b++)
		;
	e = b + strlen(b);
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	/* One move: a move per leading space is quadratic on form input. */
	memmove(s, b, (size_t)(e - b));
	s[e - b] = '\0';
	return (s);
}

/* A plain decimal number: an optional minus, digits, a point, digits. */
static int
plain_number(const char *v)
{
	size_t	n;

	if (*v == '-')
		v++;
	if ((n = strspn(v, "0123456789")) == 0)
		return (0);
	v += n;
	if (*v == '.') {
		v++;
		if ((n = strspn(v, "0123456789")) == 0)
			return (0);
		v += n;
	}
	return (*v == '\0');
}

/*
 * A plain number goes bare, so that spreadsheets and GIS tools read it as
 * one (a longitude is negative).  Anything else is quoted, and text a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe: these files are opened in spreadsheets, and listings are
 * typed by the public.
 */
int
buf_csv_field(struct buf *b, const char *v, int last)
{
	if (v == NULL)
		v = "";
	if (v[0] != '\0' && plain_number(v)) {
		buf_puts(b, v);
		return (buf_puts(b, last ? "\r\n" : ","));
	}
	buf_puts(b, "\"");
	if (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' ||
	    v[0] == '\t' || v[0] == '\r')
		buf_puts(b, "'");
	for (; *v != '\0'; v++) {
		if (*v == '"')
			buf_puts(b, "\"");
		buf_append(b, v, 1);
	}
	return (buf_puts(b, last ? "\"\r\n" : "\","));
}

static int
two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return (-1);
	return ((s[0] - '0') * 10 + (s[1] - '0'));
}

int
str_to_date(const char *s, int *y, int *m, int *d)
{
	static const int	 mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };
	int			 yy, mm, dd, max;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    two(s) == -1 || two(s + 2) == -1 ||
	    (mm = two(s + 5)) == -1 || (dd = two(s + 8)) == -1)
		return (-1);
	yy = two(s) * 100 + two(s + 2);
	if (yy < 1 || mm < 1 || mm > 12 || dd < 1)
		return (-1);
	max = mdays[mm - 1] + (mm == 2 && ((yy % 4 == 0 && yy % 100 != 0) ||
	    yy % 400 == 0));
	if (dd > max)
		return (-1);
	*y = yy;
	*m = mm;
	*d = dd;
	return (0);
}

int
str_to_hhmm(const char *s, int *minutes)
{
	int	h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' ||
	    (h = two(s)) == -1 || (m = two(s + 3)) == -1 || h > 23 || m > 59)
		return (-1);
	*minutes = h * 60 + m;
	return (0);
}

