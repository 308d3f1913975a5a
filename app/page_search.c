/*
 * The search form and the results page.
 *
 * Parameters (all optional on /, validated on /search):
 *   postcode   full postcode, sector or district ("G12 8QQ", "G12 8",
 *              "G12")
 *   lat, lon   a position from "use my location" (postcode wins)
 *   q          keywords          category   taxonomy slug
 *   radius     0.5 1 2 5 10 25   day        mon .. sun
 *   time       morning afternoon evening    open=1 open now
 *   free=1  self=1 (self-referral)  walking=1  age=N  access=<feature>...
 *   sort       distance relevance           page=N
 *   ids        the shortlist, carried along (see shortlist.h)
 * Links the page makes are rebuilt from the validated values, so a
 * bookmarked or shared URL gives the same search.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "asset.h"
#include "config.h"
#include "geo.h"
#include "http.h"
#include "log.h"
#include "page.h"
#include "page_search.h"
#include "postcode.h"
#include "route.h"
#include "search.h"
#include "shortlist.h"

#define MAX_ERRORS	16

struct field_error {
	const char	*field;		/* the input's id */
	char		 msg[192];
};

/* What was asked, as typed, and what is wrong with it. */
struct form {
	const char		*postcode, *lat, *lon, *q, *category;
	const char		*radius, *day, *time, *age, *sort, *page;
	const char		*open, *free_, *self, *walking;
	const char		*access[SEARCH_MAX_ACCESS];
	size_t			 naccess;
	struct field_error	 err[MAX_ERRORS];
	size_t			 nerr;
	int			 status;
	char			 place[POSTCODE_MAX + 16];
	/* The place for people: says when it is a sector or district. */
	char			 place_label[POSTCODE_MAX + 32];
	int			 by_position;
};

static const char *const day_names[] = { "Sunday", "Monday", "Tuesday",
    "Wednesday", "Thursday", "Friday", "Saturday" };
static const char *const day_keys[] = { "sun", "mon", "tue", "wed", "thu",
    "fri", "sat" };

