/*
 * form: the one way a page reads, checks and draws a form.  A page
 * describes its fields in a table (name, kind, limits, choices, an extra
 * validator); form_read takes the values from the body on POST and the
 * query on GET, normalises them and records an error code per field;
 * form_field and form_summary draw every field and the error summary the
 * same way on every page.  The CSRF token is issued (form_csrf_input) and
 * checked (form_csrf_ok, called by the router for every POST route) here.
 * A struct form belongs to one request; form_free releases its copies.
 */
#ifndef FORM_H
#define FORM_H

#include <stddef.h>

#include "buf.h"

struct http_request;

enum form_kind {
	FORM_TEXT,		/* one line */
	FORM_TEXTAREA,		/* several lines, leading newline kept */
	FORM_EMAIL,
	FORM_URL,		/* http:// or https:// */
	FORM_PHONE,		/* normalised to digits and single spaces */
	FORM_POSTCODE,		/* normalised: "G12 8QQ" */
	FORM_INT,		/* min..max */
	FORM_DECIMAL,		/* min..max, up to 2 decimals */
	FORM_TIME,		/* "HH:MM", 24-hour */
	FORM_DATE,		/* "YYYY-MM-DD" */
	FORM_RADIO,		/* one of choices */
	FORM_SELECT,		/* one of choices, drawn as <select> */
	FORM_CHECKBOX,		/* "yes" or absent */
	FORM_CHECKBOXES,	/* any of choices, value is "a,b,c" */
	FORM_HIDDEN,
	FORM_PASSWORD,		/* kept as typed (no trim), never drawn back */
	FORM_FILE		/* an uploaded file's text, kept as sent (the
				   <form> is multipart), never drawn back */
};

enum form_error {
	FORM_OK,
	FORM_E_REQUIRED,	/* empty and required */
	FORM_E_TOO_LONG,	/* more than max characters */
	FORM_E_NOT_TEXT,	/* not UTF-8, or control characters */
	FORM_E_FORMAT,		/* not an email, URL, number, time ... */
	FORM_E_RANGE,		/* a number outside min..max */
	FORM_E_CHOICE,		/* not one of the choices */
	FORM_E_INVALID		/* the field's validator or the page said no */
};

struct form_choice {
	const char	*value;
	const char	*label;
};

struct form;

struct form_field {
	const char			*name;	/* also the control's id */
	const char			*label;
	const char			*hint;	/* HTML, may be NULL */
	enum form_kind			 kind;
	int				 required;
	size_t				 max;	/* characters; 0: kind's default */
	long long			 min_value, max_value;
	const struct form_choice	*choices;	/* ends with {NULL} */
	/* Says what to type, for FORM_E_REQUIRED ("Enter the group's name"). */
	const char			*required_msg;
	/* For FORM_E_FORMAT and FORM_E_RANGE ("Enter a time like 14:30"). */
	const char			*format_msg;
	/* Extra check on a present, well-formed value: NULL or a message. */
	const char			*(*validate)(const char *);
	const char			*autocomplete;
	/*
	 * What the kind does not settle; zero or NULL: the kind's own.
	 * no_optional: no " (optional)" after the label, for a field the
	 * page requires in its own way or whose empty value is an answer.
	 * anchor: the id the summary links to; a radio or checkbox set puts
	 * it on its fieldset, other kinds leave it to the page (a field
	 * with no control of its own links to the form).
	 */
	int				 no_optional;
	const char			*anchor;
	const char			*wrap_class;	/* not "field" */
	const char			*control_class;	/* the whole class */
	const char			*input_type;	/* "search" */
	const char			*inputmode;	/* "numeric" */
	/* FORM_SELECT: the empty option's text ("Any day"). */
	const char			*empty_label;
	/* FORM_SELECT: one a choice; not NULL starts an <optgroup> of that
	 * label, which runs to the next. */
	const char *const		*groups;
	/* The value when none is sent; a select then has no empty option. */
	const char			*default_value;
	/*
	 * FORM_CHECKBOX: what a ticked box sends instead of "yes".  Such a
	 * box also reads 1, true, on, yes and 0, false, off, no, since
	 * links to it may be written by hand.
	 */
	const char			*on_value;
	/* FORM_POSTCODE: a sector ("G12 8") or district ("G12") will do. */
	int				 any_postcode;
	/* Checkbox and radio sets: ids name-1, name-2 for values that
	 * cannot be ids (they have spaces). */
	int				 numbered;
};

#define FORM_MAX_FIELDS	160

struct form {
	const struct form_field	*fields;
	size_t			 n;
	const char		*value[FORM_MAX_FIELDS];	/* normalised */
	const char		*raw[FORM_MAX_FIELDS];	/* as sent, to show back */
	enum form_error		 err[FORM_MAX_FIELDS];
	const char		*msg[FORM_MAX_FIELDS];
	/* Not about one field ("this form has expired"); may be NULL. */
	const char		*form_msg;
	size_t			 nerr;
	struct buf		 store;	/* backs value[] and msg[] copies */
	char			*copies[FORM_MAX_FIELDS * 2];
	size_t			 ncopies;
};

void	form_init(struct form *, const struct form_field *, size_t);
void	form_free(struct form *);
/* Read every field and check it; returns the number of errors. */
size_t	form_read(struct form *, struct http_request *);
/* Fill from stored values (an edit page): name, value pairs. */
int	form_set(struct form *, const char *, const char *);
/* The normalised value, or NULL when empty or in error. */
const char *form_value(const struct form *, const char *);
/* 1 when a checkbox, or one choice of a checkbox set, is on. */
int	form_checked(const struct form *, const char *, const char *);
/* Record an error the page found (a message is required). */
void	form_error(struct form *, const char *, const char *);
int	form_has_error(const struct form *, const char *);
/* The message people see for a field's error, or NULL. */
const char *form_message(const struct form *, size_t);
int	form_index(const struct form *, const char *);

/* "There is a problem" with a link to each field in error; nothing if none. */
void	form_summary(struct buf *, const struct form *);
/* Label, hint, error and control of one field, with its value kept. */
void	form_field(struct buf *, const struct form *, const char *);
/* The same, with the field's <div> left open for the page to add to
 * (a button by the control); form_field_close ends it. */
void	form_field_open(struct buf *, const struct form *, const char *);
void	form_field_close(struct buf *);
/* Every field from first to last (inclusive), in table order. */
void	form_fields(struct buf *, const struct form *, const char *,
	    const char *);

/*
 * CSRF.  On a signed-in page (req->csrf_session, set by the router on
 * LOGIN routes) the token is the session's own; elsewhere a
 * double-submit token: form_csrf_input writes the hidden input (and sets
 * the cookie if the browser has none).  form_csrf_ok compares the body's
 * token with the one that applies, in constant time.
 */
#define FORM_CSRF_FIELD		"csrf"
#define FORM_CSRF_COOKIE	"signpost_csrf"
void	form_csrf_input(struct buf *, struct http_request *);
int	form_csrf_ok(const struct http_request *);

/* Characters (not bytes) in UTF-8 text. */
size_t	form_utf8_chars(const char *);
/* The loose email shape sql/003's valid_email() checks. */
int	form_email_ok(const char *);

#endif
