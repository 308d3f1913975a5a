/*
 * The shortlist over HTTP: the sheet with its details, the SMS text and
 * its size, the mailto link, the share link, the no-JavaScript toggle and
 * its redirect safety, and clear errors for bad ids.  Each test makes its
 * own services.
 */
#include <time.h>
#include <unistd.h>

#include "harness.h"

/*
 * A service that meets on Tuesdays at a hall with a phone.  label makes
 * the names unique within a test; name gets the full name.
 */
static void
make_service(const char *label, int is_free, char *sid, char *name,
    size_t namelen)
{
	char		 org[128];
	const char	*p[4];
	PGresult	*r;

	snprintf(org, sizeof(org), "%s Org %s", label, test_suffix());
	snprintf(name, namelen, "%s Club %s", label, test_suffix());
	p[0] = org;
	p[1] = name;
	p[2] = is_free ? "t" : "f";
	p[3] = label;
	r = test_sql(
	    "WITH o AS (INSERT INTO organization (name) VALUES ($1)"
	    "  RETURNING id),"
	    " s AS (INSERT INTO service (organization_id, name, is_free,"
	    "  cost_description, drop_in, self_referral, referral_description)"
	    "  SELECT id, $2, $3::boolean,"
	    "  CASE WHEN $3::boolean THEN NULL ELSE 'Three pounds' END,"
	    "  true, true, 'Just turn up' FROM o RETURNING id),"
	    " l AS (INSERT INTO location (name, address_1, city, postal_code,"
	    "  latitude, longitude, grid) VALUES ($4 || ' Hall',"
	    "  '5 Test Road', 'Glasgow', 'G12 8QQ', 55.8721, -4.2892,"
	    "  point(256000, 666000)) RETURNING id),"
	    " sal AS (INSERT INTO service_at_location (service_id, location_id)"
	    "  SELECT s.id, l.id FROM s, l),"
	    " sch AS (INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    "  closes_at) SELECT id, 'WEEKLY', 'TU', '10:00', '11:30' FROM s),"
	    " ph AS (INSERT INTO phone (service_id, number)"
	    "  SELECT id, '0141 555 0199' FROM s)"
	    " SELECT id FROM s", 4, p);
	snprintf(sid, 37, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
}

/* The text of <textarea id="sms-text">, with the HTML escapes undone. */
static void
sms_text(const char *body, char *out, size_t len)
{
	const char	*p, *e;
	size_t		 n = 0;

	p = strstr(body, "<textarea id=\"sms-text\"");
	assert_non_null(p);
	p = strchr(p, '>') + 1;
	e = strstr(p, "</textarea>");
	assert_non_null(e);
	while (p < e && n + 1 < len) {
		if (strncmp(p, "&amp;", 5) == 0) {
			out[n++] = '&';
			p += 5;
		} else if (strncmp(p, "&lt;", 4) == 0) {
			out[n++] = '<';
			p += 4;
		} else if (strncmp(p, "&gt;", 4) == 0) {
			out[n++] = '>';
			p += 4;
		} else if (strncmp(p, "&quot;", 6) == 0) {
			out[n++] = '"';
			p += 6;
		} else if (strncmp(p, "&#39;", 5) == 0) {
			out[n++] = '\'';
			p += 5;
		} else
			out[n++] = *p++;
	}
	out[n] = '\0';
}

static void
test_shortlist_sheet_has_each_service_in_order(void **state)
{
	char		a[37], b[37], na[128], nb[128], path[256], want[256];
	struct resp	r;

	(void)state;
	make_service("Sheet A", 1, a, na, sizeof(na));
	make_service("Sheet B", 0, b, nb, sizeof(nb));
	snprintf(path, sizeof(path), "/shortlist?ids=%s,%s", b, a);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(contains(r.body, "<h1>Services we talked about</h1>"));
	assert_true(contains(r.body, "2 services."));
	/* The order of the list is kept: B first. */
	assert_non_null(strstr(r.body, na));
	assert_non_null(strstr(r.body, nb));
	assert_true(strstr(r.body, nb) < strstr(r.body, na));
	/* When, where, cost, how to get in, phone. */
	assert_true(contains(r.body, "<dt>When</dt><dd>Every Tuesday, 10:00 "
	    "to 11:30<br>Next: Tue "));
	assert_true(contains(r.body, "<dd>Sheet A Hall, 5 Test Road, Glasgow, "
	    "G12 8QQ</dd>"));
	assert_true(contains(r.body, "<dt>Cost</dt><dd>Free</dd>"));
	assert_true(contains(r.body, "<dt>Cost</dt><dd>Three pounds</dd>"));
	assert_true(contains(r.body, "Drop in, no appointment needed; "
	    "Self-referral: contact them directly. Just turn up"));
	assert_true(contains(r.body, "<a href=\"tel:01415550199\">0141 555 "
	    "0199</a>"));
	/* Each can be removed; links keep the list. */
	assert_true(contains(r.body, ">Remove from shortlist<"));
	snprintf(want, sizeof(want), "href=\"/services/%s?ids=%s,%s\"", a, b,
	    a);
	assert_true(contains(r.body, want));
	/* Print-friendly: the chrome is marked, the print sheet exists. */
	assert_true(contains(r.body, "print.css"));
	assert_true(contains(r.body, "class=\"send no-print\""));
	resp_free(&r);
}