static void
add_error(struct form *f, int status, const char *field, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static void
add_error(struct form *f, int status, const char *field, const char *fmt,
    ...)
{
	va_list	ap;
	size_t	i;

	/* One message per field: the first problem found. */
	for (i = 0; i < f->nerr; i++)
		if (strcmp(f->err[i].field, field) == 0)
			return;
	if (f->nerr == MAX_ERRORS)
		return;
	f->err[f->nerr].field = field;
	va_start(ap, fmt);
	vsnprintf(f->err[f->nerr].msg, sizeof(f->err[0].msg), fmt, ap);
	va_end(ap);
	f->nerr++;
	/* A postcode we do not know is a 404; anything else a 400. */
	if (f->status == 0 || f->status == 404)
		f->status = status;
}

static const char *
field_error(const struct form *f, const char *field)
{
	size_t	i;

	for (i = 0; i < f->nerr; i++)
		if (strcmp(f->err[i].field, field) == 0)
			return (f->err[i].msg);
	return (NULL);
}

/* The raw values, for showing back; nothing is judged here. */
static void
form_read(struct http_request *req, struct form *f)
{
	memset(f, 0, sizeof(*f));
	f->postcode = http_param(req, "postcode");
	f->lat = http_param(req, "lat");
	f->lon = http_param(req, "lon");
	f->q = http_param(req, "q");
	f->category = http_param(req, "category");
	f->radius = http_param(req, "radius");
	f->day = http_param(req, "day");
	f->time = http_param(req, "time");
	f->age = http_param(req, "age");
	f->sort = http_param(req, "sort");
	f->page = http_param(req, "page");
	f->open = http_param(req, "open");
	f->free_ = http_param(req, "free");
	f->self = http_param(req, "self");
	f->walking = http_param(req, "walking");
	f->naccess = http_param_all(req, "access", f->access,
	    SEARCH_MAX_ACCESS);
}

static int
checkbox(struct http_request *req, struct form *f, const char *name,
    const char *label)
{
	int	v = 0;

	if (http_param_bool(req, name, &v) == HTTP_PARAM_BAD)
		add_error(f, 400, name, "Tick \"%s\" or leave it empty",
		    label);
	return (v);
}

/* Validate everything and fill q; errors go into f. */
static enum db_status
form_check(struct http_request *req, struct form *f,
    const struct search_catalog *cat, struct search_query *q,
    char areas[][16])
{
	struct postcode_info	 pc;
	enum http_param		 hp;
	const char		*c;
	long long		 v;
	size_t			 i;
	int			 r;
	char			 age[16], msg[192];

	memset(q, 0, sizeof(*q));
	q->catalog = cat;
	q->wday = -1;
	q->age = -1;
	q->page = 1;
	q->radius_m = 5000;

	hp = http_param_str(req, "q", SEARCH_Q_MAX, &q->q);
	if (hp == HTTP_PARAM_BAD)
		add_error(f, 400, "q", "Keywords must be %d characters or "
		    "fewer, without control characters", SEARCH_Q_MAX);

	if (f->radius != NULL && (q->radius_m =
	    search_parse_radius(f->radius)) == -1)
		add_error(f, 400, "radius", "Choose a distance from the list");

	if (f->category != NULL && (q->category =
	    search_catalog_term(cat, f->category)) == NULL)
		add_error(f, 400, "category", "Choose a category from the "
		    "list");

	if (f->day != NULL && (q->wday = search_parse_day(f->day)) == -1)
		add_error(f, 400, "day", "Choose a day from the list");
	if (f->time != NULL && (r = search_parse_tod(f->time)) == -1)
		add_error(f, 400, "time", "Choose a time of day from the list");
	else if (f->time != NULL)
		q->tod = (enum search_tod)r;
	q->open_now = checkbox(req, f, "open", "Open now");
	q->free_only = checkbox(req, f, "free", "Free only");
	q->self_referral = checkbox(req, f, "self", "Self-referral");
	q->walking = checkbox(req, f, "walking", "Walking groups only");

	if (f->age != NULL) {
		if (str_copy(age, sizeof(age), f->age) == -1 ||
		    str_to_ll(str_trim(age), 0, 130, &v) == -1)
			add_error(f, 400, "age", "Enter age as a whole number "
			    "of years, like 34");
		else
			q->age = (int)v;
	}
	for (i = 0; i < f->naccess; i++) {
		if ((c = search_catalog_feature(cat, f->access[i])) == NULL)
			add_error(f, 400, "access", "Choose accessibility "
			    "needs from the list");
		else
			q->access[q->naccess++] = c;
	}
	if (f->sort != NULL) {
		if (strcmp(f->sort, "relevance") == 0)
			q->sort = SEARCH_SORT_RELEVANCE;
		else if (strcmp(f->sort, "distance") != 0)
			add_error(f, 400, "sort", "Choose how to sort from the "
			    "list");
	}
	if (f->page != NULL) {
		if (str_to_ll(f->page, 1, SEARCH_MAX_PAGE, &v) == -1)
			add_error(f, 400, "search-form", "Page must be a "
			    "number from 1 to %d", SEARCH_MAX_PAGE);
		else
			q->page = (int)v;
	}

	/* Where: a typed postcode wins over a remembered position. */
	if (f->postcode != NULL) {
		switch (postcode_lookup(f->postcode, &pc)) {
		case POSTCODE_FOUND:
			break;
		case POSTCODE_MALFORMED:
			add_error(f, 400, "postcode", "%s",
			    POSTCODE_FORMAT_HELP);
			return (DB_OK);
		case POSTCODE_NOT_FOUND:
			postcode_not_found(&pc, msg, sizeof(msg));
			add_error(f, 404, "postcode", "%s", msg);
			return (DB_OK);
		case POSTCODE_DB_DOWN:
			return (DB_UNAVAILABLE);
		default:
			return (DB_ERROR);
		}
		q->lat = pc.latitude;
		q->lon = pc.longitude;
		q->east = pc.easting;
		q->north = pc.northing;
		str_copy(f->place, sizeof(f->place), pc.postcode);
		/* "Near G1 1" alone reads like a typo for G11. */
		if (pc.kind == POSTCODE_FULL)
			str_copy(f->place_label, sizeof(f->place_label),
			    pc.postcode);
		else
			snprintf(f->place_label, sizeof(f->place_label),
			    "%s %s", postcode_kind_label(pc.kind),
			    pc.postcode);
		/* Smallest area first: the label names the closest fit. */
		if (pc.ward_code[0] != '\0' && str_copy(areas[q->nareas], 16,
		    pc.ward_code) == 0)
			q->areas[q->nareas] = areas[q->nareas], q->nareas++;
		if (pc.council_area_code[0] != '\0' && str_copy(
		    areas[q->nareas], 16, pc.council_area_code) == 0)
			q->areas[q->nareas] = areas[q->nareas], q->nareas++;
		if (pc.health_board_code[0] != '\0' && str_copy(
		    areas[q->nareas], 16, pc.health_board_code) == 0)
			q->areas[q->nareas] = areas[q->nareas], q->nareas++;
		if ((c = search_country_of(pc.council_area_code[0] != '\0' ?
		    pc.council_area_code : pc.health_board_code)) != NULL)
			q->areas[q->nareas++] = c;
		return (DB_OK);
	}
	if (f->lat != NULL || f->lon != NULL) {
		f->by_position = 1;
		if (http_param_double(req, "lat", -90, 90, &q->lat) !=
		    HTTP_PARAM_OK || http_param_double(req, "lon", -180, 180,
		    &q->lon) != HTTP_PARAM_OK || !geo_in_area(q->lat, q->lon) ||
		    geo_to_grid(q->lat, q->lon, &q->east, &q->north) == -1) {
			add_error(f, 400, "postcode", "We could not use your "
			    "location: it is outside the area we cover. "
			    "Enter a postcode like G12 8QQ instead");
			return (DB_OK);
		}
		str_copy(f->place, sizeof(f->place), "your location");
		str_copy(f->place_label, sizeof(f->place_label),
		    "your location");
		return (search_areas_near(q, areas, SEARCH_MAX_AREAS));
	}
	add_error(f, 400, "postcode", "Enter a postcode");
	return (DB_OK);
}

/*
 * The search's URL, from validated values: page and sort as given (0 and
 * -1 mean the search's own).
 */
static void
search_url(struct buf *b, struct http_request *req, const struct form *f,
    const struct search_query *q, int page, int sort)
{
	size_t	i;

	buf_puts(b, "/search?");
	if (f->postcode != NULL) {
		buf_puts(b, "postcode=");
		buf_url(b, f->place);
	} else {
		buf_printf(b, "lat=%.6f&lon=%.6f", q->lat, q->lon);
	}
	if (q->q != NULL) {
		buf_puts(b, "&q=");
		buf_url(b, q->q);
	}
	if (q->category != NULL) {
		buf_puts(b, "&category=");
		buf_url(b, q->category->slug);
	}
	if (q->radius_m != 5000) {
		buf_puts(b, "&radius=");
		buf_url(b, f->radius);
	}
	if (q->wday >= 0)
		buf_printf(b, "&day=%s", day_keys[q->wday]);
	if (q->tod != SEARCH_TOD_ANY)
		buf_printf(b, "&time=%s", f->time);
	if (q->open_now)
		buf_puts(b, "&open=1");
	if (q->free_only)
		buf_puts(b, "&free=1");
	if (q->self_referral)
		buf_puts(b, "&self=1");
	if (q->walking)
		buf_puts(b, "&walking=1");
	if (q->age >= 0)
		buf_printf(b, "&age=%d", q->age);
	for (i = 0; i < q->naccess; i++) {
		buf_puts(b, "&access=");
		buf_url(b, q->access[i]);
	}
	if (sort == -1)
		sort = q->sort;
	if (sort == SEARCH_SORT_RELEVANCE)
		buf_puts(b, "&sort=relevance");
	if (page == 0)
		page = q->page;
	if (page > 1)
		buf_printf(b, "&page=%d", page);
	shortlist_link_query(b, req, '&');
}

/* <label>, hint, error message and aria-describedby for one field. */
static void
field_start(struct buf *b, const struct form *f, const char *id,
    const char *label, const char *hint)
{
	const char	*e = f != NULL ? field_error(f, id) : NULL;

	buf_printf(b, "<div class=\"field%s\">", e != NULL ? " has-error" :
	    "");
	buf_printf(b, "<label class=\"label\" for=\"%s\">", id);
	buf_html(b, label);
	buf_puts(b, "</label>");
	if (hint != NULL) {
		buf_printf(b, "<p class=\"hint\" id=\"%s-hint\">", id);
		buf_html(b, hint);
		buf_puts(b, "</p>");
	}
	if (e != NULL) {
		buf_printf(b, "<p class=\"error-message\" id=\"%s-error\">"
		    "<span class=\"visually-hidden\">Error:</span> ", id);
		buf_html(b, e);
		buf_puts(b, "</p>");
	}
}

static void
described_by(struct buf *b, const struct form *f, const char *id, int hint)
{
	int	e = f != NULL && field_error(f, id) != NULL;

	if (!hint && !e)
		return;
	buf_puts(b, " aria-describedby=\"");
	if (hint)
		buf_printf(b, "%s-hint", id);
	if (e)
		buf_printf(b, "%s%s-error", hint ? " " : "", id);
	buf_puts(b, "\"");
	if (e)
		buf_puts(b, " aria-invalid=\"true\"");
}

static void
option(struct buf *b, const char *value, const char *label,
    const char *current)
{
	buf_puts(b, "<option value=\"");
	buf_html(b, value);
	buf_puts(b, "\"");
	if ((current == NULL && *value == '\0') || (current != NULL &&
	    strcmp(current, value) == 0))
		buf_puts(b, " selected");
	buf_puts(b, ">");
	buf_html(b, label);
	buf_puts(b, "</option>");
}

static void
check(struct buf *b, const struct form *f, const char *id, const char *name,
    const char *value, const char *label, int on)
{
	const char	*e = f != NULL ? field_error(f, id) : NULL;

	buf_printf(b, "<div class=\"checkbox%s\">", e != NULL ?
	    " has-error" : "");
	if (e != NULL) {
		buf_printf(b, "<p class=\"error-message\" id=\"%s-error\">"
		    "<span class=\"visually-hidden\">Error:</span> ", id);
		buf_html(b, e);
		buf_puts(b, "</p>");
	}
	buf_printf(b, "<input type=\"checkbox\" id=\"%s\" name=\"%s\" "
	    "value=\"", id, name);
	buf_html(b, value);
	buf_puts(b, "\"");
	if (on)
		buf_puts(b, " checked");
	if (e != NULL)
		buf_printf(b, " aria-describedby=\"%s-error\" "
		    "aria-invalid=\"true\"", id);
	buf_printf(b, "><label for=\"%s\">", id);
	buf_html(b, label);
	buf_puts(b, "</label></div>");
}

static int
is_on(const char *v)
{
	return (v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "yes") == 0));
}

