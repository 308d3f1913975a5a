/*
 * listing: the one table of a listing's fields, checked both ways with no
 * database.  A full document loaded into the form and made a document
 * again is the same document; every field's CHECK puts its message on
 * that field; the drawing and the diff label what changed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "buf.h"
#include "form.h"
#include "http.h"
#include "listing.h"
#include "unit.h"

/* Every field given, two venues, sessions of every kind, a walk. */
static const char full[] =
    "{\"organization\":{\"id\":null,\"name\":\"Knightswood Walkers\","
    "\"description\":\"Volunteers.\",\"website\":\"https://example.org/\","
    "\"email\":\"walks@example.org\",\"phone\":\"0141 496 0901\","
    "\"charity_number\":\"SC012345\"},"
    "\"service\":{\"name\":\"Park walk\",\"kind\":\"walking_group\","
    "\"description\":\"A gentle walk.\",\"categories\":[\"exercise\","
    "\"physical-activity\"],\"eligibility\":\"Adults\",\"minimum_age\":16,"
    "\"maximum_age\":99,\"is_free\":false,\"cost\":\"50p\","
    "\"self_referral\":true,\"professional_referral\":null,"
    "\"drop_in\":true,\"booking_required\":false,\"referral\":\"Come "
    "along.\",\"email\":\"a@example.org\",\"phone\":\"0141 496 0902\","
    "\"website\":\"https://example.org/walk\",\"languages\":[\"BSL\","
    "\"English\"],\"areas\":[\"S08000031\",\"S12000049\"]},"
    "\"venues\":[{\"name\":\"Community Centre\",\"address\":\"1 Road\","
    "\"city\":\"Glasgow\",\"postcode\":\"G13 2XD\",\"hide_address\":false,"
    "\"accessibility\":\"Step-free\"},{\"name\":\"Hall\",\"address\":null,"
    "\"city\":null,\"postcode\":\"G11 5LW\",\"hide_address\":true,"
    "\"accessibility\":null}],"
    "\"sessions\":[{\"venue\":1,\"freq\":\"WEEKLY\",\"interval\":1,"
    "\"byday\":\"TU,TH\",\"opens_at\":\"10:00\",\"closes_at\":\"11:00\","
    "\"valid_from\":null,\"valid_to\":null},{\"venue\":2,\"freq\":"
    "\"WEEKLY\",\"interval\":2,\"byday\":\"FR\",\"opens_at\":\"14:00\","
    "\"closes_at\":\"15:00\",\"valid_from\":\"2027-04-02\",\"valid_to\":"
    "\"2027-09-24\"},{\"venue\":1,\"freq\":\"MONTHLY\",\"interval\":1,"
    "\"byday\":\"1SA,1SU\",\"opens_at\":\"09:00\",\"closes_at\":\"10:00\","
    "\"valid_from\":null,\"valid_to\":null},{\"venue\":1,\"freq\":"
    "\"MONTHLY\",\"interval\":1,\"byday\":\"-1SU\",\"opens_at\":\"12:00\","
    "\"closes_at\":\"13:00\",\"valid_from\":null,\"valid_to\":null}],"
    "\"walk\":{\"grade\":\"easy\",\"length_km\":\"3.5\","
    "\"duration_minutes\":60,\"terrain\":\"Paths\",\"meeting_point\":"
    "\"Gate\"},\"contact_email\":\"me@example.org\"}";

/* A form filled from doc, made a document again. */
static char *
round_trip(const char *doc)
{
	struct form	 f;
	char		*out;

	listing_form_init(&f);
	assert_int_equal(listing_form_load(&f, doc), 0);
	out = listing_form_document(&f);
	form_free(&f);
	return (out);
}

static void
test_document_survives_the_form(void **state)
{
	cJSON	*a, *b;
	char	*out;

	(void)state;
	assert_non_null(out = round_trip(full));
	a = cJSON_Parse(full);
	b = cJSON_Parse(out);
	assert_non_null(a);
	assert_non_null(b);
	if (!cJSON_Compare(a, b, 1))
		fail_msg("in:  %s\nout: %s", full, out);
	cJSON_Delete(a);
	cJSON_Delete(b);
	free(out);
}

