/*
 * The partner widget.  One parser turns the parameters into a search and
 * per-field messages; the iframe page renders it as HTML and /api/embed as
 * JSON for embed.js.  Links in both are relative to this site: the iframe
 * is on this origin, and embed.js prefixes the origin it was loaded from,
 * so no configuration has to know the public address.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "asset.h"
#include "buf.h"
#include "config.h"
#include "db.h"
#include "embed.h"
#include "form.h"
#include "http.h"
#include "page.h"
#include "postcode.h"
#include "reply.h"
#include "search.h"

/*
 * The parameters, read and checked by the form layer like every other
 * form; in the order of enum embed_field.  The page draws them with the
 * widget's own namespaced markup (sp-embed__*), which embed.js builds
 * the same way inside partners' pages, so they share one stylesheet.
 */
enum embed_field {
	F_POSTCODE, F_Q, F_CATEGORY, F_RADIUS, F_LIMIT, F_COUNT
};

static const struct form_choice radius_choices[] = {
	{ "0.5", "0.5 km" }, { "1", "1 km" }, { "2", "2 km" },
	{ "5", "5 km" }, { "10", "10 km" }, { "25", "25 km" },
	{ NULL, NULL }
};

static const struct form_field embed_fields[F_COUNT] = {
	{ .name = "postcode", .label = "Postcode", .kind = FORM_POSTCODE,
	  .any_postcode = 1, .format_msg = POSTCODE_FORMAT_HELP },
	{ .name = "q", .label = "What are you looking for?",
	  .kind = FORM_TEXT, .max = SEARCH_Q_MAX },
	/* A slug; whether we have it is the catalogue's to say. */
	{ .name = "category", .label = "Category", .kind = FORM_TEXT,
	  .max = 95, .format_msg = "Choose a category from the list" },
	{ .name = "radius", .label = "Distance", .kind = FORM_SELECT,
	  .choices = radius_choices, .default_value = EMBED_RADIUS,
	  .format_msg = "radius must be one of 0.5, 1, 2, 5, 10 or 25 "
	  "(kilometres)" },
	{ .name = "limit", .label = "Number of results", .kind = FORM_INT,
	  .min_value = 1, .max_value = EMBED_LIMIT_MAX,
	  .format_msg = "limit must be a whole number from 1 to 20" },
};

/*
 * Between the parts of a result's second line: in the text, not in CSS,
 * so that copied text and reader views keep it.
 */
#define SEP	"<span class=\"sp-embed__sep\" aria-hidden=\"true\">" \
		" · </span>"

/* The form controls the iframe page shows; the others ride along hidden. */
static const char *const field_id[F_COUNT] = {
	"sp-embed-postcode", "sp-embed-q", NULL, NULL, NULL
};

struct embed_form {
	struct form		 form;
	long long		 limit;
	struct postcode_info	 pc;
	char			 areas[SEARCH_MAX_AREAS][16];
	struct search_catalog	*cat;
	struct search_query	 sq;
};

/* A field's checked value: NULL when not given or in error. */
static const char *
val(const struct embed_form *f, enum embed_field i)
{
	return (form_value(&f->form, embed_fields[i].name));
}

/* A field's value as given, to show back. */
static const char *
as_given(const struct embed_form *f, enum embed_field i)
{
	return (f->form.raw[i]);
}

/* A field's message, or NULL. */
static const char *
message(const struct embed_form *f, enum embed_field i)
{
	return (form_message(&f->form, i));
}

static void
field_error(struct embed_form *f, enum embed_field i, const char *msg)
{
	if (!form_has_error(&f->form, embed_fields[i].name))
		form_error(&f->form, embed_fields[i].name, msg);
}

/*
 * Fill f from the request.  DB_OK with f->form.nerr == 0 and a postcode
 * means f->sq is ready to run; no postcode at all is not an error (the
 * page shows the empty form), the caller decides.
 */
