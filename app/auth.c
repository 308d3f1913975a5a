/*
 * Accounts, sessions and tokens.  See auth.h (the pages are page_login.c).
 *
 * Signing in: every attempt is written to login_attempt (as a failure,
 * turned into a success once the password checks), and an address with
 * login_max_failures failures within login_window_minutes is refused
 * before any password is looked at; so is an account with
 * login_max_failures_per_account failures from all addresses together,
 * since its password was last set, unless the browser is one its owner
 * signed in from before (the signpost_known cookie, its hash in
 * known_browser): someone guessing from many addresses cannot lock the
 * owner out, and `signpost user password` lets them in anywhere again.  A refused attempt counts
 * too, so that hammering does not shorten the wait; Retry-After says when
 * the count will have fallen below the limit.  Nothing in the answers
 * tells an unknown e-mail from a wrong password: the same message, and a
 * password check against a dummy hash so that the time is the same.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auth.h"
#include "config.h"
#include "db.h"
#include "form.h"
#include "http.h"
#include "log.h"


/*
 * Checked when the e-mail is unknown, so that the answer takes as long as
 * for a wrong password.  The parameters are libsodium's INTERACTIVE ones,
 * as for every real hash; the password behind it was random and is gone.
 */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$+P5pylBleUOw6+d8AMat8g$"
    "eDnYH8Zof8JYfOvzB1iAqXHphqO0UU80F0RfUclRicc";

