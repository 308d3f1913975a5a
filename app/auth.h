/*
 * auth: moderator accounts, sessions and the random tokens the product
 * hands out (session cookies, the groups' edit links).  A token is 256
 * random bits shown as 64 hex characters; only its SHA-256 is stored, and
 * a token is looked up by that hash, then compared in constant time.
 * Passwords are argon2id strings from libsodium.  Thread-safe.
 */
#ifndef AUTH_H
#define AUTH_H

#include "db.h"

struct http_request;

#define AUTH_TOKEN_HEX	64
#define AUTH_PASSWORD_MIN	12	/* characters */
#define AUTH_PASSWORD_MAX	256
#define AUTH_EMAIL_MAX	254
/* A bytea literal for a parameter: "\x" and 64 hex digits. */
#define AUTH_HASH_LIT	67
#define AUTH_COOKIE	"signpost_session"
/* A browser its moderator has signed in from before (see auth.c). */
#define AUTH_KNOWN_COOKIE	"signpost_known"

void	auth_init(void);
/* A new token and the literal of its hash. */
void	auth_token_new(char *, char *);
/* The hash literal of a presented token; -1 if it cannot be one of ours. */
int	auth_token_hash(const char *, char *);
/* Constant-time comparison of two hash literals. */
int	auth_hash_equal(const char *, const char *);

/*
 * Fills req->user_* when the session cookie names a live session of an
 * enabled account (and renews its idle time); leaves them empty when not.
 * DB_OK in both cases.
 */
enum db_status	auth_session(struct http_request *);

/*
 * The CSRF token of a signed-in browser's forms: derived from its session
 * token (which no other site can read), so it is worth nothing without
 * that session.  0, or -1 when the request has no session cookie.
 */
int	auth_csrf_token(const struct http_request *, char *);

/*
 * Signing in: the address's and the account's throttles (see auth.c),
 * the password, a new session (replacing the one the browser came with)
 * and this browser remembered as its owner's.
 */
struct auth_credentials {
	const char	*email;
	const char	*password;
	const char	*ip;
	const char	*session_token;	/* the browser's, may be NULL */
	const char	*known_token;	/* the browser's, may be NULL */
};
struct auth_signin {
	char		 session[AUTH_TOKEN_HEX + 1];	/* the new session */
	char		 known[AUTH_TOKEN_HEX + 1];	/* a new known-browser
							   token, or empty */
	int		 retry_secs;	/* AUTH_THROTTLED: when to try again */
	enum db_status	 st;		/* AUTH_DB_FAILED: why */
};
enum auth_result {
	AUTH_SIGNED_IN,
	AUTH_REFUSED,		/* unknown, wrong or disabled: one answer */
	AUTH_THROTTLED,
	AUTH_DB_FAILED
};
enum auth_result	auth_sign_in(const struct auth_credentials *,
			    struct auth_signin *);
/* Ends the session a token names (none: nothing to do). */
enum db_status	auth_sign_out(const char *);

/* `signpost user add|disable|list ...`: exit status. */
int	cmd_user(int, char **);

#endif
