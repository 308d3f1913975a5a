/*
 * Search: the statements behind /search, the catalogue cache for the form,
 * and small pure helpers.
 *
 * One statement answers a page: it parses the keywords (typo correction
 * and synonyms), finds the matching services nearest first with an exact
 * geodesic radius and every filter applied, adds services whose service
 * area covers the place, counts, and returns the page; the SQL functions
 * behind it are in sql/007_search.sql, with the reasoning about distances
 * and index use (area-wide services are read from a table of their own).
 * A second statement fetches the schedules of the services shown.  At
 * most SEARCH_CAP matches are read: a search with more says so and asks
 * for a narrower one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "db.h"
#include "geo.h"
#include "log.h"
#include "schedule.h"
#include "postcode.h"
#include "search.h"

/* At most this many matches are read and counted (see search_page). */
#define CAP_SQL	"200"

/* How long the form's catalogue is reused before it is read again. */
#define CATALOG_TTL	300

static const struct db_stmt stmts[] = {
	{ "search_terms",
	  "WITH RECURSIVE t (id, parent_id, name, slug, depth, path) AS ("
	  " SELECT id, parent_id, name, slug, 0, ARRAY[lower(name)]"
	  " FROM taxonomy_term WHERE parent_id IS NULL"
	  " UNION ALL"
	  " SELECT c.id, c.parent_id, c.name, c.slug, t.depth + 1,"
	  " t.path || lower(c.name)"
	  " FROM taxonomy_term c JOIN t ON c.parent_id = t.id"
	  " WHERE t.depth < 8)"
	  " SELECT id, parent_id, name, slug, depth FROM t ORDER BY path, id" },
	{ "search_features",
	  "SELECT description FROM accessibility"
	  " WHERE description IS NOT NULL AND length(description) < 90"
	  " GROUP BY description ORDER BY count(*) DESC, description"
	  " LIMIT 12" },
	{ "search_nearest_postcode",
	  "SELECT ward_code, council_area_code, health_board_code,"
	  " country_code, grid <-> point($1, $2)"
	  " FROM postcode ORDER BY grid <-> point($1, $2) LIMIT 1" },
	/*
	 * $1 east, $2 north, $3 lat, $4 lon, $5 radius m, $6 area codes,
	 * $7 today, $8 keywords, $9 category ids, $10 age, $11 free,
	 * $12 self-referral, $13 walking, $14 weekday code, $15 from,
	 * $16 to, $17 on date, $18 accessibility, $19 relevance, $20 offset.
	 * search_matches (sql/007) finds at most CAP_SQL services
	 * nearest first, from the GiST index, with every filter applied;
	 * this keeps each service once (at its nearest venue), counts, and
	 * cuts the page.
	 */
	{ "search_page",
	  "WITH p AS MATERIALIZED ("
	  "  SELECT query, exact, corrected, changed"
	  "  FROM search_parse($8)),"
	  " m AS MATERIALIZED ("
	  "  SELECT m.* FROM p, search_matches($1, $2, $3, $4, $5,"
	  "   $6::text[], $7::date, p.query, p.exact, $9::uuid[], $10::int,"
	  "   $11::bool, $12::bool, $13::bool, $14::text, $15::time,"
	  "   $16::time, $17::date, $18::text[], " CAP_SQL ") m),"
	  " hit AS MATERIALIZED ("
	  "  SELECT DISTINCT ON (id) id, name, stale, dist, rank FROM m"
	  "  ORDER BY id, dist NULLS LAST)"
	  " SELECT n.total, n.covered, p.corrected, p.changed, n.capped,"
	  "  pg.id, pg.dist, pg.stale,"
	  "  s.name, o.name, s.is_free, s.cost_description, s.minimum_age,"
	  "  s.maximum_age, s.eligibility_description,"
	  "  to_char(s.last_reviewed, 'YYYY-MM-DD'), s.is_demo OR o.is_demo,"
	  "  s.kind, s.self_referral, s.drop_in,"
	  "  (SELECT string_agg(t.name, ', ' ORDER BY t.name)"
	  "   FROM service_taxonomy st"
	  "   JOIN taxonomy_term t ON t.id = st.taxonomy_term_id"
	  "   WHERE st.service_id = pg.id),"
	  "  (SELECT coalesce(a.name, sa.name, sa.area_code)"
	  "   FROM service_area sa LEFT JOIN area a ON a.code = sa.area_code"
	  "   WHERE pg.dist IS NULL AND sa.service_id = pg.id"
	  "   AND sa.area_code = ANY ($6::text[])"
	  "   ORDER BY array_position(ARRAY['ward', 'council_area',"
	  "    'health_board', 'country'], sa.area_kind) LIMIT 1),"
	  "  loc.latitude, loc.longitude,"
	  "  concat_ws(', ', loc.name, CASE WHEN NOT loc.address_hidden"
	  "   THEN loc.address_1 END, loc.city,"
	  "   loc.postal_code)"
	  " FROM (SELECT count(*) AS total,"
	  "   count(*) FILTER (WHERE dist IS NULL) AS covered,"
	  "   (SELECT count(*) FROM m WHERE dist IS NOT NULL) >= " CAP_SQL
	  "   AS capped FROM hit) n"
	  " CROSS JOIN p"
	  " LEFT JOIN LATERAL (SELECT * FROM hit ORDER BY dist IS NULL, stale,"
	  "   CASE WHEN $19::bool THEN -rank END, dist, lower(name), id"
	  "   LIMIT " "20" " OFFSET $20) pg ON true"
	  " LEFT JOIN service s ON s.id = pg.id"
	  " LEFT JOIN organization o ON o.id = s.organization_id"
	  " LEFT JOIN LATERAL (SELECT l.latitude, l.longitude, l.name,"
	  "   l.address_1, l.address_hidden, l.city, l.postal_code"
	  "   FROM (SELECT l1.* FROM service_at_location sal"
	  "    JOIN location l1 ON l1.id = sal.location_id"
	  "    WHERE sal.service_id = pg.id"
	  "    UNION ALL SELECT l2.* FROM walk_detail wd"
	  "    JOIN location l2 ON l2.id = wd.meeting_location_id"
	  "    WHERE wd.service_id = pg.id) l"
	  "   WHERE l.latitude IS NOT NULL"
	  "   ORDER BY geodesic_distance_short($3, $4, l.latitude,"
	  "    l.longitude) LIMIT 1) loc ON true"
	  " ORDER BY pg.dist IS NULL, pg.stale,"
	  "  CASE WHEN $19::bool THEN -pg.rank END, pg.dist, lower(pg.name),"
	  "  pg.id" },
	{ "search_schedules",
	  "SELECT sch.service_id, " SCHEDULE_COLUMNS
	  " FROM schedule sch WHERE sch.service_id = ANY ($1::uuid[])"
	  " UNION ALL"
	  " SELECT sal.service_id, " SCHEDULE_COLUMNS
	  " FROM service_at_location sal"
	  " JOIN schedule sch ON sch.service_at_location_id = sal.id"
	  " WHERE sal.service_id = ANY ($1::uuid[])" },
};

