/*
 * The service page, the organisation page and "report a problem", over
 * HTTP against the real server.  Each test makes its own organisation
 * and services (names with a random suffix) and looks for every field.
 */
#include <time.h>
#include <unistd.h>

#include "harness.h"

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

/* A service with every field filled; ids out. */
static void
make_full_service(char *sid, char *oid, char *name, size_t namelen)
{
	char		 org[128];
	const char	*p[2];

	snprintf(org, sizeof(org), "Detail Org %s", test_suffix());
	snprintf(name, namelen, "Tea <script>alert(1)</script> & Toast %s",
	    test_suffix());
	p[0] = org;
	p[1] = name;
	sql_str(
	    "WITH o AS (INSERT INTO organization (name, email)"
	    "  VALUES ($1, 'org@example.org') RETURNING id),"
	    " s AS (INSERT INTO service (organization_id, name, alternate_name,"
	    "  description, url, email, is_free, cost_description,"
	    "  minimum_age, maximum_age, eligibility_description,"
	    "  self_referral, professional_referral, drop_in,"
	    "  booking_required, referral_description, application_process,"
	    "  last_reviewed, review_due, is_demo, interpretation_services)"
	    "  SELECT id, $2, 'The Tuesday Tea',"
	    "  E'A warm room and a hot drink.\\n\\nBring a friend.',"
	    "  'https://example.org/tea', 'tea@example.org', false,"
	    "  'Two pounds a session', 16, 25,"
	    "  'Carers and people living alone',"
	    "  true, true, false, true, 'Phone to book a place',"
	    "  'Fill in the short form at the desk',"
	    "  '2025-01-10', '2025-06-01', true, 'Interpreters on request'"
	    "  FROM o RETURNING id),"
	    " l AS (INSERT INTO location (name, address_1, city, postal_code,"
	    "  latitude, longitude, grid, transportation)"
	    "  VALUES ('Hillhead Hall', '12 Test Street', 'Glasgow', 'G12 8QQ',"
	    "  55.8721, -4.2892, point(256000, 666000), 'Bus 44 to the door')"
	    "  RETURNING id),"
	    " sal AS (INSERT INTO service_at_location (service_id, location_id)"
	    "  SELECT s.id, l.id FROM s, l RETURNING id),"
	    " sch AS (INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    "  closes_at, description) SELECT id, 'WEEKLY', 'TU', '10:00',"
	    "  '11:30', 'Closed on public holidays' FROM s),"
	    " c AS (INSERT INTO contact (service_id, name, title, email)"
	    "  SELECT id, 'Morag Smith', 'Coordinator', 'morag@example.org'"
	    "  FROM s),"
	    " ph AS (INSERT INTO phone (service_id, number, description)"
	    "  SELECT id, '0141 555 0100', 'Mornings' FROM s),"
	    " a AS (INSERT INTO accessibility (location_id, description,"
	    "  details) SELECT id, 'Step-free access', 'Ramp at the side'"
	    "  FROM l),"
	    " lg AS (INSERT INTO language (service_id, name, code)"
	    "  SELECT id, 'Polish', 'pl' FROM s),"
	    " co AS (INSERT INTO cost_option (service_id, option, amount)"
	    "  SELECT id, 'Concession', 1.00 FROM s),"
	    " sa AS (INSERT INTO service_area (service_id, area_code,"
	    "  area_kind) SELECT id, 'S12000049', 'council_area' FROM s)"
	    " SELECT s.id, o.id FROM s, o", 2, p, sid, 37);
	sql_str("SELECT organization_id FROM service WHERE id = $1", 1,
	    (const char *[]){ sid }, oid, 37);
}

