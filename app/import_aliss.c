/*
 * The ALISS import.  See import_aliss.h.
 *
 * ALISS's descriptions are plain text with Windows line ends, not HTML:
 * line breaks are kept.  A service lists locations (the first with a
 * postcode is the venue) and service areas (council areas and health
 * boards, kept as the listing's areas; ALISS's codes are from before the
 * 2019 boundary changes, so an old one is matched by its name and
 * said).  ALISS has no opening times.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <zlib.h>

#include "buf.h"
#include "http.h"
#include "import.h"
#include "import_aliss.h"
#include "net.h"

#define MAX_FILE	(256UL * 1024 * 1024)
#define PAGE_MAX	(64UL * 1024 * 1024)	/* one page of the API */
#define PAGE_TIMEOUT_S	60L
#define PAGE_TRIES	3	/* a page that fails is tried again twice */
#define MAX_PAGES	100000

/* The keys read, for --full (a run's; one run at a time). */
static cJSON	*seen;

/* Plain text as ALISS writes it: CR LF as LF, ends trimmed. */
static void
put_plain(struct http_request *req, const char *col, const char *v,
    FILE *report, const char *where, int *bad)
{
	struct buf	 t;
	const char	*p;

	if (v == NULL)
		return;
	buf_init(&t);
	for (p = v; *p != '\0'; p++)
		if (*p != '\r')
			buf_append(&t, p, 1);
	while (t.len > 0 && strchr(" \t\n", t.data[t.len - 1]) != NULL)
		t.data[--t.len] = '\0';
	import_put(req, col, t.len > 0 ? buf_cstr(&t) : NULL, report, where,
	    bad);
	buf_free(&t);
}

/* ALISS's kind of service area as ours. */
static const char *
kind_of(const char *type)
{
	if (type == NULL)
		return ("");
	if (strcasecmp(type, "Local Authority") == 0)
		return ("council_area");
	if (strcasecmp(type, "Health Board") == 0)
		return ("health_board");
	if (strcasecmp(type, "Country") == 0)
		return ("country");
	return ("");	/* integration authorities: none of ours */
}

static int
map(const cJSON *svc, struct http_request *req, struct buf *terms,
    struct buf *arealines, FILE *report, const char *where)
{
	const cJSON	*org, *locs, *l, *venue = NULL, *cats, *c, *areas;
	const cJSON	*a;
	const char	*code, *type;
	int		 bad = 0, nloc = 0;

	if (import_json_str(svc, "name") == NULL) {
		fprintf(report, "%s: a service with no name is left out\n",
		    where);
		return (1);
	}
	org = cJSON_GetObjectItemCaseSensitive(svc, "organisation");
	if (cJSON_IsObject(org))
		put_plain(req, "organisation", import_json_str(org, "name"),
		    report, where, &bad);
	put_plain(req, "service", import_json_str(svc, "name"), report, where,
	    &bad);
	/* ALISS has no kind of listing: a service. */
	import_put(req, "kind", "service", report, where, &bad);
	put_plain(req, "description", import_json_str(svc, "description"),
	    report, where, &bad);
	import_put(req, "website", import_json_str(svc, "url"), report, where,
	    &bad);
	import_put(req, "phone", import_json_str(svc, "phone"), report, where,
	    &bad);
	import_put(req, "email", import_json_str(svc, "email"), report, where,
	    &bad);
	locs = cJSON_GetObjectItemCaseSensitive(svc, "locations");
	if (cJSON_IsArray(locs))
		cJSON_ArrayForEach(l, locs) {
			if (!cJSON_IsObject(l))
				continue;
			nloc++;
			if (venue == NULL &&
			    import_json_str(l, "postal_code") != NULL)
				venue = l;
		}
	if (venue != NULL) {
		if (nloc > 1)
			fprintf(report, "%s: %d locations; a listing holds one "
			    "venue: '%s' is kept\n", where, nloc,
			    import_json_str(venue, "name") != NULL ?
			    import_json_str(venue, "name") :
			    import_json_str(venue, "postal_code"));
		put_plain(req, "venue", import_json_str(venue, "name"), report,
		    where, &bad);
		put_plain(req, "address", import_json_str(venue,
		    "street_address"), report, where, &bad);
		put_plain(req, "city", import_json_str(venue, "locality"),
		    report, where, &bad);
		import_put(req, "postcode", import_json_str(venue,
		    "postal_code"), report, where, &bad);
	} else if (nloc > 0)
		fprintf(report, "%s: no location with a postcode: kept with no "
		    "venue\n", where);
	areas = cJSON_GetObjectItemCaseSensitive(svc, "service_areas");
	if (cJSON_IsArray(areas))
		cJSON_ArrayForEach(a, areas) {
			if ((code = import_json_str(a, "code")) == NULL)
				continue;
			type = import_json_str(a, "type");
			buf_printf(arealines, "%s\t%s\t%s\n", code,
			    import_json_str(a, "name") != NULL ?
			    import_json_str(a, "name") : "", kind_of(type));
		}
	cats = cJSON_GetObjectItemCaseSensitive(svc, "categories");
	if (cJSON_IsArray(cats))
		cJSON_ArrayForEach(c, cats)
			if (import_json_str(c, "slug") != NULL ||
			    import_json_str(c, "name") != NULL)
				buf_printf(terms, "%s\t%s\n",
				    import_json_str(c, "slug") != NULL ?
				    import_json_str(c, "slug") : "",
				    import_json_str(c, "name") != NULL ?
				    import_json_str(c, "name") : "");
	return (bad);
}

