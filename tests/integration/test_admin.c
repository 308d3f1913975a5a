/*
 * The moderators' pages over HTTP: the queue, an item, approve, reject,
 * edit, problem reports, history and restore, and what happens when two
 * moderators act on one item.  Moderators and their sessions are made
 * with SQL; submissions too, as documents in sql/011's format.
 */
#include <pthread.h>
#include <time.h>

#include "harness.h"

#define CSRF	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"


static char	postcode[16];

/*
 * A signed-in moderator: an account and a live session, whose browser has
 * the double-submit cookie too, and its pages' token (the session's).
 */
static void
make_mod(struct account *m, const char *who)
{
	account_new(m, "moderator", who, CSRF);
	if (strlen(m->csrf) != 64 || strcmp(m->csrf, CSRF) == 0)
		fail_msg("the session's token is %s", m->csrf);
}

static const char *
any_postcode(void)
{
	if (postcode[0] == '\0')
		sql_str("SELECT postcode FROM postcode ORDER BY postcode LIMIT 1",
		    0, NULL, postcode, sizeof(postcode));
	return (postcode);
}

/* The listing document of sql/011 with a name, organisation and postcode. */
#define DOC_SQL \
	"jsonb_build_object('organization', jsonb_build_object('id', NULL," \
	" 'name', $1::text, 'description', NULL, 'website', NULL, 'email'," \
	" NULL, 'phone', NULL, 'charity_number', NULL)," \
	" 'service', jsonb_build_object('name', $2::text, 'kind', 'service'," \
	" 'description', 'A group for testing.', 'categories', '[]'::jsonb," \
	" 'eligibility'," \
	" NULL, 'minimum_age', NULL, 'maximum_age', NULL, 'is_free', true," \
	" 'cost', NULL, 'self_referral', NULL, 'professional_referral', NULL," \
	" 'drop_in', NULL, 'booking_required', NULL, 'referral', NULL," \
	" 'email', NULL, 'phone', NULL, 'website', NULL, 'languages'," \
	" '[]'::jsonb), 'venues', jsonb_build_array(jsonb_build_object(" \
	" 'name', 'Test Hall', 'address', '1 Test Street', 'city', 'Glasgow'," \
	" 'postcode', $3::text, 'hide_address', false, 'accessibility', NULL))," \
	" 'sessions', '[]'::jsonb, 'walk', NULL, 'contact_email'," \
	" 'group@example.org')"

static void
make_new_org(char *id, const char *org, const char *name, const char *pc)
{
	const char	*p[3] = { org, name, pc };

	sql_str("INSERT INTO submission (kind, document) VALUES ('new', "
	    DOC_SQL ") RETURNING id", 3, p, id, 37);
}

static void
make_new(char *id, const char *name, const char *pc)
{
	const char	*p[3] = { "Admin Test Org", name, pc };

	sql_str("INSERT INTO submission (kind, document) VALUES ('new', "
	    DOC_SQL ") RETURNING id", 3, p, id, 37);
}

/* A published listing, straight through listing_apply. */
static void
make_published(char *sid, const char *name)
{
	const char	*p[3] = { "Admin Published Org", name, any_postcode() };

	sql_str("SELECT listing_apply(NULL, " DOC_SQL ")", 3, p, sid, 37);
}

static void
make_update(char *id, const char *sid, const char *name)
{
	const char	*p[4] = { "Admin Published Org", name, any_postcode(),
	    sid };

	sql_str("INSERT INTO submission (kind, service_id, base_version,"
	    " document) SELECT 'update', id, version, " DOC_SQL
	    " FROM service WHERE id = $4::uuid RETURNING id", 4, p, id, 37);
}

static struct resp
mod_get(const struct account *m, const char *path)
{
	struct resp		 r;
	const char *const	 h[] = { m->cookie, NULL };

	(void)http_do(&r, NULL, path, NULL, 0, h);
	return (r);
}

/* body without the token: it is added. */
static struct resp
mod_post(const struct account *m, const char *path, const char *body)
{
	struct resp		 r;
	char			 full[65536];
	const char *const	 h[] = { m->cookie,
	    "Content-Type: application/x-www-form-urlencoded", NULL };

	snprintf(full, sizeof(full), "csrf=%s%s%s", m->csrf,
	    body[0] != '\0' ? "&" : "", body);
	(void)http_do(&r, "POST", path, full, strlen(full), h);
	return (r);
}

static void
one(const char *sql, const char *a, const char *b, char *out, size_t len)
{
	const char	*p[2] = { a, b };

	sql_str(sql, b != NULL ? 2 : 1, p, out, len);
}

static int
count_of(const char *hay, const char *needle)
{
	int	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

static void
test_admin_pages_need_a_session(void **state)
{
	struct resp	r;
	char		loc[256], id[37], path[128], body[128];

	(void)state;
	r = http_get("/admin");
	assert_status(&r, 303);
	assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)), 0);
	assert_true(contains(loc, "/admin/login?next="));
	resp_free(&r);
	make_new(id, "Needs a session", any_postcode());
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	snprintf(body, sizeof(body), "csrf=%s&version=1", CSRF);
	r = http_post_form(path, body);
	assert_status(&r, 403);
	resp_free(&r);
	one("SELECT status FROM submission WHERE id = $1", id, NULL, loc,
	    sizeof(loc));
	assert_string_equal(loc, "pending");
	PQclear(test_sql("DELETE FROM submission WHERE id = $1", 1,
	    (const char *[]){ id }));
}