static pthread_mutex_t		 cat_lock = PTHREAD_MUTEX_INITIALIZER;
static struct search_catalog	*cat_current;
static time_t			 cat_loaded;

void
search_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static void
catalog_free(struct search_catalog *c)
{
	if (c == NULL)
		return;
	free(c->terms);
	free(c->features);
	free(c);
}

static enum db_status
catalog_load(struct search_catalog **out)
{
	struct search_catalog	*c;
	struct db_result	*r = NULL, *f = NULL;
	enum db_status		 st;
	const char		*parent;
	size_t			 i, j;

	*out = NULL;
	if ((st = db_exec("search_terms", 0, NULL, &r)) != DB_OK)
		return (st);
	if ((st = db_exec("search_features", 0, NULL, &f)) != DB_OK) {
		db_free(r);
		return (st);
	}
	st = DB_ERROR;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		goto out;
	if (db_rows(r) > 0 && (c->terms = calloc((size_t)db_rows(r),
	    sizeof(*c->terms))) == NULL)
		goto out;
	if (db_rows(f) > 0 && (c->features = calloc((size_t)db_rows(f),
	    sizeof(*c->features))) == NULL)
		goto out;
	for (i = 0; i < (size_t)db_rows(r); i++) {
		struct search_term	*t = &c->terms[c->nterms];
		long long		 depth;

		if (str_copy(t->id, sizeof(t->id), db_value(r, (int)i, 0)) ||
		    str_copy(t->name, sizeof(t->name),
		    db_value(r, (int)i, 2)) ||
		    str_copy(t->slug, sizeof(t->slug),
		    db_value(r, (int)i, 3)) ||
		    str_to_ll(db_value(r, (int)i, 4), 0, 100, &depth) == -1)
			continue;	/* too long to offer: leave it out */
		t->depth = (int)depth;
		t->parent = -1;
		/* The path order puts every parent before its children. */
		if ((parent = db_value(r, (int)i, 1)) != NULL)
			for (j = c->nterms; j-- > 0;)
				if (strcmp(c->terms[j].id, parent) == 0) {
					t->parent = (int)j;
					break;
				}
		c->nterms++;
	}
	for (i = 0; i < (size_t)db_rows(f); i++)
		if (str_copy(c->features[c->nfeatures], sizeof(c->features[0]),
		    db_value(f, (int)i, 0)) == 0)
			c->nfeatures++;
	c->refs = 1;
	*out = c;
	c = NULL;
	st = DB_OK;
out:
	if (st != DB_OK)
		log_warn("search: out of memory loading the catalogue");
	catalog_free(c);
	db_free(r);
	db_free(f);
	return (st);
}