static void
test_detail_shows_every_field_escaped(void **state)
{
	char		sid[37], oid[37], name[256], path[128], want[256];
	struct resp	r;
	char		ctype[128];

	(void)state;
	make_full_service(sid, oid, name, sizeof(name));
	snprintf(path, sizeof(path), "/services/%s", sid);
	r = http_get(path);
	/*
	 * Unflag it once fetched: test_demo checks every demo row is one
	 * load-demo wrote, whatever order the tests run in.
	 */
	PQclear(test_sql("UPDATE service SET is_demo = false WHERE id = $1", 1,
	    (const char *[]){ sid }));
	assert_status(&r, 200);
	resp_header(&r, "Content-Type", ctype, sizeof(ctype));
	assert_non_null(strstr(ctype, "text/html"));
	/* The name is escaped everywhere, never raw. */
	assert_null(strstr(r.body, "<script>alert(1)"));
	snprintf(want, sizeof(want), "<h1>Tea &lt;script&gt;alert(1)&lt;/"
	    "script&gt; &amp; Toast %s</h1>", test_suffix());
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "Also known as The Tuesday Tea"));
	assert_true(contains(r.body, "<p class=\"description\">A warm room "
	    "and a hot drink.</p>"));
	assert_true(contains(r.body, "Bring a friend."));
	snprintf(want, sizeof(want), "href=\"/organisations/%s\">Detail Org "
	    "%s</a>", oid, test_suffix());
	assert_true(contains(r.body, want));
	/* How to get in. */
	assert_true(contains(r.body, "Self-referral: people can contact"));
	assert_true(contains(r.body, "Professional referral: a GP"));
	assert_true(contains(r.body, "Not a drop-in"));
	assert_true(contains(r.body, "Booking needed before going"));
	assert_true(contains(r.body, "Phone to book a place"));
	assert_true(contains(r.body, "Fill in the short form at the desk"));
	/* Who. */
	assert_true(contains(r.body, "Ages 16 to 25"));
	assert_true(contains(r.body, "Carers and people living alone"));
	assert_true(contains(r.body, "For people in: Glasgow City"));
	/* Cost. */
	assert_true(contains(r.body, "Two pounds a session"));
	assert_true(contains(r.body, "Concession: &pound;1.00"));
	assert_null(strstr(r.body, "cost-free"));
	/* When. */
	assert_true(contains(r.body, "<td>Every Tuesday, 10:00 to 11:30</td>"));
	assert_true(contains(r.body, "Closed on public holidays"));
	assert_true(contains(r.body, "<h3>Next sessions</h3>"));
	snprintf(want, sizeof(want), "href=\"/services/%s/calendar.ics\">Add "
	    "to calendar", sid);
	assert_true(contains(r.body, want));
	/* Where. */
	assert_true(contains(r.body, "<h3>Hillhead Hall</h3>"));
	assert_true(contains(r.body, "12 Test Street, Glasgow, G12 8QQ"));
	assert_true(contains(r.body, "data-lat=\"55.8721\""));
	assert_true(contains(r.body, "https://www.openstreetmap.org/?mlat="
	    "55.8721&amp;mlon=-4.2892"));
	assert_true(contains(r.body, "leaflet.js"));
	assert_true(contains(r.body, "Bus 44 to the door"));
	assert_true(contains(r.body, "Step-free access: Ramp at the side"));
	/* Contact. */
	assert_true(contains(r.body, "<a href=\"tel:01415550100\">0141 555 "
	    "0100</a> (Mornings)"));
	assert_true(contains(r.body, "<a href=\"mailto:tea@example.org\">"));
	assert_true(contains(r.body, "Morag Smith, Coordinator"));
	assert_true(contains(r.body, "mailto:morag@example.org"));
	assert_true(contains(r.body, "href=\"https://example.org/tea\""));
	/* Languages. */
	assert_true(contains(r.body, "<li>Polish</li>"));
	assert_true(contains(r.body, "Interpreters on request"));
	/* Review state, demo badge, shortlist, report. */
	assert_true(contains(r.body, "Last checked: 10 January 2025"));
	assert_true(contains(r.body, "Needs checking"));
	assert_true(contains(r.body, "Demo listing"));
	assert_true(contains(r.body, ">Add to shortlist<"));
	snprintf(want, sizeof(want), "href=\"/services/%s/report\"", sid);
	assert_true(contains(r.body, want));
	resp_free(&r);
}

