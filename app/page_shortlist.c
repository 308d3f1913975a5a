/*
 * The shortlist sheet and the toggle behind every "Add to shortlist"
 * button.  The sheet answers, for each service, what a person needs on
 * paper or in a text: when, where, cost, how to get in, and a phone.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "page.h"
#include "page_shortlist.h"
#include "reply.h"
#include "schedule.h"
#include "shortlist.h"

#define MAX_SCHEDULES	16	/* per service */
#define NEXT_SESSIONS	3
#define MAIL_SUBJECT	"Services we talked about"

static const struct db_stmt stmts[] = {
	{ "sl_services",
	  "SELECT s.id, s.name, o.name, s.is_free, s.cost_description,"
	  " s.self_referral, s.professional_referral, s.drop_in,"
	  " s.booking_required, s.referral_description, s.status, s.url,"
	  " s.email, s.is_demo, w.meeting_point,"
	  " coalesce("
	  "  (SELECT p.number FROM phone p WHERE p.service_id = s.id"
	  "   ORDER BY p.type IS DISTINCT FROM 'voice', p.number LIMIT 1),"
	  "  (SELECT p.number FROM phone p JOIN service_at_location sal"
	  "   ON sal.location_id = p.location_id WHERE sal.service_id = s.id"
	  "   ORDER BY p.type IS DISTINCT FROM 'voice', p.number LIMIT 1),"
	  "  (SELECT p.number FROM phone p"
	  "   WHERE p.organization_id = s.organization_id"
	  "   AND p.service_id IS NULL ORDER BY p.number LIMIT 1))"
	  " FROM unnest($1::uuid[]) WITH ORDINALITY AS u (id, ord)"
	  " JOIN service s ON s.id = u.id"
	  " JOIN organization o ON o.id = s.organization_id"
	  " LEFT JOIN walk_detail w ON w.service_id = s.id"
	  " ORDER BY u.ord" },
	{ "sl_locations",
	  "SELECT sal.service_id, l.name,"
	  " CASE WHEN NOT l.address_hidden THEN l.address_1 END,"
	  " CASE WHEN NOT l.address_hidden THEN l.address_2 END, l.city,"
	  " l.postal_code, l.location_type"
	  " FROM service_at_location sal"
	  " JOIN location l ON l.id = sal.location_id"
	  " WHERE sal.service_id = ANY ($1::uuid[])"
	  " ORDER BY sal.service_id, l.name NULLS LAST,"
	  " l.address_1 NULLS LAST, l.id" },
	{ "sl_schedules",
	  "SELECT coalesce(sch.service_id, sal.service_id), " SCHEDULE_COLUMNS
	  " FROM schedule sch"
	  " LEFT JOIN service_at_location sal"
	  "   ON sal.id = sch.service_at_location_id"
	  " WHERE sch.service_id = ANY ($1::uuid[])"
	  " OR sal.service_id = ANY ($1::uuid[])"
	  " ORDER BY 1, sch.opens_at NULLS LAST, sch.id" },
};

/* sl_services columns. */
enum {
	C_ID, C_NAME, C_ORG, C_FREE, C_COST, C_SELF, C_PRO, C_DROPIN,
	C_BOOKING, C_REFDESC, C_STATUS, C_URL, C_EMAIL, C_DEMO, C_MEETING,
	C_PHONE
};
/* sl_locations columns (the address is four from L_NAME); sl_schedules
 * is the service, then SCHEDULE_COLUMNS from S_SCHEDULE. */
enum { L_SERVICE, L_NAME, L_ADDRESS_1, L_ADDRESS_2, L_CITY, L_POSTCODE,
    L_TYPE };
enum { S_SERVICE, S_SCHEDULE };

