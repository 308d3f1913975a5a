/*
 * Integration tests for / and /search against the real server: the
 * radius cut-off and the order checked against geodesic distances this
 * file computes itself (Vincenty's inverse formula on WGS84, from the
 * latitudes and longitudes of real Code-Point Open postcodes), each
 * filter alone and combined, service-area matches, escaping, typos,
 * synonyms and weighting, stale listings, paging, the map data and bad
 * input.  Every test makes its own services, named with a random token,
 * and searches for that token so that other rows (demo data, other
 * tests) cannot change the answer.
 */
#include <math.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SEARCH_POSTCODE	"G12 8QQ"

static char	run_token[16];

/* A token unique to this run and test: lower-case letters only. */
static void
new_token(char *out, size_t len)
{
	static unsigned int	seq;
	unsigned int		v;
	size_t			i;

	if (run_token[0] == '\0') {
		v = (unsigned int)time(NULL) ^ ((unsigned int)getpid() << 8);
		for (i = 0; i < 6; i++, v /= 26)
			run_token[i] = (char)('a' + v % 26);
		run_token[i] = '\0';
	}
	v = ++seq;
	snprintf(out, len, "zq%.6s", run_token);
	for (i = strlen(out); i < len - 1 && i < 12; i++, v /= 26)
		out[i] = (char)('a' + v % 26);
	out[i] = '\0';
}

/*
 * Vincenty (1975) inverse on WGS84, metres.  Independent of the server,
 * which uses PROJ (Karney) and its own chord formula in SQL.
 */
static double
vincenty(double lat1, double lon1, double lat2, double lon2)
{
	const double	a = 6378137.0, f = 1 / 298.257223563;
	const double	b = a * (1 - f), rad = M_PI / 180;
	double		L, U1, U2, sinU1, cosU1, sinU2, cosU2, lambda, lp;
	double		sinl, cosl, sins, coss, sigma, sina, cos2a, c2sm, C;
	double		u2, A, B, ds;
	int		i;

	L = (lon2 - lon1) * rad;
	U1 = atan((1 - f) * tan(lat1 * rad));
	U2 = atan((1 - f) * tan(lat2 * rad));
	sinU1 = sin(U1);
	cosU1 = cos(U1);
	sinU2 = sin(U2);
	cosU2 = cos(U2);
	lambda = L;
	for (i = 0; i < 200; i++) {
		sinl = sin(lambda);
		cosl = cos(lambda);
		sins = sqrt(pow(cosU2 * sinl, 2) +
		    pow(cosU1 * sinU2 - sinU1 * cosU2 * cosl, 2));
		if (sins == 0)
			return (0);
		coss = sinU1 * sinU2 + cosU1 * cosU2 * cosl;
		sigma = atan2(sins, coss);
		sina = cosU1 * cosU2 * sinl / sins;
		cos2a = 1 - sina * sina;
		c2sm = cos2a != 0 ? coss - 2 * sinU1 * sinU2 / cos2a : 0;
		C = f / 16 * cos2a * (4 + f * (4 - 3 * cos2a));
		lp = lambda;
		lambda = L + (1 - C) * f * sina * (sigma + C * sins *
		    (c2sm + C * coss * (-1 + 2 * c2sm * c2sm)));
		if (fabs(lambda - lp) < 1e-13)
			break;
	}
	u2 = cos2a * (a * a - b * b) / (b * b);
	A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
	B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
	ds = B * sins * (c2sm + B / 4 * (coss * (-1 + 2 * c2sm * c2sm) -
	    B / 6 * c2sm * (-3 + 4 * sins * sins) * (-3 + 4 * c2sm * c2sm)));
	return (b * A * (sigma - ds));
}

static void
postcode_latlon(const char *pc, double *lat, double *lon)
{
	const char *const	 p[] = { pc };
	PGresult		*r;

	r = test_sql("SELECT latitude, longitude FROM postcode "
	    "WHERE postcode = $1", 1, p);
	assert_int_equal(PQntuples(r), 1);
	*lat = strtod(PQgetvalue(r, 0, 0), NULL);
	*lon = strtod(PQgetvalue(r, 0, 1), NULL);
	PQclear(r);
}

/*
 * A service with one venue at the centroid of a postcode; set is an
 * optional "col = value, ..." for the service row (test constants only).
 * Returns the id in id[37].
 */
