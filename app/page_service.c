/*
 * The service and organisation pages, and "report a problem".  The pages
 * are complete without JavaScript: the map is an extra, the address and
 * an OpenStreetMap link are always there.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "asset.h"
#include "auth.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "page.h"
#include "form.h"
#include "page_service.h"
#include "reply.h"
#include "schedule.h"
#include "shortlist.h"

#define MAX_SCHEDULES	32
#define NEXT_SESSIONS	3
#define DETAILS_MAX	2000	/* characters; sql/009 says the same */
#define EMAIL_MAX	254

static const struct db_stmt stmts[] = {
	{ "svc_get",
	  "SELECT s.id, s.name, s.alternate_name, s.description, s.url,"
	  " s.email, s.status, s.kind, s.interpretation_services,"
	  " s.application_process, s.fees_description,"
	  " s.eligibility_description, s.minimum_age, s.maximum_age,"
	  " s.alert, s.is_free, s.cost_description, s.self_referral,"
	  " s.professional_referral, s.drop_in, s.booking_required,"
	  " s.referral_description,"
	  " to_char(s.last_reviewed, 'FMDD FMMonth YYYY'),"
	  " coalesce(s.review_due, s.last_reviewed"
	  "   + make_interval(months => $2::int)) < current_date,"
	  " s.is_demo, o.id, o.name,"
	  " w.grade, w.grade_label, trim_scale(w.length_km)::text,"
	  " w.duration_minutes, w.terrain, w.meeting_point,"
	  " ml.name, ml.address_1, ml.postal_code"
	  " FROM service s"
	  " JOIN organization o ON o.id = s.organization_id"
	  " LEFT JOIN walk_detail w ON w.service_id = s.id"
	  " LEFT JOIN location ml ON ml.id = w.meeting_location_id"
	  " WHERE s.id = $1" },
	/* Where an imported listing comes from (sql/024). */
	{ "svc_source",
	  "SELECT k.source, src.url,"
	  " to_char(k.checked_at, 'FMDD FMMonth YYYY'), src.attribution"
	  " FROM import_key k LEFT JOIN import_source src"
	  " ON src.name = k.source WHERE k.service_id = $1"
	  " ORDER BY k.checked_at DESC LIMIT 1" },
	{ "svc_categories",
	  "SELECT t.name FROM service_taxonomy st"
	  " JOIN taxonomy_term t ON t.id = st.taxonomy_term_id"
	  " WHERE st.service_id = $1 ORDER BY t.name" },
	{ "svc_costs",
	  "SELECT option, to_char(amount, 'FM999999990.00'), currency,"
	  " amount_description FROM cost_option"
	  " WHERE service_id = $1"
	  " AND (valid_to IS NULL OR valid_to >= current_date)"
	  " ORDER BY amount NULLS LAST, option" },
	{ "svc_locations",
	  "SELECT l.id, l.location_type, l.name,"
	  " CASE WHEN NOT l.address_hidden THEN l.address_1 END,"
	  " CASE WHEN NOT l.address_hidden THEN l.address_2 END,"
	  " l.city, l.postal_code, l.latitude, l.longitude, l.description,"
	  " l.transportation, l.url, sal.description"
	  " FROM service_at_location sal"
	  " JOIN location l ON l.id = sal.location_id"
	  " WHERE sal.service_id = $1"
	  " ORDER BY l.name NULLS LAST, l.address_1 NULLS LAST, l.id" },
	{ "svc_access",
	  "SELECT a.location_id, a.description, a.details, a.url"
	  " FROM accessibility a"
	  " JOIN service_at_location sal ON sal.location_id = a.location_id"
	  " WHERE sal.service_id = $1 ORDER BY a.description, a.id" },
	{ "svc_schedules",
	  "SELECT " SCHEDULE_COLUMNS ", l.name"
	  " FROM schedule sch"
	  " LEFT JOIN service_at_location sal"
	  "   ON sal.id = sch.service_at_location_id"
	  " LEFT JOIN location l"
	  "   ON l.id = coalesce(sal.location_id, sch.location_id)"
	  " WHERE sch.service_id = $1 OR sal.service_id = $1"
	  " ORDER BY sch.opens_at NULLS LAST, sch.id" },
	{ "svc_contacts",
	  "SELECT name, title, department, email FROM contact"
	  " WHERE service_id = $1 ORDER BY name NULLS LAST, id" },
	{ "svc_phones",
	  "SELECT p.number, p.extension, p.type, p.description,"
	  " coalesce(c.name, l.name, o.name)"
	  " FROM phone p"
	  " LEFT JOIN contact c ON c.id = p.contact_id"
	  " LEFT JOIN location l ON l.id = p.location_id"
	  " LEFT JOIN organization o ON o.id = p.organization_id"
	  "   AND p.service_id IS NULL"
	  " WHERE p.service_id = $1 OR c.service_id = $1"
	  " OR p.location_id IN (SELECT location_id FROM service_at_location"
	  "   WHERE service_id = $1)"
	  /* The organisation's number when the service has none. */
	  " OR (p.service_id IS NULL AND p.contact_id IS NULL"
	  "   AND p.organization_id = (SELECT organization_id FROM service"
	  "     WHERE id = $1)"
	  "   AND NOT EXISTS (SELECT 1 FROM phone sp WHERE sp.service_id = $1))"
	  " ORDER BY p.service_id IS NULL, o.id IS NOT NULL, p.number" },
	{ "svc_languages",
	  "SELECT coalesce(name, code), note FROM language"
	  " WHERE service_id = $1 ORDER BY 1" },
	{ "svc_areas",
	  "SELECT DISTINCT coalesce(a.name, sa.name, sa.area_code)"
	  " FROM service_area sa LEFT JOIN area a ON a.code = sa.area_code"
	  " WHERE sa.service_id = $1 ORDER BY 1" },
	{ "svc_name",
	  "SELECT name FROM service WHERE id = $1" },
	{ "org_get",
	  "SELECT o.id, o.name, o.alternate_name, o.description, o.email,"
	  " coalesce(o.website, o.url), o.legal_status, o.uri, o.is_demo"
	  " FROM organization o WHERE o.id = $1" },
	{ "org_services",
	  "SELECT s.id, s.name, s.description, s.kind, s.status, s.is_free,"
	  " s.is_demo FROM service s WHERE s.organization_id = $1"
	  " ORDER BY s.status <> 'active', s.name, s.id" },
	{ "org_phones",
	  "SELECT number, extension, description FROM phone"
	  " WHERE organization_id = $1 AND service_id IS NULL"
	  " ORDER BY number" },
	{ "report_insert",
	  "INSERT INTO problem_report (service_id, problem, details, email)"
	  " VALUES ($1, $2, $3, $4) RETURNING id" },
};