int
import_aliss_map(const char *json, size_t len, struct http_request *req,
    struct buf *terms, struct buf *areas, FILE *report, const char *where)
{
	cJSON	*svc;
	int	 rc;

	if ((svc = cJSON_ParseWithLength(json, len)) == NULL)
		return (1);
	rc = cJSON_IsObject(svc) ? map(svc, req, terms, areas, report,
	    where) : 1;
	cJSON_Delete(svc);
	return (rc);
}

static int
service(struct import_run *imp, const cJSON *svc, long long n, char *err,
    size_t errlen)
{
	return (import_json_service(imp, svc, n, "aliss:", map, seen, err,
	    errlen));
}

/*
 * The services of an API response: a v4 search or import page's "data",
 * a v3 search's "results", or an array of them; *detail set instead when
 * it is one service's detail ({"data": {...}}).  NULL when it is none.
 */
static const cJSON *
services_of(const cJSON *doc, const cJSON **detail)
{
	const cJSON	*d = cJSON_GetObjectItemCaseSensitive(doc, "data");

	*detail = NULL;
	if (cJSON_IsArray(doc))
		return (doc);
	if (cJSON_IsArray(d))
		return (d);
	if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "results")))
		return (cJSON_GetObjectItemCaseSensitive(doc, "results"));
	if (cJSON_IsObject(d))
		*detail = d;
	return (NULL);
}

/*
 * The API read from its address, page after page by each response's
 * "next" link, each page parsed and let go before the next (memory stays
 * flat), one transaction a page.  A page that is not the API's, or an
 * address already read (the links loop), stops the run with its number.
 */
