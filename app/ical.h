/*
 * ical: GET /services/{id}/calendar.ics, a service's opening times as an
 * RFC 5545 calendar (one recurring VEVENT per schedule, times in a full
 * Europe/London VTIMEZONE).  A service with no schedules, or not active,
 * gets a valid calendar with no events: subscribers keep working and see
 * nothing rather than an error.  A malformed id is a 400 page, an unknown
 * one a 404 page.  Thread-safe: no state.
 */
#ifndef ICAL_H
#define ICAL_H

#include "buf.h"

struct http_request;

void	ical_init(void);
void	ical_service(struct http_request *);

/* TEXT value escaping (\ ; , and new lines), and 75-octet line folding
 * that never splits a UTF-8 character; both append to the buffer. */
void	ical_text(struct buf *, const char *);
void	ical_line(struct buf *, const char *, size_t);

#endif
