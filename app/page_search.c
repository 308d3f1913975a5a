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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asset.h"
#include "config.h"
#include "form.h"
#include "geo.h"
#include "http.h"
#include "log.h"
#include "page.h"
#include "page_search.h"
#include "postcode.h"
#include "reply.h"
#include "search.h"
#include "shortlist.h"

/*
 * The fields in page order, which is the error summary's order.  Only
 * the catalogue knows the categories and accessibility needs: a request
 * copies the table and fills those in (search_form_init).
 */
static const struct form_choice radius_choices[] = {
	{ "0.5", "0.5 km (about 6 minutes' walk)" },
	{ "1", "1 km" }, { "2", "2 km" }, { "5", "5 km" },
	{ "10", "10 km" }, { "25", "25 km" },
	{ NULL, NULL }
};

/* search_parse_day's keys, the week from Monday. */
static const struct form_choice day_choices[] = {
	{ "mon", "Monday" }, { "tue", "Tuesday" },
	{ "wed", "Wednesday" }, { "thu", "Thursday" },
	{ "fri", "Friday" }, { "sat", "Saturday" },
	{ "sun", "Sunday" },
	{ NULL, NULL }
};

static const struct form_choice time_choices[] = {
	{ "morning", "Morning (before 12:00)" },
	{ "afternoon", "Afternoon (12:00 to 17:00)" },
	{ "evening", "Evening (after 17:00)" },
	{ NULL, NULL }
};

static const struct form_choice sort_choices[] = {
	{ "distance", "Distance" },
	{ "relevance", "Best match for the keywords" },
	{ NULL, NULL }
};

/* Links say open=1; a hand-written free=yes still works (form.h). */
#define CHECKBOX(n, l)	{ .name = (n), .label = (l), .kind = FORM_CHECKBOX, \
	.on_value = "1", .wrap_class = "checkbox", \
	.format_msg = "Tick \"" l "\" or leave it empty" }

static const struct form_field search_fields[] = {
	/* Required, but a position will do instead: the page checks. */
	{ .name = "postcode", .label = "Postcode", .kind = FORM_POSTCODE,
	  .any_postcode = 1, .no_optional = 1,
	  .control_class = "input input-postcode",
	  .autocomplete = "postal-code", .format_msg = POSTCODE_FORMAT_HELP,
	  .hint = "A full postcode like G12 8QQ, a sector like G12 8, or the "
	  "first part like G12" },
	/* From "use my location"; parsed by the page, which links a bad
	 * one to the postcode that could replace it. */
	{ .name = "lat", .label = "Your location", .kind = FORM_HIDDEN,
	  .max = 32, .anchor = "postcode" },
	{ .name = "lon", .label = "Your location", .kind = FORM_HIDDEN,
	  .max = 32, .anchor = "postcode" },
	{ .name = "q", .label = "What they need", .kind = FORM_TEXT,
	  .max = SEARCH_Q_MAX, .input_type = "search",
	  .hint = "For example food bank, debt advice, walking group, "
	  "befriending" },
	{ .name = "category", .label = "Category", .kind = FORM_SELECT,
	  .empty_label = "Any category",
	  .format_msg = "Choose a category from the list" },
	{ .name = "radius", .label = "Distance", .kind = FORM_SELECT,
	  .no_optional = 1, .choices = radius_choices, .default_value = "5",
	  .format_msg = "Choose a distance from the list" },
	{ .name = "day", .label = "Day", .kind = FORM_SELECT,
	  .no_optional = 1, .choices = day_choices, .empty_label = "Any day",
	  .format_msg = "Choose a day from the list" },
	{ .name = "time", .label = "Time of day", .kind = FORM_SELECT,
	  .no_optional = 1, .choices = time_choices,
	  .empty_label = "Any time",
	  .format_msg = "Choose a time of day from the list" },
	CHECKBOX("open", "Open now"),
	CHECKBOX("free", "Free only"),
	{ .name = "age", .label = "Age of the person", .kind = FORM_INT,
	  .min_value = 0, .max_value = 130, .inputmode = "numeric",
	  .hint = "In years, for example 67",
	  .format_msg = "Enter age as a whole number of years, like 34" },
	CHECKBOX("self", "They can refer themselves"),
	CHECKBOX("walking", "Walking groups only"),
	{ .name = "access", .label = "Accessibility needs",
	  .kind = FORM_CHECKBOXES, .numbered = 1, .anchor = "access",
	  .format_msg = "Choose accessibility needs from the list" },
	{ .name = "sort", .label = "Sort results by", .kind = FORM_SELECT,
	  .no_optional = 1, .choices = sort_choices,
	  .default_value = "distance",
	  .format_msg = "Choose how to sort from the list" },
	/* Set by the page links, never drawn: its error names the form. */
	{ .name = "page", .label = "Page", .kind = FORM_INT, .min_value = 1,
	  .max_value = SEARCH_MAX_PAGE, .anchor = "search-form" },
};

