/*
 * Community submissions and the private edit link, over HTTP against the
 * real server and cluster: /submit, validation, anti-abuse, the token,
 * changes through the link (and their conflicts), "still correct",
 * withdrawal, and a submission surviving kill -9 and a database restart.
 */
#include "harness.h"
#include "raw.h"



static struct resp
post(const struct session *s, const char *path, const char *body)
{
	struct resp		 r;
	const char *const	 h[] = {
	    "Content-Type: application/x-www-form-urlencoded",
	    s != NULL ? s->cookie : NULL, NULL };

	(void)http_do(&r, "POST", path, body, strlen(body), h);
	return (r);
}

/* The form body of a walking group; extra ("&k=v...") goes at the end. */
static void
walk_body(char *out, size_t len, const struct session *s, const char *name,
    const char *extra)
{
	char	*ename;
	CURL	*c = curl_easy_init();

	ename = curl_easy_escape(c, name, 0);
	snprintf(out, len, "csrf=%s&org_id=new&org_name=Partick+Strollers+%s"
	    "&name=%s&kind=walking_group&description=A+gentle+walk+round+the+"
	    "park&free=yes&category=activity&access=self_referral"
	    "&v1_name=Victoria+Park+gates&v1_postcode=G11+7AA"
	    "&s1_venue=1&s1_pattern=weekly&s1_day=TU&s1_start=10%%3A00"
	    "&s1_end=11%%3A00"
	    "&s2_venue=1&s2_pattern=weekly&s2_day=TH&s2_start=14%%3A00"
	    "&s2_end=15%%3A30"
	    "&walk_grade=easy&walk_length=3.5&contact_email=walks%%40"
	    "example.org%s", s->tok, test_suffix(), ename,
	    extra != NULL ? extra : "");
	curl_free(ename);
	curl_easy_cleanup(c);
}

/* Room for a 1 000-submission run from one address: the limit is tested
 * on its own, with rows of its own. */
static void
forget_my_submissions(void)
{
	PQclear(test_sql("UPDATE submission SET submitter_ip = 'earlier'"
	    " WHERE submitter_ip IN ('127.0.0.1', '::1')", 0, NULL));
}

/* Submit (extra: more fields, or NULL); the token from the redirect. */
static void
submit_walk_with(const char *name, const char *extra, char *token,
    size_t len)
{
	struct session	 s;
	struct resp	 r;
	char		 body[4096], loc[512];
	const char	*p;

	forget_my_submissions();
	browser(&s, "/submit");
	walk_body(body, sizeof(body), &s, name, extra);
	r = post(&s, "/submit", body);
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	p = strstr(loc, "/edit/");
	assert_non_null(p);
	snprintf(token, len, "%.*s", (int)strcspn(p + 6, "?"), p + 6);
	assert_int_equal(strlen(token), 64);
	resp_free(&r);
}

static void
submit_walk(const char *name, char *token, size_t len)
{
	submit_walk_with(name, NULL, token, len);
}

static void
submission_of(const char *token, char *id, size_t len)
{
	const char	*p[1] = { token };

	sql_str("SELECT submission_id FROM edit_token"
	    " WHERE token_hash = sha256(convert_to($1, 'UTF8'))", 1, p, id, len);
}

static void
publish(const char *sub, char *svc, size_t len)
{
	const char	*p[1] = { sub };

	sql_str("SELECT listing_publish($1, (SELECT version FROM submission"
	    " WHERE id = $1), NULL, 12)", 1, p, svc, len);
}

static void
test_submit_form_has_every_section(void **state)
{
	struct resp	r;

	(void)state;
	r = http_get("/submit");
	assert_status(&r, 200);
	assert_true(contains(r.body, "<h1>Add a listing</h1>"));
	assert_true(contains(r.body, "name=\"csrf\""));
	assert_true(contains(r.body, "name=\"nickname\""));
	assert_true(contains(r.body, "for=\"org_name\">Name of the "
	    "organisation</label>"));
	assert_true(contains(r.body, "for=\"v1_postcode\">Postcode"));
	assert_true(contains(r.body, "name=\"s4_start\""));
	assert_true(contains(r.body, "name=\"walk_grade\""));
	assert_true(contains(r.body, "name=\"category\" id=\"category-"));
	assert_true(contains(r.body, "for=\"contact_email\">Your email"
	    "</label>"));
	assert_true(header_starts(&r, "Cache-Control", "no-store"));
	resp_free(&r);
}

