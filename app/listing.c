/*
 * A whole listing as a form and as a document.  The field table below is
 * the one /submit, the edit link and the moderators' edit page share; the
 * document is sql/011's.  Venues and sessions are fixed slots (two venues,
 * four sessions): a form that works without JavaScript cannot grow, and
 * these cover the groups we list; more go through a moderator.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "db.h"
#include "form.h"
#include "http.h"
#include "listing.h"
#include "log.h"
#include "postcode.h"
#include "search.h"

static const struct db_stmt stmts[] = {
	{ "listing_org_similar",
	  "SELECT id, name FROM organization"
	  " WHERE name % $1 OR lower(name) = lower($1)"
	  " ORDER BY similarity(name, $1) DESC, name LIMIT 5" },
	{ "listing_org_get",
	  "SELECT id, name FROM organization WHERE id = $1::uuid" },
};

static const struct form_choice kinds[] = {
	{ "service", "A service (advice, support, a food bank ...)" },
	{ "walking_group", "A walking group" },
	{ "activity", "An activity, class or club" },
	{ NULL, NULL }
};
static const struct form_choice yes_no[] = {
	{ "yes", "Yes, it is free" },
	{ "no", "No, there is a cost" },
	{ NULL, NULL }
};
static const struct form_choice ways_in[] = {
	{ "self_referral", "People can refer themselves" },
	{ "professional_referral", "Through a professional (GP, link worker)" },
	{ "drop_in", "Drop in, no need to book" },
	{ "booking", "Booking needed" },
	{ NULL, NULL }
};
static const struct form_choice venue_nums[] = {
	{ "1", "Venue 1" }, { "2", "Venue 2" }, { NULL, NULL }
};
static const struct form_choice patterns[] = {
	{ "weekly", "Every week" },
	{ "fortnightly", "Every two weeks" },
	{ "monthly", "Once a month, on the nth day" },
	{ "last", "Once a month, on the last day" },
	{ NULL, NULL }
};
static const struct form_choice days[] = {
	{ "MO", "Monday" }, { "TU", "Tuesday" }, { "WE", "Wednesday" },
	{ "TH", "Thursday" }, { "FR", "Friday" }, { "SA", "Saturday" },
	{ "SU", "Sunday" }, { NULL, NULL }
};
static const struct form_choice weeks[] = {
	{ "1", "First" }, { "2", "Second" }, { "3", "Third" },
	{ "4", "Fourth" }, { NULL, NULL }
};
static const struct form_choice grades[] = {
	{ "easy", "Easy: short, level, firm paths" },
	{ "moderate", "Moderate: some slopes or rough paths" },
	{ "strenuous", "Strenuous: hills, rough ground or long distances" },
	{ NULL, NULL }
};

static const char *
charity_ok(const char *v)
{
	size_t	i = 0;

	/* sql/011: up to two capital letters, then 5 to 8 digits. */
	while (i < 2 && v[i] >= 'A' && v[i] <= 'Z')
		i++;
	if (strlen(v + i) < 5 || strlen(v + i) > 8 ||
	    strspn(v + i, "0123456789") != strlen(v + i))
		return ("Enter a charity number like SC012345");
	return (NULL);
}

/*
 * The listing's fields: one row each, in the order of the form, the
 * document and the drawing.  A row is the form's field (name, label,
 * hint, limit, whether required) and where its value lives in the
 * document (sql/011), how it is converted, the label it has on the
 * drawing and in the diff (NULL: no line of its own), and the CHECK that
 * guards it in the database with the message for it.  The form, the
 * document both ways, the constraint messages and the drawing are all
 * driven from here; what does not fit a row (the organisation picked or
 * new, the ways in, a session's rule) has code of its own, marked OWN.
 */
enum lpart {
	L_ORG,		/* document.organization */
	L_SERVICE,	/* document.service */
	L_VENUE,	/* document.venues[slot - 1] */
	L_SESSION,	/* document.sessions[slot - 1] */
	L_WALK,		/* document.walk, for a walking group */
	L_TOP		/* the document itself */
};

enum lconv {
	L_STR,		/* text; null when empty */
	L_CHOICE,	/* text, drawn with its choice's label */
	L_INT,		/* a whole number */
	L_LIST,		/* comma-separated in the form, a sorted array */
	L_YESNO,	/* a yes/no radio: true or false */
	L_CHECK,	/* a checkbox: true when ticked, else false */
	L_FLAG,		/* true, false or null, set by OWN code */
	L_OWN		/* mapped by code of its own */
};

struct lfield {
	struct form_field	 f;	/* f.name NULL: not in the form */
	enum lpart		 part;
	int			 slot;	/* venue or session number */
	const char		*key;	/* in the document */
	enum lconv		 conv;
	const char		*shown;	/* "%d": the venue's number */
	const char		*check;	/* CHECK constraint name */
	const char		*check_msg;
	const char		*join;	/* L_LIST: between items in the form */
	/* Its column in the CSV template (import_csv.c); NULL: none. */
	const char		*csv;
	/* Not needed in an import (no one to send the private link to). */
	int			 import_optional;
};

#define TEXT(n, l, h, m)	{ .name = n, .label = l, .hint = h, \
	.kind = FORM_TEXT, .max = m }
#define AREA(n, l, h, m)	{ .name = n, .label = l, .hint = h, \
	.kind = FORM_TEXTAREA, .max = m }

#define ORG(fld, k, sh, c)	{ .f = fld, .part = L_ORG, .key = k, \
	.shown = sh, .csv = c }
#define SVC(fld, k, sh, c)	{ .f = fld, .part = L_SERVICE, .key = k, \
	.shown = sh, .csv = c }
#define WALK(fld, k, sh, c)	{ .f = fld, .part = L_WALK, .key = k, \
	.shown = sh, .csv = c }
#define CHECKED(c, m)		.check = c, .check_msg = m
#define EMAIL_MSG	"Enter an email address like name@example.com"
#define URL_MSG		"Enter a web address starting with https://"

