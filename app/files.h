/*
 * files: the handlers that answer compiled-in files from asset.c's table,
 * with their ETag and a year's caching for versioned URLs: everything
 * under /assets/, and /favicon.ico and /robots.txt where browsers and
 * crawlers look unasked.
 */
#ifndef FILES_H
#define FILES_H

struct http_request;

void	files_asset(struct http_request *);
void	files_favicon(struct http_request *);
void	files_robots(struct http_request *);

#endif
