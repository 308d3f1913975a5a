/*
 * The form layer.  Every page with a form describes its fields in a table
 * and goes through here, so that reading, limits, messages, the error
 * summary and CSRF behave the same on every page (GOV.UK's pattern: the
 * form again, the input kept, a summary linking to each field, the message
 * beside the field).
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "config.h"
#include "form.h"
#include "http.h"
#include "postcode.h"

#define CSRF_HEX	64
#define DEFAULT_MAX	200	/* characters, for a line with no max */

void
form_init(struct form *f, const struct form_field *fields, size_t n)
{
	memset(f, 0, sizeof(*f));
	f->fields = fields;
	f->n = n < FORM_MAX_FIELDS ? n : FORM_MAX_FIELDS;
	buf_init(&f->store);
}

void
form_free(struct form *f)
{
	size_t	i;

	for (i = 0; i < f->ncopies; i++)
		free(f->copies[i]);
	f->ncopies = 0;
	buf_free(&f->store);
}

/* A copy that lives as long as the form; NULL when out of memory. */
static const char *
keep(struct form *f, const char *s, size_t len)
{
	char	*c;

	if (f->ncopies == sizeof(f->copies) / sizeof(f->copies[0]) ||
	    (c = malloc(len + 1)) == NULL)
		return (NULL);
	memcpy(c, s, len);
	c[len] = '\0';
	f->copies[f->ncopies++] = c;
	return (c);
}

int
form_index(const struct form *f, const char *name)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return ((int)i);
	return (-1);
}

size_t
form_utf8_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (n);
}

int
form_email_ok(const char *s)
{
	const char	*at, *p, *label;

	if (strlen(s) > 254 || (at = strchr(s, '@')) == NULL || at == s ||
	    strchr(at + 1, '@') != NULL)
		return (0);
	for (p = s; *p != '\0'; p++)
		if (isspace((unsigned char)*p))
			return (0);
	label = at + 1;
	if (strchr(label, '.') == NULL)
		return (0);
	for (p = label; ; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label)
				return (0);
			if (*p == '\0')
				break;
			label = p + 1;
		}
	}
	return (1);
}

/* The shape valid_http_url() in sql/003 checks. */
static int
url_ok(const char *s)
{
	const char	*p;

	if (strncasecmp(s, "http://", 7) == 0)
		p = s + 7;
	else if (strncasecmp(s, "https://", 8) == 0)
		p = s + 8;
	else
		return (0);
	if (*p == '\0' || *p == '/' || *p == '?' || *p == '#')
		return (0);
	for (; *p != '\0'; p++)
		if (isspace((unsigned char)*p))
			return (0);
	return (strlen(s) <= 2048);
}

/* Digits and single spaces with an optional +, 3 to 15 digits (sql/003). */
static int
phone_norm(const char *s, char *out, size_t len)
{
	size_t	o = 0, digits = 0;
	int	space = 0;

	for (; *s == ' '; s++)
		;
	if (*s == '+' && len > 1) {
		out[o++] = '+';
		s++;
	}
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '-' || *s == '(' || *s == ')' ||
		    *s == '.') {
			space = o > 0 && out[o - 1] != '+';
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return (-1);
		if (o + 3 > len)
			return (-1);
		if (space)
			out[o++] = ' ';
		space = 0;
		out[o++] = *s;
		digits++;
	}
	out[o] = '\0';
	return (digits >= 3 && digits <= 15 ? 0 : -1);
}

