/*
 * Hostile input over HTTP against the real server: script, attribute,
 * SQL and template payloads in every free-text field of a listing, a
 * problem report and a reject reason render as text on every page, feed
 * and calendar that shows them; and every POST route answers malformed
 * urlencoded and multipart bodies with a 4xx, stays up and stores nothing.
 */
#include "harness.h"
#include "raw.h"

#define CSRF	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* 87 bytes: fits the shortest free-text field (a venue's city, 100). */
#define P_CORE	"<script>alert(1)</script>\"><img src=x onerror=alert(1)>" \
		"'; DROP TABLE service; --{{7*7}}"
#define E_CORE	"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img " \
		"src=x onerror=alert(1)&gt;&#39;; DROP TABLE service; --{{7*7}}"
/* Only multi-line fields take it: the others refuse line breaks. */
#define P_ICAL	"\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nEND:VEVENT"
/* What form.c's url_ok() and sql/003's valid_http_url() both accept. */
#define P_URL	"https://example.org/x\"><script>alert(2)</script>" \
		"'onmouseover='alert(3)"
#define E_URL	"https://example.org/x&quot;&gt;&lt;script&gt;alert(2)" \
		"&lt;/script&gt;&#39;onmouseover=&#39;alert(3)"
/* And what form_email_ok() and valid_email() accept. */
#define P_MAIL	"\"><svg/onload=alert(4)>@example.org"
#define E_MAIL	"&quot;&gt;&lt;svg/onload=alert(4)&gt;@example.org"
#define WORD	"Xsswalkzq"


struct fixture {
	char	token[80];	/* the edit link of the published listing */
	char	sub[40];
	char	svc[40];
	char	org[40];
};

static struct fixture	fx;

struct field {
	const char	*name;
	const char	*value;
};

/* Every free-text field of the form, each with a tag to find it by. */
static const struct field fields[] = {
	{ "org_name",		"XO1 " P_CORE },
	{ "org_description",	"XO2 " P_CORE P_ICAL },
	{ "org_website",	P_URL },
	{ "org_email",		P_MAIL },
	{ "name",		WORD " " P_CORE },
	{ "description",	"XS2 " P_CORE P_ICAL },
	{ "eligibility",	"XS3 " P_CORE P_ICAL },
	{ "cost",		"XS4 " P_CORE },
	{ "referral",		"XS5 " P_CORE P_ICAL },
	{ "languages",		"XS6 " P_CORE },
	{ "email",		P_MAIL },
	{ "website",		P_URL },
	{ "v1_name",		"XV1 " P_CORE },
	{ "v1_address",		"XV2 " P_CORE },
	{ "v1_city",		"XV3 " P_CORE },
	{ "v1_access",		"XV4 " P_CORE P_ICAL },
	{ "walk_terrain",	"XW1 " P_CORE },
	{ "walk_meeting",	"XW2 " P_CORE },
};

static struct resp
post(const char *cookie, const char *path, const char *body, size_t len,
    const char *ctype)
{
	struct resp	 r;
	char		 ct[256];
	const char	*h[3];

	snprintf(ct, sizeof(ct), "Content-Type: %s", ctype != NULL ? ctype :
	    "application/x-www-form-urlencoded");
	h[0] = ct;
	h[1] = cookie;
	h[2] = NULL;
	(void)http_do(&r, "POST", path, body, len, h);
	return (r);
}

static struct resp
get_with(const char *cookie, const char *path)
{
	struct resp		 r;
	const char *const	 h[] = { cookie, NULL };

	(void)http_do(&r, NULL, path, NULL, 0, h);
	return (r);
}

static void
add(char *out, size_t len, const char *k, const char *v)
{
	CURL	*c = curl_easy_init();
	char	*e = curl_easy_escape(c, v, 0);
	size_t	 n = strlen(out);

	snprintf(out + n, len - n, "%s%s=%s", n > 0 ? "&" : "", k, e);
	curl_free(e);
	curl_easy_cleanup(c);
}

/* The whole hostile listing; override replaces one field's value. */
static void
listing_body(char *out, size_t len, const char *csrf, const char *oname,
    const char *ovalue, const char *extra)
{
	size_t	i;

	out[0] = '\0';
	add(out, len, "csrf", csrf);
	add(out, len, "org_id", "new");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		add(out, len, fields[i].name, oname != NULL &&
		    strcmp(oname, fields[i].name) == 0 ? ovalue :
		    fields[i].value);
	snprintf(out + strlen(out), len - strlen(out), "&kind=walking_group"
	    "&free=no&category=activity&access=self_referral"
	    "&v1_postcode=G11+7AA"
	    "&s1_venue=1&s1_pattern=weekly&s1_day=TU&s1_start=10%%3A00"
	    "&s1_end=11%%3A00&walk_grade=easy&walk_length=3.5"
	    "&contact_email=xss%%40example.org%s", extra != NULL ? extra : "");
}

