/*
 * The demo directory (`signpost load-demo`, sql/demo/): what it contains,
 * that it is labelled, and that reloading it only ever replaces demo
 * rows.  scripts/run-integration has loaded it already (SIGNPOST_DEMO=1);
 * each test loads it itself if not.
 */
/* The harness is header-only; this test posts no forms. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "harness.h"

/* One value of a one-row query, as a number. */
static long long
q_num(const char *sql)
{
	PGresult	*r;
	long long	 v;

	r = test_sql(sql, 0, NULL);
	assert_int_equal(PQntuples(r), 1);
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return (v);
}

static void
ensure_demo(void)
{
	char	out[8192];

	if (q_num("SELECT count(*) FROM service WHERE is_demo") > 0)
		return;
	if (run_signpost("load-demo", out, sizeof(out)) != 0)
		fail_msg("load-demo failed:\n%s", out);
}

static void
test_demo_counts_are_in_expected_ranges(void **state)
{
	long long	n;

	(void)state;
	ensure_demo();
	n = q_num("SELECT count(*) FROM service WHERE is_demo");
	assert_in_range(n, 150, 300);
	n = q_num("SELECT count(*) FROM organization WHERE is_demo");
	assert_in_range(n, 10, 40);
	n = q_num("SELECT count(*) FROM location WHERE is_demo");
	assert_in_range(n, 100, 400);
	n = q_num("SELECT count(*) FROM service WHERE is_demo "
	    "AND kind = 'walking_group'");
	assert_in_range(n, 20, 60);
	/* Both council areas have services at venues in them. */
	n = q_num("SELECT count(DISTINCT s.id) FROM service s "
	    "JOIN service_at_location x ON x.service_id = s.id "
	    "JOIN location l ON l.id = x.location_id "
	    "JOIN postcode p ON p.postcode = l.postal_code "
	    "WHERE s.is_demo AND p.council_area_code = 'S12000039'");
	assert_in_range(n, 10, 100);
	n = q_num("SELECT count(DISTINCT s.id) FROM service s "
	    "JOIN service_at_location x ON x.service_id = s.id "
	    "JOIN location l ON l.id = x.location_id "
	    "JOIN postcode p ON p.postcode = l.postal_code "
	    "WHERE s.is_demo AND p.council_area_code = 'S12000049'");
	assert_in_range(n, 100, 300);
}

static void
test_demo_locations_sit_on_their_postcode_centroid(void **state)
{
	(void)state;
	ensure_demo();
	assert_int_equal(q_num("SELECT count(*) FROM location l "
	    "LEFT JOIN postcode p ON p.postcode = l.postal_code "
	    "WHERE l.is_demo AND (p.postcode IS NULL "
	    "OR l.latitude <> p.latitude OR l.longitude <> p.longitude "
	    "OR NOT l.grid ~= p.grid)"), 0);
	/* And they have an address a feed can publish. */
	assert_int_equal(q_num("SELECT count(*) FROM location WHERE is_demo "
	    "AND (address_1 IS NULL OR city IS NULL OR state_province IS NULL "
	    "OR location_type <> 'physical')"), 0);
}

static void
test_demo_services_have_a_category_and_a_place(void **state)
{
	(void)state;
	ensure_demo();
	assert_int_equal(q_num("SELECT count(*) FROM service s "
	    "WHERE s.is_demo AND NOT EXISTS (SELECT 1 FROM service_taxonomy t "
	    "WHERE t.service_id = s.id)"), 0);
	/* A service without a venue is a remote one covering an area. */
	assert_int_equal(q_num("SELECT count(*) FROM service s "
	    "WHERE s.is_demo AND NOT EXISTS (SELECT 1 FROM service_at_location x "
	    "WHERE x.service_id = s.id) AND NOT EXISTS (SELECT 1 "
	    "FROM service_area a WHERE a.service_id = s.id)"), 0);
	assert_in_range(q_num("SELECT count(*) FROM service s WHERE s.is_demo "
	    "AND NOT EXISTS (SELECT 1 FROM service_at_location x "
	    "WHERE x.service_id = s.id)"), 3, 20);
	assert_int_equal(q_num("SELECT count(DISTINCT a.area_code) "
	    "FROM service_area a JOIN service s ON s.id = a.service_id "
	    "WHERE s.is_demo AND (a.area_code, a.area_kind) IN "
	    "(('S12000049', 'council_area'), ('S12000039', 'council_area'), "
	    "('S08000031', 'health_board'))"), 3);
	/* Every service has a schedule and says in which language. */
	assert_int_equal(q_num("SELECT count(*) FROM service s WHERE s.is_demo "
	    "AND (NOT EXISTS (SELECT 1 FROM schedule c WHERE c.service_id = s.id) "
	    "OR NOT EXISTS (SELECT 1 FROM language g "
	    "WHERE g.service_id = s.id AND g.code = 'en'))"), 0);
}