enum db_status
search_catalog_get(struct search_catalog **out)
{
	return (search_catalog_get_fresh(out, CATALOG_TTL));
}

enum db_status
search_catalog_get_fresh(struct search_catalog **out, int max_age)
{
	struct search_catalog	*c, *old = NULL;
	enum db_status		 st;
	time_t			 now = time(NULL);

	pthread_mutex_lock(&cat_lock);
	if (cat_current != NULL && now - cat_loaded < max_age) {
		cat_current->refs++;
		*out = cat_current;
		pthread_mutex_unlock(&cat_lock);
		return (DB_OK);
	}
	pthread_mutex_unlock(&cat_lock);

	/* Loaded outside the lock: two threads may both load; one wins. */
	if ((st = catalog_load(&c)) != DB_OK) {
		/* A stale catalogue beats no form at all. */
		pthread_mutex_lock(&cat_lock);
		if (cat_current != NULL) {
			cat_current->refs++;
			*out = cat_current;
			st = DB_OK;
		}
		pthread_mutex_unlock(&cat_lock);
		return (st);
	}
	pthread_mutex_lock(&cat_lock);
	if (cat_current != NULL && --cat_current->refs == 0)
		old = cat_current;
	cat_current = c;
	cat_loaded = now;
	c->refs++;
	*out = c;
	pthread_mutex_unlock(&cat_lock);
	catalog_free(old);
	return (DB_OK);
}

void
search_catalog_put(struct search_catalog *c)
{
	int	last;

	if (c == NULL)
		return;
	pthread_mutex_lock(&cat_lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&cat_lock);
	if (last)
		catalog_free(c);
}

const struct search_term *
search_catalog_term(const struct search_catalog *c, const char *slug)
{
	size_t	i;

	for (i = 0; slug != NULL && i < c->nterms; i++)
		if (strcmp(c->terms[i].slug, slug) == 0)
			return (&c->terms[i]);
	return (NULL);
}