static void
test_detail_recently_checked_is_not_flagged(void **state)
{
	char		 sid[37], org[128], name[128], path[128];
	const char	*p[2];
	struct resp	 r;

	(void)state;
	snprintf(org, sizeof(org), "Fresh Org %s", test_suffix());
	snprintf(name, sizeof(name), "Fresh Service %s", test_suffix());
	p[0] = org;
	p[1] = name;
	sql_str("WITH o AS (INSERT INTO organization (name) VALUES ($1)"
	    " RETURNING id) INSERT INTO service (organization_id, name,"
	    " is_free, cost_description, last_reviewed, review_due)"
	    " SELECT id, $2, true, 'Free', current_date,"
	    " current_date + 300 FROM o RETURNING id", 2, p, sid,
	    sizeof(sid));
	snprintf(path, sizeof(path), "/services/%s", sid);
	r = http_get(path);
	assert_status(&r, 200);
	assert_null(strstr(r.body, "Needs checking"));
	assert_null(strstr(r.body, "Demo listing"));
	assert_true(contains(r.body, "<strong>Free</strong>"));
	/* "Free" is not said twice. */
	assert_int_equal(count_of(r.body, "<p>Free</p>"), 0);
	/* No location: no map, and the page is still whole. */
	assert_null(strstr(r.body, "leaflet.js"));
	assert_true(contains(r.body, "No age limits stated"));
	assert_true(contains(r.body, "Not stated: contact them to ask."));
	assert_true(contains(r.body, "</html>"));
	resp_free(&r);
}

static void
test_detail_closed_service_and_empty_organisation(void **state)
{
	char		 sid[37], oid[37], org[128], name[128], path[128];
	const char	*p[2];
	struct resp	 r;

	(void)state;
	snprintf(org, sizeof(org), "Closing Org %s", test_suffix());
	snprintf(name, sizeof(name), "Closed Cafe %s", test_suffix());
	p[0] = org;
	p[1] = name;
	sql_str("WITH o AS (INSERT INTO organization (name) VALUES ($1)"
	    " RETURNING id) INSERT INTO service (organization_id, name, status,"
	    " alert) SELECT id, $2, 'defunct', 'Moved to the library' FROM o"
	    " RETURNING id", 2, p, sid, sizeof(sid));
	snprintf(path, sizeof(path), "/services/%s", sid);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(contains(r.body, "listed as no longer running"));
	assert_true(contains(r.body, "Moved to the library"));
	resp_free(&r);

	snprintf(org, sizeof(org), "Empty Org %s", test_suffix());
	sql_str("INSERT INTO organization (name) VALUES ($1) RETURNING id",
	    1, p, oid, sizeof(oid));
	snprintf(path, sizeof(path), "/organisations/%s", oid);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(contains(r.body, "<h2>Services (0)</h2>"));
	assert_true(contains(r.body, "No services are listed"));
	resp_free(&r);
}

static void
test_detail_walking_group_shows_walk_fields(void **state)
{
	char		 sid[37], org[128], name[128], path[128], want[160];
	const char	*p[2];
	struct resp	 r;

	(void)state;
	snprintf(org, sizeof(org), "Walk Org %s", test_suffix());
	snprintf(name, sizeof(name), "Riverside Stroll %s", test_suffix());
	p[0] = org;
	p[1] = name;
	sql_str("WITH o AS (INSERT INTO organization (name) VALUES ($1)"
	    "  RETURNING id),"
	    " s AS (INSERT INTO service (organization_id, name, kind, is_free)"
	    "  SELECT id, $2, 'walking_group', true FROM o RETURNING id),"
	    " w AS (INSERT INTO walk_detail (service_id, grade, grade_label,"
	    "  length_km, duration_minutes, terrain, meeting_point)"
	    "  SELECT id, 'easy', 'Stroll', 3.5, 75, 'Flat tarmac paths',"
	    "  'By the bandstand' FROM s),"
	    " sch AS (INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    "  closes_at) SELECT id, 'WEEKLY', 'WE', '14:00', '15:15' FROM s)"
	    " SELECT id FROM s", 2, p, sid, sizeof(sid));
	snprintf(path, sizeof(path), "/services/%s", sid);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(contains(r.body, "<h2 id=\"h-walk\">The walk</h2>"));
	assert_true(contains(r.body, "<dd>Easy (Stroll): short, level"));
	assert_true(contains(r.body, "<dd>3.5 km</dd>"));
	assert_true(contains(r.body, "<dd>About 1 hour 15 minutes</dd>"));
	assert_true(contains(r.body, "<dd>Flat tarmac paths</dd>"));
	assert_true(contains(r.body, "<dd>By the bandstand</dd>"));
	assert_true(contains(r.body, "<dt>Next walk</dt><dd>Wed "));
	assert_true(contains(r.body, ", 14:00"));
	snprintf(want, sizeof(want), "href=\"/services/%s/calendar.ics\">"
	    "Add to calendar", sid);
	assert_true(contains(r.body, want));
	/* Once, by the next walk, not again under When. */
	assert_int_equal(count_of(r.body, "/calendar.ics"), 1);
	resp_free(&r);
}