static void
test_submit_stores_a_pending_listing_and_only_the_token_hash(void **state)
{
	char		 token[80], sub[40], n[32];
	const char	*p[2];
	struct resp	 r;
	char		 path[160];

	(void)state;
	submit_walk("Park walk", token, sizeof(token));
	submission_of(token, sub, sizeof(sub));
	p[0] = sub;
	sql_str("SELECT status || ' ' || kind || ' ' ||"
	    " jsonb_array_length(document->'sessions') FROM submission"
	    " WHERE id = $1", 1, p, n, sizeof(n));
	assert_string_equal(n, "pending new 2");
	/* The token itself is nowhere in the database. */
	p[0] = token;
	sql_str("SELECT count(*) FROM edit_token"
	    " WHERE encode(token_hash, 'hex') = $1", 1, p, n, sizeof(n));
	assert_string_equal(n, "0");
	/* Nothing is published before a moderator says so. */
	sql_str("SELECT count(*) FROM service WHERE name = 'Park walk'", 0,
	    NULL, n, sizeof(n));
	assert_string_equal(n, "0");

	snprintf(path, sizeof(path), "/edit/%s?sent=1", token);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(contains(r.body, "Thank you: we have your listing"));
	assert_true(contains(r.body, token));
	assert_true(contains(r.body, "waiting for a moderator"));
	assert_true(header_starts(&r, "Referrer-Policy", "no-referrer"));
	resp_free(&r);
}

static void
test_submit_errors_reshow_the_form_with_input_kept(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 body[4096];
	char		 n[32];

	(void)state;
	forget_my_submissions();
	browser(&s, "/submit");
	snprintf(body, sizeof(body), "csrf=%s&name=%%3Cscript%%3Ealert(1)"
	    "%%3C%%2Fscript%%3E&v1_postcode=G11+7AA&s1_pattern=weekly"
	    "&s1_day=TU&s1_start=1100&s1_end=10%%3A00&s2_pattern=weekly"
	    "&s2_day=TU&s2_start=2500&s2_end=9.3&min_age=70"
	    "&max_age=18&contact_email=not-an-email&org_website=ftp%%3A%%2F"
	    "%%2Fx", s.tok);
	r = post(&s, "/submit", body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "<title>Error: Add a listing"));
	assert_true(contains(r.body, "There is a problem"));
	assert_true(contains(r.body, "href=\"#org_name\">Enter the name of "
	    "the organisation"));
	assert_true(contains(r.body, "href=\"#kind-service\">Choose what "
	    "kind"));
	/* Every session error names its session. */
	assert_true(contains(r.body, "href=\"#s1_end\">Session 1: the end "
	    "time must be after"));
	/* "1100" is a time as a number pad types it; 25:00 and 9.3 are not. */
	assert_true(contains(r.body, "href=\"#s2_start\">Session 2: enter "
	    "the start time like 10:30"));
	assert_true(contains(r.body, "href=\"#s2_end\">Session 2: enter the "
	    "end time like 12:00"));
	/* What a venue or session needs is not called optional. */
	if (contains(r.body, "for=\"v1_postcode\">Postcode (optional)") ||
	    contains(r.body, "<legend>Days (optional)") ||
	    contains(r.body, "for=\"s1_start\">Starts at (optional)") ||
	    !contains(r.body, "for=\"s1_week\">Which week of the month "
	    "(optional)"))
		fail_msg("required fields marked optional:\n%s", r.body);
	assert_true(contains(r.body, "name=\"s1_start\" id=\"s1_start\" "
	    "value=\"1100\""));
	assert_true(contains(r.body, "href=\"#max_age\">The oldest age"));
	assert_true(contains(r.body, "href=\"#contact_email\">Enter an email"));
	assert_true(contains(r.body, "href=\"#org_website\">Enter a web "
	    "address"));
	/* Kept, as text. */
	assert_true(contains(r.body, "value=\"&lt;script&gt;alert(1)&lt;"
	    "/script&gt;\""));
	assert_null(strstr(r.body, "<script>alert(1)"));
	assert_true(contains(r.body, "id=\"s1_end-error\""));
	assert_true(contains(r.body, "aria-invalid=\"true\""));
	resp_free(&r);

	/* A postcode of the right shape that is not in our table. */
	snprintf(body, sizeof(body), "csrf=%s&v1_postcode=SW1A+1AA", s.tok);
	r = post(&s, "/submit", body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "We cannot find the postcode SW1A 1AA"));
	resp_free(&r);
	sql_str("SELECT count(*) FROM submission"
	    " WHERE submitter_ip IN ('127.0.0.1', '::1')", 0, NULL, n,
	    sizeof(n));
	assert_string_equal(n, "0");
}