static void
forget_my_submissions(void)
{
	PQclear(test_sql("UPDATE submission SET submitter_ip = 'earlier'"
	    " WHERE submitter_ip IN ('127.0.0.1', '::1')", 0, NULL));
}

static void
submit(char *token, size_t len, char *sub, size_t sublen)
{
	struct session	 s;
	struct resp	 r;
	char		 body[16384], loc[512];
	const char	*p, *pp[1];

	forget_my_submissions();
	browser(&s, "/submit");
	listing_body(body, sizeof(body), s.tok, NULL, NULL, NULL);
	r = post(s.cookie, "/submit", body, strlen(body), NULL);
	if (r.status != 303)
		fail_msg("submit answered %ld:\n%s", r.status, r.body);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	assert_non_null(p = strstr(loc, "/edit/"));
	snprintf(token, len, "%.*s", (int)strcspn(p + 6, "?"), p + 6);
	resp_free(&r);
	pp[0] = token;
	sql_str("SELECT submission_id FROM edit_token"
	    " WHERE token_hash = sha256(convert_to($1, 'UTF8'))", 1, pp, sub,
	    sublen);
}

/*
 * No HTML page may hold a payload as markup.  The raw text is fine in
 * JSON, the calendar and other text types; a line break in HTML text is
 * only text.
 */
static void
html_safe(const struct resp *r, const char *what)
{
	static const char *const bad[] = { "<script>alert(", "<img src=x",
	    "<svg/onload", "'onmouseover=", "\"onmouseover=",
	    NULL };
	char	ct[128];
	size_t	i;

	if (resp_header(r, "Content-Type", ct, sizeof(ct)) == -1 ||
	    strncmp(ct, "text/html", 9) != 0)
		return;
	for (i = 0; bad[i] != NULL; i++)
		if (strstr(r->body, bad[i]) != NULL)
			fail_msg("%s has raw %s:\n...%.200s", what, bad[i],
			    strstr(r->body, bad[i]) - 80 > r->body ?
			    strstr(r->body, bad[i]) - 80 : r->body);
}

/*
 * The page is HTML, safe, and shows each tagged field as text (a diff's
 * word marks, <ins> and <del>, left out: the words are text all the same).
 */
static void
shows(const struct resp *r, const char *what, const char *const *tags)
{
	static const char *const marks[] = { "<ins>", "</ins>", "<del>",
	    "</del>" };
	char	 want[512], *text, *m;
	size_t	 i;
	int	 ok = 1;

	if (r->status != 200)
		fail_msg("%s answered %ld", what, r->status);
	assert_true(header_starts(r, "Content-Type", "text/html"));
	html_safe(r, what);
	assert_non_null(text = strdup(r->body));
	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		while ((m = strstr(text, marks[i])) != NULL)
			memmove(m, m + strlen(marks[i]),
			    strlen(m + strlen(marks[i])) + 1);
	for (; *tags != NULL; tags++) {
		if (strcmp(*tags, "URL") == 0)
			snprintf(want, sizeof(want), "%s", E_URL);
		else if (strcmp(*tags, "MAIL") == 0)
			snprintf(want, sizeof(want), "%s", E_MAIL);
		else
			snprintf(want, sizeof(want), "%s %s", *tags, E_CORE);
		if (strstr(text, want) == NULL) {
			print_message("%s is missing %s\n", what, want);
			ok = 0;
		}
	}
	free(text);
	if (!ok)
		fail_msg("%s does not show every field as text", what);
}


static void
make_mod(struct account *m)
{
	account_new(m, "moderator", "xss", CSRF);
}

/* The hostile listing, submitted over HTTP, checked while pending, then
 * published; once per run. */
