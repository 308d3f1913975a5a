/*
 * Freshness reminders: `signpost remind` against a real SMTP server on
 * loopback (aiosmtpd writing each message to a Maildir), and the
 * moderators' review and outbox pages over HTTP.  The SMTP server is
 * started for the group and stopped by PID in the group teardown, which
 * cmocka runs also when a test fails.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>

#include "harness.h"
#include "raw.h"

static pid_t	smtp_pid = -1;
static struct own_server	mailing;	/* a server with smtp_url */
static int	smtp_port;
static char	smtp_dir[64];
static char	mail_dir[128];

static void
smtp_kill(void)
{
	if (mailing.pid > 0) {
		(void)own_server_stop(&mailing);
		mailing.pid = 0;
	}
	if (smtp_pid > 0) {
		kill(smtp_pid, SIGTERM);
		waitpid(smtp_pid, NULL, 0);
		smtp_pid = -1;
	}
}

static int
smtp_start(void **state)
{
	char		 listen[64], log[192];
	char *const	 args[] = { "python3", "-m", "aiosmtpd", "-n", "-l",
	    listen, "-c", "aiosmtpd.handlers.Mailbox", mail_dir, NULL };

	(void)state;
	snprintf(smtp_dir, sizeof(smtp_dir), "/tmp/signpost-smtp.XXXXXX");
	if (mkdtemp(smtp_dir) == NULL || (smtp_port = free_port()) == -1)
		return (-1);
	snprintf(mail_dir, sizeof(mail_dir), "%s/mail", smtp_dir);
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", smtp_port);
	snprintf(log, sizeof(log), "%s/aiosmtpd.log", smtp_dir);
	atexit(smtp_kill);
	return (python_server(args, log, smtp_port, &smtp_pid));
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return (remove(path));
}

static int
smtp_stop(void **state)
{
	(void)state;
	smtp_kill();
	if (smtp_dir[0] != '\0')
		nftw(smtp_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return (0);
}

/* A file's contents (NUL-terminated, caller frees), or NULL. */
static char *
slurp(const char *path)
{
	FILE	*f;
	char	*s = NULL;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) != NULL) {
		s[fread(s, 1, (size_t)n, f)] = '\0';
	}
	fclose(f);
	return (s);
}

/*
 * How many messages the server took in all, and how many were for rcpt
 * (its X-RcptTo header); the last of those is copied into last (freed by
 * the caller) when last is not NULL.
 */
static int
mailbox_count(const char *rcpt, int *mine, char **last)
{
	char		 path[512], want[320];
	struct dirent	*e;
	DIR		*d;
	char		*s;
	int		 all = 0;

	*mine = 0;
	if (last != NULL)
		*last = NULL;
	snprintf(path, sizeof(path), "%s/new", mail_dir);
	snprintf(want, sizeof(want), "X-RcptTo: %s\n", rcpt != NULL ? rcpt :
	    "");
	if ((d = opendir(path)) == NULL)
		return (0);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		all++;
		snprintf(path, sizeof(path), "%s/new/%s", mail_dir, e->d_name);
		if (rcpt == NULL || (s = slurp(path)) == NULL)
			continue;
		if (strstr(s, want) != NULL) {
			(*mine)++;
			if (last != NULL) {
				free(*last);
				*last = s;
				continue;
			}
		}
		free(s);
	}
	closedir(d);
	return (all);
}

/* `signpost remind`, with the loopback SMTP server or without any. */
static int
remind(int with_smtp, char *out, size_t len)
{
	char	url[64];
	int	rc;

	if (with_smtp) {
		snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", smtp_port);
		setenv("SIGNPOST_SMTP_URL", url, 1);
	} else
		setenv("SIGNPOST_SMTP_URL", "", 1);
	setenv("SIGNPOST_SMTP_FROM", "Signpost Test <noreply@example.org>", 1);
	rc = run_signpost("remind", out, len);
	unsetenv("SIGNPOST_SMTP_URL");
	unsetenv("SIGNPOST_SMTP_FROM");
	return (rc);
}

/*
 * A listing last checked "ago" (an interval) before today, due twelve
 * months after that; with a contact address and an approved submission
 * (so an edit link can be made) when asked.
 */