static void
test_every_check_lands_on_its_field(void **state)
{
	static const char *const map[][2] = {
		{ "organization_name_check", "org_name" },
		{ "organization_charity_number_check", "org_charity" },
		{ "service_age_range_check", "max_age" },
		{ "phone_number_check", "phone" },
		{ "location_postal_code_check", "v1_postcode" },
		{ "schedule_times_check", "s1_end" },
		{ "walk_detail_grade_check", "walk_grade" },
		{ "service_review_email_check", "contact_email" },
	};
	struct form	f;
	size_t		i;

	(void)state;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		listing_form_init(&f);
		listing_form_constraint(&f, map[i][0]);
		if (!form_has_error(&f, map[i][1]))
			fail_msg("%s did not mark %s", map[i][0], map[i][1]);
		form_free(&f);
	}
	/* One nobody knows: a message for the whole form, not a crash. */
	listing_form_init(&f);
	listing_form_constraint(&f, "no_such_check");
	assert_true(f.nerr > 0);
	form_free(&f);
}

static void
test_drawing_and_diff_label_each_field(void **state)
{
	struct buf	 b;
	char		*changed, *p;

	(void)state;
	buf_init(&b);
	listing_document_html(&b, full);
	assert_non_null(strstr(buf_cstr(&b), "<dt>Venue 2: address hidden"
	    "</dt><dd>Yes</dd>"));
	assert_non_null(strstr(buf_cstr(&b), "<dt>Venue 1</dt><dd>"
	    "Community Centre, 1 Road</dd>"));
	assert_non_null(strstr(buf_cstr(&b), "<dt>Kind</dt><dd>A walking "
	    "group</dd>"));
	assert_non_null(strstr(buf_cstr(&b), "<dt>Session 4</dt><dd>The "
	    "last Sunday of the month"));
	/* Sessions on several days. */
	assert_non_null(strstr(buf_cstr(&b), "<dt>Session 1</dt><dd>Every "
	    "Tuesday and Thursday, 10:00 to 11:00"));
	assert_non_null(strstr(buf_cstr(&b), "<dt>Session 3</dt><dd>The "
	    "first Saturday and Sunday of the month"));
	assert_non_null(strstr(buf_cstr(&b), "<dt>Languages</dt><dd>BSL, "
	    "English</dd>"));
	/* Not known is not drawn. */
	assert_null(strstr(buf_cstr(&b), "Professional referral"));
	buf_reset(&b);
	assert_non_null(changed = strdup(full));
	assert_non_null(p = strstr(changed, "\"cost\":\"50p\""));
	memcpy(p, "\"cost\":\"60p\"", 12);
	assert_int_equal(listing_diff_html(&b, full, changed), 1);
	assert_non_null(strstr(buf_cstr(&b), "<th scope=\"row\">Cost</th>"));
	free(changed);
	buf_free(&b);
}

/* A spreadsheet's days: each a box ticked, as the form sends them. */
static void
test_csv_days_are_boxes(void **state)
{
	struct http_request	 req;
	const char		*v[8];
	char			 err[128];
	size_t			 n;

	(void)state;
	http_request_init(&req);
	req.method = HTTP_POST;		/* read from the form, as importers do */
	assert_int_equal(listing_csv_put(&req, "session1_day",
	    "Monday; wed and FR", err, sizeof(err)), 0);
	n = http_param_all(&req, "s1_day", v, 8);
	assert_int_equal(n, 3);
	assert_string_equal(v[0], "MO");
	assert_string_equal(v[1], "WE");
	assert_string_equal(v[2], "FR");
	assert_int_equal(listing_csv_put(&req, "session2_day", "TU,TH", err,
	    sizeof(err)), 0);
	assert_int_equal(http_param_all(&req, "s2_day", v, 8), 2);
	assert_string_equal(v[1], "TH");
	/* Not a day: sent as it is, for the form to refuse. */
	assert_int_equal(listing_csv_put(&req, "session3_day", "Funday", err,
	    sizeof(err)), 0);
	assert_int_equal(http_param_all(&req, "s3_day", v, 8), 1);
	assert_string_equal(v[0], "Funday");
	http_request_free(&req);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_document_survives_the_form),
		cmocka_unit_test(test_every_check_lands_on_its_field),
		cmocka_unit_test(test_drawing_and_diff_label_each_field),
		cmocka_unit_test(test_csv_days_are_boxes),
	};

	return (RUN_UNIT_TESTS("listing", tests));
}
