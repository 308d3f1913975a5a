/*
 * remind: freshness.  `signpost remind` queues the e-mails that ask a
 * listing's contact to check it (each with a new edit link) and sends the
 * outbox (outbox.c); the moderators' pages list what is due for review
 * and every e-mail waiting or sent.  The pages are thread-safe;
 * remind_main runs alone.
 */
#ifndef REMIND_H
#define REMIND_H

struct http_request;

void	remind_init(void);
/* `signpost remind`: 0, or 1 when the database cannot be reached. */
int	remind_main(void);

/* GET /admin/review and GET /admin/outbox (LOGIN routes). */
void	remind_page_review(struct http_request *);
void	remind_page_outbox(struct http_request *);

#endif
