/*
 * reply: how an error reaches whoever asked.  A person gets the page
 * (page_error), a program on an API route gets problem JSON
 * (http_problem) it may read from another origin.  Which one the router
 * says, from its table, in req->api; nothing here knows the table.  And
 * how an export goes out (CSV, GeoJSON files).
 */
#ifndef REPLY_H
#define REPLY_H

#include "db.h"

struct http_request;

void	reply_error(struct http_request *, int, const char *);
/* A 400 for the parameter a getter rejected (req->err_param). */
void	reply_bad_param(struct http_request *);
/* 503 for DB_UNAVAILABLE, 500 (logged) for DB_ERROR. */
void	reply_db_error(struct http_request *, enum db_status);

/*
 * A file for spreadsheets and partners (name: its download name, or
 * NULL), with an ETag of its bytes, so that a partner polling it gets
 * 304 until the directory changes what it holds.  Fresh for five minutes.
 */
void	reply_export(struct http_request *, const char *, const char *,
	    const char *, size_t);

#endif