static void
test_submit_limits_every_field(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		*body, *p;
	size_t		 i;

	(void)state;
	forget_my_submissions();
	browser(&s, "/submit");
	body = malloc(40000);
	assert_non_null(body);
	walk_body(body, 20000, &s, "Long walk", "&name=");
	/* The first name wins: put a long one first instead. */
	p = body + snprintf(body, 20000, "csrf=%s&name=", s.tok);
	for (i = 0; i < 201; i++)
		*p++ = 'a';
	*p = '\0';
	r = post(&s, "/submit", body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "must be 200 characters or fewer"));
	resp_free(&r);

	/*
	 * A description five times too long (and one over the old byte
	 * cap) comes back whole: it is the group's work.  Only the message
	 * says it is too long.
	 */
	{
		char	*text, *want;
		size_t	 len;

		for (len = 2500; len <= 10000; len += 7500) {
			text = malloc(len + 1);
			want = malloc(len + 64);
			assert_non_null(text);
			assert_non_null(want);
			for (i = 0; i < len; i++)
				text[i] = "Walkers meet at the gates. "[i % 27];
			memcpy(text + len - 9, "THE-END.", 8);
			text[len - 1] = 'x';
			text[len] = '\0';
			/* The first description wins: put this one first. */
			p = body + snprintf(body, 40000, "csrf=%s&description=",
			    s.tok);
			for (i = 0; i < len; i++)
				p += sprintf(p, text[i] == ' ' ? "+" : "%c",
				    text[i]);
			*p++ = '&';
			walk_body(p, 40000 - (size_t)(p - body), &s,
			    "Long description walk", NULL);
			r = post(&s, "/submit", body);
			if (r.status != 400 || !contains(r.body,
			    "must be 2,000 characters or fewer"))
				fail_msg("%zu characters: %ld\n%.2000s", len,
				    r.status, r.body);
			snprintf(want, len + 64, ">%s</textarea>", text);
			if (!contains(r.body, want))
				fail_msg("%zu characters did not come back", len);
			resp_free(&r);
			free(text);
			free(want);
		}
	}
	free(body);
}

static void
test_submit_honeypot_and_csrf_refuse(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 body[4096], n[32];

	(void)state;
	forget_my_submissions();
	browser(&s, "/submit");
	walk_body(body, sizeof(body), &s, "Bot walk", "&nickname=buy+now");
	r = post(&s, "/submit", body);
	assert_status(&r, 400);
	resp_free(&r);
	/* No cookie, or a token that is not the cookie's. */
	walk_body(body, sizeof(body), &s, "Forged walk", NULL);
	r = post(NULL, "/submit", body);
	assert_status(&r, 403);
	resp_free(&r);
	s.tok[0] = s.tok[0] == 'a' ? 'b' : 'a';
	walk_body(body, sizeof(body), &s, "Forged walk", NULL);
	r = post(&s, "/submit", body);
	assert_status(&r, 403);
	resp_free(&r);
	sql_str("SELECT count(*) FROM submission WHERE document->'service'->>"
	    "'name' IN ('Bot walk', 'Forged walk')", 0, NULL, n, sizeof(n));
	assert_string_equal(n, "0");
}

static void
test_submit_rate_limit_answers_429(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 body[4096], ra[32];

	(void)state;
	forget_my_submissions();
	PQclear(test_sql("INSERT INTO submission (kind, document,"
	    " submitter_ip) SELECT 'new', '{}', ip FROM generate_series(1, 10),"
	    " (VALUES ('127.0.0.1'), ('::1')) v (ip)", 0, NULL));
	browser(&s, "/submit");
	walk_body(body, sizeof(body), &s, "Eleventh walk", NULL);
	r = post(&s, "/submit", body);
	assert_status(&r, 429);
	assert_int_equal(resp_header(&r, "Retry-After", ra, sizeof(ra)), 0);
	assert_true(atoi(ra) > 0 && atoi(ra) <= 3600);
	/* The form again, with what was typed, when, and whom to write to. */
	if (!contains(r.body, "<form class=\"listing-form\"") ||
	    !contains(r.body, "value=\"Eleventh walk\"") ||
	    !contains(r.body, "A gentle walk round the park</textarea>") ||
	    !contains(r.body, "value=\"Victoria Park gates\"") ||
	    !contains(r.body, "please send it again in ") ||
	    !contains(r.body, "directory@signpost.example.org"))
		fail_msg("the 429 page lost the form:\n%s", r.body);
	/* Nothing was stored. */
	{
		char	n[16];

		sql_str("SELECT count(*) FROM submission WHERE"
		    " document->'service'->>'name' = 'Eleventh walk'", 0, NULL,
		    n, sizeof(n));
		assert_string_equal(n, "0");
	}
	resp_free(&r);
	forget_my_submissions();
}

static void
test_edit_link_wrong_tokens_are_plain_404s(void **state)
{
	struct resp	 a, b;
	char		 path[200], token[80];

	(void)state;
	a = http_get("/edit/0000000000000000000000000000000000000000000000"
	    "000000000000000000");
	b = http_get("/edit/not-a-token");
	assert_status(&a, 404);
	assert_status(&b, 404);
	assert_true(contains(a.body, "This link does not work"));
	assert_true(contains(b.body, "This link does not work"));
	resp_free(&a);
	resp_free(&b);
	/* One character off a real one. */
	submit_walk("Off by one walk", token, sizeof(token));
	token[10] = token[10] == '0' ? '1' : '0';
	snprintf(path, sizeof(path), "/edit/%s", token);
	a = http_get(path);
	assert_status(&a, 404);
	resp_free(&a);
}

