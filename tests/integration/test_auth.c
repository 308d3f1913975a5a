/*
 * Accounts and sign-in over HTTP against the real server: `signpost user`,
 * the sign-in form, sessions (cookie attributes, renewal on sign-in, idle
 * and absolute expiry, disabled accounts, sign-out), throttling and the
 * `next` redirect.  Each test makes its own accounts (e-mails with a
 * random suffix) and sends from its own loopback address (127.x.y.z), so
 * that the per-address throttle of one test never reaches another.
 */
#include <ctype.h>

#include "harness.h"

#define PASSWORD	"correct horse battery staple"
#define GENERIC		"Enter a correct email address and password"

struct client {
	char	ip[32];
	char	csrf[80];
	char	session[80];	/* empty: none */
	char	known[80];	/* signpost_known, once signed in */
};

/* A loopback address of its own; Linux answers on all of 127/8. */
static void
client_new(struct client *c)
{
	static int	n;

	memset(c, 0, sizeof(*c));
	if (n++ == 0)
		srand((unsigned int)(time(NULL) ^ getpid()));
	snprintf(c->ip, sizeof(c->ip), "127.%d.%d.%d", 10 + rand() % 240,
	    rand() % 256, 1 + rand() % 254);
}

/* One request from the client's address with its cookies. */
static struct resp
creq(const struct client *c, const char *method, const char *path,
    const char *body)
{
	struct resp		 r;
	CURL			*h;
	struct curl_slist	*hl = NULL;
	char			 url[4096], hdr[512], iface[64];
	CURLcode		 rc;

	memset(&r, 0, sizeof(r));
	snprintf(url, sizeof(url), "%s%s", test_url(), path);
	snprintf(iface, sizeof(iface), "host!%s", c->ip);
	if ((h = curl_easy_init()) == NULL)
		fail_msg("curl_easy_init");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_INTERFACE, iface);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, h_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r.body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, h_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	if (method != NULL)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		hl = curl_slist_append(hl, "Content-Type: "
		    "application/x-www-form-urlencoded");
	}
	if (c->csrf[0] != '\0' || c->session[0] != '\0') {
		snprintf(hdr, sizeof(hdr), "Cookie: signpost_csrf=%s%s%s%s%s",
		    c->csrf, c->session[0] != '\0' ?
		    "; signpost_session=" : "", c->session,
		    c->known[0] != '\0' ? "; signpost_known=" : "", c->known);
		hl = curl_slist_append(hl, hdr);
	}
	if (hl != NULL)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		fail_msg("%s %s from %s: %s", method != NULL ? method : "GET",
		    path, c->ip, curl_easy_strerror(rc));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(h);
	if (r.body == NULL && (r.body = calloc(1, 1)) == NULL)
		fail_msg("out of memory");
	return (r);
}

/* The whole Set-Cookie line for a cookie name, or -1. */
static int
set_cookie(const struct resp *r, const char *name, char *out, size_t len)
{
	const char	*p = r->headers;
	size_t		 n = strlen(name), vl;

	out[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, "Set-Cookie: ", 12) == 0 &&
		    strncmp(p + 12, name, n) == 0 && p[12 + n] == '=') {
			vl = strcspn(p + 12, "\r\n");
			snprintf(out, len, "%.*s", (int)vl, p + 12);
			return (0);
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return (-1);
}

/* The cookie's value from its Set-Cookie line. */
static void
cookie_value(const char *line, char *out, size_t len)
{
	const char	*v = strchr(line, '=');

	assert_non_null(v);
	v++;
	snprintf(out, len, "%.*s", (int)strcspn(v, ";"), v);
}

/* The page's CSRF token (the value of the hidden input). */
static void
page_csrf(const struct resp *r, char *out, size_t len)
{
	const char	*p = strstr(r->body, "name=\"csrf\" value=\"");

	if (p == NULL)
		fail_msg("no CSRF input in the page");
	p += strlen("name=\"csrf\" value=\"");
	snprintf(out, len, "%.*s", (int)strcspn(p, "\""), p);
}

/* Fetch the sign-in form so that the client has a CSRF token. */
static void
client_csrf(struct client *c)
{
	struct resp	r = creq(c, NULL, "/admin/login", NULL);

	assert_status(&r, 200);
	page_csrf(&r, c->csrf, sizeof(c->csrf));
	resp_free(&r);
}

static char *
esc(const char *s)
{
	char	*e = curl_easy_escape(NULL, s, 0);

	if (e == NULL)
		fail_msg("curl_easy_escape");
	return (e);
}

