/*
 * log: the only writer of stderr.  One line per event, prefixed with the
 * time; one access line per request.  Thread-safe (each line is one write).
 */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

/*
 * 1: no info or access lines; 2: no warnings either (the fuzzers, where a
 * warning for every input would bury the fuzzer's own output).
 */
void	log_set_quiet(int);
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_vwarn(const char *, va_list) __attribute__((format(printf, 1, 0)));
void	log_access(const char *, const char *, int, unsigned long long,
	    unsigned long long);
/* Start-up only: print and exit(1). */
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
