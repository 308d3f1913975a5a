/*
 * outbox: every e-mail Signpost sends (over SMTP, through net.c).  A
 * message is a row of table outbox, queued with its whole text inside
 * the caller's transaction, so that it exists exactly
 * when what it tells of was stored.  It is sent over SMTP (smtp_url) by
 * the server's sender thread as soon as the caller wakes it (or within a
 * minute), and by `signpost remind`; without SMTP, or with SMTP down, it
 * waits for the next try and /admin/outbox shows it.  Once sent, the edit
 * links in the stored copy are blanked: the table opens no listing.
 */
#ifndef OUTBOX_H
#define OUTBOX_H

#include "db.h"

/* The kinds of message (table outbox's CHECK). */
#define OUTBOX_REMINDER		"reminder"
#define OUTBOX_SUBMITTED	"submitted"
#define OUTBOX_APPROVED		"approved"
#define OUTBOX_REJECTED		"rejected"

struct outbox_counts {
	int	sent;
	int	failed;
};

void	outbox_init(void);
/*
 * Queue a message about a submission (kind, to, subject, text) in the
 * caller's transaction.  Call outbox_wake() once it has committed.
 */
enum db_status	outbox_queue(const char *, const char *, const char *,
		    const char *, const char *);
/* libcurl up and down, for a one-shot command (`signpost remind`). */
int	outbox_open(void);
void	outbox_close(void);
/*
 * Send what waits, oldest first, if smtp_url is set (between
 * outbox_open and outbox_close, or on the sender thread).  DB_UNAVAILABLE when the database was lost on the way.
 */
enum db_status	outbox_send(struct outbox_counts *);

/*
 * The server's sender thread, started only when smtp_url is set:
 * 0, or -1 when it could not start (messages then wait for
 * `signpost remind`).  outbox_wake() is safe from any thread and
 * costs nothing when no thread runs.
 */
int	outbox_start(void);
void	outbox_wake(void);
void	outbox_stop(void);

#endif
