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

/* The sign-in pages; whoami says who is signed in, with a sign-out button. */
void	page_admin_login_form(struct http_request *);
void	page_admin_login_post(struct http_request *);
void	page_admin_logout(struct http_request *);
void	page_admin_whoami(struct http_request *);

/* `signpost user add|disable|list ...`: exit status. */
int	cmd_user(int, char **);

#endif