static void
error_summary(struct buf *b, const struct form *f)
{
	static const char *const order[] = { "postcode", "q", "category",
	    "radius", "day", "time", "open", "free", "age", "self",
	    "walking", "access", "sort", "search-form" };
	size_t	i, j;

	if (f->nerr == 0)
		return;
	buf_puts(b, "<div class=\"error-summary\" role=\"alert\" "
	    "aria-labelledby=\"error-summary-title\" tabindex=\"-1\" "
	    "data-error-summary><h2 id=\"error-summary-title\">There is a "
	    "problem</h2><ul>");
	/* In the order the fields come on the page. */
	for (j = 0; j < sizeof(order) / sizeof(order[0]); j++)
		for (i = 0; i < f->nerr; i++) {
			if (strcmp(f->err[i].field, order[j]) != 0)
				continue;
			buf_printf(b, "<li><a href=\"#%s\">", f->err[i].field);
			buf_html(b, f->err[i].msg);
			buf_puts(b, "</a></li>");
		}
	buf_puts(b, "</ul></div>\n");
}

static int
filters_used(const struct form *f)
{
	return (f->day != NULL || f->time != NULL || is_on(f->open) ||
	    is_on(f->free_) || is_on(f->self) || is_on(f->walking) ||
	    f->age != NULL || f->naccess > 0 || field_error(f, "day") ||
	    field_error(f, "time") || field_error(f, "age") ||
	    field_error(f, "access") || field_error(f, "open") ||
	    field_error(f, "free") || field_error(f, "self") ||
	    field_error(f, "walking"));
}