static const struct db_stmt stmts[] = {
	{ "auth_session",
	  "UPDATE user_session s SET last_seen = now() FROM app_user u"
	  " WHERE s.token_hash = $1::bytea AND u.id = s.user_id"
	  " AND u.disabled_at IS NULL AND s.expires_at > now()"
	  " AND s.last_seen > now() - make_interval(mins => $2::int)"
	  " RETURNING u.id, u.email, u.role = 'admin', s.token_hash" },
	{ "auth_user_get",
	  "SELECT id, password_hash, disabled_at IS NULL FROM app_user"
	  " WHERE lower(email) = lower($1)" },
	/*
	 * The attempt, and how long (seconds) until the address has fewer
	 * than $4 failures in the window and the account fewer than $5
	 * since its password was set (the n-th most recent failure leaving
	 * it); the account's count is skipped for a browser its owner
	 * signed in from before ($6, a known_browser hash, may be NULL).
	 * NULL: not throttled.  The subqueries do not see the row this
	 * statement inserts.
	 */
	{ "auth_attempt",
	  "WITH a AS (INSERT INTO login_attempt (email, ip, ok)"
	  " VALUES ($1, $2, false) RETURNING id),"
	  " u AS (SELECT id, password_set_at FROM app_user"
	  "  WHERE lower(email) = lower($1)),"
	  " k AS (SELECT 1 FROM known_browser kb, u"
	  "  WHERE kb.token_hash = $6::bytea AND kb.user_id = u.id)"
	  " SELECT (SELECT id FROM a), ceil(extract(epoch FROM max(t)"
	  " + make_interval(mins => $3::int) - now()))::int FROM ("
	  " (SELECT at AS t FROM login_attempt WHERE NOT ok AND ip = $2"
	  "  AND at > now() - make_interval(mins => $3::int)"
	  "  ORDER BY at DESC OFFSET $4::int - 1 LIMIT 1)"
	  " UNION ALL"
	  " (SELECT at FROM login_attempt WHERE NOT ok"
	  "  AND lower(email) = lower($1) AND NOT EXISTS (SELECT 1 FROM k)"
	  "  AND at > now() - make_interval(mins => $3::int)"
	  "  AND at > coalesce((SELECT password_set_at FROM u), '-infinity')"
	  "  ORDER BY at DESC OFFSET $5::int - 1 LIMIT 1)) w" },
	/* This browser is known for this user from now on. */
	{ "auth_known",
	  "INSERT INTO known_browser (token_hash, user_id)"
	  " VALUES ($1::bytea, $2) ON CONFLICT (token_hash) DO UPDATE"
	  " SET last_used = now() WHERE known_browser.user_id = $2" },
	/* `signpost user password`: a new password, and a clean slate. */
	{ "auth_user_password",
	  "WITH u AS (UPDATE app_user SET password_hash = $2,"
	  "  password_set_at = now() WHERE lower(email) = lower($1)"
	  "  RETURNING id),"
	  " d AS (DELETE FROM user_session s USING u WHERE s.user_id = u.id"
	  "  RETURNING 1)"
	  " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM d)" },
	/*
	 * A new session for $1.  The one the browser came with ($3, may be
	 * NULL) goes, so that a token planted before sign-in is worth
	 * nothing after it; so do this user's dead sessions.
	 */
	{ "auth_login",
	  "WITH d AS (DELETE FROM user_session WHERE token_hash = $3::bytea"
	  "  OR (user_id = $1 AND (expires_at <= now()"
	  "  OR last_seen <= now() - make_interval(mins => $5::int)))),"
	  " u AS (UPDATE app_user SET last_login_at = now() WHERE id = $1),"
	  " a AS (UPDATE login_attempt SET ok = true WHERE id = $6::bigint)"
	  " INSERT INTO user_session (token_hash, user_id, expires_at)"
	  " VALUES ($2::bytea, $1, now() + make_interval(hours => $4::int))" },
	{ "auth_rehash",
	  "UPDATE app_user SET password_hash = $2 WHERE id = $1" },
	{ "auth_logout",
	  "DELETE FROM user_session WHERE token_hash = $1::bytea" },
	{ "auth_user_add",
	  "INSERT INTO app_user (email, role, password_hash)"
	  " VALUES ($1, $2, $3) RETURNING id" },
	{ "auth_user_disable",
	  "WITH u AS (UPDATE app_user SET disabled_at = coalesce(disabled_at,"
	  "  now()) WHERE lower(email) = lower($1) RETURNING id),"
	  " d AS (DELETE FROM user_session s USING u WHERE s.user_id = u.id"
	  "  RETURNING 1)"
	  " SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM d)" },
	{ "auth_user_list",
	  "SELECT email, role, CASE WHEN disabled_at IS NULL THEN 'active'"
	  " ELSE 'disabled' END,"
	  " coalesce(to_char(last_login_at, 'YYYY-MM-DD HH24:MI TZ'), 'never')"
	  " FROM app_user ORDER BY lower(email)" },
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

/* The pages. */

int
auth_csrf_token(const struct http_request *req, char *out)
{
	static const char	 ctx[] = "signpost csrf\n";
	const char		*tok = http_cookie(req, AUTH_COOKIE);
	unsigned char		 h[32];
	crypto_generichash_state gs;

	if (tok == NULL || strlen(tok) != AUTH_TOKEN_HEX)
		return (-1);
	crypto_generichash_init(&gs, NULL, 0, sizeof(h));
	crypto_generichash_update(&gs, (const unsigned char *)ctx,
	    sizeof(ctx) - 1);
	crypto_generichash_update(&gs, (const unsigned char *)tok,
	    AUTH_TOKEN_HEX);
	crypto_generichash_final(&gs, h, sizeof(h));
	sodium_bin2hex(out, AUTH_TOKEN_HEX + 1, h, sizeof(h));
	sodium_memzero(h, sizeof(h));
	return (0);
}

/* Signing in and out. */

/* A new hash when libsodium's parameters have moved on; failure is logged. */
static void
rehash(const char *id, const char hash[crypto_pwhash_STRBYTES],
    const char *pw)
{
	char		 nh[crypto_pwhash_STRBYTES];
	const char	*p[2];

	if (crypto_pwhash_str_needs_rehash(hash,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
		return;
	if (crypto_pwhash_str(nh, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		log_warn("auth: cannot rehash the password of user %s: out of "
		    "memory", id);
		return;
	}
	p[0] = id;
	p[1] = nh;
	if (db_exec("auth_rehash", 2, p, NULL) != DB_OK)
		log_warn("auth: rehash of user %s: %s", id, db_errmsg());
}

/*
 * After a sign-in: this browser is known for this user (a new token in
 * out->known when it brought none; its own is renewed).  Failing to
 * record it costs only the exemption, never the sign-in.
 */
static void
remember_browser(const char *user, const char *known_lit,
    struct auth_signin *out)
{
	const char	*p[2];
	char		 lit[AUTH_HASH_LIT];

	p[1] = user;
	if (known_lit != NULL) {
		p[0] = known_lit;
		(void)db_exec("auth_known", 2, p, NULL);
		return;
	}
	auth_token_new(out->known, lit);
	p[0] = lit;
	if (db_exec("auth_known", 2, p, NULL) != DB_OK) {
		log_warn("auth: cannot record a known browser: %s",
		    db_errmsg());
		sodium_memzero(out->known, sizeof(out->known));
	}
}

enum auth_result
auth_sign_in(const struct auth_credentials *c, struct auth_signin *out)
{
	struct db_result	*att = NULL, *u = NULL;
	const char		*p[6], *kh;
	char			 lit[AUTH_HASH_LIT], old[AUTH_HASH_LIT];
	char			 window[16], max[16], hours[16], idle[16];
	char			 acct[16], kb[AUTH_HASH_LIT];
	char			 hash[crypto_pwhash_STRBYTES];
	enum auth_result	 res = AUTH_DB_FAILED;
	int			 known, ok;
	long long		 secs = 0;

	memset(out, 0, sizeof(*out));
	snprintf(window, sizeof(window), "%d", config.login_window_minutes);
	snprintf(max, sizeof(max), "%d", config.login_max_failures);
	snprintf(acct, sizeof(acct), "%d",
	    config.login_max_failures_per_account);
	p[0] = c->email;
	p[1] = c->ip;
	p[2] = window;
	p[3] = max;
	p[4] = acct;
	kh = auth_token_hash(c->known_token, kb) == 0 ? kb : NULL;
	p[5] = kh;
	if ((out->st = db_exec("auth_attempt", 6, p, &att)) != DB_OK)
		goto out;
	if (!db_isnull(att, 0, 1)) {
		(void)str_to_ll(db_value(att, 0, 1), -1000000, 1000000, &secs);
		log_info("auth: sign-in throttled for %s from %s", c->email,
		    c->ip);
		out->retry_secs = secs < 1 ? 1 : (int)secs;
		res = AUTH_THROTTLED;
		goto out;
	}

	if ((out->st = db_exec("auth_user_get", 1, p, &u)) != DB_OK)
		goto out;
	known = db_rows(u) == 1;
	/* libsodium takes the hash as a buffer of crypto_pwhash_STRBYTES. */
	if (str_copy(hash, sizeof(hash), known ? db_value(u, 0, 1) :
	    dummy_hash) == -1) {
		log_warn("auth: user %s has an overlong password hash",
		    c->email);
		str_copy(hash, sizeof(hash), dummy_hash);
		known = 0;
	}
	ok = crypto_pwhash_str_verify(hash, c->password,
	    strlen(c->password)) == 0;
	/* A disabled account is told nothing more than an unknown one. */
	if (!known || !ok || db_bool(u, 0, 2) != 1) {
		log_info("auth: failed sign-in for %s from %s", c->email,
		    c->ip);
		res = AUTH_REFUSED;
		goto out;
	}

	auth_token_new(out->session, lit);
	snprintf(hours, sizeof(hours), "%d", config.session_max_hours);
	snprintf(idle, sizeof(idle), "%d", config.session_idle_minutes);
	p[0] = db_value(u, 0, 0);
	p[1] = lit;
	p[2] = auth_token_hash(c->session_token, old) == 0 ? old : NULL;
	p[3] = hours;
	p[4] = idle;
	p[5] = db_value(att, 0, 0);
	if ((out->st = db_exec("auth_login", 6, p, NULL)) != DB_OK) {
		sodium_memzero(out->session, sizeof(out->session));
		goto out;
	}
	rehash(db_value(u, 0, 0), hash, c->password);
	remember_browser(db_value(u, 0, 0), kh, out);
	log_info("auth: %s signed in from %s", c->email, c->ip);
	res = AUTH_SIGNED_IN;
out:
	db_free(att);
	db_free(u);
	return (res);
}

enum db_status
auth_sign_out(const char *token)
{
	const char	*p[1];
	char		 lit[AUTH_HASH_LIT];

	if (auth_token_hash(token, lit) == -1)
		return (DB_OK);
	p[0] = lit;
	return (db_exec("auth_logout", 1, p, NULL));
}

/* `signpost user ...` */

static struct termios	saved_tty;
static volatile sig_atomic_t tty_changed;

/* Ctrl-C at the prompt must not leave the terminal without echo. */
static void
restore_tty(int sig)
{
	if (tty_changed)
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line from stdin without its newline; -1 at EOF or when too long. */
static int
read_line(char *buf, size_t len)
{
	size_t	n;

	if (fgets(buf, (int)len, stdin) == NULL)
		return (-1);
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(stdin))
		return (-1);
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return (0);
}

static int
prompt_hidden(const char *prompt, char *buf, size_t len)
{
	struct termios	t;
	int		rv;

	fputs(prompt, stderr);
	fflush(stderr);
	if (tcgetattr(STDIN_FILENO, &saved_tty) == -1)
		return (-1);
	t = saved_tty;
	t.c_lflag &= ~(tcflag_t)ECHO;
	t.c_lflag |= ECHONL;
	signal(SIGINT, restore_tty);
	signal(SIGTERM, restore_tty);
	tty_changed = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == -1) {
		tty_changed = 0;
		return (-1);
	}
	rv = read_line(buf, len);
	(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
	tty_changed = 0;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return (rv);
}

/*
 * The new password: asked twice on a terminal, else one line of stdin
 * (for scripts).  A message is printed on failure.
 */
static int
read_password(char *pw, size_t len)
{
	char		 again[AUTH_PASSWORD_MAX * 4 + 2];
	const char	*p;
	size_t		 n;
	int		 rv = -1;

	if (isatty(STDIN_FILENO)) {
		if (prompt_hidden("Password: ", pw, len) == -1 ||
		    prompt_hidden("Password again: ", again,
		    sizeof(again)) == -1) {
			fprintf(stderr, "signpost: could not read the "
			    "password\n");
			goto out;
		}
		if (strcmp(pw, again) != 0) {
			fprintf(stderr, "signpost: the passwords do not "
			    "match\n");
			goto out;
		}
	} else if (read_line(pw, len) == -1) {
		fprintf(stderr, "signpost: expected the password on one line "
		    "of standard input, %d to %d characters\n", AUTH_PASSWORD_MIN,
		    AUTH_PASSWORD_MAX);
		goto out;
	}
	for (p = pw; *p != '\0'; p++)
		/* The sign-in form accepts no control characters. */
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			fprintf(stderr, "signpost: the password cannot contain "
			    "control characters\n");
			goto out;
		}
	n = form_utf8_chars(pw);
	if (n < AUTH_PASSWORD_MIN || n > AUTH_PASSWORD_MAX) {
		fprintf(stderr, "signpost: the password must be %d to %d "
		    "characters long\n", AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
		goto out;
	}
	rv = 0;
out:
	sodium_memzero(again, sizeof(again));
	return (rv);
}

/*
 * A new password from the terminal or one line of stdin, as an argon2id
 * string in hash (crypto_pwhash_STRBYTES): 0, or -1 with the reason on
 * stderr.  The password itself is wiped before returning.
 */
static int
new_password_hash(char *hash)
{
	char	pw[AUTH_PASSWORD_MAX * 4 + 2];
	int	rv = -1;

	if (read_password(pw, sizeof(pw)) == -1)
		goto out;
	if (crypto_pwhash_str(hash, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "signpost: out of memory hashing the "
		    "password\n");
		goto out;
	}
	rv = 0;
out:
	sodium_memzero(pw, sizeof(pw));
	return (rv);
}

static void
user_usage(void)
{
	fprintf(stderr, "usage: signpost user add EMAIL --role "
	    "moderator|admin\n"
	    "       signpost user password EMAIL\n"
	    "       signpost user disable EMAIL\n"
	    "       signpost user list\n");
}

/*
 * A new password (read like `add` reads it), which also ends the user's
 * sessions and forgets the failures before it: the way back in for an
 * owner whose account is throttled.
 */
static int
user_password(const char *email)
{
	struct db_result	*r = NULL;
	char			 hash[crypto_pwhash_STRBYTES];
	const char		*p[2];
	int			 rv = 1;

	if (new_password_hash(hash) == -1)
		goto out;
	p[0] = email;
	p[1] = hash;
	if (db_exec("auth_user_password", 2, p, &r) != DB_OK) {
		fprintf(stderr, "signpost: cannot set the password: %s\n",
		    db_errmsg());
		goto out;
	}
	if (strcmp(db_value(r, 0, 0), "0") == 0) {
		fprintf(stderr, "signpost: there is no user with the e-mail "
		    "%s\n", email);
		goto out;
	}
	printf("new password for %s; %s session%s ended\n", email,
	    db_value(r, 0, 1), strcmp(db_value(r, 0, 1), "1") == 0 ? "" :
	    "s");
	rv = 0;
out:
	db_free(r);
	return (rv);
}

static int
user_add(const char *email, const char *role)
{
	struct db_result	*r = NULL;
	char			 hash[crypto_pwhash_STRBYTES];
	const char		*p[3];
	enum db_status		 st;
	int			 rv = 1;

	if (!form_email_ok(email)) {
		fprintf(stderr, "signpost: \"%s\" is not an e-mail address\n",
		    email);
		return (1);
	}
	if (new_password_hash(hash) == -1)
		goto out;
	p[0] = email;
	p[1] = role;
	p[2] = hash;
	if ((st = db_exec("auth_user_add", 3, p, &r)) != DB_OK) {
		if (st == DB_ERROR && strcmp(db_sqlstate(), "23505") == 0)
			fprintf(stderr, "signpost: there is already a user "
			    "with the e-mail %s\n", email);
		else
			fprintf(stderr, "signpost: cannot add the user: %s\n",
			    db_errmsg());
		goto out;
	}
	printf("added %s %s\n", role, email);
	rv = 0;
out:
	db_free(r);
	return (rv);
}

static int
user_disable(const char *email)
{
	struct db_result	*r = NULL;
	const char		*p[1] = { email };
	int			 rv = 1;

	if (db_exec("auth_user_disable", 1, p, &r) != DB_OK) {
		fprintf(stderr, "signpost: cannot disable the user: %s\n",
		    db_errmsg());
		goto out;
	}
	if (strcmp(db_value(r, 0, 0), "0") == 0) {
		fprintf(stderr, "signpost: there is no user with the e-mail "
		    "%s\n", email);
		goto out;
	}
	printf("disabled %s; %s session%s ended\n", email, db_value(r, 0, 1),
	    strcmp(db_value(r, 0, 1), "1") == 0 ? "" : "s");
	rv = 0;
out:
	db_free(r);
	return (rv);
}

static int
user_list(void)
{
	struct db_result	*r = NULL;
	int			 i;

	if (db_exec("auth_user_list", 0, NULL, &r) != DB_OK) {
		fprintf(stderr, "signpost: cannot list the users: %s\n",
		    db_errmsg());
		return (1);
	}
	printf("%-40s %-10s %-9s %s\n", "EMAIL", "ROLE", "STATUS",
	    "LAST SIGN-IN");
	for (i = 0; i < db_rows(r); i++)
		printf("%-40s %-10s %-9s %s\n", db_value(r, i, 0),
		    db_value(r, i, 1), db_value(r, i, 2), db_value(r, i, 3));
	db_free(r);
	return (0);
}

int
cmd_user(int argc, char **argv)
{
	const char	*email = NULL, *role = NULL;
	int		 i;

	if (sodium_init() < 0) {
		fprintf(stderr, "signpost: cannot initialise libsodium\n");
		return (1);
	}
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return (user_list());
	if (argc == 3 && strcmp(argv[1], "disable") == 0)
		return (user_disable(argv[2]));
	if (argc == 3 && strcmp(argv[1], "password") == 0)
		return (user_password(argv[2]));
	if (argc >= 3 && strcmp(argv[1], "add") == 0) {
		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
				role = argv[++i];
			else if (strncmp(argv[i], "--role=", 7) == 0)
				role = argv[i] + 7;
			else if (email == NULL && argv[i][0] != '-')
				email = argv[i];
			else {
				user_usage();
				return (2);
			}
		}
		if (email == NULL || role == NULL || (strcmp(role,
		    "moderator") != 0 && strcmp(role, "admin") != 0)) {
			user_usage();
			return (2);
		}
		return (user_add(email, role));
	}
	user_usage();
	return (2);
}