static void
test_detail_next_sessions_are_three_in_date_order(void **state)
{
	char		 sid[37], org[128], name[128], path[128];
	const char	*p[2], *ul, *end;
	struct resp	 r;
	char		 list[1024];

	(void)state;
	snprintf(org, sizeof(org), "Sessions Org %s", test_suffix());
	snprintf(name, sizeof(name), "Twice Weekly %s", test_suffix());
	p[0] = org;
	p[1] = name;
	sql_str("WITH o AS (INSERT INTO organization (name) VALUES ($1)"
	    "  RETURNING id),"
	    " s AS (INSERT INTO service (organization_id, name)"
	    "  SELECT id, $2 FROM o RETURNING id),"
	    " a AS (INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    "  closes_at) SELECT id, 'WEEKLY', 'MO', '09:00', '10:00' FROM s),"
	    " b AS (INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    "  closes_at) SELECT id, 'WEEKLY', 'TH', '18:00', '19:00' FROM s)"
	    " SELECT id FROM s", 2, p, sid, sizeof(sid));
	snprintf(path, sizeof(path), "/services/%s", sid);
	r = http_get(path);
	assert_status(&r, 200);
	ul = strstr(r.body, "<ul class=\"sessions\">");
	assert_non_null(ul);
	end = strstr(ul, "</ul>");
	assert_non_null(end);
	snprintf(list, sizeof(list), "%.*s", (int)(end - ul), ul);
	assert_int_equal(count_of(list, "<li>"), 3);
	/* Mondays and Thursdays alternate. */
	assert_true(count_of(list, "<li>Mon ") >= 1);
	assert_true(count_of(list, "<li>Thu ") >= 1);
	assert_true(contains(r.body, "<td>Every Monday, 09:00 to 10:00</td>"));
	assert_true(contains(r.body,
	    "<td>Every Thursday, 18:00 to 19:00</td>"));
	resp_free(&r);
}

static void
test_detail_bad_and_unknown_ids_are_404_pages(void **state)
{
	const char *const	paths[] = {
		"/services/not-a-uuid",
		"/services/00000000-0000-4000-8000-000000000000",
		"/services/%3Cscript%3E",
		"/organisations/xyz",
		"/organisations/00000000-0000-4000-8000-000000000000",
		"/services/00000000-0000-4000-8000-000000000000/report",
		"/services/bad/report",
		"/services/00000000-0000-4000-8000-000000000000/report/sent",
	};
	struct resp		r;
	size_t			i;
	char			ctype[128];

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		r = http_get(paths[i]);
		if (r.status != 404)
			print_message("%s: %ld\n", paths[i], r.status);
		assert_status(&r, 404);
		resp_header(&r, "Content-Type", ctype, sizeof(ctype));
		assert_non_null(strstr(ctype, "text/html"));
		assert_true(contains(r.body, "We could not find that"));
		assert_null(strstr(r.body, "<script>"));
		resp_free(&r);
	}
	/* The router's CSRF check comes first: no token, no further. */
	r = http_post_form("/services/not-a-uuid/report", "problem=closed");
	assert_status(&r, 403);
	resp_free(&r);
}