static void
search_form(struct buf *b, struct http_request *req, const struct form *f,
    const struct search_catalog *cat)
{
	const struct search_term	*t;
	size_t				 i, j;
	int				 d, on, in_group = 0;
	char				 label[256];
	static const struct {
		const char	*value, *label;
	} radii[] = {
		{ "0.5", "0.5 km (about 6 minutes' walk)" },
		{ "1", "1 km" }, { "2", "2 km" }, { "5", "5 km" },
		{ "10", "10 km" }, { "25", "25 km" }
	};

	buf_puts(b, "<form class=\"search-form\" id=\"search-form\" "
	    "method=\"get\" action=\"/search\" novalidate>\n");

	field_start(b, f, "postcode", "Postcode", "A full postcode like "
	    "G12 8QQ, a sector like G12 8, or the first part like G12");
	buf_puts(b, "<input class=\"input input-postcode\" id=\"postcode\" "
	    "name=\"postcode\" type=\"text\" autocomplete=\"postal-code\" "
	    "spellcheck=\"false\" value=\"");
	buf_html(b, f->postcode != NULL ? f->postcode : "");
	buf_puts(b, "\"");
	described_by(b, f, "postcode", 1);
	buf_puts(b, ">");
	/* site.js shows this only when the browser can locate itself. */
	buf_puts(b, "<div class=\"geolocate\" data-geolocate hidden>"
	    "<button type=\"button\" class=\"button button-secondary\" "
	    "data-geolocate-button>Use my location</button>"
	    "<p class=\"hint\" data-geolocate-status role=\"status\"></p>"
	    "</div>");
	if (f->postcode == NULL && f->lat != NULL && f->lon != NULL &&
	    f->by_position && field_error(f, "postcode") == NULL) {
		buf_puts(b, "<input type=\"hidden\" name=\"lat\" value=\"");
		buf_html(b, f->lat);
		buf_puts(b, "\"><input type=\"hidden\" name=\"lon\" value=\"");
		buf_html(b, f->lon);
		buf_puts(b, "\"><p class=\"hint\">Searching near your "
		    "location. Enter a postcode to search somewhere else."
		    "</p>");
	}
	buf_puts(b, "</div>\n");

	field_start(b, f, "q", "What they need (optional)", "For example "
	    "food bank, debt advice, walking group, befriending");
	buf_puts(b, "<input class=\"input\" id=\"q\" name=\"q\" "
	    "type=\"search\" value=\"");
	buf_html(b, f->q != NULL ? f->q : "");
	buf_puts(b, "\"");
	described_by(b, f, "q", 1);
	buf_puts(b, "></div>\n");

	field_start(b, f, "category", "Category (optional)", NULL);
	buf_puts(b, "<select class=\"select\" id=\"category\" "
	    "name=\"category\"");
	described_by(b, f, "category", 0);
	buf_puts(b, ">");
	option(b, "", "Any category", f->category);
	for (i = 0; cat != NULL && i < cat->nterms; i++) {
		t = &cat->terms[i];
		if (t->depth == 0) {
			if (in_group)
				buf_puts(b, "</optgroup>");
			buf_puts(b, "<optgroup label=\"");
			buf_html(b, t->name);
			buf_puts(b, "\">");
			in_group = 1;
			snprintf(label, sizeof(label), "All of %s", t->name);
			option(b, t->slug, label, f->category);
			continue;
		}
		/* Deeper levels indented with a dash per level. */
		label[0] = '\0';
		for (d = 1, j = 0; d < t->depth && j + 4 < sizeof(label); d++)
			j += (size_t)snprintf(label + j, sizeof(label) - j,
			    "\u2013 ");
		snprintf(label + j, sizeof(label) - j, "%s", t->name);
		option(b, t->slug, label, f->category);
	}
	if (in_group)
		buf_puts(b, "</optgroup>");
	buf_puts(b, "</select></div>\n");

	field_start(b, f, "radius", "Distance", NULL);
	buf_puts(b, "<select class=\"select\" id=\"radius\" name=\"radius\"");
	described_by(b, f, "radius", 0);
	buf_puts(b, ">");
	for (i = 0; i < sizeof(radii) / sizeof(radii[0]); i++)
		option(b, radii[i].value, radii[i].label, f->radius != NULL ?
		    f->radius : "5");
	buf_puts(b, "</select></div>\n");

	buf_printf(b, "<details class=\"filters\"%s><summary>More filters: "
	    "when, cost, age, access</summary><div class=\"filters-body\">",
	    filters_used(f) ? " open" : "");

	buf_puts(b, "<fieldset class=\"fieldset\"><legend>When</legend>");
	field_start(b, f, "day", "Day", NULL);
	buf_puts(b, "<select class=\"select\" id=\"day\" name=\"day\"");
	described_by(b, f, "day", 0);
	buf_puts(b, ">");
	option(b, "", "Any day", f->day);
	for (i = 1; i <= 7; i++)
		option(b, day_keys[i % 7], day_names[i % 7], f->day);
	buf_puts(b, "</select></div>");
	field_start(b, f, "time", "Time of day", NULL);
	buf_puts(b, "<select class=\"select\" id=\"time\" name=\"time\"");
	described_by(b, f, "time", 0);
	buf_puts(b, ">");
	option(b, "", "Any time", f->time);
	option(b, "morning", "Morning (before 12:00)", f->time);
	option(b, "afternoon", "Afternoon (12:00 to 17:00)", f->time);
	option(b, "evening", "Evening (after 17:00)", f->time);
	buf_puts(b, "</select></div>");
	check(b, f, "open", "open", "1", "Open now", is_on(f->open));
	buf_puts(b, "</fieldset>");

	buf_puts(b, "<fieldset class=\"fieldset\"><legend>Cost and who it is "
	    "for</legend>");
	check(b, f, "free", "free", "1", "Free only", is_on(f->free_));
	field_start(b, f, "age", "Age of the person (optional)", "In years, "
	    "for example 67");
	buf_puts(b, "<input class=\"input input-short\" id=\"age\" "
	    "name=\"age\" type=\"text\" inputmode=\"numeric\" value=\"");
	buf_html(b, f->age != NULL ? f->age : "");
	buf_puts(b, "\"");
	described_by(b, f, "age", 1);
	buf_puts(b, "></div>");
	check(b, f, "self", "self", "1", "They can refer themselves",
	    is_on(f->self));
	check(b, f, "walking", "walking", "1", "Walking groups only",
	    is_on(f->walking));
	buf_puts(b, "</fieldset>");

	if (cat != NULL && cat->nfeatures > 0) {
		buf_puts(b, "<fieldset class=\"fieldset\" id=\"access\" "
		    "tabindex=\"-1\"><legend>Accessibility needs</legend>");
		if (field_error(f, "access") != NULL) {
			buf_puts(b, "<p class=\"error-message\" "
			    "id=\"access-error\"><span class=\"visually-"
			    "hidden\">Error:</span> ");
			buf_html(b, field_error(f, "access"));
			buf_puts(b, "</p>");
		}
		for (i = 0; i < cat->nfeatures; i++) {
			on = 0;
			for (j = 0; j < f->naccess; j++)
				if (strcmp(f->access[j], cat->features[i]) == 0)
					on = 1;
			snprintf(label, sizeof(label), "access-%zu", i + 1);
			check(b, NULL, label, "access", cat->features[i],
			    cat->features[i], on);
		}
		buf_puts(b, "</fieldset>");
	}
	buf_puts(b, "</div></details>\n");

	field_start(b, f, "sort", "Sort results by", NULL);
	buf_puts(b, "<select class=\"select\" id=\"sort\" name=\"sort\"");
	described_by(b, f, "sort", 0);
	buf_puts(b, ">");
	option(b, "distance", "Distance", f->sort != NULL ? f->sort :
	    "distance");
	option(b, "relevance", "Best match for the keywords", f->sort);
	buf_puts(b, "</select></div>\n");

	shortlist_hidden_input(b, req);
	buf_puts(b, "<button type=\"submit\" class=\"button\">Search</button>"
	    "\n</form>\n");
}