static void
fixture(void)
{
	static const char *const admin_tags[] = { "XO1", "XO2", "URL", "MAIL",
	    WORD, "XS2", "XS3", "XS4", "XS5", "XS6", "XV1", "XV2", "XV3",
	    "XV4", "XW1", "XW2", NULL };
	struct account	 m;
	struct resp	 r;
	char		 path[256];
	const char	*p[1];

	if (fx.svc[0] != '\0')
		return;
	submit(fx.token, sizeof(fx.token), fx.sub, sizeof(fx.sub));
	p[0] = fx.sub;
	/* Stored verbatim: SQL metacharacters are data. */
	sql_str("SELECT document->'service'->>'name' FROM submission"
	    " WHERE id = $1", 1, p, path, sizeof(path));
	assert_string_equal(path, WORD " " P_CORE);

	/* First in the queue (oldest first). */
	PQclear(test_sql("UPDATE submission SET created_at = '1999-01-01'"
	    " WHERE id = $1", 1, p));
	make_mod(&m);
	r = get_with(m.cookie, "/admin");
	shows(&r, "the admin queue", (const char *[]){ WORD, NULL });
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/submissions/%s", fx.sub);
	r = get_with(m.cookie, path);
	shows(&r, "the admin item page", admin_tags);
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/submissions/%s/edit", fx.sub);
	r = get_with(m.cookie, path);
	shows(&r, "the admin edit form", admin_tags);
	resp_free(&r);
	snprintf(path, sizeof(path), "/edit/%s?sent=1", fx.token);
	r = http_get(path);
	/* It names nothing while pending: nothing to show, nothing raw. */
	assert_status(&r, 200);
	html_safe(&r, "the edit link (pending)");
	resp_free(&r);
	snprintf(path, sizeof(path), "/edit/%s/change", fx.token);
	r = http_get(path);
	shows(&r, "the edit link's form (pending)", admin_tags);
	resp_free(&r);

	sql_str("SELECT listing_publish($1, (SELECT version FROM submission"
	    " WHERE id = $1), NULL, 12)", 1, p, fx.svc, sizeof(fx.svc));
	p[0] = fx.svc;
	sql_str("SELECT organization_id FROM service WHERE id = $1", 1, p,
	    fx.org, sizeof(fx.org));
	sql_str("SELECT name FROM service WHERE id = $1", 1, p, path,
	    sizeof(path));
	assert_string_equal(path, WORD " " P_CORE);
}

static void
test_xss_public_pages_show_every_field_as_text(void **state)
{
	struct resp	 r;
	char		 path[256];
	const char	*href;

	(void)state;
	fixture();
	snprintf(path, sizeof(path), "/services/%s", fx.svc);
	r = http_get(path);
	shows(&r, "the service page", (const char *[]){ "XO1", WORD, "XS2",
	    "XS3", "XS4", "XS5", "XS6", "XV1", "XV2", "XV3", "XV4", "XW1",
	    "XW2", "URL", "MAIL", NULL });
	/* The address is an attribute value, quotes and all escaped. */
	href = "href=\"" E_URL "\"";
	assert_true(contains(r.body, href));
	resp_free(&r);

	snprintf(path, sizeof(path), "/organisations/%s", fx.org);
	r = http_get(path);
	shows(&r, "the organisation page", (const char *[]){ "XO1", "XO2",
	    WORD, "URL", "MAIL", NULL });
	assert_true(contains(r.body, "href=\"" E_URL "\""));
	resp_free(&r);

	r = http_get("/search?postcode=G11+7AA&q=" WORD);
	shows(&r, "search results", (const char *[]){ WORD, NULL });
	resp_free(&r);

	snprintf(path, sizeof(path), "/services/%s/report", fx.svc);
	r = http_get(path);
	shows(&r, "the report form", (const char *[]){ WORD, NULL });
	resp_free(&r);
}

static void
test_xss_shortlist_sms_and_mail_text_are_escaped(void **state)
{
	struct resp	 r;
	char		 path[256];
	const char	*ta, *mail;

	(void)state;
	fixture();
	snprintf(path, sizeof(path), "/shortlist?ids=%s", fx.svc);
	r = http_get(path);
	shows(&r, "the shortlist", (const char *[]){ WORD, NULL });
	/* The SMS: plain text, shown in a textarea as text. */
	assert_non_null(ta = strstr(r.body, "id=\"sms-text\""));
	assert_non_null(ta = strchr(ta, '>'));
	assert_int_equal(strncmp(ta + 1, WORD " " E_CORE,
	    strlen(WORD " " E_CORE)), 0);
	/* The e-mail: the same text, percent-encoded in a mailto: link. */
	assert_non_null(mail = strstr(r.body, "href=\"mailto:"));
	if (strstr(mail, WORD "%20%3Cscript%3Ealert%281%29%3C%2F"
	    "script%3E%22%3E%3Cimg") == NULL)
		fail_msg("the mailto: link is %.300s", mail);
	resp_free(&r);
}

