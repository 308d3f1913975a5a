/*
 * Start-up: subcommands, configuration, signals and privilege drop.  The
 * only place where fatal() is fine: nothing is being served yet.
 */
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "asset.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "demo.h"
#include "geo.h"
#include "outbox.h"
#include "http.h"
#include "http_server.h"
#include "log.h"
#include "migrate.h"
#include "export_csv.h"
#include "import.h"
#include "import_aliss.h"
#include "import_csv.h"
#include "import_oruk.h"
#include "import_postcodes.h"
#include "import_practices.h"
#include "remind.h"
#include "route.h"

#define SIGNPOST_VERSION	"0.1.0"

static char	root[PATH_MAX];

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: signpost [-c file] command [arguments]\n"
	    "\n"
	    "commands:\n"
	    "  serve                   serve HTTP (see conf/signpost.conf)\n"
	    "  migrate                 apply the database migrations in sql/\n"
	    "  import postcodes FILE   load Code-Point Open CSV "
	    "(.csv or .csv.gz)\n"
	    "  import csv FILE [--dry-run] [--skip-bad] [--source NAME]\n"
	    "  import oruk FILE [--dry-run] [--skip-bad] [--source NAME] "
	    "[--url URL] [--full]\n"
	    "  import oruk URL [--dry-run] [--skip-bad] [--source NAME] "
	    "[--since DATE]\n"
	    "  import aliss FILE|URL [--dry-run] [--skip-bad] [--source NAME] "
	    "[--full]\n"
	    "                          load listings from a spreadsheet in the\n"
	    "                          template's columns, an Open Referral\n"
	    "                          feed or ALISS's API (see the README)\n"
	    "  export csv [FILE]       the published listings in the import\n"
	    "                          template (standard output if no FILE)\n"
	    "  import practices FILE   load or update GP practices: an NHS ODS\n"
	    "                          list (scotprac.csv) or a CSV with the\n"
	    "                          header code,name,address,postcode\n"
	    "  load-demo [--if-empty]  load (or replace) the demo listings in\n"
	    "                          sql/demo/; --if-empty: only into a\n"
	    "                          directory with no services yet\n"
	    "  user add EMAIL --role moderator|admin\n"
	    "                          add an account; the password is asked\n"
	    "                          twice, or read as one line of stdin\n"
	    "  user password EMAIL     set a new password (from the terminal\n"
	    "                          or one line of stdin), end its sessions\n"
	    "                          and lift the account's sign-in throttle\n"
	    "  user disable EMAIL      disable an account, end its sessions\n"
	    "  user list               list the accounts and last sign-ins\n"
	    "  remind                  queue the e-mails that ask listings'\n"
	    "                          contacts to check them, and send the\n"
	    "                          outbox (smtp_url); run it daily\n"
	    "  sql NAME                print the SQL of the named prepared\n"
	    "                          statement (scripts/bench runs it)\n"
	    "  version                 print the version\n"
	    "\n"
	    "options:\n"
	    "  -c file                 configuration file (default "
	    "conf/signpost.conf)\n"
	    "\n"
	    "Settings can be overridden with SIGNPOST_<KEY> environment\n"
	    "variables and the database with DATABASE_URL.\n");
}

/* Paths in the configuration are relative to the project root. */
static void
resolve(char *path, size_t len)
{
	char	tmp[PATH_MAX];

	if (path[0] == '/' || path[0] == '\0')
		return;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%s", root, path) >= len)
		fatal("path too long: %s/%s", root, path);
	str_copy(path, len, tmp);
}

static void
load_config(const char *file)
{
	char	 err[1024], path[PATH_MAX];
	const char *r;

	if ((r = getenv("SIGNPOST_ROOT")) != NULL && *r != '\0') {
		if (str_copy(root, sizeof(root), r) == -1)
			fatal("SIGNPOST_ROOT too long");
	} else if (getcwd(root, sizeof(root)) == NULL)
		fatal("getcwd: %s", strerror(errno));
	config_defaults(&config);
	if (file == NULL) {
		if ((size_t)snprintf(path, sizeof(path),
		    "%s/conf/signpost.conf", root) >= sizeof(path))
			fatal("project path too long: %s", root);
		file = path;
	}
	if (config_load_file(&config, file, err, sizeof(err)) == -1 ||
	    config_load_env(&config, err, sizeof(err)) == -1)
		fatal("configuration: %s", err);
	resolve(config.proj_grid_dir, sizeof(config.proj_grid_dir));
}