static void
mk_service(char id[37], const char *name, const char *postcode,
    const char *set)
{
	const char *const	 p[] = { name, postcode };
	PGresult		*r;
	char			 sql[2048];

	r = test_sql("WITH o AS (INSERT INTO organization (name) "
	    " VALUES ('Org of ' || $1) RETURNING id),"
	    " s AS (INSERT INTO service (organization_id, name, description)"
	    " SELECT o.id, $1, 'A test listing.' FROM o RETURNING id),"
	    " l AS (INSERT INTO location (name, latitude, longitude, grid,"
	    " postal_code) SELECT 'Hall for ' || $1, latitude, longitude,"
	    " grid, postcode FROM postcode WHERE postcode = $2 RETURNING id),"
	    " sal AS (INSERT INTO service_at_location (service_id,"
	    " location_id) SELECT s.id, l.id FROM s, l RETURNING service_id)"
	    " SELECT service_id FROM sal", 2, p);
	assert_int_equal(PQntuples(r), 1);
	snprintf(id, 37, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	if (set != NULL) {
		const char *const	q[] = { id };

		snprintf(sql, sizeof(sql), "UPDATE service SET %s WHERE id = $1",
		    set);
		PQclear(test_sql(sql, 1, q));
	}
}

static void
sql1(const char *sql, const char *a)
{
	const char *const	p[] = { a };

	PQclear(test_sql(sql, 1, p));
}

static struct resp
search(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct resp
search(const char *fmt, ...)
{
	char	path[4096];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return (http_get(path));
}

/* The result ids on a page, in order; returns the count. */
static int
result_ids(const char *body, char ids[][37], int max)
{
	const char	*p = body;
	int		 n = 0;

	while ((p = strstr(p, "class=\"result\" id=\"r-")) != NULL &&
	    n < max) {
		p += strlen("class=\"result\" id=\"r-");
		snprintf(ids[n++], 37, "%.36s", p);
	}
	return (n);
}

static int
index_of(char ids[][37], int n, const char *id)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return (i);
	return (-1);
}

/* The HTML of one result item, copied. */
static char *
result_html(const char *body, const char *id)
{
	char		 key[64];
	const char	*s, *e;
	char		*out;

	snprintf(key, sizeof(key), "id=\"r-%s\"", id);
	if ((s = strstr(body, key)) == NULL)
		return (NULL);
	/* Items hold no lists of their own: the first </li> ends one. */
	if ((e = strstr(s, "</li>")) == NULL)
		e = s + strlen(s);
	out = strndup(s, (size_t)(e - s));
	assert_non_null(out);
	return (out);
}

/*
 * The radius is a true distance: postcodes around the 10 km circle are
 * listed exactly when Vincenty puts them within 10 000 m, including those
 * whose grid distance says otherwise (grid metres are about 0.99985 true
 * metres around Glasgow: 1.5 m in 10 km).
 */
static void
test_search_radius_cutoff_is_geodesic(void **state)
{
	PGresult	*r;
	char		 tok[16], name[64], ids[64][37], got[400][37];
	char		 pcs[64][10];
	double		 clat, clon, d[64], lat, lon, grid;
	int		 i, n, k, found, inside, outside, trap = 0, pass;
	struct resp	 res;

	(void)state;
	new_token(tok, sizeof(tok));
	postcode_latlon(SEARCH_POSTCODE, &clat, &clon);
	/* Candidates nearest the circle by grid distance; Vincenty decides. */
	r = test_sql("SELECT p.postcode, p.latitude, p.longitude,"
	    " p.grid <-> c.grid FROM postcode p,"
	    " (SELECT grid FROM postcode WHERE postcode = 'G12 8QQ') c"
	    " WHERE p.grid <@ circle(c.grid, 10010)"
	    " AND p.grid <-> c.grid > 9990"
	    " ORDER BY abs((p.grid <-> c.grid) - 9999.2) LIMIT 64", 0, NULL);
	n = 0;
	for (i = 0; i < PQntuples(r) && n < 64; i++) {
		lat = strtod(PQgetvalue(r, i, 1), NULL);
		lon = strtod(PQgetvalue(r, i, 2), NULL);
		grid = strtod(PQgetvalue(r, i, 3), NULL);
		d[n] = vincenty(clat, clon, lat, lon);
		/* Stay clear of the last millimetre, which no test can judge. */
		if (fabs(d[n] - 10000) < 0.002)
			continue;
		if (grid <= 10000 && d[n] > 10000)
			trap++;
		snprintf(pcs[n], sizeof(pcs[n]), "%s", PQgetvalue(r, i, 0));
		n++;
	}
	PQclear(r);
	assert_true(n >= 10);
	assert_true(trap >= 1);	/* the case a grid-only filter gets wrong */
	/*
	 * Filed under a category nothing else uses, so that a search with
	 * no keywords (read from the places nearest, not the text index)
	 * can be checked too.
	 */
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "Ring %d %s", i, tok);
		mk_service(ids[i], name, pcs[i], NULL);
		sql1("INSERT INTO service_taxonomy (service_id,"
		    " taxonomy_term_id) VALUES ($1,"
		    " md5('aliss-category-12')::uuid)", ids[i]);
	}
	for (pass = 0; pass < 2; pass++) {
		for (i = 1; ; i++) {
			if (pass == 0)
				res = search("/search?postcode=G12+8QQ&radius=10"
				    "&q=%s&page=%d", tok, i);
			else
				res = search("/search?postcode=G12+8QQ&radius=10"
				    "&category=body-dysmorphic-disorder&page=%d",
				    i);
			assert_status(&res, 200);
			k = result_ids(res.body, got + (i - 1) * 20, 20);
			resp_free(&res);
			if (k < 20 || i == 20)
				break;
		}
		k += (i - 1) * 20;
		inside = outside = 0;
		for (i = 0; i < n; i++) {
			found = index_of(got, k, ids[i]) != -1;
			if (d[i] <= 10000) {
				inside++;
				if (!found)
					fail_msg("pass %d: %s at %.4f m is "
					    "missing", pass, pcs[i], d[i]);
			} else {
				outside++;
				if (found)
					fail_msg("pass %d: %s at %.4f m is "
					    "listed", pass, pcs[i], d[i]);
			}
		}
		assert_true(inside > 0 && outside > 0);
	}
}

/* Nearest first, with the distance each one is shown at. */
static void
test_search_orders_by_distance(void **state)
{
	static const char *const pcs[] = { "G12 8QQ", "G11 5LN", "G20 7QF",
	    "G3 6NE", "G12 0XE", "G1 1XQ", "G13 1HB" };
	PGresult	*r;
	char		 tok[16], name[64], ids[8][37], got[64][37], want[64];
	char		*html;
	double		 clat, clon, lat, lon, d[8];
	int		 i, j, n = 0, k, order[8], t;
	struct resp	 res;

	(void)state;
	new_token(tok, sizeof(tok));
	postcode_latlon(SEARCH_POSTCODE, &clat, &clon);
	for (i = 0; i < (int)(sizeof(pcs) / sizeof(pcs[0])); i++) {
		const char *const p[] = { pcs[i] };

		r = test_sql("SELECT latitude, longitude FROM postcode "
		    "WHERE postcode = $1", 1, p);
		if (PQntuples(r) != 1) {
			PQclear(r);
			continue;
		}
		lat = strtod(PQgetvalue(r, 0, 0), NULL);
		lon = strtod(PQgetvalue(r, 0, 1), NULL);
		PQclear(r);
		d[n] = vincenty(clat, clon, lat, lon);
		snprintf(name, sizeof(name), "Order %d %s", i, tok);
		mk_service(ids[n], name, pcs[i], NULL);
		order[n] = n;
		n++;
	}
	assert_true(n >= 5);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && d[order[j]] < d[order[j - 1]]; j--) {
			t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	res = search("/search?postcode=G12+8QQ&radius=10&q=%s", tok);
	assert_status(&res, 200);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, n);
	for (i = 0; i < n; i++) {
		assert_string_equal(got[i], ids[order[i]]);
		html = result_html(res.body, ids[order[i]]);
		/* The page's rounding: 10 m steps below 950 m, then 0.1 km. */
		if (d[order[i]] < 950)
			snprintf(want, sizeof(want), "> %d m",
			    (int)(d[order[i]] / 10 + 0.5) * 10);
		else
			snprintf(want, sizeof(want), "> %ld.%ld km",
			    lround(d[order[i]] / 100) / 10,
			    lround(d[order[i]] / 100) % 10);
		if (strstr(html, want) == NULL)
			fail_msg("%s: want \"%s\" in %s", ids[order[i]], want,
			    html);
		free(html);
	}
	resp_free(&res);
}