/* POST /admin/login; next may be NULL. */
static struct resp
login(struct client *c, const char *email, const char *pw, const char *next)
{
	struct resp	 r;
	char		 body[2048];
	char		*e = esc(email), *p = esc(pw), *n = NULL;

	if (c->csrf[0] == '\0')
		client_csrf(c);
	if (next != NULL)
		n = esc(next);
	snprintf(body, sizeof(body), "csrf=%s&email=%s&password=%s%s%s",
	    c->csrf, e, p, n != NULL ? "&next=" : "", n != NULL ? n : "");
	curl_free(e);
	curl_free(p);
	curl_free(n);
	r = creq(c, "POST", "/admin/login", body);
	return (r);
}

/* Sign in, which must work; the client keeps the new session. */
static void
login_ok(struct client *c, const char *email, const char *pw)
{
	struct resp	r = login(c, email, pw, NULL);
	char		line[512];

	if (r.status != 303)
		fail_msg("sign-in of %s: %ld\n%s", email, r.status, r.body);
	assert_int_equal(set_cookie(&r, "signpost_session", line,
	    sizeof(line)), 0);
	cookie_value(line, c->session, sizeof(c->session));
	assert_int_equal(strlen(c->session), 64);
	/* A browser's first sign-in makes it known. */
	if (set_cookie(&r, "signpost_known", line, sizeof(line)) == 0)
		cookie_value(line, c->known, sizeof(c->known));
	resp_free(&r);
}

/* "auth-TAG-SUFFIX@example.org" */
static void
new_email(char *out, size_t len, const char *tag)
{
	static int	n;

	snprintf(out, len, "auth-%s-%d-%s@example.org", tag, n++,
	    test_suffix());
}

/* `signpost user ARGS` with pw as the one line of stdin. */
static int
signpost_stdin(const char *args, const char *pw, char *out, size_t len)
{
	char	path[] = "/tmp/signpost-auth-XXXXXX", cmd[1024];
	int	fd, rc;

	if ((fd = mkstemp(path)) == -1)
		fail_msg("mkstemp");
	if (write(fd, pw, strlen(pw)) != (ssize_t)strlen(pw) ||
	    write(fd, "\n", 1) != 1)
		fail_msg("write");
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s < %s", args, path);
	rc = run_signpost(cmd, out, len);
	unlink(path);
	return (rc);
}

static void
add_user(const char *email, const char *role)
{
	char	args[512], out[4096];

	snprintf(args, sizeof(args), "user add '%s' --role %s", email, role);
	if (signpost_stdin(args, PASSWORD, out, sizeof(out)) != 0)
		fail_msg("user add %s: %s", email, out);
}

/* Rows in user_session for a cookie token. */
static int
session_rows(const char *tok)
{
	char	n[16];

	sql_str("SELECT count(*) FROM user_session WHERE token_hash ="
	    " sha256(convert_to($1, 'UTF8'))", 1, (const char *[]){ tok }, n,
	    sizeof(n));
	return (atoi(n));
}

/* GET /admin/whoami answers 200 naming email, or sends to sign-in. */
static void
assert_signed_in(const struct client *c, const char *email, int want)
{
	struct resp	r = creq(c, NULL, "/admin/whoami", NULL);
	char		loc[512];

	if (want) {
		if (r.status != 200)
			fail_msg("whoami: %ld, want 200", r.status);
		assert_true(contains(r.body, email));
	} else {
		if (r.status != 303)
			fail_msg("whoami: %ld, want 303", r.status);
		assert_int_equal(resp_header(&r, "Location", loc,
		    sizeof(loc)), 0);
		assert_string_equal(loc, "/admin/login?next=%2Fadmin%2Fwhoami");
	}
	resp_free(&r);
}