static int
api_pages(struct import_run *imp, void *arg, char *err, size_t errlen)
{
	const char	*first = arg;
	struct net	*n = NULL;
	struct buf	 body;
	cJSON		*doc = NULL, *read = NULL;
	const cJSON	*list, *detail, *svc, *v, *next;
	char		*url = NULL, e[512];
	long long	 count = 0;
	int		 page, rc = -1, k;

	buf_init(&body);
	if ((n = net_new()) == NULL || (read = cJSON_CreateObject()) == NULL ||
	    (url = strdup(first)) == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		goto out;
	}
	for (page = 1; ; page++) {
		if (page > MAX_PAGES) {
			snprintf(err, errlen, "more than %d pages: stopped",
			    MAX_PAGES);
			goto out;
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(read, url)) != NULL) {
			snprintf(err, errlen, "page %d (%s) is page %d again: "
			    "the API's next links loop; stopped", page, url,
			    v->valueint);
			goto out;
		}
		cJSON_AddNumberToObject(read, url, page);
		if (net_fetch(n, url, PAGE_MAX, PAGE_TIMEOUT_S, PAGE_TRIES,
		    &body, e, sizeof(e)) == -1) {
			snprintf(err, errlen, "page %d (%s): %s", page, url, e);
			goto out;
		}
		if ((doc = cJSON_ParseWithLength(body.data != NULL ?
		    body.data : "", body.len)) == NULL) {
			snprintf(err, errlen, "page %d (%s) is not JSON: is it "
			    "the address of ALISS's API (.../api/v4/...)?",
			    page, url);
			goto out;
		}
		if ((list = services_of(doc, &detail)) == NULL &&
		    detail == NULL) {
			snprintf(err, errlen, "page %d (%s) is JSON but not "
			    "from ALISS's API: no \"data\" of services", page,
			    url);
			goto out;
		}
		if (detail != NULL) {
			if (service(imp, detail, ++count, err, errlen) == -1)
				goto out;
		} else
			cJSON_ArrayForEach(svc, list)
				if (service(imp, svc, ++count, err,
				    errlen) == -1)
					goto out;
		next = cJSON_GetObjectItemCaseSensitive(doc, "next");
		if (!cJSON_IsString(next) || (strncmp(next->valuestring,
		    "https://", 8) != 0 && strncmp(next->valuestring,
		    "http://", 7) != 0))
			break;
		free(url);
		if ((url = strdup(next->valuestring)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		cJSON_Delete(doc);
		doc = NULL;
		/* One transaction a page (the last is import_end's). */
		if ((k = import_checkpoint(imp, err, errlen)) == -1)
			goto out;
		if (k == 1)
			break;
	}
	rc = 0;
out:
	free(url);
	cJSON_Delete(doc);
	cJSON_Delete(read);
	net_free(n);
	buf_free(&body);
	return (rc);
}

int
import_aliss_url(const char *url, const struct import_opts *o,
    FILE *report, char *err, size_t errlen)
{
	struct import_opts	 opts = *o;
	int			 rc = -1;

	if (opts.source_url == NULL)
		opts.source_url = url;
	if (opts.attribution == NULL)
		opts.attribution = ALISS_ATTRIBUTION;
	if (opts.full && (seen = cJSON_CreateArray()) == NULL) {
		snprintf(err, errlen, "out of memory");
		return (-1);
	}
	if (net_open() == -1)
		snprintf(err, errlen, "cannot start libcurl");
	else {
		rc = import_pages("import aliss", url, &opts, report,
		    api_pages, (void *)url, seen, err, errlen);
		net_close();
	}
	cJSON_Delete(seen);
	seen = NULL;
	return (rc);
}

int
import_aliss(const char *path, const struct import_opts *o, FILE *report,
    char *err, size_t errlen)
{
	struct import_opts	 opts = *o;
	struct import_run	 imp;
	struct buf		 b;
	const cJSON		*list, *svc, *detail;
	cJSON			*doc = NULL;
	gzFile			 f;
	char			 chunk[65536];
	long long		 n = 0;
	int			 got, rc = -1, began = 0;

	/* ALISS's own address and licence, unless told otherwise. */
	if (opts.source_url == NULL)
		opts.source_url = ALISS_URL;
	if (opts.attribution == NULL)
		opts.attribution = ALISS_ATTRIBUTION;
	buf_init(&b);
	if ((f = gzopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while ((got = gzread(f, chunk, sizeof(chunk))) > 0)
		if (buf_append(&b, chunk, (size_t)got) == -1 ||
		    b.len > MAX_FILE) {
			snprintf(err, errlen, "%s: %s", path, b.oom ?
			    "out of memory" : "over 256 MB");
			goto out;
		}
	if (got < 0) {
		int	e;

		snprintf(err, errlen, "%s: %s", path, gzerror(f, &e));
		goto out;
	}
	if ((doc = cJSON_ParseWithLength(b.data != NULL ? b.data : "",
	    b.len)) == NULL) {
		snprintf(err, errlen, "%s is not JSON: an ALISS API response "
		    "(services search or a service), or an array of services",
		    path);
		goto out;
	}
	if ((list = services_of(doc, &detail)) == NULL && detail == NULL) {
		snprintf(err, errlen, "%s is JSON but not from ALISS's API: no "
		    "\"data\" or \"results\" of services", path);
		goto out;
	}
	if (opts.full && (seen = cJSON_CreateArray()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (import_begin(&imp, "import aliss", "services", path, &opts,
	    report, err, errlen) == -1)
		goto out;
	began = 1;
	if (detail != NULL) {
		if (service(&imp, detail, 1, err, errlen) == -1)
			goto out;
	} else
		cJSON_ArrayForEach(svc, list)
			if (service(&imp, svc, ++n, err, errlen) == -1)
				goto out;
	/* --full: the file is all ALISS has; what it lacks is withdrawn. */
	if (opts.full && import_withdraw_missing(&imp, seen, err, errlen) ==
	    -1)
		goto out;
	began = 0;
	rc = import_end(&imp, err, errlen);
out:
	if (began)
		import_abort(&imp);
	cJSON_Delete(seen);
	seen = NULL;
	cJSON_Delete(doc);
	gzclose(f);
	buf_free(&b);
	return (rc);
}
