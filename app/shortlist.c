/*
 * The shortlist in the URL, its button, safe "back" redirects, and the
 * SMS text and its size.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "http.h"
#include "shortlist.h"

void
shortlist_init(struct shortlist *sl)
{
	memset(sl, 0, sizeof(*sl));
}

static void
add_bad(struct shortlist *sl, const char *s, size_t len)
{
	size_t	cut;

	if (sl->nbad < SHORTLIST_BAD_SHOWN) {
		cut = len < sizeof(sl->bad[0]) - 4 ? len :
		    sizeof(sl->bad[0]) - 4;
		memcpy(sl->bad[sl->nbad], s, cut);
		/* Keep a cut entry recognisable as cut. */
		if (cut < len)
			memcpy(sl->bad[sl->nbad] + cut, "...", 4);
		else
			sl->bad[sl->nbad][cut] = '\0';
	}
	sl->nbad++;
}

int
shortlist_parse(struct shortlist *sl, const char *s)
{
	const char	*p, *e, *end;
	char		 id[37];
	size_t		 len, i;

	shortlist_init(sl);
	if (s == NULL)
		return (0);
	for (p = s; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		for (e = p; *e != '\0' && *e != ','; e++)
			;
		end = e;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		len = (size_t)(end - p);
		if (len == 0)
			continue;
		if (len != 36) {
			add_bad(sl, p, len);
			continue;
		}
		memcpy(id, p, 36);
		id[36] = '\0';
		if (!http_is_uuid(id)) {
			add_bad(sl, p, len);
			continue;
		}
		for (i = 0; i < 36; i++)
			if (id[i] >= 'A' && id[i] <= 'F')
				id[i] = (char)(id[i] - 'A' + 'a');
		if (shortlist_find(sl, id) != -1)
			continue;
		if (sl->n == SHORTLIST_MAX) {
			sl->dropped++;
			continue;
		}
		memcpy(sl->ids[sl->n++], id, sizeof(id));
	}
	return (sl->nbad == 0 && sl->dropped == 0 ? 0 : -1);
}

int
shortlist_from_request(const struct http_request *req, struct shortlist *sl)
{
	return (shortlist_parse(sl, http_param(req, "ids")));
}

int
shortlist_find(const struct shortlist *sl, const char *id)
{
	size_t	i;

	for (i = 0; i < sl->n; i++)
		if (strcasecmp(sl->ids[i], id) == 0)
			return ((int)i);
	return (-1);
}

int
shortlist_add(struct shortlist *sl, const char *id)
{
	size_t	i;

	if (!http_is_uuid(id))
		return (-1);
	if (shortlist_find(sl, id) != -1)
		return (0);
	if (sl->n == SHORTLIST_MAX)
		return (-1);
	for (i = 0; i < 36; i++)
		sl->ids[sl->n][i] = (id[i] >= 'A' && id[i] <= 'F') ?
		    (char)(id[i] - 'A' + 'a') : id[i];
	sl->ids[sl->n][36] = '\0';
	sl->n++;
	return (0);
}

int
shortlist_remove(struct shortlist *sl, const char *id)
{
	int	i;

	if ((i = shortlist_find(sl, id)) == -1)
		return (-1);
	memmove(sl->ids[i], sl->ids[i + 1],
	    (sl->n - (size_t)i - 1) * sizeof(sl->ids[0]));
	sl->n--;
	return (0);
}

void
shortlist_encode(const struct shortlist *sl, struct buf *b)
{
	size_t	i;

	for (i = 0; i < sl->n; i++)
		buf_printf(b, "%s%s", i ? "," : "", sl->ids[i]);
}

void
shortlist_sql_array(const struct shortlist *sl, struct buf *b)
{
	buf_puts(b, "{");
	shortlist_encode(sl, b);
	buf_puts(b, "}");
}