static void
make_listing(const char *tag, const char *ago, int with_email,
    int with_submission, char *sid, char *subid, char *name,
    size_t namelen, char *email, size_t emaillen)
{
	char		 org[128];
	const char	*p[4];

	snprintf(org, sizeof(org), "Remind Org %s %s", tag, test_suffix());
	snprintf(name, namelen, "Remind Group %s %s", tag, test_suffix());
	snprintf(email, emaillen, "remind-%s-%s@example.org", tag,
	    test_suffix());
	p[0] = org;
	p[1] = name;
	p[2] = with_email ? email : NULL;
	p[3] = ago;
	sql_str("WITH o AS (INSERT INTO organization (name) VALUES ($1)"
	    " RETURNING id) INSERT INTO service (organization_id, name,"
	    " is_free, cost_description, review_email, last_reviewed,"
	    " review_due) SELECT id, $2, true, 'Free', $3,"
	    " (current_date - $4::interval)::date,"
	    " (current_date - $4::interval + interval '12 months')::date"
	    " FROM o RETURNING id", 4, p, sid, 37);
	subid[0] = '\0';
	if (with_submission)
		sql_str("INSERT INTO submission (kind, service_id, document,"
		    " status, decided_at) VALUES ('new', $1, '{}'::jsonb,"
		    " 'approved', now() - interval '1 day') RETURNING id", 1,
		    (const char *[]){ sid }, subid, 37);
}

/* A moderator's session cookie, made once with SQL. */
static const char *
session_cookie(void)
{
	static char	 header[160];
	char		 email[128], uid[37], token[65];
	const char	*p[2];

	if (header[0] != '\0')
		return (header);
	snprintf(email, sizeof(email), "remind-mod-%s@example.org",
	    test_suffix());
	p[0] = email;
	sql_str("INSERT INTO app_user (email, role, password_hash)"
	    " VALUES ($1, 'moderator', '$argon2id$v=19$m=65536,t=2,p=1$test')"
	    " RETURNING id", 1, p, uid, sizeof(uid));
	sql_str("SELECT replace(gen_random_uuid()::text, '-', '')"
	    " || replace(gen_random_uuid()::text, '-', '')", 0, NULL, token,
	    sizeof(token));
	p[0] = token;
	p[1] = uid;
	PQclear(test_sql("INSERT INTO user_session (token_hash, user_id,"
	    " expires_at) VALUES (sha256(convert_to($1, 'UTF8')), $2,"
	    " now() + interval '1 hour')", 2, p));
	snprintf(header, sizeof(header), "Cookie: signpost_session=%s", token);
	return (header);
}

static struct resp
get_signed_in(const char *path)
{
	struct resp		 r;
	const char *const	 h[] = { session_cookie(), NULL };

	(void)http_do(&r, NULL, path, NULL, 0, h);
	return (r);
}

/* The 64-hex token after "/edit/" in s, or -1. */
static int
edit_token_in(const char *s, char *tok)
{
	const char	*p;
	size_t		 n;

	if ((p = strstr(s, "/edit/")) == NULL)
		return (-1);
	p += 6;
	n = strspn(p, "0123456789abcdef");
	if (n != 64)
		return (-1);
	memcpy(tok, p, 64);
	tok[64] = '\0';
	return (0);
}