static void
test_shortlist_sms_text_is_compact_and_sized(void **state)
{
	char		a[37], b[37], na[128], nb[128], path[256], want[512];
	char		text[4096], size[128];
	struct resp	r;
	size_t		len, parts;

	(void)state;
	make_service("Sms A", 1, a, na, sizeof(na));
	make_service("Sms B", 1, b, nb, sizeof(nb));
	snprintf(path, sizeof(path), "/shortlist?ids=%s,%s", a, b);
	r = http_get(path);
	assert_status(&r, 200);
	sms_text(r.body, text, sizeof(text));
	snprintf(want, sizeof(want), "%s\nWhen: Every Tuesday, 10:00 to 11:30 "
	    "(next: Tue ", na);
	assert_true(contains(text, want));
	assert_true(contains(text, "\nWhere: Sms A Hall, 5 Test Road, G12 8QQ"
	    "\nTel: 0141 555 0199\n\n"));
	snprintf(want, sizeof(want), "\n\n%s\nWhen: ", nb);
	assert_true(contains(text, want));
	/* Plain ASCII here: GSM-7, one septet per character. */
	len = strlen(text);
	parts = len <= 160 ? 1 : (len + 152) / 153;
	snprintf(size, sizeof(size), "<p id=\"sms-size\" class=\"hint\">%zu "
	    "characters: %zu text message%s", len, parts, parts == 1 ? "" :
	    "s");
	assert_true(contains(r.body, size));
	assert_true(parts >= 2);
	/* Copy button for JavaScript, read-only textarea without. */
	assert_true(contains(r.body, "data-copy=\"sms-text\""));
	assert_true(contains(r.body, "readonly"));
	resp_free(&r);
}

static void
test_shortlist_mailto_is_percent_encoded(void **state)
{
	char		 a[37], na[128], path[256], want[256];
	const char	*p, *e;
	struct resp	 r;
	char		 href[8192];

	(void)state;
	make_service("Mail & <Co>", 1, a, na, sizeof(na));
	snprintf(path, sizeof(path), "/shortlist?ids=%s", a);
	r = http_get(path);
	assert_status(&r, 200);
	p = strstr(r.body, "href=\"mailto:?subject=Services%20we%20talked%20"
	    "about&amp;body=");
	assert_non_null(p);
	p += strlen("href=\"");
	e = strchr(p, '"');
	snprintf(href, sizeof(href), "%.*s", (int)(e - p), p);
	/* No raw spaces, newlines or angle brackets in the URL. */
	assert_null(strpbrk(href, " \n\r<>"));
	/* CRLF line breaks, & and < encoded in the name. */
	assert_true(contains(href, "%0D%0AWhen%3A%20Every%20Tuesday"));
	snprintf(want, sizeof(want), "body=Mail%%20%%26%%20%%3CCo%%3E%%20Club"
	    "%%20%s", test_suffix());
	assert_true(contains(href, want));
	/* The name is escaped on the sheet and in the text box. */
	assert_null(strstr(r.body, "<Co>"));
	assert_true(contains(r.body, "Mail &amp; &lt;Co&gt; Club"));
	resp_free(&r);
}

static void
test_shortlist_share_link_is_absolute(void **state)
{
	char		 a[37], b[37], na[128], nb[128], path[256], want[256];
	const char	*p;
	struct resp	 r;

	(void)state;
	make_service("Share A", 1, a, na, sizeof(na));
	make_service("Share B", 1, b, nb, sizeof(nb));
	snprintf(path, sizeof(path), "/shortlist?ids=%s,%s", a, b);
	r = http_get(path);
	assert_status(&r, 200);
	p = strstr(r.body, "id=\"share-url\"");
	assert_non_null(p);
	p = strstr(p, "value=\"");
	assert_non_null(p);
	assert_true(strncmp(p + 7, "http://", 7) == 0 ||
	    strncmp(p + 7, "https://", 8) == 0);
	snprintf(want, sizeof(want), "/shortlist?ids=%s,%s\"", a, b);
	assert_true(contains(p, want));
	assert_true(contains(r.body, "for=\"share-url\">Link to this list"));
	resp_free(&r);
}

