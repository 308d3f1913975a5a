/* Asset mapping pages: see page_area.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "db.h"
#include "form.h"
#include "geo.h"
#include "http.h"
#include "page.h"
#include "page_area.h"
#include "reply.h"

static const struct db_stmt stmts[] = {
	/* Least covered first: most categories with nothing, then fewest
	 * services; $1 sorts by name instead. */
	{ "area_list",
	  "SELECT p.code, p.name, p.postcode, coalesce(a.name, ''),"
	  " count(*) FILTER (WHERE c.services = 0),"
	  " count(*) FILTER (WHERE c.services > 0),"
	  " (SELECT count(*) FROM practice_assets(p.code, 1000))"
	  " FROM practice p"
	  " JOIN practice_coverage(1000) c ON c.code = p.code"
	  " LEFT JOIN area a ON a.code = p.council_area_code"
	  " WHERE $2::text IS NULL OR p.council_area_code = $2"
	  " GROUP BY p.code, p.name, p.postcode, a.name"
	  " ORDER BY CASE WHEN $1 THEN p.name END,"
	  " 5 DESC, 7, p.name, p.code" },
	{ "area_councils",
	  "SELECT a.code, a.name, count(*) FROM practice p"
	  " JOIN area a ON a.code = p.council_area_code"
	  " GROUP BY a.code, a.name ORDER BY a.name" },
	{ "area_practice",
	  "SELECT p.code, p.name, p.address, p.postcode, p.latitude,"
	  " p.longitude, coalesce(a.name, ''), p.council_area_code"
	  " FROM practice p LEFT JOIN area a ON a.code = p.council_area_code"
	  " WHERE p.code = $1" },
	{ "area_assets",
	  /* Six decimals are 0.1 m: more says nothing about a venue. */
	  "SELECT s.service_id, s.name, s.kind,"
	  " round(s.latitude::numeric, 6), round(s.longitude::numeric, 6),"
	  " coalesce((SELECT string_agg(t.name, ', ' ORDER BY t.name)"
	  " FROM taxonomy_term t WHERE t.id = ANY (s.roots)), ''),"
	  /* The same as an array, as /api/services.geojson has them. */
	  " coalesce((SELECT json_agg(t.name ORDER BY t.name)"
	  " FROM taxonomy_term t WHERE t.id = ANY (s.roots)), '[]')::text"
	  " FROM practice_assets($1, $2::double precision) s"
	  " ORDER BY s.grid_m, s.name, s.service_id" },
	/* Per top-level category: this practice's count and the median of
	 * the practices in its council area at the same radius. */
	{ "area_counts",
	  "WITH c AS (SELECT * FROM practice_coverage($2::double precision))"
	  " SELECT t.id, t.name,"
	  " max(c.services) FILTER (WHERE c.code = $1),"
	  " coalesce(percentile_cont(0.5) WITHIN GROUP"
	  " (ORDER BY c.services), 0)"
	  " FROM c JOIN practice p ON p.code = c.code"
	  " JOIN taxonomy_term t ON t.id = c.root_id"
	  " WHERE p.council_area_code IS NOT DISTINCT FROM"
	  " (SELECT council_area_code FROM practice WHERE code = $1)"
	  " GROUP BY t.id, t.name ORDER BY t.name" },
};

/* The statements' columns, by name. */
enum { L_CODE, L_NAME, L_POSTCODE, L_COUNCIL, L_GAPS, L_COVERED,
    L_SERVICES, L_NCOLS };			/* area_list */
enum { C_CODE, C_NAME, C_PRACTICES };		/* area_councils */
enum { P_CODE, P_NAME, P_ADDRESS, P_POSTCODE, P_LAT, P_LON, P_COUNCIL,
    P_COUNCIL_CODE };				/* area_practice */
enum { A_ID, A_NAME, A_KIND, A_LAT, A_LON, A_CATEGORIES,
    A_CATEGORY_ARRAY };				/* area_assets */
