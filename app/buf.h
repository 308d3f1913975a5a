/*
 * buf: growable byte buffers, and the escaping every page and feed needs
 * (HTML, URL, JSON string), plus strict number parsing for all outside text.
 * A buffer that failed to grow stays failed (oom set) and later appends are
 * no-ops, so callers can check once at the end.  Not thread-safe per buffer.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char	*data;		/* always NUL-terminated when len > 0 */
	size_t	 len;
	size_t	 cap;
	int	 oom;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
int	 buf_append(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_html(struct buf *, const char *);	/* & < > " ' escaped */
int	 buf_url(struct buf *, const char *);	/* RFC 3986 unreserved kept */
int	 buf_json_str(struct buf *, const char *); /* quoted JSON string */
/*
 * One CSV field (RFC 4180) and its separator (a comma, or CRLF after the
 * last): numbers bare, text quoted, formulas neutralised with a leading
 * apostrophe.  NULL is an empty field.
 */
int	 buf_csv_field(struct buf *, const char *, int);
const char *buf_cstr(struct buf *);		/* "" when empty */
char	*buf_release(struct buf *);		/* caller frees; buf emptied */
/* Append a whole file.  0, or -1 with errno set (ENOMEM if the buf failed). */
int	 buf_append_file(struct buf *, const char *path);

/* Whole-string parses: no trailing junk, no overflow.  0 or -1. */
int	 str_to_ll(const char *, long long, long long, long long *);
int	 str_to_double(const char *, double, double, double *);
/*
 * Dates and times the way every form, feed parameter and schedule writes
 * them: "YYYY-MM-DD", a real day of the Gregorian calendar, and "HH:MM"
 * on the 24-hour clock.  The whole string; 0 with the parts, or -1.
 */
int	 str_to_date(const char *, int *, int *, int *);
int	 str_to_hhmm(const char *, int *);
/* Copy with truncation check: 0, or -1 if it did not fit. */
int	 str_copy(char *, size_t, const char *);
/* Trim leading and trailing ASCII white space in place; returns s. */
char	*str_trim(char *);

#endif
