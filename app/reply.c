/*
 * Error replies and exports.  See reply.h.
 */
#include <stdio.h>
#include <string.h>

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

/*
 * The primary is gone and a standby still answers: nothing can be saved
 * for now.  Whatever the person sent comes back to them to copy, since
 * losing a form they spent ten minutes on is worse than the refusal.
 * Not the form token, nor a password.  Each value is shown once, in a
 * read-only text box (easy to select), up to MAX_ECHO bytes in all.
 */
#define MAX_ECHO	(256 * 1024)

static int
echoed(const char *key)
{
	return (strcmp(key, "csrf") != 0 && strstr(key, "password") == NULL);
}

static void
read_only(struct http_request *req)
{
	struct buf		*b = &req->resp;
	const struct http_kv	*kv;
	size_t			 i, shown = 0, n = 0;

	buf_reset(b);
	req->static_body = NULL;
	http_header_set(req, "Retry-After", "60");
	if (req->api) {
		http_problem(req, 503, "Read-only", "The directory is "
		    "read-only just now: nothing was saved. Please try again "
		    "later.", NULL);
		http_header_set(req, "Access-Control-Allow-Origin", "*");
		return;
	}
	page_begin(req, "The directory is read-only just now", PAGE_NOINDEX);
	buf_puts(b, "<h1>The directory is read-only just now</h1>\n<p>You "
	    "can search it and read every listing, but it cannot save "
	    "changes for a little while. <strong>Nothing you sent has been "
	    "saved.</strong></p>\n");
	for (i = 0; i < req->form.n; i++) {
		kv = &req->form.v[i];
		if (!echoed(kv->key) || kv->value[0] == '\0' ||
		    shown + strlen(kv->value) > MAX_ECHO)
			continue;
		if (n++ == 0)
			buf_puts(b, "<p>Here is what you typed, so that you "
			    "can copy it and send it again later.</p>\n");
		buf_printf(b, "<p><label for=\"sent-%zu\">", i);
		buf_html(b, kv->key);
		buf_printf(b, "</label><br><textarea id=\"sent-%zu\" "
		    "readonly rows=\"%d\" cols=\"60\">", i,
		    strchr(kv->value, '\n') != NULL ? 6 : 1);
		buf_html(b, kv->value);
		buf_puts(b, "</textarea></p>\n");
		shown += strlen(kv->value);
	}
	buf_puts(b, "<p><a href=\"/\">Go to the search page</a></p>\n");
	page_end(req, 0);
	page_send(req, 503);
	http_header_set(req, "Cache-Control", "no-store");
}

void
reply_db_error(struct http_request *req, enum db_status st)
{
	if (st == DB_UNAVAILABLE)
		log_warn("db unavailable: %s", db_errmsg());
	if (st == DB_UNAVAILABLE && db_read_only())
		read_only(req);
	else if (st == DB_UNAVAILABLE) {
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

