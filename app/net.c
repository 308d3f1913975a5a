/*
 * Signpost as a client, over libcurl.  See net.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "net.h"

#define SMTP_CONNECT_S	15L
#define SMTP_TOTAL_S	60L
#define GET_CONNECT_S	15L

struct net {
	CURL	*c;
};

int
net_open(void)
{
	return (curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1);
}

void
net_close(void)
{
	curl_global_cleanup();
}

struct net *
net_new(void)
{
	struct net	*n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return (NULL);
	if ((n->c = curl_easy_init()) == NULL) {
		free(n);
		return (NULL);
	}
	return (n);
}

void
net_free(struct net *n)
{
	if (n == NULL)
		return;
	curl_easy_cleanup(n->c);
	free(n);
}

struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
read_message(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload	*u = arg;
	size_t		 n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return (n);
}

/* Why a transfer failed: the server's code and words, or libcurl's. */
static void
why(CURL *c, CURLcode rc, const char *cerr, const char *proto, char *err,
    size_t errlen)
{
	long	code = 0;

	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (code != 0)
		snprintf(err, errlen, "%s %ld: %s", proto, code,
		    cerr[0] != '\0' ? cerr : curl_easy_strerror(rc));
	else
		snprintf(err, errlen, "%s", cerr[0] != '\0' ? cerr :
		    curl_easy_strerror(rc));
}

int
net_smtp_send(struct net *n, const char *url, const char *user,
    const char *password, const char *from, const char *to,
    const char *msg, size_t len, char *err, size_t errlen)
{
	struct curl_slist	*rcpt = NULL;
	struct buf		 env_from, env_to;
	struct upload		 up;
	char			 cerr[CURL_ERROR_SIZE];
	CURLcode		 rc;
	CURL			*c = n->c;
	int			 ret = -1;

	buf_init(&env_from);
	buf_init(&env_to);
	buf_printf(&env_from, "<%s>", from);
	buf_printf(&env_to, "<%s>", to);
	if (env_from.oom || env_to.oom ||
	    (rcpt = curl_slist_append(NULL, buf_cstr(&env_to))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	up.p = msg;
	up.left = len;
	cerr[0] = '\0';
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	/* A mistyped smtp_url must not make this an HTTP or file client. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, buf_cstr(&env_from));
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (user != NULL && user[0] != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, password);
	}
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, SMTP_CONNECT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, SMTP_TOTAL_S);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	if ((rc = curl_easy_perform(c)) == CURLE_OK)
		ret = 0;
	else
		why(c, rc, cerr, "SMTP", err, errlen);
out:
	/* The handle keeps pointers to these until the next reset. */
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	curl_slist_free_all(rcpt);
	buf_free(&env_from);
	buf_free(&env_to);
	return (ret);
}

struct download {
	struct buf	*out;
	size_t		 max;
	int		 too_big;
};

static size_t
write_body(char *src, size_t size, size_t nmemb, void *arg)
{
	struct download	*d = arg;
	size_t		 n = size * nmemb;

	if (d->out->len + n > d->max) {
		d->too_big = 1;
		return (0);	/* stops the transfer */
	}
	if (buf_append(d->out, src, n) == -1)
		return (0);
	return (n);
}

int
net_get(struct net *n, const char *url, size_t max, long timeout_s,
    struct buf *out, long *status, char *err, size_t errlen)
{
	struct download	 d;
	char		 cerr[CURL_ERROR_SIZE];
	CURLcode	 rc;
	CURL		*c = n->c;

	*status = 0;
	d.out = out;
	d.max = max;
	d.too_big = 0;
	cerr[0] = '\0';
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "Signpost (import oruk)");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &d);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, GET_CONNECT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
	if (d.too_big) {
		snprintf(err, errlen, "the response is over %zu MB: stopped",
		    max / (1024 * 1024));
		return (-2);
	}
	if (rc != CURLE_OK) {
		why(c, rc, cerr, "HTTP", err, errlen);
		return (-1);
	}
	return (0);
}

int
net_fetch(struct net *n, const char *url, size_t max, long timeout_s,
    int tries, struct buf *body, char *err, size_t errlen)
{
	long	status;
	int	try, rc;

	for (try = 1; ; try++) {
		buf_reset(body);
		rc = net_get(n, url, max, timeout_s, body, &status, err,
		    errlen);
		if (rc == 0 && status == 200)
			return (0);
		if (rc == 0)
			snprintf(err, errlen, "HTTP %ld", status);
		if (rc == -2 || (rc == 0 && status != 429 && status < 500) ||
		    try >= tries)
			return (-1);
		sleep(1U << (try - 1));
	}
}