void
shortlist_problem(const struct shortlist *sl, struct buf *b)
{
	size_t	i, shown;

	if (sl->nbad > 0) {
		buf_printf(b, "%zu %s not %s service identifier%s: ", sl->nbad,
		    sl->nbad == 1 ? "entry is" : "entries are",
		    sl->nbad == 1 ? "a" : "valid",
		    sl->nbad == 1 ? "" : "s");
		shown = sl->nbad < SHORTLIST_BAD_SHOWN ? sl->nbad :
		    SHORTLIST_BAD_SHOWN;
		for (i = 0; i < shown; i++)
			buf_printf(b, "%s\"%s\"", i ? ", " : "", sl->bad[i]);
		if (shown < sl->nbad)
			buf_printf(b, " and %zu more", sl->nbad - shown);
		buf_puts(b, ". An identifier looks like "
		    "0b6a3c1e-5f1d-4c2a-9e7b-2d8f4a6c1b3e.");
	}
	if (sl->dropped > 0)
		buf_printf(b, "%sA shortlist holds at most %d services; "
		    "%zu more %s left off.", sl->nbad > 0 ? " " : "",
		    SHORTLIST_MAX, sl->dropped,
		    sl->dropped == 1 ? "was" : "were");
}

void
shortlist_link_query(struct buf *b, const struct http_request *req, char sep)
{
	struct shortlist	sl;

	(void)shortlist_from_request(req, &sl);
	if (sl.n == 0)
		return;
	buf_printf(b, "%cids=", sep);
	shortlist_encode(&sl, b);
}

void
shortlist_hidden_input(struct buf *b, const struct http_request *req)
{
	struct shortlist	sl;

	(void)shortlist_from_request(req, &sl);
	if (sl.n == 0)
		return;
	buf_puts(b, "<input type=\"hidden\" name=\"ids\" value=\"");
	shortlist_encode(&sl, b);
	buf_puts(b, "\">");
}

/* Percent-encode a decoded path, keeping its slashes. */
static void
url_path(struct buf *b, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	unsigned char		 c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/!$&'()*+,;=:@",
		    c) != NULL)
			buf_append(b, s, 1);
		else
			buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/* key=value pairs of kv, except ids, URL-encoded, each after sep. */
static void
query_without_ids(struct buf *b, const struct http_kvlist *kv, int *first)
{
	size_t	i;

	for (i = 0; i < kv->n; i++) {
		if (strcmp(kv->v[i].key, "ids") == 0)
			continue;
		buf_puts(b, *first ? "?" : "&");
		*first = 0;
		buf_url(b, kv->v[i].key);
		buf_puts(b, "=");
		buf_url(b, kv->v[i].value);
	}
}

void
shortlist_button(struct buf *b, const struct http_request *req,
    const char *id, const char *name)
{
	struct shortlist	 sl;
	struct buf		 back;
	int			 in, first = 1;

	(void)shortlist_from_request(req, &sl);
	in = shortlist_find(&sl, id) != -1;
	buf_init(&back);
	url_path(&back, req->path != NULL ? req->path : "/");
	/* A POST's fields are not a page address to come back to. */
	if (req->method == HTTP_GET || req->method == HTTP_HEAD)
		query_without_ids(&back, &req->query, &first);
	if (back.oom || !shortlist_local_path(buf_cstr(&back))) {
		buf_reset(&back);
		buf_puts(&back, "/shortlist");
	}

	buf_puts(b, "<form class=\"shortlist-form\" method=\"get\" "
	    "action=\"/shortlist/toggle\" data-shortlist-form id=\"sl-");
	buf_html(b, id);
	buf_puts(b, "\"><input type=\"hidden\" name=\"id\" value=\"");
	buf_html(b, id);
	buf_puts(b, "\">");
	if (sl.n > 0) {
		buf_puts(b, "<input type=\"hidden\" name=\"ids\" value=\"");
		shortlist_encode(&sl, b);
		buf_puts(b, "\">");
	}
	buf_puts(b, "<input type=\"hidden\" name=\"back\" value=\"");
	buf_html(b, buf_cstr(&back));
	buf_printf(b, "\"><button type=\"submit\" class=\"shortlist-button%s\" "
	    "data-shortlist-id=\"", in ? " is-on" : "");
	buf_html(b, id);
	buf_puts(b, "\" data-shortlist-name=\"");
	buf_html(b, name);
	buf_printf(b, "\"><span data-shortlist-label>%s</span>"
	    "<span class=\"visually-hidden\">: ", in ? "Remove from shortlist" :
	    "Add to shortlist");
	buf_html(b, name);
	buf_puts(b, "</span></button></form>");
	buf_free(&back);
}