static void
form_page(struct http_request *req, struct form *f,
    const struct search_catalog *cat, int status)
{
	struct buf	*b = &req->resp;

	page_begin(req, f->nerr > 0 ? "Error: Find services" :
	    "Find services", 0);
	error_summary(b, f);
	buf_puts(b, "<h1>Find services near someone</h1>\n<p class=\"lead\">"
	    "Groups, advice and support near a postcode: what runs, when, "
	    "for whom and at what cost.</p>\n");
	search_form(b, req, f, cat);
	page_end(req, 0);
	page_send(req, status);
}

void
page_search_home(struct http_request *req)
{
	struct search_catalog	*cat;
	struct form		 f;
	enum db_status		 st;

	if ((st = search_catalog_get(&cat)) != DB_OK) {
		route_db_error(req, st);
		return;
	}
	form_read(req, &f);
	form_page(req, &f, cat, 200);
	search_catalog_put(cat);
}

static void
who_for(struct buf *b, const struct search_item *it)
{
	if (it->min_age >= 0 && it->max_age >= 0)
		buf_printf(b, "Ages %d to %d", it->min_age, it->max_age);
	else if (it->min_age > 0)
		buf_printf(b, "Ages %d and over", it->min_age);
	else if (it->max_age >= 0)
		buf_printf(b, "Ages up to %d", it->max_age);
	else
		buf_puts(b, "All ages");
	if (it->eligibility != NULL) {
		buf_puts(b, ". ");
		buf_html(b, it->eligibility);
	}
}