static void
need_database(void)
{
	if (config.database_url[0] == '\0')
		fatal("no database configured: set database_url in "
		    "conf/signpost.conf or DATABASE_URL (\"make run\" does "
		    "this for the local cluster)");
	db_setup(config.database_url);
	app_register_statements();
}

static void
init_geo(void)
{
	char	err[512];

	if (app_init_geo(err, sizeof(err)) == -1)
		fatal("geography: %s", err);
}

static void
drop_privileges(void)
{
	struct passwd	*pw;

	if (geteuid() != 0)
		return;
	if ((pw = getpwnam(config.user)) == NULL)
		fatal("running as root, and user \"%s\" (config \"user\") "
		    "does not exist to switch to", config.user);
	if (setgroups(1, &pw->pw_gid) == -1 || setgid(pw->pw_gid) == -1 ||
	    setuid(pw->pw_uid) == -1)
		fatal("cannot switch to user %s: %s", config.user,
		    strerror(errno));
	if (setuid(0) != -1)
		fatal("privileges could be regained after dropping them");
	log_info("running as user %s", config.user);
}

/*
 * Sectors from postcodes loaded before sql/010 get their latitude and
 * longitude here, through PROJ, which SQL cannot call.
 */
static int
fill_latlon(void)
{
	char	err[512];
	int	n;

	if ((n = import_postcodes_fill_latlon(err, sizeof(err))) == -1) {
		log_warn("postcodes: cannot give sectors their latitude and "
		    "longitude: %s", err);
		return (-1);
	}
	if (n > 0)
		log_info("postcodes: %d sectors given latitude and longitude",
		    n);
	return (0);
}