static void
test_remind_sends_one_message_with_a_working_edit_link(void **state)
{
	char		 sid[37], subid[37], name[128], email[128], tok[65];
	char		 out[8192], want[256], n[32];
	char		*msg = NULL;
	int		 all, mine, all2, mine2;

	(void)state;
	make_listing("a", "10 months 15 days", 1, 1, sid, subid, name,
	    sizeof(name), email, sizeof(email));
	assert_int_equal(remind(1, out, sizeof(out)), 0);
	if (!contains(out, " sent, 0 failed"))
		fail_msg("remind said: %s", out);
	all = mailbox_count(email, &mine, &msg);
	assert_int_equal(mine, 1);
	assert_non_null(msg);

	/* A proper message, to the listing's contact. */
	snprintf(want, sizeof(want), "To: %s\n", email);
	assert_true(contains(msg, want));
	assert_true(contains(msg, "From: Signpost Test <noreply@example.org>"));
	assert_true(contains(msg, "X-MailFrom: noreply@example.org"));
	snprintf(want, sizeof(want), "Subject: Please check your listing: %s",
	    name);
	assert_true(contains(msg, want));
	assert_true(contains(msg, "\nDate: "));
	assert_true(contains(msg, "\nMessage-ID: <reminder."));
	assert_true(contains(msg, "MIME-Version: 1.0"));
	assert_true(contains(msg, "Content-Type: text/plain; charset=utf-8"));
	assert_true(contains(msg, "Content-Transfer-Encoding: 8bit"));
	assert_true(contains(msg, name));
	assert_true(contains(msg, "still correct"));
	/* The link does more than suggest: it says so. */
	assert_true(contains(msg, "take it off Signpost at once"));
	sql_str("SELECT to_char(current_date - interval '10 months 15 days',"
	    " 'FMDD FMMonth YYYY')", 0, NULL, want, sizeof(want));
	assert_true(contains(msg, want));

	/* The link's token is one the server knows, on our submission. */
	assert_int_equal(edit_token_in(msg, tok), 0);
	sql_str("SELECT count(*) FROM edit_token WHERE token_hash ="
	    " sha256(convert_to($1, 'UTF8')) AND submission_id = $2", 2,
	    (const char *[]){ tok, subid }, n, sizeof(n));
	assert_string_equal(n, "1");

	/* Marked sent, at the first stage, and the link not kept. */
	sql_str("SELECT stage || ' ' || (sent_at IS NOT NULL) || ' '"
	    " || (last_error IS NULL) || ' ' || (strpos(body, $2) = 0)"
	    " FROM outbox WHERE service_id = $1", 2,
	    (const char *[]){ sid, tok }, n, sizeof(n));
	assert_string_equal(n, "10 true true true");

	/* A second run sends nothing new. */
	assert_int_equal(remind(1, out, sizeof(out)), 0);
	if (!contains(out, "0 reminders queued, 0 sent"))
		fail_msg("second run said: %s", out);
	all2 = mailbox_count(email, &mine2, NULL);
	assert_int_equal(mine2, 1);
	assert_int_equal(all2, all);
	free(msg);
}

static void
test_remind_second_stage_only_once_when_both_are_due(void **state)
{
	char		 sid[37], subid[37], name[128], email[128], out[8192];
	char		 n[64];
	char		*msg = NULL;
	int		 mine;

	(void)state;
	/* Never reminded, and already past the second stage. */
	make_listing("b", "11 months 10 days", 1, 1, sid, subid, name,
	    sizeof(name), email, sizeof(email));
	/* Not ASCII, and a try at adding a header through the name. */
	PQclear(test_sql("UPDATE service SET name = name || E' Caf\u00e9"
	    " \u2013 \nBcc: evil@example.org' WHERE id = $1", 1,
	    (const char *[]){ sid }));
	assert_int_equal(remind(1, out, sizeof(out)), 0);
	(void)mailbox_count(email, &mine, &msg);
	assert_int_equal(mine, 1);
	/* RFC 2047 encoded words, folded; the newline is gone. */
	assert_true(contains(msg, "\nSubject: =?UTF-8?B?"));
	assert_null(strstr(msg, "\nBcc:"));
	/* In the body too, the name is one line. */
	assert_true(contains(msg, "Caf\xc3\xa9 \xe2\x80\x93  Bcc: evil"));
	assert_true(contains(msg, "This is a second reminder"));
	sql_str("SELECT string_agg(stage::text, ',') FROM outbox"
	    " WHERE service_id = $1", 1, (const char *[]){ sid }, n,
	    sizeof(n));
	assert_string_equal(n, "11");
	free(msg);
}

static void
test_remind_skips_listing_without_approved_submission(void **state)
{
	char		 sid[37], subid[37], name[128], email[128], out[8192];
	char		 n[32];
	int		 mine;

	(void)state;
	make_listing("c", "10 months 15 days", 1, 0, sid, subid, name,
	    sizeof(name), email, sizeof(email));
	assert_int_equal(remind(1, out, sizeof(out)), 0);
	assert_true(contains(out, sid));
	assert_true(contains(out, "no approved submission"));
	(void)mailbox_count(email, &mine, NULL);
	assert_int_equal(mine, 0);
	sql_str("SELECT count(*) FROM outbox WHERE service_id = $1", 1,
	    (const char *[]){ sid }, n, sizeof(n));
	assert_string_equal(n, "0");
}