static void
test_shortlist_empty_is_a_helpful_page(void **state)
{
	struct resp	r;

	(void)state;
	r = http_get("/shortlist");
	assert_status(&r, 200);
	assert_true(contains(r.body, "Your shortlist is empty"));
	assert_true(contains(r.body, "<a href=\"/\">Find services</a>"));
	resp_free(&r);
	r = http_get("/shortlist?ids=");
	assert_status(&r, 200);
	assert_true(contains(r.body, "Your shortlist is empty"));
	resp_free(&r);
}

static void
test_shortlist_bad_ids_are_reported_not_ignored(void **state)
{
	char		a[37], na[128], path[256], want[256];
	struct resp	r;

	(void)state;
	make_service("Bad", 1, a, na, sizeof(na));
	snprintf(path, sizeof(path), "/shortlist?ids=%s,garbage,%%3Cscript%%3E",
	    a);
	r = http_get(path);
	assert_status(&r, 400);
	assert_true(contains(r.body, "2 entries are not valid service "
	    "identifiers"));
	assert_true(contains(r.body, "&quot;garbage&quot;"));
	assert_true(contains(r.body, "&quot;&lt;script&gt;&quot;"));
	assert_null(strstr(r.body, "<script>"));
	snprintf(want, sizeof(want), "href=\"/shortlist?ids=%s\">Show the 1 "
	    "service that could be read", a);
	assert_true(contains(r.body, want));
	resp_free(&r);
}

static void
test_shortlist_more_than_twenty_is_reported(void **state)
{
	char		path[2048];
	size_t		off;
	int		i;
	struct resp	r;

	(void)state;
	off = (size_t)snprintf(path, sizeof(path), "/shortlist?ids=");
	for (i = 0; i < 21; i++)
		off += (size_t)snprintf(path + off, sizeof(path) - off,
		    "%s00000000-0000-4000-8000-%012d", i ? "," : "", i);
	r = http_get(path);
	assert_status(&r, 400);
	assert_true(contains(r.body, "at most 20 services; 1 more was left "
	    "off"));
	resp_free(&r);
}

static void
test_shortlist_unknown_service_is_flagged(void **state)
{
	char		a[37], na[128], path[256], want[256];
	struct resp	r;

	(void)state;
	make_service("Gone", 1, a, na, sizeof(na));
	snprintf(path, sizeof(path), "/shortlist?ids=%s,"
	    "00000000-0000-4000-8000-00000000dead", a);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(contains(r.body, "1 service on this shortlist is no longer "
	    "in the directory"));
	snprintf(want, sizeof(want), "<a href=\"/shortlist?ids=%s\">Take it off"
	    " the list</a>", a);
	assert_true(contains(r.body, want));
	assert_true(contains(r.body, na));
	resp_free(&r);
}

static void
test_shortlist_toggle_adds_and_comes_back(void **state)
{
	char		a[37], b[37], na[128], nb[128], path[512], want[512];
	char		loc[512];
	struct resp	r;

	(void)state;
	make_service("Toggle A", 1, a, na, sizeof(na));
	make_service("Toggle B", 1, b, nb, sizeof(nb));
	snprintf(path, sizeof(path), "/shortlist/toggle?id=%s&ids=%s&back="
	    "%%2Fservices%%2F%s%%3Fq%%3Dfood%%26ids%%3Dstale", a, b, b);
	r = http_get(path);
	assert_status(&r, 303);
	resp_header(&r, "Location", loc, sizeof(loc));
	snprintf(want, sizeof(want), "/services/%s?q=food&ids=%s,%s#sl-%s", b,
	    b, a, a);
	assert_string_equal(loc, want);
	resp_free(&r);

	/* The page it comes back to shows the new state. */
	snprintf(path, sizeof(path), "/services/%s?ids=%s,%s", a, b, a);
	r = http_get(path);
	assert_status(&r, 200);
	assert_true(contains(r.body, ">Remove from shortlist<"));
	snprintf(want, sizeof(want), "name=\"ids\" value=\"%s,%s\"", b, a);
	assert_true(contains(r.body, want));
	/* Without JavaScript the header link keeps the list and counts it. */
	snprintf(want, sizeof(want), "<a href=\"/shortlist?ids=%s,%s\" "
	    "data-shortlist-link>Shortlist<span class=\"shortlist-count\" "
	    "data-shortlist-count> (2)</span>", b, a);
	assert_true(contains(r.body, want));
	resp_free(&r);
	snprintf(path, sizeof(path), "/services/%s", a);
	r = http_get(path);
	assert_true(contains(r.body, ">Add to shortlist<"));
	resp_free(&r);
}

