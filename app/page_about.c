/*
 * /about/data: where the directory's data comes from.  See page_about.h.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "page.h"
#include "page_about.h"

static const struct db_stmt stmts[] = {
	/* Every source listings were imported from that still has some. */
	{ "about_sources",
	  "SELECT src.name, src.url, src.attribution,"
	  " to_char(src.checked_at, 'FMDD FMMonth YYYY'), count(s.id)"
	  " FROM import_source src JOIN import_key k ON k.source = src.name"
	  " JOIN service s ON s.id = k.service_id AND s.status = 'active'"
	  " GROUP BY src.name, src.url, src.attribution, src.checked_at"
	  " ORDER BY src.name" },
};

void
page_about_init(void)
{
	db_register(stmts, sizeof(stmts) / sizeof(stmts[0]));
}

/* The directories listings came from, each with what its licence asks. */
static void
sources(struct buf *b, const struct db_result *r)
{
	int	i;

	if (r == NULL || db_rows(r) == 0)
		return;
	buf_puts(b, "<h2>Listings from other directories</h2>\n<p>Some "
	    "listings were imported from other directories; each says so on "
	    "its page.</p>\n<ul class=\"sources\">\n");
	for (i = 0; i < db_rows(r); i++) {
		buf_puts(b, "<li>");
		if (db_text(r, i, 1) != NULL) {
			buf_puts(b, "<a href=\"");
			buf_html(b, db_value(r, i, 1));
			buf_puts(b, "\" rel=\"nofollow\">");
			buf_html(b, db_value(r, i, 0));
			buf_puts(b, "</a>");
		} else
			buf_html(b, db_value(r, i, 0));
		buf_printf(b, ": %s listing%s, last read ", db_value(r, i, 4),
		    strcmp(db_value(r, i, 4), "1") == 0 ? "" : "s");
		buf_html(b, db_value(r, i, 3));
		buf_puts(b, ".");
		if (db_text(r, i, 2) != NULL) {
			buf_puts(b, " ");
			buf_html(b, db_value(r, i, 2));
			buf_puts(b, ".");
		}
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n");
}

void
page_about_data(struct http_request *req)
{
	struct buf		*b = &req->resp;
	struct db_result	*r = NULL;
	enum db_status		 st;

	/*
	 * Without the database the page still says what it can: the fixed
	 * sources, the attribution; the imported ones come back with it.
	 */
	if ((st = db_exec("about_sources", 0, NULL, &r)) != DB_OK)
		r = NULL;
	page_begin(req, "About our data", 0);
	buf_puts(b, "<h1>About our data</h1>\n"
	    "<h2>Postcodes</h2>\n<p>Postcode locations come from Ordnance "
	    "Survey's Code-Point Open (October 2025), used under the "
	    "<a href=\"https://www.nationalarchives.gov.uk/doc/"
	    "open-government-licence/version/3/\">Open Government Licence "
	    "v3.0</a>. Coordinates are converted with OS's definitive "
	    "OSTN15 transformation (BSD licence).</p>\n"
	    "<h2>Categories</h2>\n<p>Service categories are ALISS's public "
	    "taxonomy, used under CC BY 4.0.</p>\n"
	    "<h2>Maps</h2>\n<p>Map tiles: ");
	buf_puts(b, config.tile_attribution);
	buf_puts(b, ". Maps use Leaflet (BSD-2-Clause).</p>\n");
	sources(b, r);
	buf_puts(b, "<h2>Attribution</h2>\n");
	page_attribution(b);
	page_end(req, 0);
	http_header_set(req, "Cache-Control", st == DB_OK ?
	    "public, max-age=3600" : "no-store");
	page_send(req, 200);
	db_free(r);
}