int
shortlist_local_path(const char *s)
{
	const unsigned char	*p;

	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return (0);
	if (strlen(s) > SHORTLIST_PATH_MAX)
		return (0);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '\\')
			return (0);
	return (1);
}

int
shortlist_back_url(struct buf *b, const char *back,
    const struct shortlist *sl, const char *focus)
{
	struct http_kvlist	 kv;
	const char		*q, *h;
	size_t			 plen;
	int			 first = 1, rc = -1;

	memset(&kv, 0, sizeof(kv));
	h = strchr(back, '#');
	q = strchr(back, '?');
	if (h != NULL && (q == NULL || h < q))
		q = NULL;
	plen = q != NULL ? (size_t)(q - back) : h != NULL ?
	    (size_t)(h - back) : strlen(back);
	buf_append(b, back, plen);
	if (q != NULL && http_parse_urlencoded(&kv, q + 1, h != NULL ?
	    (size_t)(h - q - 1) : strlen(q + 1)) == -1)
		goto out;
	query_without_ids(b, &kv, &first);
	if (sl->n > 0) {
		buf_puts(b, first ? "?ids=" : "&ids=");
		shortlist_encode(sl, b);
	}
	if (focus != NULL)
		buf_printf(b, "#sl-%s", focus);
	rc = b->oom ? -1 : 0;
out:
	http_kv_free(&kv);
	return (rc);
}

/*
 * SMS sizing.  GSM 03.38: the basic alphabet beyond printable ASCII, and
 * the printable ASCII it lacks (the extension table, and the backquote,
 * which is not there at all).
 */
static const uint32_t gsm_basic_extra[] = {
	0x00a1, 0x00a3, 0x00a4, 0x00a5, 0x00a7, 0x00bf, 0x00c4, 0x00c5,
	0x00c6, 0x00c7, 0x00c9, 0x00d1, 0x00d6, 0x00d8, 0x00dc, 0x00df,
	0x00e0, 0x00e4, 0x00e5, 0x00e6, 0x00e8, 0x00e9, 0x00ec, 0x00f1,
	0x00f2, 0x00f6, 0x00f8, 0x00f9, 0x00fc, 0x0393, 0x0394, 0x0398,
	0x039b, 0x039e, 0x03a0, 0x03a3, 0x03a6, 0x03a8, 0x03a9,
};

/* Septets for code point c: 1, 2 (escape + extension), or 0 if none. */
static int
gsm_septets(uint32_t c)
{
	size_t	i;

	if (c == '\n' || c == '\r')
		return (1);
	if (c == '\f' || c == 0x20ac)
		return (2);
	if (c >= 0x20 && c < 0x7f) {
		if (c == '`')
			return (0);
		if (strchr("^{}\\[]~|", (int)c) != NULL)
			return (2);
		return (1);
	}
	for (i = 0; i < sizeof(gsm_basic_extra) / sizeof(gsm_basic_extra[0]);
	    i++)
		if (gsm_basic_extra[i] == c)
			return (1);
	return (0);
}

/* Decode one UTF-8 sequence; a bad byte is U+FFFD and consumes 1. */
static uint32_t
utf8_next(const unsigned char **sp)
{
	const unsigned char	*s = *sp;
	uint32_t		 c;
	int			 n, i;

	if (s[0] < 0x80) {
		*sp = s + 1;
		return (s[0]);
	}
	if ((s[0] & 0xe0) == 0xc0) {
		c = s[0] & 0x1f;
		n = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		c = s[0] & 0x0f;
		n = 2;
	} else if ((s[0] & 0xf8) == 0xf0) {
		c = s[0] & 0x07;
		n = 3;
	} else
		goto bad;
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) ||
	    (n == 3 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*sp = s + n + 1;
	return (c);
bad:
	*sp = s + 1;
	return (0xfffd);
}