void
page_shortlist_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/* "Name, 1 High St, Glasgow, G1 1AA" (parts that exist). */
static void
address_text(struct buf *b, const struct db_result *r, int row, int full)
{
	const int	cols_full[] = { 1, 2, 3, 4, 5 };
	const int	cols_short[] = { 1, 2, 5 };
	const int	*cols = full ? cols_full : cols_short;
	size_t		 n = full ? 5 : 3, i;
	const char	*v;
	int		 first = 1;

	for (i = 0; i < n; i++) {
		if ((v = db_text(r, row, cols[i])) == NULL)
			continue;
		buf_printf(b, "%s%s", first ? "" : ", ", v);
		first = 0;
	}
}

static void
access_text(struct buf *b, const struct db_result *r, int row)
{
	const char	*parts[4];
	size_t		 n = 0, i;

	if (db_bool(r, row, C_DROPIN) == 1)
		parts[n++] = "Drop in, no appointment needed";
	if (db_bool(r, row, C_SELF) == 1)
		parts[n++] = "Self-referral: contact them directly";
	if (db_bool(r, row, C_PRO) == 1)
		parts[n++] = "Professional referral accepted";
	if (db_bool(r, row, C_BOOKING) == 1)
		parts[n++] = "Booking needed";
	for (i = 0; i < n; i++) {
		buf_puts(b, i ? "; " : "");
		buf_puts(b, parts[i]);
	}
	if (n > 0)
		buf_puts(b, ".");
}

/* The schedules of service id from the batch result. */
static size_t
service_schedules(const struct db_result *sr, const char *id,
    struct schedule *sch)
{
	size_t	n = 0;
	int	i;

	for (i = 0; i < db_rows(sr) && n < MAX_SCHEDULES; i++) {
		if (strcmp(db_value(sr, i, S_SERVICE), id) != 0)
			continue;
		if (schedule_from_row(sr, i, S_SCHEDULE, &sch[n]) == 0)
			n++;
	}
	return (n);
}

/*
 * For the text: "Every Tuesday, 10:00 to 11:30 (next: Tue 25 Nov)", or
 * the next session alone when there is no rule to describe.
 */
static void
sms_when(struct buf *b, const struct schedule *sch, size_t nsch,
    const struct session *ss, int nss)
{
	size_t	k;

	for (k = 0; k < nsch; k++)
		if (sch[k].freq[0] != '\0')
			break;
	if (k < nsch) {
		schedule_describe(&sch[k], b);
		if (nss > 0) {
			buf_puts(b, " (next: ");
			schedule_format_date(ss[0].start, b);
			buf_puts(b, ")");
		}
	} else if (nss > 0)
		schedule_format_when(&ss[0], b);
	else if (nsch > 0)
		schedule_describe(&sch[0], b);
}

/*
 * The facts of one sheet item, each a <dt>/<dd> pair, or nothing when
 * there is nothing to say.  Where a fact also goes into the text message,
 * its short form is written to sms.
 */
static void
fact_when(struct buf *b, const struct schedule *sch, size_t nsch,
    const struct session *ss, int nss, struct buf *sms)
{
	struct buf	t;
	size_t		k;
	int		j;

	if (nsch == 0)
		return;
	buf_init(&t);
	buf_puts(b, "<dt>When</dt><dd>");
	for (k = 0; k < nsch; k++) {
		buf_reset(&t);
		schedule_describe(&sch[k], &t);
		if (t.len == 0)
			continue;
		buf_html(b, buf_cstr(&t));
		buf_puts(b, "<br>");
	}
	if (nss > 0) {
		buf_puts(b, "Next: ");
		for (j = 0; j < nss; j++) {
			buf_reset(&t);
			schedule_format_when(&ss[j], &t);
			buf_puts(b, j ? "; " : "");
			buf_html(b, buf_cstr(&t));
		}
	}
	sms_when(sms, sch, nsch, ss, nss);
	buf_puts(b, "</dd>");
	buf_free(&t);
}