#define NSEARCH		(sizeof(search_fields) / sizeof(search_fields[0]))
#define LABEL_MAX	256

/* The form with this request's catalogue, and what the search found. */
struct search_form {
	struct form		 form;
	struct form_field	 fields[NSEARCH];
	struct form_choice	*categories, *features;
	const char		**groups;
	char			(*labels)[LABEL_MAX];
	int			 not_found;	/* the postcode's: a 404 */
	char			 place[POSTCODE_MAX + 16];
	/* The place for people: says when it is a sector or district. */
	char			 place_label[POSTCODE_MAX + 32];
	int			 by_position;
};

static void
search_form_free(struct search_form *sf)
{
	form_free(&sf->form);
	free(sf->categories);
	free(sf->features);
	free(sf->groups);
	free(sf->labels);
}

/* The table with the catalogue's choices; -1 when out of memory. */
static int
search_form_init(struct search_form *sf, const struct search_catalog *cat)
{
	const struct search_term	*t;
	struct form_choice		*c;
	size_t				 i, j, k;
	int				 d;

	memset(sf, 0, sizeof(*sf));
	memcpy(sf->fields, search_fields, sizeof(sf->fields));
	form_init(&sf->form, sf->fields, NSEARCH);
	if ((sf->categories = calloc(cat->nterms + 1,
	    sizeof(*sf->categories))) == NULL ||
	    (sf->groups = calloc(cat->nterms + 1,
	    sizeof(*sf->groups))) == NULL ||
	    (sf->labels = calloc(cat->nterms + 1, LABEL_MAX)) == NULL ||
	    (sf->features = calloc(cat->nfeatures + 1,
	    sizeof(*sf->features))) == NULL)
		return (-1);
	for (i = 0; i < cat->nterms; i++) {
		t = &cat->terms[i];
		c = &sf->categories[i];
		c->value = t->slug;
		c->label = sf->labels[i];
		if (t->depth == 0) {
			sf->groups[i] = t->name;
			snprintf(sf->labels[i], LABEL_MAX, "All of %s",
			    t->name);
			continue;
		}
		/* Deeper levels indented with a dash per level. */
		for (d = 1, j = 0; d < t->depth && j + 4 < LABEL_MAX; d++)
			j += (size_t)snprintf(sf->labels[i] + j, LABEL_MAX - j,
			    "\u2013 ");
		snprintf(sf->labels[i] + j, LABEL_MAX - j, "%s", t->name);
	}
	for (i = 0; i < cat->nfeatures; i++)
		sf->features[i].value = sf->features[i].label =
		    cat->features[i];
	k = (size_t)form_index(&sf->form, "category");
	sf->fields[k].choices = sf->categories;
	sf->fields[k].groups = sf->groups;
	k = (size_t)form_index(&sf->form, "access");
	sf->fields[k].choices = sf->features;
	return (0);
}

/* As sent, whether or not it was right. */
static const char *
sent(const struct search_form *sf, const char *name)
{
	int	i = form_index(&sf->form, name);

	return (i == -1 ? NULL : sf->form.raw[i]);
}

/*
 * The page's own checks, after form_read, and the query from the values;
 * errors go into the form.
 */