#define VENUE(n)							\
	{ .f = TEXT("v" #n "_name", "Name of the place", "For example "	\
	    "&ldquo;Partick Burgh Hall&rdquo;.", 200), .part = L_VENUE,	\
	  .slot = n, .key = "name", .shown = "Venue %d",		\
	  .csv = n == 1 ? "venue" : NULL,				\
	  CHECKED("location_name_check", "Enter the name of the place, "\
	    "or leave it empty") },					\
	/* Drawn on the name's line. */					\
	{ .f = TEXT("v" #n "_address", "Street address", NULL, 200),	\
	  .part = L_VENUE, .slot = n, .key = "address",			\
	  .csv = n == 1 ? "address" : NULL,				\
	  CHECKED("location_address_1_check", "Enter the street "	\
	    "address, or leave it empty") },				\
	{ .f = TEXT("v" #n "_city", "Town or city", NULL, 100),		\
	  .part = L_VENUE, .slot = n, .key = "city",			\
	  .csv = n == 1 ? "city" : NULL,				\
	  .shown = "Venue %d: town" },					\
	/* Needed for every venue given (check_venue): not "optional". */ \
	{ .f = { .name = "v" #n "_postcode", .label = "Postcode",	\
	  .kind = FORM_POSTCODE, .no_optional = 1, .max = 10,		\
	  .format_msg = "Enter a full postcode for venue " #n ", like "	\
	  "G12 8QQ", .autocomplete = "postal-code" }, .part = L_VENUE,	\
	  .slot = n, .key = "postcode", .shown = "Venue %d: postcode",	\
	  .csv = n == 1 ? "postcode" : NULL,				\
	  CHECKED("location_postal_code_check", "Enter a postcode we "	\
	    "know, like G12 8QQ") },					\
	{ .f = { .name = "v" #n "_hide", .label = "Do not show the "	\
	  "street address (for example, a meeting in a home)",		\
	  .kind = FORM_CHECKBOX }, .part = L_VENUE, .slot = n,		\
	  .key = "hide_address", .conv = L_CHECK,			\
	  .csv = n == 1 ? "hide_address" : NULL,			\
	  .shown = "Venue %d: address hidden" },			\
	{ .f = AREA("v" #n "_access", "Accessibility", "Step-free "	\
	    "entrance, accessible toilet, hearing loop, parking ...",	\
	    500), .part = L_VENUE, .slot = n, .key = "accessibility",	\
	  .csv = n == 1 ? "accessibility" : NULL,			\
	  .shown = "Venue %d: accessibility" }

/*
 * Where, how often, the day and the times are needed for every session
 * given (check_session): not marked "optional".  Every message names its
 * session: the summary lists several sessions' errors together.  A
 * session is one rule in the document (session_json, load_session) and
 * one line on the drawing (session_text).
 */
#define SESSION(n)							\
	{ .f = { .name = "s" #n "_venue", .label = "Where",		\
	  .kind = FORM_SELECT, .choices = venue_nums, .no_optional = 1 }, \
	  .part = L_SESSION, .slot = n, .conv = L_OWN },		\
	{ .f = { .name = "s" #n "_pattern", .label = "How often",	\
	  .kind = FORM_SELECT, .choices = patterns, .no_optional = 1 },	\
	  .part = L_SESSION, .slot = n, .conv = L_OWN,			\
	  .csv = "session" #n "_freq" },					\
	{ .f = { .name = "s" #n "_week", .label = "Which week of the "	\
	  "month", .hint = "Only for &ldquo;once a month, on the nth "	\
	  "day&rdquo;.", .kind = FORM_SELECT, .choices = weeks },	\
	  .part = L_SESSION, .slot = n, .conv = L_OWN,			\
	  .csv = "session" #n "_week" },					\
	{ .f = { .name = "s" #n "_day", .label = "Days", .hint =	\
	  "Tick each day it runs at these times.",			\
	  .kind = FORM_CHECKBOXES, .choices = days, .no_optional = 1,	\
	  .anchor = "s" #n "_day", .wrap_class = "field days" },	\
	  .part = L_SESSION, .slot = n, .conv = L_OWN,			\
	  .csv = "session" #n "_day" },					\
	{ .f = { .name = "s" #n "_start", .label = "Starts at",	\
	  .hint = "24-hour clock, like 10:30 or 14:00.",		\
	  .kind = FORM_TIME, .no_optional = 1,				\
	  .format_msg = "Session " #n ": enter the start time like "	\
	  "10:30" }, .part = L_SESSION, .slot = n, .conv = L_OWN,	\
	  .csv = "session" #n "_opens" },				\
	{ .f = { .name = "s" #n "_end", .label = "Ends at",		\
	  .kind = FORM_TIME, .hint = "24-hour clock, like 12:00.",	\
	  .no_optional = 1, .format_msg = "Session " #n ": enter the "	\
	  "end time like 12:00" }, .part = L_SESSION, .slot = n,	\
	  .conv = L_OWN, .csv = "session" #n "_closes",			\
	  CHECKED("schedule_times_check", "The end time "		\
	    "must be after the start time") },				\
	{ .f = { .name = "s" #n "_from", .label = "Runs from", .hint =	\
	  "A date like 2027-04-01. Needed for every two weeks: the date " \
	  "of one session.", .kind = FORM_DATE,				\
	  .format_msg = "Session " #n ": enter a date like 2027-04-01" }, \
	  .part = L_SESSION, .slot = n, .conv = L_OWN,			\
	  .csv = "session" #n "_from" },				\
	{ .f = { .name = "s" #n "_to", .label = "Runs until", .hint =	\
	  "For a season only.", .kind = FORM_DATE,			\
	  .format_msg = "Session " #n ": enter a date like 2027-09-30" }, \
	  .part = L_SESSION, .slot = n, .conv = L_OWN,			\
	  .csv = "session" #n "_to",					\
	  CHECKED("schedule_valid_check", "The last date must be on or "\
	    "after the first") }

/* "S12000049, S08000031": statistical area codes, comma-separated. */
static const char *
area_codes(const char *v)
{
	const char	*p = v;
	size_t		 i;

	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p < 'A' || *p > 'Z')
			return ("Give area codes like S12000049, separated by "
			    "commas");
		for (i = 1; i <= 8; i++)
			if (p[i] < '0' || p[i] > '9')
				return ("Give area codes like S12000049, "
				    "separated by commas");
		p += 9;
		if (*p != '\0' && *p != ',' && *p != ' ')
			return ("Give area codes like S12000049, separated by "
			    "commas");
	}
	return (NULL);
}

static const struct lfield rows[] = {
	/* OWN: an id picked from the list, or "new" (check_org). */
	{ .f = { .name = "org_id", .label = "Organisation",
	  .kind = FORM_HIDDEN, .max = 36 }, .part = L_ORG, .key = "id",
	  .conv = L_OWN },
	{ .f = { .name = "org_name", .label = "Name of the organisation",
	  .hint = "The group, charity or club that runs it.",
	  .kind = FORM_TEXT, .required = 1, .max = 200,
	  .required_msg = "Enter the name of the organisation" },
	  .part = L_ORG, .key = "name", .shown = "Organisation",
	  .csv = "organisation",
	  CHECKED("organization_name_check",
	    "Enter the name of the organisation") },
	ORG(AREA("org_description", "About the organisation", NULL, 1000),
	    "description", "About the organisation",
	    "organisation_description"),
	{ .f = { .name = "org_website", .label = "Organisation's website",
	  .kind = FORM_URL, .max = 2048, .format_msg = "Enter a web address "
	  "starting with https://, like https://example.org" },
	  .part = L_ORG, .key = "website", .shown = "Organisation's website",
	  .csv = "organisation_website",
	  CHECKED("organization_website_check", URL_MSG) },
	{ .f = { .name = "org_email", .label = "Organisation's email",
	  .kind = FORM_EMAIL, .max = 254, .format_msg = EMAIL_MSG },
	  .part = L_ORG, .key = "email", .shown = "Organisation's email",
	  .csv = "organisation_email",
	  CHECKED("organization_email_check", EMAIL_MSG) },
	{ .f = { .name = "org_phone", .label = "Organisation's phone",
	  .kind = FORM_PHONE, .max = 30, .format_msg = "Enter a phone number "
	  "like 0141 287 2999" }, .part = L_ORG, .key = "phone",
	  .csv = "organisation_phone",
	  .shown = "Organisation's phone" },
	{ .f = { .name = "org_charity", .label = "Charity number",
	  .kind = FORM_TEXT, .max = 10, .validate = charity_ok },
	  .part = L_ORG, .key = "charity_number", .shown = "Charity number",
	  .csv = "charity_number",
	  CHECKED("organization_charity_number_check",
	    "Enter a charity number like SC012345") },

	{ .f = { .name = "name", .label = "Name of the service or group",
	  .kind = FORM_TEXT, .required = 1, .max = 200,
	  .required_msg = "Enter the name of the service or group" },
	  .csv = "service", .part = L_SERVICE, .key = "name", .shown = "Name",
	  CHECKED("service_name_check",
	    "Enter the name of the service or group") },
	{ .f = { .name = "kind", .label = "What is it?", .kind = FORM_RADIO,
	  .required = 1, .choices = kinds,
	  .required_msg = "Choose what kind of listing it is" },
	  .csv = "kind", .part = L_SERVICE, .key = "kind", .conv = L_CHOICE,
	  .shown = "Kind" },
	{ .f = { .name = "description", .label = "What happens there",
	  .hint = "What people do, and what they can expect on their first "
	  "visit. Up to 2,000 characters.", .kind = FORM_TEXTAREA,
	  .required = 1, .max = 2000,
	  .required_msg = "Describe what happens there" },
	  .part = L_SERVICE, .key = "description", .shown = "Description",
	  /* A directory may hold listings with none (the feed's, ALISS's). */
	  .import_optional = 1,
	  .csv = "description",
	  CHECKED("service_description_check",
	    "Describe what happens there") },
	{ .f = { .name = "category", .label = "Categories",
	  .hint = "Choose all that fit: people find it under these.",
	  .kind = FORM_CHECKBOXES }, .csv = "categories", .part = L_SERVICE,
	  .key = "categories", .conv = L_LIST, .shown = "Categories",
	  .join = "," },
	SVC(AREA("eligibility", "Who it is for", "For example &ldquo;adults "
	    "with long-term conditions&rdquo;, &ldquo;carers&rdquo;.", 500),
	    "eligibility", "Who it is for", "eligibility"),
	{ .f = { .name = "min_age", .label = "Youngest age",
	  .kind = FORM_INT, .min_value = 0, .max_value = 130 },
	  .part = L_SERVICE, .key = "minimum_age", .conv = L_INT,
	  .csv = "minimum_age",
	  .shown = "Youngest age" },
	{ .f = { .name = "max_age", .label = "Oldest age", .kind = FORM_INT,
	  .min_value = 0, .max_value = 130 }, .part = L_SERVICE,
	  .csv = "maximum_age",
	  .key = "maximum_age", .conv = L_INT, .shown = "Oldest age",
	  CHECKED("service_age_range_check", "The oldest age must be the "
	    "same as or more than the youngest") },
	{ .f = { .name = "free", .label = "Is it free?", .kind = FORM_RADIO,
	  .required = 1, .choices = yes_no,
	  .required_msg = "Say whether it is free" },
	  .part = L_SERVICE, .key = "is_free", .conv = L_YESNO,
	  .csv = "is_free", .shown = "Free",
	  /*
	   * Other directories often do not say: left empty, the page
	   * says "Not stated: ask when you contact them".
	   */
	  .import_optional = 1 },
	SVC(TEXT("cost", "What it costs", "For example &ldquo;&pound;2 a "
	    "session, tea included&rdquo;.", 300), "cost", "Cost", "cost"),
	/* OWN: four boxes, the four flags below (access_flags). */
	{ .f = { .name = "access", .label = "How people get in",
	  .kind = FORM_CHECKBOXES, .choices = ways_in },
	  .part = L_SERVICE, .conv = L_OWN },
	{ .part = L_SERVICE, .key = "self_referral", .conv = L_FLAG,
	  .shown = "Self-referral", .csv = "self_referral" },
	{ .part = L_SERVICE, .key = "professional_referral", .conv = L_FLAG,
	  .shown = "Professional referral", .csv = "professional_referral" },
	{ .part = L_SERVICE, .key = "drop_in", .conv = L_FLAG,
	  .shown = "Drop-in", .csv = "drop_in" },
	{ .part = L_SERVICE, .key = "booking_required", .conv = L_FLAG,
	  .shown = "Booking needed", .csv = "booking_required" },
	SVC(AREA("referral", "How to get in, in your words", NULL, 500),
	    "referral", "How to get in", "referral"),
	{ .f = { .name = "email", .label = "Email for enquiries",
	  .kind = FORM_EMAIL, .max = 254, .format_msg = EMAIL_MSG },
	  .csv = "email", .part = L_SERVICE, .key = "email", .shown = "Email",
	  CHECKED("service_email_check", EMAIL_MSG) },
	{ .f = { .name = "phone", .label = "Phone for enquiries",
	  .kind = FORM_PHONE, .max = 30, .format_msg = "Enter a phone number "
	  "like 0141 287 2999" }, .part = L_SERVICE, .key = "phone",
	  .csv = "phone",
	  .shown = "Phone", CHECKED("phone_number_check",
	    "Enter a phone number like 0141 287 2999") },
	{ .f = { .name = "website", .label = "Web page", .kind = FORM_URL,
	  .max = 2048, .format_msg = "Enter a web address starting with "
	  "https://, like https://example.org" }, .part = L_SERVICE,
	  .csv = "website",
	  .key = "website", .shown = "Web page",
	  CHECKED("service_url_check", URL_MSG) },
	{ .f = TEXT("languages", "Languages", "Separate them with commas, "
	    "for example &ldquo;English, Polish, BSL&rdquo;.", 200),
	  .part = L_SERVICE, .key = "languages", .conv = L_LIST,
	  .csv = "languages",
	  .shown = "Languages", .join = ", ",
	  CHECKED("language_name_check", "Separate languages with commas") },
	/*
	 * The areas a service covers wherever it meets (statistical codes:
	 * council areas, health boards, wards), as other directories give
	 * them.  Not typed on the form: carried along hidden so an edit
	 * keeps them; an import fills them.
	 */
	{ .f = { .name = "areas", .label = "Areas it covers",
	  .kind = FORM_HIDDEN, .max = 400, .validate = area_codes },
	  .part = L_SERVICE, .key = "areas", .conv = L_LIST, .csv = "areas",
	  .shown = "Areas it covers", .join = ", " },

	VENUE(1),
	VENUE(2),
	SESSION(1),
	SESSION(2),
	SESSION(3),
	SESSION(4),

	{ .f = { .name = "walk_grade", .label = "How hard is the walk?",
	  .kind = FORM_RADIO, .choices = grades }, .part = L_WALK,
	  .csv = "walk_grade",
	  .key = "grade", .conv = L_CHOICE, .shown = "Walk grade",
	  CHECKED("walk_detail_grade_check", "Choose how hard the walk is") },
	{ .f = { .name = "walk_length", .label = "Length in km",
	  .kind = FORM_DECIMAL, .min_value = 0, .max_value = 100, .max = 6,
	  .format_msg = "Enter the length in km, like 3.5" },
	  .part = L_WALK, .key = "length_km", .shown = "Walk length (km)",
	  .csv = "walk_length_km",
	  CHECKED("walk_detail_length_km_check",
	    "Enter the length in km, like 3.5") },
	{ .f = { .name = "walk_duration", .label = "Duration in minutes",
	  .kind = FORM_INT, .min_value = 5, .max_value = 1440 },
	  .part = L_WALK, .key = "duration_minutes", .conv = L_INT,
	  .csv = "walk_duration_minutes",
	  .shown = "Walk duration (minutes)",
	  CHECKED("walk_detail_duration_minutes_check",
	    "Enter the duration in minutes") },
	WALK(TEXT("walk_terrain", "Paths and terrain", "For example "
	    "&ldquo;park paths, one gentle slope&rdquo;.", 300), "terrain",
	    "Paths and terrain", "walk_terrain"),
	WALK(TEXT("walk_meeting", "Where to meet", "For example &ldquo;at "
	    "the main gate&rdquo;.", 300), "meeting_point", "Where to meet",
	    "walk_meeting_point"),

	{ .f = { .name = "contact_email", .label = "Your email",
	  .hint = "Not published. We send the private link to change the "
	  "listing here, and a yearly reminder to check it.",
	  .kind = FORM_EMAIL, .required = 1, .max = 254,
	  .autocomplete = "email",
	  .required_msg = "Enter your email address, so that you can keep "
	  "the listing up to date", .format_msg = EMAIL_MSG },
	  .csv = "contact_email", .part = L_TOP, .key = "contact_email",
	  .import_optional = 1,
	  .shown = "Contact for reminders (not published)",
	  CHECKED("service_review_email_check", EMAIL_MSG) },
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

/*
 * The form's fields: the rows that have one, in order; and the same for
 * an import, where a field only people need may be left empty.
 */
static struct form_field	fields[NROWS], import_fields[NROWS];
static size_t			nfields;
/*
 * The rows with a template column, by its name: an import puts a row's
 * hundred-odd cells, each found here (a search through every row for
 * each was a fifth of what the import did in C).
 */
static const struct lfield	*by_csv[NROWS];
static size_t			 ncsv;

static pthread_once_t	fields_once = PTHREAD_ONCE_INIT;

static int
csv_cmp(const void *a, const void *b)
{
	const struct lfield	*x = *(const struct lfield *const *)a;
	const struct lfield	*y = *(const struct lfield *const *)b;

	return (strcmp(x->csv, y->csv));
}

static void
fields_make(void)
{
	size_t	i;

	for (i = 0; i < NROWS; i++) {
		if (rows[i].f.name != NULL) {
			import_fields[nfields] = rows[i].f;
			if (rows[i].import_optional)
				import_fields[nfields].required = 0;
			fields[nfields++] = rows[i].f;
		}
		if (rows[i].csv != NULL)
			by_csv[ncsv++] = &rows[i];
	}
	qsort(by_csv, ncsv, sizeof(by_csv[0]), csv_cmp);
}

/* The row of a template column, or NULL. */
static const struct lfield *
row_of_csv(const char *column)
{
	struct lfield		 key = { .csv = column };
	const struct lfield	*kp = &key, *const *r;

	(void)pthread_once(&fields_once, fields_make);
	r = bsearch(&kp, by_csv, ncsv, sizeof(by_csv[0]), csv_cmp);
	return (r != NULL ? *r : NULL);
}

void
listing_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
	(void)pthread_once(&fields_once, fields_make);
}

void
listing_form_init(struct form *f)
{
	(void)pthread_once(&fields_once, fields_make);
	form_init(f, fields, nfields);
}

void
listing_form_init_import(struct form *f)
{
	(void)pthread_once(&fields_once, fields_make);
	form_init(f, import_fields, nfields);
}

size_t
listing_csv_columns(const char **out, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < NROWS; i++)
		if (rows[i].csv != NULL) {
			if (n < max)
				out[n] = rows[i].csv;
			n++;
		}
	return (n);
}

int
listing_csv_required(const char *column)
{
	const struct lfield	*r;

	if ((r = row_of_csv(column)) == NULL)
		return (0);
	return (r->f.required && !r->import_optional);
}

const char *
listing_csv_column_of(const char *field)
{
	size_t	i;

	for (i = 0; field != NULL && i < NROWS; i++)
		if (rows[i].f.name != NULL && rows[i].csv != NULL &&
		    strcmp(rows[i].f.name, field) == 0)
			return (rows[i].csv);
	return (NULL);
}

/* yes/no as a spreadsheet writes it: 1, -1 not known, 0 empty or no. */
static int
csv_yes(const char *v)
{
	static const char *const yes[] = { "yes", "y", "true", "1", NULL };
	static const char *const no[] = { "no", "n", "false", "0", NULL };
	size_t	i;

	for (i = 0; yes[i] != NULL; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return (1);
	for (i = 0; no[i] != NULL; i++)
		if (strcasecmp(v, no[i]) == 0)
			return (0);
	return (-1);
}

/* A day as people write it ("Tuesday", "tue", "TU"): MO..SU or NULL. */
static const char *
csv_day(const char *v)
{
	size_t	i, n = strlen(v);

	for (i = 0; days[i].value != NULL; i++)
		if (strcasecmp(v, days[i].value) == 0 || (n >= 3 &&
		    strncasecmp(v, days[i].label, n) == 0))
			return (days[i].value);
	return (NULL);
}

/*
 * A session's days as a spreadsheet gives them ("Monday; Wednesday",
 * "MO,WE,FR", "Tue Thu"): each a box ticked, as the form sends them.  A
 * word that is no day is sent as it is, for the form to refuse.
 */
static int
put_days(struct http_request *req, const char *name, const char *value)
{
	char		*copy, *p, *tok;
	const char	*d;
	int		 rc = 0;

	if ((copy = strdup(value)) == NULL)
		return (-1);
	for (p = copy; rc == 0 && (tok = strsep(&p, ",;/ \t")) != NULL; ) {
		if (*tok == '\0' || strcasecmp(tok, "and") == 0 ||
		    strcmp(tok, "&") == 0)
			continue;
		rc = http_kv_add(&req->form, name, (d = csv_day(tok)) !=
		    NULL ? d : tok);
	}
	free(copy);
	return (rc);
}

int
listing_csv_put(struct http_request *req, const char *column,
    const char *value, char *err, size_t errlen)
{
	const struct lfield	*r;
	const char		*p, *e;
	struct buf		 b;
	char			 item[256], name[32];
	size_t			 i;
	int			 y;

	if ((r = row_of_csv(column)) == NULL) {
		snprintf(err, errlen, "%s is not a column of the template",
		    column);
		return (-1);
	}
	if (value == NULL || value[strspn(value, " \t\r\n")] == '\0')
		return (0);
	/* Our exports put an apostrophe before a formula: take it off. */
	if (value[0] == '\'' && value[1] != '\0' &&
	    strchr("=+-@\t\r", value[1]) != NULL)
		value++;
	switch (r->conv) {
	case L_LIST:
		/*
		 * Spreadsheets separate with ";" (a name may have a comma):
		 * each item a box of a set, or all of them in one text field
		 * as people type them there.
		 */
		buf_init(&b);
		for (p = value; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
			/* ";;" is a ";" inside an item, as the export writes. */
			for (e = p, i = 0; *e != '\0' && i + 1 < sizeof(item);
			    e++) {
				if (*e == ';' && e[1] == ';')
					e++;
				else if (*e == ';')
					break;
				item[i++] = *e;
			}
			item[i] = '\0';
			str_trim(item);
			if (item[0] == '\0')
				continue;
			if (r->f.kind == FORM_CHECKBOXES)
				(void)http_kv_add(&req->form, r->f.name, item);
			else
				buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
				    item);
		}
		if (b.len > 0)
			(void)http_kv_add(&req->form, r->f.name, buf_cstr(&b));
		buf_free(&b);
		return (0);
	case L_YESNO:
		if ((y = csv_yes(value)) == -1)
			break;
		return (http_kv_add(&req->form, r->f.name, y ? "yes" : "no"));
	case L_CHECK:
	case L_FLAG:
		if ((y = csv_yes(value)) == -1) {
			snprintf(err, errlen, "%s '%s' is not yes or no",
			    column, value);
			return (-1);
		}
		if (!y)
			return (0);
		if (r->conv == L_CHECK)
			return (http_kv_add(&req->form, r->f.name, "yes"));
		/* The four flags are the four boxes of "access". */
		return (http_kv_add(&req->form, "access",
		    strcmp(r->key, "booking_required") == 0 ? "booking" :
		    r->key));
	default:
		break;
	}
	if (r->part == L_SESSION) {
		/* A session given is at the row's venue, venue 1. */
		snprintf(name, sizeof(name), "s%d_venue", r->slot);
		if (http_kv_get(&req->form, name) == NULL)
			(void)http_kv_add(&req->form, name, "1");
		if (strstr(r->f.name, "_day") != NULL)
			return (put_days(req, r->f.name, value));
	}
	return (http_kv_add(&req->form, r->f.name, value));
}

int
listing_csv_row(struct buf *out, const char *doc)
{
	struct form	 f;
	struct buf	 cell;
	const char	*v;
	size_t		 i;
	int		 j, k;

	listing_form_init_import(&f);
	if (listing_form_load(&f, doc) == -1) {
		form_free(&f);
		return (-1);
	}
	buf_init(&cell);
	for (i = 0; i < NROWS; i++) {
		if (rows[i].csv == NULL)
			continue;
		buf_reset(&cell);
		v = rows[i].f.name != NULL ? form_value(&f, rows[i].f.name) :
		    NULL;
		switch (rows[i].conv) {
		case L_LIST:
			/* As it was given: items separated by ";". */
			for (; v != NULL && *v != '\0'; v += k) {
				k = (int)strcspn(v, ",");
				if (cell.len > 0)
					buf_puts(&cell, ";");
				/* A ";" inside an item is doubled. */
				for (j = 0; j < k; j++)
					buf_puts(&cell, v[j] == ';' ? ";;" :
					    (char []){ v[j], '\0' });
				if (v[k] == ',')
					k++;
				while (v[k] == ' ')
					k++;
			}
			v = buf_cstr(&cell);
			break;
		case L_CHECK:
			v = v != NULL ? "yes" : "no";
			break;
		case L_FLAG:
			v = form_checked(&f, "access", strcmp(rows[i].key,
			    "booking_required") == 0 ? "booking" :
			    rows[i].key) ? "yes" : NULL;
			break;
		default:
			break;
		}
		/* Not published, so not in an export. */
		if (rows[i].import_optional)
			v = NULL;
		buf_csv_field(out, v, 0);
	}
	/* The row's end: the caller's last field ends the line. */
	if (out->len > 0 && out->data[out->len - 1] == ',')
		out->data[--out->len] = '\0';
	buf_puts(out, "\r\n");
	buf_free(&cell);
	form_free(&f);
	return (out->oom ? -1 : 0);
}

static const char *
slot(const struct form *f, char c, int n, const char *key)
{
	char	name[32];

	snprintf(name, sizeof(name), "%c%d_%s", c, n, key);
	return (form_value(f, name));
}

static int
slot_error(const struct form *f, char c, int n, const char *key)
{
	char	name[32];

	snprintf(name, sizeof(name), "%c%d_%s", c, n, key);
	return (form_has_error(f, name));
}

static void
slot_fail(struct form *f, char c, int n, const char *key, const char *msg)
{
	char	name[32];

	snprintf(name, sizeof(name), "%c%d_%s", c, n, key);
	form_error(f, name, msg);
}

/* Did the person fill in any of this slot (or try to)? */
static int
slot_used(const struct form *f, char c, int n)
{
	enum lpart	part = c == 'v' ? L_VENUE : L_SESSION;
	size_t		i;
	int		k;

	for (i = 0; i < NROWS; i++) {
		if (rows[i].part != part || rows[i].slot != n)
			continue;
		/* A venue picked from the list says nothing by itself. */
		if (part == L_SESSION && strstr(rows[i].f.name, "_venue") !=
		    NULL)
			continue;
		if ((k = form_index(f, rows[i].f.name)) != -1 &&
		    (f->raw[k] != NULL &&
		    f->raw[k][strspn(f->raw[k], " \t\r\n")] != '\0'))
			return (1);
	}
	return (0);
}

static enum db_status
check_venue(struct form *f, int n)
{
	struct postcode_info	 pi;
	const char		*pc;
	char			 msg[160];

	if (!slot_used(f, 'v', n))
		return (DB_OK);
	if (slot_error(f, 'v', n, "postcode"))
		return (DB_OK);
	if ((pc = slot(f, 'v', n, "postcode")) == NULL) {
		snprintf(msg, sizeof(msg), "Enter the postcode of venue %d", n);
		slot_fail(f, 'v', n, "postcode", msg);
		return (DB_OK);
	}
	switch (postcode_lookup(pc, &pi)) {
	case POSTCODE_FOUND:
		return (DB_OK);
	case POSTCODE_DB_DOWN:
		return (DB_UNAVAILABLE);
	case POSTCODE_DB_ERROR:
		return (DB_ERROR);
	default:
		snprintf(msg, sizeof(msg), "We cannot find the postcode %s: "
		    "check it, or use the nearest one", pc);
		slot_fail(f, 'v', n, "postcode", msg);
		return (DB_OK);
	}
}

/* A session's venue: a choice of venue_nums, venue 1 when not given. */
static int
venue_num(const char *v)
{
	long long	n;

	if (v == NULL || str_to_ll(v, 1, LISTING_VENUES, &n) == -1)
		return (1);
	return ((int)n);
}

static void
check_session(struct form *f, int n, int nvenues)
{
	const char	*pat, *start, *end, *from, *to, *v;
	char		 msg[160];

	if (!slot_used(f, 's', n))
		return;
	pat = slot(f, 's', n, "pattern");
	if (pat == NULL && !slot_error(f, 's', n, "pattern")) {
		snprintf(msg, sizeof(msg), "Session %d: choose how often it runs",
		    n);
		slot_fail(f, 's', n, "pattern", msg);
	}
	if (slot(f, 's', n, "day") == NULL && !slot_error(f, 's', n, "day")) {
		snprintf(msg, sizeof(msg), "Session %d: choose the days it "
		    "runs", n);
		slot_fail(f, 's', n, "day", msg);
	}
	if (pat != NULL && strcmp(pat, "monthly") == 0 &&
	    slot(f, 's', n, "week") == NULL && !slot_error(f, 's', n, "week")) {
		snprintf(msg, sizeof(msg), "Session %d: choose which week of "
		    "the month it runs", n);
		slot_fail(f, 's', n, "week", msg);
	}
	start = slot(f, 's', n, "start");
	end = slot(f, 's', n, "end");
	if (start == NULL && !slot_error(f, 's', n, "start")) {
		snprintf(msg, sizeof(msg), "Session %d: enter the time it "
		    "starts", n);
		slot_fail(f, 's', n, "start", msg);
	}
	if (end == NULL && !slot_error(f, 's', n, "end")) {
		snprintf(msg, sizeof(msg), "Session %d: enter the time it ends", n);
		slot_fail(f, 's', n, "end", msg);
	}
	/* "HH:MM" compares as text. */
	if (start != NULL && end != NULL && strcmp(end, start) <= 0) {
		snprintf(msg, sizeof(msg), "Session %d: the end time must be "
		    "after the start time (a session cannot run past "
		    "midnight)", n);
		slot_fail(f, 's', n, "end", msg);
	}
	from = slot(f, 's', n, "from");
	to = slot(f, 's', n, "to");
	if (from != NULL && to != NULL && strcmp(to, from) < 0) {
		snprintf(msg, sizeof(msg), "Session %d: the last date must be "
		    "on or after the first", n);
		slot_fail(f, 's', n, "to", msg);
	}
	if (pat != NULL && strcmp(pat, "fortnightly") == 0 && from == NULL &&
	    !slot_error(f, 's', n, "from")) {
		snprintf(msg, sizeof(msg), "Session %d: enter the date of one "
		    "session, so we know which weeks it runs", n);
		slot_fail(f, 's', n, "from", msg);
	}
	v = slot(f, 's', n, "venue");
	if (venue_num(v) > nvenues) {
		snprintf(msg, sizeof(msg), "Session %d: choose a venue you "
		    "have given above", n);
		slot_fail(f, 's', n, "venue", msg);
	}
}

/* Every category must be one the catalogue knows. */
static enum db_status
check_categories(struct form *f)
{
	struct search_catalog	*cat;
	const char		*v, *p, *e;
	char			 slug[96];
	enum db_status		 st;
	size_t			 i;

	if ((v = form_value(f, "category")) == NULL)
		return (DB_OK);
	if ((st = search_catalog_get(&cat)) != DB_OK)
		return (st);
	for (p = v; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		e = p + strcspn(p, ",");
		snprintf(slug, sizeof(slug), "%.*s", (int)(e - p), p);
		for (i = 0; i < cat->nterms; i++)
			if (strcmp(cat->terms[i].slug, slug) == 0)
				break;
		if (i == cat->nterms) {
			form_error(f, "category", "Choose categories from the "
			    "list");
			break;
		}
	}
	search_catalog_put(cat);
	return (DB_OK);
}

static enum db_status
check_org(struct form *f)
{
	struct db_result	*r = NULL;
	const char		*id = form_value(f, "org_id"), *p[1];
	enum db_status		 st = DB_OK;

	if (id == NULL || strcmp(id, "new") == 0)
		goto similar;
	if (!http_is_uuid(id)) {
		form_error(f, "org_name", "Choose an organisation from the "
		    "list, or say it is new");
		return (DB_OK);
	}
	p[0] = id;
	if ((st = db_exec("listing_org_get", 1, p, &r)) != DB_OK)
		goto out;
	if (db_rows(r) == 0)
		form_error(f, "org_name", "That organisation is no longer "
		    "listed: choose another, or say it is new");
	else
		/* Ours to show, not the typed one: it is the listed one. */
		form_set(f, "org_name", db_value(r, 0, 1));
	goto out;
similar:
	if (id != NULL || form_value(f, "org_name") == NULL)
		goto out;
	p[0] = form_value(f, "org_name");
	if ((st = db_exec("listing_org_similar", 1, p, &r)) != DB_OK)
		goto out;
	if (db_rows(r) > 0)
		form_error(f, "org_name", "We may already list this "
		    "organisation: choose it below, or say it is new");
out:
	db_free(r);
	return (st);
}

enum db_status
listing_form_check(struct form *f, struct http_request *req)
{
	const char	*kind, *lo, *hi;
	long long	 a, b;
	enum db_status	 st;
	int		 n, nvenues = 0;

	form_read(f, req);
	/* What needs no database first: it is what the fuzzer reaches. */
	lo = form_value(f, "min_age");
	hi = form_value(f, "max_age");
	if (lo != NULL && hi != NULL && str_to_ll(lo, 0, 130, &a) == 0 &&
	    str_to_ll(hi, 0, 130, &b) == 0 && a > b)
		form_error(f, "max_age", "The oldest age must be the same as "
		    "or more than the youngest");
	/*
	 * A group says where it meets.  An import may list a service with
	 * no venue (a helpline, a service that visits): the directory
	 * holds those too.
	 */
	if (f->fields != import_fields && !slot_used(f, 'v', 1) &&
	    !slot_error(f, 'v', 1, "postcode"))
		form_error(f, "v1_postcode", "Enter the postcode of the place "
		    "where it happens");
	for (n = 1; n <= LISTING_VENUES; n++)
		if (slot_used(f, 'v', n))
			nvenues = n;
	if (slot_used(f, 'v', 2) && !slot_used(f, 'v', 1))
		form_error(f, "v1_postcode", "Fill in venue 1 before venue 2");
	for (n = 1; n <= LISTING_SESSIONS; n++)
		check_session(f, n, nvenues);
	kind = form_value(f, "kind");
	if (kind != NULL && strcmp(kind, "walking_group") == 0) {
		if (form_value(f, "walk_grade") == NULL &&
		    !form_has_error(f, "walk_grade"))
			form_error(f, "walk_grade", "Choose how hard the walk "
			    "is");
	} else if (kind != NULL && (form_value(f, "walk_grade") != NULL ||
	    form_value(f, "walk_length") != NULL ||
	    form_value(f, "walk_duration") != NULL ||
	    form_value(f, "walk_terrain") != NULL ||
	    form_value(f, "walk_meeting") != NULL))
		form_error(f, "walk_grade", "Walk details are only for a "
		    "walking group: choose \u201cA walking group\u201d above, "
		    "or clear them");
	if ((st = check_org(f)) != DB_OK || (st = check_categories(f)) !=
	    DB_OK)
		return (st);
	for (n = 1; n <= LISTING_VENUES; n++)
		if ((st = check_venue(f, n)) != DB_OK)
			return (st);
	return (DB_OK);
}

/* Document building. */

static void
put_str(cJSON *o, const char *k, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static void
put_int(cJSON *o, const char *k, const char *v)
{
	long long	n;

	if (v != NULL && str_to_ll(v, -1000000, 1000000, &n) == 0)
		cJSON_AddNumberToObject(o, k, (double)n);
	else
		cJSON_AddNullToObject(o, k);
}

/* true, false, or null when the person did not say. */
static void
put_flag(cJSON *o, const char *k, int set, int on)
{
	if (!set)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddBoolToObject(o, k, on);
}

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* "a, b ,c" or "a,b" into a sorted array with no blanks or repeats. */
static cJSON *
list(const char *v, const char *sep)
{
	cJSON	*a = cJSON_CreateArray();
	char	*copy, *p, *tok, *items[64];
	size_t	 n = 0, i;

	if (a == NULL || v == NULL || (copy = strdup(v)) == NULL)
		return (a);
	for (p = copy; (tok = strsep(&p, sep)) != NULL && n < 64; ) {
		str_trim(tok);
		if (*tok != '\0')
			items[n++] = tok;
	}
	qsort(items, n, sizeof(items[0]), cmp_str);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(items[i], items[i - 1]) != 0)
			cJSON_AddItemToArray(a, cJSON_CreateString(items[i]));
	free(copy);
	return (a);
}

static cJSON *
session_json(const struct form *f, int n)
{
	cJSON		*o = cJSON_CreateObject();
	const char	*pat = slot(f, 's', n, "pattern");
	const char	*v = slot(f, 's', n, "venue"), *week = "";
	char		 name[32], byday[64];
	size_t		 i, len = 0;
	int		 monthly;

	if (o == NULL)
		return (NULL);
	monthly = strcmp(pat, "monthly") == 0 || strcmp(pat, "last") == 0;
	if (strcmp(pat, "monthly") == 0 && slot(f, 's', n, "week") != NULL)
		week = slot(f, 's', n, "week");
	else if (strcmp(pat, "last") == 0)
		week = "-1";
	/* The days in the week's order, each with the month's week. */
	snprintf(name, sizeof(name), "s%d_day", n);
	byday[0] = '\0';
	for (i = 0; days[i].value != NULL; i++)
		if (form_checked(f, name, days[i].value))
			len += (size_t)snprintf(byday + len, sizeof(byday) -
			    len, "%s%s%s", len > 0 ? "," : "", week,
			    days[i].value);
	cJSON_AddNumberToObject(o, "venue", venue_num(v));
	cJSON_AddStringToObject(o, "freq", monthly ? "MONTHLY" : "WEEKLY");
	cJSON_AddNumberToObject(o, "interval",
	    strcmp(pat, "fortnightly") == 0 ? 2 : 1);
	cJSON_AddStringToObject(o, "byday", byday);
	put_str(o, "opens_at", slot(f, 's', n, "start"));
	put_str(o, "closes_at", slot(f, 's', n, "end"));
	put_str(o, "valid_from", slot(f, 's', n, "from"));
	put_str(o, "valid_to", slot(f, 's', n, "to"));
	return (o);
}


/* A row's value from the form into its object. */
static void
put_row(cJSON *o, const struct lfield *r, const struct form *f)
{
	const char	*v = r->f.name != NULL ? form_value(f, r->f.name) : NULL;

	switch (r->conv) {
	case L_STR:
	case L_CHOICE:
		put_str(o, r->key, v);
		break;
	case L_INT:
		put_int(o, r->key, v);
		break;
	case L_LIST:
		cJSON_AddItemToObject(o, r->key, list(v, ","));
		break;
	case L_YESNO:
		cJSON_AddBoolToObject(o, r->key, form_checked(f, r->f.name,
		    "yes"));
		break;
	case L_CHECK:
		cJSON_AddBoolToObject(o, r->key, v != NULL);
		break;
	case L_FLAG:
	case L_OWN:
		break;
	}
}

/*
 * The ways in: a ticked box says yes; an unticked one says nothing
 * (null, "not known"), except that booking and drop-in answer each other.
 */
static void
access_flags(cJSON *s, const struct form *f)
{
	int	drop = form_checked(f, "access", "drop_in");
	int	book = form_checked(f, "access", "booking");

	put_flag(s, "self_referral", form_checked(f, "access",
	    "self_referral"), 1);
	put_flag(s, "professional_referral", form_checked(f, "access",
	    "professional_referral"), 1);
	put_flag(s, "drop_in", drop || book, drop);
	put_flag(s, "booking_required", book || drop, book);
}

/* The rows of one part (and slot) into o, OWN ones by their code. */
static void
put_part(cJSON *o, enum lpart part, int slot, const struct form *f)
{
	const char	*id;
	size_t		 i;

	for (i = 0; i < NROWS; i++) {
		if (rows[i].part != part || rows[i].slot != slot)
			continue;
		if (rows[i].conv != L_OWN)
			put_row(o, &rows[i], f);
		else if (strcmp(rows[i].f.name, "org_id") == 0) {
			id = form_value(f, "org_id");
			put_str(o, "id", id != NULL && strcmp(id, "new") != 0 ?
			    id : NULL);
		} else if (strcmp(rows[i].f.name, "access") == 0)
			access_flags(o, f);
	}
}

char *
listing_form_document(const struct form *f)
{
	cJSON		*d, *o, *s, *a, *w, *ss;
	const char	*kind = form_value(f, "kind");
	char		*out = NULL;
	int		 n;

	if ((d = cJSON_CreateObject()) == NULL)
		return (NULL);
	o = cJSON_AddObjectToObject(d, "organization");
	s = cJSON_AddObjectToObject(d, "service");
	if (o == NULL || s == NULL)
		goto out;
	put_part(o, L_ORG, 0, f);
	put_part(s, L_SERVICE, 0, f);
	if ((a = cJSON_AddArrayToObject(d, "venues")) == NULL)
		goto out;
	for (n = 1; n <= LISTING_VENUES; n++) {
		if (!slot_used(f, 'v', n))
			continue;
		if ((w = cJSON_CreateObject()) == NULL)
			goto out;
		put_part(w, L_VENUE, n, f);
		cJSON_AddItemToArray(a, w);
	}
	if ((a = cJSON_AddArrayToObject(d, "sessions")) == NULL)
		goto out;
	/* In the order the group gave them, as listing_document() keeps
	 * them (sql/018), so documents compare. */
	for (n = 1; n <= LISTING_SESSIONS; n++)
		if (slot_used(f, 's', n) && (ss = session_json(f, n)) != NULL)
			cJSON_AddItemToArray(a, ss);
	if (kind != NULL && strcmp(kind, "walking_group") == 0) {
		if ((w = cJSON_AddObjectToObject(d, "walk")) == NULL)
			goto out;
		put_part(w, L_WALK, 0, f);
	} else
		cJSON_AddNullToObject(d, "walk");
	put_part(d, L_TOP, 0, f);
	out = cJSON_PrintUnformatted(d);
out:
	cJSON_Delete(d);
	return (out);
}

/* Loading a document into the form. */

static const char *
jget(const cJSON *o, const char *k, char *tmp, size_t len)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (cJSON_IsString(v))
		return (v->valuestring);
	if (cJSON_IsNumber(v)) {
		snprintf(tmp, len, "%lld", (long long)v->valuedouble);
		return (tmp);
	}
	if (cJSON_IsTrue(v))
		return ("yes");
	return (NULL);
}

static int
jtrue(const cJSON *o, const char *k)
{
	return (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k)));
}

static void
join(struct buf *b, const cJSON *a, const char *sep)
{
	const cJSON	*e;

	buf_reset(b);
	cJSON_ArrayForEach(e, a)
		if (cJSON_IsString(e))
			buf_printf(b, "%s%s", b->len > 0 ? sep : "",
			    e->valuestring);
}

static void
set_slot(struct form *f, char c, int n, const char *key, const char *v)
{
	char	name[32];

	snprintf(name, sizeof(name), "%c%d_%s", c, n, key);
	if (v != NULL)
		form_set(f, name, v);
}

size_t
listing_venue_postcodes(const struct http_request *req, const char **out,
    size_t max)
{
	char		 name[32];
	const char	*v;
	size_t		 n = 0;
	int		 i;

	for (i = 1; i <= LISTING_VENUES && n < max; i++) {
		snprintf(name, sizeof(name), "v%d_postcode", i);
		if ((v = http_kv_get(&req->form, name)) != NULL)
			out[n++] = v;
	}
	return (n);
}

/* p starts with a day's code, MO..SU. */
static int
is_day(const char *p)
{
	size_t	i;

	for (i = 0; days[i].value != NULL; i++)
		if (strncmp(p, days[i].value, 2) == 0)
			return (1);
	return (0);
}

/* The form cannot show "1MO,3WE": see listing.h. */
int
listing_byday_split(const char *byday, char *week, size_t wlen, char *out,
    size_t olen)
{
	const char	*p = byday;
	size_t		 k, len = 0;

	week[0] = out[0] = '\0';
	while (*p != '\0') {
		k = strspn(p, "+-0123456789");
		if (p == byday)
			snprintf(week, wlen, "%.*s", (int)k, p);
		else if (strlen(week) != k || strncmp(week, p, k) != 0)
			return (-1);
		p += k;
		if (strlen(p) < 2 || (p[2] != ',' && p[2] != '\0') ||
		    !is_day(p))
			return (-1);
		len += (size_t)snprintf(out + len, olen - len, "%s%.2s",
		    len > 0 ? "," : "", p);
		if (len >= olen)
			return (-1);
		p += p[2] == ',' ? 3 : 2;
	}
	return (0);
}

static void
load_session(struct form *f, int n, const cJSON *x)
{
	const char	*freq, *byday;
	char		 tmp[32], week[8], day[64];
	long long	 iv;

	freq = jget(x, "freq", tmp, sizeof(tmp));
	set_slot(f, 's', n, "venue", jget(x, "venue", tmp, sizeof(tmp)));
	iv = (long long)cJSON_GetNumberValue(
	    cJSON_GetObjectItemCaseSensitive(x, "interval"));
	byday = jget(x, "byday", tmp, sizeof(tmp));
	if (byday == NULL || listing_byday_split(byday, week, sizeof(week), day,
	    sizeof(day)) == -1)
		;
	else if (freq != NULL && strcmp(freq, "MONTHLY") == 0) {
		if (strcmp(week, "-1") == 0) {
			set_slot(f, 's', n, "pattern", "last");
			set_slot(f, 's', n, "day", day);
		} else if (strlen(week) == 1 && week[0] >= '1' &&
		    week[0] <= '4') {
			set_slot(f, 's', n, "pattern", "monthly");
			set_slot(f, 's', n, "week", week);
			set_slot(f, 's', n, "day", day);
		}
	} else if (week[0] == '\0') {
		set_slot(f, 's', n, "pattern", iv == 2 ? "fortnightly" :
		    "weekly");
		set_slot(f, 's', n, "day", day);
	}
	set_slot(f, 's', n, "start", jget(x, "opens_at", tmp, sizeof(tmp)));
	set_slot(f, 's', n, "end", jget(x, "closes_at", tmp, sizeof(tmp)));
	set_slot(f, 's', n, "from", jget(x, "valid_from", tmp, sizeof(tmp)));
	set_slot(f, 's', n, "to", jget(x, "valid_to", tmp, sizeof(tmp)));
}

/* A row's value from its object into the form. */
static void
get_row(struct form *f, const struct lfield *r, const cJSON *o,
    struct buf *b)
{
	const char	*v;
	char		 tmp[32];

	switch (r->conv) {
	case L_STR:
	case L_CHOICE:
	case L_INT:
		if ((v = jget(o, r->key, tmp, sizeof(tmp))) != NULL)
			form_set(f, r->f.name, v);
		break;
	case L_LIST:
		join(b, cJSON_GetObjectItemCaseSensitive(o, r->key), r->join);
		if (b->len > 0)
			form_set(f, r->f.name, buf_cstr(b));
		break;
	case L_YESNO:
		form_set(f, r->f.name, jtrue(o, r->key) ? "yes" : "no");
		break;
	case L_CHECK:
		if (jtrue(o, r->key))
			form_set(f, r->f.name, "yes");
		break;
	case L_FLAG:
	case L_OWN:
		break;
	}
}

/* The ways in, from the four flags into the four boxes. */
static void
load_access(struct form *f, const cJSON *s, struct buf *b)
{
	buf_reset(b);
	if (jtrue(s, "self_referral"))
		buf_puts(b, "self_referral,");
	if (jtrue(s, "professional_referral"))
		buf_puts(b, "professional_referral,");
	if (jtrue(s, "drop_in"))
		buf_puts(b, "drop_in,");
	if (jtrue(s, "booking_required"))
		buf_puts(b, "booking,");
	if (b->len > 0) {
		b->data[--b->len] = '\0';
		form_set(f, "access", buf_cstr(b));
	}
}

static void
get_part(struct form *f, enum lpart part, int slot, const cJSON *o,
    struct buf *b)
{
	char	tmp[40];
	size_t	i;

	for (i = 0; i < NROWS; i++) {
		if (rows[i].part != part || rows[i].slot != slot)
			continue;
		if (rows[i].conv != L_OWN)
			get_row(f, &rows[i], o, b);
		else if (strcmp(rows[i].f.name, "org_id") == 0) {
			/* No id but a name: the group said it is new (or
			 * nothing like it was listed); not asked again. */
			if (jget(o, "id", tmp, sizeof(tmp)) != NULL)
				form_set(f, "org_id", jget(o, "id", tmp,
				    sizeof(tmp)));
			else if (jget(o, "name", tmp, sizeof(tmp)) != NULL)
				form_set(f, "org_id", "new");
		} else if (strcmp(rows[i].f.name, "access") == 0)
			load_access(f, o, b);
	}
}

int
listing_form_load(struct form *f, const char *doc)
{
	const cJSON	*x, *w;
	cJSON		*d;
	struct buf	 b;
	int		 n;

	if ((d = cJSON_Parse(doc)) == NULL)
		return (-1);
	buf_init(&b);
	get_part(f, L_ORG, 0, cJSON_GetObjectItemCaseSensitive(d,
	    "organization"), &b);
	get_part(f, L_SERVICE, 0, cJSON_GetObjectItemCaseSensitive(d,
	    "service"), &b);
	n = 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(d, "venues"))
		if (++n <= LISTING_VENUES)
			get_part(f, L_VENUE, n, x, &b);
	n = 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(d, "sessions"))
		if (++n <= LISTING_SESSIONS)
			load_session(f, n, x);
	w = cJSON_GetObjectItemCaseSensitive(d, "walk");
	if (cJSON_IsObject(w))
		get_part(f, L_WALK, 0, w, &b);
	get_part(f, L_TOP, 0, d, &b);
	cJSON_Delete(d);
	buf_free(&b);
	return (0);
}

/* A CHECK from sql/003 and sql/011, to the row it guards. */
void
listing_form_constraint(struct form *f, const char *constraint)
{
	size_t	i;

	for (i = 0; i < NROWS; i++)
		if (constraint != NULL && rows[i].check != NULL &&
		    strcmp(rows[i].check, constraint) == 0) {
			form_error(f, rows[i].f.name, rows[i].check_msg);
			return;
		}
	log_warn("listing: constraint %s has no field",
	    constraint != NULL ? constraint : "(none)");
	form_error(f, NULL, "Something in the form could not be saved. "
	    "Please check your answers.");
}

/* Drawing the form. */

static void
section(struct buf *b, const char *id, const char *title, const char *intro)
{
	buf_printf(b, "<fieldset class=\"fieldset section\" id=\"%s\">"
	    "<legend class=\"legend-section\"><h2>%s</h2></legend>", id, title);
	if (intro != NULL)
		buf_printf(b, "<p class=\"hint\">%s</p>", intro);
}

static void
org_choices(struct buf *b, const struct form *f)
{
	struct db_result	*r = NULL;
	const char		*p[1], *cur = form_value(f, "org_id");
	int			 i, k = form_index(f, "org_name");

	/*
	 * Asked once per listing: only while the name is in question (the
	 * "choose it below" error).  Once answered, or loaded from a stored
	 * listing, the hidden org_id carries the answer.  As typed: that
	 * error has cleared the name's value.
	 */
	if (k == -1 || (p[0] = f->raw[k]) == NULL ||
	    !form_has_error(f, "org_name") ||
	    (cur != NULL && strcmp(cur, "new") != 0))
		return;
	if (db_exec("listing_org_similar", 1, p, &r) != DB_OK ||
	    db_rows(r) == 0)
		goto out;
	buf_puts(b, "<div class=\"field\"><fieldset class=\"fieldset\">"
	    "<legend>Is it one of these?</legend>");
	for (i = 0; i < db_rows(r); i++) {
		buf_puts(b, "<div class=\"choice\"><input type=\"radio\" "
		    "name=\"org_id\" id=\"org_id-");
		buf_html(b, db_value(r, i, 0));
		buf_puts(b, "\" value=\"");
		buf_html(b, db_value(r, i, 0));
		buf_puts(b, "\"><label for=\"org_id-");
		buf_html(b, db_value(r, i, 0));
		buf_puts(b, "\">");
		buf_html(b, db_value(r, i, 1));
		buf_puts(b, "</label></div>");
	}
	buf_printf(b, "<div class=\"choice\"><input type=\"radio\" "
	    "name=\"org_id\" id=\"org_id-new\" value=\"new\"%s><label "
	    "for=\"org_id-new\">No, it is a new organisation</label></div>"
	    "</fieldset></div>\n", cur != NULL ? " checked" : "");
out:
	db_free(r);
}

static void
categories(struct buf *b, const struct form *f)
{
	struct search_catalog	*cat;
	size_t			 i, j;
	int			 k = form_index(f, "category"), open;
	const char		*slug;

	if (search_catalog_get(&cat) != DB_OK)
		return;
	buf_printf(b, "<div class=\"field%s\"><fieldset class=\"fieldset\" "
	    "aria-describedby=\"category-hint%s\"><legend>Categories"
	    "</legend><p class=\"hint\" id=\"category-hint\">Choose all that "
	    "fit: people find it under these.</p>",
	    form_has_error(f, "category") ? " has-error" : "",
	    form_has_error(f, "category") ? " category-error" : "");
	if (form_has_error(f, "category")) {
		buf_puts(b, "<p class=\"error-message\" id=\"category-error\">"
		    "<span class=\"visually-hidden\">Error: </span>");
		buf_html(b, form_message(f, (size_t)k));
		buf_puts(b, "</p>");
	}
	for (i = 0; i < cat->nterms; i++) {
		if (cat->terms[i].depth != 0)
			continue;
		/* Open the groups that have a ticked box, so it is seen. */
		open = 0;
		for (j = i; j < cat->nterms && (j == i ||
		    cat->terms[j].depth > 0); j++)
			if (form_checked(f, "category", cat->terms[j].slug))
				open = 1;
		buf_printf(b, "<details class=\"category-group\"%s><summary>",
		    open ? " open" : "");
		buf_html(b, cat->terms[i].name);
		buf_puts(b, "</summary>");
		for (j = i; j < cat->nterms && (j == i ||
		    cat->terms[j].depth > 0); j++) {
			slug = cat->terms[j].slug;
			buf_puts(b, "<div class=\"choice\"><input type=\""
			    "checkbox\" name=\"category\" id=\"category-");
			buf_html(b, slug);
			buf_puts(b, "\" value=\"");
			buf_html(b, slug);
			buf_printf(b, "\"%s><label for=\"category-",
			    form_checked(f, "category", slug) ? " checked" : "");
			buf_html(b, slug);
			buf_puts(b, "\">");
			if (j == i)
				buf_puts(b, "All of ");
			buf_html(b, cat->terms[j].name);
			buf_puts(b, "</label></div>");
		}
		buf_puts(b, "</details>");
	}
	buf_puts(b, "</fieldset></div>\n");
	search_catalog_put(cat);
}

void
listing_form_html(struct buf *b, const struct form *f)
{
	char	first[32], last[32];
	int	n;

	section(b, "organisation", "The organisation", NULL);
	form_field(b, f, "org_id");
	form_field(b, f, "org_name");
	org_choices(b, f);
	form_fields(b, f, "org_description", "org_charity");
	buf_puts(b, "</fieldset>\n");

	section(b, "service", "The service or group", NULL);
	form_fields(b, f, "name", "description");
	categories(b, f);
	form_fields(b, f, "eligibility", "languages");
	form_field(b, f, "areas");
	buf_puts(b, "</fieldset>\n");

	for (n = 1; n <= LISTING_VENUES; n++) {
		snprintf(first, sizeof(first), "venue-%d", n);
		section(b, first, n == 1 ? "Where it happens" :
		    "A second venue (optional)", n == 1 ? "We check the "
		    "postcode: it places the listing on the map and in "
		    "search by distance." : NULL);
		snprintf(first, sizeof(first), "v%d_name", n);
		snprintf(last, sizeof(last), "v%d_access", n);
		form_fields(b, f, first, last);
		buf_puts(b, "</fieldset>\n");
	}
	for (n = 1; n <= LISTING_SESSIONS; n++) {
		snprintf(first, sizeof(first), "session-%d", n);
		section(b, first, n == 1 ? "When it runs" : "Another session "
		    "(optional)", n == 1 ? "One session per regular "
		    "meeting. Leave it empty for &ldquo;by "
		    "appointment&rdquo;. For each session you give, the "
		    "fields not marked optional are needed." : NULL);
		snprintf(first, sizeof(first), "s%d_venue", n);
		snprintf(last, sizeof(last), "s%d_to", n);
		form_fields(b, f, first, last);
		buf_puts(b, "</fieldset>\n");
	}
	section(b, "walk", "Walk details", "Only for a walking group.");
	form_fields(b, f, "walk_grade", "walk_meeting");
	buf_puts(b, "</fieldset>\n");
	section(b, "you", "About you", NULL);
	form_field(b, f, "contact_email");
	buf_puts(b, "</fieldset>\n");
}

/* A document, flattened into labelled lines: drawing and comparing. */

struct line {
	char	label[64];
	char	*value;		/* NULL: not given */
};

struct lines {
	struct line	*v;
	size_t		 n, cap;
};

static void
add_line(struct lines *l, const char *label, const char *value)
{
	struct line	*nv;

	if (l->n == l->cap) {
		if ((nv = reallocarray(l->v, l->cap + 32, sizeof(*nv))) == NULL)
			return;
		l->v = nv;
		l->cap += 32;
	}
	snprintf(l->v[l->n].label, sizeof(l->v[0].label), "%s", label);
	l->v[l->n].value = value != NULL && *value != '\0' ? strdup(value) :
	    NULL;
	l->n++;
}

static void
lines_free(struct lines *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].value);
	free(l->v);
}