/*
 * Fill parts of `per' units, never splitting an item (escape pair,
 * surrogate pair) of `w' units across two.
 */
struct packer {
	size_t	total, parts, used, per;
};

static void
pack(struct packer *pk, size_t w)
{
	pk->total += w;
	if (pk->parts == 0 || pk->used + w > pk->per) {
		pk->parts++;
		pk->used = 0;
	}
	pk->used += w;
}

void
shortlist_sms_size(const char *text, struct sms_size *sz)
{
	const unsigned char	*p;
	struct packer		 pk;
	uint32_t		 c;
	int			 w, unicode = 0;

	memset(sz, 0, sizeof(*sz));
	if (text == NULL || *text == '\0')
		return;
	for (p = (const unsigned char *)text; *p != '\0';)
		if (gsm_septets(utf8_next(&p)) == 0) {
			unicode = 1;
			break;
		}
	/* First as one part; if it does not fit, as concatenated parts. */
	memset(&pk, 0, sizeof(pk));
	pk.per = unicode ? 70 : 160;
	for (p = (const unsigned char *)text; *p != '\0';) {
		c = utf8_next(&p);
		w = unicode ? (c > 0xffff ? 2 : 1) : gsm_septets(c);
		pack(&pk, (size_t)w);
	}
	if (pk.parts > 1) {
		memset(&pk, 0, sizeof(pk));
		pk.per = unicode ? 67 : 153;
		for (p = (const unsigned char *)text; *p != '\0';) {
			c = utf8_next(&p);
			w = unicode ? (c > 0xffff ? 2 : 1) : gsm_septets(c);
			pack(&pk, (size_t)w);
		}
	}
	sz->chars = pk.total;
	sz->parts = pk.parts;
	sz->unicode = unicode;
}

void
shortlist_sms_clean(struct buf *b, const char *s)
{
	const unsigned char	*p, *start;
	uint32_t		 c;
	int			 space = 0, any = 0;

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0';) {
		start = p;
		c = utf8_next(&p);
		if (c == '\n' || c == '\r' || c == '\t' || c == ' ' ||
		    c == 0x00a0 || c == 0x2009 || c == 0x202f) {
			space = 1;
			continue;
		}
		/* Runs of white space become one; none at either end. */
		if (space && any)
			buf_puts(b, " ");
		space = 0;
		any = 1;
		switch (c) {
		case 0x2010: case 0x2011: case 0x2012: case 0x2013:
		case 0x2014: case 0x2212:
			buf_puts(b, "-");
			break;
		case 0x2018: case 0x2019: case 0x201a: case 0x2032:
			buf_puts(b, "'");
			break;
		case 0x201c: case 0x201d: case 0x201e: case 0x2033:
			buf_puts(b, "\"");
			break;
		case 0x2026:
			buf_puts(b, "...");
			break;
		case 0x2022: case 0x00b7:
			buf_puts(b, "-");
			break;
		case '`':
			buf_puts(b, "'");
			break;
		default:
			buf_append(b, start, (size_t)(p - start));
			break;
		}
	}
}

static void
sms_line(struct buf *b, const char *label, const char *v)
{
	if (v == NULL || *v == '\0')
		return;
	buf_puts(b, "\n");
	buf_puts(b, label);
	shortlist_sms_clean(b, v);
}

void
shortlist_sms_text(struct buf *b, const struct shortlist_sms_item *it,
    size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, "\n\n");
		shortlist_sms_clean(b, it[i].name);
		sms_line(b, "When: ", it[i].when);
		sms_line(b, "Where: ", it[i].where);
		sms_line(b, "Tel: ", it[i].phone);
	}
}