struct fx {
	char	free_[37], adult[37], selfref[37], walk[37], cat[37];
	char	tue[37], eve[37], access[37], all[37], plain[37];
};

/*
 * One service per filter, each matching only its own filter, and one
 * ("all") that matches every filter, all at the same place.
 */
static void
filter_fixtures(struct fx *x, const char *tok, const char *pc)
{
	char	name[96];

	snprintf(name, sizeof(name), "Free %s", tok);
	mk_service(x->free_, name, pc, "is_free = true");
	snprintf(name, sizeof(name), "Adults %s", tok);
	mk_service(x->adult, name, pc,
	    "minimum_age = 18, maximum_age = 64");
	snprintf(name, sizeof(name), "Selfref %s", tok);
	mk_service(x->selfref, name, pc, "self_referral = true");
	snprintf(name, sizeof(name), "Walk %s", tok);
	mk_service(x->walk, name, pc, "kind = 'walking_group'");
	snprintf(name, sizeof(name), "Category %s", tok);
	mk_service(x->cat, name, pc, NULL);
	snprintf(name, sizeof(name), "Tuesday %s", tok);
	mk_service(x->tue, name, pc, NULL);
	snprintf(name, sizeof(name), "Evening %s", tok);
	mk_service(x->eve, name, pc, NULL);
	snprintf(name, sizeof(name), "Access %s", tok);
	mk_service(x->access, name, pc, NULL);
	snprintf(name, sizeof(name), "Everything %s", tok);
	mk_service(x->all, name, pc, "is_free = true, minimum_age = 18,"
	    " maximum_age = 64, self_referral = true, kind = 'walking_group'");
	snprintf(name, sizeof(name), "Plain %s", tok);
	mk_service(x->plain, name, pc, "minimum_age = 70");

	/* Depression is under Mental Health Issues: a child category. */
	sql1("INSERT INTO service_taxonomy (service_id, taxonomy_term_id)"
	    " VALUES ($1, md5('aliss-category-5')::uuid)", x->cat);
	sql1("INSERT INTO service_taxonomy (service_id, taxonomy_term_id)"
	    " VALUES ($1, md5('aliss-category-5')::uuid)", x->all);
	sql1("INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    " closes_at) VALUES ($1, 'WEEKLY', 'TU', '10:00', '11:30')",
	    x->tue);
	sql1("INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    " closes_at) VALUES ($1, 'WEEKLY', 'TH', '18:30', '20:00')",
	    x->eve);
	sql1("INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    " closes_at) VALUES ($1, 'WEEKLY', 'MO,TU', '18:00', '19:00')",
	    x->all);
	sql1("INSERT INTO accessibility (location_id, description)"
	    " SELECT location_id, 'Hearing loop' FROM service_at_location"
	    " WHERE service_id = $1", x->access);
	sql1("INSERT INTO accessibility (location_id, description)"
	    " SELECT location_id, 'Hearing loop' FROM service_at_location"
	    " WHERE service_id = $1", x->all);
}

/*
 * Exactly the services in want (NULL-terminated) are listed, searching
 * around pc with the token as keyword (q) or without keywords.
 */
static void
expect_set(const char *query, const char *tok, const char *pc, int q,
    const char *const *want, const char *const *all)
{
	struct resp	 res;
	char		 got[64][37], pcq[16];
	int		 k, i, in;
	const char *const *w;
	size_t		 j;

	snprintf(pcq, sizeof(pcq), "%s", pc);
	for (j = 0; pcq[j] != '\0'; j++)
		if (pcq[j] == ' ')
			pcq[j] = '+';
	if (q)
		res = search("/search?postcode=%s&radius=5&q=%s%s", pcq, tok,
		    query);
	else
		res = search("/search?postcode=%s&radius=0.5%s", pcq, query);
	if (res.status != 200)
		fail_msg("%s: status %ld", query, res.status);
	k = result_ids(res.body, got, 64);
	for (i = 0; all[i] != NULL; i++) {
		in = 0;
		for (w = want; *w != NULL; w++)
			if (strcmp(*w, all[i]) == 0)
				in = 1;
		if (in != (index_of(got, k, all[i]) != -1))
			fail_msg("%s (%s): service %d %s", query, q ? "keyword" :
			    "no keyword", i, in ? "missing" : "listed");
	}
	resp_free(&res);
}

static void
test_search_filters_alone_and_combined(void **state)
{
	struct fx	 x;
	char		 tok[16];
	int		 pass;

	(void)state;
	new_token(tok, sizeof(tok));
	/*
	 * Far from anything else, so that a search with no keywords lists
	 * these alone: the keyword search finds them from the text index
	 * first, the other from the places nearest, and both must filter
	 * the same.
	 */
	filter_fixtures(&x, tok, "ZE2 9AA");
#define EXPECT(query, want) \
	expect_set((query), tok, "ZE2 9AA", pass, (want), all)
	for (pass = 0; pass < 2; pass++) {
		const char *const all[] = { x.free_, x.adult, x.selfref,
		    x.walk, x.cat, x.tue, x.eve, x.access, x.all, x.plain,
		    NULL };
		const char *const w_none[] = { x.free_, x.adult, x.selfref,
		    x.walk, x.cat, x.tue, x.eve, x.access, x.all, x.plain,
		    NULL };
		const char *const w_free[] = { x.free_, x.all, NULL };
		/* Age 30: everything without a limit excluding 30. */
		const char *const w_age[] = { x.free_, x.adult, x.selfref,
		    x.walk, x.cat, x.tue, x.eve, x.access, x.all, NULL };
		const char *const w_age10[] = { x.free_, x.selfref, x.walk,
		    x.cat, x.tue, x.eve, x.access, NULL };
		const char *const w_self[] = { x.selfref, x.all, NULL };
		const char *const w_walk[] = { x.walk, x.all, NULL };
		const char *const w_cat[] = { x.cat, x.all, NULL };
		const char *const w_tue[] = { x.tue, x.all, NULL };
		const char *const w_eve[] = { x.eve, x.all, NULL };
		const char *const w_morn[] = { x.tue, NULL };
		const char *const w_tue_eve[] = { x.all, NULL };
		const char *const w_acc[] = { x.access, x.all, NULL };
		const char *const w_every[] = { x.all, NULL };
		const char *const w_nothing[] = { NULL };

		EXPECT("", w_none);
		EXPECT("&free=1", w_free);
		EXPECT("&age=30", w_age);
		EXPECT("&age=10", w_age10);
		EXPECT("&self=1", w_self);
		EXPECT("&walking=1", w_walk);
		/* The parent category finds services filed under a child. */
		EXPECT("&category=mental-health", w_cat);
		EXPECT("&category=depression", w_cat);
		EXPECT("&day=tue", w_tue);
		EXPECT("&time=evening", w_eve);
		EXPECT("&time=morning", w_morn);
		EXPECT("&day=tue&time=evening", w_tue_eve);
		EXPECT("&access=Hearing+loop", w_acc);
		EXPECT("&free=1&age=30&self=1&walking=1"
		    "&category=mental-health&day=tue&time=evening"
		    "&access=Hearing+loop", w_every);
		/* AND, not OR: two filters no single service meets. */
		EXPECT("&free=1&day=thu", w_nothing);
	}
#undef EXPECT
}