static const char *
choice_label(const struct form_choice *c, const char *v)
{
	for (; v != NULL && c->value != NULL; c++)
		if (strcmp(c->value, v) == 0)
			return (c->label);
	return (v);
}

static void
text_line(struct lines *l, const char *label, const cJSON *o, const char *k)
{
	char	tmp[32];

	add_line(l, label, jget(o, k, tmp, sizeof(tmp)));
}

static void
flag_line(struct lines *l, const char *label, const cJSON *o, const char *k)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, k);

	add_line(l, label, cJSON_IsTrue(v) ? "Yes" : cJSON_IsFalse(v) ? "No" :
	    NULL);
}

static const char *
or_empty(const char *v, const char *dflt)
{
	return (v != NULL ? v : dflt);
}

static void
session_text(struct buf *b, const cJSON *x)
{
	static const char *const ord[] = { "", "first", "second", "third",
	    "fourth" };
	const char	*freq, *byday, *v;
	char		 t1[32], t2[32], t3[32], week[8], day[64], one[3];
	struct buf	 names;
	size_t		 i, nd;
	int		 iv, w = 0;

	freq = jget(x, "freq", t1, sizeof(t1));
	byday = jget(x, "byday", t2, sizeof(t2));
	iv = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(x,
	    "interval"));
	if (byday == NULL || listing_byday_split(byday, week, sizeof(week), day,
	    sizeof(day)) == -1) {
		/* Not one the form makes: the rule as it is. */
		buf_printf(b, "%s", byday != NULL ? byday : "?");
		goto times;
	}
	if (strlen(week) == 1 && week[0] >= '1' && week[0] <= '4')
		w = week[0] - '0';
	/* "Monday, Wednesday and Friday" */
	buf_init(&names);
	nd = (strlen(day) + 1) / 3;
	for (i = 0; i < nd; i++) {
		snprintf(one, sizeof(one), "%.2s", day + 3 * i);
		buf_printf(&names, "%s%s", i == 0 ? "" : i + 1 == nd ?
		    " and " : ", ", choice_label(days, one));
	}
	if (freq != NULL && strcmp(freq, "MONTHLY") == 0)
		buf_printf(b, "The %s %s of the month", w > 0 ? ord[w] : "last",
		    buf_cstr(&names));
	else
		buf_printf(b, "%s %s", iv == 2 ? "Every other" : "Every",
		    buf_cstr(&names));
	buf_free(&names);