static void
test_xss_feed_keeps_payloads_as_json_strings(void **state)
{
	struct resp	 r;
	cJSON		*j, *ft;
	char		 path[256];
	int		 found = 0;

	(void)state;
	fixture();
	snprintf(path, sizeof(path), "/api/services/%s", fx.svc);
	r = http_get(path);
	assert_status(&r, 200);
	assert_false(header_starts(&r, "Content-Type", "text/html"));
	assert_non_null(j = resp_json(&r));
	assert_string_equal(jstr(j, "name"), WORD " " P_CORE);
	assert_non_null(strstr(jstr(j, "description"), "XS2 " P_CORE));
	assert_string_equal(jstr(j, "url"), P_URL);
	cJSON_Delete(j);
	resp_free(&r);

	r = http_get("/api/services.geojson?postcode=G11+7AA&q=" WORD);
	assert_status(&r, 200);
	assert_false(header_starts(&r, "Content-Type", "text/html"));
	assert_non_null(j = resp_json(&r));
	cJSON_ArrayForEach(ft, cJSON_GetObjectItem(j, "features"))
		if (strcmp(jstr(cJSON_GetObjectItem(ft, "properties"), "name"),
		    WORD " " P_CORE) == 0)
			found = 1;
	assert_true(found);
	cJSON_Delete(j);
	resp_free(&r);
}

/* The calendar with its folded lines joined again (RFC 5545 3.1). */
static char *
unfold(const char *s)
{
	char	*out, *w;

	assert_non_null(out = malloc(strlen(s) + 1));
	for (w = out; *s != '\0'; s++) {
		if (s[0] == '\r' && s[1] == '\n' && (s[2] == ' ' ||
		    s[2] == '\t')) {
			s += 2;
			continue;
		}
		*w++ = *s;
	}
	*w = '\0';
	return (out);
}

static void
test_xss_calendar_escapes_text_and_injects_no_properties(void **state)
{
	struct resp	 r;
	char		 path[256], file[] = "/tmp/signpost-xss-ics-XXXXXX";
	char		 cmd[2048], *u, *line;
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	int		 fd, events = 0, st;

	(void)state;
	fixture();
	snprintf(path, sizeof(path), "/services/%s/calendar.ics", fx.svc);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Content-Type", "text/calendar"));
	u = unfold(r.body);
	/* Commas and semicolons escaped; the name is one SUMMARY. */
	assert_true(contains(u, "SUMMARY:" WORD " <script>alert(1)</script>"
	    "\"><img src=x onerror=alert(1)>'\\; DROP TABLE service\\; "
	    "--{{7*7}}\r\n"));
	for (line = strtok(u, "\r\n"); line != NULL;
	    line = strtok(NULL, "\r\n")) {
		if (strcmp(line, "BEGIN:VEVENT") == 0)
			events++;
		if (strncmp(line, "SUMMARY:injected", 16) == 0)
			fail_msg("a payload became a property: %s", line);
	}
	assert_int_equal(events, 1);
	free(u);
	/* And a real parser agrees. */
	assert_true((fd = mkstemp(file)) != -1);
	assert_true(write(fd, r.body, r.len) == (ssize_t)r.len);
	close(fd);
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 %s/tests/integration/"
	    "check_ics.py %s 2 >/dev/null", root != NULL ? root : ".", file);
	st = system(cmd);
	unlink(file);
	assert_int_equal(WEXITSTATUS(st), 0);
	resp_free(&r);
}

static void
test_xss_history_and_update_diff_are_escaped(void **state)
{
	struct session	 s;
	struct account	 m;
	struct resp	 r;
	char		 path[256], body[16384], upd[40];
	const char	*p[1];

	(void)state;
	fixture();
	make_mod(&m);
	snprintf(path, sizeof(path), "/admin/services/%s/history", fx.svc);
	r = get_with(m.cookie, path);
	shows(&r, "the history", (const char *[]){ WORD, "XS2", NULL });
	resp_free(&r);

	snprintf(path, sizeof(path), "/edit/%s", fx.token);
	r = http_get(path);
	shows(&r, "the edit link (published)", (const char *[]){ WORD, NULL });
	resp_free(&r);
	/* A change through the link: the moderator sees a diff. */
	snprintf(path, sizeof(path), "/edit/%s/change", fx.token);
	browser(&s, path);
	r = http_get(path);
	shows(&r, "the edit link's form (published)", (const char *[]){
	    "XO1", WORD, "XS2", "XV1", "XW2", "URL", "MAIL", NULL });
	resp_free(&r);
	forget_my_submissions();
	listing_body(body, sizeof(body), s.tok, "cost", "XS7 " P_CORE,
	    "&base=1");
	r = post(s.cookie, path, body, strlen(body), NULL);
	if (r.status != 303)
		fail_msg("the change answered %ld:\n%s", r.status, r.body);
	resp_free(&r);
	p[0] = fx.svc;
	sql_str("SELECT id FROM submission WHERE service_id = $1"
	    " AND kind = 'update' AND status = 'pending'", 1, p, upd,
	    sizeof(upd));
	snprintf(path, sizeof(path), "/admin/submissions/%s", upd);
	r = get_with(m.cookie, path);
	shows(&r, "the update's diff", (const char *[]){ "XS4", "XS7", NULL });
	resp_free(&r);
	/* Out of the way of the other tests' listings. */
	PQclear(test_sql("UPDATE submission SET status = 'rejected',"
	    " decided_at = now(), reason = 'test' WHERE id = $1", 1,
	    (const char *[]){ upd }));
}