/*
 * The same services and filters as above, but each covering the area of
 * the search (Shetland) from a venue far away: the pass over area-wide
 * services filters exactly as the one over places.
 */
static void
test_search_filters_area_wide(void **state)
{
	struct fx	 x;
	char		 tok[16];
	int		 pass = 1;

	(void)state;
	new_token(tok, sizeof(tok));
	filter_fixtures(&x, tok, "EH1 1YZ");
	sql1("INSERT INTO service_area (service_id, area_code, area_kind)"
	    " SELECT s.id, p.council_area_code, 'council_area'"
	    " FROM service s, postcode p WHERE p.postcode = 'ZE2 9AA'"
	    " AND s.name LIKE '% ' || $1", tok);
#define EXPECT(query, want) \
	expect_set((query), tok, "ZE2 9AA", pass, (want), all)
	{
		const char *const all[] = { x.free_, x.adult, x.selfref,
		    x.walk, x.cat, x.tue, x.eve, x.access, x.all, x.plain,
		    NULL };
		const char *const w_free[] = { x.free_, x.all, NULL };
		const char *const w_age[] = { x.free_, x.adult, x.selfref,
		    x.walk, x.cat, x.tue, x.eve, x.access, x.all, NULL };
		const char *const w_age10[] = { x.free_, x.selfref, x.walk,
		    x.cat, x.tue, x.eve, x.access, NULL };
		const char *const w_self[] = { x.selfref, x.all, NULL };
		const char *const w_walk[] = { x.walk, x.all, NULL };
		const char *const w_cat[] = { x.cat, x.all, NULL };
		const char *const w_tue[] = { x.tue, x.all, NULL };
		const char *const w_eve[] = { x.eve, x.all, NULL };
		const char *const w_morn[] = { x.tue, NULL };
		const char *const w_tue_eve[] = { x.all, NULL };
		const char *const w_acc[] = { x.access, x.all, NULL };
		const char *const w_every[] = { x.all, NULL };
		const char *const w_nothing[] = { NULL };

		EXPECT("", all);
		EXPECT("&free=1", w_free);
		EXPECT("&age=30", w_age);
		EXPECT("&age=10", w_age10);
		EXPECT("&self=1", w_self);
		EXPECT("&walking=1", w_walk);
		EXPECT("&category=mental-health", w_cat);
		EXPECT("&category=depression", w_cat);
		EXPECT("&day=tue", w_tue);
		EXPECT("&time=evening", w_eve);
		EXPECT("&time=morning", w_morn);
		EXPECT("&day=tue&time=evening", w_tue_eve);
		EXPECT("&access=Hearing+loop", w_acc);
		EXPECT("&free=1&age=30&self=1&walking=1"
		    "&category=mental-health&day=tue&time=evening"
		    "&access=Hearing+loop", w_every);
		EXPECT("&free=1&day=thu", w_nothing);
	}
#undef EXPECT
}

/*
 * An area-wide service follows changes to its schedules, categories,
 * service row and areas at once, whichever comes first.
 */
static void
test_search_area_wide_follows_changes(void **state)
{
	char		 tok[16], name[96], id[37], got[64][37];
	struct resp	 res;

#define FOUND(query) (res = search("/search?postcode=ZE2+9AA&q=%s%s", \
	tok, (query)), index_of(got, result_ids(res.body, got, 64), id) != -1)
	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Roaming %s", tok);
	mk_service(id, name, "EH1 1YZ", NULL);
	assert_false(FOUND(""));
	resp_free(&res);
	sql1("INSERT INTO service_area (service_id, area_code, area_kind)"
	    " SELECT $1, council_area_code, 'council_area' FROM postcode"
	    " WHERE postcode = 'ZE2 9AA'", id);
	assert_true(FOUND(""));
	resp_free(&res);
	assert_false(FOUND("&day=wed"));
	resp_free(&res);
	sql1("INSERT INTO schedule (service_id, freq, byday, opens_at,"
	    " closes_at) VALUES ($1, 'WEEKLY', 'WE', '13:00', '15:00')", id);
	assert_true(FOUND("&day=wed&time=afternoon"));
	resp_free(&res);
	assert_false(FOUND("&day=wed&time=morning"));
	resp_free(&res);
	sql1("UPDATE schedule SET byday = 'FR' WHERE service_id = $1", id);
	assert_false(FOUND("&day=wed"));
	resp_free(&res);
	assert_true(FOUND("&day=fri"));
	resp_free(&res);
	assert_false(FOUND("&category=money"));
	resp_free(&res);
	sql1("INSERT INTO service_taxonomy (service_id, taxonomy_term_id)"
	    " SELECT $1, id FROM taxonomy_term WHERE name = 'Money Advice'",
	    id);
	assert_true(FOUND("&category=money"));
	resp_free(&res);
	assert_false(FOUND("&free=1"));
	resp_free(&res);
	sql1("UPDATE service SET is_free = true WHERE id = $1", id);
	assert_true(FOUND("&free=1&category=money&day=fri"));
	resp_free(&res);
	sql1("UPDATE service SET status = 'inactive' WHERE id = $1", id);
	assert_false(FOUND(""));
	resp_free(&res);
	sql1("UPDATE service SET status = 'active' WHERE id = $1", id);
	assert_true(FOUND(""));
	resp_free(&res);
	/* The area moves to another council, then goes. */
	sql1("UPDATE service_area SET area_code = 'S12000036'"
	    " WHERE service_id = $1", id);
	assert_false(FOUND(""));
	resp_free(&res);
	sql1("UPDATE service_area SET area_code = (SELECT council_area_code"
	    " FROM postcode WHERE postcode = 'ZE2 9AA') WHERE service_id = $1",
	    id);
	assert_true(FOUND(""));
	resp_free(&res);
	sql1("DELETE FROM service_area WHERE service_id = $1", id);
	assert_false(FOUND(""));
	resp_free(&res);