static void
test_organisation_lists_its_services(void **state)
{
	char		 oid[37], org[128], n1[128], n2[128], path[128];
	char		 want[256];
	const char	*p[3];
	struct resp	 r;
	PGresult	*res;

	(void)state;
	snprintf(org, sizeof(org), "Org <b>Page</b> %s", test_suffix());
	snprintf(n1, sizeof(n1), "Alpha Advice %s", test_suffix());
	snprintf(n2, sizeof(n2), "Beta Befriending %s", test_suffix());
	p[0] = org;
	p[1] = n1;
	p[2] = n2;
	sql_str("WITH o AS (INSERT INTO organization (name, description,"
	    "  website) VALUES ($1, 'We help.', 'https://example.org/')"
	    "  RETURNING id),"
	    " s1 AS (INSERT INTO service (organization_id, name, description)"
	    "  SELECT id, $2, 'Money and debt advice' FROM o),"
	    " s2 AS (INSERT INTO service (organization_id, name)"
	    "  SELECT id, $3 FROM o),"
	    " ph AS (INSERT INTO phone (organization_id, number)"
	    "  SELECT id, '0800 123 4567' FROM o)"
	    " SELECT id FROM o", 3, p, oid, sizeof(oid));
	snprintf(path, sizeof(path), "/organisations/%s", oid);
	r = http_get(path);
	assert_status(&r, 200);
	snprintf(want, sizeof(want), "<h1>Org &lt;b&gt;Page&lt;/b&gt; %s</h1>",
	    test_suffix());
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "We help."));
	assert_true(contains(r.body, "<h2>Services (2)</h2>"));
	assert_true(contains(r.body, "tel:08001234567"));
	res = test_sql("SELECT id, name FROM service WHERE organization_id = $1"
	    " ORDER BY name", 1, (const char *[]){ oid });
	assert_int_equal(PQntuples(res), 2);
	snprintf(want, sizeof(want), "<a href=\"/services/%s\">%s</a>",
	    PQgetvalue(res, 0, 0), n1);
	assert_true(contains(r.body, want));
	snprintf(want, sizeof(want), "<a href=\"/services/%s\">%s</a>",
	    PQgetvalue(res, 1, 0), n2);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, "Money and debt advice"));
	/* Alphabetical: Alpha before Beta. */
	assert_true(strstr(r.body, n1) < strstr(r.body, n2));
	assert_int_equal(count_of(r.body, ">Add to shortlist<"), 2);
	PQclear(res);
	resp_free(&r);

	/* The service page links back here. */
	res = test_sql("SELECT id FROM service WHERE organization_id = $1"
	    " LIMIT 1", 1, (const char *[]){ oid });
	snprintf(path, sizeof(path), "/services/%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	r = http_get(path);
	snprintf(want, sizeof(want), "href=\"/organisations/%s\"", oid);
	assert_true(contains(r.body, want));
	/* No phone of its own: the organisation's is shown. */
	assert_true(contains(r.body, "tel:08001234567"));
	resp_free(&r);
}

/* The form's token and the cookie that goes with it. */
static void
get_form(const char *sid, char *cookie, size_t clen, char *tok, size_t tlen)
{
	char		 path[128], sc[512];
	const char	*p;
	struct resp	 r;

	snprintf(path, sizeof(path), "/services/%s/report", sid);
	r = http_get(path);
	assert_status(&r, 200);
	assert_int_equal(resp_header(&r, "Set-Cookie", sc, sizeof(sc)), 0);
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "SameSite="));
	snprintf(cookie, clen, "Cookie: %.*s", (int)strcspn(sc, ";"), sc);
	p = strstr(r.body, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	snprintf(tok, tlen, "%.*s", (int)strcspn(p, "\""), p);
	assert_int_equal(strlen(tok), 64);
	assert_true(contains(r.body, "<legend>What is wrong?</legend>"));
	assert_true(contains(r.body, "for=\"details\">Details (optional)"
	    "</label>"));
	assert_true(contains(r.body, "for=\"email\">Your email"));
	resp_free(&r);
}

static struct resp
post_report(const char *sid, const char *cookie, const char *body)
{
	char			 path[128];
	struct resp		 r;
	const char *const	 h[] = {
	    "Content-Type: application/x-www-form-urlencoded", cookie, NULL };

	snprintf(path, sizeof(path), "/services/%s/report", sid);
	/* A NULL cookie ends the header list early: no cookie sent. */
	(void)http_do(&r, "POST", path, body, strlen(body), h);
	return (r);
}