static enum db_status
search_check(struct http_request *req, struct search_form *sf,
    const struct search_catalog *cat, struct search_query *q,
    char areas[][16])
{
	struct form		*f = &sf->form;
	struct postcode_info	 pc;
	const char		*v, *c, *access[SEARCH_MAX_ACCESS];
	const char		*lat, *lon;
	long long		 ll;
	size_t			 i, n;
	char			 msg[192];

	memset(q, 0, sizeof(*q));
	q->catalog = cat;
	q->wday = -1;
	q->age = -1;
	q->page = 1;
	q->radius_m = 5000;

	/* Values form_read passed are in the lists these parse. */
	q->q = form_value(f, "q");
	if ((v = form_value(f, "radius")) != NULL)
		q->radius_m = search_parse_radius(v);
	if ((v = form_value(f, "category")) != NULL)
		q->category = search_catalog_term(cat, v);
	if ((v = form_value(f, "day")) != NULL)
		q->wday = search_parse_day(v);
	if ((v = form_value(f, "time")) != NULL)
		q->tod = (enum search_tod)search_parse_tod(v);
	q->open_now = form_value(f, "open") != NULL;
	q->free_only = form_value(f, "free") != NULL;
	q->self_referral = form_value(f, "self") != NULL;
	q->walking = form_value(f, "walking") != NULL;
	if ((v = form_value(f, "age")) != NULL &&
	    str_to_ll(v, 0, 130, &ll) == 0)
		q->age = (int)ll;
	/* Each one, not the comma list: a need may have a comma in it. */
	if (form_value(f, "access") != NULL) {
		n = http_param_all(req, "access", access, SEARCH_MAX_ACCESS);
		for (i = 0; i < n; i++)
			if ((c = search_catalog_feature(cat, access[i])) !=
			    NULL)
				q->access[q->naccess++] = c;
	}
	if ((v = form_value(f, "sort")) != NULL &&
	    strcmp(v, "relevance") == 0)
		q->sort = SEARCH_SORT_RELEVANCE;
	if ((v = form_value(f, "page")) != NULL &&
	    str_to_ll(v, 1, SEARCH_MAX_PAGE, &ll) == 0)
		q->page = (int)ll;

	/* Where: a typed postcode wins over a remembered position. */
	if (form_has_error(f, "postcode"))
		return (DB_OK);
	if ((v = form_value(f, "postcode")) != NULL) {
		switch (postcode_lookup(v, &pc)) {
		case POSTCODE_FOUND:
			break;
		case POSTCODE_MALFORMED:
			form_error(f, "postcode", POSTCODE_FORMAT_HELP);
			return (DB_OK);
		case POSTCODE_NOT_FOUND:
			postcode_not_found(&pc, msg, sizeof(msg));
			form_error(f, "postcode", msg);
			sf->not_found = 1;
			return (DB_OK);
		case POSTCODE_DB_DOWN:
			return (DB_UNAVAILABLE);
		default:
			return (DB_ERROR);
		}
		search_query_at(q, &pc, areas);
		str_copy(sf->place, sizeof(sf->place), pc.postcode);
		/* "Near G1 1" alone reads like a typo for G11. */
		if (pc.kind == POSTCODE_FULL)
			str_copy(sf->place_label, sizeof(sf->place_label),
			    pc.postcode);
		else
			snprintf(sf->place_label, sizeof(sf->place_label),
			    "%s %s", postcode_kind_label(pc.kind),
			    pc.postcode);
		return (DB_OK);
	}
	lat = sent(sf, "lat");
	lon = sent(sf, "lon");
	if (lat != NULL || lon != NULL || form_has_error(f, "lat") ||
	    form_has_error(f, "lon")) {
		sf->by_position = 1;
		if (form_has_error(f, "lat") || form_has_error(f, "lon") ||
		    lat == NULL || lon == NULL ||
		    str_to_double(lat, -90, 90, &q->lat) == -1 ||
		    str_to_double(lon, -180, 180, &q->lon) == -1 ||
		    !geo_in_area(q->lat, q->lon) ||
		    geo_to_grid(q->lat, q->lon, &q->east, &q->north) == -1) {
			form_error(f, "postcode", "We could not use your "
			    "location: it is outside the area we cover. "
			    "Enter a postcode like G12 8QQ instead");
			return (DB_OK);
		}
		str_copy(sf->place, sizeof(sf->place), "your location");
		str_copy(sf->place_label, sizeof(sf->place_label),
		    "your location");
		return (search_areas_near(q, areas, SEARCH_MAX_AREAS));
	}
	form_error(f, "postcode", "Enter a postcode");
	return (DB_OK);
}