static void
test_edit_link_changes_a_pending_listing_and_detects_conflicts(
    void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 token[80], sub[40], path[200], body[4096], v[64];
	const char	*p[1];

	(void)state;
	submit_walk("Pending walk", token, sizeof(token));
	submission_of(token, sub, sizeof(sub));
	snprintf(path, sizeof(path), "/edit/%s/change", token);
	browser(&s, path);
	r = http_get(path);
	assert_status(&r, 200);
	/* The stored listing, back in the form. */
	assert_true(contains(r.body, "value=\"Pending walk\""));
	assert_true(contains(r.body, "name=\"version\" value=\"1\""));
	resp_free(&r);
	walk_body(body, sizeof(body), &s, "Pending walk renamed",
	    "&version=1");
	r = post(&s, path, body);
	assert_status(&r, 303);
	resp_free(&r);
	p[0] = sub;
	sql_str("SELECT version || ' ' || (document->'service'->>'name')"
	    " FROM submission WHERE id = $1", 1, p, v, sizeof(v));
	assert_string_equal(v, "2 Pending walk renamed");

	/* A second edit made from version 1: told, nothing overwritten. */
	walk_body(body, sizeof(body), &s, "Stale edit", "&version=1");
	r = post(&s, path, body);
	assert_status(&r, 409);
	assert_true(contains(r.body, "Your change was not saved"));
	assert_true(contains(r.body, "Stale edit"));
	assert_true(contains(r.body, "Pending walk renamed"));
	resp_free(&r);
	sql_str("SELECT version || ' ' || (document->'service'->>'name')"
	    " FROM submission WHERE id = $1", 1, p, v, sizeof(v));
	assert_string_equal(v, "2 Pending walk renamed");
}

