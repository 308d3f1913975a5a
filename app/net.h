/*
 * net: Signpost as a client, and the only file that includes
 * <curl/curl.h>: a message handed to an SMTP server (the outbox) and a
 * document fetched over HTTP(S) (the feed importer).  A struct net is
 * one libcurl handle, reused for its connections; one thread at a time.
 */
#ifndef NET_H
#define NET_H

#include <stddef.h>

struct buf;
struct net;

/* libcurl up and down, once per process (before threads start). */
int	net_open(void);
void	net_close(void);

struct net	*net_new(void);
void		 net_free(struct net *);

/*
 * One message to an SMTP server: url (smtp:// or smtps://; nothing
 * else), user and password when user is not empty, the envelope's from
 * and to (bare addresses), the message's text.  0, or -1 and why in err.
 */
int	net_smtp_send(struct net *, const char *, const char *,
	    const char *, const char *, const char *, const char *, size_t,
	    char *, size_t);

/*
 * GET url (http:// or https:// only, redirects followed within those)
 * into out, at most max bytes (more is an error, and the transfer
 * stops), within timeout seconds.  *status is the HTTP status (0 when
 * none came).  0 when a response came (whatever its status), -1 and why
 * in err when none did, -2 when it was too big.
 */
int	net_get(struct net *, const char *, size_t, long, struct buf *,
	    long *, char *, size_t);
/*
 * A page of a feed: net_get, tried again after 1, 2, 4 ... s (tries in
 * all) when no answer came or the answer was 429 or 5xx (the server may
 * be busy); anything else is said at once.  0 with a 200's body, or -1
 * and why in err ("HTTP 404").
 */
int	net_fetch(struct net *, const char *, size_t, long, int, struct buf *,
	    char *, size_t);

#endif