static void
test_user_add_list_disable(void **state)
{
	char	email[256], upper[256], other[256], args[512], out[8192];
	size_t	i;

	(void)state;
	new_email(email, sizeof(email), "cli");
	snprintf(args, sizeof(args), "user add '%s' --role admin", email);
	assert_int_equal(signpost_stdin(args, PASSWORD, out, sizeof(out)), 0);

	assert_int_equal(run_signpost("user list", out, sizeof(out)), 0);
	assert_true(contains(out, email));
	assert_non_null(strstr(strstr(out, email), "admin"));
	assert_non_null(strstr(strstr(out, email), "active"));
	assert_non_null(strstr(strstr(out, email), "never"));
	sql_str("SELECT count(*) FROM app_user WHERE email = $1 AND"
	    " password_hash LIKE '$argon2id$%'", 1, (const char *[]){ email },
	    out, sizeof(out));
	assert_string_equal(out, "1");

	/* The same address in other capitals is the same account. */
	snprintf(upper, sizeof(upper), "%s", email);
	for (i = 0; upper[i] != '\0'; i++)
		upper[i] = (char)toupper((unsigned char)upper[i]);
	snprintf(args, sizeof(args), "user add '%s' --role moderator", upper);
	assert_int_equal(signpost_stdin(args, PASSWORD, out, sizeof(out)), 1);
	assert_true(contains(out, "already"));

	new_email(other, sizeof(other), "short");
	snprintf(args, sizeof(args), "user add '%s' --role moderator", other);
	assert_int_equal(signpost_stdin(args, "elevenchars", out,
	    sizeof(out)), 1);
	assert_true(contains(out, "12 to 256"));
	snprintf(args, sizeof(args), "user add '%s' --role boss", other);
	assert_int_equal(signpost_stdin(args, PASSWORD, out, sizeof(out)), 2);
	assert_int_equal(run_signpost("user list", out, sizeof(out)), 0);
	assert_null(strstr(out, other));

	snprintf(args, sizeof(args), "user disable '%s'", upper);
	assert_int_equal(run_signpost(args, out, sizeof(out)), 0);
	assert_int_equal(run_signpost("user list", out, sizeof(out)), 0);
	assert_non_null(strstr(strstr(out, email), "disabled"));
	assert_int_equal(run_signpost("user disable nobody@example.org", out,
	    sizeof(out)), 1);
}

static void
test_login_form_has_password_field_and_no_store(void **state)
{
	struct client	c;
	struct resp	r;
	char		v[128];

	(void)state;
	client_new(&c);
	r = creq(&c, NULL, "/admin/login?next=%2Fadmin%2Fwhoami", NULL);
	assert_status(&r, 200);
	assert_true(contains(r.body, "type=\"password\" name=\"password\""));
	assert_true(contains(r.body, "type=\"email\" name=\"email\""));
	assert_true(contains(r.body, "name=\"next\" value=\"/admin/whoami\""));
	assert_int_equal(resp_header(&r, "Cache-Control", v, sizeof(v)), 0);
	assert_string_equal(v, "no-store");
	resp_free(&r);

	/* A next that is not ours is not carried. */
	r = creq(&c, NULL, "/admin/login?next=https%3A%2F%2Fevil.example%2F",
	    NULL);
	assert_null(strstr(r.body, "evil.example"));
	resp_free(&r);
}

static void
test_login_sets_strict_httponly_cookie(void **state)
{
	struct client	c;
	struct resp	r;
	char		email[256], line[512], loc[256], v[64];

	(void)state;
	new_email(email, sizeof(email), "ok");
	add_user(email, "moderator");
	client_new(&c);
	r = login(&c, email, PASSWORD, NULL);
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	assert_string_equal(loc, "/admin");
	assert_int_equal(resp_header(&r, "Cache-Control", v, sizeof(v)), 0);
	assert_string_equal(v, "no-store");
	assert_int_equal(set_cookie(&r, "signpost_session", line,
	    sizeof(line)), 0);
	assert_true(contains(line, "; Path=/"));
	assert_true(contains(line, "; HttpOnly"));
	assert_true(contains(line, "; SameSite=Strict"));
	/* The test server's public_url is http://. */
	assert_null(strstr(line, "Secure"));
	cookie_value(line, c.session, sizeof(c.session));
	resp_free(&r);

	/* Only the hash is stored. */
	assert_int_equal(session_rows(c.session), 1);
	sql_str("SELECT count(*) FROM user_session WHERE"
	    " encode(token_hash, 'hex') = $1", 1,
	    (const char *[]){ c.session }, v, sizeof(v));
	assert_string_equal(v, "0");
	assert_signed_in(&c, email, 1);
	sql_str("SELECT count(*) FROM app_user WHERE email = $1 AND"
	    " last_login_at > now() - interval '1 minute'", 1,
	    (const char *[]){ email }, v, sizeof(v));
	assert_string_equal(v, "1");
	sql_str("SELECT count(*) FROM login_attempt WHERE email = $1 AND ok",
	    1, (const char *[]){ email }, v, sizeof(v));
	assert_string_equal(v, "1");
}