static void
test_remind_without_smtp_waits_in_the_outbox(void **state)
{
	char		 sid[37], subid[37], name[128], email[128], out[8192];
	char		 n[32], loc[256], want[256];
	struct resp	 r;
	int		 mine;

	(void)state;
	make_listing("d", "10 months 15 days", 1, 1, sid, subid, name,
	    sizeof(name), email, sizeof(email));
	assert_int_equal(remind(0, out, sizeof(out)), 0);
	if (!contains(out, "0 sent, 0 failed") ||
	    !contains(out, "waiting in the outbox"))
		fail_msg("remind said: %s", out);
	(void)mailbox_count(email, &mine, NULL);
	assert_int_equal(mine, 0);
	sql_str("SELECT count(*) FROM outbox WHERE service_id = $1"
	    " AND sent_at IS NULL", 1, (const char *[]){ sid }, n, sizeof(n));
	assert_string_equal(n, "1");

	/* Moderators only. */
	r = http_get("/admin/outbox");
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	assert_true(contains(loc, "/admin/login"));
	resp_free(&r);

	r = get_signed_in("/admin/outbox");
	assert_status(&r, 200);
	assert_true(contains(r.body, "<h1>Outbox</h1>"));
	assert_true(contains(r.body, "<caption>Waiting to be sent"));
	assert_true(contains(r.body, "<th scope=\"col\">To</th>"));
	snprintf(want, sizeof(want), "<th scope=\"row\">%s</th>", email);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "Please check your listing: %s", name);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "noindex"));
	assert_true(header_starts(&r, "Cache-Control", "no-store"));
	resp_free(&r);
}

static void
test_remind_smtp_down_keeps_the_reminder_with_its_error(void **state)
{
	char		 sid[37], subid[37], name[128], email[128], out[8192];
	char		 n[32], url[64], want[256], saved[1024];
	struct resp	 r;
	int		 rc;

	(void)state;
	make_listing("g", "10 months 15 days", 1, 1, sid, subid, name,
	    sizeof(name), email, sizeof(email));
	/* Nothing listens there. */
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", free_port());
	setenv("SIGNPOST_SMTP_URL", url, 1);
	rc = run_signpost("remind", out, sizeof(out));
	unsetenv("SIGNPOST_SMTP_URL");
	assert_int_equal(rc, 0);
	if (!contains(out, "0 sent, ") || contains(out, " 0 failed"))
		fail_msg("remind said: %s", out);
	sql_str("SELECT (sent_at IS NULL) || ' ' || (last_error IS NOT NULL)"
	    " FROM outbox WHERE service_id = $1", 1,
	    (const char *[]){ sid }, n, sizeof(n));
	assert_string_equal(n, "true true");

	/* The outbox says why. */
	r = get_signed_in("/admin/outbox");
	assert_status(&r, 200);
	snprintf(want, sizeof(want), "<th scope=\"row\">%s</th>", email);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "onnect"));
	resp_free(&r);

	/* A database that does not answer is the one failure exit. */
	snprintf(saved, sizeof(saved), "%s", getenv("DATABASE_URL") != NULL ?
	    getenv("DATABASE_URL") : "");
	setenv("DATABASE_URL", "postgresql://127.0.0.1:1/none", 1);
	rc = run_signpost("remind", out, sizeof(out));
	setenv("DATABASE_URL", saved, 1);
	assert_int_equal(rc, 1);
	assert_true(contains(out, "not reachable"));
}

