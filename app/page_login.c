/*
 * The sign-in pages.  See page_login.h; accounts, sessions and throttling
 * are auth.c's.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "auth.h"
#include "buf.h"
#include "config.h"
#include "form.h"
#include "http.h"
#include "log.h"
#include "page.h"
#include "page_login.h"
#include "reply.h"

#define NEXT_MAX	1024
#define LOGIN_FAILED	"Enter a correct email address and password"

static const struct form_field login_fields[] = {
	{ .name = "email", .label = "Email address", .kind = FORM_EMAIL,
	  .required = 1, .max = AUTH_EMAIL_MAX, .autocomplete = "username",
	  .required_msg = "Enter your email address",
	  .format_msg = "Enter an email address like name@example.com" },
	{ .name = "password", .label = "Password", .kind = FORM_PASSWORD,
	  .required = 1, .max = AUTH_PASSWORD_MAX,
	  .autocomplete = "current-password",
	  .required_msg = "Enter your password" },
};

#define NLOGIN	(sizeof(login_fields) / sizeof(login_fields[0]))

/*
 * Where to go after signing in: only a page of ours under /admin, so that
 * the sign-in link cannot be made to send people to another site
 * ("//evil.example", "https://evil.example/", "/\evil").  NULL if not.
 */
static const char *
safe_next(const char *next)
{
	const unsigned char	*p;
	const char		*seg, *end;
	size_t			 n;

	if (next == NULL || strlen(next) > NEXT_MAX ||
	    strncmp(next, "/admin", 6) != 0 ||
	    (next[6] != '\0' && next[6] != '/' && next[6] != '?'))
		return (NULL);
	for (p = (const unsigned char *)next; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '\\')
			return (NULL);
	/*
	 * The path as the browser will resolve it: no empty segment and no
	 * dot segment ("/admin/../x" is "/x"), dots written as %2e too.
	 */
	end = next + strcspn(next, "?#");
	for (seg = next + 1; seg <= end; seg += n + 1) {
		n = strcspn(seg, "/?#");
		if (seg + n > end)
			n = (size_t)(end - seg);
		if (n == 0 && seg != end)
			return (NULL);
		if ((n == 1 && seg[0] == '.') || (n == 2 &&
		    strncmp(seg, "..", 2) == 0) || strncasecmp(seg, "%2e", 3) ==
		    0 || (n >= 4 && strncasecmp(seg + 1, "%2e", 3) == 0))
			return (NULL);
	}
	return (next);
}

static void
session_cookie(struct http_request *req, const char *tok)
{
	char	hdr[256];

	/* Strict: no other site can start a request that carries it. */
	snprintf(hdr, sizeof(hdr), "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Strict%s%s", AUTH_COOKIE, tok != NULL ? tok : "",
	    tok == NULL ? "; Max-Age=0" : "",
	    strncmp(config.public_url, "https://", 8) == 0 ? "; Secure" : "");
	http_header_add(req, "Set-Cookie", hdr);
}

/* The known-browser cookie: Path=/admin, it outlives the session. */
static void
known_cookie(struct http_request *req, const char *tok)
{
	char	hdr[256];

	/* Strict and HttpOnly like the session; 180 days. */
	snprintf(hdr, sizeof(hdr), "%s=%s; Path=/admin; HttpOnly; "
	    "SameSite=Strict; Max-Age=15552000%s", AUTH_KNOWN_COOKIE, tok,
	    strncmp(config.public_url, "https://", 8) == 0 ? "; Secure" : "");
	http_header_add(req, "Set-Cookie", hdr);
}

static void
login_page(struct http_request *req, const struct form *f, int status)
{
	struct buf	*b = &req->resp;
	const char	*next = safe_next(http_param(req, "next"));

	page_begin(req, f->nerr > 0 ? "Error: Sign in" : "Sign in",
	    PAGE_NOINDEX);
	form_summary(b, f);
	buf_puts(b, "<h1>Sign in</h1>\n<p>For the directory's moderators. "
	    "Ask an administrator if you need an account.</p>\n"
	    "<form class=\"login-form\" method=\"post\" action=\"/admin/login\""
	    " novalidate>\n");
	form_csrf_input(b, req);
	if (next != NULL) {
		buf_puts(b, "<input type=\"hidden\" name=\"next\" value=\"");
		buf_html(b, next);
		buf_puts(b, "\">\n");
	}
	form_fields(b, f, "email", "password");
	buf_puts(b, "<button type=\"submit\" class=\"button\">Sign in"
	    "</button>\n</form>\n");
	page_end(req, 0);
	/* Neither the form nor its answer belongs in any cache. */
	http_header_set(req, "Cache-Control", "no-store");
	page_send(req, status);
}