/* lr: the sl_locations rows of every service on the sheet. */
static void
fact_where(struct buf *b, const struct db_result *r, int i,
    const struct db_result *lr, struct buf *sms)
{
	struct buf	 t;
	const char	*id = db_value(r, i, C_ID), *v;
	int		 j, nloc = 0;

	buf_init(&t);
	for (j = 0; j < db_rows(lr); j++) {
		if (strcmp(db_value(lr, j, L_SERVICE), id) != 0)
			continue;
		if (nloc++ == 0)
			buf_puts(b, "<dt>Where</dt><dd>");
		else
			buf_puts(b, "<br>");
		buf_reset(&t);
		if (strcmp(db_value(lr, j, L_TYPE), "virtual") == 0 &&
		    db_text(lr, j, L_ADDRESS_1) == NULL)
			buf_puts(&t, "Online or by phone");
		else
			address_text(&t, lr, j, L_NAME);
		buf_html(b, buf_cstr(&t));
		if (nloc == 1)
			address_text(sms, lr, j, 0);
	}
	if ((v = db_text(r, i, C_MEETING)) != NULL) {
		buf_puts(b, nloc++ == 0 ? "<dt>Where</dt><dd>" : "<br>");
		buf_puts(b, "Meet: ");
		buf_html(b, v);
		if (sms->len == 0)
			buf_puts(sms, v);
	}
	if (nloc > 0)
		buf_puts(b, "</dd>");
	buf_free(&t);
}

static void
fact_cost(struct buf *b, const struct db_result *r, int i)
{
	const char	*v;
	int		 is_free = db_bool(r, i, C_FREE) == 1;

	buf_puts(b, "<dt>Cost</dt><dd>");
	if (is_free)
		buf_puts(b, "Free");
	if ((v = db_text(r, i, C_COST)) != NULL &&
	    !(is_free && strcasecmp(v, "free") == 0)) {
		buf_puts(b, is_free ? ". " : "");
		buf_html(b, v);
	} else if (!is_free)
		buf_puts(b, "Not stated: ask them");
	buf_puts(b, "</dd>");
}

static void
fact_access(struct buf *b, const struct db_result *r, int i)
{
	struct buf	 t;
	const char	*v = db_text(r, i, C_REFDESC);

	buf_init(&t);
	access_text(&t, r, i);
	if (t.len > 0 || v != NULL) {
		buf_puts(b, "<dt>How to get in</dt><dd>");
		buf_html(b, buf_cstr(&t));
		if (v != NULL) {
			buf_puts(b, t.len > 0 ? " " : "");
			buf_html(b, v);
		}
		buf_puts(b, "</dd>");
	}
	buf_free(&t);
}

static void
fact_contact(struct buf *b, const struct db_result *r, int i,
    struct buf *sms_phone)
{
	const char	*v;

	if ((v = db_text(r, i, C_PHONE)) != NULL) {
		buf_puts(b, "<dt>Phone</dt><dd>");
		page_tel_link(b, v, NULL);
		buf_puts(b, "</dd>");
		buf_puts(sms_phone, v);
	}
	if ((v = db_text(r, i, C_EMAIL)) != NULL) {
		buf_puts(b, "<dt>Email</dt><dd>");
		buf_html(b, v);
		buf_puts(b, "</dd>");
	}
	if ((v = db_text(r, i, C_URL)) != NULL) {
		buf_puts(b, "<dt>Website</dt><dd>");
		buf_html(b, v);
		buf_puts(b, "</dd>");
	}
}

static void
empty_page(struct http_request *req)
{
	struct buf	*b = &req->resp;

	page_begin(req, "Your shortlist", PAGE_NOINDEX);
	buf_puts(b, "<h1>Your shortlist is empty</h1>\n"
	    "<p>A shortlist gathers the services you talk about with "
	    "someone, so you can print them, text them or email them "
	    "in one go.</p>\n"
	    "<ol class=\"steps\"><li><a href=\"/\">Find services</a> near "
	    "the person&rsquo;s postcode.</li>"
	    "<li>Press &ldquo;Add to shortlist&rdquo; on each one that "
	    "fits.</li>"
	    "<li>Come back here to print the sheet or send it as a text "
	    "or email.</li></ol>\n"
	    "<p data-shortlist-empty-note>Shortlists are kept in the page "
	    "address, so a link to a shortlist opens the same list on any "
	    "computer or phone.</p>\n");
	page_end(req, 0);
	page_send(req, 200);
}

