/*
 * notify: the e-mails a group gets about its own listing, written here
 * and queued in the outbox (outbox.c sends them) inside the caller's
 * transaction: the private link when a listing is sent, and the
 * moderator's decision, each decision with a new link (only hashes of the
 * old ones are kept).  The freshness reminders are remind.c's.  Callers
 * wake the outbox (outbox_wake) once they have committed.
 */
#ifndef NOTIFY_H
#define NOTIFY_H

#include "db.h"

void	notify_init(void);
/* A listing was sent: its submission id, the address, its name, link. */
enum db_status	notify_submitted(const char *, const char *, const char *,
		    const char *);
/*
 * A moderator decided on a submission: published (reason NULL) or not,
 * with the reason.  Nothing is queued when it has no contact address.
 */
enum db_status	notify_decided(const char *, const char *);

#endif