times:
	buf_printf(b, ", %s to %s, at venue %s",
	    or_empty(jget(x, "opens_at", t1, sizeof(t1)), "?"),
	    or_empty(jget(x, "closes_at", t2, sizeof(t2)), "?"),
	    or_empty(jget(x, "venue", t3, sizeof(t3)), "1"));
	/* jget's answer, not the buffer: a string is returned, not copied. */
	if ((v = jget(x, "valid_from", t1, sizeof(t1))) != NULL)
		buf_printf(b, ", from %s", v);
	if ((v = jget(x, "valid_to", t1, sizeof(t1))) != NULL)
		buf_printf(b, ", until %s", v);
}

/* A row's line: label as the row shows it (n: the venue's number). */
static void
row_line(struct lines *l, const struct lfield *r, const cJSON *o, int n,
    struct buf *b)
{
	const char	*a;
	char		 label[64], tmp[32];

	/* "Venue %d: town": the number put in by hand, not as a format. */
	if ((a = strstr(r->shown, "%d")) != NULL)
		snprintf(label, sizeof(label), "%.*s%d%s", (int)(a - r->shown),
		    r->shown, n, a + 2);
	else
		snprintf(label, sizeof(label), "%s", r->shown);
	switch (r->conv) {
	case L_CHOICE:
		add_line(l, label, choice_label(r->f.choices, jget(o, r->key,
		    tmp, sizeof(tmp))));
		break;
	case L_LIST:
		join(b, cJSON_GetObjectItemCaseSensitive(o, r->key), ", ");
		add_line(l, label, buf_cstr(b));
		break;
	case L_YESNO:
	case L_CHECK:
	case L_FLAG:
		flag_line(l, label, o, r->key);
		break;
	default:
		if (r->part != L_VENUE || strcmp(r->key, "name") != 0) {
			text_line(l, label, o, r->key);
			break;
		}
		/* A venue's line is its name and street address. */
		buf_reset(b);
		buf_puts(b, or_empty(jget(o, "name", tmp, sizeof(tmp)), ""));
		/* jget() returns strings as they are, not in tmp. */
		if ((a = jget(o, "address", tmp, sizeof(tmp))) != NULL)
			buf_printf(b, "%s%s", b->len > 0 ? ", " : "", a);
		add_line(l, label, buf_cstr(b));
		break;
	}
}