static void
test_admin_post_without_csrf_token_is_refused(void **state)
{
	struct account		 m;
	struct resp		 r;
	char			 id[37], path[128], st[32];
	const char *const	 h[] = { NULL, "Content-Type: "
	    "application/x-www-form-urlencoded", NULL };
	const char		*hh[3];

	(void)state;
	make_mod(&m, "csrf");
	make_new(id, "CSRF target", any_postcode());
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	hh[0] = m.cookie;
	hh[1] = h[1];
	hh[2] = NULL;
	(void)http_do(&r, "POST", path, "version=1", 9, hh);
	assert_status(&r, 403);
	resp_free(&r);
	/*
	 * Signed in, the double-submit pair (cookie and field alike) is not
	 * enough: the token must be the session's own.
	 */
	(void)http_do(&r, "POST", path, "csrf=" CSRF "&version=1",
	    strlen("csrf=" CSRF "&version=1"), hh);
	assert_status(&r, 403);
	resp_free(&r);
	/* Nor is another moderator's session token. */
	{
		struct account	o;
		char		body[128];

		make_mod(&o, "csrf-other");
		snprintf(body, sizeof(body), "csrf=%s&version=1", o.csrf);
		(void)http_do(&r, "POST", path, body, strlen(body), hh);
		assert_status(&r, 403);
		resp_free(&r);
	}
	one("SELECT status FROM submission WHERE id = $1", id, NULL, st,
	    sizeof(st));
	assert_string_equal(st, "pending");
	PQclear(test_sql("DELETE FROM submission WHERE id = $1", 1,
	    (const char *[]){ id }));
}

static void
test_admin_queue_counts_and_escapes_names(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 id1[37], id2[37], want[256], n[3][32], cc[128];
	PGresult	*c;

	(void)state;
	make_mod(&m, "queue");
	make_new(id1, "<script>alert(1)</script>", any_postcode());
	make_new(id2, "'; DROP TABLE service; --", any_postcode());
	c = test_sql("SELECT count(*) FILTER (WHERE kind = 'new'),"
	    " count(*) FILTER (WHERE kind = 'update'),"
	    " (SELECT count(*) FROM problem_report WHERE status = 'open')"
	    " FROM submission WHERE status = 'pending'", 0, NULL);
	snprintf(n[0], sizeof(n[0]), "%s", PQgetvalue(c, 0, 0));
	snprintf(n[1], sizeof(n[1]), "%s", PQgetvalue(c, 0, 1));
	snprintf(n[2], sizeof(n[2]), "%s", PQgetvalue(c, 0, 2));
	PQclear(c);
	r = mod_get(&m, "/admin");
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Cache-Control", "no-store"));
	resp_header(&r, "Cache-Control", cc, sizeof(cc));
	assert_true(contains(r.body, "<meta name=\"robots\" content=\"noindex\">"));
	snprintf(want, sizeof(want), "<strong id=\"count-new\">%s</strong>",
	    n[0]);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "<strong id=\"count-update\">%s</strong>",
	    n[1]);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "<strong id=\"count-report\">%s</strong>",
	    n[2]);
	assert_true(contains(r.body, want));
	/* Who is signed in, and the way out (with its token). */
	assert_true(contains(r.body, m.email));
	assert_true(contains(r.body, "action=\"/admin/logout\""));
	snprintf(want, sizeof(want), "name=\"csrf\" value=\"%s\"", m.csrf);
	assert_true(contains(r.body, want));
	assert_null(strstr(r.body, "<script>alert(1)"));
	/* Oldest first: these two are the newest, on the last page. */
	resp_free(&r);
	PQclear(test_sql("UPDATE submission SET created_at = '2000-01-01'"
	    " WHERE id IN ($1, $2)", 2, (const char *[]){ id1, id2 }));
	r = mod_get(&m, "/admin");
	snprintf(want, sizeof(want), "href=\"/admin/submissions/%s\">"
	    "&lt;script&gt;alert(1)&lt;/script&gt;</a>", id1);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "href=\"/admin/submissions/%s\">"
	    "&#39;; DROP TABLE service; --</a>", id2);
	assert_true(contains(r.body, want));
	assert_null(strstr(r.body, "<script>alert(1)"));
	resp_free(&r);
	PQclear(test_sql("DELETE FROM submission WHERE id IN ($1, $2)", 2,
	    (const char *[]){ id1, id2 }));
}

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec * 1e3 + ts.tv_nsec / 1e6);
}

static void
test_admin_queue_of_10000_is_paginated_and_fast(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 tag[64], path[64], total[32];
	const char	*p[2];
	double		 t0, t1;
	long		 pages;

	(void)state;
	make_mod(&m, "bulk");
	snprintf(tag, sizeof(tag), "bulk-%s", test_suffix());
	p[0] = tag;
	p[1] = any_postcode();
	PQclear(test_sql("INSERT INTO submission (kind, document, submitter_ip,"
	    " created_at) SELECT 'new', jsonb_build_object('service',"
	    " jsonb_build_object('name', 'Bulk item ' || i), 'venues',"
	    " jsonb_build_array(jsonb_build_object('postcode', $2::text))),"
	    " $1, now() - make_interval(secs => 20000 - i)"
	    " FROM generate_series(1, 10000) i", 2, p));
	sql_str("SELECT (SELECT count(*) FROM submission WHERE status ="
	    " 'pending') + (SELECT count(*) FROM problem_report WHERE status"
	    " = 'open')", 0, NULL, total, sizeof(total));
	pages = (atol(total) + 49) / 50;
	t0 = now_ms();
	r = mod_get(&m, "/admin");
	t1 = now_ms();
	assert_status(&r, 200);
	assert_true(t1 - t0 < 1000);
	assert_int_equal(count_of(r.body, "<tr><td>"), 50);
	assert_true(contains(r.body, "rel=\"next\" href=\"/admin?page=2\""));
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin?page=%ld", pages);
	t0 = now_ms();
	r = mod_get(&m, path);
	t1 = now_ms();
	assert_status(&r, 200);
	assert_true(t1 - t0 < 1000);
	assert_true(contains(r.body, "rel=\"prev\""));
	assert_null(strstr(r.body, "rel=\"next\""));
	resp_free(&r);
	r = mod_get(&m, "/admin?page=0");
	assert_status(&r, 400);
	resp_free(&r);
	r = mod_get(&m, "/admin?page=2x");
	assert_status(&r, 400);
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin?page=%ld", pages + 1);
	r = mod_get(&m, path);
	assert_status(&r, 404);
	resp_free(&r);
	PQclear(test_sql("DELETE FROM submission WHERE submitter_ip = $1", 1,
	    p));
}