static void
test_xss_reject_reason_is_escaped(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 token[80], sub[40], path[256], body[2048], v[256];
	const char	*p[1];

	(void)state;
	make_mod(&m);
	submit(token, sizeof(token), sub, sizeof(sub));
	snprintf(path, sizeof(path), "/admin/submissions/%s/reject", sub);
	body[0] = '\0';
	add(body, sizeof(body), "csrf", m.csrf);
	add(body, sizeof(body), "version", "1");
	add(body, sizeof(body), "reason", "XR1 " P_CORE P_ICAL);
	r = post(m.cookie, path, body, strlen(body), NULL);
	if (r.status != 303)
		fail_msg("reject answered %ld:\n%s", r.status, r.body);
	resp_free(&r);
	p[0] = sub;
	sql_str("SELECT status || ' ' || left(reason, 91) FROM submission"
	    " WHERE id = $1", 1, p, v, sizeof(v));
	assert_string_equal(v, "rejected XR1 " P_CORE);
	snprintf(path, sizeof(path), "/admin/submissions/%s", sub);
	r = get_with(m.cookie, path);
	shows(&r, "the rejected item", (const char *[]){ "XR1", WORD, NULL });
	resp_free(&r);
	snprintf(path, sizeof(path), "/edit/%s", token);
	r = http_get(path);
	html_safe(&r, "the edit link (rejected)");
	resp_free(&r);
}

static void
test_xss_problem_report_details_are_escaped(void **state)
{
	struct session	 s;
	struct account	 m;
	struct resp	 r;
	char		 path[256], body[2048], rep[40], v[256];
	const char	*p[1];

	(void)state;
	fixture();
	snprintf(path, sizeof(path), "/services/%s/report", fx.svc);
	browser(&s, path);
	body[0] = '\0';
	add(body, sizeof(body), "csrf", s.tok);
	add(body, sizeof(body), "problem", "other");
	add(body, sizeof(body), "details", "XP1 " P_CORE P_ICAL);
	add(body, sizeof(body), "email", P_MAIL);
	r = post(s.cookie, path, body, strlen(body), NULL);
	if (r.status != 303)
		fail_msg("the report answered %ld:\n%s", r.status, r.body);
	resp_free(&r);
	p[0] = fx.svc;
	sql_str("SELECT id FROM problem_report WHERE service_id = $1"
	    " ORDER BY created_at DESC LIMIT 1", 1, p, rep, sizeof(rep));
	p[0] = rep;
	sql_str("SELECT left(details, 91) FROM problem_report WHERE id = $1",
	    1, p, v, sizeof(v));
	assert_string_equal(v, "XP1 " P_CORE);
	PQclear(test_sql("UPDATE problem_report SET created_at = '1999-01-01'"
	    " WHERE id = $1", 1, p));
	make_mod(&m);
	r = get_with(m.cookie, "/admin");
	html_safe(&r, "the queue with the report");
	assert_status(&r, 200);
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/reports/%s", rep);
	r = get_with(m.cookie, path);
	shows(&r, "the report page", (const char *[]){ "XP1", WORD, "MAIL",
	    NULL });
	resp_free(&r);
	PQclear(test_sql("UPDATE problem_report SET status = 'dismissed',"
	    " resolved_at = now() WHERE id = $1", 1, p));
}

/* Part 2: malformed bodies on every POST route. */

struct target {
	const char	*pattern;	/* as in app/route.c */
	char		 path[256];
	int		 login;
	int		 csrf_only;	/* a valid token alone may act */
};

static struct target	targets[] = {
	{ "/services/{id}/report", "", 0, 0 },
	{ "/submit", "", 0, 0 },
	{ "/edit/{token}/change", "", 0, 0 },
	{ "/edit/{token}/confirm", "", 0, 0 },
	{ "/edit/{token}/withdraw", "", 0, 0 },
	{ "/admin/submissions/{id}/approve", "", 1, 0 },
	{ "/admin/submissions/{id}/reject", "", 1, 0 },
	{ "/admin/submissions/{id}/edit", "", 1, 0 },
	{ "/admin/reports/{id}/resolve", "", 1, 0 },
	{ "/admin/services/{id}/edit", "", 1, 0 },
	{ "/admin/services/{id}/unpublish", "", 1, 0 },
	{ "/admin/services/{id}/restore", "", 1, 0 },
	{ "/admin/login", "", 0, 0 },
	{ "/admin/logout", "", 1, 1 },
	/* 2: an administrator's. */
	{ "/admin/import", "", 2, 0 },
	{ "/admin/import/{id}/apply", "", 2, 0 },
};
#define NTARGETS	(sizeof(targets) / sizeof(targets[0]))