static void
checked_date(struct buf *b, const char *ymd)
{
	static const char *const months[] = { "January", "February",
	    "March", "April", "May", "June", "July", "August", "September",
	    "October", "November", "December" };
	long long	y, m, d;
	char		part[8];

	if (ymd == NULL || strlen(ymd) != 10)
		return;
	snprintf(part, sizeof(part), "%.4s", ymd);
	if (str_to_ll(part, 1000, 9999, &y) == -1)
		return;
	snprintf(part, sizeof(part), "%.2s", ymd + 5);
	if (str_to_ll(part, 1, 12, &m) == -1)
		return;
	snprintf(part, sizeof(part), "%.2s", ymd + 8);
	if (str_to_ll(part, 1, 31, &d) == -1)
		return;
	buf_printf(b, "%lld %s %lld", d, months[m - 1], y);
}

static void
result_item(struct buf *b, struct http_request *req,
    const struct search_item *it, int number)
{
	buf_printf(b, "<li class=\"result\" id=\"r-%s\" data-result=\"%d\">"
	    "<h3 class=\"result-title\"><a href=\"/services/%s", it->id,
	    number, it->id);
	shortlist_link_query(b, req, '?');
	buf_puts(b, "\">");
	buf_html(b, it->name);
	buf_puts(b, "</a></h3>\n<p class=\"result-org\">");
	buf_html(b, it->org);
	buf_puts(b, "</p>\n<p class=\"badges\">");
	if (it->stale) {
		buf_puts(b, "<span class=\"badge badge-stale\">Needs checking"
		    "</span>");
	} else if (it->last_reviewed != NULL) {
		buf_puts(b, "<span class=\"badge badge-checked\">Checked ");
		checked_date(b, it->last_reviewed);
		buf_puts(b, "</span>");
	}
	if (it->is_demo)
		buf_puts(b, " <span class=\"badge badge-demo\">Demo listing"
		    "</span>");
	if (it->kind != NULL && strcmp(it->kind, "walking_group") == 0)
		buf_puts(b, " <span class=\"badge\">Walking group</span>");
	buf_puts(b, "</p>\n<dl class=\"facts\">");
	if (it->local) {
		buf_puts(b, "<div><dt>Distance</dt><dd>");
		if (it->has_point)
			buf_printf(b, "<span class=\"map-number\" "
			    "aria-hidden=\"true\">%d</span> ", number);
		search_format_distance(it->dist_m, b);
		if (it->place != NULL) {
			buf_puts(b, " <span class=\"place\">– ");
			buf_html(b, it->place);
			buf_puts(b, "</span>");
		}
		buf_puts(b, "</dd></div>");
	} else {
		buf_puts(b, "<div><dt>Area</dt><dd class=\"covers\">Covers ");
		buf_html(b, it->area != NULL ? it->area : "your area");
		buf_puts(b, "</dd></div>");
	}
	buf_puts(b, "<div><dt>Next session</dt><dd>");
	if (it->next != NULL)
		buf_html(b, it->next);
	else
		buf_puts(b, "No set times listed");
	buf_puts(b, "</dd></div><div><dt>Cost</dt><dd>");
	if (it->is_free)
		buf_puts(b, "Free");
	else if (it->cost != NULL)
		buf_html(b, it->cost);
	else
		buf_puts(b, "Not listed – ask the service");
	buf_puts(b, "</dd></div>");
	if (it->categories != NULL) {
		buf_puts(b, "<div><dt>Categories</dt><dd>");
		buf_html(b, it->categories);
		buf_puts(b, "</dd></div>");
	}
	buf_puts(b, "<div><dt>Who it is for</dt><dd>");
	who_for(b, it);
	buf_puts(b, "</dd></div>");
	if (it->self_referral == 1 || it->drop_in == 1) {
		buf_puts(b, "<div><dt>Getting in</dt><dd>");
		if (it->self_referral == 1)
			buf_puts(b, "Self-referral");
		if (it->self_referral == 1 && it->drop_in == 1)
			buf_puts(b, ", ");
		if (it->drop_in == 1)
			buf_puts(b, it->self_referral == 1 ? "drop in" :
			    "Drop in");
		buf_puts(b, "</dd></div>");
	}
	if (it->stale && it->last_reviewed != NULL) {
		buf_puts(b, "<div><dt>Last checked</dt><dd>");
		checked_date(b, it->last_reviewed);
		buf_puts(b, "</dd></div>");
	}
	buf_puts(b, "</dl>\n");
	shortlist_button(b, req, it->id, it->name);
	buf_puts(b, "</li>\n");
}