static int
time_norm(const char *s, char *out, size_t len)
{
	long long	h, m;
	char		hh[3], mm[3];
	const char	*c;
	int		mins;

	/*
	 * "9:30", "09:30", "09.30", and "930" or "0930" as people type a
	 * 24-hour time on a phone's number pad, which has no colon.
	 */
	if ((c = strpbrk(s, ":.")) == NULL) {
		if (strlen(s) < 3 || strlen(s) > 4 ||
		    strspn(s, "0123456789") != strlen(s))
			return (-1);
		c = s + strlen(s) - 2;
		memcpy(hh, s, (size_t)(c - s));
		hh[c - s] = '\0';
		memcpy(mm, c, 3);
	} else {
		if (c == s || c - s > 2 || strlen(c + 1) != 2)
			return (-1);
		memcpy(hh, s, (size_t)(c - s));
		hh[c - s] = '\0';
		memcpy(mm, c + 1, 3);
	}
	if (!isdigit((unsigned char)hh[0]) || !isdigit((unsigned char)mm[0]) ||
	    str_to_ll(hh, 0, 99, &h) == -1 || str_to_ll(mm, 0, 99, &m) == -1)
		return (-1);
	/* What people typed, written out; the one clock check decides. */
	snprintf(out, len, "%02lld:%02lld", h, m);
	return (str_to_hhmm(out, &mins));
}

/* A day of this century: dates in listings are near now. */
static int
date_ok(const char *s)
{
	int	y, m, d;

	return (str_to_date(s, &y, &m, &d) == 0 && y >= 2000 && y <= 2100);
}

static int
is_choice(const struct form_field *fl, const char *v)
{
	const struct form_choice	*c;

	for (c = fl->choices; c != NULL && c->value != NULL; c++)
		if (strcmp(c->value, v) == 0)
			return (1);
	return (0);
}

static size_t
field_max(const struct form_field *fl)
{
	if (fl->max > 0)
		return (fl->max);
	return (fl->kind == FORM_TEXTAREA ? 2000 : DEFAULT_MAX);
}

static const char *
on_value(const struct form_field *fl)
{
	return (fl->on_value != NULL ? fl->on_value : "yes");
}

/* A checkbox's value: 1 ticked, 0 not, -1 neither. */
static int
checkbox_word(const struct form_field *fl, const char *v)
{
	if (strcmp(v, on_value(fl)) == 0)
		return (1);
	if (fl->on_value == NULL)
		return (-1);
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 ||
	    strcmp(v, "on") == 0 || strcmp(v, "yes") == 0)
		return (1);
	if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0 || strcmp(v, "no") == 0)
		return (0);
	return (-1);
}

static void
set_err(struct form *f, size_t i, enum form_error e, const char *msg)
{
	if (f->err[i] == FORM_OK)
		f->nerr++;
	f->err[i] = e;
	f->msg[i] = msg;
	f->value[i] = NULL;
}

/* A checkbox set: every value must be a choice; kept as "a,b,c". */
static void
read_set(struct form *f, size_t i, struct http_request *req)
{
	const struct form_field	*fl = &f->fields[i];
	const char		*v[64];
	struct buf		 b;
	size_t			 n, k;

	n = http_param_all(req, fl->name, v, sizeof(v) / sizeof(v[0]));
	buf_init(&b);
	for (k = 0; k < n; k++) {
		/* No choices in the table: the page checks them itself. */
		if (fl->choices != NULL && (!is_choice(fl, v[k]) ||
		    strchr(v[k], ',') != NULL)) {
			set_err(f, i, FORM_E_CHOICE, NULL);
			buf_free(&b);
			return;
		}
		buf_printf(&b, "%s%s", b.len > 0 ? "," : "", v[k]);
	}
	if (b.len > 0)
		f->raw[i] = f->value[i] = keep(f, b.data, b.len);
	else if (fl->required)
		set_err(f, i, FORM_E_REQUIRED, NULL);
	buf_free(&b);
}

