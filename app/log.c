/*
 * Logging to stderr.  Each line is formatted into one buffer and written
 * with a single write(2), so lines from worker threads never interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int	quiet;

void
log_set_quiet(int q)
{
	quiet = q;
}

static void
log_line(const char *level, const char *fmt, va_list ap)
{
	char		 line[2048];
	struct timespec	 ts;
	struct tm	 tm;
	size_t		 n;
	int		 r;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S", &tm);
	r = snprintf(line + n, sizeof(line) - n, ".%03ldZ %s", ts.tv_nsec /
	    1000000, level);
	if (r > 0 && (size_t)r < sizeof(line) - n)
		n += (size_t)r;
	r = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (r < 0)
		r = 0;
	n += (size_t)r;
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	log_line("", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	if (quiet > 1)
		return;
	va_start(ap, fmt);
	log_line("warning: ", fmt, ap);
	va_end(ap);
}

void
log_vwarn(const char *fmt, va_list ap)
{
	if (quiet > 1)
		return;
	log_line("warning: ", fmt, ap);
}

void
log_access(const char *method, const char *path, int status,
    unsigned long long bytes, unsigned long long usec)
{
	char	 clean[512];
	size_t	 i;

	if (quiet)
		return;
	/* Paths are logged as received: control bytes could forge lines. */
	for (i = 0; path[i] != '\0' && i < sizeof(clean) - 1; i++)
		clean[i] = ((unsigned char)path[i] < 0x20 ||
		    path[i] == 0x7f) ? '?' : path[i];
	clean[i] = '\0';
	log_info("%s %s %d %llu %lluus", method, clean, status, bytes, usec);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_line("fatal: ", fmt, ap);
	va_end(ap);
	exit(1);
}