/* PASSWORD hashed with weaker parameters than libsodium's INTERACTIVE. */
#define WEAK_HASH	"$argon2id$v=19$m=8192,t=3,p=1$1xgP+iKt5k+/sl3OoJzbDg$" \
			"ivr1LTllMQ5g/85yki2wOqs9IW02JIbCB/3MjBLOA54"

static void
test_login_rehashes_weak_hash(void **state)
{
	struct client	c;
	char		email[256], h[256];

	(void)state;
	new_email(email, sizeof(email), "rehash");
	add_user(email, "moderator");
	PQclear(test_sql("UPDATE app_user SET password_hash = $2"
	    " WHERE email = $1", 2, (const char *[]){ email, WEAK_HASH }));
	client_new(&c);
	login_ok(&c, email, PASSWORD);
	sql_str("SELECT password_hash FROM app_user WHERE email = $1", 1,
	    (const char *[]){ email }, h, sizeof(h));
	assert_string_not_equal(h, WEAK_HASH);
	assert_true(contains(h, "$argon2id$v=19$m=65536,t=2,p=1$"));
	/* And the new hash still takes the password. */
	c.session[0] = '\0';
	login_ok(&c, email, PASSWORD);
}

static void
test_login_wrong_password_generic_message(void **state)
{
	struct client	c;
	struct resp	r;
	char		email[256], line[512];

	(void)state;
	new_email(email, sizeof(email), "wrong");
	add_user(email, "moderator");
	client_new(&c);
	r = login(&c, email, "not the password at all", NULL);
	assert_status(&r, 400);
	assert_true(contains(r.body, GENERIC));
	/* The e-mail kept, the password never drawn back. */
	assert_true(contains(r.body, email));
	assert_null(strstr(r.body, "not the password at all"));
	assert_int_equal(set_cookie(&r, "signpost_session", line,
	    sizeof(line)), -1);
	resp_free(&r);
}

static void
test_login_unknown_email_same_message(void **state)
{
	struct client	c;
	struct resp	r;
	char		email[256];

	(void)state;
	new_email(email, sizeof(email), "unknown");
	client_new(&c);
	r = login(&c, email, PASSWORD, NULL);
	assert_status(&r, 400);
	assert_true(contains(r.body, GENERIC));
	assert_true(contains(r.body, email));
	resp_free(&r);
}

static void
test_login_empty_fields_say_what_to_enter(void **state)
{
	struct client	c;
	struct resp	r;

	(void)state;
	client_new(&c);
	r = login(&c, "", "", NULL);
	assert_status(&r, 400);
	assert_true(contains(r.body, "Enter your email address"));
	assert_true(contains(r.body, "Enter your password"));
	resp_free(&r);
}

static void
test_login_without_csrf_is_403(void **state)
{
	struct client	c;
	struct resp	r;
	char		email[256], body[512];

	(void)state;
	new_email(email, sizeof(email), "csrf");
	add_user(email, "moderator");
	client_new(&c);
	snprintf(body, sizeof(body), "email=%s&password=correct+horse+battery"
	    "+staple", email);
	r = creq(&c, "POST", "/admin/login", body);
	assert_status(&r, 403);
	resp_free(&r);
	/* A token in the form without the cookie is no better. */
	snprintf(body, sizeof(body), "csrf=%064d&email=%s&password=correct+"
	    "horse+battery+staple", 0, email);
	r = creq(&c, "POST", "/admin/login", body);
	assert_status(&r, 403);
	resp_free(&r);
}

static void
test_login_replaces_session_presented(void **state)
{
	struct client	c, old;
	char		email[256];

	(void)state;
	new_email(email, sizeof(email), "fixation");
	add_user(email, "moderator");
	client_new(&c);
	login_ok(&c, email, PASSWORD);
	old = c;
	/* Signing in again with the first session's cookie. */
	login_ok(&c, email, PASSWORD);
	assert_string_not_equal(c.session, old.session);
	assert_int_equal(session_rows(old.session), 0);
	assert_signed_in(&old, email, 0);
	assert_signed_in(&c, email, 1);
}

static void
test_session_idle_expiry(void **state)
{
	struct client	c;
	char		email[256];

	(void)state;
	new_email(email, sizeof(email), "idle");
	add_user(email, "moderator");
	client_new(&c);
	login_ok(&c, email, PASSWORD);
	assert_signed_in(&c, email, 1);
	/* Longer ago than any session_idle_minutes allowed (a week). */
	PQclear(test_sql("UPDATE user_session SET last_seen = now()"
	    " - interval '8 days' WHERE token_hash ="
	    " sha256(convert_to($1, 'UTF8'))", 1,
	    (const char *[]){ c.session }));
	assert_signed_in(&c, email, 0);
}