static void
test_remind_review_page_lists_an_overdue_listing(void **state)
{
	char		 sid[37], subid[37], name[128], email[128], want[256];
	char		 fresh_sid[37], fresh_name[128], checked[64];
	struct resp	 r;

	(void)state;
	make_listing("e", "6 years", 0, 0, sid, subid, name, sizeof(name),
	    email, sizeof(email));
	make_listing("f", "1 day", 0, 0, fresh_sid, subid, fresh_name,
	    sizeof(fresh_name), email, sizeof(email));
	sql_str("SELECT to_char(current_date - interval '6 years',"
	    " 'FMDD FMMonth YYYY')", 0, NULL, checked, sizeof(checked));

	r = http_get("/admin/review");
	assert_status(&r, 303);
	resp_free(&r);

	r = get_signed_in("/admin/review");
	assert_status(&r, 200);
	assert_true(contains(r.body, "<h1>Listings due for review</h1>"));
	assert_true(contains(r.body, "</strong> are overdue for review") ||
	    contains(r.body, "</strong> is overdue for review"));
	assert_true(contains(r.body, "<caption>Listings due for review"));
	assert_true(contains(r.body, "<th scope=\"col\">Last checked</th>"));
	snprintf(want, sizeof(want), "<a href=\"/services/%s\">%s</a>", sid,
	    name);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "href=\"/admin/services/%s/history\"",
	    sid);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "Not checked since %s", checked);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "<strong>Overdue</strong> since"));
	/* Checked yesterday: not due for a year. */
	assert_null(strstr(r.body, fresh_name));
	resp_free(&r);
}

/* Point the HTTP helpers at base (NULL: back at the shared server). */
static void
use_server(const char *base)
{
	static char	 shared[256];
	const char	*u;

	if (shared[0] == '\0' && (u = getenv("SIGNPOST_TEST_URL")) != NULL)
		snprintf(shared, sizeof(shared), "%s", u);
	setenv("SIGNPOST_TEST_URL", base != NULL ? base : shared, 1);
}

/*
 * A group sends a walk: the CSRF cookie from /submit, then the form.
 * The new submission's id and the link's token.
 */
static void
send_walk(const char *name, const char *email, char *sub, char *tok)
{
	struct resp	 r;
	char		 sc[512], cookie[300], csrf[80], body[2048], loc[512];
	char		*ename, *eemail;
	const char	*p, *h[3];
	CURL		*c = curl_easy_init();

	PQclear(test_sql("UPDATE submission SET submitter_ip = 'earlier'"
	    " WHERE submitter_ip IN ('127.0.0.1', '::1')", 0, NULL));
	r = http_get("/submit");
	assert_status(&r, 200);
	assert_int_equal(resp_header(&r, "Set-Cookie", sc, sizeof(sc)), 0);
	snprintf(cookie, sizeof(cookie), "Cookie: %.*s", (int)strcspn(sc, ";"),
	    sc);
	assert_non_null(p = strstr(r.body, "name=\"csrf\" value=\""));
	p += strlen("name=\"csrf\" value=\"");
	snprintf(csrf, sizeof(csrf), "%.*s", (int)strcspn(p, "\""), p);
	resp_free(&r);
	ename = curl_easy_escape(c, name, 0);
	eemail = curl_easy_escape(c, email, 0);
	snprintf(body, sizeof(body), "csrf=%s&org_id=new&org_name=Mail+Test+"
	    "Walkers+%s&name=%s&kind=walking_group&description=A+gentle+walk"
	    "&free=yes&category=activity&access=self_referral"
	    "&v1_name=Park+gates&v1_postcode=G11+7AA&s1_venue=1"
	    "&s1_pattern=weekly&s1_day=TU&s1_start=10%%3A00&s1_end=11%%3A00"
	    "&walk_grade=easy&contact_email=%s", csrf, test_suffix(), ename,
	    eemail);
	curl_free(ename);
	curl_free(eemail);
	curl_easy_cleanup(c);
	h[0] = "Content-Type: application/x-www-form-urlencoded";
	h[1] = cookie;
	h[2] = NULL;
	(void)http_do(&r, "POST", "/submit", body, strlen(body), h);
	if (r.status != 303)
		fail_msg("POST /submit: %ld\n%s", r.status, r.body);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	assert_int_equal(edit_token_in(loc, tok), 0);
	resp_free(&r);
	sql_str("SELECT submission_id FROM edit_token"
	    " WHERE token_hash = sha256(convert_to($1, 'UTF8'))", 1,
	    (const char *[]){ tok }, sub, 37);
}