static void
throttled_page(struct http_request *req, int secs)
{
	struct buf	*b = &req->resp;
	struct tm	 tm;
	time_t		 at;
	char		 when[32], ra[16];
	int		 mins;

	if (secs < 1)
		secs = 1;
	mins = (secs + 59) / 60;
	at = time(NULL) + secs;
	if (localtime_r(&at, &tm) == NULL ||
	    strftime(when, sizeof(when), "%H:%M", &tm) == 0)
		str_copy(when, sizeof(when), "a while");
	snprintf(ra, sizeof(ra), "%d", secs);
	page_begin(req, "Too many attempts to sign in", PAGE_NOINDEX);
	buf_puts(b, "<h1>Too many attempts to sign in</h1>\n<p>There have "
	    "been too many attempts to sign in to this account, or from "
	    "your network. To keep accounts safe, signing in is paused.</p>\n");
	buf_printf(b, "<p>Try again after %s (in %d minute%s).</p>\n", when,
	    mins, mins == 1 ? "" : "s");
	page_end(req, 0);
	http_header_set(req, "Retry-After", ra);
	http_header_set(req, "Cache-Control", "no-store");
	page_send(req, 429);
}

void
page_admin_login_form(struct http_request *req)
{
	struct form	f;

	form_init(&f, login_fields, NLOGIN);
	login_page(req, &f, 200);
	form_free(&f);
}

void
page_admin_login_post(struct http_request *req)
{
	struct auth_credentials	 c;
	struct auth_signin	 in;
	struct form		 f;
	const char		*next;

	form_init(&f, login_fields, NLOGIN);
	if (form_read(&f, req) > 0) {
		/* Nothing was tried: not an attempt to count. */
		login_page(req, &f, 400);
		goto out;
	}
	c.email = form_value(&f, "email");
	/* As typed: the form layer keeps a password untrimmed. */
	c.password = f.value[form_index(&f, "password")];
	c.ip = req->client_ip;
	c.session_token = http_cookie(req, AUTH_COOKIE);
	c.known_token = http_cookie(req, AUTH_KNOWN_COOKIE);
	switch (auth_sign_in(&c, &in)) {
	case AUTH_DB_FAILED:
		reply_db_error(req, in.st);
		goto out;
	case AUTH_THROTTLED:
		throttled_page(req, in.retry_secs);
		goto out;
	case AUTH_REFUSED:
		form_error(&f, "email", LOGIN_FAILED);
		login_page(req, &f, 400);
		goto out;
	case AUTH_SIGNED_IN:
		break;
	}
	session_cookie(req, in.session);
	if (in.known[0] != '\0')
		known_cookie(req, in.known);
	next = safe_next(http_param(req, "next"));
	http_redirect(req, 303, next != NULL ? next : "/admin");
	http_header_set(req, "Cache-Control", "no-store");
out:
	sodium_memzero(&in, sizeof(in));
	form_free(&f);
}

void
page_admin_logout(struct http_request *req)
{
	enum db_status	st;

	/* The router found the session, so the cookie is a token of ours. */
	if ((st = auth_sign_out(http_cookie(req, AUTH_COOKIE))) != DB_OK) {
		reply_db_error(req, st);
		return;
	}
	log_info("auth: %s signed out", req->user_email);
	session_cookie(req, NULL);
	http_redirect(req, 303, "/admin/login");
	http_header_set(req, "Cache-Control", "no-store");
}

void
page_admin_whoami(struct http_request *req)
{
	struct buf	*b = &req->resp;

	page_begin(req, "Signed in", PAGE_NOINDEX);
	buf_puts(b, "<h1>Signed in</h1>\n<p>You are signed in as <strong>");
	buf_html(b, req->user_email);
	buf_printf(b, "</strong> (%s).</p>\n", req->user_admin ?
	    "administrator" : "moderator");
	buf_puts(b, "<form method=\"post\" action=\"/admin/logout\">");
	form_csrf_input(b, req);
	buf_puts(b, "<button type=\"submit\" class=\"button\">Sign out"
	    "</button></form>\n");
	page_end(req, 0);
	http_header_set(req, "Cache-Control", "no-store");
	page_send(req, 200);
}