static void
map_block(struct buf *b, const struct search_query *q,
    const struct search_results *res, int first)
{
	size_t	i;
	int	any = 0;

	for (i = 0; i < res->n; i++)
		if (res->items[i].local && res->items[i].has_point)
			any = 1;
	if (!any)
		return;
	/*
	 * No JavaScript, no map: the container stays hidden and the list
	 * above is complete.  map.js reads the JSON below (CSP forbids
	 * inline scripts, not data blocks).
	 */
	buf_puts(b, "<section class=\"map-section\" data-map-section hidden "
	    "aria-labelledby=\"map-title\"><h2 id=\"map-title\">Map of these "
	    "results</h2><p class=\"hint\">Numbers match the list. The list "
	    "has everything the map shows.</p><div class=\"map\" "
	    "id=\"results-map\" data-tile-url=\"");
	buf_html(b, config.tile_url);
	buf_puts(b, "\" data-attribution=\"");
	buf_html(b, config.tile_attribution);
	buf_puts(b, "\"></div><p class=\"map-note\" data-map-note hidden>"
	    "</p></section>\n<script type=\"application/json\" "
	    "id=\"results-map-data\">");
	buf_printf(b, "{\"centre\":[%.6f,%.6f],\"radius\":%d,\"items\":[",
	    q->lat, q->lon, q->radius_m);
	for (i = 0; i < res->n; i++) {
		const struct search_item	*it = &res->items[i];

		if (!it->local || !it->has_point)
			continue;
		buf_printf(b, "%s{\"n\":%d,\"id\":", any++ > 1 ? "," : "",
		    first + (int)i);
		buf_json_str(b, it->id);
		buf_puts(b, ",\"name\":");
		buf_json_str(b, it->name);
		buf_printf(b, ",\"lat\":%.6f,\"lon\":%.6f}", it->lat, it->lon);
	}
	buf_printf(b, "]}</script>\n<script src=\"%s\" defer></script>\n",
	    asset_url("/assets/js/map.js"));
}

static void
pagination(struct buf *b, struct http_request *req, const struct form *f,
    const struct search_query *q, long long total)
{
	struct buf	url;
	long long	pages;

	pages = (total + SEARCH_PAGE_SIZE - 1) / SEARCH_PAGE_SIZE;
	if (pages > SEARCH_MAX_PAGE)
		pages = SEARCH_MAX_PAGE;
	if (pages <= 1)
		return;
	buf_init(&url);
	buf_puts(b, "<nav class=\"pagination\" aria-label=\"Results pages\">"
	    "<ul>");
	if (q->page > 1) {
		search_url(&url, req, f, q, q->page - 1, -1);
		buf_puts(b, "<li><a rel=\"prev\" href=\"");
		buf_html(b, buf_cstr(&url));
		buf_puts(b, "\">Previous<span class=\"visually-hidden\"> page"
		    "</span></a></li>");
	}
	buf_printf(b, "<li class=\"pagination-current\">Page %d of %lld</li>",
	    q->page, pages);
	if (q->page < pages) {
		buf_reset(&url);
		search_url(&url, req, f, q, q->page + 1, -1);
		buf_puts(b, "<li><a rel=\"next\" href=\"");
		buf_html(b, buf_cstr(&url));
		buf_puts(b, "\">Next<span class=\"visually-hidden\"> page"
		    "</span></a></li>");
	}
	buf_puts(b, "</ul></nav>\n");
	buf_free(&url);
}