/* The lines of a part; venues are drawn after venue 1's rows. */
static void
part_lines(struct lines *l, enum lpart part, const cJSON *o, int n,
    struct buf *b)
{
	size_t	i;

	for (i = 0; i < NROWS; i++)
		if (rows[i].part == part && rows[i].shown != NULL &&
		    rows[i].slot == (part == L_VENUE ? 1 : 0))
			row_line(l, &rows[i], o, n, b);
}

static int
flatten(const char *doc, struct lines *l)
{
	const cJSON	*x, *w;
	cJSON		*d;
	struct buf	 b;
	char		 label[64];
	int		 n;

	if (doc == NULL || (d = cJSON_Parse(doc)) == NULL)
		return (-1);
	buf_init(&b);
	part_lines(l, L_ORG, cJSON_GetObjectItemCaseSensitive(d,
	    "organization"), 0, &b);
	part_lines(l, L_SERVICE, cJSON_GetObjectItemCaseSensitive(d,
	    "service"), 0, &b);
	n = 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(d, "venues"))
		part_lines(l, L_VENUE, x, ++n, &b);
	n = 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(d, "sessions")) {
		snprintf(label, sizeof(label), "Session %d", ++n);
		buf_reset(&b);
		session_text(&b, x);
		add_line(l, label, buf_cstr(&b));
	}
	w = cJSON_GetObjectItemCaseSensitive(d, "walk");
	if (cJSON_IsObject(w))
		part_lines(l, L_WALK, w, 0, &b);
	part_lines(l, L_TOP, d, 0, &b);
	buf_free(&b);
	cJSON_Delete(d);
	return (0);
}