/* svc_get's columns. */
enum {
	S_ID, S_NAME, S_ALT, S_DESC, S_URL, S_EMAIL, S_STATUS, S_KIND,
	S_INTERP, S_APPLY, S_FEES, S_ELIG, S_MINAGE, S_MAXAGE, S_ALERT,
	S_FREE, S_COST, S_SELF, S_PRO, S_DROPIN, S_BOOKING, S_REFDESC,
	S_CHECKED, S_STALE, S_DEMO, S_ORGID, S_ORGNAME, S_GRADE,
	S_GRADELABEL, S_LENGTH, S_DURATION, S_TERRAIN, S_MEETING,
	S_MEETNAME, S_MEETADDR, S_MEETPC
};

void
page_service_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/* Text with blank lines as paragraph breaks and newlines as <br>. */
static void
paras(struct buf *b, const char *text, const char *cls)
{
	struct buf	 line;
	const char	*p, *e;
	int		 open = 0;

	if (text == NULL)
		return;
	buf_init(&line);
	for (p = text; *p != '\0'; p = *e == '\n' ? e + 1 : e) {
		if ((e = strchr(p, '\n')) == NULL)
			e = p + strlen(p);
		buf_reset(&line);
		if (e > p)
			buf_append(&line, p, (size_t)(e - p));
		if (line.len == 0 || *str_trim(line.data) == '\0') {
			if (open)
				buf_puts(b, "</p>\n");
			open = 0;
			continue;
		}
		if (open)
			buf_puts(b, "<br>");
		else if (cls != NULL)
			buf_printf(b, "<p class=\"%s\">", cls);
		else
			buf_puts(b, "<p>");
		open = 1;
		buf_html(b, line.data);
	}
	if (open)
		buf_puts(b, "</p>\n");
	buf_free(&line);
}

static void
mail_link(struct buf *b, const char *email)
{
	buf_puts(b, "<a href=\"mailto:");
	buf_html(b, email);
	buf_puts(b, "\">");
	buf_html(b, email);
	buf_puts(b, "</a>");
}

/* Only http(s) URLs reach the database (valid_http_url), so a plain
 * escaped href is safe here. */
static void
web_link(struct buf *b, const char *url, const char *text)
{
	buf_puts(b, "<a href=\"");
	buf_html(b, url);
	buf_puts(b, "\" rel=\"noopener\">");
	buf_html(b, text != NULL ? text : url);
	buf_puts(b, "</a>");
}

static void
demo_badge(struct buf *b)
{
	buf_puts(b, " <span class=\"badge badge-demo\" title=\"A sample "
	    "listing to show how Signpost works; not a real service\">"
	    "Demo listing</span>");
}

/* A link to a page of ours, keeping the shortlist in the URL. */
static void
own_link(struct buf *b, const struct http_request *req, const char *prefix,
    const char *id, const char *suffix, const char *text)
{
	buf_puts(b, "<a href=\"");
	buf_puts(b, prefix);
	buf_html(b, id);
	buf_puts(b, suffix);
	shortlist_link_query(b, req, '?');
	buf_puts(b, "\">");
	buf_html(b, text);
	buf_puts(b, "</a>");
}

/* pre, then text escaped, then post: nothing at all when text is NULL. */
static void
wrapped(struct buf *b, const char *pre, const char *text, const char *post)
{
	if (text == NULL)
		return;
	buf_puts(b, pre);
	buf_html(b, text);
	buf_puts(b, post);
}

/* A section of the service page, labelled by its h2 (id "h-<id>"). */
static void
section_begin(struct buf *b, const char *cls, const char *id,
    const char *title)
{
	buf_puts(b, "<section class=\"detail-section");
	if (cls != NULL) {
		buf_puts(b, " ");
		buf_html(b, cls);
	}
	buf_puts(b, "\" aria-labelledby=\"h-");
	buf_html(b, id);
	buf_puts(b, "\"><h2 id=\"h-");
	buf_html(b, id);
	buf_puts(b, "\">");
	buf_html(b, title);
	buf_puts(b, "</h2>\n");
}

static void
not_found(struct http_request *req, const char *what)
{
	char	msg[256];

	snprintf(msg, sizeof(msg), "We could not find that %s. It may have "
	    "been removed, or the link may be mistyped.", what);
	reply_error(req, 404, msg);
}

/* The {id} of the route when it is a UUID, else NULL (a 404 is sent). */
static const char *
route_uuid(struct http_request *req, const char *what)
{
	const char	*id = http_route_param(req, "id");

	if (!http_is_uuid(id)) {
		not_found(req, what);
		return (NULL);
	}
	return (id);
}

static void
minutes_text(struct buf *b, long m)
{
	if (m >= 60) {
		buf_printf(b, "%ld hour%s", m / 60, m / 60 == 1 ? "" : "s");
		if (m % 60 != 0)
			buf_printf(b, " %ld minute%s", m % 60,
			    m % 60 == 1 ? "" : "s");
	} else
		buf_printf(b, "%ld minute%s", m, m == 1 ? "" : "s");
}

static void
address_line(struct buf *b, const struct db_result *r, int row, int c_name,
    int c_a1, int c_a2, int c_city, int c_pc)
{
	const int	cols[] = { c_name, c_a1, c_a2, c_city, c_pc };
	size_t		i;
	int		first = 1;
	const char	*v;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		if (cols[i] < 0 || (v = db_text(r, row, cols[i])) == NULL)
			continue;
		if (!first)
			buf_puts(b, ", ");
		buf_html(b, v);
		first = 0;
	}
}

