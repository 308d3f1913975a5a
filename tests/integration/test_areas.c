/*
 * Asset mapping pages over HTTP, on the bundled GP practices and the demo
 * directory: distances within the radius and nearest first, counts that
 * grow with the radius, gaps that match the category table, the council
 * filter, and bad input answered with the form and its message.
 */
#include "harness.h"

/* Queens Park Medical Practice, G42 8QD, in the bundled ODS list. */
#define PRACTICE	"S49286"

/* The "N" of "Services within R km (N)". */
static int
listed(const char *body, const char *km)
{
	char		 h[64];
	const char	*p;

	snprintf(h, sizeof(h), "Services within %s km (", km);
	if ((p = strstr(body, h)) == NULL)
		fail_msg("no \"%s\" heading", h);
	return (atoi(p + strlen(h)));
}

static void
test_area_distances_are_within_the_radius_and_nearest_first(void **state)
{
	static const char *const km[] = { "1", "2", "5" };
	struct resp	 r;
	char		 path[128];
	const char	*p;
	double		 d, last;
	int		 i, n, prev = -1, rows;

	(void)state;
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/areas/%s?radius=%s", PRACTICE,
		    km[i]);
		r = http_get(path);
		assert_status(&r, 200);
		assert_true(contains(r.body, "<h1>Queens Park Medical Practice"
		    "</h1>"));
		assert_true(contains(r.body, "181 Queen's Drive, Glasgow, "
		    "G42 8QD") || contains(r.body, "181 Queen&#39;s Drive"));
		n = listed(r.body, km[i]);
		assert_true(n >= prev);
		prev = n;
		/* Each distance cell, in order. */
		last = 0;
		rows = 0;
		for (p = r.body; (p = strstr(p, " km</td></tr>")) != NULL;
		    p++) {
			const char *s = p;

			while (s > r.body && s[-1] != '>')
				s--;
			d = atof(s);
			assert_true(d <= atof(km[i]) + 0.05);
			assert_true(d + 1e-9 >= last);
			last = d;
			rows++;
		}
		assert_int_equal(rows, n);
		resp_free(&r);
	}
	/* The demo directory has services around Queens Park. */
	assert_true(prev > 5);
}

static void
test_area_gaps_match_the_category_table(void **state)
{
	struct resp	 r;
	const char	*p, *q, *gaps;
	char		 name[128], want[192];
	size_t		 n;
	int		 zeros = 0;

	(void)state;
	r = http_get("/areas/" PRACTICE "?radius=1");
	assert_status(&r, 200);
	assert_true(contains(r.body, "<svg role=\"img\""));
	assert_true((gaps = strstr(r.body, "<ul class=\"area-gaps\">")) !=
	    NULL);
	/* Every category row with 0 services is listed as a gap. */
	for (p = strstr(r.body, "Median practice"); p != NULL &&
	    (p = strstr(p, "<tr><th scope=\"row\">")) != NULL; p = q) {
		p += strlen("<tr><th scope=\"row\">");
		if ((q = strstr(p, "</th><td>")) == NULL || *p == '<')
			break;
		n = (size_t)(q - p);
		if (n >= sizeof(name))
			break;
		memcpy(name, p, n);
		name[n] = '\0';
		if (strncmp(q + 9, "0</td>", 6) == 0) {
			snprintf(want, sizeof(want), "<li><strong>%s</strong>: "
			    "nothing listed</li>", name);
			assert_true(contains(gaps, want));
			zeros++;
		}
	}
	/* The demo directory leaves some categories empty there. */
	assert_true(zeros > 0);
	resp_free(&r);
}

static void
test_area_bad_input(void **state)
{
	struct resp	r;

	(void)state;
	r = http_get("/areas/" PRACTICE "?radius=7");
	assert_status(&r, 400);
	assert_true(contains(r.body, "href=\"#radius\">Choose a distance "
	    "from the list"));
	assert_true(contains(r.body, "Services within 1 km ("));
	resp_free(&r);
	r = http_get("/areas/NOSUCH1");
	assert_status(&r, 404);
	resp_free(&r);
	r = http_get("/areas/%3Cscript%3E");
	assert_status(&r, 404);
	assert_null(strstr(r.body, "<script>"));
	resp_free(&r);
	r = http_get("/areas?council=%3Cb%3E");
	assert_status(&r, 400);
	assert_true(contains(r.body, "Choose a council area from the list"));
	assert_null(strstr(r.body, "<b>"));
	resp_free(&r);
	r = http_get("/areas?sort=worst");
	assert_status(&r, 400);
	resp_free(&r);
}