void
listing_document_html(struct buf *b, const char *doc)
{
	struct lines	l;
	size_t		i;

	memset(&l, 0, sizeof(l));
	if (flatten(doc, &l) == -1) {
		buf_puts(b, "<p>This listing cannot be shown.</p>");
		return;
	}
	buf_puts(b, "<dl class=\"summary-list\">");
	for (i = 0; i < l.n; i++) {
		if (l.v[i].value == NULL)
			continue;
		buf_puts(b, "<div class=\"summary-row\"><dt>");
		buf_html(b, l.v[i].label);
		buf_puts(b, "</dt><dd>");
		buf_html(b, l.v[i].value);
		buf_puts(b, "</dd></div>");
	}
	buf_puts(b, "</dl>\n");
	lines_free(&l);
}

static const char *
find_line(const struct lines *l, const char *label)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].label, label) == 0)
			return (l->v[i].value != NULL ? l->v[i].value : "");
	return ("");
}

static int
has_line(const struct lines *l, const char *label)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].label, label) == 0)
			return (1);
	return (0);
}

static void
diff_cell(struct buf *b, const char *v)
{
	buf_puts(b, "<td>");
	if (*v == '\0')
		buf_puts(b, "<span class=\"muted\">(none)</span>");
	else
		buf_html(b, v);
	buf_puts(b, "</td>");
}