static int
cmd_serve(void)
{
	const struct http_app	 app = { route_dispatch, route_early_error,
				    route_where };
	struct http_server	*srv;
	sigset_t		 set;
	char			 err[512];
	int			 sig;

	need_database();
	/* Only serving reads from standbys: commands read what they wrote. */
	db_setup_read(config.database_read_url);
	/* Only serving has a deadline: migrations and imports take long. */
	db_set_timeout(config.database_timeout);
	init_geo();
	if (asset_init() == -1)
		fatal("assets: cannot initialise libsodium");
	if (db_ping() != DB_OK)
		log_warn("database not reachable yet (%s); requests get 503 "
		    "until it is", db_errmsg());
	else
		/* In case the migrations were applied by other means. */
		(void)fill_latlon();
	db_close();

	/* Workers inherit this mask, so only sigwait below sees these. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (http_server_start(&srv, &app, err, sizeof(err)) == -1)
		fatal("%s", err);
	drop_privileges();
	(void)outbox_start();
	log_info("Signpost %s is running at http://%s:%d/ with %d workers "
	    "(Ctrl-C to stop)", SIGNPOST_VERSION, config.listen_address,
	    http_server_port(srv), config.workers);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP)
			continue;
		break;
	}
	log_info("shutting down: finishing requests in progress");
	http_server_stop(srv);
	outbox_stop();
	geo_thread_close();
	log_info("stopped");
	return (0);
}

static int
cmd_migrate(void)
{
	char	err[1024], dir[PATH_MAX];
	int	applied;

	need_database();
	init_geo();
	if ((size_t)snprintf(dir, sizeof(dir), "%s/sql", root) >= sizeof(dir))
		fatal("project path too long: %s", root);
	if (migrate_run(dir, &applied, err, sizeof(err)) == -1) {
		log_warn("migrate: %s", err);
		return (1);
	}
	if (fill_latlon() == -1)
		return (1);
	log_info("migrate: %d applied, database up to date", applied);
	db_close();
	geo_thread_close();
	return (0);
}

/*
 * `signpost import KIND FILE`: every import by one command.  Each kind
 * reports what it did and exits 1 when nothing was changed.
 */
/*
 * `signpost import csv|oruk FILE [--dry-run] [--skip-bad] [--source NAME]`
 */
static int
cmd_import_listings(const char *kind, int argc, char **argv)
{
	struct import_opts	 o;
	const char		*file = NULL, *since = NULL;
	char			 err[1024];
	int			 i, rc, url, csv = strcmp(kind, "csv") == 0;

	memset(&o, 0, sizeof(o));
	o.source = strcmp(kind, "aliss") == 0 ? "ALISS" : kind;
	for (i = 0; i < argc; i++) {
		if (csv && strcmp(argv[i], "--template") == 0 && argc == 1) {
			const char	*cols[200];
			size_t		 j, n;

			n = import_csv_columns(cols, 200);
			for (j = 0; j < n && j < 200; j++)
				printf("%s%s", j > 0 ? "," : "", cols[j]);
			printf("\n");
			return (0);
		}
		if (strcmp(argv[i], "--dry-run") == 0)
			o.dry_run = 1;
		else if (strcmp(argv[i], "--skip-bad") == 0)
			o.skip_bad = 1;
		else if (!csv && strcmp(argv[i], "--full") == 0)
			o.full = 1;
		else if (!csv && strcmp(argv[i], "--since") == 0 &&
		    i + 1 < argc && argv[i + 1][0] != '\0' &&
		    strlen(argv[i + 1]) <= 40)
			since = argv[++i];
		else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc &&
		    argv[i + 1][0] != '\0' && strlen(argv[i + 1]) <= 200)
			o.source = argv[++i];
		else if (strcmp(argv[i], "--url") == 0 && i + 1 < argc &&
		    (strncmp(argv[i + 1], "https://", 8) == 0 ||
		    strncmp(argv[i + 1], "http://", 7) == 0) &&
		    strlen(argv[i + 1]) <= 2000)
			o.source_url = argv[++i];
		else if (argv[i][0] != '-' && file == NULL)
			file = argv[i];
		else {
			file = NULL;
			break;
		}
	}
	if (file == NULL) {
		fprintf(stderr, "usage: signpost import %s FILE [--dry-run] "
		    "[--skip-bad] [--source NAME] [--url URL]%s\n", kind,
		    csv ? "" : " [--full]\n       signpost import oruk URL "
		    "[--dry-run] [--skip-bad] [--source NAME] [--since DATE]"
		    "\n       signpost import aliss URL [--dry-run] "
		    "[--skip-bad] [--source NAME] [--full]");
		return (2);
	}
	url = strncmp(file, "http://", 7) == 0 ||
	    strncmp(file, "https://", 8) == 0;
	if (url && csv) {
		fprintf(stderr, "signpost: import csv reads a file; save the "
		    "spreadsheet first\n");
		return (2);
	}
	if (since != NULL && !url) {
		fprintf(stderr, "signpost: --since is for a feed's address, "
		    "not a file\n");
		return (2);
	}
	/*
	 * A feed read whole from its address is the whole feed: what it no
	 * longer has is withdrawn.  Only what changed since a date is not;
	 * nor is ALISS's, whose address is as often a search (--full says
	 * it is all of it).
	 */
	if (url && since == NULL && strcmp(kind, "oruk") == 0)
		o.full = 1;
	if (since != NULL && strcmp(kind, "oruk") != 0) {
		fprintf(stderr, "signpost: --since is for an Open Referral "
		    "feed\n");
		return (2);
	}
	if (url && o.source_url == NULL)
		o.source_url = file;
	need_database();
	if ((rc = csv ? import_csv(file, &o, stdout, err, sizeof(err)) :
	    strcmp(kind, "aliss") == 0 ? (url ? import_aliss_url(file, &o,
	    stdout, err, sizeof(err)) : import_aliss(file, &o, stdout, err,
	    sizeof(err))) :
	    url ? import_oruk_url(file, since, &o, stdout, err, sizeof(err)) :
	    import_oruk(file, &o, stdout, err, sizeof(err))) == -1) {
		log_warn("import %s: %s", kind, err);
		rc = 1;
	}
	db_close();
	return (rc);
}

/* `signpost export csv [FILE]`: the listings as import csv reads them. */
static int
cmd_export_csv(const char *file)
{
	struct buf	 out;
	FILE		*f = stdout;
	int		 rc = 1;

	need_database();
	buf_init(&out);
	if (export_csv_services(&out) != DB_OK) {
		log_warn("export csv: %s", db_errmsg());
		goto done;
	}
	if (file != NULL && (f = fopen(file, "w")) == NULL) {
		log_warn("export csv: %s: %s", file, strerror(errno));
		goto done;
	}
	if (fwrite(out.data, 1, out.len, f) != out.len ||
	    (file != NULL && fclose(f) != 0) || (file == NULL &&
	    fflush(f) != 0)) {
		log_warn("export csv: %s: %s", file != NULL ? file :
		    "standard output", strerror(errno));
		goto done;
	}
	rc = 0;
done:
	buf_free(&out);
	db_close();
	return (rc);
}