static void
bad_ids_page(struct http_request *req, const struct shortlist *sl)
{
	struct buf	*b = &req->resp;
	struct buf	 msg;

	buf_init(&msg);
	shortlist_problem(sl, &msg);
	page_begin(req, "Shortlist not understood", PAGE_NOINDEX);
	buf_puts(b, "<h1>Part of this shortlist could not be read</h1>\n"
	    "<p class=\"notice notice-warning\">");
	buf_html(b, buf_cstr(&msg));
	buf_puts(b, "</p>\n<p>The link may have been cut short or mistyped."
	    "</p>\n<ul>");
	if (sl->n > 0) {
		buf_puts(b, "<li><a href=\"/shortlist?ids=");
		shortlist_encode(sl, b);
		buf_printf(b, "\">Show the %zu service%s that could be read"
		    "</a></li>", sl->n, sl->n == 1 ? "" : "s");
	}
	buf_puts(b, "<li><a href=\"/\">Find services</a></li></ul>\n");
	page_end(req, 0);
	page_send(req, 400);
	http_header_set(req, "Cache-Control", "no-store");
	buf_free(&msg);
}

struct item_text {
	struct buf	when, where, phone;
};

void
page_shortlist(struct http_request *req)
{
	struct shortlist		 sl, found;
	struct db_result		*r = NULL, *lr = NULL, *sr = NULL;
	struct schedule			 sch[MAX_SCHEDULES];
	struct session			 ss[NEXT_SESSIONS];
	struct shortlist_sms_item	 items[SHORTLIST_MAX];
	struct item_text		 texts[SHORTLIST_MAX];
	struct sms_size			 sz;
	struct buf			*b = &req->resp;
	struct buf			 arr, t, sms, mail;
	const char			*p[1], *id, *v;
	enum db_status			 st;
	size_t				 nsch, missing, k;
	int				 i, nss, nrows = 0;
	char				 date[64];
	struct tm			 tm;
	time_t				 now = time(NULL);

	buf_init(&arr);
	buf_init(&t);
	buf_init(&sms);
	buf_init(&mail);
	for (k = 0; k < SHORTLIST_MAX; k++) {
		buf_init(&texts[k].when);
		buf_init(&texts[k].where);
		buf_init(&texts[k].phone);
	}
	if (shortlist_from_request(req, &sl) == -1) {
		bad_ids_page(req, &sl);
		goto out;
	}
	if (sl.n == 0) {
		empty_page(req);
		goto out;
	}
	shortlist_sql_array(&sl, &arr);
	p[0] = buf_cstr(&arr);
	if ((st = db_exec("sl_services", 1, p, &r)) != DB_OK ||
	    (st = db_exec("sl_locations", 1, p, &lr)) != DB_OK ||
	    (st = db_exec("sl_schedules", 1, p, &sr)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	nrows = db_rows(r);
	shortlist_init(&found);
	for (i = 0; i < nrows; i++)
		(void)shortlist_add(&found, db_value(r, i, C_ID));
	missing = sl.n - found.n;

	localtime_r(&now, &tm);
	if (strftime(date, sizeof(date), "%e %B %Y", &tm) == 0)
		date[0] = '\0';

	page_begin(req, "Your shortlist", PAGE_NOINDEX);
	buf_printf(b, "<div class=\"sheet-head\"><h1>Services we talked "
	    "about</h1>\n<p class=\"sheet-date\">Prepared on %s with "
	    "Signpost. %zu service%s.</p></div>\n", date[0] == ' ' ?
	    date + 1 : date, found.n, found.n == 1 ? "" : "s");
	if (missing > 0) {
		buf_printf(b, "<p class=\"notice notice-warning no-print\">"
		    "%zu service%s on this shortlist %s no longer in the "
		    "directory. ", missing, missing == 1 ? "" : "s",
		    missing == 1 ? "is" : "are");
		buf_puts(b, "<a href=\"/shortlist");
		if (found.n > 0) {
			buf_puts(b, "?ids=");
			shortlist_encode(&found, b);
		}
		buf_puts(b, "\">Take it off the list</a>.</p>\n");
	}
	buf_puts(b, "<div class=\"sheet-actions no-print\">"
	    "<button type=\"button\" class=\"button\" data-print hidden>"
	    "Print this sheet</button> "
	    "<a href=\"#send\">Text or email it</a>"
	    "</div>\n");

	if (found.n > 0)
		buf_puts(b, "<ol class=\"sheet\">\n");
	for (i = 0; i < nrows; i++) {
		id = db_value(r, i, C_ID);
		buf_puts(b, "<li class=\"sheet-item\"><h2>"
		    "<a href=\"/services/");
		buf_html(b, id);
		buf_puts(b, "?ids=");
		shortlist_encode(&found, b);
		buf_puts(b, "\">");
		buf_html(b, db_value(r, i, C_NAME));
		buf_puts(b, "</a></h2>");
		if (db_bool(r, i, C_DEMO) == 1)
			buf_puts(b, " <span class=\"badge badge-demo\">Demo "
			    "listing</span>");
		buf_puts(b, "<p class=\"run-by\">Run by ");
		buf_html(b, db_value(r, i, C_ORG));
		buf_puts(b, "</p>\n");
		if (strcmp(db_value(r, i, C_STATUS), "active") != 0)
			buf_puts(b, "<p class=\"notice notice-warning\">Listed "
			    "as not running just now: check before "
			    "going.</p>\n");
		buf_puts(b, "<dl class=\"facts\">");

		nsch = service_schedules(sr, id, sch);
		nss = nsch > 0 ? schedule_next(sch, nsch, now, ss,
		    NEXT_SESSIONS) : 0;
		if (nss < 0)
			nss = 0;
		fact_when(b, sch, nsch, ss, nss, &texts[i].when);
		fact_where(b, r, i, lr, &texts[i].where);
		fact_cost(b, r, i);
		fact_access(b, r, i);
		fact_contact(b, r, i, &texts[i].phone);
		buf_puts(b, "</dl>\n<div class=\"no-print\">");
		shortlist_button(b, req, id, db_value(r, i, C_NAME));
		buf_puts(b, "</div></li>\n");

		items[i].name = db_value(r, i, C_NAME);
		items[i].when = buf_cstr(&texts[i].when);
		items[i].where = buf_cstr(&texts[i].where);
		items[i].phone = buf_cstr(&texts[i].phone);
	}
	if (found.n > 0)
		buf_puts(b, "</ol>\n");

	/* Text, email and link. */
	shortlist_sms_text(&sms, items, (size_t)nrows);
	shortlist_sms_size(buf_cstr(&sms), &sz);
	buf_puts(b, "<section id=\"send\" class=\"send no-print\" "
	    "aria-labelledby=\"h-send\"><h2 id=\"h-send\">Send it</h2>\n"
	    "<h3>As a text message</h3>\n<label class=\"label\" "
	    "for=\"sms-text\">Text to send (select it and copy)</label>\n"
	    "<textarea id=\"sms-text\" class=\"input sms-text\" readonly "
	    "rows=\"10\" "
	    "aria-describedby=\"sms-size\">");
	buf_html(b, buf_cstr(&sms));
	buf_printf(b, "</textarea>\n<p id=\"sms-size\" class=\"hint\">"
	    "%zu characters: %zu text message%s",
	    sz.chars, sz.parts, sz.parts == 1 ? "" : "s");
	if (sz.unicode)
		buf_puts(b, " (it has characters that make each text "
		    "shorter: 70 in one message, 67 per part)");
	else if (sz.parts > 1)
		buf_puts(b, " (160 characters fit in one text, 153 per part "
		    "when split)");
	buf_puts(b, ".</p>\n<p><button type=\"button\" class=\"button\" "
	    "data-copy=\"sms-text\" hidden>Copy the text</button> "
	    "<span class=\"copy-status\" role=\"status\" "
	    "data-copy-status=\"sms-text\"></span></p>\n");

	/* RFC 6068: line breaks in a mailto body are %0D%0A. */
	buf_reset(&t);
	for (v = buf_cstr(&sms); *v != '\0'; v++) {
		if (*v == '\n')
			buf_puts(&t, "\r");
		buf_append(&t, v, 1);
	}
	buf_puts(&mail, "mailto:?subject=");
	buf_url(&mail, MAIL_SUBJECT);
	buf_puts(&mail, "&body=");
	buf_url(&mail, buf_cstr(&t));
	buf_puts(b, "<h3>By email</h3>\n<p><a class=\"mail-link\" href=\"");
	buf_html(b, buf_cstr(&mail));
	buf_puts(b, "\">Email this list</a> (opens your email program with "
	    "the list filled in)</p>\n");

	buf_reset(&t);
	buf_puts(&t, config.public_url);
	while (t.len > 0 && t.data[t.len - 1] == '/')
		t.data[--t.len] = '\0';
	buf_puts(&t, "/shortlist?ids=");
	shortlist_encode(&found, &t);
	buf_puts(b, "<h3>As a link</h3>\n<label class=\"label\" "
	    "for=\"share-url\">"
	    "Link to this list</label>\n<input id=\"share-url\" "
	    "class=\"input share-url\" "
	    "type=\"url\" readonly value=\"");
	buf_html(b, buf_cstr(&t));
	buf_puts(b, "\">\n<p><button type=\"button\" class=\"button\" "
	    "data-copy=\"share-url\" hidden>Copy the link</button> "
	    "<span class=\"copy-status\" role=\"status\" "
	    "data-copy-status=\"share-url\"></span></p>\n</section>\n");
	page_end(req, 0);
	page_send(req, 200);
	http_header_set(req, "Cache-Control", "no-store");
out:
	db_free(r);
	db_free(lr);
	db_free(sr);
	buf_free(&arr);
	buf_free(&t);
	buf_free(&sms);
	buf_free(&mail);
	for (k = 0; k < SHORTLIST_MAX; k++) {
		buf_free(&texts[k].when);
		buf_free(&texts[k].where);
		buf_free(&texts[k].phone);
	}
}

void
page_shortlist_toggle(struct http_request *req)
{
	struct shortlist	 sl;
	struct buf		 loc, msg;
	const char		*id, *back;
	enum http_param		 hp;
	int			 adding;

	buf_init(&loc);
	buf_init(&msg);
	if ((hp = http_param_uuid(req, "id", &id)) != HTTP_PARAM_OK) {
		reply_error(req, 400, hp == HTTP_PARAM_ABSENT ?
		    "Which service? The id of the service to add or remove "
		    "is missing." : "The id of the service to add or remove "
		    "is not a valid service identifier.");
		goto out;
	}
	if (shortlist_from_request(req, &sl) == -1) {
		bad_ids_page(req, &sl);
		goto out;
	}
	hp = http_param_str(req, "back", SHORTLIST_PATH_MAX, &back);
	if (hp == HTTP_PARAM_ABSENT)
		back = "/shortlist";
	else if (hp == HTTP_PARAM_BAD || !shortlist_local_path(back)) {
		reply_error(req, 400, "The page to go back to must be a page "
		    "on this site, such as /shortlist.");
		goto out;
	}
	adding = shortlist_find(&sl, id) == -1;
	if (adding && shortlist_add(&sl, id) == -1) {
		buf_printf(&msg, "A shortlist holds at most %d services. "
		    "Remove one before adding another.", SHORTLIST_MAX);
		reply_error(req, 400, buf_cstr(&msg));
		goto out;
	}
	if (!adding)
		(void)shortlist_remove(&sl, id);
	if (shortlist_back_url(&loc, back, &sl, id) == -1) {
		reply_error(req, 400, "The page to go back to has a malformed "
		    "address.");
		goto out;
	}
	http_redirect(req, 303, buf_cstr(&loc));
	http_header_set(req, "Cache-Control", "no-store");
out:
	buf_free(&loc);
	buf_free(&msg);
}