#undef FOUND
}

/*
 * "Open now": a session running at this minute on today's date, and
 * not one on another day or at another time.
 */
static void
test_search_open_now(void **state)
{
	static const char *const codes[] = { "SU", "MO", "TU", "WE", "TH",
	    "FR", "SA" };
	char		 tok[16], name[64], now_id[37], other_day[37];
	char		 other_time[37], sql[512];
	time_t		 t = time(NULL);
	struct tm	 tm;
	struct resp	 res;
	char		 got[64][37];
	int		 k;

	(void)state;
	localtime_r(&t, &tm);	/* TZ is Europe/London, as the server's */
	/* Too close to midnight to make a window around now: skip. */
	if (tm.tm_hour == 23 && tm.tm_min >= 55)
		skip();
	if (tm.tm_hour == 0 && tm.tm_min < 5)
		skip();
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Open now %s", tok);
	mk_service(now_id, name, "ZE2 9AB", NULL);
	snprintf(name, sizeof(name), "Other day %s", tok);
	mk_service(other_day, name, "ZE2 9AB", NULL);
	snprintf(name, sizeof(name), "Other time %s", tok);
	mk_service(other_time, name, "ZE2 9AB", NULL);
	snprintf(sql, sizeof(sql), "INSERT INTO schedule (service_id, freq,"
	    " byday, opens_at, closes_at) VALUES ($1, 'WEEKLY', '%s',"
	    " localtime - interval '3 minutes', localtime + interval"
	    " '3 minutes')", codes[tm.tm_wday]);
	PQclear(test_sql("SET TIME ZONE 'Europe/London'", 0, NULL));
	sql1(sql, now_id);
	snprintf(sql, sizeof(sql), "INSERT INTO schedule (service_id, freq,"
	    " byday) VALUES ($1, 'WEEKLY', '%s')", codes[(tm.tm_wday + 1) % 7]);
	sql1(sql, other_day);
	snprintf(sql, sizeof(sql), "INSERT INTO schedule (service_id, freq,"
	    " byday, opens_at, closes_at) VALUES ($1, 'WEEKLY', '%s',"
	    " '00:00', localtime - interval '4 minutes')",
	    codes[tm.tm_wday]);
	sql1(sql, other_time);
	/* From the text index, and (no keywords) from the places nearest. */
	res = search("/search?postcode=ZE2+9AB&q=%s&open=1", tok);
	assert_status(&res, 200);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, 1);
	assert_string_equal(got[0], now_id);
	resp_free(&res);
	res = search("/search?postcode=ZE2+9AB&radius=0.5&open=1");
	assert_status(&res, 200);
	k = result_ids(res.body, got, 64);
	assert_int_not_equal(index_of(got, k, now_id), -1);
	assert_int_equal(index_of(got, k, other_day), -1);
	assert_int_equal(index_of(got, k, other_time), -1);
	resp_free(&res);
}

/*
 * A service whose area covers the postcode is listed after local ones,
 * labelled with the area, with no distance.
 */
static void
test_search_service_area_labelled_after_local(void **state)
{
	char		 tok[16], name[64], local[37], area[37], away[37];
	char		 got[64][37], *html;
	struct resp	 res;
	int		 k;

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Local %s", tok);
	mk_service(local, name, "G20 7QF", NULL);
	snprintf(name, sizeof(name), "Citywide %s", tok);
	mk_service(area, name, "EH1 1YZ", NULL);
	sql1("INSERT INTO service_area (service_id, area_code, area_kind)"
	    " VALUES ($1, 'S12000049', 'council_area')", area);
	/* Covers another council: not listed. */
	snprintf(name, sizeof(name), "Elsewhere %s", tok);
	mk_service(away, name, "EH1 1YZ", NULL);
	sql1("INSERT INTO service_area (service_id, area_code, area_kind)"
	    " VALUES ($1, 'S12000036', 'council_area')", away);

	res = search("/search?postcode=G12+8QQ&q=%s", tok);
	assert_status(&res, 200);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, 2);
	assert_string_equal(got[0], local);
	assert_string_equal(got[1], area);
	html = result_html(res.body, area);
	assert_non_null(strstr(html, "Covers Glasgow City"));
	assert_null(strstr(html, " km"));
	assert_null(strstr(html, "<dt>Distance</dt>"));
	free(html);
	assert_non_null(strstr(res.body, "Services that cover the area"));
	resp_free(&res);
}

/* Every field a listing supplies is text on the page, never markup. */
static void
test_search_escapes_every_field(void **state)
{
	const char *const	 evil = "<script>alert(1)</script>";
	char			 tok[16], name[96], id[37], set[512];
	struct resp		 res;
	char			*html;

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "%s \"q\" 'x' & %s", evil, tok);
	snprintf(set, sizeof(set), "cost_description = '%s £1',"
	    " eligibility_description = '%s adults'", evil, evil);
	mk_service(id, name, "G11 5LN", set);
	sql1("UPDATE organization SET name = '<b>Org</b><script>alert(2)"
	    "</script>' WHERE id = (SELECT organization_id FROM service"
	    " WHERE id = $1)", id);
	sql1("UPDATE location SET name = '<img src=x onerror=alert(3)>'"
	    " WHERE id = (SELECT location_id FROM service_at_location"
	    " WHERE service_id = $1)", id);
	res = search("/search?postcode=G12+8QQ&q=%s", tok);
	assert_status(&res, 200);
	html = result_html(res.body, id);
	assert_non_null(html);
	assert_null(strstr(res.body, "<script>alert"));
	assert_null(strstr(res.body, "<img src=x"));
	assert_null(strstr(res.body, "<b>Org"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt; "
	    "&quot;q&quot; &#39;x&#39; &amp; "));
	assert_non_null(strstr(html, "&lt;b&gt;Org&lt;/b&gt;"));
	assert_non_null(strstr(html, "&lt;img src=x onerror=alert(3)&gt;"));
	free(html);
	/* The map's JSON block cannot be closed early either. */
	assert_null(strstr(res.body, "</script>\"") );
	resp_free(&res);
	/* The query itself, shown back in the form and in links. */
	res = search("/search?postcode=G12+8QQ&q=%%22%%3E%%3Cscript%%3E%s", tok);
	assert_status(&res, 200);
	assert_null(strstr(res.body, "\"><script>"));
	assert_non_null(strstr(res.body, "&quot;&gt;&lt;script&gt;"));
	resp_free(&res);
}