static int
cmd_import(const char *kind, const char *file)
{
	char	err[1024];
	int	rc = 0;

	need_database();
	if (strcmp(kind, "postcodes") == 0) {
		init_geo();
		if (import_postcodes(file, err, sizeof(err)) == -1) {
			log_warn("import postcodes: %s", err);
			rc = 1;
		}
		geo_thread_close();
	} else if (strcmp(kind, "practices") == 0) {
		if (import_practices(file, stdout, err, sizeof(err)) == -1) {
			log_warn("import practices: %s", err);
			rc = 1;
		}
	} else {
		fprintf(stderr, "signpost: import: unknown kind %s (csv, "
		    "postcodes or practices)\n", kind);
		rc = 2;
	}
	db_close();
	return (rc);
}

int
main(int argc, char *argv[])
{
	const char	*conf = NULL, *cmd, *sql;
	int		 ch;

	/*
	 * Opening times are Scottish wall-clock times: every localtime()
	 * in the process means Europe/London, whatever the host says.
	 */
	setenv("TZ", "Europe/London", 1);
	tzset();
	while ((ch = getopt(argc, argv, "+c:h")) != -1) {
		switch (ch) {
		case 'c':
			conf = optarg;
			break;
		case 'h':
			usage(stdout);
			return (0);
		default:
			usage(stderr);
			return (2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		usage(stderr);
		return (2);
	}
	cmd = argv[0];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return (0);
	}
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return (0);
	}
	if (strcmp(cmd, "version") == 0 && argc == 1) {
		printf("signpost %s\n", SIGNPOST_VERSION);
		return (0);
	}
	if (strcmp(cmd, "serve") == 0 && argc == 1) {
		load_config(conf);
		return (cmd_serve());
	}
	if (strcmp(cmd, "migrate") == 0 && argc == 1) {
		load_config(conf);
		return (cmd_migrate());
	}
	if (strcmp(cmd, "load-demo") == 0 && (argc == 1 || (argc == 2 &&
	    strcmp(argv[1], "--if-empty") == 0))) {
		load_config(conf);
		need_database();
		return (demo_main(root, argc == 2));
	}
	if (strcmp(cmd, "remind") == 0 && argc == 1) {
		load_config(conf);
		need_database();
		return (remind_main());
	}
	if (strcmp(cmd, "sql") == 0 && argc == 2) {
		app_register_statements();
		if ((sql = db_stmt_sql(argv[1])) == NULL) {
			fprintf(stderr, "signpost: no statement named %s\n",
			    argv[1]);
			return (1);
		}
		printf("%s\n", sql);
		return (0);
	}
	if (strcmp(cmd, "user") == 0) {
		load_config(conf);
		need_database();
		return (cmd_user(argc, argv));
	}
	if (strcmp(cmd, "export") == 0 && (argc == 2 || argc == 3) &&
	    strcmp(argv[1], "csv") == 0) {
		load_config(conf);
		return (cmd_export_csv(argc == 3 ? argv[2] : NULL));
	}
	if (strcmp(cmd, "import") == 0 && argc >= 3 &&
	    (strcmp(argv[1], "csv") == 0 || strcmp(argv[1], "oruk") == 0 ||
	    strcmp(argv[1], "aliss") == 0)) {
		load_config(conf);
		return (cmd_import_listings(argv[1], argc - 2, argv + 2));
	}
	if (strcmp(cmd, "import") == 0 && argc == 3) {
		load_config(conf);
		return (cmd_import(argv[1], argv[2]));
	}
	if (strcmp(cmd, "import-postcodes") == 0 && argc == 2) {
		fprintf(stderr, "signpost: import-postcodes is the old name of "
		    "`signpost import postcodes FILE`; it will go\n");
		load_config(conf);
		return (cmd_import("postcodes", argv[1]));
	}
	fprintf(stderr, "signpost: unknown command or wrong arguments: %s\n\n",
	    cmd);
	usage(stderr);
	return (2);
}