static void
results_page(struct http_request *req, struct form *f,
    const struct search_catalog *cat, const struct search_query *q,
    const struct search_results *res)
{
	struct buf	*b = &req->resp, url, title;
	size_t		 i;
	int		 first = (q->page - 1) * SEARCH_PAGE_SIZE + 1;
	int		 in_area = 0, open_list = 0;
	long long	 local = res->total - res->covered;

	buf_init(&url);
	buf_init(&title);
	buf_printf(&title, "Services near %s", f->place_label);
	page_begin(req, buf_cstr(&title), PAGE_MAP | PAGE_NOINDEX);
	/* Results first, then the form: the same order on every screen. */
	buf_puts(b, "<div class=\"search-layout\">\n<div class=\"search-"
	    "results\" id=\"results\" tabindex=\"-1\">\n<h1>");
	buf_html(b, buf_cstr(&title));
	buf_puts(b, "</h1>\n<p class=\"change-link\"><a href=\"#search-form\">"
	    "Change your search</a></p>\n");
	if (res->was_corrected && res->corrected != NULL) {
		buf_puts(b, "<p class=\"corrected\">Showing results for "
		    "<strong>");
		buf_html(b, res->corrected);
		buf_puts(b, "</strong> (you searched for ");
		buf_html(b, q->q);
		buf_puts(b, ")</p>\n");
	}
	buf_puts(b, "<p class=\"result-count\" role=\"status\">");
	if (res->total == 0) {
		buf_puts(b, "No services match this search. Try a larger "
		    "distance, fewer filters or other words.");
	} else {
		buf_printf(b, "%s<strong>%lld</strong> %s within ",
		    res->capped ? "More than " : "", local,
		    local == 1 ? "service" : "services");
		buf_html(b, f->radius != NULL ? f->radius : "5");
		buf_puts(b, " km");
		if (res->covered > 0)
			buf_printf(b, ", and %lld more that cover%s the area",
			    res->covered, res->covered == 1 ? "s" : "");
		buf_puts(b, ".");
	}
	buf_puts(b, "</p>\n");
	if (res->capped)
		buf_printf(b, "<p class=\"hint\">The nearest %lld are listed. "
		    "To see others, add what they need or a filter, or choose "
		    "a smaller distance.</p>\n", local);
	if (res->total > 1 && q->q != NULL) {
		buf_puts(b, "<p class=\"sort-links\">Sorted by ");
		if (q->sort == SEARCH_SORT_RELEVANCE) {
			search_url(&url, req, f, q, 1, SEARCH_SORT_DISTANCE);
			buf_puts(b, "best match. <a href=\"");
			buf_html(b, buf_cstr(&url));
			buf_puts(b, "\">Sort by distance</a>");
		} else {
			search_url(&url, req, f, q, 1, SEARCH_SORT_RELEVANCE);
			buf_puts(b, "distance. <a href=\"");
			buf_html(b, buf_cstr(&url));
			buf_puts(b, "\">Sort by best match</a>");
		}
		buf_puts(b, "</p>\n");
	}
	for (i = 0; i < res->n; i++) {
		if (!res->items[i].local && !in_area) {
			in_area = 1;
			if (open_list)
				buf_puts(b, "</ol>\n");
			open_list = 0;
			buf_puts(b, "<h2 class=\"covers-title\">Services that "
			    "cover the area</h2><p class=\"hint\">They work "
			    "across an area that includes ");
			buf_html(b, f->place_label);
			buf_puts(b, ", but have no venue within the distance "
			    "chosen.</p>\n");
		}
		if (!open_list) {
			/* Items are h3: each list needs an h2 above it. */
			if (!in_area)
				buf_puts(b, "<h2 class=\"visually-hidden\">"
				    "Services nearby</h2>\n");
			buf_printf(b, "<ol class=\"results\" start=\"%d\">\n",
			    first + (int)i);
			open_list = 1;
		}
		result_item(b, req, &res->items[i], first + (int)i);
	}
	if (open_list)
		buf_puts(b, "</ol>\n");
	pagination(b, req, f, q, res->total);
	map_block(b, q, res, first);
	buf_puts(b, "</div>\n<div class=\"search-panel\"><h2 "
	    "class=\"panel-title\">Change your search</h2>");
	search_form(b, req, f, cat);
	buf_puts(b, "</div>\n</div>\n");
	page_end(req, PAGE_MAP);
	page_send(req, 200);
	buf_free(&url);
	buf_free(&title);
}

static int
catalog_knows(const struct search_catalog *cat, const struct form *f)
{
	size_t	i;

	if (f->category != NULL && search_catalog_term(cat,
	    f->category) == NULL)
		return (0);
	for (i = 0; i < f->naccess; i++)
		if (search_catalog_feature(cat, f->access[i]) == NULL)
			return (0);
	return (1);
}

void
page_search_results(struct http_request *req)
{
	struct search_catalog	*cat;
	struct search_query	 q;
	struct search_results	 res;
	struct form		 f;
	enum db_status		 st;
	char			 areas[SEARCH_MAX_AREAS][16];

	if ((st = search_catalog_get(&cat)) != DB_OK) {
		route_db_error(req, st);
		return;
	}
	form_read(req, &f);
	/*
	 * A category or feature the cached catalogue lacks may have been
	 * added since it was read: read it again (at most once a second)
	 * before calling the value wrong.
	 */
	if (!catalog_knows(cat, &f)) {
		search_catalog_put(cat);
		if ((st = search_catalog_get_fresh(&cat, 1)) != DB_OK) {
			route_db_error(req, st);
			return;
		}
	}
	if ((st = form_check(req, &f, cat, &q, areas)) != DB_OK) {
		route_db_error(req, st);
		goto out;
	}
	if (f.nerr > 0) {
		form_page(req, &f, cat, f.status);
		goto out;
	}
	if ((st = search_run(&q, time(NULL), &res)) != DB_OK) {
		route_db_error(req, st);
		goto out;
	}
	results_page(req, &f, cat, &q, &res);
	search_results_free(&res);
out:
	search_catalog_put(cat);
}