static void
test_demo_walking_groups_have_walk_details(void **state)
{
	(void)state;
	ensure_demo();
	assert_int_equal(q_num("SELECT count(*) FROM service s "
	    "LEFT JOIN walk_detail w ON w.service_id = s.id "
	    "WHERE s.is_demo AND s.kind = 'walking_group' AND (w.service_id "
	    "IS NULL OR w.length_km IS NULL OR w.duration_minutes IS NULL "
	    "OR w.terrain IS NULL OR w.meeting_point IS NULL "
	    "OR w.meeting_location_id IS NULL)"), 0);
	assert_int_equal(q_num("SELECT count(DISTINCT w.grade) "
	    "FROM walk_detail w JOIN service s ON s.id = w.service_id "
	    "WHERE s.is_demo"), 3);
}

static void
test_demo_rows_are_labelled_as_samples(void **state)
{
	(void)state;
	ensure_demo();
	assert_int_equal(q_num("SELECT count(*) FROM service WHERE is_demo "
	    "AND description NOT LIKE 'Sample listing for demonstration: %'"),
	    0);
	assert_int_equal(q_num("SELECT count(*) FROM organization WHERE is_demo "
	    "AND (description IS NULL OR description NOT LIKE "
	    "'Sample listing for demonstration: %')"), 0);
	/* A demo service is run by a demo organisation. */
	assert_int_equal(q_num("SELECT count(*) FROM service s "
	    "JOIN organization o ON o.id = s.organization_id "
	    "WHERE s.is_demo AND NOT o.is_demo"), 0);
	/* Invented contact details are the reserved, fictional kind. */
	assert_int_equal(q_num("SELECT count(*) FROM organization WHERE is_demo "
	    "AND (email NOT LIKE '%@example.org' "
	    "OR website NOT LIKE 'https://example.org/%')"), 0);
	assert_int_equal(q_num("SELECT count(*) FROM phone p "
	    "JOIN service s ON s.id = p.service_id WHERE s.is_demo "
	    "AND p.number !~ '^(0141 496 0|0808 157 0)[0-9]{3}$'"), 0);
}

static void
test_demo_has_stale_listings_and_every_schedule_shape(void **state)
{
	long long	stale, all;

	(void)state;
	ensure_demo();
	all = q_num("SELECT count(*) FROM service WHERE is_demo");
	stale = q_num("SELECT count(*) FROM service WHERE is_demo "
	    "AND review_due < current_date");
	assert_in_range(stale * 100 / all, 5, 20);
	assert_int_equal(q_num("SELECT count(*) FROM service WHERE is_demo "
	    "AND (last_reviewed IS NULL OR review_due IS NULL "
	    "OR last_reviewed > current_date)"), 0);
	assert_true(q_num("SELECT count(*) FROM schedule c JOIN service s "
	    "ON s.id = c.service_id WHERE s.is_demo AND c.interval = 2 "
	    "AND c.dtstart IS NOT NULL") > 0);
	assert_true(q_num("SELECT count(*) FROM schedule c JOIN service s "
	    "ON s.id = c.service_id WHERE s.is_demo AND c.freq = 'MONTHLY' "
	    "AND c.byday ~ '^[1-4]'") > 0);
	assert_true(q_num("SELECT count(*) FROM schedule c JOIN service s "
	    "ON s.id = c.service_id WHERE s.is_demo AND c.freq = 'MONTHLY' "
	    "AND c.byday LIKE '-1%'") > 0);
	assert_true(q_num("SELECT count(*) FROM schedule c JOIN service s "
	    "ON s.id = c.service_id WHERE s.is_demo AND c.valid_from IS NOT NULL "
	    "AND c.valid_to > c.valid_from") > 0);
	assert_true(q_num("SELECT count(*) FROM schedule c JOIN service s "
	    "ON s.id = c.service_id WHERE s.is_demo AND c.byday LIKE '%,%'")
	    > 0);
	assert_true(q_num("SELECT count(*) FROM cost_option c JOIN service s "
	    "ON s.id = c.service_id WHERE s.is_demo AND c.amount > 0") > 0);
	assert_true(q_num("SELECT count(*) FROM service WHERE is_demo "
	    "AND minimum_age = 0 AND maximum_age = 5") > 0);
	assert_true(q_num("SELECT count(DISTINCT g.code) FROM language g "
	    "JOIN service s ON s.id = g.service_id WHERE s.is_demo") >= 4);
}

