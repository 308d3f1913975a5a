/*
 * The shared HTML frame.  It is plain server-rendered HTML that works with
 * no JavaScript; scripts only add to it.
 */
#include <stdio.h>
#include <string.h>

#include "asset.h"
#include "config.h"
#include "http.h"
#include "page.h"
#include "shortlist.h"

void
page_begin(struct http_request *req, const char *title, unsigned int flags)
{
	struct buf		*b = &req->resp;
	struct shortlist	 sl;

	buf_reset(b);
	buf_puts(b, "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	buf_html(b, title);
	buf_puts(b, " – Signpost</title>\n<meta name=\"description\" "
	    "content=\"Find community groups, services and activities near a "
	    "postcode: when they run, who they are for, what they cost and "
	    "how to get in.\">\n");
	buf_printf(b, "<link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\">"
	    "\n", asset_url("/assets/favicon.svg"));
	if (flags & PAGE_NOINDEX)
		buf_puts(b, "<meta name=\"robots\" content=\"noindex\">\n");
	buf_printf(b, "<link rel=\"stylesheet\" href=\"%s\">\n",
	    asset_url("/assets/css/site.css"));
	buf_printf(b, "<link rel=\"stylesheet\" href=\"%s\" media=\"print\">\n",
	    asset_url("/assets/css/print.css"));
	if (flags & (PAGE_MAP | PAGE_MAP_LATER))
		buf_printf(b, "<link rel=\"stylesheet\" href=\"%s\">\n",
		    asset_url("/assets/leaflet/leaflet.css"));
	buf_printf(b, "<script src=\"%s\" defer></script>\n",
	    asset_url("/assets/js/site.js"));
	buf_printf(b, "<script src=\"%s\" defer></script>\n",
	    asset_url("/assets/js/shortlist.js"));
	if (flags & PAGE_MAP)
		buf_printf(b, "<script src=\"%s\" defer></script>\n",
		    asset_url("/assets/leaflet/leaflet.js"));
	buf_puts(b, "</head>\n<body>\n"
	    "<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n"
	    "<header class=\"site-header\"><div class=\"wrap\">"
	    "<a class=\"brand\" href=\"/\">Signpost</a>"
	    "<nav aria-label=\"Main\"><ul>"
	    "<li><a href=\"/");
	/* Without JavaScript the shortlist lives in the URL: keep it. */
	shortlist_link_query(b, req, '?');
	buf_puts(b, "\">Find services</a></li><li><a href=\"/shortlist");
	shortlist_link_query(b, req, '?');
	buf_puts(b, "\" data-shortlist-link>Shortlist");
	(void)shortlist_from_request(req, &sl);
	if (sl.n > 0)
		buf_printf(b, "<span class=\"shortlist-count\" "
		    "data-shortlist-count> (%zu)</span>", sl.n);
	buf_puts(b, "</a></li><li><a href=\"/submit\">Add a listing</a></li>"
	    "</ul></nav></div></header>\n"
	    "<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n");
}

void
page_attribution(struct buf *b)
{
	buf_puts(b, "<p>Contains OS data &copy; Crown copyright and database "
	    "right 2025. Contains Royal Mail data &copy; Royal Mail copyright "
	    "and database right 2025. Contains National Statistics data "
	    "&copy; Crown copyright and database right 2025.</p>"
	    "<p>Categories from <a href=\"https://www.aliss.org/\">ALISS</a> "
	    "(CC BY 4.0). <a href=\"/about/data\">About our data and "
	    "licences</a>. <a href=\"/about/embed\">Show these listings "
	    "on your own website</a>.</p>");
}

void
page_end(struct http_request *req, unsigned int flags)
{
	struct buf	*b = &req->resp;

	(void)flags;
	buf_puts(b, "</main>\n<footer class=\"site-footer\">"
	    "<div class=\"wrap\">");
	page_attribution(b);
	buf_puts(b, "</div></footer>\n</body>\n</html>\n");
}

void
page_send(struct http_request *req, int status)
{
	http_respond(req, status, "text/html; charset=utf-8");
	http_header_set(req, "Content-Security-Policy",
	    "default-src 'self'; img-src 'self' data: https:; "
	    "object-src 'none'; base-uri 'self'; form-action 'self'; "
	    "frame-ancestors 'self'");
	http_header_set(req, "Referrer-Policy", "same-origin");
	if (http_kv_get_case(&req->resp_headers, "Cache-Control") == NULL)
		http_header_set(req, "Cache-Control", "no-cache");
}

void
page_error(struct http_request *req, int status, const char *detail)
{
	const char	*title;

	switch (status) {
	case 400:
		title = "Something in the request is not right";
		break;
	case 404:
		title = "Page not found";
		break;
	case 503:
		title = "Signpost is unavailable just now";
		break;
	default:
		title = http_status_text(status);
		break;
	}
	page_begin(req, title, PAGE_NOINDEX);
	buf_puts(&req->resp, "<h1>");
	buf_html(&req->resp, title);
	buf_puts(&req->resp, "</h1>\n<p>");
	buf_html(&req->resp, detail);
	buf_puts(&req->resp, "</p>\n<p><a href=\"/\">Go to the search "
	    "page</a></p>\n");
	page_end(req, 0);
	page_send(req, status);
	http_header_set(req, "Cache-Control", "no-store");
}

/* tel: needs the digits only (and a leading +). */
void
page_tel_link(struct buf *b, const char *number, const char *ext)
{
	const char	*p;

	buf_puts(b, "<a href=\"tel:");
	for (p = number; *p != '\0'; p++)
		if (*p != ' ')
			buf_append(b, p, 1);
	if (ext != NULL)
		buf_printf(b, ",%s", ext);
	buf_puts(b, "\">");
	buf_html(b, number);
	if (ext != NULL) {
		buf_puts(b, " extension ");
		buf_html(b, ext);
	}
	buf_puts(b, "</a>");
}
