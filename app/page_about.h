/*
 * page_about: /about/data, where the directory's data comes from: the
 * fixed sources (postcodes, categories, map tiles) and every directory
 * listings were imported from, with their number, when it was last read
 * and what its licence asks us to say (ALISS's CC BY 4.0).
 */
#ifndef PAGE_ABOUT_H
#define PAGE_ABOUT_H

struct http_request;

void	page_about_init(void);
void	page_about_data(struct http_request *);

#endif
