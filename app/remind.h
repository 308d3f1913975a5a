/*
 * remind: freshness.  `signpost remind` queues the e-mails that ask a
 * listing's contact to check it (each with a new edit link) and sends the
 * outbox (outbox.c).  remind_main runs alone.  (The moderators' pages of
 * what is due and what was sent are page_review.c.)
 */
#ifndef REMIND_H
#define REMIND_H

void	remind_init(void);
/* `signpost remind`: 0, or 1 when the database cannot be reached. */
int	remind_main(void);

/*
 * When a listing's yearly check is due, in SQL ($1 review_months; s the
 * service): its review_due, or review_months after it was last checked.
 */
#define REMIND_DUE_SQL \
	"coalesce(s.review_due, (s.last_reviewed" \
	" + make_interval(months => $1::int))::date)"

#endif