/* "welbeing" and "fodbank" are corrected, and the page says so. */
static void
test_search_corrects_typos(void **state)
{
	char		 tok[16], name[96], well[37], food[37], got[64][37];
	struct resp	 res;
	int		 k;

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Wellbeing cafe %s", tok);
	mk_service(well, name, "G11 5LN", NULL);
	snprintf(name, sizeof(name), "Community food bank %s", tok);
	mk_service(food, name, "G11 5LN", NULL);

	res = search("/search?postcode=G12+8QQ&q=welbeing+%s", tok);
	assert_status(&res, 200);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, 1);
	assert_string_equal(got[0], well);
	assert_non_null(strstr(res.body, "Showing results for <strong>"
	    "wellbeing"));
	resp_free(&res);

	/* fodbank -> foodbank, a synonym of "food bank". */
	res = search("/search?postcode=G12+8QQ&q=fodbank+%s", tok);
	assert_status(&res, 200);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, 1);
	assert_string_equal(got[0], food);
	resp_free(&res);

	/* A correctly spelt word is left alone. */
	res = search("/search?postcode=G12+8QQ&q=wellbeing+%s", tok);
	assert_null(strstr(res.body, "Showing results for"));
	resp_free(&res);
}

static void
expect_found(const char *q, const char *tok, const char *id)
{
	struct resp	res;
	char		got[64][37];
	int		k;

	res = search("/search?postcode=G12+8QQ&q=%s+%s", q, tok);
	assert_status(&res, 200);
	k = result_ids(res.body, got, 64);
	if (index_of(got, k, id) == -1)
		fail_msg("\"%s\" did not find the service", q);
	resp_free(&res);
}

static void
test_search_synonyms(void **state)
{
	char	tok[16], name[96], money[37], food[37], walk[37], bef[37];

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Money advice %s", tok);
	mk_service(money, name, "G11 5LN", NULL);
	snprintf(name, sizeof(name), "Food parcel drop %s", tok);
	mk_service(food, name, "G11 5LN", NULL);
	snprintf(name, sizeof(name), "Health walk %s", tok);
	mk_service(walk, name, "G11 5LN", NULL);
	snprintf(name, sizeof(name), "Befriending %s", tok);
	mk_service(bef, name, "G11 5LN", NULL);

	expect_found("debt", tok, money);
	expect_found("benefits", tok, money);
	expect_found("food+bank", tok, food);
	expect_found("foodbank", tok, food);
	expect_found("walking", tok, walk);
	expect_found("walk", tok, walk);
	expect_found("lonely", tok, bef);
	expect_found("social", tok, bef);
	expect_found("isolation", tok, bef);
}

/*
 * Relevance: a word in the name beats it in a category, which beats it
 * in the description, whatever the distances.
 */
static void
test_search_weights_name_over_category_over_description(void **state)
{
	char	tok[16], name[96], inname[37], incat[37], indesc[37];
	char	got[64][37];
	struct resp res;
	int	k;

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Fertility group %s", tok);
	mk_service(inname, name, "G13 1HB", NULL);
	snprintf(name, sizeof(name), "Tuesday group %s", tok);
	mk_service(incat, name, "G3 6NE", NULL);
	sql1("INSERT INTO service_taxonomy (service_id, taxonomy_term_id)"
	    " VALUES ($1, md5('aliss-category-24')::uuid)", incat);
	snprintf(name, sizeof(name), "Thursday group %s", tok);
	mk_service(indesc, name, "G12 8QQ", "description = 'We talk about "
	    "fertility and more.'");
	res = search("/search?postcode=G12+8QQ&q=fertility+%s&sort=relevance"
	    "&radius=10", tok);
	assert_status(&res, 200);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, 3);
	assert_string_equal(got[0], inname);
	assert_string_equal(got[1], incat);
	assert_string_equal(got[2], indesc);
	resp_free(&res);
	/* By distance (the default) the nearest comes first. */
	res = search("/search?postcode=G12+8QQ&q=fertility+%s&radius=10", tok);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, 3);
	assert_string_equal(got[0], indesc);
	resp_free(&res);
}

/* Past its review date: after current ones, badged, still listed. */
static void
test_search_stale_listed_after_current(void **state)
{
	char	tok[16], name[96], stale[37], current[37], got[64][37];
	char	*html;
	struct resp res;
	int	k;

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Old %s", tok);
	mk_service(stale, name, "G12 8QQ", "last_reviewed = current_date - 400,"
	    " review_due = current_date - 35");
	snprintf(name, sizeof(name), "Current %s", tok);
	mk_service(current, name, "G13 1HB", "last_reviewed = current_date - 10,"
	    " review_due = current_date + 355");
	res = search("/search?postcode=G12+8QQ&q=%s&radius=10", tok);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, 2);
	assert_string_equal(got[0], current);
	assert_string_equal(got[1], stale);
	html = result_html(res.body, stale);
	assert_non_null(strstr(html, "Needs checking"));
	free(html);
	html = result_html(res.body, current);
	assert_non_null(strstr(html, "Checked "));
	assert_null(strstr(html, "Needs checking"));
	free(html);
	resp_free(&res);
}

static void
test_search_pages_of_twenty_keep_the_query(void **state)
{
	char	tok[16], name[96], id[37], got[64][37], ids1[64][37];
	struct resp res;
	int	i, k, k1;

	(void)state;
	new_token(tok, sizeof(tok));
	for (i = 0; i < 23; i++) {
		snprintf(name, sizeof(name), "Paged %02d %s", i, tok);
		mk_service(id, name, "G11 5LN", "is_free = true");
	}
	res = search("/search?postcode=G12+8QQ&q=%s&free=1&ids="
	    "00000000-0000-0000-0000-000000000001", tok);
	assert_status(&res, 200);
	k1 = result_ids(res.body, ids1, 64);
	assert_int_equal(k1, 20);
	assert_non_null(strstr(res.body, "<strong>23</strong> services"));
	assert_non_null(strstr(res.body, "Page 1 of 2"));
	/* The next link keeps every parameter, and the shortlist. */
	{
		char	want[256];

		snprintf(want, sizeof(want), "href=\"/search?postcode=G12%%208QQ"
		    "&amp;q=%s&amp;free=1&amp;page=2&amp;ids=00000000-0000-"
		    "0000-0000-000000000001\"", tok);
		if (strstr(res.body, want) == NULL)
			fail_msg("no next link %s", want);
	}
	resp_free(&res);
	res = search("/search?postcode=G12+8QQ&q=%s&free=1&page=2", tok);
	k = result_ids(res.body, got, 64);
	assert_int_equal(k, 3);
	for (i = 0; i < k; i++)
		assert_int_equal(index_of(ids1, k1, got[i]), -1);
	resp_free(&res);
}

