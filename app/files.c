/*
 * Compiled-in files as answers.  See files.h.
 */
#include <string.h>

#include "asset.h"
#include "files.h"
#include "http.h"
#include "reply.h"

static void
serve_path(struct http_request *req, const char *path)
{
	const struct asset_file	*f;
	const char		*v, *etag;

	if ((f = asset_lookup(path, &etag)) == NULL) {
		reply_error(req, 404, "There is no such file.");
		return;
	}
	/* Versioned URLs never change meaning; plain ones may. */
	v = http_kv_get(&req->query, "v");
	if (v != NULL && strncmp(v, etag + 1, 12) == 0)
		http_header_set(req, "Cache-Control",
		    "public, max-age=31536000, immutable");
	else
		http_header_set(req, "Cache-Control",
		    "public, max-age=300");
	http_header_set(req, "Content-Type", asset_content_type(path));
	/* Set for a 304 too: it gives the 304 its Content-Length. */
	req->static_body = f->data;
	req->static_len = f->len;
	if (http_etag(req, etag))
		return;
	req->status = 200;
}

void
files_asset(struct http_request *req)
{
	serve_path(req, req->path);
}

/* Where browsers and crawlers look without being told. */
void
files_favicon(struct http_request *req)
{
	serve_path(req, "/assets/favicon.svg");
}

void
files_robots(struct http_request *req)
{
	serve_path(req, "/assets/robots.txt");
}