static int
reports_for(const char *sid)
{
	PGresult	*res;
	int		 n;

	res = test_sql("SELECT count(*) FROM problem_report"
	    " WHERE service_id = $1", 1, (const char *[]){ sid });
	n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return (n);
}

static void
make_plain_service(char *sid, const char *label)
{
	char		 org[128], name[128];
	const char	*p[2];

	snprintf(org, sizeof(org), "%s Org %s", label, test_suffix());
	snprintf(name, sizeof(name), "%s Service %s", label, test_suffix());
	p[0] = org;
	p[1] = name;
	sql_str("WITH o AS (INSERT INTO organization (name) VALUES ($1)"
	    " RETURNING id) INSERT INTO service (organization_id, name)"
	    " SELECT id, $2 FROM o RETURNING id", 2, p, sid, 37);
}

static void
test_report_happy_path_stores_the_report(void **state)
{
	char		 sid[37], cookie[256], tok[80], body[512], loc[256];
	char		 want[128];
	struct resp	 r;
	PGresult	*res;

	(void)state;
	make_plain_service(sid, "Report");
	get_form(sid, cookie, sizeof(cookie), tok, sizeof(tok));
	snprintf(body, sizeof(body), "csrf=%s&problem=wrong_time&details="
	    "It+now+runs+on+Wednesdays+%%26+Fridays&email=+me%%40example.org+",
	    tok);
	r = post_report(sid, cookie, body);
	assert_status(&r, 303);
	resp_header(&r, "Location", loc, sizeof(loc));
	snprintf(want, sizeof(want), "/services/%s/report/sent", sid);
	assert_string_equal(loc, want);
	resp_free(&r);

	res = test_sql("SELECT problem, details, email, status,"
	    " created_at > now() - interval '1 minute'"
	    " FROM problem_report WHERE service_id = $1", 1,
	    (const char *[]){ sid });
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(PQgetvalue(res, 0, 0), "wrong_time");
	assert_string_equal(PQgetvalue(res, 0, 1),
	    "It now runs on Wednesdays & Fridays");
	assert_string_equal(PQgetvalue(res, 0, 2), "me@example.org");
	assert_string_equal(PQgetvalue(res, 0, 3), "open");
	assert_string_equal(PQgetvalue(res, 0, 4), "t");
	PQclear(res);

	r = http_get(want);
	assert_status(&r, 200);
	assert_true(contains(r.body, "Thank you for your report"));
	resp_free(&r);

	/* Details and email are optional for a closed service. */
	snprintf(body, sizeof(body), "csrf=%s&problem=closed&details=&email=",
	    tok);
	r = post_report(sid, cookie, body);
	assert_status(&r, 303);
	resp_free(&r);
	res = test_sql("SELECT details IS NULL AND email IS NULL"
	    " FROM problem_report WHERE service_id = $1 AND problem = 'closed'",
	    1, (const char *[]){ sid });
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
}

static void
test_report_validation_errors_reshow_the_form(void **state)
{
	char		 sid[37], cookie[256], tok[80], body[512];
	struct resp	 r;

	(void)state;
	make_plain_service(sid, "Invalid");
	get_form(sid, cookie, sizeof(cookie), tok, sizeof(tok));

	/* Nothing chosen. */
	snprintf(body, sizeof(body), "csrf=%s&details=hello", tok);
	r = post_report(sid, cookie, body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "class=\"error-summary\""));
	assert_true(contains(r.body, "<a href=\"#problem-closed\">Choose what "
	    "is wrong with the listing</a>"));
	assert_true(contains(r.body, "id=\"problem-error\""));
	assert_true(contains(r.body, ">hello</textarea>"));
	assert_true(contains(r.body, "<title>Error: "));
	resp_free(&r);

	/* "Something else" with no details, and a bad email kept. */
	snprintf(body, sizeof(body), "csrf=%s&problem=other&details=+++"
	    "&email=not-an-email%%3Cb%%3E", tok);
	r = post_report(sid, cookie, body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "<a href=\"#details\">Tell us what is "
	    "wrong</a>"));
	assert_true(contains(r.body, "<a href=\"#email\">Enter an email "
	    "address like name@example.com"));
	assert_true(contains(r.body, "value=\"not-an-email&lt;b&gt;\""));
	assert_true(contains(r.body, "value=\"other\" checked"));
	assert_true(contains(r.body, "aria-invalid=\"true\""));
	resp_free(&r);

	/* Bytes that are not UTF-8 are refused, not stored or echoed. */
	snprintf(body, sizeof(body), "csrf=%s&problem=other&details=ab%%FFcd",
	    tok);
	r = post_report(sid, cookie, body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "Details can only contain ordinary text"));
	assert_null(strstr(r.body, "ab\xff"));
	resp_free(&r);

	/* A made-up problem kind. */
	snprintf(body, sizeof(body), "csrf=%s&problem=bogus&details=x", tok);
	r = post_report(sid, cookie, body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "Choose what is wrong"));
	resp_free(&r);
	assert_int_equal(reports_for(sid), 0);
}