static enum db_status
embed_parse(struct http_request *req, struct embed_form *f)
{
	const char	*v;
	enum db_status	 st;
	long long	 n;
	char		 msg[192];

	memset(f, 0, sizeof(*f));
	form_init(&f->form, embed_fields, F_COUNT);
	f->limit = EMBED_LIMIT;
	if (form_read(&f->form, req) > 0)
		return (DB_OK);
	if ((v = val(f, F_LIMIT)) != NULL &&
	    str_to_ll(v, 1, EMBED_LIMIT_MAX, &n) == 0)
		f->limit = n;

	if ((st = search_catalog_get(&f->cat)) != DB_OK)
		return (st);
	if ((v = val(f, F_CATEGORY)) != NULL &&
	    search_catalog_term(f->cat, v) == NULL) {
		/* Maybe added since the catalogue was read: read it again. */
		search_catalog_put(f->cat);
		f->cat = NULL;
		if ((st = search_catalog_get_fresh(&f->cat, 1)) != DB_OK)
			return (st);
	}
	f->sq.catalog = f->cat;
	if (v != NULL && (f->sq.category = search_catalog_term(f->cat,
	    v)) == NULL)
		field_error(f, F_CATEGORY, "We do not know that category");

	if ((v = val(f, F_POSTCODE)) != NULL) {
		switch (postcode_lookup(v, &f->pc)) {
		case POSTCODE_FOUND:
			break;
		case POSTCODE_MALFORMED:
			field_error(f, F_POSTCODE, POSTCODE_FORMAT_HELP);
			break;
		case POSTCODE_NOT_FOUND:
			postcode_not_found(&f->pc, msg, sizeof(msg));
			field_error(f, F_POSTCODE, msg);
			break;
		case POSTCODE_DB_DOWN:
			return (DB_UNAVAILABLE);
		case POSTCODE_DB_ERROR:
			return (DB_ERROR);
		}
	}

	/* Where, as the search page has it. */
	search_query_at(&f->sq, &f->pc, f->areas);
	f->sq.radius_m = search_parse_radius(val(f, F_RADIUS) != NULL ?
	    val(f, F_RADIUS) : EMBED_RADIUS);
	f->sq.q = val(f, F_Q);
	f->sq.wday = -1;
	f->sq.tod = SEARCH_TOD_ANY;
	f->sq.age = -1;
	f->sq.sort = SEARCH_SORT_DISTANCE;
	f->sq.page = 1;
	return (DB_OK);
}

static void
embed_form_free(struct embed_form *f)
{
	if (f->cat != NULL)
		search_catalog_put(f->cat);
	f->cat = NULL;
	form_free(&f->form);
}

/* The same search on the full site, for "see all results". */
static void
search_link(struct buf *b, const struct embed_form *f)
{
	buf_puts(b, "/search?postcode=");
	buf_url(b, f->pc.postcode);
	if (val(f, F_Q) != NULL) {
		buf_puts(b, "&q=");
		buf_url(b, val(f, F_Q));
	}
	if (val(f, F_CATEGORY) != NULL) {
		buf_puts(b, "&category=");
		buf_url(b, val(f, F_CATEGORY));
	}
	buf_puts(b, "&radius=");
	buf_url(b, val(f, F_RADIUS) != NULL ? val(f, F_RADIUS) : EMBED_RADIUS);
}

static void
where_text(struct buf *b, const struct search_item *it)
{
	if (it->local)
		search_format_distance(it->dist_m, b);
	else if (it->area != NULL) {
		buf_puts(b, "Covers ");
		buf_puts(b, it->area);
	}
}

/* ---- /embed: the iframe page ------------------------------------- */

static void
hidden(struct buf *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	buf_html(b, value);
	buf_puts(b, "\">\n");
}

