/*
 * page_shortlist: /shortlist, the referral sheet to hand over (printed on
 * A4, texted, emailed or shared as a link), and /shortlist/toggle, the
 * no-JavaScript add/remove that redirects back to a page on this site
 * only.  Thread-safe: no state.
 */
#ifndef PAGE_SHORTLIST_H
#define PAGE_SHORTLIST_H

struct http_request;

void	page_shortlist_init(void);
void	page_shortlist(struct http_request *);
void	page_shortlist_toggle(struct http_request *);

#endif