static void
test_admin_item_shows_preview_and_duplicates(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 sid[37], id[37], name[128], path[128], want[256];

	(void)state;
	make_mod(&m, "item");
	snprintf(name, sizeof(name), "Duplicate Finder Club %s", test_suffix());
	make_published(sid, name);
	make_new(id, name, any_postcode());
	snprintf(path, sizeof(path), "/admin/submissions/%s", id);
	r = mod_get(&m, path);
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Cache-Control", "no-store"));
	assert_true(contains(r.body, name));
	assert_true(contains(r.body, "Possible duplicates"));
	snprintf(want, sizeof(want), "href=\"/services/%s\"", sid);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "names 100% alike, the same kind, a "
	    "venue at the same place"));
	snprintf(want, sizeof(want), "action=\"/admin/submissions/%s/approve\"",
	    id);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "name=\"version\" value=\"1\""));
	snprintf(want, sizeof(want), "action=\"/admin/submissions/%s/reject\"",
	    id);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "href=\"/admin/submissions/%s/edit\"", id);
	assert_true(contains(r.body, want));
	resp_free(&r);
	r = mod_get(&m, "/admin/submissions/not-a-uuid");
	assert_status(&r, 404);
	resp_free(&r);
	r = mod_get(&m, "/admin/submissions/00000000-0000-4000-8000-000000000000");
	assert_status(&r, 404);
	resp_free(&r);
	PQclear(test_sql("DELETE FROM submission WHERE id = $1", 1,
	    (const char *[]){ id }));
}

static void
test_admin_approve_publishes_verbatim(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 id[37], path[128], loc[256], want[256], sid[37], v[256];

	(void)state;
	make_mod(&m, "approve");
	make_new(id, "'; DROP TABLE service; -- <script>alert(1)</script>",
	    any_postcode());
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	r = mod_post(&m, path, "version=1");
	assert_status(&r, 303);
	resp_header(&r, "Location", loc, sizeof(loc));
	snprintf(want, sizeof(want), "/admin/submissions/%s", id);
	assert_string_equal(loc, want);
	resp_free(&r);
	one("SELECT service_id FROM submission WHERE id = $1 AND status ="
	    " 'approved'", id, NULL, sid, sizeof(sid));
	one("SELECT name FROM service WHERE id = $1", sid, NULL, v, sizeof(v));
	assert_string_equal(v, "'; DROP TABLE service; -- "
	    "<script>alert(1)</script>");
	one("SELECT count(*) || ' ' || min(actor) || ' ' || min(action)"
	    " FROM listing_change WHERE submission_id = $1", id, NULL, v,
	    sizeof(v));
	snprintf(want, sizeof(want), "1 %s created", m.email);
	assert_string_equal(v, want);
	r = mod_get(&m, loc);
	assert_status(&r, 200);
	assert_true(contains(r.body, "Published"));
	snprintf(want, sizeof(want), "href=\"/services/%s\"", sid);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "&#39;; DROP TABLE service; -- "
	    "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(r.body, "<script>alert(1)"));
	/* Decided: no more buttons. */
	assert_null(strstr(r.body, "/approve\""));
	resp_free(&r);
}

struct racer {
	const struct account	*m;
	const char		*path;
	long			 status;
};

static void *
race(void *arg)
{
	struct racer	*rc = arg;
	struct resp	 r;

	r = mod_post(rc->m, rc->path, "version=1");
	rc->status = r.status;
	resp_free(&r);
	return (NULL);
}

static void
test_admin_two_moderators_approving_one_item_one_wins(void **state)
{
	struct account	 a, b;
	struct racer	 ra, rb;
	pthread_t	 ta, tb;
	char		 id[37], path[128], n[16];
	int		 round;

	(void)state;
	make_mod(&a, "race-a");
	make_mod(&b, "race-b");
	for (round = 0; round < 5; round++) {
		make_new(id, "Raced listing", any_postcode());
		snprintf(path, sizeof(path), "/admin/submissions/%s/approve",
		    id);
		ra = (struct racer){ &a, path, 0 };
		rb = (struct racer){ &b, path, 0 };
		assert_int_equal(pthread_create(&ta, NULL, race, &ra), 0);
		assert_int_equal(pthread_create(&tb, NULL, race, &rb), 0);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		assert_true((ra.status == 303 && rb.status == 409) ||
		    (ra.status == 409 && rb.status == 303));
		one("SELECT count(*) FROM listing_change WHERE submission_id ="
		    " $1", id, NULL, n, sizeof(n));
		assert_string_equal(n, "1");
	}
}

/*
 * A approves, then B rejects from the page B loaded before: B is told who
 * published it and when, and the reason B typed is still there.  When A
 * only edited it, B's reason is ready to send against the new version.
 */