const char *
search_catalog_feature(const struct search_catalog *c, const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < c->nfeatures; i++)
		if (strcmp(c->features[i], name) == 0)
			return (c->features[i]);
	return (NULL);
}

void
search_term_ids(const struct search_catalog *c, size_t i, struct buf *b)
{
	size_t	j;
	int	k, first = 1;

	buf_puts(b, "{");
	for (j = 0; j < c->nterms; j++) {
		/* j is under i when i is among j's ancestors. */
		for (k = (int)j; k != -1 && k != (int)i;
		    k = c->terms[k].parent)
			;
		if (k == -1)
			continue;
		buf_printf(b, "%s%s", first ? "" : ",", c->terms[j].id);
		first = 0;
	}
	buf_puts(b, "}");
}

void
search_text_array(const char *const *v, size_t n, struct buf *b)
{
	const char	*p;
	size_t		 i;

	buf_puts(b, "{");
	for (i = 0; i < n; i++) {
		buf_puts(b, i > 0 ? ",\"" : "\"");
		for (p = v[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_puts(b, "\\");
			buf_append(b, p, 1);
		}
		buf_puts(b, "\"");
	}
	buf_puts(b, "}");
}

int
search_parse_radius(const char *s)
{
	static const struct {
		const char	*text;
		int		 metres;
	} radii[] = {
		{ "0.5", 500 }, { "1", 1000 }, { "2", 2000 }, { "5", 5000 },
		{ "10", 10000 }, { "25", 25000 }
	};
	size_t	i;

	for (i = 0; s != NULL && i < sizeof(radii) / sizeof(radii[0]); i++)
		if (strcmp(s, radii[i].text) == 0)
			return (radii[i].metres);
	return (-1);
}

int
search_parse_day(const char *s)
{
	static const char *const days[] = { "sun", "mon", "tue", "wed",
	    "thu", "fri", "sat" };
	int	i;

	for (i = 0; s != NULL && i < 7; i++)
		if (strcmp(s, days[i]) == 0)
			return (i);
	return (-1);
}

int
search_parse_tod(const char *s)
{
	if (s == NULL)
		return (-1);
	if (strcmp(s, "morning") == 0)
		return (SEARCH_TOD_MORNING);
	if (strcmp(s, "afternoon") == 0)
		return (SEARCH_TOD_AFTERNOON);
	if (strcmp(s, "evening") == 0)
		return (SEARCH_TOD_EVENING);
	return (-1);
}

void
search_tod_window(enum search_tod tod, const char **from, const char **to)
{
	switch (tod) {
	case SEARCH_TOD_MORNING:
		*from = "00:00";
		*to = "12:00";
		break;
	case SEARCH_TOD_AFTERNOON:
		*from = "12:00";
		*to = "17:00";
		break;
	case SEARCH_TOD_EVENING:
		*from = "17:00";
		*to = "24:00";
		break;
	default:
		*from = *to = NULL;
		break;
	}
}

const char *
search_country_of(const char *code)
{
	/* GSS codes start with the nation's letter. */
	if (code == NULL)
		return (NULL);
	switch (code[0]) {
	case 'S':
		return ("S92000003");
	case 'E':
		return ("E92000001");
	case 'W':
		return ("W92000004");
	case 'N':
		return ("N92000002");
	default:
		return (NULL);
	}
}

void
search_format_distance(double m, struct buf *b)
{
	long	tenths;

	if (m < 0)
		m = 0;
	/* Rounded half up, to what a person walking can use. */
	if (m < 950)
		buf_printf(b, "%ld m", (long)(m / 10 + 0.5) * 10);
	else if (m < 9950) {
		tenths = (long)(m / 100 + 0.5);
		buf_printf(b, "%ld.%ld km", tenths / 10, tenths % 10);
	} else
		buf_printf(b, "%ld km", (long)(m / 1000 + 0.5));
}

enum db_status
search_areas_near(struct search_query *q, char codes[][16], size_t max)
{
	struct db_result	*r;
	enum db_status		 st;
	char			 e[32], n[32];
	const char		*params[2];
	double			 d;
	int			 i;

	snprintf(e, sizeof(e), "%.2f", q->east);
	snprintf(n, sizeof(n), "%.2f", q->north);
	params[0] = e;
	params[1] = n;
	q->nareas = 0;
	if ((st = db_exec("search_nearest_postcode", 2, params, &r)) != DB_OK)
		return (st);
	/*
	 * A position far from any postcode centroid (at sea, in the hills)
	 * is in no area we can name with confidence.
	 */
	if (db_rows(r) == 1 && str_to_double(db_value(r, 0, 4), 0, 1e9,
	    &d) == 0 && d <= 2000)
		for (i = 0; i < 4 && q->nareas < max; i++)
			if (db_value(r, 0, i) != NULL &&
			    str_copy(codes[q->nareas], 16,
			    db_value(r, 0, i)) == 0) {
				q->areas[q->nareas] = codes[q->nareas];
				q->nareas++;
			}
	db_free(r);
	return (DB_OK);
}

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? strdup(s) : NULL);
}