static void
test_edit_link_on_a_published_listing(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 token[80], sub[40], svc[40], path[200], body[4096];
	char		 v[128];
	const char	*p[1];

	(void)state;
	submit_walk("Published walk", token, sizeof(token));
	submission_of(token, sub, sizeof(sub));
	publish(sub, svc, sizeof(svc));
	p[0] = svc;
	PQclear(test_sql("UPDATE service SET last_reviewed = current_date -"
	    " 400, review_due = current_date - 35 WHERE id = $1", 1, p));

	snprintf(path, sizeof(path), "/edit/%s", token);
	browser(&s, path);
	r = http_get(path);
	assert_true(contains(r.body, "is published"));
	assert_true(contains(r.body, "It is still correct"));
	resp_free(&r);

	/* Still correct: renewed at once, recorded, no moderation. */
	snprintf(path, sizeof(path), "/edit/%s/confirm", token);
	snprintf(body, sizeof(body), "csrf=%s", s.tok);
	r = post(&s, path, body);
	assert_status(&r, 303);
	resp_free(&r);
	sql_str("SELECT (last_reviewed = current_date)::text || ' ' ||"
	    " (SELECT count(*) FROM listing_change c WHERE c.service_id = s.id"
	    " AND c.action = 'confirmed') FROM service s WHERE id = $1", 1, p,
	    v, sizeof(v));
	assert_string_equal(v, "true 1");

	/* A change goes to moderation as an update of that version. */
	snprintf(path, sizeof(path), "/edit/%s/change", token);
	r = http_get(path);
	assert_true(contains(r.body, "name=\"base\" value=\"1\""));
	resp_free(&r);
	walk_body(body, sizeof(body), &s, "Published walk",
	    "&base=1&s1_start=10%3A30");
	/* The first s1_start wins in walk_body: replace it. */
	*strstr(body, "s1_start=10%3A00") = 'x';
	r = post(&s, path, body);
	assert_status(&r, 303);
	resp_free(&r);
	sql_str("SELECT kind || ' ' || base_version || ' ' || status"
	    " FROM submission WHERE service_id = $1 AND kind = 'update'", 1, p,
	    v, sizeof(v));
	assert_string_equal(v, "update 1 pending");
	/* Still the old times in public until a moderator approves. */
	sql_str("SELECT to_char(min(opens_at), 'HH24:MI') FROM schedule"
	    " WHERE service_id = $1", 1, p, v, sizeof(v));
	assert_string_equal(v, "10:00");

	/* While it runs, its page offers the next walk and the shortlist. */
	snprintf(path, sizeof(path), "/services/%s", svc);
	r = http_get(path);
	if (!contains(r.body, "<dt>Next walk</dt>") ||
	    !contains(r.body, "class=\"shortlist-form\"") ||
	    !contains(r.body, "calendar.ics"))
		fail_msg("GET %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);

	/* Withdraw: off search at once, and the link stops working. */
	snprintf(path, sizeof(path), "/edit/%s/withdraw", token);
	snprintf(body, sizeof(body), "csrf=%s", s.tok);
	r = post(&s, path, body);
	assert_status(&r, 400);	/* the box was not ticked */
	resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&sure=yes", s.tok);
	r = post(&s, path, body);
	assert_status(&r, 200);
	assert_true(contains(r.body, "withdrawn"));
	resp_free(&r);
	sql_str("SELECT status || ' ' || (SELECT count(*) FROM listing_change"
	    " c WHERE c.service_id = s.id AND c.action = 'withdrawn')"
	    " FROM service s WHERE id = $1", 1, p, v, sizeof(v));
	assert_string_equal(v, "inactive 1");
	snprintf(path, sizeof(path), "/edit/%s", token);
	r = http_get(path);
	assert_status(&r, 404);
	resp_free(&r);
	/* Its page says so and offers no session, walk or shortlist. */
	snprintf(path, sizeof(path), "/services/%s", svc);
	r = http_get(path);
	if (r.status != 200 || !contains(r.body, "no longer running") ||
	    contains(r.body, "Next walk") || contains(r.body,
	    "Next sessions") || contains(r.body, "shortlist-form") ||
	    contains(r.body, "calendar.ics"))
		fail_msg("GET %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
}

/*
 * A fresh browser keeps only the last of several cookies of one name:
 * a page with several forms must set one token, and every form must
 * carry it.  Returns the number of forms; cookie gets the value kept.
 */
static int
one_token_per_page(const char *path, char *cookie, size_t len)
{
	struct resp	 r;
	const char	*p, *v;
	char		 tok[80];
	int		 sets = 0, forms = 0;

	r = http_get(path);
	if (r.status != 200)
		fail_msg("GET %s: %ld\n%s", path, r.status, r.body);
	cookie[0] = '\0';
	for (p = r.headers; (p = strstr(p, "signpost_csrf=")) != NULL; p++) {
		v = p + strlen("signpost_csrf=");
		snprintf(cookie, len, "%.*s", (int)strcspn(v, ";\r\n"), v);
		sets++;
	}
	if (sets != 1)
		fail_msg("GET %s set the CSRF cookie %d times:\n%s", path, sets,
		    r.headers);
	for (p = r.body; (p = strstr(p, "name=\"csrf\" value=\"")) != NULL;
	    p++) {
		v = p + strlen("name=\"csrf\" value=\"");
		snprintf(tok, sizeof(tok), "%.*s", (int)strcspn(v, "\""), v);
		if (strcmp(tok, cookie) != 0)
			fail_msg("GET %s: form %d carries %s, the cookie is %s",
			    path, forms + 1, tok, cookie);
		forms++;
	}
	resp_free(&r);
	return (forms);
}

static void
test_edit_link_in_a_fresh_browser_has_one_token(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 token[80], sub[40], svc[40], path[200], body[256];
	char		 v[64];
	const char	*p[1];

	(void)state;
	submit_walk("Fresh browser walk", token, sizeof(token));
	submission_of(token, sub, sizeof(sub));
	publish(sub, svc, sizeof(svc));
	p[0] = svc;

	/* Pending or published, the link's page has several forms. */
	snprintf(path, sizeof(path), "/edit/%s", token);
	assert_true(one_token_per_page(path, s.tok, sizeof(s.tok)) >= 2);
	snprintf(s.cookie, sizeof(s.cookie), "Cookie: signpost_csrf=%s",
	    s.tok);

	/* The first form, "It is still correct", works with that cookie. */
	snprintf(path, sizeof(path), "/edit/%s/confirm", token);
	snprintf(body, sizeof(body), "csrf=%s", s.tok);
	r = post(&s, path, body);
	if (r.status != 303)
		fail_msg("POST %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
	sql_str("SELECT count(*) FROM listing_change WHERE service_id = $1"
	    " AND action = 'confirmed'", 1, p, v, sizeof(v));
	assert_string_equal(v, "1");

	/* A malformed cookie left over does not hide the new token. */
	{
		const char *const h[] = {
		    "Cookie: signpost_csrf=stale", NULL };
		const char	*q;
		int		 n = 0;

		snprintf(path, sizeof(path), "/edit/%s", token);
		(void)http_do(&r, NULL, path, NULL, 0, h);
		assert_status(&r, 200);
		for (q = r.headers; (q = strstr(q, "signpost_csrf=")) != NULL;
		    q++)
			n++;
		assert_int_equal(n, 1);
		assert_false(contains(r.body, "value=\"stale\""));
		resp_free(&r);
	}
}

/* A listing a moderator did not publish: changed and sent again. */
static void
test_rejected_listing_is_changed_and_sent_again(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 token[80], sub[40], path[200], body[4096], v[256];
	const char	*p[1];

	(void)state;
	submit_walk("Rejected then resent walk", token, sizeof(token));
	submission_of(token, sub, sizeof(sub));
	p[0] = sub;
	PQclear(test_sql("UPDATE submission SET status = 'rejected',"
	    " reason = 'Please say when the walk ends', decided_at = now()"
	    " WHERE id = $1", 1, p));

	snprintf(path, sizeof(path), "/edit/%s", token);
	r = http_get(path);
	if (!contains(r.body, "Please say when the walk ends") ||
	    !contains(r.body, "Change and send again"))
		fail_msg("GET %s: no reason or no way to resend:\n%s", path,
		    r.body);
	resp_free(&r);

	/* The form comes pre-filled with what was sent. */
	snprintf(path, sizeof(path), "/edit/%s/change", token);
	browser(&s, path);
	r = http_get(path);
	if (r.status != 200 || !contains(r.body,
	    "value=\"Rejected then resent walk\"") ||
	    !contains(r.body, "name=\"version\" value=\"1\""))
		fail_msg("GET %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);

	walk_body(body, sizeof(body), &s, "Rejected then resent walk",
	    "&version=1");
	/* The first s1_end wins in walk_body: replace it. */
	*strstr(body, "s1_end=11%3A00") = 'x';
	strncat(body, "&s1_end=11%3A45", sizeof(body) - strlen(body) - 1);
	r = post(&s, path, body);
	if (r.status != 303)
		fail_msg("POST %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
	sql_str("SELECT status || ' ' || version || ' ' || reason || ' ' ||"
	    " (SELECT string_agg(x->>'closes_at', ',' ORDER BY"
	    "   x->>'closes_at') FROM jsonb_array_elements(document->"
	    "   'sessions') x) FROM submission WHERE id = $1", 1, p, v,
	    sizeof(v));
	assert_string_equal(v, "pending 2 Please say when the walk ends"
	    " 11:45,15:30");

	/* Back in the queue; the link says so; a stale resend conflicts. */
	snprintf(path, sizeof(path), "/edit/%s", token);
	r = http_get(path);
	assert_true(contains(r.body, "waiting for a moderator"));
	resp_free(&r);
}

/* Sessions stay in the order the group gave (Tuesday, then Thursday). */
static void
test_sessions_keep_the_groups_order(void **state)
{
	struct resp	 r;
	char		 token[80], sub[40], svc[40], path[200], v[128];
	const char	*p[1];

	(void)state;
	submit_walk("Ordered sessions walk", token, sizeof(token));
	submission_of(token, sub, sizeof(sub));
	p[0] = sub;
	sql_str("SELECT string_agg(x->>'byday', ',' ORDER BY i) FROM"
	    " submission, jsonb_array_elements(document->'sessions') WITH"
	    " ORDINALITY AS a (x, i) WHERE id = $1", 1, p, v, sizeof(v));
	assert_string_equal(v, "TU,TH");
	publish(sub, svc, sizeof(svc));
	p[0] = svc;
	sql_str("SELECT string_agg(x->>'byday', ',' ORDER BY i) FROM"
	    " jsonb_array_elements(listing_document($1)->'sessions') WITH"
	    " ORDINALITY AS a (x, i)", 1, p, v, sizeof(v));
	assert_string_equal(v, "TU,TH");
	snprintf(path, sizeof(path), "/edit/%s/change", token);
	r = http_get(path);
	if (!contains(r.body, "id=\"s1_day-TU\" value=\"TU\" checked") ||
	    contains(r.body, "id=\"s1_day-TH\" value=\"TH\" checked") ||
	    !contains(r.body, "id=\"s2_day-TH\" value=\"TH\" checked"))
		fail_msg("session 1 is not Tuesday, 2 not Thursday:\n%s",
		    r.body);
	resp_free(&r);
}

/*
 * A session on several days (ticked in any order, one twice) is one
 * session with its days in the week's order: stored so, shown back
 * ticked on the edit form, and said on the service page.
 */
static void
test_a_session_on_several_days(void **state)
{
	struct resp	 r;
	char		 token[80], sub[40], svc[40], path[200], v[128];
	const char	*p[1];

	(void)state;
	submit_walk_with("Three day walk", "&s1_day=FR&s1_day=MO&s1_day=TU",
	    token, sizeof(token));
	submission_of(token, sub, sizeof(sub));
	p[0] = sub;
	sql_str("SELECT string_agg(x->>'byday', '|' ORDER BY i) FROM"
	    " submission, jsonb_array_elements(document->'sessions') WITH"
	    " ORDINALITY AS a (x, i) WHERE id = $1", 1, p, v, sizeof(v));
	assert_string_equal(v, "MO,TU,FR|TH");
	snprintf(path, sizeof(path), "/edit/%s/change", token);
	r = http_get(path);
	if (!contains(r.body, "id=\"s1_day-MO\" value=\"MO\" checked") ||
	    !contains(r.body, "id=\"s1_day-TU\" value=\"TU\" checked") ||
	    !contains(r.body, "id=\"s1_day-FR\" value=\"FR\" checked") ||
	    contains(r.body, "id=\"s1_day-WE\" value=\"WE\" checked"))
		fail_msg("the edit form does not tick Monday, Tuesday and "
		    "Friday:\n%s", r.body);
	resp_free(&r);
	publish(sub, svc, sizeof(svc));
	snprintf(path, sizeof(path), "/services/%s", svc);
	r = http_get(path);
	assert_status(&r, 200);
	if (!contains(r.body, "Mondays, Tuesdays and Fridays, 10:00 to "
	    "11:00"))
		fail_msg("the service page does not say the days:\n%s",
		    r.body);
	resp_free(&r);
}

static void
test_submit_keeps_sql_metacharacters_verbatim(void **state)
{
	char		 token[80], sub[40], v[128];
	const char	*p[1];

	(void)state;
	submit_walk("O'Brien's walk; DROP TABLE service; --", token,
	    sizeof(token));
	submission_of(token, sub, sizeof(sub));
	p[0] = sub;
	sql_str("SELECT document->'service'->>'name' FROM submission"
	    " WHERE id = $1", 1, p, v, sizeof(v));
	assert_string_equal(v, "O'Brien's walk; DROP TABLE service; --");
}

/* A name like one we list: offered, and picked, not duplicated. */
static void
test_submit_offers_an_existing_organisation(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 org[40], name[128], body[4096], *p, *q, v[64];
	const char	*params[1];

	(void)state;
	forget_my_submissions();
	snprintf(name, sizeof(name), "Knightswood Ramblers %s", test_suffix());
	params[0] = name;
	sql_str("INSERT INTO organization (name) VALUES ($1) RETURNING id", 1,
	    params, org, sizeof(org));
	browser(&s, "/submit");
	walk_body(body, sizeof(body), &s, "Ramble", NULL);
	/* The same organisation, typed a little differently, and not "new". */
	p = strstr(body, "&org_id=new");
	assert_non_null(p);
	memmove(p, p + strlen("&org_id=new"), strlen(p + strlen("&org_id=new"))
	    + 1);
	p = strstr(body, "org_name=");
	q = strchr(p, '&');
	snprintf(v, sizeof(v), "org_name=knightswood+ramblers+%s", test_suffix());
	memmove(p + strlen(v), q, strlen(q) + 1);
	memcpy(p, v, strlen(v));
	r = post(&s, "/submit", body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "We may already list this organisation"));
	assert_true(contains(r.body, org));
	assert_true(contains(r.body, "No, it is a new organisation"));
	resp_free(&r);

	/* Picked from the list: the listing joins it. */
	snprintf(v, sizeof(v), "&org_id=%s", org);
	strncat(body, v, sizeof(body) - strlen(body) - 1);
	r = post(&s, "/submit", body);
	assert_status(&r, 303);
	resp_free(&r);
	params[0] = org;
	sql_str("SELECT count(*) FROM submission"
	    " WHERE document->'organization'->>'id' = $1", 1, params, v,
	    sizeof(v));
	assert_string_equal(v, "1");
}

/*
 * A group that said "it is a new organisation" is not asked again: not
 * on its link's change form, and not when a moderator edits the item.
 */
static void
test_organisation_question_is_asked_once(void **state)
{
	struct session	 s;
	struct resp	 r;
	char		 org[128], token[80], sub[40], path[200], body[4096];
	const char	*params[1];

	(void)state;
	/* Listed already, and like the name walk_body types. */
	snprintf(org, sizeof(org), "Partick Strollers Club %s", test_suffix());
	params[0] = org;
	PQclear(test_sql("INSERT INTO organization (name) VALUES ($1)", 1,
	    params));
	submit_walk("Asked once walk", token, sizeof(token));
	submission_of(token, sub, sizeof(sub));

	snprintf(path, sizeof(path), "/edit/%s/change", token);
	browser(&s, path);
	r = http_get(path);
	if (r.status != 200 || contains(r.body, "Is it one of these?") ||
	    !contains(r.body, "name=\"org_id\" value=\"new\""))
		fail_msg("GET %s asks again: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
	/* Sent as the browser sends it: the hidden answer, nothing else. */
	walk_body(body, sizeof(body), &s, "Asked once walk",
	    "&version=1&s1_start=09%3A30");
	*strstr(body, "s1_start=10%3A00") = 'x';
	r = post(&s, path, body);
	if (r.status != 303)
		fail_msg("POST %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);

	/* The moderator's "Edit before approving" does not ask either. */
	{
		char		 tok[65], hdr[128], uid[40];
		const char	*p[2] = { tok, NULL };
		const char	*h[2] = { hdr, NULL };
		int		 i;

		for (i = 0; i < 64; i++)
			tok[i] = "0123456789abcdef"[(i * 5 + 1) % 16];
		tok[64] = '\0';
		p[1] = test_suffix();
		sql_str("INSERT INTO app_user (email, role, password_hash)"
		    " VALUES ('once-' || $1 || '@example.org', 'moderator',"
		    " '$argon2id$test') RETURNING id", 1, &p[1], uid,
		    sizeof(uid));
		p[1] = uid;
		PQclear(test_sql("INSERT INTO user_session (token_hash,"
		    " user_id, expires_at) VALUES (sha256(convert_to($1,"
		    " 'UTF8')), $2, now() + interval '1 hour')", 2, p));
		snprintf(hdr, sizeof(hdr), "Cookie: signpost_session=%s", tok);
		snprintf(path, sizeof(path), "/admin/submissions/%s/edit", sub);
		(void)http_do(&r, NULL, path, NULL, 0, h);
		if (r.status != 200 || contains(r.body, "Is it one of these?"))
			fail_msg("GET %s: %ld\n%s", path, r.status, r.body);
		resp_free(&r);
	}
}

/* The confirmation was shown, then the server and the database went. */
static void
test_submission_survives_kill_9_and_a_database_restart(void **state)
{
	struct own_server	 o;
	struct resp		 r;
	struct session		 s;
	const char		*pg = getenv("SIGNPOST_TEST_PG");
	const char		*dir = getenv("SIGNPOST_TEST_PGDIR");
	const char		*base = getenv("SIGNPOST_TEST_URL");
	char			 body[4096], url[64], cmd[1024], loc[512], n[32];
	int			 st;

	(void)state;
	assert_non_null(pg);
	assert_non_null(dir);
	forget_my_submissions();
	assert_int_equal(own_server_start(&o, NULL), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", o.port);
	setenv("SIGNPOST_TEST_URL", url, 1);
	browser(&s, "/submit");
	walk_body(body, sizeof(body), &s, "Survivor walk", NULL);
	r = post(&s, "/submit", body);
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	resp_free(&r);
	r = http_get(strstr(loc, "/edit/"));
	assert_true(contains(r.body, "Thank you: we have your listing"));
	resp_free(&r);
	kill(o.pid, SIGKILL);
	waitpid(o.pid, &st, 0);
	o.pid = 0;
	unlink(o.log);
	setenv("SIGNPOST_TEST_URL", base, 1);

	snprintf(cmd, sizeof(cmd), "'%s' stop '%s' >/dev/null 2>&1 && '%s' "
	    "start '%s' >/dev/null 2>&1", pg, dir, pg, dir);
	assert_int_equal(system(cmd), 0);
	PQreset(test_db());
	sql_str("SELECT count(*) FROM submission s JOIN edit_token t"
	    " ON t.submission_id = s.id"
	    " WHERE s.document->'service'->>'name' = 'Survivor walk'", 0, NULL,
	    n, sizeof(n));
	assert_string_equal(n, "1");

	/*
	 * The shared server's connections were closed by the restart: the
	 * first statement of each worker is a write here (a session's
	 * renewal), and it must go on a new connection, not fail with 503.
	 */
	{
		char		 tok[65], hdr[128];
		const char	*p[2] = { tok, NULL };
		const char	*h[2] = { hdr, NULL };
		int		 i;

		for (i = 0; i < 64; i++)
			tok[i] = "0123456789abcdef"[(i * 7 + 3) % 16];
		tok[64] = '\0';
		PQclear(test_sql("INSERT INTO app_user (email, role,"
		    " password_hash) VALUES ('restart-' || $1 || '@example.org',"
		    " 'moderator', '$argon2id$test')", 1, (const char *[]){
		    test_suffix() }));
		PQclear(test_sql("INSERT INTO user_session (token_hash, user_id,"
		    " expires_at) SELECT sha256(convert_to($1, 'UTF8')), id,"
		    " now() + interval '1 hour' FROM app_user"
		    " WHERE email = 'restart-' || $2 || '@example.org'", 2,
		    (p[1] = test_suffix(), p)));
		snprintf(hdr, sizeof(hdr), "Cookie: signpost_session=%s", tok);
		for (i = 0; i < 8; i++) {
			(void)http_do(&r, NULL, "/admin", NULL, 0, h);
			assert_status(&r, 200);
			resp_free(&r);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_submit_form_has_every_section),
		cmocka_unit_test(
		    test_submit_stores_a_pending_listing_and_only_the_token_hash),
		cmocka_unit_test(
		    test_submit_errors_reshow_the_form_with_input_kept),
		cmocka_unit_test(test_submit_limits_every_field),
		cmocka_unit_test(test_submit_honeypot_and_csrf_refuse),
		cmocka_unit_test(test_submit_rate_limit_answers_429),
		cmocka_unit_test(test_edit_link_wrong_tokens_are_plain_404s),
		cmocka_unit_test(
		    test_edit_link_changes_a_pending_listing_and_detects_conflicts),
		cmocka_unit_test(test_edit_link_on_a_published_listing),
		cmocka_unit_test(
		    test_edit_link_in_a_fresh_browser_has_one_token),
		cmocka_unit_test(
		    test_rejected_listing_is_changed_and_sent_again),
		cmocka_unit_test(test_submit_keeps_sql_metacharacters_verbatim),
		cmocka_unit_test(test_submit_offers_an_existing_organisation),
		cmocka_unit_test(test_organisation_question_is_asked_once),
		cmocka_unit_test(test_sessions_keep_the_groups_order),
		cmocka_unit_test(test_a_session_on_several_days),
		cmocka_unit_test(
		    test_submission_survives_kill_9_and_a_database_restart),
	};

	(void)resp_json;
	return (RUN_TESTS("submit", tests));
}