static void
test_report_details_are_limited_in_characters(void **state)
{
	char		 sid[37], cookie[256], tok[80];
	struct resp	 r;
	char		*body;
	size_t		 i, off;

	(void)state;
	make_plain_service(sid, "Length");
	get_form(sid, cookie, sizeof(cookie), tok, sizeof(tok));
	body = malloc(20000);
	assert_non_null(body);

	off = (size_t)snprintf(body, 20000, "csrf=%s&problem=other&details=",
	    tok);
	for (i = 0; i < 2001; i++)
		body[off++] = 'a';
	body[off] = '\0';
	r = post_report(sid, cookie, body);
	assert_status(&r, 400);
	assert_true(contains(r.body, "2,000 characters or fewer (you have "
	    "2,001)"));
	resp_free(&r);
	assert_int_equal(reports_for(sid), 0);

	/* 2,000 two-byte characters are 4,000 bytes but within the limit. */
	off = (size_t)snprintf(body, 20000, "csrf=%s&problem=other&details=",
	    tok);
	for (i = 0; i < 2000; i++) {
		memcpy(body + off, "%C3%A9", 6);
		off += 6;
	}
	body[off] = '\0';
	r = post_report(sid, cookie, body);
	assert_status(&r, 303);
	resp_free(&r);
	assert_int_equal(reports_for(sid), 1);
	free(body);
}

static void
test_report_without_matching_token_is_refused(void **state)
{
	char		 sid[37], cookie[256], tok[80], body[512];
	struct resp	 r;

	(void)state;
	make_plain_service(sid, "Csrf");
	get_form(sid, cookie, sizeof(cookie), tok, sizeof(tok));
	snprintf(body, sizeof(body), "csrf=%s&problem=closed", tok);

	/* No cookie: what a forged cross-site post looks like. */
	r = http_post_form("/services/x/report", body);
	assert_status(&r, 403);
	resp_free(&r);
	{
		char	path[128];

		snprintf(path, sizeof(path), "/services/%s/report", sid);
		r = http_post_form(path, body);
	}
	assert_status(&r, 403);
	assert_true(contains(r.body, "This form had expired"));
	resp_free(&r);

	/* A cookie that does not match the field. */
	r = post_report(sid, "Cookie: signpost_csrf="
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    body);
	assert_status(&r, 403);
	resp_free(&r);
	/* No field at all. */
	r = post_report(sid, cookie, "problem=closed");
	assert_status(&r, 403);
	resp_free(&r);
	assert_int_equal(reports_for(sid), 0);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_detail_shows_every_field_escaped),
		cmocka_unit_test(test_detail_recently_checked_is_not_flagged),
		cmocka_unit_test(
		    test_detail_closed_service_and_empty_organisation),
		cmocka_unit_test(test_detail_walking_group_shows_walk_fields),
		cmocka_unit_test(
		    test_detail_next_sessions_are_three_in_date_order),
		cmocka_unit_test(test_detail_bad_and_unknown_ids_are_404_pages),
		cmocka_unit_test(test_organisation_lists_its_services),
		cmocka_unit_test(test_report_happy_path_stores_the_report),
		cmocka_unit_test(test_report_validation_errors_reshow_the_form),
		cmocka_unit_test(test_report_details_are_limited_in_characters),
		cmocka_unit_test(test_report_without_matching_token_is_refused),
	};

	(void)resp_json;	/* harness helper these tests do not need */
	return (RUN_TESTS("detail", tests));
}