static int
int_or(const char *s, int dflt)
{
	long long	v;

	if (s == NULL || str_to_ll(s, -1000000, 1000000, &v) == -1)
		return (dflt);
	return ((int)v);
}

static int
bool_or(const char *s, int dflt)
{
	if (s == NULL)
		return (dflt);
	return (strcmp(s, "t") == 0);
}

void
search_results_free(struct search_results *res)
{
	size_t	i;

	for (i = 0; i < res->n; i++) {
		struct search_item	*it = &res->items[i];

		free(it->name);
		free(it->org);
		free(it->area);
		free(it->cost);
		free(it->eligibility);
		free(it->last_reviewed);
		free(it->kind);
		free(it->categories);
		free(it->place);
		free(it->next);
	}
	free(res->items);
	free(res->corrected);
	memset(res, 0, sizeof(*res));
}

/* The next session of each item shown, from one statement. */
static enum db_status
next_sessions(struct search_results *res, time_t now)
{
	struct db_result	*r = NULL;
	struct schedule		*sch = NULL;
	struct session		 sess;
	struct buf		 ids, when;
	enum db_status		 st;
	const char		*params[1];
	size_t			 i, n;
	int			 row, rows;

	if (res->n == 0)
		return (DB_OK);
	buf_init(&ids);
	buf_init(&when);
	buf_puts(&ids, "{");
	for (i = 0; i < res->n; i++)
		buf_printf(&ids, "%s%s", i ? "," : "", res->items[i].id);
	buf_puts(&ids, "}");
	params[0] = buf_cstr(&ids);
	if ((st = db_exec("search_schedules", 1, params, &r)) != DB_OK)
		goto out;
	rows = db_rows(r);
	if (rows > 0 && (sch = calloc((size_t)rows, sizeof(*sch))) == NULL)
		goto out;
	for (i = 0; i < res->n; i++) {
		n = 0;
		for (row = 0; row < rows; row++)
			if (strcmp(db_value(r, row, 0),
			    res->items[i].id) == 0 &&
			    schedule_from_row(r, row, 1, &sch[n]) == 0)
				n++;
		if (n == 0 || schedule_next(sch, n, now, &sess, 1) != 1)
			continue;
		buf_reset(&when);
		/*
		 * "Sat 09:30" means this coming Saturday: a session further
		 * off (a walk season starting in April) needs its date.
		 */
		if (sess.start - now < 6 * 24 * 3600)
			schedule_format_session(&sess, &when);
		else
			schedule_format_when(&sess, &when);
		if (!when.oom && when.len > 0)
			res->items[i].next = strdup(buf_cstr(&when));
	}
out:
	free(sch);
	db_free(r);
	buf_free(&ids);
	buf_free(&when);
	return (st);
}