/*
 * Every demo schedule is one the server can serve as a calendar, and a
 * demo venue's postcode is where the public postcode API says it is.
 */
static void
test_demo_schedules_and_places_work_over_http(void **state)
{
	PGresult	*r;
	struct resp	 h;
	cJSON		*j, *ca;
	char		 path[256], type[128];
	int		 i, fortnightly = 0;

	(void)state;
	ensure_demo();
	r = test_sql("SELECT s.id, c.\"interval\" FROM service s "
	    "JOIN schedule c ON c.service_id = s.id "
	    "WHERE s.is_demo AND c.freq IS NOT NULL ORDER BY s.id", 0, NULL);
	assert_true(PQntuples(r) > 100);
	for (i = 0; i < PQntuples(r); i++) {
		snprintf(path, sizeof(path), "/services/%s/calendar.ics",
		    PQgetvalue(r, i, 0));
		h = http_get(path);
		if (h.status != 200)
			fail_msg("GET %s: %ld", path, h.status);
		resp_header(&h, "Content-Type", type, sizeof(type));
		assert_non_null(strstr(type, "text/calendar"));
		assert_non_null(strstr(h.body, "BEGIN:VEVENT"));
		if (strcmp(PQgetvalue(r, i, 1), "2") == 0) {
			assert_non_null(strstr(h.body, "INTERVAL=2"));
			fortnightly++;
		}
		resp_free(&h);
	}
	PQclear(r);
	assert_true(fortnightly > 0);

	r = test_sql("SELECT replace(l.postal_code, ' ', '%20'), l.latitude "
	    "FROM location l WHERE l.is_demo AND l.city = 'Clydebank' "
	    "ORDER BY l.id LIMIT 1", 0, NULL);
	assert_int_equal(PQntuples(r), 1);
	snprintf(path, sizeof(path), "/api/postcodes/%s", PQgetvalue(r, 0, 0));
	h = http_get(path);
	assert_status(&h, 200);
	j = resp_json(&h);
	assert_non_null(j);
	assert_float_equal(cJSON_GetNumberValue(cJSON_GetObjectItem(j,
	    "latitude")), strtod(PQgetvalue(r, 0, 1), NULL), 1e-9);
	ca = cJSON_GetObjectItem(j, "council_area_code");
	assert_true(cJSON_IsString(ca));
	assert_string_equal(cJSON_GetStringValue(ca), "S12000039");
	cJSON_Delete(j);
	resp_free(&h);
	PQclear(r);
}

static void
test_load_demo_if_empty_leaves_a_full_directory_alone(void **state)
{
	char	before[256], after[256], out[8192];
	int	rc;

	(void)state;
	ensure_demo();
	sql_str("SELECT count(*) || ' ' || max(created_at) FROM service "
	    "WHERE is_demo", 0, NULL, before, sizeof(before));
	rc = run_signpost("load-demo --if-empty", out, sizeof(out));
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "not loaded"));
	sql_str("SELECT count(*) || ' ' || max(created_at) FROM service "
	    "WHERE is_demo", 0, NULL, after, sizeof(after));
	assert_string_equal(before, after);
}

/* What a second load-demo must leave as it was, and what it must renew. */
#define DEMO_COUNTS \
	"SELECT (SELECT count(*) FROM organization WHERE is_demo)" \
	" || ' ' || (SELECT count(*) FROM location WHERE is_demo) || ' ' " \
	"|| (SELECT count(*) FROM service WHERE is_demo) || ' ' " \
	"|| (SELECT count(*) FROM schedule c JOIN service s " \
	"ON s.id = c.service_id WHERE s.is_demo) || ' ' " \
	"|| (SELECT count(*) FROM accessibility a JOIN location l " \
	"ON l.id = a.location_id WHERE l.is_demo)"
#define DEMO_IDS \
	"SELECT md5(string_agg(id::text, ',' ORDER BY id))" \
	" FROM service WHERE is_demo"
