/*
 * Accounts, sessions and tokens.  See auth.h.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"

static const struct db_stmt stmts[] = {
	{ "auth_session",
	  "UPDATE user_session s SET last_seen = now() FROM app_user u"
	  " WHERE s.token_hash = $1::bytea AND u.id = s.user_id"
	  " AND u.disabled_at IS NULL AND s.expires_at > now()"
	  " AND s.last_seen > now() - make_interval(mins => $2::int)"
	  " RETURNING u.id, u.email, u.role = 'admin', s.token_hash" },
};

void
auth_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static void
hash_lit(const char *tok, char *lit)
{
	unsigned char	h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)tok, AUTH_TOKEN_HEX);
	lit[0] = '\\';
	lit[1] = 'x';
	sodium_bin2hex(lit + 2, AUTH_HASH_LIT - 2, h, sizeof(h));
}

void
auth_token_new(char *tok, char *lit)
{
	unsigned char	raw[AUTH_TOKEN_HEX / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(tok, AUTH_TOKEN_HEX + 1, raw, sizeof(raw));
	hash_lit(tok, lit);
}

int
auth_token_hash(const char *tok, char *lit)
{
	size_t	i;

	if (tok == NULL || strlen(tok) != AUTH_TOKEN_HEX)
		return (-1);
	for (i = 0; i < AUTH_TOKEN_HEX; i++)
		if (!((tok[i] >= '0' && tok[i] <= '9') ||
		    (tok[i] >= 'a' && tok[i] <= 'f')))
			return (-1);
	hash_lit(tok, lit);
	return (0);
}

int
auth_hash_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL || strlen(a) != AUTH_HASH_LIT - 1 ||
	    strlen(b) != AUTH_HASH_LIT - 1)
		return (0);
	return (sodium_memcmp(a, b, AUTH_HASH_LIT - 1) == 0);
}

enum db_status
auth_session(struct http_request *req)
{
	struct db_result	*r = NULL;
	const char		*p[2];
	char			 lit[AUTH_HASH_LIT], idle[16];
	enum db_status		 st;

	req->user_id[0] = '\0';
	req->user_email[0] = '\0';
	req->user_admin = 0;
	if (auth_token_hash(http_cookie(req, AUTH_COOKIE), lit) == -1)
		return (DB_OK);
	snprintf(idle, sizeof(idle), "%d", config.session_idle_minutes);
	p[0] = lit;
	p[1] = idle;
	if ((st = db_exec("auth_session", 2, p, &r)) != DB_OK)
		return (st);
	if (db_rows(r) == 1 && auth_hash_equal(db_value(r, 0, 3), lit)) {
		str_copy(req->user_id, sizeof(req->user_id), db_value(r, 0, 0));
		str_copy(req->user_email, sizeof(req->user_email),
		    db_value(r, 0, 1));
		req->user_admin = db_bool(r, 0, 2) == 1;
	}
	db_free(r);
	return (DB_OK);
}