static void
test_areas_council_filter_and_order(void **state)
{
	struct resp	 r;
	const char	*p;
	char		 n[32];
	int		 rows = 0, gaps, last = 1000;

	(void)state;
	r = http_get("/areas?council=S12000039");
	assert_status(&r, 200);
	sql_str("SELECT count(*) FROM practice"
	    " WHERE council_area_code = 'S12000039'", 0, NULL, n, sizeof(n));
	assert_true(atoi(n) > 5);
	for (p = r.body; (p = strstr(p, "<td>West Dunbartonshire</td><td>"))
	    != NULL; p++) {
		gaps = atoi(p + strlen("<td>West Dunbartonshire</td><td>"));
		/* Least covered first. */
		assert_true(gaps <= last);
		last = gaps;
		rows++;
	}
	assert_int_equal(rows, atoi(n));
	assert_null(strstr(r.body, "<td>Glasgow City</td>"));
	resp_free(&r);
}

static void
test_area_exports_hold_the_same_list(void **state)
{
	struct resp	 r;
	cJSON		*j, *f, *ft;
	const char	*p;
	int		 page_n, rows = 0;

	(void)state;
	r = http_get("/areas/" PRACTICE "?radius=2");
	assert_status(&r, 200);
	page_n = listed(r.body, "2");
	assert_true(contains(r.body, "/areas/" PRACTICE "/services.csv?"
	    "radius=2"));
	resp_free(&r);

	r = http_get("/areas/" PRACTICE "/services.csv?radius=2");
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Content-Type", "text/csv"));
	assert_true(header_starts(&r, "Content-Disposition", "attachment"));
	assert_true(strncmp(r.body, "service_id,name,categories,distance_m,"
	    "latitude,longitude\r\n", 57) == 0);
	/* Coordinates are numbers, not text behind a formula guard, and
	 * six decimals at most. */
	if (strstr(r.body, "\"'-") != NULL || strstr(r.body, ",-4.") == NULL ||
	    strstr(r.body, ",55.") == NULL)
		fail_msg("coordinates are not plain numbers:\n%.600s", r.body);
	{
		const char	*q = strstr(r.body, ",-4.");
		size_t		 dec = strspn(q + 4, "0123456789");

		if (dec < 1 || dec > 6)
			fail_msg("%zu decimals in %.20s", dec, q + 1);
	}
	for (p = r.body; (p = strstr(p, "\r\n")) != NULL; p += 2)
		rows++;
	assert_int_equal(rows - 1, page_n);
	/* Cacheable, and asked again with its ETag: 304. */
	{
		char		 etag[80], inm[100];
		const char	*h[2] = { inm, NULL };
		struct resp	 again;

		assert_true(header_starts(&r, "Cache-Control", "public"));
		assert_int_equal(resp_header(&r, "ETag", etag, sizeof(etag)), 0);
		snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
		(void)http_do(&again, NULL, "/areas/" PRACTICE
		    "/services.csv?radius=2", NULL, 0, h);
		assert_status(&again, 304);
		resp_free(&again);
	}
	resp_free(&r);

	r = http_get("/areas/" PRACTICE "/services.geojson?radius=2");
	assert_status(&r, 200);
	assert_true(header_starts(&r, "Content-Type", "application/geo+json"));
	assert_non_null(j = cJSON_Parse(r.body));
	assert_string_equal(cJSON_GetObjectItem(j, "type")->valuestring,
	    "FeatureCollection");
	f = cJSON_GetObjectItem(j, "features");
	assert_int_equal(cJSON_GetArraySize(f), page_n);
	cJSON_ArrayForEach(ft, f) {
		cJSON	*pp = cJSON_GetObjectItem(ft, "properties");
		cJSON	*co = cJSON_GetObjectItem(cJSON_GetObjectItem(ft,
		    "geometry"), "coordinates");

		assert_true(cJSON_GetNumberValue(cJSON_GetObjectItem(pp,
		    "distance_m")) <= 2000);
		/* Longitude first; Glasgow is west of Greenwich. */
		assert_true(cJSON_GetNumberValue(cJSON_GetArrayItem(co, 0)) <
		    -4);
		assert_true(cJSON_GetNumberValue(cJSON_GetArrayItem(co, 1)) >
		    55);
		/* One shape everywhere: an array, as the feed has it. */
		if (!cJSON_IsArray(cJSON_GetObjectItem(pp, "categories")))
			fail_msg("categories is not an array");
	}
	cJSON_Delete(j);
	resp_free(&r);

	r = http_get("/areas/" PRACTICE "/services.geojson?radius=3");
	assert_status(&r, 400);
	assert_true(header_starts(&r, "Content-Type",
	    "application/problem+json"));
	resp_free(&r);

	r = http_get("/areas.csv");
	assert_status(&r, 200);
	assert_true(contains(r.body, "practice_code,name,postcode,"
	    "council_area,"));
	assert_true(contains(r.body, "\"" PRACTICE "\",\"Queens Park "
	    "Medical Practice\",\"G42 8QD\",\"Glasgow City\","));
	resp_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		 test_area_distances_are_within_the_radius_and_nearest_first),
		cmocka_unit_test(test_area_gaps_match_the_category_table),
		cmocka_unit_test(test_area_bad_input),
		cmocka_unit_test(test_areas_council_filter_and_order),
		cmocka_unit_test(test_area_exports_hold_the_same_list),
	};

	return (RUN_TESTS("areas", tests));
}