static void
check_one(struct form *f, size_t i, struct http_request *req)
{
	const struct form_field	*fl = &f->fields[i];
	const char		*v, *msg;
	char			*t, norm[64];
	long long		 ll;
	double			 d;
	enum http_param		 hp;
	enum postcode_kind	 pk;

	if (fl->kind == FORM_CHECKBOXES) {
		read_set(f, i, req);
		return;
	}
	/*
	 * No byte cap here (the body limit bounds it): text of any length
	 * is the person's work and comes back with the form; only the
	 * message below says it is too long.
	 */
	hp = http_param_str(req, fl->name, SIZE_MAX, &v);
	if (hp == HTTP_PARAM_BAD) {
		/* Bytes that are not text cannot be shown back. */
		set_err(f, i, FORM_E_NOT_TEXT, NULL);
		return;
	}
	if (hp == HTTP_PARAM_ABSENT)
		goto empty;
	f->raw[i] = v;
	if ((t = (char *)keep(f, v, strlen(v))) == NULL) {
		set_err(f, i, FORM_E_INVALID, "The form was too large to read");
		return;
	}
	/* Spaces at either end are part of a password. */
	if (fl->kind == FORM_FILE)
		;
	else if (fl->kind != FORM_TEXTAREA && fl->kind != FORM_PASSWORD)
		str_trim(t);
	else if (fl->kind == FORM_TEXTAREA) {
		/* Trailing space only: a leading newline may be meant. */
		size_t	n = strlen(t);

		while (n > 0 && isspace((unsigned char)t[n - 1]))
			t[--n] = '\0';
	}
	if (t[strspn(t, " \t\r\n")] == '\0')
		goto empty;
	if (fl->kind != FORM_TEXTAREA && fl->kind != FORM_FILE &&
	    strpbrk(t, "\r\n") != NULL) {
		set_err(f, i, FORM_E_NOT_TEXT, NULL);
		return;
	}
	if (form_utf8_chars(t) > field_max(fl)) {
		set_err(f, i, FORM_E_TOO_LONG, NULL);
		return;
	}
	switch (fl->kind) {
	case FORM_EMAIL:
		if (!form_email_ok(t))
			goto format;
		break;
	case FORM_URL:
		if (!url_ok(t))
			goto format;
		break;
	case FORM_PHONE:
		if (phone_norm(t, norm, sizeof(norm)) == -1)
			goto format;
		t = (char *)keep(f, norm, strlen(norm));
		break;
	case FORM_POSTCODE:
		pk = postcode_parse(t, norm, sizeof(norm));
		if (pk == POSTCODE_INVALID || (pk != POSTCODE_FULL &&
		    !fl->any_postcode))
			goto format;
		t = (char *)keep(f, norm, strlen(norm));
		break;
	case FORM_INT:
		if (str_to_ll(t, LLONG_MIN, LLONG_MAX, &ll) == -1)
			goto format;
		if (ll < fl->min_value || ll > fl->max_value) {
			set_err(f, i, FORM_E_RANGE, NULL);
			return;
		}
		break;
	case FORM_DECIMAL:
		if (strspn(t, "0123456789.") != strlen(t) ||
		    str_to_double(t, -1e15, 1e15, &d) == -1 ||
		    (strchr(t, '.') != NULL && strlen(strchr(t, '.')) > 3))
			goto format;
		if (d < (double)fl->min_value || d > (double)fl->max_value) {
			set_err(f, i, FORM_E_RANGE, NULL);
			return;
		}
		break;
	case FORM_TIME:
		if (time_norm(t, norm, sizeof(norm)) == -1)
			goto format;
		t = (char *)keep(f, norm, strlen(norm));
		break;
	case FORM_DATE:
		if (!date_ok(t))
			goto format;
		break;
	case FORM_RADIO:
	case FORM_SELECT:
		if (!is_choice(fl, t)) {
			set_err(f, i, FORM_E_CHOICE, NULL);
			return;
		}
		break;
	case FORM_CHECKBOX:
		switch (checkbox_word(fl, t)) {
		case 1:
			f->raw[i] = t = (char *)on_value(fl);
			break;
		case 0:
			f->raw[i] = NULL;
			return;
		default:
			set_err(f, i, FORM_E_CHOICE, NULL);
			return;
		}
		break;
	default:
		break;
	}
	if (t == NULL) {
		set_err(f, i, FORM_E_INVALID, "The form was too large to read");
		return;
	}
	if (fl->validate != NULL && (msg = fl->validate(t)) != NULL) {
		set_err(f, i, FORM_E_INVALID, msg);
		return;
	}
	f->value[i] = t;
	return;
empty:
	if (fl->default_value != NULL)
		f->raw[i] = f->value[i] = fl->default_value;
	else if (fl->required)
		set_err(f, i, FORM_E_REQUIRED, NULL);
	return;
format:
	set_err(f, i, FORM_E_FORMAT, NULL);
}