struct bad_body {
	const char	*what;
	const char	*ctype;		/* NULL: urlencoded */
	char		*body;		/* "@T@" is the CSRF token */
	size_t		 len;
	int		 soft;		/* well formed: the handler decides */
};

#define B	"XyZzy"
#define MP	"multipart/form-data; boundary=" B
#define PART(n, v) "--" B "\r\nContent-Disposition: form-data; name=\"" n \
	"\"\r\n\r\n" v "\r\n"

static const struct {
	const char	*what;
	const char	*ctype;
	const char	*body;
	int		 soft;
} bodies[] = {
	{ "truncated multipart", MP, PART("csrf", "@T@") "--" B
	  "\r\nContent-Disposition: form-da", 1 },
	{ "multipart with no boundary", "multipart/form-data",
	  PART("csrf", "@T@") "--" B "--\r\n", 0 },
	{ "multipart with an empty boundary", "multipart/form-data; boundary=",
	  PART("csrf", "@T@") "--" B "--\r\n", 0 },
	{ "boundary never closed", MP, PART("csrf", "@T@") PART("version",
	  "1"), 1 },
	{ "part with no name", MP, PART("csrf", "@T@") "--" B
	  "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" B "--\r\n", 1 },
	{ "part with no headers", MP, "--" B "\r\n\r\nx\r\n--" B "--\r\n", 1 },
	{ "duplicate multipart fields", MP, PART("csrf", "@T@")
	  PART("csrf", "@T@") PART("version", "x") PART("version", "1")
	  PART("problem", "x") PART("problem", "closed") "--" B "--\r\n", 1 },
	{ "invalid UTF-8 in a part", MP, PART("csrf", "@T@")
	  PART("name", "\xff\xfe") PART("problem", "\xc3") PART("version",
	  "\xed\xa0\x80") PART("reason", "\xc0\xaf") "--" B "--\r\n", 1 },
	{ "duplicate fields", NULL, "csrf=@T@&csrf=@T@&version=x&version=1"
	  "&problem=x&problem=closed&name=a&name=b&outcome=x&outcome=resolved",
	  1 },
	{ "%zz", NULL, "csrf=@T@&name=%zz", 0 },
	{ "%0", NULL, "csrf=@T@&name=%0", 0 },
	{ "%00", NULL, "csrf=@T@&name=a%00b", 0 },
	{ "%zz in a name", NULL, "csrf=@T@&%zz=1", 0 },
	{ "a NUL byte", NULL, "csrf=@T@&name=a\0b", 0 },
	{ "invalid UTF-8", NULL, "csrf=@T@&name=%ff%fe&org_name=%c0%af"
	  "&problem=%c3&details=%ed%a0%80&version=%ff&reason=%ff&email=%ff"
	  "&password=%ff&outcome=%ff&change=%ff", 1 },
	{ "no equals signs", NULL, "csrf=@T@&&&&=&==&x", 1 },
};
#define NBODIES	(sizeof(bodies) / sizeof(bodies[0]))

/* The body with the token in place of @T@; len counts a NUL in it. */
static char *
fill(const char *tmpl, size_t tlen, const char *tok, size_t *len)
{
	char		*out, *w;
	size_t		 i;

	assert_non_null(out = malloc(tlen + 64 * 8 + 1));
	for (i = 0, w = out; i < tlen; i++) {
		if (strncmp(tmpl + i, "@T@", 3) == 0) {
			w += sprintf(w, "%s", tok);
			i += 2;
		} else
			*w++ = tmpl[i];
	}
	*w = '\0';
	*len = (size_t)(w - out);
	return (out);
}

static size_t
tmpl_len(const char *what, const char *body)
{
	/* The one template with a NUL in it. */
	if (strcmp(what, "a NUL byte") == 0)
		return (strlen(body) + 1 + strlen(body + strlen(body) + 1));
	return (strlen(body));
}

static void
counts(char *out, size_t len)
{
	sql_str("SELECT (SELECT count(*) FROM submission) || ' ' ||"
	    " (SELECT count(*) FROM problem_report) || ' ' ||"
	    " (SELECT count(*) FROM listing_change) || ' ' ||"
	    " (SELECT coalesce(sum(version), 0) FROM submission) || ' ' ||"
	    " (SELECT coalesce(sum(version), 0) FROM service)", 0, NULL, out,
	    len);
}

