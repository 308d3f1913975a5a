/*
 * page_review: the moderators' view of freshness.  /admin/review lists
 * the listings due (or nearly due) for their yearly check, with when the
 * group was last reminded; /admin/outbox every e-mail waiting to go
 * (with the last error) and the latest sent.  Thread-safe.
 */
#ifndef PAGE_REVIEW_H
#define PAGE_REVIEW_H

struct http_request;

void	page_review_init(void);
/* GET /admin/review and GET /admin/outbox (LOGIN routes). */
void	page_review(struct http_request *);
void	page_outbox(struct http_request *);

#endif