/* A moderator's decision through the server (approve: reason NULL). */
static void
decide(const char *sub, const char *reason)
{
	struct resp	 r;
	char		 path[128], body[1024], cookie[400], tok[80];
	char		*er;
	const char	*h[3], *tp;

	r = get_signed_in("/admin");
	assert_status(&r, 200);
	/* A signed-in page's forms carry the session's own token. */
	if ((tp = strstr(r.body, "name=\"csrf\" value=\"")) == NULL)
		fail_msg("no form token on /admin:\n%.300s", r.body);
	tp += strlen("name=\"csrf\" value=\"");
	snprintf(tok, sizeof(tok), "%.*s", (int)strcspn(tp, "\""), tp);
	resp_free(&r);
	snprintf(cookie, sizeof(cookie), "%s", session_cookie());
	h[0] = "Content-Type: application/x-www-form-urlencoded";
	h[1] = cookie;
	h[2] = NULL;
	snprintf(path, sizeof(path), "/admin/submissions/%s/%s", sub,
	    reason == NULL ? "approve" : "reject");
	er = curl_easy_escape(NULL, reason != NULL ? reason : "", 0);
	snprintf(body, sizeof(body), "csrf=%s&version=1&reason=%s", tok, er);
	curl_free(er);
	(void)http_do(&r, "POST", path, body, strlen(body), h);
	if (r.status != 303)
		fail_msg("POST %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
}

/* A message to rcpt with subject (caller frees), waiting up to 20 s. */
static char *
await_mail(const char *rcpt, const char *subject)
{
	char		 path[512], want[320];
	struct dirent	*e;
	DIR		*d;
	char		*s;
	double		 t0;

	snprintf(want, sizeof(want), "X-RcptTo: %s\n", rcpt);
	for (t0 = now(); now() - t0 < 20; usleep(100000)) {
		snprintf(path, sizeof(path), "%s/new", mail_dir);
		if ((d = opendir(path)) == NULL)
			continue;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/new/%s", mail_dir,
			    e->d_name);
			if ((s = slurp(path)) == NULL)
				continue;
			if (strstr(s, want) != NULL &&
			    strstr(s, subject) != NULL) {
				closedir(d);
				return (s);
			}
			free(s);
		}
		closedir(d);
	}
	fail_msg("no message \"%s\" to %s within 20 s", subject, rcpt);
	return (NULL);
}