/* Longer than this, a change is marked word by word inside the text. */
#define DIFF_LONG	60
/* Past this many words a side, the quadratic table costs too much. */
#define DIFF_WORDS	400

struct words {
	const char	*p[DIFF_WORDS];
	size_t		 len[DIFF_WORDS];	/* the word and its spaces */
	size_t		 n;
};

/* Split into words, each with the white space after it; -1 if too many. */
static int
split_words(const char *s, struct words *w)
{
	size_t	n;

	w->n = 0;
	while (*s != '\0') {
		if (w->n == DIFF_WORDS)
			return (-1);
		n = strcspn(s, " \t\r\n");
		n += strspn(s + n, " \t\r\n");
		w->p[w->n] = s;
		w->len[w->n++] = n;
		s += n;
	}
	return (0);
}

static int
word_eq(const struct words *a, size_t i, const struct words *b, size_t j)
{
	size_t	la = strcspn(a->p[i], " \t\r\n");
	size_t	lb = strcspn(b->p[j], " \t\r\n");

	return (la == lb && memcmp(a->p[i], b->p[j], la) == 0);
}

static void
html_n(struct buf *b, const char *s, size_t n)
{
	struct buf	t;

	buf_init(&t);
	buf_append(&t, s, n);
	buf_html(b, buf_cstr(&t));
	buf_free(&t);
}