static void
healthy(void)
{
	struct resp	r = http_get("/healthz");

	assert_status(&r, 200);
	resp_free(&r);
}

/* Every POST route of app/route.c is in targets[]. */
static void
targets_cover_the_route_table(void)
{
	const char	*root = getenv("SIGNPOST_TEST_ROOT");
	char		 path[1024], line[512], *q, *e;
	FILE		*f;
	size_t		 i, n = 0;
	int		 found;

	snprintf(path, sizeof(path), "%s/app/route.c", root != NULL ? root :
	    ".");
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "{ HTTP_POST,") == NULL ||
		    (q = strchr(line, '"')) == NULL ||
		    (e = strchr(q + 1, '"')) == NULL)
			continue;
		*e = '\0';
		for (i = 0, found = 0; i < NTARGETS; i++)
			if (strcmp(targets[i].pattern, q + 1) == 0)
				found = 1;
		if (!found)
			fail_msg("POST %s is not tested here", q + 1);
		n++;
	}
	fclose(f);
	assert_int_equal(n, NTARGETS);
}

static void
make_targets(void)
{
	char		 sub[40], svc[40], rep[40], tok[80];
	const char	*p[3];
	size_t		 i;

	sql_str("SELECT md5(random()::text) || md5(random()::text)", 0, NULL,
	    tok, sizeof(tok));
	/* A pending listing: confirming it is refused whatever the body. */
	sql_str("INSERT INTO submission (kind, document) SELECT 'new',"
	    " listing_document(s.id) FROM service s WHERE s.status = 'active'"
	    " ORDER BY s.id LIMIT 1 RETURNING id", 0, NULL, sub, sizeof(sub));
	p[0] = tok;
	p[1] = sub;
	PQclear(test_sql("INSERT INTO edit_token (token_hash, submission_id)"
	    " VALUES (sha256(convert_to($1, 'UTF8')), $2)", 2, p));
	sql_str("SELECT id FROM service WHERE status = 'active'"
	    " ORDER BY id LIMIT 1", 0, NULL, svc, sizeof(svc));
	p[0] = svc;
	sql_str("INSERT INTO problem_report (service_id, problem)"
	    " VALUES ($1, 'closed') RETURNING id", 1, p, rep, sizeof(rep));
	for (i = 0; i < NTARGETS; i++) {
		struct target	*t = &targets[i];
		const char	*id = strstr(t->pattern, "/reports/") != NULL ?
		    rep : strstr(t->pattern, "/submissions/") != NULL ? sub :
		    svc;
		const char	*b;

		if ((b = strchr(t->pattern, '{')) == NULL) {
			snprintf(t->path, sizeof(t->path), "%s", t->pattern);
			continue;
		}
		snprintf(t->path, sizeof(t->path), "%.*s%s%s",
		    (int)(b - t->pattern), t->pattern,
		    strstr(t->pattern, "{token}") != NULL ? tok : id,
		    strchr(b, '}') + 1);
	}
}

static void
expect_4xx(const struct target *t, const char *what, int with, int soft,
    const struct resp *r)
{
	if (r->status == 0)
		fail_msg("POST %s, %s (%s CSRF): no answer", t->pattern, what,
		    with ? "with" : "without");
	if (soft && with && t->csrf_only && r->status < 400)
		return;
	if (r->status < 400 || r->status > 499)
		fail_msg("POST %s, %s (%s CSRF): %ld\n%.300s", t->pattern,
		    what, with ? "with" : "without", r->status, r->body);
}

static void
send_to_all(const char *what, const char *ctype, const char *tmpl,
    size_t tlen, int soft)
{
	struct account	 m;
	struct resp	 r;
	char		*body, cookie[300];
	size_t		 i, len;
	int		 with;

	for (i = 0; i < NTARGETS; i++)
		for (with = 0; with < 2; with++) {
			if (targets[i].login) {
				make_mod(&m);
				if (targets[i].login == 2)
					PQclear(test_sql("UPDATE app_user SET"
					    " role = 'admin' WHERE email = $1",
					    1, (const char *[]){ m.email }));
				/* Signed in, the token is the session's. */
				body = fill(tmpl, tlen, with ? m.csrf : "",
				    &len);
				snprintf(cookie, sizeof(cookie), "%s",
				    with ? m.cookie : strtok(m.cookie, ";"));
			} else {
				body = fill(tmpl, tlen, with ? CSRF : "", &len);
				snprintf(cookie, sizeof(cookie), "%s", with ?
				    "Cookie: signpost_csrf=" CSRF : "X-No: 1");
			}
			r = post(cookie, targets[i].path, body, len, ctype);
			expect_4xx(&targets[i], what, with, soft, &r);
			resp_free(&r);
			free(body);
		}
}

