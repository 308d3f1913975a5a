/*
 * Configuration: one table of keys, so the file parser, the environment
 * overlay and the error messages cannot disagree about what exists.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"

struct config	config;

enum ctype { C_STR, C_INT, C_SIZE, C_BOOL };

struct ckey {
	const char	*name;
	enum ctype	 type;
	size_t		 off;
	size_t		 len;		/* C_STR: buffer size */
	long long	 min, max;
};

#define S(f)	#f, C_STR, offsetof(struct config, f), \
		sizeof(((struct config *)0)->f), 0, 0
#define I(f, lo, hi)	#f, C_INT, offsetof(struct config, f), 0, lo, hi
#define Z(f, lo, hi)	#f, C_SIZE, offsetof(struct config, f), 0, lo, hi
#define B(f)	#f, C_BOOL, offsetof(struct config, f), 0, 0, 1

static const struct ckey keys[] = {
	{ S(listen_address) },
	{ I(port, 0, 65535) },
	{ I(workers, 1, 256) },
	{ S(database_url) },
	{ I(database_timeout, 0, 600000) },
	{ S(database_read_url) },
	{ I(database_read_after_write, 1, 3600) },
	{ I(database_read_check_ms, 50, 60000) },
	{ S(crs) },
	{ S(proj_grid_dir) },
	{ S(user) },
	{ Z(max_body_bytes, 1024, 1LL << 30) },
	{ Z(max_uri_bytes, 64, 65536) },
	{ Z(max_header_bytes, 1024, 1 << 20) },
	{ I(connection_timeout, 1, 3600) },
	{ I(max_connections, 1, 100000) },
	{ I(max_connections_per_ip, 1, 100000) },
	{ I(max_waiting_per_worker, 0, 1000) },
	{ B(access_log) },
	{ S(public_url) },
	{ S(tile_url) },
	{ S(tile_attribution) },
	{ I(review_months, 1, 120) },
	{ I(reminder_months_first, 1, 120) },
	{ I(reminder_months_second, 1, 120) },
	{ I(session_idle_minutes, 1, 10080) },
	{ I(session_max_hours, 1, 720) },
	{ I(login_max_failures, 1, 1000) },
	{ I(login_max_failures_per_account, 1, 100000) },
	{ I(login_window_minutes, 1, 1440) },
	{ I(submissions_per_hour, 1, 100000) },
	{ S(smtp_url) },
	{ S(smtp_user) },
	{ S(smtp_password) },
	{ S(smtp_from) },
	{ S(contact_email) },
};

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	str_copy(c->listen_address, sizeof(c->listen_address), "127.0.0.1");
	c->port = 8080;
	c->workers = 4;
	c->database_timeout = 3000;
	c->database_read_after_write = 10;
	c->database_read_check_ms = 500;
	str_copy(c->crs, sizeof(c->crs), "EPSG:27700");
	str_copy(c->proj_grid_dir, sizeof(c->proj_grid_dir), "conf/proj");
	str_copy(c->user, sizeof(c->user), "signpost");
	c->max_body_bytes = 1024 * 1024;
	c->max_uri_bytes = 2048;
	c->max_header_bytes = 8192;
	c->connection_timeout = 30;
	c->max_connections = 1024;
	c->max_connections_per_ip = 64;
	c->max_waiting_per_worker = 1;
	c->access_log = 1;
	str_copy(c->public_url, sizeof(c->public_url), "http://127.0.0.1:8080");
	str_copy(c->tile_url, sizeof(c->tile_url),
	    "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
	str_copy(c->tile_attribution, sizeof(c->tile_attribution),
	    "&copy; OpenStreetMap contributors");
	c->review_months = 12;
	c->reminder_months_first = 10;
	c->reminder_months_second = 11;
	c->session_idle_minutes = 60;
	c->session_max_hours = 12;
	c->login_max_failures = 5;
	c->login_max_failures_per_account = 50;
	c->login_window_minutes = 15;
	c->submissions_per_hour = 10;
	str_copy(c->smtp_from, sizeof(c->smtp_from),
	    "Signpost <noreply@localhost>");
}

int
config_set(struct config *c, const char *key, const char *value, char *err,
    size_t errlen)
{
	const struct ckey	*k;
	long long		 v;
	size_t			 i;
	char			*p;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].name, key) == 0)
			break;
	if (i == sizeof(keys) / sizeof(keys[0])) {
		snprintf(err, errlen, "unknown setting \"%s\"", key);
		return (-1);
	}
	k = &keys[i];
	p = (char *)c + k->off;
	switch (k->type) {
	case C_STR:
		if (str_copy(p, k->len, value) == -1) {
			snprintf(err, errlen, "%s: value longer than %zu bytes",
			    key, k->len - 1);
			return (-1);
		}
		break;
	case C_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "on") == 0 ||
		    strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
			*(int *)p = 1;
		else if (strcmp(value, "no") == 0 ||
		    strcmp(value, "off") == 0 ||
		    strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
			*(int *)p = 0;
		else {
			snprintf(err, errlen,
			    "%s: expected yes or no, got \"%s\"", key, value);
			return (-1);
		}
		break;
	case C_INT:
	case C_SIZE:
		if (str_to_ll(value, k->min, k->max, &v) == -1) {
			snprintf(err, errlen, "%s: expected a whole number "
			    "from %lld to %lld, got \"%s\"", key, k->min,
			    k->max, value);
			return (-1);
		}
		if (k->type == C_INT)
			*(int *)p = (int)v;
		else
			*(size_t *)p = (size_t)v;
		break;
	}
	return (0);
}

int
config_load_file(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE	*f;
	char	 line[2048], msg[512], *key, *value, *eq;
	int	 lineno = 0, rc = -1;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", path,
			    lineno);
			goto out;
		}
		key = str_trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			snprintf(err, errlen, "%s:%d: expected \"key = value\"",
			    path, lineno);
			goto out;
		}
		*eq = '\0';
		value = str_trim(eq + 1);
		str_trim(key);
		if (config_set(c, key, value, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			goto out;
		}
	}
	rc = 0;
out:
	fclose(f);
	return (rc);
}

int
config_load_env(struct config *c, char *err, size_t errlen)
{
	char		 name[96], msg[512];
	const char	*v;
	size_t		 i, j;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(name, sizeof(name), "SIGNPOST_");
		for (j = 0; keys[i].name[j] != '\0' && 9 + j < sizeof(name) - 1;
		    j++)
			name[9 + j] =
			    (char)toupper((unsigned char)keys[i].name[j]);
		name[9 + j] = '\0';
		if ((v = getenv(name)) == NULL)
			continue;
		if (config_set(c, keys[i].name, v, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "environment %s: %s", name, msg);
			return (-1);
		}
	}
	/* The conventional name wins over the file, as users expect. */
	if ((v = getenv("DATABASE_URL")) != NULL && *v != '\0' &&
	    config_set(c, "database_url", v, msg, sizeof(msg)) == -1) {
		snprintf(err, errlen, "environment DATABASE_URL: %s", msg);
		return (-1);
	}
	return (0);
}