/*
 * Both cells of a long text changed in place: the words only before has
 * in <del>, the words only after has in <ins>, by a longest common
 * subsequence of words.  0, or -1 to draw the cells plainly.
 */
static int
diff_words(struct buf *b, const char *x, const char *y)
{
	struct words	*a, *c;
	unsigned short	*t = NULL;
	const char	*tag;
	size_t		 i, j, w;
	int		 side, open, mine, ret = -1;

	a = malloc(sizeof(*a));
	c = malloc(sizeof(*c));
	if (a == NULL || c == NULL || split_words(x, a) == -1 ||
	    split_words(y, c) == -1)
		goto out;
	w = c->n + 1;
	/* t[i][j]: the common words of a from i on and c from j on. */
	if ((t = calloc((a->n + 1) * w, sizeof(*t))) == NULL)
		goto out;
	for (i = a->n; i-- > 0; )
		for (j = c->n; j-- > 0; )
			t[i * w + j] = word_eq(a, i, c, j) ?
			    t[(i + 1) * w + j + 1] + 1 :
			    (t[(i + 1) * w + j] > t[i * w + j + 1] ?
			    t[(i + 1) * w + j] : t[i * w + j + 1]);
	/* Before's side marks what went, after's what came; a run of
	 * marked words is one element. */
	for (side = 0; side < 2; side++) {
		tag = side == 0 ? "del" : "ins";
		open = 0;
		buf_puts(b, "<td>");
		for (i = 0, j = 0; i < a->n || j < c->n; ) {
			if (i < a->n && j < c->n && word_eq(a, i, c, j)) {
				if (open)
					buf_printf(b, "</%s>", tag);
				open = 0;
				html_n(b, side == 0 ? a->p[i] : c->p[j],
				    side == 0 ? a->len[i] : c->len[j]);
				i++;
				j++;
				continue;
			}
			mine = j == c->n || (i < a->n &&
			    t[(i + 1) * w + j] >= t[i * w + j + 1]) ?
			    side == 0 : side == 1;
			if (mine && !open)
				buf_printf(b, "<%s>", tag);
			open |= mine;
			if (j == c->n || (i < a->n &&
			    t[(i + 1) * w + j] >= t[i * w + j + 1])) {
				if (side == 0)
					html_n(b, a->p[i], a->len[i]);
				i++;
			} else {
				if (side == 1)
					html_n(b, c->p[j], c->len[j]);
				j++;
			}
		}
		if (open)
			buf_printf(b, "</%s>", tag);
		buf_puts(b, "</td>");
	}
	ret = 0;
out:
	free(t);
	free(a);
	free(c);
	return (ret);
}

int
listing_diff_html(struct buf *b, const char *before, const char *after)
{
	struct lines	 lb, la;
	const char	*x, *y, *label;
	size_t		 i;
	int		 n = 0;

	memset(&lb, 0, sizeof(lb));
	memset(&la, 0, sizeof(la));
	if ((before != NULL && flatten(before, &lb) == -1) ||
	    flatten(after, &la) == -1) {
		lines_free(&lb);
		lines_free(&la);
		return (-1);
	}
	/* The page's heading says "What changes"; this names the table. */
	buf_puts(b, "<table class=\"diff\"><caption class=\"visually-hidden\">"
	    "Each changed field, before and after</caption>"
	    "<thead><tr><th scope=\"col\">Field</th><th scope=\"col\">"
	    "Before</th><th scope=\"col\">After</th></tr></thead><tbody>");
	/* Then the lines only before has (a venue or session taken away). */
	for (i = 0; i < la.n + lb.n; i++) {
		label = i < la.n ? la.v[i].label : lb.v[i - la.n].label;
		if (i >= la.n && has_line(&la, label))
			continue;
		x = find_line(&lb, label);
		y = find_line(&la, label);
		if (strcmp(x, y) == 0)
			continue;
		n++;
		buf_puts(b, "<tr><th scope=\"row\">");
		buf_html(b, label);
		buf_puts(b, "</th>");
		if (*x == '\0' || *y == '\0' || (strlen(x) <= DIFF_LONG &&
		    strlen(y) <= DIFF_LONG) || diff_words(b, x, y) == -1) {
			diff_cell(b, x);
			diff_cell(b, y);
		}
		buf_puts(b, "</tr>");
	}
	if (n == 0)
		buf_puts(b, "<tr><td colspan=\"3\">No changes</td></tr>");
	buf_puts(b, "</tbody></table>\n");
	lines_free(&lb);
	lines_free(&la);
	return (n);
}

const char *
listing_document_name(const char *doc, char *out, size_t len)
{
	cJSON		*d;
	const char	*v;
	char		 tmp[8];

	if (len == 0 || (d = cJSON_Parse(doc)) == NULL)
		return (NULL);
	v = jget(cJSON_GetObjectItemCaseSensitive(d, "service"), "name", tmp,
	    sizeof(tmp));
	if (v != NULL)
		snprintf(out, len, "%s", v);
	cJSON_Delete(d);
	return (v != NULL ? out : NULL);
}