/* rows[i] is the result row schedule i came from. */
static int
load_schedules(const char *id, struct db_result **rp, struct schedule *sch,
    int *rows, size_t *n, enum db_status *st)
{
	const char	*p[1] = { id };
	int		 i;

	*n = 0;
	if ((*st = db_exec("svc_schedules", 1, p, rp)) != DB_OK)
		return (-1);
	for (i = 0; i < db_rows(*rp) && *n < MAX_SCHEDULES; i++)
		if (schedule_from_row(*rp, i, 0, &sch[*n]) == 0)
			rows[(*n)++] = i;
		else
			log_warn("service %s: schedule row %d does not parse",
			    id, i);
	return (0);
}

static void
calendar_link(struct buf *b, const char *id)
{
	buf_puts(b, "<a class=\"calendar-link\" href=\"/services/");
	buf_html(b, id);
	buf_puts(b, "/calendar.ics\">Add to calendar"
	    "<span class=\"visually-hidden\"> (iCalendar file)</span></a>");
}

/* cal: offer the calendar here (walks offer it by "Next walk"). */
static void
section_when(struct buf *b, const struct db_result *sr, const char *id,
    int cal, const struct schedule *sch, const int *rows, size_t nsch,
    const struct session *ss, int nss)
{
	struct buf	t;
	size_t		i;
	int		k, any_where = 0;

	if (nsch == 0)
		return;
	buf_init(&t);
	section_begin(b, NULL, "when", "When");
	if (nss > 0) {
		buf_puts(b, "<h3>Next sessions</h3>\n<ul class=\"sessions\">");
		for (k = 0; k < nss; k++) {
			buf_reset(&t);
			schedule_format_when(&ss[k], &t);
			buf_puts(b, "<li>");
			buf_html(b, buf_cstr(&t));
			buf_puts(b, "</li>");
		}
		buf_puts(b, "</ul>\n");
		if (cal) {
			buf_puts(b, "<p>");
			calendar_link(b, id);
			buf_puts(b, "</p>\n");
		}
	} else if (sch[0].freq[0] != '\0')
		buf_puts(b, "<p>No upcoming sessions are listed.</p>\n");
	for (i = 0; i < nsch; i++)
		if (db_text(sr, rows[i], SCHEDULE_NCOLUMNS) != NULL)
			any_where = 1;
	buf_puts(b, "<table class=\"schedule\"><caption>Regular times"
	    "</caption>\n<thead><tr><th scope=\"col\">When</th>");
	if (any_where)
		buf_puts(b, "<th scope=\"col\">Where</th>");
	buf_puts(b, "<th scope=\"col\">Notes</th></tr></thead>\n<tbody>");
	for (i = 0; i < nsch; i++) {
		buf_reset(&t);
		schedule_describe(&sch[i], &t);
		buf_puts(b, "<tr><td>");
		buf_html(b, t.len > 0 ? buf_cstr(&t) : "Ask for times");
		buf_puts(b, "</td>");
		if (any_where) {
			buf_puts(b, "<td>");
			buf_html(b, db_text(sr, rows[i], SCHEDULE_NCOLUMNS));
			buf_puts(b, "</td>");
		}
		buf_puts(b, "<td>");
		/* Without a rule the description is the "When" already. */
		if (sch[i].freq[0] != '\0')
			buf_html(b, sch[i].description);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody></table>\n</section>\n");
	buf_free(&t);
}

static const char *
grade_help(const char *g)
{
	if (strcmp(g, "easy") == 0)
		return ("short, level, firm paths");
	if (strcmp(g, "moderate") == 0)
		return ("some slopes or rough paths");
	if (strcmp(g, "strenuous") == 0)
		return ("hills, rough ground or long distances");
	return ("");
}

static void
section_walk(struct buf *b, const struct db_result *r, const char *id,
    int running, const struct session *ss, int nss)
{
	const char	*g = db_text(r, 0, S_GRADE), *v;
	struct buf	 t;
	long long	 mins;

	if (g == NULL)
		return;
	buf_init(&t);
	section_begin(b, "walk", "walk", "The walk");
	buf_puts(b, "<dl class=\"facts\">");
	buf_puts(b, "<dt>Grade</dt><dd>");
	buf_printf(b, "%c%s", g[0] - 'a' + 'A', g + 1);
	wrapped(b, " (", db_text(r, 0, S_GRADELABEL), ")");
	buf_printf(b, ": %s</dd>", grade_help(g));
	wrapped(b, "<dt>Length</dt><dd>", db_text(r, 0, S_LENGTH), " km</dd>");
	if ((v = db_text(r, 0, S_DURATION)) != NULL &&
	    str_to_ll(v, 1, 100000, &mins) == 0) {
		buf_puts(b, "<dt>Duration</dt><dd>About ");
		minutes_text(b, (long)mins);
		buf_puts(b, "</dd>");
	}
	wrapped(b, "<dt>Terrain</dt><dd>", db_text(r, 0, S_TERRAIN), "</dd>");
	if (db_text(r, 0, S_MEETING) != NULL ||
	    db_text(r, 0, S_MEETADDR) != NULL) {
		buf_puts(b, "<dt>Meeting point</dt><dd>");
		if ((v = db_text(r, 0, S_MEETING)) != NULL)
			buf_html(b, v);
		if (db_text(r, 0, S_MEETADDR) != NULL ||
		    db_text(r, 0, S_MEETNAME) != NULL) {
			buf_puts(b, v != NULL ? " (" : "");
			address_line(b, r, 0, S_MEETNAME, S_MEETADDR, -1, -1,
			    S_MEETPC);
			buf_puts(b, v != NULL ? ")" : "");
		}
		buf_puts(b, "</dd>");
	}
	if (running) {
		buf_puts(b, "<dt>Next walk</dt><dd>");
		if (nss > 0) {
			schedule_format_when(&ss[0], &t);
			buf_html(b, buf_cstr(&t));
			buf_puts(b, " ");
			calendar_link(b, id);
		} else
			buf_puts(b, "None listed: contact the group");
		buf_puts(b, "</dd>");
	}
	buf_puts(b, "</dl>\n</section>\n");
	buf_free(&t);
}

static void
osm_link(struct buf *b, const char *lat, const char *lon)
{
	buf_puts(b, "<a href=\"https://www.openstreetmap.org/?mlat=");
	buf_html(b, lat);
	buf_puts(b, "&amp;mlon=");
	buf_html(b, lon);
	buf_puts(b, "#map=17/");
	buf_html(b, lat);
	buf_puts(b, "/");
	buf_html(b, lon);
	buf_puts(b, "\">Show on OpenStreetMap</a>");
}

/* svc_locations columns. */
enum {
	L_ID, L_TYPE, L_NAME, L_A1, L_A2, L_CITY, L_PC, L_LAT, L_LON,
	L_DESC, L_TRANSPORT, L_URL, L_SALDESC
};

static void
section_where(struct buf *b, const struct db_result *lr,
    const struct db_result *ar, int *with_map)
{
	int		 i, j, n = db_rows(lr), first;
	const char	*lat, *lon, *v, *lid;

	*with_map = 0;
	if (n == 0)
		return;
	section_begin(b, NULL, "where", "Where");
	for (i = 0; i < n; i++) {
		lid = db_value(lr, i, L_ID);
		buf_puts(b, "<div class=\"location\">");
		buf_puts(b, "<h3>");
		if ((v = db_text(lr, i, L_NAME)) != NULL)
			buf_html(b, v);
		else if (strcmp(db_value(lr, i, L_TYPE), "virtual") == 0)
			buf_puts(b, "Online or by phone");
		else
			buf_html(b, db_text(lr, i, L_A1) != NULL ?
			    db_text(lr, i, L_A1) : "Location");
		buf_puts(b, "</h3>\n");
		if (db_text(lr, i, L_A1) != NULL ||
		    db_text(lr, i, L_PC) != NULL) {
			buf_puts(b, "<p class=\"address\">");
			address_line(b, lr, i, -1, L_A1, L_A2, L_CITY, L_PC);
			buf_puts(b, "</p>\n");
		}
		lat = db_text(lr, i, L_LAT);
		lon = db_text(lr, i, L_LON);
		if (lat != NULL && lon != NULL) {
			buf_puts(b, "<div class=\"service-map\" data-map "
			    "data-lat=\"");
			buf_html(b, lat);
			buf_puts(b, "\" data-lon=\"");
			buf_html(b, lon);
			buf_puts(b, "\" data-label=\"");
			buf_html(b, db_text(lr, i, L_NAME) != NULL ?
			    db_text(lr, i, L_NAME) : db_text(lr, i, L_A1));
			buf_puts(b, "\" data-tile-url=\"");
			buf_html(b, config.tile_url);
			buf_puts(b, "\" data-tile-attribution=\"");
			buf_html(b, config.tile_attribution);
			buf_puts(b, "\"></div>\n<p class=\"map-link\">");
			osm_link(b, lat, lon);
			buf_puts(b, "</p>\n");
			*with_map = 1;
		}
		if ((v = db_text(lr, i, L_SALDESC)) != NULL)
			paras(b, v, NULL);
		if ((v = db_text(lr, i, L_DESC)) != NULL)
			paras(b, v, NULL);
		wrapped(b, "<p><strong>Getting there:</strong> ",
		    db_text(lr, i, L_TRANSPORT), "</p>\n");
		if ((v = db_text(lr, i, L_URL)) != NULL) {
			buf_puts(b, "<p>");
			web_link(b, v, "Venue website");
			buf_puts(b, "</p>\n");
		}
		first = 1;
		for (j = 0; j < db_rows(ar); j++) {
			if (strcmp(db_value(ar, j, 0), lid) != 0)
				continue;
			if (first)
				buf_puts(b, "<h4>Accessibility</h4>\n"
				    "<ul class=\"access\">");
			first = 0;
			buf_puts(b, "<li>");
			buf_html(b, db_text(ar, j, 1) != NULL ?
			    db_text(ar, j, 1) : "Accessibility information");
			if ((v = db_text(ar, j, 2)) != NULL) {
				buf_puts(b, ": ");
				buf_html(b, v);
			}
			if ((v = db_text(ar, j, 3)) != NULL) {
				buf_puts(b, " (");
				web_link(b, v, "more");
				buf_puts(b, ")");
			}
			buf_puts(b, "</li>");
		}
		if (!first)
			buf_puts(b, "</ul>\n");
		buf_puts(b, "</div>\n");
	}
	buf_puts(b, "</section>\n");
}

static void
access_item(struct buf *b, int v, const char *yes, const char *no)
{
	if (v == -1)
		return;
	buf_puts(b, "<li>");
	buf_puts(b, v ? yes : no);
	buf_puts(b, "</li>");
}

static void
section_access(struct buf *b, const struct db_result *r)
{
	const char	*v;

	section_begin(b, NULL, "access", "How to get in");
	if (db_bool(r, 0, S_SELF) == -1 && db_bool(r, 0, S_PRO) == -1 &&
	    db_bool(r, 0, S_DROPIN) == -1 && db_bool(r, 0, S_BOOKING) == -1)
		buf_puts(b, "<p>Not stated: contact them to ask.</p>\n");
	else {
		buf_puts(b, "<ul class=\"access-routes\">");
		access_item(b, db_bool(r, 0, S_SELF),
		    "Self-referral: people can contact them directly",
		    "No self-referral: someone must refer them");
		access_item(b, db_bool(r, 0, S_PRO),
		    "Professional referral: a GP, link worker or support "
		    "worker can refer",
		    "Professional referrals are not taken");
		access_item(b, db_bool(r, 0, S_DROPIN),
		    "Drop-in: no appointment needed",
		    "Not a drop-in: contact them first");
		access_item(b, db_bool(r, 0, S_BOOKING),
		    "Booking needed before going",
		    "No booking needed");
		buf_puts(b, "</ul>\n");
	}
	if ((v = db_text(r, 0, S_REFDESC)) != NULL)
		paras(b, v, NULL);
	if ((v = db_text(r, 0, S_APPLY)) != NULL) {
		buf_puts(b, "<h3>How to apply</h3>\n");
		paras(b, v, NULL);
	}
	buf_puts(b, "</section>\n");
}

static void
section_eligibility(struct buf *b, const struct db_result *r,
    const struct db_result *areas)
{
	const char	*mn = db_text(r, 0, S_MINAGE);
	const char	*mx = db_text(r, 0, S_MAXAGE);
	const char	*v;
	int		 i;

	section_begin(b, NULL, "who", "Who it is for");
	buf_puts(b, "<p>");
	if (mn != NULL && mx != NULL)
		buf_printf(b, "Ages %s to %s", mn, mx);
	else if (mn != NULL)
		buf_printf(b, "Ages %s and over", mn);
	else if (mx != NULL)
		buf_printf(b, "Ages up to %s", mx);
	else
		buf_puts(b, "No age limits stated");
	buf_puts(b, ".</p>\n");
	if ((v = db_text(r, 0, S_ELIG)) != NULL)
		paras(b, v, NULL);
	if (db_rows(areas) > 0) {
		buf_puts(b, "<p>For people in: ");
		for (i = 0; i < db_rows(areas); i++) {
			if (i > 0)
				buf_puts(b, ", ");
			buf_html(b, db_value(areas, i, 0));
		}
		buf_puts(b, ".</p>\n");
	}
	buf_puts(b, "</section>\n");
}

static void
section_cost(struct buf *b, const struct db_result *r,
    const struct db_result *costs)
{
	const char	*v;
	int		 i, amount;

	section_begin(b, NULL, "cost", "Cost");
	if (db_bool(r, 0, S_FREE) == 1)
		buf_puts(b, "<p class=\"cost-free\"><strong>Free</strong>"
		    "</p>\n");
	/* "Free" said twice reads like a mistake. */
	if ((v = db_text(r, 0, S_COST)) != NULL &&
	    !(db_bool(r, 0, S_FREE) == 1 && strcasecmp(v, "free") == 0))
		paras(b, v, NULL);
	if (db_rows(costs) > 0) {
		buf_puts(b, "<ul class=\"cost-options\">");
		for (i = 0; i < db_rows(costs); i++) {
			buf_puts(b, "<li>");
			if ((v = db_text(costs, i, 0)) != NULL) {
				buf_html(b, v);
				buf_puts(b, ": ");
			}
			if ((v = db_text(costs, i, 1)) != NULL) {
				if (strcmp(db_text(costs, i, 2), "GBP") == 0)
					buf_puts(b, "&pound;");
				else {
					buf_html(b, db_text(costs, i, 2));
					buf_puts(b, " ");
				}
				buf_html(b, v);
			}
			if ((v = db_text(costs, i, 3)) != NULL) {
				amount = db_text(costs, i, 1) != NULL;
				buf_puts(b, amount ? " (" : "");
				buf_html(b, v);
				buf_puts(b, amount ? ")" : "");
			}
			buf_puts(b, "</li>");
		}
		buf_puts(b, "</ul>\n");
	}
	if ((v = db_text(r, 0, S_FEES)) != NULL)
		paras(b, v, NULL);
	if (db_bool(r, 0, S_FREE) != 1 && db_text(r, 0, S_COST) == NULL &&
	    db_rows(costs) == 0 && db_text(r, 0, S_FEES) == NULL)
		buf_puts(b, "<p>Not stated: ask when you contact them.</p>\n");
	buf_puts(b, "</section>\n");
}

static void
section_contact(struct buf *b, const struct db_result *r,
    const struct db_result *phones, const struct db_result *contacts)
{
	const char	*v;
	int		 i, any = 0;

	section_begin(b, NULL, "contact", "Contact");
	buf_puts(b, "<ul class=\"contacts\">");
	for (i = 0; i < db_rows(phones); i++) {
		const char	*type = db_text(phones, i, 2);

		buf_puts(b, "<li>");
		buf_puts(b, type != NULL && strcmp(type, "text") == 0 ?
		    "Text: " : type != NULL && strcmp(type, "textphone") == 0 ?
		    "Textphone: " : "Phone: ");
		page_tel_link(b, db_value(phones, i, 0), db_text(phones, i, 1));
		if ((v = db_text(phones, i, 3)) != NULL ||
		    (v = db_text(phones, i, 4)) != NULL) {
			buf_puts(b, " (");
			buf_html(b, v);
			buf_puts(b, ")");
		}
		buf_puts(b, "</li>");
		any = 1;
	}
	if ((v = db_text(r, 0, S_EMAIL)) != NULL) {
		buf_puts(b, "<li>Email: ");
		mail_link(b, v);
		buf_puts(b, "</li>");
		any = 1;
	}
	if ((v = db_text(r, 0, S_URL)) != NULL) {
		buf_puts(b, "<li>Website: ");
		web_link(b, v, NULL);
		buf_puts(b, "</li>");
		any = 1;
	}
	for (i = 0; i < db_rows(contacts); i++) {
		buf_puts(b, "<li>");
		if ((v = db_text(contacts, i, 0)) != NULL)
			buf_html(b, v);
		else
			buf_puts(b, "Contact");
		if ((v = db_text(contacts, i, 1)) != NULL) {
			buf_puts(b, ", ");
			buf_html(b, v);
		}
		if ((v = db_text(contacts, i, 2)) != NULL) {
			buf_puts(b, ", ");
			buf_html(b, v);
		}
		if ((v = db_text(contacts, i, 3)) != NULL) {
			buf_puts(b, ": ");
			mail_link(b, v);
		}
		buf_puts(b, "</li>");
		any = 1;
	}
	if (!any)
		buf_puts(b, "<li>No contact details listed.</li>");
	buf_puts(b, "</ul>\n</section>\n");
}

static void
section_languages(struct buf *b, const struct db_result *r,
    const struct db_result *langs)
{
	int	i;

	if (db_rows(langs) == 0 && db_text(r, 0, S_INTERP) == NULL)
		return;
	section_begin(b, NULL, "lang", "Languages");
	if (db_rows(langs) > 0) {
		buf_puts(b, "<ul class=\"languages\">");
		for (i = 0; i < db_rows(langs); i++) {
			buf_puts(b, "<li>");
			buf_html(b, db_value(langs, i, 0));
			wrapped(b, " (", db_text(langs, i, 1), ")");
			buf_puts(b, "</li>");
		}
		buf_puts(b, "</ul>\n");
	}
	wrapped(b, "<p><strong>Interpreting:</strong> ",
	    db_text(r, 0, S_INTERP), "</p>\n");
	buf_puts(b, "</section>\n");
}

static const char *const service_stmts[] = {
	"svc_categories", "svc_costs", "svc_locations", "svc_access",
	"svc_contacts", "svc_phones", "svc_languages", "svc_areas",
	"svc_source",
};
enum { R_CATS, R_COSTS, R_LOCS, R_ACCESS, R_CONTACTS, R_PHONES, R_LANGS,
    R_AREAS, R_SOURCE, R_N };

/*
 * A signed-in moderator gets the listing's own tools here.  Only a
 * request with a session cookie costs the look-up, and such a page is
 * never stored by a shared cache.
 */
static void
moderator_links(struct buf *b, struct http_request *req, const char *id)
{
	if (http_cookie(req, AUTH_COOKIE) == NULL ||
	    auth_session(req) != DB_OK || req->user_id[0] == '\0')
		return;
	http_header_set(req, "Cache-Control", "private, no-store");
	buf_puts(b, "<p class=\"notice moderator-tools\">Moderator: <a "
	    "href=\"/admin/services/");
	buf_html(b, id);
	buf_puts(b, "/edit\">Edit or unpublish this listing</a> &middot; <a "
	    "href=\"/admin/services/");
	buf_html(b, id);
	buf_puts(b, "/history\">its history</a></p>\n");
}

/* Imported: from where, and when it was last read from there. */
static void
source_line(struct buf *b, const struct db_result *src)
{
	const char	*name = db_value(src, 0, 0);
	const char	*url = db_text(src, 0, 1);

	buf_puts(b, "<p class=\"source\">");
	/* The importers' default names say nothing to a reader. */
	if (url == NULL && (strcmp(name, "csv") == 0 ||
	    strcmp(name, "oruk") == 0))
		buf_puts(b, "Imported");
	else if (url == NULL) {
		buf_puts(b, "From ");
		buf_html(b, name);
	} else {
		buf_puts(b, "From <a href=\"");
		buf_html(b, url);
		buf_puts(b, "\" rel=\"nofollow\">");
		buf_html(b, name);
		buf_puts(b, "</a>");
	}
	buf_puts(b, ", checked ");
	buf_html(b, db_value(src, 0, 2));
	/* The source's licence may ask to be named where its data is. */
	if (db_text(src, 0, 3) != NULL) {
		buf_puts(b, ". <span class=\"attribution\">");
		buf_html(b, db_value(src, 0, 3));
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</p>\n");
}

void
page_service(struct http_request *req)
{
	struct db_result	*r = NULL, *sr = NULL, *rs[R_N];
	struct schedule		 sch[MAX_SCHEDULES];
	struct session		 ss[NEXT_SESSIONS];
	int			 rows[MAX_SCHEDULES];
	struct buf		*b = &req->resp;
	const char		*id, *p[2], *v, *status;
	char			 months[16];
	size_t			 nsch = 0, i;
	enum db_status		 st;
	int			 nss = 0, with_map = 0, running;

	memset(rs, 0, sizeof(rs));
	if ((id = route_uuid(req, "service")) == NULL)
		return;
	snprintf(months, sizeof(months), "%d", config.review_months);
	p[0] = id;
	p[1] = months;
	if ((st = db_exec("svc_get", 2, p, &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(r) == 0) {
		not_found(req, "service");
		goto out;
	}
	for (i = 0; i < R_N; i++)
		if ((st = db_exec(service_stmts[i], 1, p, &rs[i])) != DB_OK) {
			reply_db_error(req, st);
			goto out;
		}
	if (load_schedules(id, &sr, sch, rows, &nsch, &st) == -1) {
		reply_db_error(req, st);
		goto out;
	}
	status = db_value(r, 0, S_STATUS);
	running = strcmp(status, "active") == 0;
	/* A listing not running offers no sessions, walk or shortlist. */
	if (running && nsch > 0 && (nss = schedule_next(sch, nsch,
	    time(NULL), ss, NEXT_SESSIONS)) < 0)
		nss = 0;

	/* Only a location with coordinates needs Leaflet. */
	for (i = 0; i < (size_t)db_rows(rs[R_LOCS]); i++)
		if (db_text(rs[R_LOCS], (int)i, L_LAT) != NULL)
			with_map = 1;
	page_begin(req, db_value(r, 0, S_NAME), with_map ? PAGE_MAP : 0);
	buf_puts(b, "<article class=\"service-detail\">\n<div class="
	    "\"detail-head\"><h1>");
	buf_html(b, db_value(r, 0, S_NAME));
	buf_puts(b, "</h1>");
	if (db_bool(r, 0, S_DEMO) == 1)
		demo_badge(b);
	wrapped(b, "<p class=\"alt-name\">Also known as ",
	    db_text(r, 0, S_ALT), "</p>");
	buf_puts(b, "<p class=\"run-by\">Run by ");
	own_link(b, req, "/organisations/", db_value(r, 0, S_ORGID), "",
	    db_value(r, 0, S_ORGNAME));
	buf_puts(b, "</p>\n");
	if (running)
		shortlist_button(b, req, id, db_value(r, 0, S_NAME));
	buf_puts(b, "</div>\n");

	if (!running) {
		buf_puts(b, "<p class=\"notice notice-warning\"><strong>");
		if (strcmp(status, "temporarily closed") == 0)
			buf_puts(b, "Temporarily closed.");
		else
			buf_puts(b, "This service is listed as no longer "
			    "running.");
		buf_puts(b, "</strong> Check with them before sending "
		    "anyone.</p>\n");
	}
	wrapped(b, "<p class=\"notice\">", db_text(r, 0, S_ALERT), "</p>\n");
	moderator_links(b, req, id);
	if ((v = db_text(r, 0, S_DESC)) != NULL)
		paras(b, v, "description");

	if (running)
		section_when(b, sr, id, db_text(r, 0, S_GRADE) == NULL, sch,
		    rows, nsch, ss, nss);
	section_walk(b, r, id, running, ss, nss);
	section_where(b, rs[R_LOCS], rs[R_ACCESS], &with_map);
	section_access(b, r);
	section_eligibility(b, r, rs[R_AREAS]);
	section_cost(b, r, rs[R_COSTS]);
	section_contact(b, r, rs[R_PHONES], rs[R_CONTACTS]);
	section_languages(b, r, rs[R_LANGS]);

	buf_puts(b, "<footer class=\"detail-foot\">\n");
	if (db_rows(rs[R_CATS]) > 0) {
		buf_puts(b, "<p>Categories: ");
		for (i = 0; i < (size_t)db_rows(rs[R_CATS]); i++) {
			if (i > 0)
				buf_puts(b, ", ");
			buf_html(b, db_value(rs[R_CATS], (int)i, 0));
		}
		buf_puts(b, "</p>\n");
	}
	if (db_rows(rs[R_SOURCE]) > 0)
		source_line(b, rs[R_SOURCE]);
	buf_puts(b, "<p class=\"checked\">");
	if ((v = db_text(r, 0, S_CHECKED)) != NULL) {
		buf_puts(b, "Last checked: ");
		buf_html(b, v);
	} else
		buf_puts(b, "Not checked yet");
	if (db_bool(r, 0, S_STALE) == 1)
		buf_puts(b, " <span class=\"badge badge-stale\">Needs checking"
		    "</span>");
	buf_puts(b, "</p>\n<p>");
	own_link(b, req, "/services/", id, "/report",
	    "Report a problem with this listing");
	buf_puts(b, "</p>\n</footer>\n</article>\n");
	if (with_map)
		buf_printf(b, "<script src=\"%s\" defer></script>\n",
		    asset_url("/assets/js/service-map.js"));
	page_end(req, with_map ? PAGE_MAP : 0);
	page_send(req, 200);
out:
	db_free(r);
	db_free(sr);
	for (i = 0; i < R_N; i++)
		db_free(rs[i]);
}

/* A plain-text excerpt of at most about max bytes, cut between words
 * and never inside a UTF-8 sequence. */
static void
excerpt(struct buf *b, const char *s, size_t max)
{
	struct buf	t;
	size_t		n = strlen(s), cut;

	if (n <= max) {
		buf_html(b, s);
		return;
	}
	cut = max;
	while (cut > 0 && s[cut] != ' ')
		cut--;
	if (cut == 0) {
		cut = max;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	buf_init(&t);
	buf_append(&t, s, cut);
	buf_html(b, buf_cstr(&t));
	buf_free(&t);
	buf_puts(b, "&hellip;");
}

void
page_organisation(struct http_request *req)
{
	struct db_result	*r = NULL, *sv = NULL, *ph = NULL;
	struct buf		*b = &req->resp;
	const char		*id, *p[1], *v;
	enum db_status		 st;
	int			 i;

	if ((id = route_uuid(req, "organisation")) == NULL)
		return;
	p[0] = id;
	if ((st = db_exec("org_get", 1, p, &r)) != DB_OK ||
	    (db_rows(r) > 0 && ((st = db_exec("org_services", 1, p, &sv)) !=
	    DB_OK || (st = db_exec("org_phones", 1, p, &ph)) != DB_OK))) {
		reply_db_error(req, st);
		goto out;
	}
	if (db_rows(r) == 0) {
		not_found(req, "organisation");
		goto out;
	}
	page_begin(req, db_value(r, 0, 1), 0);
	buf_puts(b, "<article class=\"org-detail\">\n<h1>");
	buf_html(b, db_value(r, 0, 1));
	buf_puts(b, "</h1>");
	if (db_bool(r, 0, 8) == 1)
		demo_badge(b);
	wrapped(b, "<p class=\"alt-name\">Also known as ",
	    db_text(r, 0, 2), "</p>");
	buf_puts(b, "\n");
	if ((v = db_text(r, 0, 3)) != NULL)
		paras(b, v, "description");
	buf_puts(b, "<ul class=\"contacts\">");
	for (i = 0; i < db_rows(ph); i++) {
		buf_puts(b, "<li>Phone: ");
		page_tel_link(b, db_value(ph, i, 0), db_text(ph, i, 1));
		wrapped(b, " (", db_text(ph, i, 2), ")");
		buf_puts(b, "</li>");
	}
	if ((v = db_text(r, 0, 4)) != NULL) {
		buf_puts(b, "<li>Email: ");
		mail_link(b, v);
		buf_puts(b, "</li>");
	}
	if ((v = db_text(r, 0, 5)) != NULL) {
		buf_puts(b, "<li>Website: ");
		web_link(b, v, NULL);
		buf_puts(b, "</li>");
	}
	wrapped(b, "<li>Legal status: ", db_text(r, 0, 6), "</li>");
	if ((v = db_text(r, 0, 7)) != NULL) {
		buf_puts(b, "<li>");
		web_link(b, v, "Register entry");
		buf_puts(b, "</li>");
	}
	buf_puts(b, "</ul>\n");

	buf_printf(b, "<h2>Services (%d)</h2>\n", db_rows(sv));
	if (db_rows(sv) == 0)
		buf_puts(b, "<p>No services are listed for this organisation."
		    "</p>\n");
	else
		buf_puts(b, "<ul class=\"org-services\">\n");
	for (i = 0; i < db_rows(sv); i++) {
		buf_puts(b, "<li class=\"org-service\"><h3>");
		own_link(b, req, "/services/", db_value(sv, i, 0), "",
		    db_value(sv, i, 1));
		buf_puts(b, "</h3>");
		if (db_bool(sv, i, 6) == 1)
			demo_badge(b);
		if (strcmp(db_value(sv, i, 4), "active") != 0)
			buf_puts(b, " <span class=\"badge\">Not running"
			    "</span>");
		if (db_bool(sv, i, 5) == 1)
			buf_puts(b, " <span class=\"badge badge-free\">Free"
			    "</span>");
		if ((v = db_text(sv, i, 2)) != NULL) {
			buf_puts(b, "<p>");
			excerpt(b, v, 240);
			buf_puts(b, "</p>");
		}
		shortlist_button(b, req, db_value(sv, i, 0),
		    db_value(sv, i, 1));
		buf_puts(b, "</li>\n");
	}
	if (db_rows(sv) > 0)
		buf_puts(b, "</ul>\n");
	buf_puts(b, "</article>\n");
	page_end(req, 0);
	page_send(req, 200);
out:
	db_free(r);
	db_free(sv);
	db_free(ph);
}

/*
 * Report a problem.  CSRF: a double-submit token.  The form carries a
 * random token that is also in a SameSite=Lax, HttpOnly cookie; a POST
 * counts only when both are there and equal.  Another site can make a
 * browser send our cookie, but cannot read it to put it in the form.
 */
static const struct form_choice problem_choices[] = {
	{ "closed", "It has closed or stopped running" },
	{ "wrong_time", "The day or time is wrong" },
	{ "wrong_contact", "The phone number, email or address is wrong" },
	{ "other", "Something else" },
	{ NULL, NULL }
};

/* The limits are sql/009's. */
static const struct form_field report_fields[] = {
	{ .name = "problem", .label = "What is wrong?", .kind = FORM_RADIO,
	  .required = 1, .choices = problem_choices,
	  .required_msg = "Choose what is wrong with the listing" },
	{ .name = "details", .label = "Details", .kind = FORM_TEXTAREA,
	  .max = DETAILS_MAX, .hint = "What should it say instead? Needed for "
	  "&ldquo;Something else&rdquo;. Up to 2,000 characters." },
	{ .name = "email", .label = "Your email", .kind = FORM_EMAIL,
	  .max = EMAIL_MAX, .autocomplete = "email",
	  .hint = "Only if you would like to hear back. We use it for "
	  "nothing else.",
	  .format_msg = "Enter an email address like name@example.com, or "
	  "leave it empty" },
};

#define NREPORT	(sizeof(report_fields) / sizeof(report_fields[0]))

static void
report_page(struct http_request *req, const char *id, const char *name,
    const struct form *f, int status)
{
	struct buf	*b = &req->resp;
	struct buf	 title;

	buf_init(&title);
	buf_printf(&title, "%sReport a problem: %s", f->nerr > 0 ?
	    "Error: " : "", name);
	page_begin(req, buf_cstr(&title), PAGE_NOINDEX);
	buf_free(&title);
	form_summary(b, f);
	buf_puts(b, "<h1>Report a problem</h1>\n<p>With the listing for ");
	own_link(b, req, "/services/", id, "", name);
	buf_puts(b, ". We check every report and correct the listing.</p>\n");
	buf_puts(b, "<form class=\"report-form\" method=\"post\" action=\""
	    "/services/");
	buf_html(b, id);
	buf_puts(b, "/report\" novalidate>\n");
	form_csrf_input(b, req);
	shortlist_hidden_input(b, req);
	form_fields(b, f, "problem", "email");
	buf_puts(b, "<button type=\"submit\" class=\"button\">"
	    "Send report</button>\n</form>\n");
	page_end(req, 0);
	page_send(req, status);
	http_header_set(req, "Cache-Control", "no-store");
}

/* The service's name, or -1 with the error page sent. */
static int
service_name(struct http_request *req, const char *id, struct db_result **r)
{
	const char	*p[1] = { id };
	enum db_status	 st;

	if ((st = db_exec("svc_name", 1, p, r)) != DB_OK) {
		reply_db_error(req, st);
		return (-1);
	}
	if (db_rows(*r) == 0) {
		not_found(req, "service");
		return (-1);
	}
	return (0);
}

void
page_service_report_form(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct form		 f;
	const char		*id;

	form_init(&f, report_fields, NREPORT);
	if ((id = route_uuid(req, "service")) == NULL)
		goto out;
	if (service_name(req, id, &r) == 0)
		report_page(req, id, db_value(r, 0, 0), &f, 200);
out:
	db_free(r);
	form_free(&f);
}

void
page_service_report_post(struct http_request *req)
{
	struct db_result	*r = NULL, *ins = NULL;
	struct form		 f;
	struct buf		 loc;
	const char		*id, *p[4], *problem;
	enum db_status		 st;

	form_init(&f, report_fields, NREPORT);
	buf_init(&loc);
	if ((id = route_uuid(req, "service")) == NULL)
		goto out;
	if (service_name(req, id, &r) == -1)
		goto out;
	form_read(&f, req);
	problem = form_value(&f, "problem");
	if (problem != NULL && strcmp(problem, "other") == 0 &&
	    !form_has_error(&f, "details") && form_value(&f, "details") == NULL)
		form_error(&f, "details", "Tell us what is wrong");
	if (f.nerr > 0) {
		report_page(req, id, db_value(r, 0, 0), &f, 400);
		goto out;
	}

	p[0] = id;
	p[1] = problem;
	p[2] = form_value(&f, "details");
	p[3] = form_value(&f, "email");
	if ((st = db_exec("report_insert", 4, p, &ins)) != DB_OK) {
		/* The service went between the two statements. */
		if (st == DB_ERROR && strcmp(db_sqlstate(), "23503") == 0)
			not_found(req, "service");
		else
			reply_db_error(req, st);
		goto out;
	}
	log_info("problem report %s for service %s (%s)",
	    db_value(ins, 0, 0), id, problem);
	/* Post/redirect/get: reloading the thank-you page sends nothing. */
	buf_printf(&loc, "/services/%s/report/sent", id);
	shortlist_link_query(&loc, req, '?');
	http_redirect(req, 303, buf_cstr(&loc));
out:
	db_free(r);
	db_free(ins);
	buf_free(&loc);
	form_free(&f);
}

void
page_service_report_sent(struct http_request *req)
{
	struct db_result	*r = NULL;
	struct buf		*b = &req->resp;
	const char		*id;

	if ((id = route_uuid(req, "service")) == NULL)
		return;
	if (service_name(req, id, &r) == -1)
		goto out;
	page_begin(req, "Thank you for your report", PAGE_NOINDEX);
	buf_puts(b, "<div class=\"confirmation\" role=\"status\"><h1>Thank "
	    "you for your report</h1>\n<p>We will check the listing for ");
	buf_html(b, db_value(r, 0, 0));
	buf_puts(b, " and correct it.</p></div>\n<ul><li>");
	own_link(b, req, "/services/", id, "", "Back to the service");
	buf_puts(b, "</li><li><a href=\"/");
	shortlist_link_query(b, req, '?');
	buf_puts(b, "\">Find other services</a></li></ul>\n");
	page_end(req, 0);
	page_send(req, 200);
out:
	db_free(r);
}
