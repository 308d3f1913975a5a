/*
 * The request fuzzers' server: the real http layer, router and handlers
 * with libmicrohttpd parsing every byte, but no listening socket and no
 * worker threads (http_server_start_unbound).  Each input is the byte
 * stream of one client connection, fed over a socketpair; what comes back
 * is checked to be HTTP and never a 500.  The database is a socket that
 * does not exist, so every handler's calls answer DB_UNAVAILABLE at once
 * and the handlers' own parsing and error paths are what runs.
 * Header-only, LLVMFuzzerInitialize included: each target is one program
 * built from its .c file.
 */
#ifndef FUZZ_REQUEST_H
#define FUZZ_REQUEST_H

#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "asset.h"
#include "config.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "route.h"

#define FUZZ_TURNS	200	/* event-loop turns one input may take */
#define FUZZ_IDLE	3	/* turns with no I/O that end an input */

static struct http_server	*fuzz_srv;

static void
fuzz_die(const char *what, const char *err)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, err);
	exit(1);
}

/* Start-up as in cmd_serve, from conf/signpost.conf in the project root. */
static void
fuzz_server_init(void)
{
	static const struct http_app	app = { route_dispatch, route_early_error,
					    route_where };
	char				err[1024];

	config_defaults(&config);
	if (config_load_file(&config, "conf/signpost.conf", err,
	    sizeof(err)) == -1)
		fuzz_die("configuration (run from the project root)", err);
	config.access_log = 0;
	snprintf(config.database_url, sizeof(config.database_url),
	    "host=/nonexistent/signpost-fuzz dbname=signpost");
	log_set_quiet(2);
	signal(SIGPIPE, SIG_IGN);
	db_setup(config.database_url);
	app_register_statements();
	db_set_timeout(config.database_timeout);
	if (app_init_geo(err, sizeof(err)) == -1)
		fuzz_die("geography", err);
	if (asset_init() == -1)
		fuzz_die("assets", "cannot initialise libsodium");
	if (http_server_start_unbound(&fuzz_srv, &app, err, sizeof(err)) == -1)
		fuzz_die("server", err);
}

int	LLVMFuzzerInitialize(int *, char ***);

/* libFuzzer calls this once, before the first input. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_server_init();
	return (0);
}

/*
 * The start of what the server wrote must be a status line, and the
 * status not 500: a 500 means a handler met input it did not expect.
 * Later responses on the connection are left to the sanitizers.
 */
static void
fuzz_check_response(const char *r, size_t n)
{
	int	status;

	if (n < 12)
		return;
	if (memcmp(r, "HTTP/1.", 7) != 0 || r[8] != ' ' ||
	    sscanf(r + 9, "%3d", &status) != 1 || status < 100 ||
	    status > 599) {
		fprintf(stderr, "fuzz: not an HTTP response: %.*s\n",
		    (int)(n < 80 ? n : 80), r);
		abort();
	}
	if (status == 500) {
		fprintf(stderr, "fuzz: 500 response:\n%.*s\n",
		    (int)(n < 2000 ? n : 2000), r);
		abort();
	}
}

/* One client connection that sends data and reads every answer. */
static void
fuzz_connection(const uint8_t *data, size_t size)
{
	char	head[4096], tmp[65536];
	size_t	off = 0, nhead = 0;
	ssize_t	w, r;
	int	sv[2], turn, idle = 0, progress, closed = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	    sv) == -1)
		fuzz_die("socketpair", strerror(errno));
	if (http_server_add_connection(fuzz_srv, sv[1]) == -1)
		fuzz_die("add connection", "libmicrohttpd refused it");
	for (turn = 0; turn < FUZZ_TURNS && idle < FUZZ_IDLE && !closed;
	    turn++) {
		progress = 0;
		if (off < size && (w = send(sv[0], data + off, size - off,
		    MSG_NOSIGNAL)) > 0) {
			off += (size_t)w;
			progress = 1;
		}
		(void)http_server_run(fuzz_srv, 0);
		while ((r = recv(sv[0], tmp, sizeof(tmp), 0)) > 0) {
			if (nhead < sizeof(head)) {
				w = (size_t)r < sizeof(head) - nhead ? r :
				    (ssize_t)(sizeof(head) - nhead);
				memcpy(head + nhead, tmp, (size_t)w);
				nhead += (size_t)w;
			}
			progress = 1;
		}
		if (r == 0)
			closed = 1;
		idle = progress ? 0 : idle + 1;
	}
	fuzz_check_response(head, nhead);
	close(sv[0]);
	/* Our end closed: the server must let go of the connection. */
	for (turn = 0; http_server_connections(fuzz_srv) > 0; turn++) {
		if (turn == FUZZ_TURNS) {
			fprintf(stderr, "fuzz: the server kept a closed "
			    "connection for %d turns\n", FUZZ_TURNS);
			abort();
		}
		(void)http_server_run(fuzz_srv, 0);
	}
}

/*
 * The importers' contract with the listing form: a record whose cells
 * the import's form check passes makes a document that loads back into
 * a form that makes the same document.  (listing.h and form.h are the
 * caller's includes.)
 */
#ifdef LISTING_H
static void
fuzz_listing_round_trip(struct http_request *req)
{
	struct form	 f, g;
	char		*doc, *again;

	listing_form_init_import(&f);
	(void)listing_form_check(&f, req);
	if (f.nerr == 0 && (doc = listing_form_document(&f)) != NULL) {
		listing_form_init_import(&g);
		if (listing_form_load(&g, doc) == -1 ||
		    (again = listing_form_document(&g)) == NULL ||
		    strcmp(again, doc) != 0) {
			fprintf(stderr, "round trip changed the document: %s\n",
			    doc);
			abort();
		}
		free(again);
		form_free(&g);
		free(doc);
	}
	form_free(&f);
}
#endif

#endif