static void
test_every_post_route_refuses_malformed_bodies_with_a_4xx(void **state)
{
	char	 before[128], after[128], *big;
	size_t	 i, n;

	(void)state;
	targets_cover_the_route_table();
	make_targets();
	forget_my_submissions();
	counts(before, sizeof(before));
	for (i = 0; i < NBODIES; i++) {
		send_to_all(bodies[i].what, bodies[i].ctype, bodies[i].body,
		    tmpl_len(bodies[i].what, bodies[i].body), bodies[i].soft);
		healthy();
	}
	/* 10 000 of one field, urlencoded and as multipart parts. */
	assert_non_null(big = malloc(1024 * 1024));
	n = (size_t)sprintf(big, "csrf=@T@");
	for (i = 0; i < 10000; i++)
		n += (size_t)sprintf(big + n, "&category=zz&version=x");
	send_to_all("10 000 repeated fields", NULL, big, n, 1);
	healthy();
	n = (size_t)sprintf(big, PART("csrf", "@T@"));
	for (i = 0; i < 10000; i++)
		n += (size_t)sprintf(big + n, PART("version", "x"));
	n += (size_t)sprintf(big + n, "--" B "--\r\n");
	send_to_all("10 000 repeated parts", MP, big, n, 1);
	healthy();
	free(big);
	/* One field over max_body_bytes (1 MiB in the test config). */
	n = 1024 * 1024 + 100;
	assert_non_null(big = malloc(n + 1));
	memset(big, 'a', n);
	memcpy(big, "csrf=@T@&name=", 14);
	big[n] = '\0';
	for (i = 0; i < NTARGETS; i++) {
		struct resp	r = post("Cookie: signpost_csrf=" CSRF,
		    targets[i].path, big, n, NULL);

		if (r.status != 413)
			fail_msg("POST %s with %zu bytes: %ld", targets[i].path,
			    n, r.status);
		resp_free(&r);
	}
	free(big);
	healthy();
	counts(after, sizeof(after));
	assert_string_equal(before, after);
}

/* Part 3: a chunked body, with no length up front, over the limit. */
static void
chunked_413(const char *path)
{
	char	 hdr[1024], chunk[65536 + 16], head[4096];
	size_t	 sent;
	int	 fd, n;

	fd = raw_connect(20);
	n = snprintf(hdr, sizeof(hdr), "POST %s HTTP/1.1\r\nHost: t\r\n"
	    "Cookie: signpost_csrf=" CSRF "\r\nContent-Type: application/"
	    "x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
	    path);
	assert_int_equal(send_all(fd, hdr, (size_t)n), 0);
	n = snprintf(chunk, sizeof(chunk), "%x\r\n", 65536);
	memset(chunk + n, 'b', 65536);
	memcpy(chunk + n, "csrf=" CSRF "&details=", 5 + 64 + 9);
	memcpy(chunk + n + 65536, "\r\n", 2);
	for (sent = 0; sent <= 1024 * 1024; sent += 65536) {
		assert_int_equal(send_all(fd, chunk, (size_t)n + 65536 + 2), 0);
		/* Later chunks continue the one field. */
		memset(chunk + n, 'b', 5 + 64 + 9);
	}
	assert_int_equal(send_all(fd, "0\r\n\r\n", 5), 0);
	assert_int_equal(read_status(fd, head, sizeof(head)), 413);
	close(fd);
}

static void
test_oversize_submit_and_report_are_413(void **state)
{
	char	 before[128], after[128];

	(void)state;
	make_targets();
	counts(before, sizeof(before));
	chunked_413("/submit");
	chunked_413(targets[0].path);
	healthy();
	counts(after, sizeof(after));
	assert_string_equal(before, after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xss_public_pages_show_every_field_as_text),
		cmocka_unit_test(
		    test_xss_shortlist_sms_and_mail_text_are_escaped),
		cmocka_unit_test(test_xss_feed_keeps_payloads_as_json_strings),
		cmocka_unit_test(
		    test_xss_calendar_escapes_text_and_injects_no_properties),
		cmocka_unit_test(test_xss_history_and_update_diff_are_escaped),
		cmocka_unit_test(test_xss_reject_reason_is_escaped),
		cmocka_unit_test(test_xss_problem_report_details_are_escaped),
		cmocka_unit_test(
		    test_every_post_route_refuses_malformed_bodies_with_a_4xx),
		cmocka_unit_test(test_oversize_submit_and_report_are_413),
	};

	return (RUN_TESTS("xss", tests));
}