enum db_status
search_run(const struct search_query *q, time_t now,
    struct search_results *res)
{
	struct db_result	*r = NULL;
	struct buf		 areas, cats, access;
	struct tm		 tm;
	enum db_status		 st;
	const char		*params[20], *from, *to;
	char			 e[32], n[32], lat[32], lon[32], rad[16];
	char			 today[16], age[16], off[16], code[3];
	char			 nowfrom[16], nowto[16];
	static const char *const codes[] = { "SU", "MO", "TU", "WE", "TH",
	    "FR", "SA" };
	int			 i, rows, minute;

	memset(res, 0, sizeof(*res));
	buf_init(&areas);
	buf_init(&cats);
	buf_init(&access);
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	snprintf(e, sizeof(e), "%.3f", q->east);
	snprintf(n, sizeof(n), "%.3f", q->north);
	snprintf(lat, sizeof(lat), "%.9f", q->lat);
	snprintf(lon, sizeof(lon), "%.9f", q->lon);
	snprintf(rad, sizeof(rad), "%d", q->radius_m);
	search_text_array(q->areas, q->nareas, &areas);
	params[0] = e;
	params[1] = n;
	params[2] = lat;
	params[3] = lon;
	params[4] = rad;
	params[5] = buf_cstr(&areas);
	params[6] = today;
	params[7] = q->q;
	params[8] = NULL;
	if (q->category != NULL) {
		search_term_ids(q->catalog, (size_t)(q->category -
		    q->catalog->terms), &cats);
		params[8] = buf_cstr(&cats);
	}
	params[9] = NULL;
	if (q->age >= 0) {
		snprintf(age, sizeof(age), "%d", q->age);
		params[9] = age;
	}
	params[10] = q->free_only ? "true" : "false";
	params[11] = q->self_referral ? "true" : "false";
	params[12] = q->walking ? "true" : "false";
	params[13] = NULL;
	if (q->wday >= 0) {
		str_copy(code, sizeof(code), codes[q->wday]);
		params[13] = code;
	}
	search_tod_window(q->tod, &from, &to);
	params[14] = from;
	params[15] = to;
	params[16] = NULL;
	if (q->open_now) {
		/* Open at this minute: [now, now + 1 min). */
		minute = tm.tm_hour * 60 + tm.tm_min;
		snprintf(nowfrom, sizeof(nowfrom), "%02d:%02d", minute / 60,
		    minute % 60);
		snprintf(nowto, sizeof(nowto), "%02d:%02d", (minute + 1) / 60,
		    (minute + 1) % 60);
		if (from != NULL) {
			/* Both: the current minute must be in the window. */
			if (strcmp(nowfrom, from) < 0 || strcmp(nowfrom,
			    to) >= 0)
				to = from;	/* empty window: nothing */
			else {
				from = nowfrom;
				to = nowto;
			}
		} else {
			from = nowfrom;
			to = nowto;
		}
		params[14] = from;
		params[15] = to;
		params[16] = today;
	}
	params[17] = NULL;
	if (q->naccess > 0) {
		search_text_array(q->access, q->naccess, &access);
		params[17] = buf_cstr(&access);
	}
	params[18] = q->sort == SEARCH_SORT_RELEVANCE ? "true" : "false";
	snprintf(off, sizeof(off), "%d", (q->page - 1) * SEARCH_PAGE_SIZE);
	params[19] = off;
	if (areas.oom || cats.oom || access.oom) {
		st = DB_ERROR;
		goto out;
	}

