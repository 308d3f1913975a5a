/*
 * config: conf/signpost.conf ("key = value" lines) overlaid by environment
 * variables (SIGNPOST_<KEY>, and DATABASE_URL).  Loaded once at start-up;
 * read-only afterwards, so any thread may read the global without locks.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>

struct config {
	char		listen_address[64];
	int		port;
	int		workers;
	char		database_url[1024];
	int		database_timeout;	/* ms; 0: none */
	char		database_read_url[1024];	/* empty: none */
	int		database_read_after_write;	/* s */
	int		database_read_check_ms;
	char		crs[32];
	char		proj_grid_dir[1024];
	char		user[64];
	size_t		max_body_bytes;
	size_t		max_uri_bytes;
	size_t		max_header_bytes;
	int		connection_timeout;
	int		max_connections;
	int		max_connections_per_ip;
	int		max_waiting_per_worker;
	int		access_log;
	char		public_url[256];
	char		tile_url[512];
	char		tile_attribution[512];
	int		review_months;
	int		reminder_months_first;	/* after last checked */
	int		reminder_months_second;
	int		session_idle_minutes;
	int		session_max_hours;
	int		login_max_failures;	/* per IP */
	int		login_max_failures_per_account;
	int		login_window_minutes;
	int		submissions_per_hour;	/* per IP */
	char		smtp_url[512];		/* empty: reminders wait */
	char		smtp_user[128];
	char		smtp_password[256];
	char		smtp_from[256];
	char		contact_email[256];	/* shown to the public */
};

extern struct config config;

void	config_defaults(struct config *);
/* 0, or -1 with a message naming the file, line and key in err. */
int	config_load_file(struct config *, const char *, char *, size_t);
int	config_load_env(struct config *, char *, size_t);
int	config_set(struct config *, const char *, const char *, char *, size_t);

#endif