static void
text_field(struct buf *b, const struct embed_form *f, enum embed_field i,
    const char *label, const char *hint, const char *extra)
{
	const char	*id = field_id[i];

	buf_printf(b, "<div class=\"sp-embed__field%s\">\n<label "
	    "class=\"sp-embed__label\" for=\"%s\">", message(f, i) != NULL ?
	    " sp-embed__field--error" : "", id);
	buf_html(b, label);
	if (hint != NULL) {
		buf_puts(b, " <span class=\"sp-embed__hint\">");
		buf_html(b, hint);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</label>\n");
	if (message(f, i) != NULL) {
		buf_printf(b, "<p class=\"sp-embed__error\" id=\"%s-error\">"
		    "<span class=\"sp-embed__vh\">Error: </span>", id);
		buf_html(b, message(f, i));
		buf_puts(b, "</p>\n");
	}
	buf_printf(b, "<input class=\"sp-embed__input\" id=\"%s\" name=\"%s\" "
	    "type=\"text\" %s", id, embed_fields[i].name, extra);
	if (message(f, i) != NULL)
		buf_printf(b, " aria-invalid=\"true\" "
		    "aria-describedby=\"%s-error\"", id);
	buf_puts(b, " value=\"");
	buf_html(b, as_given(f, i) != NULL ? as_given(f, i) : "");
	buf_puts(b, "\">\n</div>\n");
}

/* title: the heading shown; given: the partner's title parameter, kept. */
static void
render_form(struct buf *b, const struct embed_form *f, const char *title,
    const char *given)
{
	int	i;

	if (f->form.nerr > 0) {
		buf_puts(b, "<div class=\"sp-embed__summary\" role=\"alert\" "
		    "tabindex=\"-1\" aria-labelledby=\"sp-embed-summary\">\n"
		    "<h2 class=\"sp-embed__summary-title\" "
		    "id=\"sp-embed-summary\">There is a problem</h2>\n<ul>\n");
		for (i = 0; i < F_COUNT; i++) {
			if (message(f, i) == NULL)
				continue;
			if (field_id[i] != NULL) {
				buf_printf(b, "<li><a href=\"#%s\">",
				    field_id[i]);
				buf_html(b, message(f, i));
				buf_puts(b, "</a></li>\n");
			} else {
				buf_puts(b, "<li>");
				buf_html(b, message(f, i));
				buf_puts(b, " (this is set by the site showing "
				    "this search)</li>\n");
			}
		}
		buf_puts(b, "</ul>\n</div>\n");
	}
	buf_puts(b, "<form class=\"sp-embed__form\" method=\"get\" "
	    "action=\"/embed\" role=\"search\" aria-label=\"");
	buf_html(b, title);
	buf_puts(b, "\" novalidate>\n");
	text_field(b, f, F_POSTCODE, "Postcode", NULL,
	    "autocomplete=\"postal-code\" spellcheck=\"false\" "
	    "autocapitalize=\"characters\" maxlength=\"16\"");
	text_field(b, f, F_Q, "What are you looking for?", "(optional)",
	    "maxlength=\"200\"");
	/* Set by the partner, not offered to change: kept as given. */
	hidden(b, "category", as_given(f, F_CATEGORY));
	hidden(b, "radius", as_given(f, F_RADIUS));
	hidden(b, "limit", as_given(f, F_LIMIT));
	hidden(b, "title", given);
	buf_puts(b, "<button class=\"sp-embed__button\" type=\"submit\">"
	    "Search</button>\n</form>\n");
}

static void
render_results(struct buf *b, const struct embed_form *f,
    const struct search_results *r)
{
	const struct search_item	*it;
	struct buf			 tmp;
	size_t				 i;

	buf_init(&tmp);
	buf_puts(b, "<section class=\"sp-embed__results-wrap\" "
	    "aria-labelledby=\"sp-embed-count\">\n"
	    "<h2 class=\"sp-embed__count\" id=\"sp-embed-count\">");
	if (r->total == 0)
		buf_puts(b, "No services found");
	else if (r->total == 1)
		buf_puts(b, "1 service");
	else
		buf_printf(b, "%lld services", r->total);
	buf_puts(b, " within ");
	buf_html(b, val(f, F_RADIUS) != NULL ? val(f, F_RADIUS) : EMBED_RADIUS);
	buf_puts(b, " km of ");
	/* "of G1 1" alone reads like a typo for G11. */
	if (f->pc.kind != POSTCODE_FULL) {
		buf_puts(b, postcode_kind_label(f->pc.kind));
		buf_puts(b, " ");
	}
	buf_html(b, f->pc.postcode);
	buf_puts(b, "</h2>\n");
	if (r->was_corrected && r->corrected != NULL) {
		buf_puts(b, "<p class=\"sp-embed__note\">Showing results for "
		    "<strong>");
		buf_html(b, r->corrected);
		buf_puts(b, "</strong></p>\n");
	}
	if (r->n == 0)
		buf_puts(b, "<p class=\"sp-embed__note\">Try other words, or "
		    "search further away on the full site.</p>\n");
	else
		buf_puts(b, "<ol class=\"sp-embed__results\">\n");
	for (i = 0; i < r->n && (long long)i < f->limit; i++) {
		it = &r->items[i];
		buf_printf(b, "<li class=\"sp-embed__result\">"
		    "<a class=\"sp-embed__name\" href=\"/services/%s\" "
		    "target=\"_blank\" rel=\"noopener\">", it->id);
		buf_html(b, it->name);
		buf_puts(b, "<span class=\"sp-embed__vh\"> (opens in a new "
		    "tab)</span></a>\n<p class=\"sp-embed__meta\">");
		if (it->org != NULL) {
			buf_puts(b, "<span class=\"sp-embed__org\">");
			buf_html(b, it->org);
			buf_puts(b, "</span>" SEP);
		}
		buf_puts(b, "<span class=\"sp-embed__distance\">");
		buf_reset(&tmp);
		where_text(&tmp, it);
		buf_html(b, buf_cstr(&tmp));
		buf_puts(b, "</span>");
		if (it->next != NULL) {
			buf_puts(b, SEP "<span class=\"sp-embed__next\">"
			    "Next: ");
			buf_html(b, it->next);
			buf_puts(b, "</span>");
		}
		if (it->is_demo)
			buf_puts(b, " <span class=\"sp-embed__badge\">Demo "
			    "listing</span>");
		buf_puts(b, "</p></li>\n");
	}
	if (r->n > 0)
		buf_puts(b, "</ol>\n");
	buf_puts(b, "<p class=\"sp-embed__more\"><a href=\"");
	buf_reset(&tmp);
	search_link(&tmp, f);
	buf_html(b, buf_cstr(&tmp));
	buf_puts(b, "\" target=\"_blank\" rel=\"noopener\">");
	if (r->total > f->limit)
		buf_printf(b, "See all %lld results on Signpost", r->total);
	else
		buf_puts(b, "Search with more filters on Signpost");
	buf_puts(b, "<span class=\"sp-embed__vh\"> (opens in a new tab)"
	    "</span></a></p>\n</section>\n");
	buf_free(&tmp);
}

/* The one page other sites may frame; everything else says 'self'. */
static void
framable(struct http_request *req)
{
	http_header_set(req, "Content-Security-Policy",
	    "default-src 'self'; img-src 'self' data:; object-src 'none'; "
	    "base-uri 'self'; form-action 'self'; frame-ancestors *");
	/* Links out of the frame open our pages: send no partner URLs. */
	http_header_set(req, "Referrer-Policy", "same-origin");
}

void
embed_page(struct http_request *req)
{
	struct embed_form	 f;
	struct search_results	 r;
	struct buf		*b = &req->resp;
	const char		*title, *given = NULL;
	enum db_status		 st;
	int			 searched = 0, status = 200;

	memset(&r, 0, sizeof(r));
	if ((st = embed_parse(req, &f)) == DB_OK && f.form.nerr == 0 &&
	    val(&f, F_POSTCODE) != NULL) {
		st = search_run(&f.sq, time(NULL), &r);
		searched = 1;
	}
	if (st != DB_OK) {
		/* The site's error page, but shown inside the frame. */
		search_results_free(&r);
		embed_form_free(&f);
		reply_db_error(req, st);
		framable(req);
		return;
	}
	if (f.form.nerr > 0)
		status = 400;
	/* The partner's heading; a bad one is not worth an error. */
	if (http_param_str(req, "title", 80, &given) != HTTP_PARAM_OK)
		given = NULL;
	title = given != NULL ? given : "Find local services";

	buf_reset(b);
	buf_puts(b, "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"robots\" content=\"noindex\">\n<title>");
	if (f.form.nerr > 0)
		buf_puts(b, "Error: ");
	buf_html(b, title);
	buf_puts(b, " – Signpost</title>\n");
	buf_printf(b, "<link rel=\"stylesheet\" href=\"%s\">\n",
	    asset_url("/assets/css/embed.css"));
	buf_puts(b, "</head>\n<body class=\"sp-embed-page\">\n"
	    "<main class=\"sp-embed\">\n<h1 class=\"sp-embed__title\">");
	buf_html(b, title);
	buf_puts(b, "</h1>\n");
	render_form(b, &f, title, given);
	if (searched)
		render_results(b, &f, &r);
	buf_puts(b, "<p class=\"sp-embed__credit\">From <a href=\"/\" "
	    "target=\"_blank\" rel=\"noopener\">Signpost<span "
	    "class=\"sp-embed__vh\"> (opens in a new tab)</span></a>, the "
	    "community directory. <a href=\"/about/data\" target=\"_blank\" "
	    "rel=\"noopener\">Data sources and licences<span "
	    "class=\"sp-embed__vh\"> (opens in a new tab)</span></a>.</p>\n"
	    "</main>\n</body>\n</html>\n");
	search_results_free(&r);
	embed_form_free(&f);
	page_send(req, status);
	framable(req);
}

/* ---- /embed.js and /embed.css ------------------------------------ */

/*
 * The two files a partner's page loads, at short fixed URLs, open to
 * every origin: the stylesheet too, so that tools in the partner's page
 * (axe, print helpers) may read its rules through CORS.
 */
void
embed_asset(struct http_request *req)
{
	const struct asset_file	*a;
	const char		*path, *u, *v;
	char			 etag[48];

	if (strcmp(req->path, "/embed.js") == 0)
		path = "/assets/js/embed.js";
	else
		path = "/assets/css/embed.css";
	if ((a = asset_find(path)) == NULL) {
		reply_error(req, 404, "There is no such file.");
		return;
	}
	/* Partners paste an unversioned URL: cache briefly, revalidate. */
	u = asset_url(path);
	v = strstr(u, "?v=");
	snprintf(etag, sizeof(etag), "\"embed-%s\"", v != NULL ? v + 3 : "0");
	http_header_set(req, "Content-Type", path[8] == 'j' ?
	    "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
	http_header_set(req, "Cache-Control", "public, max-age=3600");
	http_header_set(req, "Cross-Origin-Resource-Policy", "cross-origin");
	if (http_etag(req, etag))
		return;
	req->status = 200;
	req->static_body = a->data;
	req->static_len = a->len;
}

/* ---- /api/embed: the JSON embed.js reads -------------------------- */

static void
json_str(cJSON *o, const char *k, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, k, v);
}

void
embed_api(struct http_request *req)
{
	struct embed_form	 f;
	struct search_results	 r;
	struct buf		 tmp;
	cJSON			*o = NULL, *items, *it;
	enum db_status		 st;
	size_t			 i;
	int			 k;

	memset(&r, 0, sizeof(r));
	buf_init(&tmp);
	if ((st = embed_parse(req, &f)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if (val(&f, F_POSTCODE) == NULL && f.form.nerr == 0)
		field_error(&f, F_POSTCODE, "Enter a postcode like G12 8QQ");
	if (f.form.nerr > 0) {
		for (k = 0; k < F_COUNT - 1; k++)
			if (message(&f, k) != NULL)
				break;
		http_problem(req, 400, "Bad Request", message(&f, k),
		    embed_fields[k].name);
		goto out;
	}
	if ((st = search_run(&f.sq, time(NULL), &r)) != DB_OK) {
		reply_db_error(req, st);
		goto out;
	}
	if ((o = cJSON_CreateObject()) == NULL ||
	    (items = cJSON_AddArrayToObject(o, "items")) == NULL) {
		reply_error(req, 500, "out of memory");
		goto out;
	}
	cJSON_AddStringToObject(o, "postcode", f.pc.postcode);
	cJSON_AddStringToObject(o, "kind", postcode_kind_name(f.pc.kind));
	cJSON_AddNumberToObject(o, "radius_km", f.sq.radius_m / 1000.0);
	cJSON_AddNumberToObject(o, "total", (double)r.total);
	if (r.was_corrected)
		json_str(o, "corrected", r.corrected);
	search_link(&tmp, &f);
	cJSON_AddStringToObject(o, "search_url", buf_cstr(&tmp));
	for (i = 0; i < r.n && (long long)i < f.limit; i++) {
		const struct search_item *s = &r.items[i];

		if ((it = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(items, it);
		cJSON_AddStringToObject(it, "id", s->id);
		json_str(it, "name", s->name);
		json_str(it, "organisation", s->org);
		buf_reset(&tmp);
		buf_printf(&tmp, "/services/%s", s->id);
		cJSON_AddStringToObject(it, "url", buf_cstr(&tmp));
		if (s->local)
			cJSON_AddNumberToObject(it, "distance_m",
			    (double)(long long)(s->dist_m + 0.5));
		buf_reset(&tmp);
		where_text(&tmp, s);
		cJSON_AddStringToObject(it, "where", buf_cstr(&tmp));
		json_str(it, "next", s->next);
		cJSON_AddBoolToObject(it, "is_free", s->is_free);
		json_str(it, "cost", s->cost);
		cJSON_AddBoolToObject(it, "is_demo", s->is_demo);
	}
	http_header_set(req, "Cache-Control", "public, max-age=60");
	http_respond_json(req, 200, o);
out:
	cJSON_Delete(o);
	buf_free(&tmp);
	search_results_free(&r);
	embed_form_free(&f);
}

/* ---- /about/embed: how a partner puts it on their site ------------ */

static void
code_block(struct buf *b, const char *code)
{
	buf_puts(b, "<pre class=\"sp-embed-code\"><code>");
	buf_html(b, code);
	buf_puts(b, "</code></pre>\n");
}

void
embed_help(struct http_request *req)
{
	static const char *const opts[][2] = {
		{ "data-postcode", "Searched at once when given, e.g. "
		    "G12 8QQ, the sector G12 8 or the district G12." },
		{ "data-q", "Keywords to start with, e.g. walk." },
		{ "data-category", "A category's short name, e.g. money or "
		    "physical-activity." },
		{ "data-radius", "Kilometres: 0.5, 1, 2, 5 (the default), 10 "
		    "or 25." },
		{ "data-limit", "How many results to show, 1 to 20 (default "
		    "5)." },
		{ "data-title", "The heading (default: Find local services)." },
		{ "data-heading-level", "2 to 6 (default 2), to fit your "
		    "page's headings." },
		{ "data-target", "A CSS selector of an element to draw into, "
		    "instead of right after the tag." },
		{ "data-stylesheet", "none: do not load our stylesheet." },
	};
	struct buf	*b = &req->resp;
	struct buf	 site, code;
	size_t		 i, n;

	buf_init(&site);
	buf_init(&code);
	buf_puts(&site, config.public_url);
	n = site.len;
	while (n > 0 && site.data[n - 1] == '/')
		site.data[--n] = '\0';
	site.len = n;

	page_begin(req, "Put Signpost on your website", 0);
	buf_printf(b, "<link rel=\"stylesheet\" href=\"%s\">\n",
	    asset_url("/assets/css/embed.css"));
	buf_puts(b, "<h1>Put Signpost on your website</h1>\n"
	    "<p>Community groups, GP practices and councils can show a "
	    "Signpost search on their own pages: a postcode box and the "
	    "nearest services, each linking to its full listing here. It "
	    "is free, and the listings stay up to date by themselves.</p>\n"
	    "<h2>A search box: one line of HTML</h2>\n"
	    "<p>Paste this where the search should appear:</p>\n");
	buf_printf(&code, "<script src=\"%s/embed.js\" "
	    "data-postcode=\"G12 8QQ\" data-radius=\"5\" async></script>",
	    buf_cstr(&site));
	code_block(b, buf_cstr(&code));
	buf_puts(b, "<table class=\"schedule\">\n<caption>Options (all "
	    "optional)</caption>\n<thead><tr><th scope=\"col\">Attribute"
	    "</th><th scope=\"col\">What it does</th></tr></thead>\n"
	    "<tbody>\n");
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		buf_puts(b, "<tr><th scope=\"row\"><code>");
		buf_html(b, opts[i][0]);
		buf_puts(b, "</code></th><td>");
		buf_html(b, opts[i][1]);
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n"
	    "<h2>Your colours and fonts</h2>\n<p>The box uses your page's "
	    "font. Every class name starts with <code>sp-embed</code> and "
	    "our rules have no specificity, so any rule of yours wins. "
	    "Colours are CSS custom properties you can set on "
	    "<code>.sp-embed</code> or any element around it:</p>\n");
	code_block(b, ":root {\n  --sp-embed-accent: #6b1d8f;   /* links "
	    "and button */\n  --sp-embed-accent-text: #fff;\n"
	    "  --sp-embed-text: #0b0c0c;\n  --sp-embed-muted: #505a5f;\n"
	    "  --sp-embed-bg: #fff;\n  --sp-embed-border: #505a5f;\n"
	    "  --sp-embed-focus: #0b0c0c;\n  --sp-embed-error: #b10e1e;\n"
	    "  --sp-embed-radius: 4px;\n  --sp-embed-font: inherit;\n}");
	buf_puts(b, "<p>If your page has a Content Security Policy, allow "
	    "this site in <code>script-src</code>, <code>style-src</code> "
	    "and <code>connect-src</code>.</p>\n"
	    "<h2>Without JavaScript: a frame</h2>\n<p>The same search as "
	    "a page of its own, with the same options as query parameters "
	    "(<code>postcode</code>, <code>q</code>, <code>category</code>, "
	    "<code>radius</code>, <code>limit</code>, <code>title</code>). "
	    "Its links open in a new tab, so a sandboxed frame needs "
	    "<code>allow-popups</code>.</p>\n");
	buf_reset(&code);
	buf_printf(&code, "<iframe title=\"Find local services, from "
	    "Signpost\"\n  src=\"%s/embed?postcode=G12+8QQ&amp;q=walk\"\n"
	    "  style=\"width: 100%%; height: 40rem; border: 0\"></iframe>",
	    buf_cstr(&site));
	code_block(b, buf_cstr(&code));
	buf_puts(b, "<h2>How it looks</h2>\n<div class=\"sp-embed-preview\">"
	    "<script src=\"/embed.js\" data-postcode=\"G12 8QQ\" "
	    "data-heading-level=\"3\" data-title=\"Find local services "
	    "(preview)\" async></script>\n<noscript><p>The preview needs "
	    "JavaScript; <a href=\"/embed?postcode=G12+8QQ\">the frame "
	    "version</a> does not.</p></noscript></div>\n");
	page_end(req, 0);
	buf_free(&site);
	buf_free(&code);
	http_header_set(req, "Cache-Control", "public, max-age=3600");
	page_send(req, 200);
}