	if ((st = db_exec("search_page", 20, params, &r)) != DB_OK)
		goto out;
	rows = db_rows(r);
	if (rows < 1) {
		st = DB_ERROR;
		goto out;
	}
	res->total = int_or(db_value(r, 0, 0), 0);
	res->covered = int_or(db_value(r, 0, 1), 0);
	res->corrected = dup_or_null(db_value(r, 0, 2));
	res->was_corrected = bool_or(db_value(r, 0, 3), 0);
	res->capped = bool_or(db_value(r, 0, 4), 0);
	if (rows > 0 && !db_isnull(r, 0, 5) &&
	    (res->items = calloc((size_t)rows, sizeof(*res->items))) == NULL) {
		st = DB_ERROR;
		goto out;
	}
	for (i = 0; i < rows && res->items != NULL; i++) {
		struct search_item	*it = &res->items[res->n];

		if (db_isnull(r, i, 5) || str_copy(it->id, sizeof(it->id),
		    db_value(r, i, 5)) == -1)
			continue;
		it->local = !db_isnull(r, i, 6);
		it->dist_m = -1;
		if (it->local)
			(void)str_to_double(db_value(r, i, 6), 0, 1e8,
			    &it->dist_m);
		it->stale = bool_or(db_value(r, i, 7), 0);
		it->name = dup_or_null(db_value(r, i, 8));
		it->org = dup_or_null(db_value(r, i, 9));
		it->is_free = bool_or(db_value(r, i, 10), 0);
		it->cost = dup_or_null(db_value(r, i, 11));
		it->min_age = int_or(db_value(r, i, 12), -1);
		it->max_age = int_or(db_value(r, i, 13), -1);
		it->eligibility = dup_or_null(db_value(r, i, 14));
		it->last_reviewed = dup_or_null(db_value(r, i, 15));
		it->is_demo = bool_or(db_value(r, i, 16), 0);
		it->kind = dup_or_null(db_value(r, i, 17));
		it->self_referral = db_isnull(r, i, 18) ? -1 :
		    bool_or(db_value(r, i, 18), 0);
		it->drop_in = db_isnull(r, i, 19) ? -1 :
		    bool_or(db_value(r, i, 19), 0);
		it->categories = dup_or_null(db_value(r, i, 20));
		it->area = dup_or_null(db_value(r, i, 21));
		if (!db_isnull(r, i, 22) && !db_isnull(r, i, 23) &&
		    str_to_double(db_value(r, i, 22), -90, 90, &it->lat) == 0 &&
		    str_to_double(db_value(r, i, 23), -180, 180,
		    &it->lon) == 0) {
			it->has_point = 1;
			/* PROJ's geodesic is the distance people are shown. */
			if (it->local)
				(void)geo_distance(q->lat, q->lon, it->lat,
				    it->lon, &it->dist_m);
		}
		if (db_value(r, i, 24) != NULL && *db_value(r, i, 24) != '\0')
			it->place = strdup(db_value(r, i, 24));
		res->n++;
		if (it->name == NULL || it->org == NULL) {
			st = DB_ERROR;
			goto out;
		}
	}
	st = next_sessions(res, now);
out:
	if (st == DB_ERROR && db_sqlstate()[0] == '\0')
		log_warn("search: out of memory");
	db_free(r);
	buf_free(&areas);
	buf_free(&cats);
	buf_free(&access);
	if (st != DB_OK)
		search_results_free(res);
	return (st);
}

void
search_query_at(struct search_query *q, const struct postcode_info *pc,
    char areas[][16])
{
	const char	*codes[3], *c;
	size_t		 i;

	q->lat = pc->latitude;
	q->lon = pc->longitude;
	q->east = pc->easting;
	q->north = pc->northing;
	/* Smallest area first: a label names the closest fit. */
	codes[0] = pc->ward_code;
	codes[1] = pc->council_area_code;
	codes[2] = pc->health_board_code;
	q->nareas = 0;
	for (i = 0; i < 3; i++)
		if (codes[i][0] != '\0' && str_copy(areas[q->nareas], 16,
		    codes[i]) == 0) {
			q->areas[q->nareas] = areas[q->nareas];
			q->nareas++;
		}
	if ((c = search_country_of(pc->council_area_code[0] != '\0' ?
	    pc->council_area_code : pc->health_board_code)) != NULL)
		q->areas[q->nareas++] = c;
}