static void
test_search_demo_badge_and_map_data(void **state)
{
	char	 tok[16], name[96], id[37], *html, *s, *e, *json;
	struct resp res;
	cJSON	*o, *items, *it;
	int	 found = 0;

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Demo </script> %s", tok);
	mk_service(id, name, "G11 5LN", "is_demo = true");
	res = search("/search?postcode=G12+8QQ&q=%s", tok);
	/*
	 * Unflag it before asserting: test_demo checks every demo row is
	 * one load-demo wrote, whatever order the tests run in.
	 */
	sql1("UPDATE service SET is_demo = false WHERE id = $1", id);
	assert_status(&res, 200);
	html = result_html(res.body, id);
	assert_non_null(strstr(html, "Demo listing"));
	free(html);
	/* The map data is a JSON block (no inline script), and valid. */
	s = strstr(res.body, "<script type=\"application/json\" "
	    "id=\"results-map-data\">");
	assert_non_null(s);
	s = strchr(s, '>') + 1;
	e = strstr(s, "</script>");
	assert_non_null(e);
	json = strndup(s, (size_t)(e - s));
	o = cJSON_Parse(json);
	assert_non_null(o);
	items = cJSON_GetObjectItem(o, "items");
	cJSON_ArrayForEach(it, items)
		if (strcmp(cJSON_GetObjectItem(it, "id")->valuestring, id) == 0 &&
		    strstr(cJSON_GetObjectItem(it, "name")->valuestring,
		    "</script>") != NULL)
			found = 1;
	assert_true(found);
	assert_non_null(strstr(res.body, "data-tile-url=\""));
	/*
	 * Leaflet is not in the page's head: map.js loads it once the page
	 * is idle (its versioned URL given), so the list is readable first.
	 */
	if (strstr(res.body, "leaflet.js?v=") == NULL ||
	    strstr(res.body, "data-leaflet=\"/assets/leaflet/leaflet.js?v=")
	    == NULL || strstr(res.body, "<script src=\"/assets/leaflet/") !=
	    NULL)
		fail_msg("Leaflet is loaded before the list:\n%.3000s",
		    res.body);
	cJSON_Delete(o);
	free(json);
	resp_free(&res);
}

/* "Use my location": the same search from a latitude and longitude. */
static void
test_search_by_position(void **state)
{
	char	tok[16], name[96], id[37], got[64][37];
	double	lat, lon;
	struct resp res;

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Near me %s", tok);
	mk_service(id, name, "G11 5LN", NULL);
	postcode_latlon(SEARCH_POSTCODE, &lat, &lon);
	res = search("/search?lat=%.6f&lon=%.6f&q=%s", lat, lon, tok);
	assert_status(&res, 200);
	assert_int_equal(result_ids(res.body, got, 64), 1);
	assert_string_equal(got[0], id);
	assert_non_null(strstr(res.body, "near your location"));
	resp_free(&res);
	/* Paris is not in Great Britain. */
	res = search("/search?lat=48.8566&lon=2.3522&q=%s", tok);
	assert_status(&res, 400);
	assert_non_null(strstr(res.body, "error-summary"));
	resp_free(&res);
	res = search("/search?lat=abc&lon=-4.2");
	assert_status(&res, 400);
	resp_free(&res);
}

/*
 * The search reads a table kept by triggers: changes to a service, its
 * venue and its links show at once.
 */
static void
test_search_follows_changes(void **state)
{
	char	 tok[16], name[96], id[37], got[64][37];
	struct resp res;

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Moving %s", tok);
	mk_service(id, name, "ZE2 9AD", NULL);
	res = search("/search?postcode=ZE2+9AD&radius=0.5&free=1");
	assert_int_equal(index_of(got, result_ids(res.body, got, 64), id), -1);
	resp_free(&res);
	sql1("UPDATE service SET is_free = true WHERE id = $1", id);
	res = search("/search?postcode=ZE2+9AD&radius=0.5&free=1");
	assert_int_not_equal(index_of(got, result_ids(res.body, got, 64), id),
	    -1);
	resp_free(&res);
	/* The venue moves to Edinburgh. */
	sql1("UPDATE location SET (latitude, longitude, grid) = (SELECT"
	    " latitude, longitude, grid FROM postcode WHERE postcode ="
	    " 'EH1 1YZ') WHERE id = (SELECT location_id FROM"
	    " service_at_location WHERE service_id = $1)", id);
	res = search("/search?postcode=ZE2+9AD&radius=0.5&free=1");
	assert_int_equal(index_of(got, result_ids(res.body, got, 64), id), -1);
	resp_free(&res);
	res = search("/search?postcode=EH1+1YZ&radius=0.5&q=%s", tok);
	assert_int_not_equal(index_of(got, result_ids(res.body, got, 64), id),
	    -1);
	resp_free(&res);
	/* And stops being held there. */
	sql1("DELETE FROM service_at_location WHERE service_id = $1", id);
	res = search("/search?postcode=EH1+1YZ&radius=0.5&q=%s", tok);
	assert_int_equal(index_of(got, result_ids(res.body, got, 64), id), -1);
	resp_free(&res);
}

/*
 * More matches than are read (SEARCH_CAP, 200): the nearest are listed,
 * the page says there are more, and paging stops there.
 */
