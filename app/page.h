/*
 * page: the HTML frame every page shares (head, header, skip link, footer
 * with data attribution), the error page, the static information pages,
 * and small fragments several pages draw (tel: links).  Pages are written
 * into req->resp; all text goes through buf_html.  Thread-safe: no state.
 */
#ifndef PAGE_H
#define PAGE_H

#include "buf.h"

struct http_request;

#define PAGE_MAP	0x01	/* load Leaflet's CSS and JS */
/* Leaflet's CSS only: the page's script loads Leaflet once it is idle. */
#define PAGE_MAP_LATER	0x04
#define PAGE_NOINDEX	0x02

void	page_begin(struct http_request *, const char *, unsigned int);
void	page_end(struct http_request *, unsigned int);
/* Finish with status and the HTML content type and security headers. */
void	page_send(struct http_request *, int);
void	page_error(struct http_request *, int, const char *);
/* Attribution lines required by the data licences, as HTML. */
void	page_attribution(struct buf *);
/* A tel: link showing number; ext (may be NULL) is dialled after a pause. */
void	page_tel_link(struct buf *, const char *number, const char *ext);


#endif
