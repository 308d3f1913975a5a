/*
 * import_oruk with no database: descriptions as publishers write them
 * made plain text, and a service mapped onto the template's cells (what
 * is kept, what is left out and said).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "http.h"
#include "import.h"
#include "import_oruk.h"
#include "listing.h"
#include "unit.h"

static void
text_is(const char *html, const char *want)
{
	struct buf	b;

	buf_init(&b);
	import_text(&b, html);
	if (strcmp(buf_cstr(&b), want) != 0)
		fail_msg("%s\n  gave: [%s]\n  want: [%s]", html, buf_cstr(&b),
		    want);
	buf_free(&b);
}

static void
test_html_becomes_plain_text(void **state)
{
	(void)state;
	text_is("Plain text stays.", "Plain text stays.");
	text_is("<p>One.</p><p>Two &amp; three.</p>", "One.\n\nTwo & three.");
	text_is("Tea<br>and<br/>cake", "Tea\nand\ncake");
	text_is("<ul><li>Mondays</li><li>Fridays</li></ul>",
	    "- Mondays\n- Fridays");
	text_is("<p>Open:</p><ul><li>10&ndash;12</li></ul>",
	    "Open:\n\n- 10\u201312");
	text_is("caf&eacute; &#233; &#xe9; &#0; &bogus;",
	    "caf&eacute; \u00e9 \u00e9 &#0; &bogus;");
	text_is("  lots   of\n\n spaces  ", "lots of spaces");
	text_is("<script>x</script>kept", "xkept");
	text_is("broken <b tag", "broken");
	text_is("&lt;b&gt; is shown, not obeyed", "<b> is shown, not obeyed");
	text_is("", "");
}

static void
test_a_service_maps_onto_the_template(void **state)
{
	static const char svc[] =
	    "{\"id\": \"s1\", \"name\": \"Lunch &amp; chat\","
	    " \"description\": \"<p>Soup.</p>\", \"fees\": \"Free\","
	    " \"email\": \"\", \"minimum_age\": 60,"
	    " \"organization\": {\"name\": \"Org\"},"
	    " \"service_at_locations\": [{\"location\": {\"name\": \"Hall\","
	    "  \"addresses\": [{\"postal_code\": \"G12 8QQ\"}]}},"
	    "  {\"location\": {\"name\": \"Other\"}}],"
	    " \"schedules\": [{\"freq\": \"WEEKLY\", \"byday\": \"TU,TH\","
	    "  \"opens_at\": \"12:00:00\", \"closes_at\": \"13:30:00\"},"
	    "  {\"freq\": \"MONTHLY\", \"byday\": \"-1FR\", \"opens_at\":"
	    "  \"18:00\", \"closes_at\": \"20:00\", \"valid_from\":"
	    "  \"01/04/2027\", \"valid_to\": \"2027-09-30T00:00:00Z\"},"
	    "  {\"freq\": \"WEEKLY\", \"byday\": \"SA\", \"opens_at\":"
	    "  \"10:00\", \"closes_at\": \"11:00\", \"valid_from\":"
	    "  \"31/02/2027\"},"
	    "  {\"freq\": \"DAILY\", \"byday\": \"MO\", \"opens_at\": \"9:00\"}]}";
	struct http_request	 req;
	const char		*days[8];
	char			*rep = NULL;
	size_t			 len = 0;
	FILE			*f;

	(void)state;
	assert_non_null(f = open_memstream(&rep, &len));
	http_request_init(&req);
	assert_int_equal(import_oruk_map(svc, strlen(svc), &req, f, "s1"), 0);
	fclose(f);
	assert_string_equal(http_kv_get(&req.form, "name"), "Lunch & chat");
	assert_string_equal(http_kv_get(&req.form, "kind"), "service");
	assert_string_equal(http_kv_get(&req.form, "free"), "yes");
	assert_null(http_kv_get(&req.form, "email"));
	assert_string_equal(http_kv_get(&req.form, "min_age"), "60");
	assert_string_equal(http_kv_get(&req.form, "v1_postcode"), "G12 8QQ");
	/* A rule on two days: one session on both, as the form sends it. */
	req.method = HTTP_POST;
	assert_int_equal(http_param_all(&req, "s1_day", days, 8), 2);
	assert_string_equal(days[0], "TU");
	assert_string_equal(days[1], "TH");
	assert_string_equal(http_kv_get(&req.form, "s1_start"), "12:00");
	assert_string_equal(http_kv_get(&req.form, "s2_pattern"), "last");
	assert_string_equal(http_kv_get(&req.form, "s2_day"), "FR");
	assert_string_equal(http_kv_get(&req.form, "s2_from"), "2027-04-01");
	assert_string_equal(http_kv_get(&req.form, "s2_to"), "2027-09-30");
	assert_null(http_kv_get(&req.form, "s3_pattern"));
	if (strstr(rep, "2 locations; a listing holds one venue: 'Hall' is "
	    "kept") == NULL || strstr(rep, "a schedule without a day, an "
	    "opening and a closing time") == NULL || strstr(rep, "a schedule "
	    "from '31/02/2027', not a date we can read, is left out") == NULL)
		fail_msg("report:\n%s", rep);
	http_request_free(&req);
	free(rep);

	/* Not a service: said, nothing put. */
	assert_non_null(f = open_memstream(&rep, &len));
	http_request_init(&req);
	assert_int_equal(import_oruk_map("[1,2]", 5, &req, f, "x"), 1);
	assert_int_equal(import_oruk_map("{\"id\": \"x\"}", 11, &req, f, "x"),
	    1);
	fclose(f);
	assert_non_null(strstr(rep, "a service with no name"));
	http_request_free(&req);
	free(rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_becomes_plain_text),
		cmocka_unit_test(test_a_service_maps_onto_the_template),
	};

	return (RUN_UNIT_TESTS("oruk_map", tests));
}