#define DEMO_NEWEST \
	"SELECT max(created_at) FROM service WHERE is_demo"

static void
test_load_demo_again_replaces_only_demo_rows(void **state)
{
	char		 name[64], before[4096], after[4096], out[8192];
	char		 org[37], svc[37], loc[37], stamp[64], stamp2[64];
	char		 ids[4096], ids2[4096], t0[64], t1[64];
	const char	*p[3];
	PGresult	*r;
	int		 rc;

	(void)state;
	ensure_demo();
	snprintf(name, sizeof(name), "Real test listing %08x",
	    (unsigned)arc4random());
	/* A real listing at a demo venue, in a demo category. */
	p[0] = name;
	sql_str("INSERT INTO organization (name, description) VALUES ($1, "
	    "'A real organisation') RETURNING id", 1, p, org, sizeof(org));
	sql_str("SELECT id FROM location WHERE is_demo ORDER BY id LIMIT 1", 0,
	    NULL, loc, sizeof(loc));
	p[0] = org;
	p[1] = name;
	sql_str("INSERT INTO service (organization_id, name, description) "
	    "VALUES ($1, $2, 'Not a demo') RETURNING id", 2, p, svc,
	    sizeof(svc));
	p[0] = svc;
	p[1] = loc;
	PQclear(test_sql("INSERT INTO service_at_location (service_id, "
	    "location_id) VALUES ($1, $2)", 2, p));
	PQclear(test_sql("INSERT INTO service_taxonomy (service_id, "
	    "taxonomy_term_id) SELECT $1, id FROM taxonomy_term "
	    "WHERE slug = 'money-advice'", 1, p));
	sql_str("SELECT updated_at FROM service WHERE id = $1", 1, p, stamp,
	    sizeof(stamp));

	sql_str(DEMO_COUNTS, 0, NULL, before, sizeof(before));
	sql_str(DEMO_IDS, 0, NULL, ids, sizeof(ids));
	sql_str(DEMO_NEWEST, 0, NULL, t0, sizeof(t0));

	rc = run_signpost("load-demo", out, sizeof(out));
	if (rc != 0)
		fail_msg("load-demo failed:\n%s", out);
	assert_non_null(strstr(out, "demo listings loaded"));
	assert_non_null(strstr(out, "venues skipped"));

	sql_str(DEMO_COUNTS, 0, NULL, after, sizeof(after));
	assert_string_equal(before, after);
	/* Same ids (links keep working), but rows written afresh. */
	sql_str(DEMO_IDS, 0, NULL, ids2, sizeof(ids2));
	assert_string_equal(ids, ids2);
	sql_str(DEMO_NEWEST, 0, NULL, t1, sizeof(t1));
	assert_string_not_equal(t0, t1);

	/* The real listing, its place and its category are untouched. */
	p[0] = svc;
	p[1] = loc;
	p[2] = name;
	r = test_sql("SELECT s.updated_at FROM service s "
	    "JOIN service_at_location x ON x.service_id = s.id "
	    "JOIN location l ON l.id = x.location_id "
	    "JOIN service_taxonomy t ON t.service_id = s.id "
	    "WHERE s.id = $1 AND l.id = $2 AND s.name = $3 AND NOT s.is_demo",
	    3, p);
	assert_int_equal(PQntuples(r), 1);
	snprintf(stamp2, sizeof(stamp2), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	assert_string_equal(stamp, stamp2);

	/* Clean up: the real listing goes, the demo stays whole. */
	PQclear(test_sql("DELETE FROM service WHERE id = $1", 1, p));
	p[0] = org;
	PQclear(test_sql("DELETE FROM organization WHERE id = $1", 1, p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_counts_are_in_expected_ranges),
		cmocka_unit_test(
		    test_demo_locations_sit_on_their_postcode_centroid),
		cmocka_unit_test(test_demo_services_have_a_category_and_a_place),
		cmocka_unit_test(test_demo_walking_groups_have_walk_details),
		cmocka_unit_test(test_demo_rows_are_labelled_as_samples),
		cmocka_unit_test(
		    test_demo_has_stale_listings_and_every_schedule_shape),
		cmocka_unit_test(test_demo_schedules_and_places_work_over_http),
		cmocka_unit_test(
		    test_load_demo_if_empty_leaves_a_full_directory_alone),
		cmocka_unit_test(test_load_demo_again_replaces_only_demo_rows),
	};

	return (RUN_TESTS("demo", tests));
}