size_t
form_read(struct form *f, struct http_request *req)
{
	size_t	i;

	for (i = 0; i < f->n; i++)
		check_one(f, i, req);
	return (f->nerr);
}

int
form_set(struct form *f, const char *name, const char *value)
{
	int	i;

	if ((i = form_index(f, name)) == -1 || value == NULL)
		return (-1);
	if ((f->value[i] = keep(f, value, strlen(value))) == NULL)
		return (-1);
	f->raw[i] = f->value[i];
	return (0);
}

const char *
form_value(const struct form *f, const char *name)
{
	int	i;

	if ((i = form_index(f, name)) == -1)
		return (NULL);
	return (f->value[i]);
}

/* Is value one item of the comma list? */
static int
in_list(const char *list, const char *value)
{
	size_t		 n = strlen(value);
	const char	*p;

	for (p = list; p != NULL && *p != '\0'; ) {
		if (strncmp(p, value, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return (1);
		if ((p = strchr(p, ',')) != NULL)
			p++;
	}
	return (0);
}

int
form_checked(const struct form *f, const char *name, const char *choice)
{
	int	i;

	if ((i = form_index(f, name)) == -1 || f->raw[i] == NULL)
		return (0);
	if (f->fields[i].kind == FORM_CHECKBOXES)
		return (choice != NULL && in_list(f->raw[i], choice));
	return (strcmp(f->raw[i], choice != NULL ? choice :
	    on_value(&f->fields[i])) == 0);
}

void
form_error(struct form *f, const char *name, const char *msg)
{
	int	i;

	if (name == NULL || (i = form_index(f, name)) == -1) {
		if (f->form_msg == NULL)
			f->nerr++;
		f->form_msg = msg;
		return;
	}
	if (f->err[i] != FORM_OK)
		return;		/* the first message is the one to fix first */
	set_err(f, (size_t)i, FORM_E_INVALID,
	    keep(f, msg, strlen(msg)));
}

int
form_has_error(const struct form *f, const char *name)
{
	int	i;

	return ((i = form_index(f, name)) != -1 && f->err[i] != FORM_OK);
}

/* "The group's name" from the label, for the generic messages. */
static void
what(const struct form_field *fl, char *out, size_t len)
{
	snprintf(out, len, "%s", fl->label);
	if (out[0] != '\0' && !(out[1] >= 'A' && out[1] <= 'Z'))
		out[0] = (char)tolower((unsigned char)out[0]);
}

/* 2000 as "2,000", the way the hints write it. */
static void
thousands(char *out, size_t len, size_t n)
{
	if (n >= 1000000)
		snprintf(out, len, "%zu,%03zu,%03zu", n / 1000000,
		    n / 1000 % 1000, n % 1000);
	else if (n >= 1000)
		snprintf(out, len, "%zu,%03zu", n / 1000, n % 1000);
	else
		snprintf(out, len, "%zu", n);
}

const char *
form_message(const struct form *f, size_t i)
{
	static __thread char	 msg[256];
	const struct form_field	*fl = &f->fields[i];
	char			 w[128], have[32];

	if (f->msg[i] != NULL)
		return (f->msg[i]);
	what(fl, w, sizeof(w));
	switch (f->err[i]) {
	case FORM_OK:
		return (NULL);
	case FORM_E_REQUIRED:
		if (fl->required_msg != NULL)
			return (fl->required_msg);
		snprintf(msg, sizeof(msg), "%s %s", fl->kind == FORM_RADIO ||
		    fl->kind == FORM_SELECT || fl->kind == FORM_CHECKBOXES ?
		    "Choose" : "Enter", w);
		return (msg);
	case FORM_E_TOO_LONG:
		thousands(w, sizeof(w), field_max(fl));
		if (f->raw[i] != NULL) {
			thousands(have, sizeof(have),
			    form_utf8_chars(f->raw[i]));
			snprintf(msg, sizeof(msg), "%s must be %s characters or "
			    "fewer (you have %s)", fl->label, w, have);
		} else
			snprintf(msg, sizeof(msg), "%s must be %s characters or "
			    "fewer", fl->label, w);
		return (msg);
	case FORM_E_NOT_TEXT:
		snprintf(msg, sizeof(msg), "%s can only contain ordinary text%s",
		    fl->label, fl->kind == FORM_TEXTAREA ? "" :
		    " on one line");
		return (msg);
	case FORM_E_FORMAT:
	case FORM_E_RANGE:
		if (fl->format_msg != NULL)
			return (fl->format_msg);
		if (fl->kind == FORM_INT || fl->kind == FORM_DECIMAL)
			snprintf(msg, sizeof(msg), "%s must be a number from "
			    "%lld to %lld", fl->label, fl->min_value,
			    fl->max_value);
		else
			snprintf(msg, sizeof(msg), "Enter %s in the right "
			    "format", w);
		return (msg);
	case FORM_E_CHOICE:
		if (fl->format_msg != NULL)
			return (fl->format_msg);
		snprintf(msg, sizeof(msg), "Choose %s from the list", w);
		return (msg);
	case FORM_E_INVALID:
		break;
	}
	snprintf(msg, sizeof(msg), "Check %s", w);
	return (msg);
}

/* The id the summary links to: the first radio or checkbox of a set. */
static void
anchor(struct buf *b, const struct form_field *fl)
{
	if (fl->anchor != NULL)
		buf_html(b, fl->anchor);
	else if (fl->numbered && (fl->kind == FORM_RADIO ||
	    fl->kind == FORM_CHECKBOXES)) {
		buf_html(b, fl->name);
		buf_puts(b, "-1");
	} else if ((fl->kind == FORM_RADIO || fl->kind == FORM_CHECKBOXES) &&
	    fl->choices != NULL && fl->choices[0].value != NULL) {
		buf_html(b, fl->name);
		buf_puts(b, "-");
		buf_html(b, fl->choices[0].value);
	} else
		buf_html(b, fl->name);
}

void
form_summary(struct buf *b, const struct form *f)
{
	size_t	i;

	if (f->nerr == 0)
		return;
	/* data-error-summary: site.js focuses it and its links. */
	buf_puts(b, "<div class=\"error-summary\" role=\"alert\" "
	    "tabindex=\"-1\" aria-labelledby=\"error-summary-title\" "
	    "data-error-summary><h2 id=\"error-summary-title\">There is a "
	    "problem</h2><ul>");
	if (f->form_msg != NULL) {
		buf_puts(b, "<li>");
		buf_html(b, f->form_msg);
		buf_puts(b, "</li>");
	}
	for (i = 0; i < f->n; i++) {
		if (f->err[i] == FORM_OK)
			continue;
		buf_puts(b, "<li><a href=\"#");
		anchor(b, &f->fields[i]);
		buf_puts(b, "\">");
		buf_html(b, form_message(f, i));
		buf_puts(b, "</a></li>");
	}
	buf_puts(b, "</ul></div>\n");
}

static void
error_line(struct buf *b, const struct form *f, size_t i)
{
	if (f->err[i] == FORM_OK)
		return;
	buf_puts(b, "<p class=\"error-message\" id=\"");
	buf_html(b, f->fields[i].name);
	buf_puts(b, "-error\"><span class=\"visually-hidden\">Error: </span>");
	buf_html(b, form_message(f, i));
	buf_puts(b, "</p>");
}

static void
describedby(struct buf *b, const struct form *f, size_t i)
{
	const struct form_field	*fl = &f->fields[i];

	if (fl->hint == NULL && f->err[i] == FORM_OK)
		return;
	buf_puts(b, " aria-describedby=\"");
	if (fl->hint != NULL) {
		buf_html(b, fl->name);
		buf_puts(b, "-hint");
	}
	if (f->err[i] != FORM_OK) {
		buf_puts(b, fl->hint != NULL ? " " : "");
		buf_html(b, fl->name);
		buf_puts(b, "-error\" aria-invalid=\"true");
	}
	buf_puts(b, "\"");
}

static void
hint(struct buf *b, const struct form_field *fl)
{
	if (fl->hint == NULL)
		return;
	buf_puts(b, "<p class=\"hint\" id=\"");
	buf_html(b, fl->name);
	buf_printf(b, "-hint\">%s</p>", fl->hint);
}

static const char *
input_type(enum form_kind k)
{
	switch (k) {
	case FORM_EMAIL:
		return ("email");
	case FORM_URL:
		return ("url");
	case FORM_PHONE:
		return ("tel");
	case FORM_DATE:
		return ("date");
	case FORM_PASSWORD:
		return ("password");
	case FORM_FILE:
		return ("file");
	default:
		return ("text");
	}
}

/* Radios and checkbox sets: a fieldset with a legend. */
static void
choice_id(struct buf *b, const struct form_field *fl,
    const struct form_choice *c)
{
	buf_html(b, fl->name);
	if (fl->numbered)
		buf_printf(b, "-%td", c - fl->choices + 1);
	else {
		buf_puts(b, "-");
		buf_html(b, c->value);
	}
}

static void
wrap(struct buf *b, const struct form *f, size_t i)
{
	buf_puts(b, "<div class=\"");
	buf_html(b, f->fields[i].wrap_class != NULL ?
	    f->fields[i].wrap_class : "field");
	buf_puts(b, f->err[i] != FORM_OK ? " has-error\">" : "\">");
}

static void
choices(struct buf *b, const struct form *f, size_t i, int open)
{
	const struct form_field		*fl = &f->fields[i];
	const struct form_choice	*c;
	int				 on;

	wrap(b, f, i);
	buf_puts(b, "<fieldset class=\"fieldset\"");
	if (fl->anchor != NULL) {
		/* The summary's link lands here; site.js moves focus in. */
		buf_puts(b, " id=\"");
		buf_html(b, fl->anchor);
		buf_puts(b, "\" tabindex=\"-1\"");
	}
	describedby(b, f, i);
	buf_puts(b, "><legend>");
	buf_html(b, fl->label);
	buf_puts(b, "</legend>");
	hint(b, fl);
	error_line(b, f, i);
	for (c = fl->choices; c != NULL && c->value != NULL; c++) {
		on = f->raw[i] != NULL && (fl->kind == FORM_CHECKBOXES ?
		    in_list(f->raw[i], c->value) : strcmp(f->raw[i],
		    c->value) == 0);
		buf_printf(b, "<div class=\"choice\"><input type=\"%s\" "
		    "name=\"", fl->kind == FORM_RADIO ? "radio" : "checkbox");
		buf_html(b, fl->name);
		buf_puts(b, "\" id=\"");
		choice_id(b, fl, c);
		buf_puts(b, "\" value=\"");
		buf_html(b, c->value);
		buf_printf(b, "\"%s><label for=\"", on ? " checked" : "");
		choice_id(b, fl, c);
		buf_puts(b, "\">");
		buf_html(b, c->label);
		buf_puts(b, "</label></div>");
	}
	buf_puts(b, open ? "</fieldset>" : "</fieldset></div>\n");
}

static void
draw(struct buf *b, const struct form *f, const char *name, int open)
{
	const struct form_field		*fl;
	const struct form_choice	*c;
	const char			*v;
	int				 idx, group = 0;
	size_t				 i;

	if ((idx = form_index(f, name)) == -1)
		return;
	i = (size_t)idx;
	fl = &f->fields[i];
	v = f->raw[i] != NULL ? f->raw[i] : "";
	/* A password in the page would sit in caches and history. */
	if (fl->kind == FORM_PASSWORD || fl->kind == FORM_FILE)
		v = "";
	if (fl->kind == FORM_HIDDEN) {
		buf_puts(b, "<input type=\"hidden\" name=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\" value=\"");
		buf_html(b, v);
		buf_puts(b, "\">\n");
		return;
	}
	if (fl->kind == FORM_RADIO || fl->kind == FORM_CHECKBOXES) {
		choices(b, f, i, open);
		return;
	}
	wrap(b, f, i);
	if (fl->kind == FORM_CHECKBOX) {
		error_line(b, f, i);
		buf_puts(b, "<div class=\"choice\"><input type=\"checkbox\" "
		    "name=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\" id=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\" value=\"");
		buf_html(b, on_value(fl));
		buf_printf(b, "\"%s", strcmp(v, on_value(fl)) == 0 ?
		    " checked" : "");
		describedby(b, f, i);
		buf_puts(b, "><label for=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\">");
		buf_html(b, fl->label);
		buf_puts(b, "</label></div>");
		hint(b, fl);
		if (!open)
			form_field_close(b);
		return;
	}
	buf_puts(b, "<label class=\"label\" for=\"");
	buf_html(b, fl->name);
	buf_puts(b, "\">");
	buf_html(b, fl->label);
	buf_puts(b, fl->required || fl->no_optional ? "" : " (optional)");
	buf_puts(b, "</label>");
	hint(b, fl);
	error_line(b, f, i);
	switch (fl->kind) {
	case FORM_TEXTAREA:
		buf_puts(b, "<textarea class=\"");
		buf_html(b, fl->control_class != NULL ? fl->control_class :
		    "input textarea");
		buf_puts(b, "\" rows=\"5\" name=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\" id=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\"");
		describedby(b, f, i);
		buf_puts(b, ">");
		/* A textarea drops one leading newline: keep the user's. */
		if (v[0] == '\n')
			buf_puts(b, "\n");
		buf_html(b, v);
		buf_puts(b, "</textarea>");
		break;
	case FORM_SELECT:
		buf_puts(b, "<select class=\"");
		buf_html(b, fl->control_class != NULL ? fl->control_class :
		    "input select");
		buf_puts(b, "\" name=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\" id=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\"");
		describedby(b, f, i);
		buf_puts(b, ">");
		/* With a default, empty is never the value. */
		/* An option needs text (HTML: not empty without a label). */
		if (fl->default_value == NULL) {
			buf_puts(b, "<option value=\"\">");
			buf_html(b, fl->empty_label != NULL ? fl->empty_label :
			    "Choose");
			buf_puts(b, "</option>");
		}
		for (c = fl->choices; c != NULL && c->value != NULL; c++) {
			if (fl->groups != NULL &&
			    fl->groups[c - fl->choices] != NULL) {
				buf_puts(b, group ? "</optgroup>" : "");
				buf_puts(b, "<optgroup label=\"");
				buf_html(b, fl->groups[c - fl->choices]);
				buf_puts(b, "\">");
				group = 1;
			}
			buf_puts(b, "<option value=\"");
			buf_html(b, c->value);
			buf_printf(b, "\"%s>", strcmp(v, c->value) == 0 ?
			    " selected" : "");
			buf_html(b, c->label);
			buf_puts(b, "</option>");
		}
		buf_puts(b, group ? "</optgroup></select>" : "</select>");
		break;
	default:
		buf_puts(b, "<input class=\"");
		if (fl->control_class != NULL)
			buf_html(b, fl->control_class);
		else
			buf_puts(b, fl->kind == FORM_INT ||
			    fl->kind == FORM_DECIMAL || fl->kind == FORM_TIME ||
			    fl->kind == FORM_POSTCODE ? "input input-short" :
			    "input");
		buf_puts(b, "\" type=\"");
		buf_html(b, fl->input_type != NULL ? fl->input_type :
		    input_type(fl->kind));
		buf_puts(b, "\" name=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\" id=\"");
		buf_html(b, fl->name);
		buf_puts(b, "\" value=\"");
		buf_html(b, v);
		buf_puts(b, "\"");
		if (fl->inputmode != NULL) {
			buf_puts(b, " inputmode=\"");
			buf_html(b, fl->inputmode);
			buf_puts(b, "\"");
		} else if (fl->kind == FORM_INT || fl->kind == FORM_DECIMAL)
			buf_puts(b, " inputmode=\"decimal\"");
		if (fl->kind == FORM_EMAIL || fl->kind == FORM_URL ||
		    fl->kind == FORM_POSTCODE)
			buf_puts(b, " spellcheck=\"false\"");
		if (fl->autocomplete != NULL)
			buf_printf(b, " autocomplete=\"%s\"",
			    fl->autocomplete);
		describedby(b, f, i);
		buf_puts(b, ">");
		break;
	}
	if (!open)
		form_field_close(b);
}

void
form_field(struct buf *b, const struct form *f, const char *name)
{
	draw(b, f, name, 0);
}

void
form_field_open(struct buf *b, const struct form *f, const char *name)
{
	draw(b, f, name, 1);
}

void
form_field_close(struct buf *b)
{
	buf_puts(b, "</div>\n");
}

void
form_fields(struct buf *b, const struct form *f, const char *first,
    const char *last)
{
	int	i, j;

	if ((i = form_index(f, first)) == -1 || (j = form_index(f, last)) == -1)
		return;
	for (; i <= j; i++)
		form_field(b, f, f->fields[i].name);
}

/* A token we could have issued: 64 lower-case hex digits. */
static int
csrf_wellformed(const char *c)
{
	size_t	i;

	if (strlen(c) != CSRF_HEX)
		return (0);
	for (i = 0; i < CSRF_HEX; i++)
		if (!((c[i] >= '0' && c[i] <= '9') ||
		    (c[i] >= 'a' && c[i] <= 'f')))
			return (0);
	return (1);
}

/*
 * The browser's token, or the one this response is issuing: the first
 * well-formed cookie of that name, so that a stale malformed one the
 * browser still sends does not hide the token set on this page.
 */
static const char *
csrf_cookie(const struct http_request *req)
{
	size_t	i;

	for (i = 0; i < req->cookies.n; i++)
		if (strcmp(req->cookies.v[i].key, FORM_CSRF_COOKIE) == 0 &&
		    csrf_wellformed(req->cookies.v[i].value))
			return (req->cookies.v[i].value);
	return (NULL);
}

void
form_csrf_input(struct buf *b, struct http_request *req)
{
	unsigned char	 raw[CSRF_HEX / 2];
	char		 tok[CSRF_HEX + 1], hdr[192];
	const char	*c;

	if (req->csrf_session[0] != '\0')
		str_copy(tok, sizeof(tok), req->csrf_session);
	else if ((c = csrf_cookie(req)) != NULL)
		str_copy(tok, sizeof(tok), c);
	else {
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(tok, sizeof(tok), raw, sizeof(raw));
		/* Lax: a link from an e-mail (the edit link) must still
		 * carry it; the POST itself is what the token protects. */
		snprintf(hdr, sizeof(hdr), "%s=%s; Path=/; HttpOnly; "
		    "SameSite=Lax%s", FORM_CSRF_COOKIE, tok,
		    strncmp(config.public_url, "https://", 8) == 0 ?
		    "; Secure" : "");
		http_header_add(req, "Set-Cookie", hdr);
		/* Every other form on this page must carry the same token:
		 * a browser keeps only the last of several cookies. */
		http_kv_add(&req->cookies, FORM_CSRF_COOKIE, tok);
	}
	buf_puts(b, "<input type=\"hidden\" name=\"" FORM_CSRF_FIELD
	    "\" value=\"");
	buf_puts(b, tok);
	buf_puts(b, "\">");
}

int
form_csrf_ok(const struct http_request *req)
{
	const char	*c = csrf_cookie(req);
	const char	*f = http_kv_get(&req->form, FORM_CSRF_FIELD);

	/*
	 * Signed in: only the session's own token.  A cookie another page
	 * of the same site could have planted is not enough there.
	 */
	if (req->csrf_session[0] != '\0')
		c = req->csrf_session;
	if (c == NULL || f == NULL || strlen(f) != CSRF_HEX ||
	    strlen(c) != CSRF_HEX)
		return (0);
	return (sodium_memcmp(c, f, CSRF_HEX) == 0);
}