static void
test_session_absolute_expiry(void **state)
{
	struct client	c;
	char		email[256];

	(void)state;
	new_email(email, sizeof(email), "absolute");
	add_user(email, "moderator");
	client_new(&c);
	login_ok(&c, email, PASSWORD);
	/* Still fresh, but past its end. */
	PQclear(test_sql("UPDATE user_session SET last_seen = now(),"
	    " expires_at = now() - interval '1 second' WHERE token_hash ="
	    " sha256(convert_to($1, 'UTF8'))", 1,
	    (const char *[]){ c.session }));
	assert_signed_in(&c, email, 0);
}

static void
test_disabled_user_session_stops(void **state)
{
	struct client	c;
	struct resp	r;
	char		email[256], args[512], out[4096];

	(void)state;
	new_email(email, sizeof(email), "disabled");
	add_user(email, "admin");
	client_new(&c);
	login_ok(&c, email, PASSWORD);
	assert_signed_in(&c, email, 1);
	snprintf(args, sizeof(args), "user disable '%s'", email);
	assert_int_equal(run_signpost(args, out, sizeof(out)), 0);
	assert_int_equal(session_rows(c.session), 0);
	assert_signed_in(&c, email, 0);
	/* And the right password no longer signs in, with nothing said. */
	c.session[0] = '\0';
	r = login(&c, email, PASSWORD, NULL);
	assert_status(&r, 400);
	assert_true(contains(r.body, GENERIC));
	resp_free(&r);
}

static void
assert_throttled(const struct resp *r, int window_s)
{
	char		v[64];
	long long	secs;

	if (r->status != 429)
		fail_msg("want 429, got %ld", r->status);
	assert_int_equal(resp_header(r, "Retry-After", v, sizeof(v)), 0);
	secs = atoll(v);
	if (secs < 1 || secs > window_s)
		fail_msg("Retry-After: %s, want 1..%d", v, window_s);
	assert_true(contains(r->body, "Try again after"));
}

/* The server's window, in seconds (15 minutes unless configured). */
static int
window_seconds(void)
{
	const char	*w = getenv("SIGNPOST_LOGIN_WINDOW_MINUTES");

	return ((w != NULL ? atoi(w) : 15) * 60);
}

/* The account-wide ceiling, as the test server has it (lib-server.sh). */
static int
account_ceiling(void)
{
	const char	*v = getenv("SIGNPOST_LOGIN_MAX_FAILURES_PER_ACCOUNT");

	return (v != NULL ? atoi(v) : 50);
}

/*
 * Guesses at one account from many addresses: past the account's ceiling
 * a new browser is refused even with the right password, but the
 * owner's own browser (known from an earlier sign-in) is let in, and a
 * new password (`signpost user password`) lets them in anywhere.
 */
static void
test_throttle_by_account(void **state)
{
	struct client	c, owner;
	struct resp	r;
	char		email[256], n[16], out[4096], args[512];
	int		i, max = account_ceiling();

	(void)state;
	new_email(email, sizeof(email), "throttle-acct");
	add_user(email, "moderator");
	client_new(&owner);
	login_ok(&owner, email, PASSWORD);
	assert_int_equal(strlen(owner.known), 64);
	owner.session[0] = '\0';
	/* Each guess from another address: only the account is counted. */
	for (i = 0; i < max; i++) {
		client_new(&c);
		r = login(&c, email, "wrong password here", NULL);
		assert_status(&r, 400);
		resp_free(&r);
	}
	client_new(&c);
	r = login(&c, email, PASSWORD, NULL);
	assert_throttled(&r, window_seconds());
	resp_free(&r);
	/* Every attempt is recorded, the refused one too. */
	sql_str("SELECT count(*) FROM login_attempt WHERE lower(email) ="
	    " lower($1)", 1, (const char *[]){ email }, n, sizeof(n));
	assert_int_equal(atoi(n), max + 2);
	/* The owner's browser is not locked out. */
	login_ok(&owner, email, PASSWORD);
	/* A new password is the way in from anywhere else. */
	snprintf(args, sizeof(args), "user password '%s'", email);
	if (signpost_stdin(args, "another long passphrase", out,
	    sizeof(out)) != 0 || !contains(out, "new password for"))
		fail_msg("user password: %s", out);
	client_new(&c);
	login_ok(&c, email, "another long passphrase");
}

