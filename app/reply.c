/*
 * Error replies and exports.  See reply.h.
 */
#include <stdio.h>

#include <sodium.h>

#include "buf.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "page.h"
#include "reply.h"

void
reply_error(struct http_request *req, int status, const char *detail)
{
	buf_reset(&req->resp);
	req->static_body = NULL;
	if (req->api) {
		/* Partner pages must be able to read why a call failed. */
		http_problem(req, status, http_status_text(status), detail,
		    NULL);
		http_header_set(req, "Access-Control-Allow-Origin", "*");
	} else
		page_error(req, status, detail);
}

void
reply_bad_param(struct http_request *req)
{
	buf_reset(&req->resp);
	if (req->api) {
		http_problem(req, 400, "Bad Request", req->err_detail,
		    req->err_param);
		http_header_set(req, "Access-Control-Allow-Origin", "*");
	} else
		page_error(req, 400, req->err_detail);
}

void
reply_db_error(struct http_request *req, enum db_status st)
{
	if (st == DB_UNAVAILABLE) {
		log_warn("db unavailable: %s", db_errmsg());
		http_header_set(req, "Retry-After", "10");
		reply_error(req, 503, "The directory's database cannot be "
		    "reached just now. Please try again in a minute.");
	} else {
		log_warn("db error %s: %s", db_sqlstate(), db_errmsg());
		reply_error(req, 500, "Something went wrong on our side. "
		    "It has been logged; please try again.");
	}
}

void
reply_export(struct http_request *req, const char *ctype, const char *name,
    const char *data, size_t len)
{
	unsigned char	h[16];
	char		hex[sizeof(h) * 2 + 1], etag[sizeof(hex) + 2];
	char		hdr[160];

	if (name != NULL) {
		snprintf(hdr, sizeof(hdr), "attachment; filename=\"%s\"", name);
		http_header_set(req, "Content-Disposition", hdr);
	}
	crypto_generichash(h, sizeof(h), (const unsigned char *)data, len,
	    NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	snprintf(etag, sizeof(etag), "\"%s\"", hex);
	http_header_set(req, "Cache-Control", "public, max-age=300");
	if (http_etag(req, etag)) {
		/* Its length, stated on the 304; libmicrohttpd sends no body. */
		buf_append(&req->resp, data, len);
		return;
	}
	http_respond_data(req, 200, ctype, data, len);
}