static void
test_groups_are_mailed_their_link_and_each_decision(void **state)
{
	const char	*env[4];
	char		 url[64], base[64], email[128], email2[128], name[128];
	char		 sub[37], tok[65], tok2[65], sub2[37], svc[37], want[256];
	char		 v[64], *msg;
	int		 i;
	struct resp	 r;

	(void)state;
	snprintf(url, sizeof(url), "SIGNPOST_SMTP_URL=smtp://127.0.0.1:%d",
	    smtp_port);
	env[0] = url;
	env[1] = "SIGNPOST_SMTP_FROM=Signpost Test <noreply@example.org>";
	env[2] = "SIGNPOST_PUBLIC_URL=https://signpost.example.org";
	env[3] = NULL;
	assert_int_equal(own_server_start(&mailing, env), 0);
	snprintf(base, sizeof(base), "http://127.0.0.1:%d", mailing.port);
	use_server(base);

	/* On sending: the link, at once, without anyone running remind. */
	snprintf(email, sizeof(email), "mail-new-%s@example.org",
	    test_suffix());
	snprintf(name, sizeof(name), "Mailed walk %s", test_suffix());
	send_walk(name, email, sub, tok);
	snprintf(want, sizeof(want), "Subject: We have your listing: %s",
	    name);
	msg = await_mail(email, want);
	snprintf(want, sizeof(want), "https://signpost.example.org/edit/%s",
	    tok);
	if (!contains(msg, want) || !contains(msg, "Message-ID: <submitted."))
		fail_msg("the message has no link %s:\n%s", want, msg);
	free(msg);
	/*
	 * The copy kept no longer opens the listing.  The sender marks the
	 * row sent once the SMTP server has said yes, which can be a moment
	 * after the message is in the maildir: wait for it.
	 */
	for (i = 0; i < 200; i++) {
		sql_str("SELECT count(*) FROM outbox WHERE submission_id = $1"
		    " AND sent_at IS NOT NULL AND body !~ '/edit/[0-9a-f]{64}'",
		    1, (const char *[]){ sub }, v, sizeof(v));
		if (strcmp(v, "1") == 0)
			break;
		usleep(50000);
	}
	assert_string_equal(v, "1");

	/* Approved: where it is published, and a new link that works. */
	decide(sub, NULL);
	snprintf(want, sizeof(want), "Subject: Your listing is published: %s",
	    name);
	msg = await_mail(email, want);
	sql_str("SELECT service_id FROM submission WHERE id = $1", 1,
	    (const char *[]){ sub }, svc, sizeof(svc));
	snprintf(want, sizeof(want), "/services/%s", svc);
	assert_true(contains(msg, want));
	assert_int_equal(edit_token_in(msg, tok2), 0);
	assert_string_not_equal(tok, tok2);
	free(msg);
	snprintf(want, sizeof(want), "/edit/%s", tok2);
	r = http_get(want);
	if (r.status != 200 || !contains(r.body, "is published"))
		fail_msg("GET %s: %ld\n%s", want, r.status, r.body);
	resp_free(&r);

	/* Rejected: the reason, word for word, and the link. */
	snprintf(email2, sizeof(email2), "mail-rej-%s@example.org",
	    test_suffix());
	snprintf(name, sizeof(name), "Rejected walk %s", test_suffix());
	send_walk(name, email2, sub2, tok);
	free(await_mail(email2, "Subject: We have your listing"));
	decide(sub2, "Please say where the walk meets & when it ends.");
	snprintf(want, sizeof(want),
	    "Subject: Your listing was not published: %s", name);
	msg = await_mail(email2, want);
	if (!contains(msg, "Please say where the walk meets & when it ends.") ||
	    edit_token_in(msg, tok2) != 0)
		fail_msg("no reason or no link:\n%s", msg);
	free(msg);

	use_server(NULL);
	assert_int_equal(own_server_stop(&mailing), 0);
	mailing.pid = 0;
}

/* Without smtp_url the server queues; `signpost remind` sends later. */
static void
test_without_smtp_the_link_waits_for_remind(void **state)
{
	char	email[128], name[128], sub[37], tok[65], v[64], out[8192];
	char	want[160], *msg;
	int	mine;

	(void)state;
	snprintf(email, sizeof(email), "mail-wait-%s@example.org",
	    test_suffix());
	snprintf(name, sizeof(name), "Waiting walk %s", test_suffix());
	send_walk(name, email, sub, tok);
	sql_str("SELECT kind || ' ' || (sent_at IS NULL) FROM outbox"
	    " WHERE submission_id = $1", 1, (const char *[]){ sub }, v,
	    sizeof(v));
	assert_string_equal(v, "submitted true");
	(void)mailbox_count(email, &mine, NULL);
	assert_int_equal(mine, 0);
	assert_int_equal(remind(1, out, sizeof(out)), 0);
	(void)mailbox_count(email, &mine, &msg);
	assert_int_equal(mine, 1);
	snprintf(want, sizeof(want), "/edit/%s", tok);
	if (!contains(msg, want))
		fail_msg("no link %s:\n%s", want, msg);
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_remind_sends_one_message_with_a_working_edit_link),
		cmocka_unit_test(
		    test_remind_second_stage_only_once_when_both_are_due),
		cmocka_unit_test(
		    test_remind_skips_listing_without_approved_submission),
		cmocka_unit_test(test_remind_without_smtp_waits_in_the_outbox),
		cmocka_unit_test(
		    test_groups_are_mailed_their_link_and_each_decision),
		cmocka_unit_test(test_without_smtp_the_link_waits_for_remind),
		cmocka_unit_test(
		    test_remind_smtp_down_keeps_the_reminder_with_its_error),
		cmocka_unit_test(
		    test_remind_review_page_lists_an_overdue_listing),
	};

	return (RUN_TESTS_WITH("remind", tests, smtp_start, smtp_stop));
}