static void
test_throttle_by_address(void **state)
{
	struct client	c, other;
	struct resp	r;
	char		email[256], guess[256];
	int		i;

	(void)state;
	new_email(email, sizeof(email), "throttle-ip");
	add_user(email, "moderator");
	client_new(&c);
	/* Guesses at five different accounts from one address. */
	for (i = 0; i < 5; i++) {
		new_email(guess, sizeof(guess), "nobody");
		r = login(&c, guess, "wrong password here", NULL);
		assert_status(&r, 400);
		resp_free(&r);
	}
	r = login(&c, email, PASSWORD, NULL);
	assert_throttled(&r, window_seconds());
	resp_free(&r);
	/* The same account from another address is fine. */
	client_new(&other);
	login_ok(&other, email, PASSWORD);
}

static void
test_logout_ends_session(void **state)
{
	struct client	c;
	struct resp	r;
	char		email[256], body[256], loc[256], line[512], tok[80];

	(void)state;
	new_email(email, sizeof(email), "logout");
	add_user(email, "moderator");
	client_new(&c);
	login_ok(&c, email, PASSWORD);
	r = creq(&c, NULL, "/admin/whoami", NULL);
	assert_status(&r, 200);
	assert_true(contains(r.body, "action=\"/admin/logout\""));
	page_csrf(&r, tok, sizeof(tok));
	resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s", tok);
	r = creq(&c, "POST", "/admin/logout", body);
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	assert_string_equal(loc, "/admin/login");
	assert_int_equal(set_cookie(&r, "signpost_session", line,
	    sizeof(line)), 0);
	assert_true(contains(line, "signpost_session=;"));
	assert_true(contains(line, "Max-Age=0"));
	resp_free(&r);
	assert_int_equal(session_rows(c.session), 0);
	assert_signed_in(&c, email, 0);
	/* Signed out, there is nothing to sign out of. */
	r = creq(&c, "POST", "/admin/logout", body);
	assert_status(&r, 403);
	resp_free(&r);
}

static void
assert_next(const char *next, const char *want)
{
	struct client	c;
	struct resp	r;
	char		email[256], loc[512];

	new_email(email, sizeof(email), "next");
	add_user(email, "moderator");
	client_new(&c);
	r = login(&c, email, PASSWORD, next);
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	if (strcmp(loc, want) != 0)
		fail_msg("next=%s went to %s, want %s", next, loc, want);
	resp_free(&r);
}

static void
test_next_outside_admin_goes_to_admin(void **state)
{
	(void)state;
	assert_next("https://evil.example/", "/admin");
	assert_next("//evil.example/admin", "/admin");
	assert_next("/\\evil.example", "/admin");
	assert_next("/administrator@evil", "/admin");
	/* Dot segments and empty ones leave /admin once resolved. */
	assert_next("/admin/../x", "/admin");
	assert_next("/admin/../..//x", "/admin");
	assert_next("/admin/%2e%2e/x", "/admin");
	assert_next("/admin/.%2E/x", "/admin");
	assert_next("/admin/./review", "/admin");
	assert_next("/admin//x", "/admin");
	assert_next("/admin/..", "/admin");
	assert_next("/admin/whoami", "/admin/whoami");
	assert_next("/admin/review?page=2", "/admin/review?page=2");
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_user_add_list_disable),
		cmocka_unit_test(test_login_form_has_password_field_and_no_store),
		cmocka_unit_test(test_login_sets_strict_httponly_cookie),
		cmocka_unit_test(test_login_rehashes_weak_hash),
		cmocka_unit_test(test_login_wrong_password_generic_message),
		cmocka_unit_test(test_login_unknown_email_same_message),
		cmocka_unit_test(test_login_empty_fields_say_what_to_enter),
		cmocka_unit_test(test_login_without_csrf_is_403),
		cmocka_unit_test(test_login_replaces_session_presented),
		cmocka_unit_test(test_session_idle_expiry),
		cmocka_unit_test(test_session_absolute_expiry),
		cmocka_unit_test(test_disabled_user_session_stops),
		cmocka_unit_test(test_throttle_by_account),
		cmocka_unit_test(test_throttle_by_address),
		cmocka_unit_test(test_logout_ends_session),
		cmocka_unit_test(test_next_outside_admin_goes_to_admin),
	};

	return (RUN_TESTS("auth", tests));
}