enum { N_ID, N_NAME, N_HERE, N_MEDIAN };	/* area_counts */

void
page_area_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

static const struct form_choice radius_choices[] = {
	{ "1", "1 km" }, { "2", "2 km" }, { "5", "5 km" }, { NULL, NULL }
};

static const struct form_field area_fields[] = {
	{ .name = "radius", .label = "Distance from the practice",
	  .kind = FORM_SELECT, .no_optional = 1, .choices = radius_choices,
	  .default_value = "1",
	  .format_msg = "Choose a distance from the list" },
};

static const struct form_choice sort_choices[] = {
	{ "coverage", "Least covered first" }, { "name", "Name" },
	{ NULL, NULL }
};

static const struct form_field list_fields[] = {
	{ .name = "council", .label = "Council area", .kind = FORM_TEXT,
	  .max = 9, .no_optional = 1 },
	{ .name = "sort", .label = "Sort by", .kind = FORM_SELECT,
	  .no_optional = 1, .choices = sort_choices,
	  .default_value = "coverage",
	  .format_msg = "Choose an order from the list" },
};

static int
is_area_code(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != 9 || s[0] < 'A' || s[0] > 'Z')
		return (0);
	for (i = 1; i < 9; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	return (1);
}

void
page_areas(struct http_request *req)
{
	struct db_result	*r = NULL, *cn = NULL;
	struct buf		*b = &req->resp;
	struct form		 f;
	const char		*p[2], *council;
	enum db_status		 st;
	int			 i, status = 200;

	form_init(&f, list_fields, sizeof(list_fields) /
	    sizeof(list_fields[0]));
	form_read(&f, req);
	council = form_value(&f, "council");
	if (council != NULL && !is_area_code(council)) {
		form_error(&f, "council", "Choose a council area from the "
		    "list");
		council = NULL;
	}
	if (f.nerr > 0)
		status = 400;
	p[0] = form_value(&f, "sort") != NULL &&
	    strcmp(form_value(&f, "sort"), "name") == 0 ? "true" : "false";
	p[1] = council;
	if ((st = db_exec("area_councils", 0, NULL, &cn)) != DB_OK ||
	    (st = db_exec("area_list", 2, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	page_begin(req, status == 400 ? "Error: GP practices by coverage" :
	    "GP practices by coverage", 0);
	buf_puts(b, "<h1>GP practices by coverage</h1>\n");
	form_summary(b, &f);
	buf_puts(b, "<p>What the directory lists within 1 km of each "
	    "practice, least covered first: practices with the most "
	    "top-level categories that have nothing near come at the top. "
	    "Open a practice to see its services, other distances and its "
	    "gaps.</p>\n");
	buf_puts(b, "<form method=\"get\" action=\"/areas\" "
	    "class=\"area-filter\">\n<div class=\"field\"><label "
	    "for=\"council\">Council area</label>"
	    "<select class=\"select\" id=\"council\" name=\"council\">"
	    "<option value=\"\">All council areas</option>");
	for (i = 0; i < db_rows(cn); i++) {
		buf_puts(b, "<option value=\"");
		buf_html(b, db_value(cn, i, C_CODE));
		buf_puts(b, "\"");
		if (council != NULL && strcmp(council, db_value(cn, i, C_CODE)) == 0)
			buf_puts(b, " selected");
		buf_puts(b, ">");
		buf_html(b, db_value(cn, i, C_NAME));
		buf_printf(b, " (%s)</option>", db_value(cn, i, C_PRACTICES));
	}
	buf_puts(b, "</select></div>\n");
	form_field(b, &f, "sort");
	buf_puts(b, "<button class=\"button\" type=\"submit\">Show"
	    "</button>\n</form>\n");

	buf_printf(b, "<table class=\"area-table\">\n<caption>%d "
	    "practices</caption>\n<thead><tr><th scope=\"col\">Practice</th>"
	    "<th scope=\"col\">Council area</th>"
	    "<th scope=\"col\">Categories with nothing within 1 km</th>"
	    "<th scope=\"col\">Categories covered</th>"
	    "<th scope=\"col\">Services within 1 km</th></tr></thead>\n"
	    "<tbody>\n", db_rows(r));
	for (i = 0; i < db_rows(r); i++) {
		buf_puts(b, "<tr><th scope=\"row\"><a href=\"/areas/");
		buf_html(b, db_value(r, i, L_CODE));
		buf_puts(b, "\">");
		buf_html(b, db_value(r, i, L_NAME));
		buf_puts(b, "</a> <span class=\"hint\">");
		buf_html(b, db_value(r, i, L_POSTCODE));
		buf_puts(b, "</span></th><td>");
		buf_html(b, db_value(r, i, L_COUNCIL));
		buf_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
		    db_value(r, i, L_GAPS), db_value(r, i, L_COVERED), db_value(r, i, L_SERVICES));
	}
	buf_puts(b, "</tbody>\n</table>\n<p><a href=\"/areas.csv\">All "
	    "practices as CSV</a></p>\n");
	page_end(req, 0);
	page_send(req, status);
out:
	db_free(r);
	db_free(cn);
	form_free(&f);
}

/* GET /areas.csv: the table of /areas, every practice. */
void
page_areas_csv(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct buf		 out;
	const char		*p[2] = { "false", NULL };
	enum db_status		 st;
	int			 i, j;

	buf_init(&out);
	if ((st = db_exec("area_list", 2, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	buf_puts(&out, "practice_code,name,postcode,council_area,"
	    "categories_with_nothing_1km,categories_covered_1km,"
	    "services_1km\r\n");
	for (i = 0; i < db_rows(r); i++)
		for (j = 0; j < L_NCOLS; j++)
			buf_csv_field(&out, db_value(r, i, j), j == L_NCOLS - 1);
	reply_export(req, "text/csv; charset=utf-8", "practices-by-coverage.csv",
	    out.data, out.len);
out:
	db_free(r);
	buf_free(&out);
}

/* A horizontal bar chart; the table after it holds the same numbers. */
static void
bar_chart(struct buf *b, const struct db_result *c, const char *km)
{
	long	 n, max = 1;
	int	 i, rows = db_rows(c), h;

	for (i = 0; i < rows; i++)
		if ((n = atol(db_value(c, i, N_HERE))) > max)
			max = n;
	h = rows * 28 + 8;
	buf_printf(b, "<figure class=\"area-chart\"><svg role=\"img\" "
	    "aria-labelledby=\"chart-title\" viewBox=\"0 0 640 %d\" "
	    "width=\"100%%\" preserveAspectRatio=\"xMinYMin meet\">"
	    "<title id=\"chart-title\">Services within %s km by category"
	    "</title>", h, km);
	for (i = 0; i < rows; i++) {
		n = atol(db_value(c, i, N_HERE));
		buf_printf(b, "<text x=\"0\" y=\"%d\" class=\"chart-label\">",
		    i * 28 + 22);
		buf_html(b, db_value(c, i, N_NAME));
		buf_printf(b, "</text><rect x=\"260\" y=\"%d\" width=\"%ld\" "
		    "height=\"20\" class=\"chart-bar\"/><text x=\"%ld\" "
		    "y=\"%d\" class=\"chart-value\">%ld</text>", i * 28 + 6,
		    n * 330 / max, 266 + n * 330 / max, i * 28 + 22, n);
	}
	buf_puts(b, "</svg></figure>\n");
}

/*
 * The practice in the URL and the services within the radius asked for:
 * 0, or -1 when the answer (404, 503, 400 for an export) has been sent.
 * A bad radius in the page's own form is shown on the page (1 km).
 */
static int
load(struct http_request *req, struct form *f, struct db_result **pr,
    struct db_result **as, int page, char *metres, size_t len)
{
	const char	*p[2], *km;
	enum db_status	 st;

	p[0] = http_route_param(req, "code");
	if ((st = db_exec("area_practice", 1, p, pr)) != DB_OK) {
		reply_db_error(req, st);
		return (-1);
	}
	if (db_rows(*pr) == 0) {
		reply_error(req, 404, "There is no GP practice with that "
		    "code.");
		return (-1);
	}
	form_read(f, req);
	if (f->nerr > 0) {
		if (!page) {
			http_problem(req, 400, "Bad radius", "radius must be "
			    "1, 2 or 5 (km)", "radius");
			return (-1);
		}
		form_set(f, "radius", "1");
	}
	km = form_value(f, "radius");
	snprintf(metres, len, "%d", (km != NULL ? atoi(km) : 1) * 1000);
	p[1] = metres;
	if ((st = db_exec("area_assets", 2, p, as)) != DB_OK) {
		reply_db_error(req, st);
		return (-1);
	}
	return (0);
}

/* GET /areas/{code}/services.csv: the page's list of services. */
void
page_area_csv(struct http_request *req)
{
	struct db_result	*pr = NULL, *as = NULL;
	struct form		 f;
	struct buf		 out;
	char			 metres[16], num[32], name[64];
	double			 d;
	int			 i;

	form_init(&f, area_fields, sizeof(area_fields) /
	    sizeof(area_fields[0]));
	buf_init(&out);
	if (load(req, &f, &pr, &as, 0, metres, sizeof(metres)) == -1)
		goto out;
	buf_puts(&out, "service_id,name,categories,distance_m,latitude,"
	    "longitude\r\n");
	for (i = 0; i < db_rows(as); i++) {
		buf_csv_field(&out, db_value(as, i, A_ID), 0);
		buf_csv_field(&out, db_value(as, i, A_NAME), 0);
		buf_csv_field(&out, db_value(as, i, A_CATEGORIES), 0);
		d = -1;
		(void)geo_distance(atof(db_value(pr, 0, P_LAT)),
		    atof(db_value(pr, 0, P_LON)), atof(db_value(as, i, A_LAT)),
		    atof(db_value(as, i, A_LON)), &d);
		snprintf(num, sizeof(num), "%.0f", d);
		buf_csv_field(&out, num, 0);
		buf_csv_field(&out, db_value(as, i, A_LAT), 0);
		buf_csv_field(&out, db_value(as, i, A_LON), 1);
	}
	snprintf(name, sizeof(name), "%s-within-%sm.csv", db_value(pr, 0, P_CODE),
	    metres);
	reply_export(req, "text/csv; charset=utf-8", name, out.data, out.len);
out:
	db_free(pr);
	db_free(as);
	buf_free(&out);
	form_free(&f);
}

/* GET /areas/{code}/services.geojson: the same list (RFC 7946). */
void
page_area_geojson(struct http_request *req)
{
	struct db_result	*pr = NULL, *as = NULL;
	struct form		 f;
	cJSON			*fc = NULL, *feats, *ft, *g, *co, *pp;
	char			 metres[16], *body;
	double			 d;
	int			 i;

	form_init(&f, area_fields, sizeof(area_fields) /
	    sizeof(area_fields[0]));
	if (load(req, &f, &pr, &as, 0, metres, sizeof(metres)) == -1)
		goto out;
	if ((fc = cJSON_CreateObject()) == NULL)
		goto oom;
	cJSON_AddStringToObject(fc, "type", "FeatureCollection");
	if ((feats = cJSON_AddArrayToObject(fc, "features")) == NULL)
		goto oom;
	for (i = 0; i < db_rows(as); i++) {
		if ((ft = cJSON_CreateObject()) == NULL)
			goto oom;
		cJSON_AddItemToArray(feats, ft);
		cJSON_AddStringToObject(ft, "type", "Feature");
		cJSON_AddStringToObject(ft, "id", db_value(as, i, A_ID));
		if ((g = cJSON_AddObjectToObject(ft, "geometry")) == NULL ||
		    (co = cJSON_AddArrayToObject(g, "coordinates")) == NULL ||
		    (pp = cJSON_AddObjectToObject(ft, "properties")) == NULL)
			goto oom;
		cJSON_AddStringToObject(g, "type", "Point");
		cJSON_AddItemToArray(co, cJSON_CreateNumber(
		    atof(db_value(as, i, A_LON))));
		cJSON_AddItemToArray(co, cJSON_CreateNumber(
		    atof(db_value(as, i, A_LAT))));
		cJSON_AddStringToObject(pp, "name", db_value(as, i, A_NAME));
		cJSON_AddItemToObject(pp, "categories",
		    cJSON_Parse(db_value(as, i, A_CATEGORY_ARRAY)));
		if (geo_distance(atof(db_value(pr, 0, P_LAT)),
		    atof(db_value(pr, 0, P_LON)), atof(db_value(as, i, A_LAT)),
		    atof(db_value(as, i, A_LON)), &d) == 0)
			cJSON_AddNumberToObject(pp, "distance_m",
			    (double)(long)(d + 0.5));
	}
	if ((body = cJSON_PrintUnformatted(fc)) == NULL)
		goto oom;
	reply_export(req, "application/geo+json", NULL, body, strlen(body));
	cJSON_free(body);
	goto out;
oom:
	http_problem(req, 500, "Out of memory", "The list could not be "
	    "built.", NULL);
out:
	cJSON_Delete(fc);
	db_free(pr);
	db_free(as);
	form_free(&f);
}

void
page_area(struct http_request *req)
{
	struct db_result	*pr = NULL, *as = NULL, *c = NULL;
	struct buf		*b = &req->resp;
	struct form		 f;
	const char		*p[2], *km;
	char			 metres[16];
	double			 plat, plon, d;
	enum db_status		 st;
	int			 i, gaps = 0, status = 200;

	form_init(&f, area_fields, sizeof(area_fields) /
	    sizeof(area_fields[0]));
	if (load(req, &f, &pr, &as, 1, metres, sizeof(metres)) == -1)
		goto out;
	if (f.nerr > 0)
		status = 400;
	if ((km = form_value(&f, "radius")) == NULL)
		km = "1";
	p[0] = db_value(pr, 0, P_CODE);
	p[1] = metres;
	if ((st = db_exec("area_counts", 2, p, &c)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	plat = atof(db_value(pr, 0, P_LAT));
	plon = atof(db_value(pr, 0, P_LON));

	page_begin(req, db_value(pr, 0, P_NAME), 0);
	if (status == 400)
		form_summary(b, &f);
	buf_puts(b, "<article class=\"area\">\n<h1>");
	buf_html(b, db_value(pr, 0, P_NAME));
	buf_puts(b, "</h1>\n<p class=\"area-address\">");
	buf_html(b, db_value(pr, 0, P_ADDRESS));
	buf_puts(b, (db_value(pr, 0, P_ADDRESS))[0] != '\0' ? ", " : "");
	buf_html(b, db_value(pr, 0, P_POSTCODE));
	buf_puts(b, "</p>\n<p>GP practice ");
	buf_html(b, db_value(pr, 0, P_CODE));
	if (db_value(pr, 0, P_COUNCIL)[0] != '\0') {
		buf_puts(b, ", ");
		buf_html(b, db_value(pr, 0, P_COUNCIL));
	}
	buf_puts(b, ". Distances are from the centre of its postcode.</p>\n");
	buf_puts(b, "<form method=\"get\" class=\"area-radius noprint\">");
	form_field(b, &f, "radius");
	buf_puts(b, "<button class=\"button\" type=\"submit\">Show</button>"
	    "</form>\n");

	buf_printf(b, "<h2>Gaps within %s km</h2>\n<ul class=\"area-gaps\">",
	    km);
	for (i = 0; i < db_rows(c); i++) {
		long	n = atol(db_value(c, i, N_HERE));
		double	med = atof(db_value(c, i, N_MEDIAN));

		if (n == 0) {
			buf_puts(b, "<li><strong>");
			buf_html(b, db_value(c, i, N_NAME));
			buf_puts(b, "</strong>: nothing listed</li>");
			gaps++;
		} else if (med >= 2 && n * 2 < med) {
			buf_puts(b, "<li><strong>");
			buf_html(b, db_value(c, i, N_NAME));
			buf_printf(b, "</strong>: %ld, well below the median "
			    "practice nearby (%.1f)</li>", n, med);
			gaps++;
		}
	}
	buf_puts(b, "</ul>\n");
	if (gaps == 0)
		buf_puts(b, "<p>Every category has services within reach.</p>\n");

	buf_printf(b, "<h2>Services by category within %s km</h2>\n", km);
	bar_chart(b, c, km);
	buf_puts(b, "<table class=\"area-table\"><caption>Services by "
	    "top-level category; the median is over the GP practices of the "
	    "same council area</caption>\n<thead><tr><th scope=\"col\">"
	    "Category</th><th scope=\"col\">Services</th><th scope=\"col\">"
	    "Median practice</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < db_rows(c); i++) {
		buf_puts(b, "<tr><th scope=\"row\">");
		buf_html(b, db_value(c, i, N_NAME));
		buf_printf(b, "</th><td>%s</td><td>%.1f</td></tr>\n",
		    db_value(c, i, N_HERE), atof(db_value(c, i, N_MEDIAN)));
	}
	buf_puts(b, "</tbody></table>\n");

	buf_printf(b, "<h2>Services within %s km (%d)</h2>\n", km,
	    db_rows(as));
	if (db_rows(as) == 0)
		buf_puts(b, "<p>The directory lists nothing this close.</p>\n");
	else
		buf_puts(b, "<table class=\"area-table\"><caption>Each service "
		    "at its nearest place to the practice</caption>\n<thead>"
		    "<tr><th scope=\"col\">Service</th><th scope=\"col\">"
		    "Categories</th><th scope=\"col\">Distance</th></tr>"
		    "</thead>\n<tbody>\n");
	for (i = 0; i < db_rows(as); i++) {
		buf_puts(b, "<tr><th scope=\"row\"><a href=\"/services/");
		buf_html(b, db_value(as, i, A_ID));
		buf_puts(b, "\">");
		buf_html(b, db_value(as, i, A_NAME));
		buf_puts(b, "</a></th><td>");
		buf_html(b, db_value(as, i, A_CATEGORIES));
		buf_puts(b, "</td><td>");
		if (geo_distance(plat, plon, atof(db_value(as, i, A_LAT)),
		    atof(db_value(as, i, A_LON)), &d) == 0)
			buf_printf(b, "%.1f km", d / 1000);
		buf_puts(b, "</td></tr>\n");
	}
	if (db_rows(as) > 0)
		buf_puts(b, "</tbody></table>\n");
	buf_puts(b, "<p class=\"noprint\">This list as <a href=\"/areas/");
	buf_html(b, db_value(pr, 0, P_CODE));
	buf_printf(b, "/services.csv?radius=%s\">CSV</a> or <a href=\"/areas/",
	    km);
	buf_html(b, db_value(pr, 0, P_CODE));
	buf_printf(b, "/services.geojson?radius=%s\">GeoJSON</a>. <a "
	    "href=\"/areas\">All practices by coverage</a></p>\n"
	    "</article>\n", km);
	page_end(req, 0);
	page_send(req, status);
out:
	db_free(pr);
	db_free(as);
	db_free(c);
	form_free(&f);
}