static void
test_admin_second_moderator_keeps_their_reason(void **state)
{
	struct account	 a, b;
	struct resp	 r;
	char		 id[37], path[128], v[64];

	(void)state;
	make_mod(&a, "first");
	make_mod(&b, "second");
	make_new(id, "Decided twice", any_postcode());
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	r = mod_post(&a, path, "version=1");
	assert_status(&r, 303);
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/submissions/%s/reject", id);
	r = mod_post(&b, path, "version=1&reason=The+venue+has+closed+down");
	if (r.status != 409 || !contains(r.body, "published</strong> by ") ||
	    !contains(r.body, a.email) ||
	    !contains(r.body, "The venue has closed down") ||
	    !contains(r.body, "Decided twice"))
		fail_msg("POST %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);

	/* Edited, not decided: the reason comes back in a form to resend. */
	make_new(id, "Edited meanwhile", any_postcode());
	PQclear(test_sql("UPDATE submission SET version = 2 WHERE id = $1",
	    1, (const char *[]){ id }));
	snprintf(path, sizeof(path), "/admin/submissions/%s/reject", id);
	r = mod_post(&b, path, "version=1&reason=Please+add+the+times");
	if (r.status != 409 || !contains(r.body, "still waiting") ||
	    !contains(r.body, "Please add the times</textarea>") ||
	    !contains(r.body, "name=\"version\" value=\"2\""))
		fail_msg("POST %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
	r = mod_post(&b, path, "version=2&reason=Please+add+the+times");
	assert_status(&r, 303);
	resp_free(&r);
	one("SELECT status FROM submission WHERE id = $1", id, NULL, v,
	    sizeof(v));
	assert_string_equal(v, "rejected");
}

/*
 * An update's page: what changes first, then the decision; one "What
 * changes" heading; a long text's changed words marked inside it.
 */
static void
test_admin_update_shows_the_change_before_the_buttons(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 sid[37], id[37], name[128], path[128];
	const char	*p[2], *diff, *decide, *row;

	(void)state;
	make_mod(&m, "diff-first");
	snprintf(name, sizeof(name), "Diff First %s", test_suffix());
	make_published(sid, name);
	make_update(id, sid, name);
	p[0] = id;
	p[1] = "We meet every week in the hall for tea, a chat and a gentle "
	    "chair exercise class led by a volunteer.";
	PQclear(test_sql("UPDATE submission SET document = jsonb_set("
	    "document, '{service,description}', to_jsonb($2::text))"
	    " WHERE id = $1", 2, p));
	p[0] = sid;
	p[1] = "We meet every week in the hall for tea, a chat and a gentle "
	    "walk led by a volunteer.";
	PQclear(test_sql("UPDATE service SET description = $2 WHERE id = $1",
	    2, p));
	snprintf(path, sizeof(path), "/admin/submissions/%s", id);
	r = mod_get(&m, path);
	diff = strstr(r.body, "<table class=\"diff\"");
	decide = strstr(r.body, "/approve\"");
	if (r.status != 200 || diff == NULL || decide == NULL ||
	    decide < diff || count_of(r.body, "What changes") != 1)
		fail_msg("GET %s: the change is not first:\n%s", path, r.body);
	row = strstr(diff, "<th scope=\"row\">Description</th>");
	if (row == NULL || strstr(row, "<del>walk </del>") == NULL ||
	    strstr(row, "<ins>chair exercise class </ins>") == NULL)
		fail_msg("no word marks in the description:\n%s", diff);
	resp_free(&r);
}

/*
 * A group picks a listed organisation and types another website: the
 * preview shows what approval publishes (the listed website), and the
 * typed one only in its own diff, said not to be published.
 */
static void
test_admin_preview_shows_what_approval_publishes(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 org[37], id[37], name[128], path[128], v[128];
	const char	*p[4], *prev, *typed;

	(void)state;
	make_mod(&m, "org-preview");
	snprintf(name, sizeof(name), "Listed Org %s", test_suffix());
	p[0] = name;
	sql_str("INSERT INTO organization (name, website) VALUES ($1,"
	    " 'https://listed.example.org') RETURNING id", 1, p, org,
	    sizeof(org));
	p[1] = "Org preview listing";
	p[2] = any_postcode();
	p[3] = org;
	sql_str("INSERT INTO submission (kind, document) SELECT 'new',"
	    " jsonb_set(jsonb_set(" DOC_SQL ", '{organization,id}',"
	    " to_jsonb($4::text)), '{organization,website}',"
	    " '\"https://typed.example.org\"') RETURNING id", 4, p, id,
	    sizeof(id));
	snprintf(path, sizeof(path), "/admin/submissions/%s", id);
	r = mod_get(&m, path);
	prev = strstr(r.body, "id=\"h-preview\"");
	typed = strstr(r.body, "id=\"h-org\"");
	if (r.status != 200 || prev == NULL || typed == NULL ||
	    strstr(prev, "listed.example.org") == NULL ||
	    strstr(prev, "typed.example.org") != NULL ||
	    strstr(typed, "typed.example.org") == NULL)
		fail_msg("GET %s: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
	/* And approval publishes just that. */
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	r = mod_post(&m, path, "version=1");
	assert_status(&r, 303);
	resp_free(&r);
	one("SELECT website FROM organization WHERE id = $1", org, NULL, v,
	    sizeof(v));
	assert_string_equal(v, "https://listed.example.org");
}

/*
 * Two near-identical walks waiting at one postcode find each other; a
 * food bank at the same place, named nothing alike, is not offered.
 */
static void
test_admin_duplicates_compare_pending_and_rank_by_name(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 a[37], b[37], food[37], name[128], other[128];
	char		 path[128], want[160];

	(void)state;
	make_mod(&m, "dups");
	snprintf(name, sizeof(name), "Whiteinch Wednesday Walkers %s",
	    test_suffix());
	snprintf(other, sizeof(other), "Whiteinch Wednesday Walkers Group %s",
	    test_suffix());
	make_new(a, name, any_postcode());
	make_new(b, other, any_postcode());
	/* No run suffix: twenty shared digits would make any names alike. */
	make_published(food, "Community Food Larder");
	snprintf(path, sizeof(path), "/admin/submissions/%s", a);
	r = mod_get(&m, path);
	snprintf(want, sizeof(want), "href=\"/admin/submissions/%s\"", b);
	if (r.status != 200 || !contains(r.body, want) ||
	    !contains(r.body, "(waiting in the queue)"))
		fail_msg("GET %s: the other pending walk is not offered:\n%s",
		    path, r.body);
	snprintf(want, sizeof(want), "href=\"/services/%s\"", food);
	if (contains(r.body, want))
		fail_msg("GET %s: a food bank offered as a duplicate:\n%s",
		    path, r.body);
	resp_free(&r);
	PQclear(test_sql("DELETE FROM submission WHERE id IN ($1, $2)", 2,
	    (const char *[]){ a, b }));
}

static void
test_admin_stale_update_is_refused_and_nothing_overwritten(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 sid[37], id[37], name[128], path[128], v[256];

	(void)state;
	make_mod(&m, "stale");
	snprintf(name, sizeof(name), "Stale Base %s", test_suffix());
	make_published(sid, name);
	make_update(id, sid, "Stale Update Name");
	/* Someone publishes another change in between. */
	PQclear(test_sql("UPDATE service SET version = version + 1,"
	    " name = 'Changed In Between' WHERE id = $1", 1,
	    (const char *[]){ sid }));
	snprintf(path, sizeof(path), "/admin/submissions/%s", id);
	r = mod_get(&m, path);
	assert_true(contains(r.body, "has changed since this update"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	r = mod_post(&m, path, "version=1");
	assert_status(&r, 409);
	assert_true(contains(r.body, "changed since this update was made"));
	assert_true(contains(r.body, "Published now"));
	assert_true(contains(r.body, "Changed In Between"));
	assert_true(contains(r.body, "Stale Update Name"));
	assert_true(contains(r.body, "/reject\""));
	resp_free(&r);
	one("SELECT name FROM service WHERE id = $1", sid, NULL, v, sizeof(v));
	assert_string_equal(v, "Changed In Between");
	one("SELECT status FROM submission WHERE id = $1", id, NULL, v,
	    sizeof(v));
	assert_string_equal(v, "pending");
	one("SELECT count(*) FROM listing_change WHERE service_id = $1", sid,
	    NULL, v, sizeof(v));
	assert_string_equal(v, "0");
	PQclear(test_sql("DELETE FROM submission WHERE id = $1", 1,
	    (const char *[]){ id }));
}

static void
test_admin_approve_breaking_a_rule_names_it(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 id[37], path[128], v[64];

	(void)state;
	make_mod(&m, "rule");
	make_new(id, "Unknown postcode listing", "ZZ9 9ZZ");
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	r = mod_post(&m, path, "version=1");
	assert_status(&r, 422);
	assert_true(contains(r.body, "Nothing was published"));
	assert_true(contains(r.body, "location_postal_code_check"));
	resp_free(&r);
	one("SELECT status || coalesce(service_id::text, '') FROM submission"
	    " WHERE id = $1", id, NULL, v, sizeof(v));
	assert_string_equal(v, "pending");
	PQclear(test_sql("DELETE FROM submission WHERE id = $1", 1,
	    (const char *[]){ id }));
}

static void
test_admin_reject_needs_a_reason_and_keeps_it(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 id[37], path[128], v[256], big[2200];

	(void)state;
	make_mod(&m, "reject");
	make_new(id, "Rejected listing", any_postcode());
	snprintf(path, sizeof(path), "/admin/submissions/%s/reject", id);
	r = mod_post(&m, path, "version=1&reason=");
	assert_status(&r, 400);
	assert_true(contains(r.body, "Enter the reason for rejecting it"));
	resp_free(&r);
	/* Longer than 2000 characters. */
	snprintf(big, sizeof(big), "version=1&reason=");
	memset(big + strlen(big), 'x', 2100);
	big[17 + 2100] = '\0';
	r = mod_post(&m, path, big);
	assert_status(&r, 400);
	assert_true(contains(r.body, "2,000 characters or fewer"));
	resp_free(&r);
	r = mod_post(&m, path, "version=1&reason=%3Cscript%3Ealert(1)%3C%2F"
	    "script%3E+%27%3B+DROP+TABLE+service%3B+--");
	assert_status(&r, 303);
	resp_free(&r);
	one("SELECT status || '|' || reason || '|' || (decided_by = $2)::text"
	    " FROM submission WHERE id = $1", id, m.id, v, sizeof(v));
	assert_string_equal(v, "rejected|<script>alert(1)</script> '; DROP "
	    "TABLE service; --|true");
	snprintf(path, sizeof(path), "/admin/submissions/%s", id);
	r = mod_get(&m, path);
	assert_true(contains(r.body, "Rejected"));
	assert_true(contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&#39;; DROP TABLE service; --"));
	assert_null(strstr(r.body, "<script>alert(1)"));
	resp_free(&r);
	/* The same form again: someone (here, the same person) acted first. */
	snprintf(path, sizeof(path), "/admin/submissions/%s/reject", id);
	r = mod_post(&m, path, "version=1&reason=again");
	assert_status(&r, 409);
	assert_true(contains(r.body, "Someone else acted on this item first"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	r = mod_post(&m, path, "version=1");
	assert_status(&r, 409);
	resp_free(&r);
}

/* ------------------------------------------------------------------ */
/* The edit page's form, read back the way a browser would send it. */

struct fbody {
	char	data[65536];
	size_t	len;
};

static void
add_pair(struct fbody *f, const char *name, size_t nl, const char *val,
    size_t vl)
{
	static const struct { const char *e; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' } };
	char	 raw[16384], *esc;
	size_t	 o = 0, i, k;
	int	 pass;

	for (pass = 0; pass < 2; pass++) {
		const char	*s = pass == 0 ? name : val;
		size_t		 n = pass == 0 ? nl : vl;

		o = 0;
		for (i = 0; i < n && o + 1 < sizeof(raw); ) {
			for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
				if (strncmp(s + i, ents[k].e,
				    strlen(ents[k].e)) == 0)
					break;
			if (k < sizeof(ents) / sizeof(ents[0])) {
				raw[o++] = ents[k].c;
				i += strlen(ents[k].e);
			} else
				raw[o++] = s[i++];
		}
		raw[o] = '\0';
		esc = curl_easy_escape(NULL, raw, (int)o);
		f->len += (size_t)snprintf(f->data + f->len,
		    sizeof(f->data) - f->len, "%s%s%s",
		    pass == 0 && f->len > 0 ? "&" : "", esc,
		    pass == 0 ? "=" : "");
		curl_free(esc);
	}
}

/* The value of attribute a in the tag [t, e), or NULL. */
static const char *
attr(const char *t, const char *e, const char *a, size_t *len)
{
	char		 pat[32];
	const char	*p, *q;

	snprintf(pat, sizeof(pat), " %s=\"", a);
	if ((p = strstr(t, pat)) == NULL || p > e)
		return (NULL);
	p += strlen(pat);
	if ((q = strchr(p, '"')) == NULL || q > e)
		return (NULL);
	*len = (size_t)(q - p);
	return (p);
}

/*
 * The body the form posting to action would send, with the control whose
 * value is old sent as new instead (csrf left out: mod_post adds it).
 */
static void
scrape_form(const char *html, const char *action, const char *old,
    const char *new, struct fbody *f)
{
	char		 pat[256];
	const char	*s, *end, *t, *e, *n, *v, *c, *tt;
	size_t		 nl, vl, tl;

	f->len = 0;
	f->data[0] = '\0';
	snprintf(pat, sizeof(pat), "action=\"%s\"", action);
	if ((s = strstr(html, pat)) == NULL)
		fail_msg("no form posting to %s", action);
	if ((end = strstr(s, "</form>")) == NULL)
		fail_msg("form to %s does not end", action);
	for (t = s; (t = strchr(t, '<')) != NULL && t < end; t++) {
		if ((e = strchr(t, '>')) == NULL)
			break;
		if (strncmp(t, "<input", 6) == 0) {
			if ((n = attr(t, e, "name", &nl)) == NULL ||
			    (nl == 4 && strncmp(n, "csrf", 4) == 0))
				continue;
			tt = attr(t, e, "type", &tl);
			if (tt != NULL && ((tl == 5 && strncmp(tt, "radio",
			    5) == 0) || (tl == 8 && strncmp(tt, "checkbox",
			    8) == 0))) {
				c = strstr(t, " checked");
				if (c == NULL || c > e)
					continue;
			}
			if ((v = attr(t, e, "value", &vl)) == NULL) {
				v = "";
				vl = 0;
			}
			if (strlen(old) == vl && strncmp(v, old, vl) == 0) {
				v = new;
				vl = strlen(new);
			}
			add_pair(f, n, nl, v, vl);
		} else if (strncmp(t, "<textarea", 9) == 0) {
			if ((n = attr(t, e, "name", &nl)) == NULL)
				continue;
			v = e + 1;
			if (*v == '\n')
				v++;
			c = strstr(v, "</textarea>");
			add_pair(f, n, nl, v, (size_t)(c - v));
		} else if (strncmp(t, "<select", 7) == 0) {
			if ((n = attr(t, e, "name", &nl)) == NULL)
				continue;
			c = strstr(e, "</select>");
			for (v = e; (v = strstr(v, "<option")) != NULL &&
			    v < c; v++) {
				const char	*oe = strchr(v, '>'), *sel;

				sel = strstr(v, " selected");
				if (sel != NULL && sel < oe) {
					const char	*ov = attr(v, oe,
					    "value", &vl);

					add_pair(f, n, nl, ov, vl);
					break;
				}
			}
		}
	}
}

static void
test_admin_edit_saves_and_a_stale_save_conflicts(void **state)
{
	struct account	 m;
	struct resp	 r;
	struct fbody	*fb, *stale;
	char		 id[37], path[128], v[256], loc[256], org[128];

	(void)state;
	fb = malloc(sizeof(*fb));
	stale = malloc(sizeof(*stale));
	assert_non_null(fb);
	assert_non_null(stale);
	make_mod(&m, "edit");
	/* An organisation like no other, so the form asks nothing about it. */
	snprintf(org, sizeof(org), "Quixotic Kettle Guild %s", test_suffix());
	make_new_org(id, org, "Before Edit Name", any_postcode());
	snprintf(path, sizeof(path), "/admin/submissions/%s/edit", id);
	r = mod_get(&m, path);
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Cache-Control", "no-store"));
	assert_true(contains(r.body, "value=\"Before Edit Name\""));
	/* Two moderators' copies of the same page, at version 1. */
	scrape_form(r.body, path, "Before Edit Name",
	    "After <b>Edit</b> Name", fb);
	scrape_form(r.body, path, "Before Edit Name", "Lost? Not at all",
	    stale);
	resp_free(&r);
	assert_true(contains(fb->data, "version=1"));
	r = mod_post(&m, path, fb->data);
	if (r.status != 303 && strstr(r.body, "error-summary") != NULL)
		print_message("%.2000s\n", strstr(r.body, "error-summary"));
	assert_status(&r, 303);
	resp_header(&r, "Location", loc, sizeof(loc));
	snprintf(v, sizeof(v), "/admin/submissions/%s", id);
	assert_string_equal(loc, v);
	resp_free(&r);
	one("SELECT version || '|' || (document #>> '{service,name}')"
	    " FROM submission WHERE id = $1", id, NULL, v, sizeof(v));
	assert_string_equal(v, "2|After <b>Edit</b> Name");

	r = mod_post(&m, path, stale->data);
	assert_status(&r, 409);
	assert_true(contains(r.body, "Someone else changed this item"));
	assert_true(contains(r.body, "Your version"));
	assert_true(contains(r.body, "The current version"));
	/* Theirs and the current one, both there and escaped. */
	assert_true(contains(r.body, "Lost? Not at all"));
	assert_true(contains(r.body, "After &lt;b&gt;Edit&lt;/b&gt; Name"));
	assert_null(strstr(r.body, "<b>Edit"));
	/* Their form again, now carrying the current version. */
	assert_true(contains(r.body, "name=\"version\" value=\"2\""));
	assert_true(contains(r.body, "value=\"Lost? Not at all\""));
	resp_free(&r);
	one("SELECT version || '|' || (document #>> '{service,name}')"
	    " FROM submission WHERE id = $1", id, NULL, v, sizeof(v));
	assert_string_equal(v, "2|After <b>Edit</b> Name");
	free(fb);
	free(stale);
	PQclear(test_sql("DELETE FROM submission WHERE id = $1", 1,
	    (const char *[]){ id }));
}

/*
 * A published listing: its page offers a signed-in moderator its tools;
 * a correction is published at once and recorded; unpublishing needs the
 * box ticked, then takes it off and is recorded too.
 */
static void
test_admin_moderator_corrects_and_unpublishes_a_listing(void **state)
{
	struct account	 m;
	struct resp	 r;
	struct fbody	*fb;
	char		 sid[37], name[128], fixed[160], path[512], v[512];

	(void)state;
	fb = malloc(sizeof(*fb));
	assert_non_null(fb);
	make_mod(&m, "correct");
	snprintf(name, sizeof(name), "Corrected Lunch Club %s", test_suffix());
	make_published(sid, name);
	snprintf(path, sizeof(path), "/services/%s", sid);
	r = mod_get(&m, path);
	snprintf(v, sizeof(v), "href=\"/admin/services/%s/edit\"", sid);
	if (r.status != 200 || !contains(r.body, v) ||
	    !header_starts(&r, "Cache-Control", "private"))
		fail_msg("GET %s signed in: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
	r = http_get(path);
	assert_false(contains(r.body, "/edit\">Edit or unpublish"));
	resp_free(&r);

	snprintf(path, sizeof(path), "/admin/services/%s/edit", sid);
	r = mod_get(&m, path);
	snprintf(v, sizeof(v), "value=\"%s\"", name);
	if (r.status != 200 || !contains(r.body, v))
		fail_msg("GET %s: %ld\n%s", path, r.status, r.body);
	snprintf(fixed, sizeof(fixed), "%s (Tuesdays)", name);
	scrape_form(r.body, path, name, fixed, fb);
	resp_free(&r);
	r = mod_post(&m, path, fb->data);
	if (r.status != 303)
		fail_msg("POST %s: %ld\n%.3000s", path, r.status, r.body);
	resp_free(&r);
	one("SELECT s.name || '|' || s.version || '|' || (SELECT c.action ||"
	    " ' by ' || c.actor FROM listing_change c WHERE c.service_id ="
	    " s.id ORDER BY c.id DESC LIMIT 1) FROM service s WHERE s.id ="
	    " $1", sid, NULL, v, sizeof(v));
	snprintf(path, sizeof(path), "%s|2|updated by %s", fixed, m.email);
	assert_string_equal(v, path);

	/* Unpublish: the box first, then off, and recorded. */
	snprintf(path, sizeof(path), "/admin/services/%s/unpublish", sid);
	r = mod_post(&m, path, "version=2");
	if (r.status != 400 || !contains(r.body, "Tick the box"))
		fail_msg("POST %s unticked: %ld\n%s", path, r.status, r.body);
	resp_free(&r);
	r = mod_post(&m, path, "version=1&sure=yes");
	assert_status(&r, 409);
	resp_free(&r);
	r = mod_post(&m, path, "version=2&sure=yes");
	assert_status(&r, 303);
	resp_free(&r);
	one("SELECT s.status || '|' || (SELECT c.action || ' by ' || c.actor"
	    " FROM listing_change c WHERE c.service_id = s.id ORDER BY c.id"
	    " DESC LIMIT 1) FROM service s WHERE s.id = $1", sid, NULL, v,
	    sizeof(v));
	snprintf(path, sizeof(path), "inactive|withdrawn by %s", m.email);
	assert_string_equal(v, path);
	free(fb);
}

static void
test_admin_report_is_shown_escaped_and_resolved_once(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 sid[37], rid[37], path[128], v[256], want[256];
	const char	*p[1];

	(void)state;
	make_mod(&m, "report");
	make_published(sid, "Reported Listing");
	p[0] = sid;
	sql_str("INSERT INTO problem_report (service_id, problem, details,"
	    " email) VALUES ($1, 'other', '<script>alert(1)</script> ''; DROP"
	    " TABLE service; --', 'reporter@example.org') RETURNING id", 1, p,
	    rid, sizeof(rid));
	snprintf(path, sizeof(path), "/admin/reports/%s", rid);
	r = mod_get(&m, path);
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Cache-Control", "no-store"));
	assert_true(contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&#39;; DROP TABLE service; --"));
	assert_null(strstr(r.body, "<script>alert(1)"));
	assert_true(contains(r.body, "mailto:reporter@example.org"));
	snprintf(want, sizeof(want), "href=\"/services/%s\"", sid);
	assert_true(contains(r.body, want));
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/reports/%s/resolve", rid);
	r = mod_post(&m, path, "outcome=maybe");
	assert_status(&r, 400);
	resp_free(&r);
	r = mod_post(&m, path, "outcome=dismissed&note=Checked+by+phone");
	assert_status(&r, 303);
	resp_free(&r);
	one("SELECT status || '|' || resolution || '|' ||"
	    " (resolved_by = $2)::text || '|' || (resolved_at IS NOT NULL)"
	    " FROM problem_report WHERE id = $1", rid, m.id, v, sizeof(v));
	assert_string_equal(v, "dismissed|Checked by phone|true|true");
	r = mod_post(&m, path, "outcome=resolved");
	assert_status(&r, 409);
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/reports/%s", rid);
	r = mod_get(&m, path);
	assert_true(contains(r.body, "Dismissed"));
	assert_true(contains(r.body, "Checked by phone"));
	resp_free(&r);
}

static void
test_admin_history_restores_an_earlier_version(void **state)
{
	struct account	 m;
	struct resp	 r;
	char		 id[37], up[37], sid[37], path[128], body[128], v[256];
	char		 first[32], ver[16], want[128];

	(void)state;
	make_mod(&m, "history");
	make_new(id, "History Original", any_postcode());
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", id);
	r = mod_post(&m, path, "version=1");
	assert_status(&r, 303);
	resp_free(&r);
	one("SELECT service_id FROM submission WHERE id = $1", id, NULL, sid,
	    sizeof(sid));
	make_update(up, sid, "History <i>Updated</i>");
	snprintf(path, sizeof(path), "/admin/submissions/%s", up);
	r = mod_get(&m, path);
	assert_true(contains(r.body, "What changes"));
	assert_true(contains(r.body, "History &lt;i&gt;Updated&lt;/i&gt;"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/admin/submissions/%s/approve", up);
	r = mod_post(&m, path, "version=1");
	assert_status(&r, 303);
	resp_free(&r);
	one("SELECT min(id)::text FROM listing_change WHERE service_id = $1",
	    sid, NULL, first, sizeof(first));
	one("SELECT version::text FROM service WHERE id = $1", sid, NULL, ver,
	    sizeof(ver));
	assert_string_equal(ver, "2");

	snprintf(path, sizeof(path), "/admin/services/%s/history", sid);
	r = mod_get(&m, path);
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Cache-Control", "no-store"));
	assert_true(contains(r.body, m.email));
	assert_true(contains(r.body, ": updated by "));
	assert_true(contains(r.body, ": created by "));
	assert_true(strstr(r.body, ": updated by ") <
	    strstr(r.body, ": created by "));
	/* Only the earlier version can be put back. */
	assert_int_equal(count_of(r.body, "Restore this version"), 1);
	snprintf(want, sizeof(want), "name=\"change\" value=\"%s\"", first);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "History &lt;i&gt;Updated&lt;/i&gt;"));
	assert_null(strstr(r.body, "<i>Updated"));
	resp_free(&r);

	snprintf(path, sizeof(path), "/admin/services/%s/restore", sid);
	snprintf(body, sizeof(body), "change=%s&version=1", first);
	r = mod_post(&m, path, body);
	assert_status(&r, 409);
	assert_true(contains(r.body, "The listing changed since you loaded "
	    "this page"));
	resp_free(&r);
	snprintf(body, sizeof(body), "change=999999999&version=2");
	r = mod_post(&m, path, body);
	assert_status(&r, 404);
	resp_free(&r);
	/* Asked first: the page says which version and shows the change. */
	snprintf(want, sizeof(want), "/admin/services/%s/restore?change=%s"
	    "&version=2", sid, first);
	r = mod_get(&m, want);
	if (r.status != 200 || !contains(r.body, "Put back this version?") ||
	    !contains(r.body, "History Original") ||
	    !contains(r.body, "Yes, put this version back"))
		fail_msg("GET %s: %ld\n%s", want, r.status, r.body);
	resp_free(&r);
	one("SELECT name || '|' || version FROM service WHERE id = $1", sid,
	    NULL, v, sizeof(v));
	assert_string_equal(v, "History <i>Updated</i>|2");
	snprintf(body, sizeof(body), "change=%s&version=2", first);
	r = mod_post(&m, path, body);
	assert_status(&r, 303);
	{
		char	loc[256];

		resp_header(&r, "Location", loc, sizeof(loc));
		snprintf(want, sizeof(want), "/admin/services/%s/history?"
		    "restored=%s", sid, first);
		assert_string_equal(loc, want);
	}
	resp_free(&r);
	r = mod_get(&m, want);
	if (!contains(r.body, "Put back: the version of "))
		fail_msg("GET %s: does not say what was put back\n%s", want,
		    r.body);
	resp_free(&r);
	one("SELECT name || '|' || version FROM service WHERE id = $1", sid,
	    NULL, v, sizeof(v));
	assert_string_equal(v, "History Original|3");
	one("SELECT action || '|' || restored_from FROM listing_change"
	    " WHERE service_id = $1 ORDER BY id DESC LIMIT 1", sid, NULL, v,
	    sizeof(v));
	snprintf(want, sizeof(want), "restored|%s", first);
	assert_string_equal(v, want);
	/* A change of another listing is not restored through this one. */
	{
		char	other[37];

		make_published(other, "Other History Listing");
		snprintf(path, sizeof(path), "/admin/services/%s/restore",
		    other);
		snprintf(body, sizeof(body), "change=%s&version=1", first);
		r = mod_post(&m, path, body);
		assert_status(&r, 404);
		resp_free(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admin_pages_need_a_session),
		cmocka_unit_test(test_admin_post_without_csrf_token_is_refused),
		cmocka_unit_test(test_admin_queue_counts_and_escapes_names),
		cmocka_unit_test(test_admin_queue_of_10000_is_paginated_and_fast),
		cmocka_unit_test(test_admin_item_shows_preview_and_duplicates),
		cmocka_unit_test(test_admin_approve_publishes_verbatim),
		cmocka_unit_test(
		    test_admin_two_moderators_approving_one_item_one_wins),
		cmocka_unit_test(
		    test_admin_second_moderator_keeps_their_reason),
		cmocka_unit_test(
		    test_admin_moderator_corrects_and_unpublishes_a_listing),
		cmocka_unit_test(
		    test_admin_duplicates_compare_pending_and_rank_by_name),
		cmocka_unit_test(
		    test_admin_preview_shows_what_approval_publishes),
		cmocka_unit_test(
		    test_admin_update_shows_the_change_before_the_buttons),
		cmocka_unit_test(
		    test_admin_stale_update_is_refused_and_nothing_overwritten),
		cmocka_unit_test(test_admin_approve_breaking_a_rule_names_it),
		cmocka_unit_test(test_admin_reject_needs_a_reason_and_keeps_it),
		cmocka_unit_test(
		    test_admin_edit_saves_and_a_stale_save_conflicts),
		cmocka_unit_test(
		    test_admin_report_is_shown_escaped_and_resolved_once),
		cmocka_unit_test(test_admin_history_restores_an_earlier_version),
	};

	return (RUN_TESTS("admin", tests));
}