static void
test_shortlist_toggle_removes(void **state)
{
	char		a[37], b[37], na[128], nb[128], path[512], want[512];
	char		loc[512];
	struct resp	r;

	(void)state;
	make_service("Remove A", 1, a, na, sizeof(na));
	make_service("Remove B", 1, b, nb, sizeof(nb));
	snprintf(path, sizeof(path), "/shortlist/toggle?id=%s&ids=%s,%s&back="
	    "/shortlist", a, a, b);
	r = http_get(path);
	assert_status(&r, 303);
	resp_header(&r, "Location", loc, sizeof(loc));
	snprintf(want, sizeof(want), "/shortlist?ids=%s#sl-%s", b, a);
	assert_string_equal(loc, want);
	resp_free(&r);

	/* Removing the last one leaves no ids at all. */
	snprintf(path, sizeof(path), "/shortlist/toggle?id=%s&ids=%s", b, b);
	r = http_get(path);
	assert_status(&r, 303);
	resp_header(&r, "Location", loc, sizeof(loc));
	snprintf(want, sizeof(want), "/shortlist#sl-%s", b);
	assert_string_equal(loc, want);
	resp_free(&r);
}

static void
test_shortlist_toggle_refuses_other_sites(void **state)
{
	const char *const	backs[] = {
		"https%3A%2F%2Fevil.example%2F",
		"%2F%2Fevil.example%2F",
		"%2F%5Cevil.example",
		"evil.example",
		"javascript%3Aalert(1)",
		"%2Fok%0D%0ASet-Cookie%3A%20x%3D1",
	};
	char			a[37], na[128], path[512], loc[256];
	struct resp		r;
	size_t			i;

	(void)state;
	make_service("Evil", 1, a, na, sizeof(na));
	for (i = 0; i < sizeof(backs) / sizeof(backs[0]); i++) {
		snprintf(path, sizeof(path), "/shortlist/toggle?id=%s&back=%s",
		    a, backs[i]);
		r = http_get(path);
		if (r.status != 400)
			print_message("back=%s: %ld\n", backs[i], r.status);
		assert_status(&r, 400);
		assert_int_equal(resp_header(&r, "Location", loc, sizeof(loc)),
		    -1);
		assert_true(contains(r.body, "must be a page on this site"));
		resp_free(&r);
	}
}

static void
test_shortlist_toggle_bad_input_is_a_clear_error(void **state)
{
	char		a[37], na[128], path[2048];
	size_t		off;
	int		i;
	struct resp	r;

	(void)state;
	make_service("Clear", 1, a, na, sizeof(na));
	r = http_get("/shortlist/toggle?id=nope");
	assert_status(&r, 400);
	assert_true(contains(r.body, "not a valid service identifier"));
	resp_free(&r);
	r = http_get("/shortlist/toggle");
	assert_status(&r, 400);
	assert_true(contains(r.body, "is missing"));
	resp_free(&r);
	snprintf(path, sizeof(path), "/shortlist/toggle?id=%s&ids=zzz", a);
	r = http_get(path);
	assert_status(&r, 400);
	assert_true(contains(r.body, "&quot;zzz&quot;"));
	resp_free(&r);

	/* The toggle is a GET form; anything else is refused. */
	r = http_post_form("/shortlist/toggle", "id=nope");
	assert_status(&r, 405);
	resp_free(&r);

	/* A full list cannot take a 21st. */
	off = (size_t)snprintf(path, sizeof(path),
	    "/shortlist/toggle?id=%s&ids=", a);
	for (i = 0; i < 20; i++)
		off += (size_t)snprintf(path + off, sizeof(path) - off,
		    "%s00000000-0000-4000-8000-%012d", i ? "," : "", i);
	r = http_get(path);
	assert_status(&r, 400);
	assert_true(contains(r.body, "at most 20 services"));
	resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(
		    test_shortlist_sheet_has_each_service_in_order),
		cmocka_unit_test(test_shortlist_sms_text_is_compact_and_sized),
		cmocka_unit_test(test_shortlist_mailto_is_percent_encoded),
		cmocka_unit_test(test_shortlist_share_link_is_absolute),
		cmocka_unit_test(test_shortlist_empty_is_a_helpful_page),
		cmocka_unit_test(
		    test_shortlist_bad_ids_are_reported_not_ignored),
		cmocka_unit_test(test_shortlist_more_than_twenty_is_reported),
		cmocka_unit_test(test_shortlist_unknown_service_is_flagged),
		cmocka_unit_test(test_shortlist_toggle_adds_and_comes_back),
		cmocka_unit_test(test_shortlist_toggle_removes),
		cmocka_unit_test(test_shortlist_toggle_refuses_other_sites),
		cmocka_unit_test(
		    test_shortlist_toggle_bad_input_is_a_clear_error),
	};

	(void)resp_json;	/* harness helper these tests do not need */
	return (RUN_TESTS("shortlist", tests));
}
