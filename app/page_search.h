/*
 * page_search: the home page (the search form) and /search (results as a
 * list and a map).  Bad input never gets an error page: the form comes
 * back with what was typed, an error summary and a message by each field.
 * Thread-safe: no state of its own.
 */
#ifndef PAGE_SEARCH_H
#define PAGE_SEARCH_H

struct http_request;

void	page_search_home(struct http_request *);
void	page_search_results(struct http_request *);

#endif