/*
 * The search's URL, from validated values: page and sort as given (0 and
 * -1 mean the search's own).
 */
static void
search_url(struct buf *b, struct http_request *req,
    const struct search_form *sf, const struct search_query *q, int page,
    int sort)
{
	static const char *const day_keys[] = { "sun", "mon", "tue", "wed",
	    "thu", "fri", "sat" };
	size_t	i;

	buf_puts(b, "/search?");
	if (form_value(&sf->form, "postcode") != NULL) {
		buf_puts(b, "postcode=");
		buf_url(b, sf->place);
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
		buf_url(b, form_value(&sf->form, "radius"));
	}
	if (q->wday >= 0)
		buf_printf(b, "&day=%s", day_keys[q->wday]);
	if (q->tod != SEARCH_TOD_ANY)
		buf_printf(b, "&time=%s", form_value(&sf->form, "time"));
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

/* "More filters" opens when one is set or wrong. */
static int
filters_used(const struct search_form *sf)
{
	static const char *const filters[] = { "day", "time", "open", "free",
	    "age", "self", "walking", "access" };
	size_t	i;

	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (sent(sf, filters[i]) != NULL ||
		    form_has_error(&sf->form, filters[i]))
			return (1);
	return (0);
}

static void
search_form(struct buf *b, struct http_request *req,
    const struct search_form *sf, const struct search_catalog *cat)
{
	const struct form	*f = &sf->form;

	buf_puts(b, "<form class=\"search-form\" id=\"search-form\" "
	    "method=\"get\" action=\"/search\" novalidate>\n");

	form_field_open(b, f, "postcode");
	/* site.js shows this only when the browser can locate itself. */
	buf_puts(b, "<div class=\"geolocate\" data-geolocate hidden>"
	    "<button type=\"button\" class=\"button button-secondary\" "
	    "data-geolocate-button>Use my location</button>"
	    "<p class=\"hint\" data-geolocate-status role=\"status\"></p>"
	    "</div>");
	if (form_value(f, "postcode") == NULL && sf->by_position &&
	    !form_has_error(f, "postcode")) {
		form_field(b, f, "lat");
		form_field(b, f, "lon");
		buf_puts(b, "<p class=\"hint\">Searching near your location. "
		    "Enter a postcode to search somewhere else.</p>");
	}
	form_field_close(b);
	form_fields(b, f, "q", "radius");

	buf_printf(b, "<details class=\"filters\"%s><summary>More filters: "
	    "when, cost, age, access</summary><div class=\"filters-body\">",
	    filters_used(sf) ? " open" : "");
	buf_puts(b, "<fieldset class=\"fieldset\"><legend>When</legend>");
	form_fields(b, f, "day", "open");
	buf_puts(b, "</fieldset>");
	buf_puts(b, "<fieldset class=\"fieldset\"><legend>Cost and who it is "
	    "for</legend>");
	form_fields(b, f, "free", "walking");
	buf_puts(b, "</fieldset>");
	if (cat->nfeatures > 0)
		form_field(b, f, "access");
	buf_puts(b, "</div></details>\n");
	form_field(b, f, "sort");

	shortlist_hidden_input(b, req);
	buf_puts(b, "<button type=\"submit\" class=\"button\">Search</button>"
	    "\n</form>\n");
}

static void
form_page(struct http_request *req, const struct search_form *sf,
    const struct search_catalog *cat, int status)
{
	struct buf	*b = &req->resp;

	page_begin(req, sf->form.nerr > 0 ? "Error: Find services" :
	    "Find services", 0);
	form_summary(b, &sf->form);
	buf_puts(b, "<h1>Find services near someone</h1>\n<p class=\"lead\">"
	    "Groups, advice and support near a postcode: what runs, when, "
	    "for whom and at what cost.</p>\n");
	search_form(b, req, sf, cat);
	page_end(req, 0);
	page_send(req, status);
}

void
page_search_home(struct http_request *req)
{
	struct search_catalog	*cat;
	struct search_form	 sf;
	enum db_status		 st;

	if ((st = search_catalog_get(&cat)) != DB_OK) {
		reply_db_error(req, st);
		return;
	}
	if (search_form_init(&sf, cat) == -1) {
		log_warn("search: out of memory for the form");
		reply_db_error(req, DB_ERROR);
		goto out;
	}
	/* A link may fill the form in; what is wrong with it shows. */
	form_read(&sf.form, req);
	form_page(req, &sf, cat, 200);
out:
	search_form_free(&sf);
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
	buf_printf(b, "<section class=\"map-section\" data-map-section hidden "
	    "data-leaflet=\"%s\" aria-labelledby=\"map-title\"><h2 "
	    "id=\"map-title\">Map of these results</h2>",
	    asset_url("/assets/leaflet/leaflet.js"));
	buf_puts(b, "<p class=\"hint\">Numbers match the list. The list "
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
pagination(struct buf *b, struct http_request *req,
    const struct search_form *f, const struct search_query *q,
    long long total)
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
results_page(struct http_request *req, const struct search_form *f,
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
	/*
	 * Leaflet only once the page is idle (map.js): on a phone its
	 * script held the main thread for a second before the list could
	 * be read.
	 */
	page_begin(req, buf_cstr(&title), PAGE_MAP_LATER | PAGE_NOINDEX);
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
		buf_html(b, form_value(&f->form, "radius"));
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
	page_end(req, PAGE_MAP_LATER);
	page_send(req, 200);
	buf_free(&url);
	buf_free(&title);
}

/* Every category and need asked for, before form_read judges them. */
static int
catalog_knows(const struct search_catalog *cat, struct http_request *req)
{
	const char	*v[SEARCH_MAX_ACCESS];
	size_t		 i, n;

	if ((v[0] = http_param(req, "category")) != NULL &&
	    search_catalog_term(cat, v[0]) == NULL)
		return (0);
	n = http_param_all(req, "access", v, SEARCH_MAX_ACCESS);
	for (i = 0; i < n; i++)
		if (search_catalog_feature(cat, v[i]) == NULL)
			return (0);
	return (1);
}

void
page_search_results(struct http_request *req)
{
	struct search_catalog	*cat;
	struct search_query	 q;
	struct search_results	 res;
	struct search_form	 sf;
	enum db_status		 st;
	char			 areas[SEARCH_MAX_AREAS][16];

	if ((st = search_catalog_get(&cat)) != DB_OK) {
		reply_db_error(req, st);
		return;
	}
	/*
	 * A category or feature the cached catalogue lacks may have been
	 * added since it was read: read it again (at most once a second)
	 * before calling the value wrong.
	 */
	if (!catalog_knows(cat, req)) {
		search_catalog_put(cat);
		if ((st = search_catalog_get_fresh(&cat, 1)) != DB_OK) {
			reply_db_error(req, st);
			return;
		}
	}
	if (search_form_init(&sf, cat) == -1) {
		log_warn("search: out of memory for the form");
		reply_db_error(req, DB_ERROR);
		goto out;
	}
	form_read(&sf.form, req);
	if ((st = search_check(req, &sf, cat, &q, areas)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (sf.form.nerr > 0) {
		/* A postcode we do not know is a 404; anything else a 400. */
		form_page(req, &sf, cat, sf.not_found && sf.form.nerr == 1 ?
		    404 : 400);
		goto out;
	}
	if ((st = search_run(&q, time(NULL), &res)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	results_page(req, &sf, cat, &q, &res);
	search_results_free(&res);
out:
	search_form_free(&sf);
	search_catalog_put(cat);
}
