/*
 * embed: what partner sites put on their own pages.  /embed is a small
 * server-rendered search page made to sit in an iframe on any site (works
 * with no JavaScript; the only route that may be framed by other sites);
 * /embed.js is the one-tag script that draws the same search box and
 * results into the partner's page (styled by /embed.css), reading
 * /api/embed.  All three take postcode, q, category, radius and limit and
 * run the site's own search, so a partner lists what Signpost lists.
 * Handlers are thread-safe.
 */
#ifndef EMBED_H
#define EMBED_H

struct http_request;

/* Defaults when the partner gives none. */
#define EMBED_RADIUS	"5"	/* km, one of search_parse_radius's */
#define EMBED_LIMIT	5
#define EMBED_LIMIT_MAX	20

void	embed_page(struct http_request *);
/* /embed.js and /embed.css, by req->path. */
void	embed_asset(struct http_request *);
void	embed_api(struct http_request *);
/* /about/embed: the snippets for partners, with a live preview. */
void	embed_help(struct http_request *);

#endif