static void
test_search_caps_a_crowded_search(void **state)
{
	char		 tok[16], name[64], id[37], got[64][37];
	struct resp	 res;
	PGresult	*r;
	const char	*p[1];

	(void)state;
	new_token(tok, sizeof(tok));
	snprintf(name, sizeof(name), "Crowd %s", tok);
	mk_service(id, name, "ZE2 9AE", NULL);
	/* 409 more at the same venue, in one statement. */
	p[0] = id;
	r = test_sql("WITH o AS (SELECT organization_id FROM service"
	    " WHERE id = $1),"
	    " s AS (INSERT INTO service (organization_id, name)"
	    " SELECT o.organization_id, 'Crowd ' || g FROM o,"
	    " generate_series(1, 409) g RETURNING id)"
	    " INSERT INTO service_at_location (service_id, location_id)"
	    " SELECT s.id, (SELECT location_id FROM service_at_location"
	    " WHERE service_id = $1) FROM s", 1, p);
	PQclear(r);
	res = search("/search?postcode=ZE2+9AE&radius=0.5");
	assert_status(&res, 200);
	assert_non_null(strstr(res.body, "More than <strong>"));
	assert_non_null(strstr(res.body, "The nearest "));
	assert_int_equal(result_ids(res.body, got, 64), 20);
	assert_non_null(strstr(res.body, "Page 1 of 10"));
	resp_free(&res);
	res = search("/search?postcode=ZE2+9AE&radius=0.5&page=10");
	assert_status(&res, 200);
	assert_true(result_ids(res.body, got, 64) > 0);
	assert_null(strstr(res.body, "rel=\"next\""));
	resp_free(&res);
}

/* The form again, with the input kept, a summary and a message. */
static void
expect_form_error(const char *query, long status, const char *field,
    const char *msg, const char *kept)
{
	struct resp	res;
	char		want[256];

	res = search("/search?%s", query);
	if (res.status != status)
		fail_msg("%s: status %ld, want %ld", query, res.status, status);
	assert_non_null(strstr(res.body, "<title>Error: "));
	assert_non_null(strstr(res.body, "There is a problem"));
	snprintf(want, sizeof(want), "<a href=\"#%s\">%s", field, msg);
	if (strstr(res.body, want) == NULL)
		fail_msg("%s: no summary link %s", query, want);
	snprintf(want, sizeof(want), "id=\"%s-error\"", field);
	if (strcmp(field, "search-form") != 0 && strstr(res.body, want) == NULL)
		fail_msg("%s: no message by the field", query);
	if (kept != NULL && strstr(res.body, kept) == NULL)
		fail_msg("%s: input not kept (%s)", query, kept);
	assert_non_null(strstr(res.body, "<form class=\"search-form\""));
	resp_free(&res);
}

static void
test_search_bad_input_reshows_form(void **state)
{
	(void)state;
	expect_form_error("q=food", 400, "postcode", "Enter a postcode", NULL);
	expect_form_error("postcode=not+a+postcode&q=food", 400, "postcode",
	    "Enter a full postcode like G12 8QQ, a postcode sector like G12 8, "
	    "or a district like G12", "value=\"not a postcode\"");
	expect_form_error("postcode=G99+9ZZ&q=soup", 404, "postcode",
	    "We could not find the postcode G99 9ZZ", "value=\"soup\"");
	expect_form_error("postcode=G12+8QQ&radius=0", 400, "radius",
	    "Choose a distance from the list", "value=\"G12 8QQ\"");
	expect_form_error("postcode=G12+8QQ&age=abc", 400, "age",
	    "Enter age as a whole number", "value=\"abc\"");
	expect_form_error("postcode=G12+8QQ&age=-3", 400, "age",
	    "Enter age as a whole number", "value=\"-3\"");
	expect_form_error("postcode=G12+8QQ&category=no-such-thing", 400,
	    "category", "Choose a category from the list", NULL);
	expect_form_error("postcode=G12+8QQ&day=someday", 400, "day",
	    "Choose a day from the list", NULL);
	expect_form_error("postcode=G12+8QQ&free=maybe", 400, "free",
	    "Tick", NULL);
	expect_form_error("postcode=G12+8QQ&access=Moat", 400, "access",
	    "Choose accessibility needs", NULL);
	expect_form_error("postcode=G12+8QQ&page=0", 400, "search-form",
	    "Page must be a number", NULL);
	/* Several problems: all in the summary, in the order of the form. */
	expect_form_error("postcode=&radius=7&age=x", 400, "radius",
	    "Choose a distance", "value=\"x\"");
	{
		struct resp	 res;
		const char	*pc, *rad, *age;

		res = search("/search?age=x&radius=7&postcode=G99+9ZZ");
		assert_status(&res, 400);
		pc = strstr(res.body, "<li><a href=\"#postcode\">");
		rad = strstr(res.body, "<li><a href=\"#radius\">");
		age = strstr(res.body, "<li><a href=\"#age\">");
		assert_true(pc != NULL && rad != NULL && age != NULL);
		assert_true(pc < rad && rad < age);
		resp_free(&res);
	}
}

static void
test_search_home_page_form(void **state)
{
	struct resp	res;

	(void)state;
	res = http_get("/");
	assert_status(&res, 200);
	assert_non_null(strstr(res.body, "<label class=\"label\" "
	    "for=\"postcode\">"));
	assert_non_null(strstr(res.body, "<optgroup label=\"Money\">"));
	assert_non_null(strstr(res.body, "value=\"5\" selected"));
	assert_non_null(strstr(res.body, "data-geolocate hidden"));
	assert_null(strstr(res.body, "error-summary"));
	resp_free(&res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_search_home_page_form),
		cmocka_unit_test(test_search_radius_cutoff_is_geodesic),
		cmocka_unit_test(test_search_orders_by_distance),
		cmocka_unit_test(test_search_filters_alone_and_combined),
		cmocka_unit_test(test_search_filters_area_wide),
		cmocka_unit_test(test_search_area_wide_follows_changes),
		cmocka_unit_test(test_search_open_now),
		cmocka_unit_test(test_search_service_area_labelled_after_local),
		cmocka_unit_test(test_search_escapes_every_field),
		cmocka_unit_test(test_search_corrects_typos),
		cmocka_unit_test(test_search_synonyms),
		cmocka_unit_test(
		    test_search_weights_name_over_category_over_description),
		cmocka_unit_test(test_search_stale_listed_after_current),
		cmocka_unit_test(test_search_pages_of_twenty_keep_the_query),
		cmocka_unit_test(test_search_demo_badge_and_map_data),
		cmocka_unit_test(test_search_by_position),
		cmocka_unit_test(test_search_follows_changes),
		cmocka_unit_test(test_search_caps_a_crowded_search),
		cmocka_unit_test(test_search_bad_input_reshows_form),
	};

	/* Helpers of harness.h this file does not need. */
	(void)resp_json;
	(void)resp_header;
	(void)http_post_form;
	return (RUN_TESTS("search", tests));
}
