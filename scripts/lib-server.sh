# lib-server.sh: sourced by scripts/run-integration and scripts/run-oruk.
# A throw-away PostgreSQL cluster and the real server on a free port, both
# stopped by PID in srv_cleanup.  The caller sets $work (a fresh directory)
# and $bin (the signpost binary) and defines fail_setup MESSAGE.
# After srv_start_db: DATABASE_URL.  After srv_start: $server_pid, $port.

server_pid=
port=
# A low account ceiling, so that test_auth reaches it in a few guesses;
# the test reads the same variable.
export SIGNPOST_LOGIN_MAX_FAILURES_PER_ACCOUNT=${SIGNPOST_LOGIN_MAX_FAILURES_PER_ACCOUNT:-8}

srv_cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$server_pid" 2>/dev/null || true
	fi
	scripts/pg destroy "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}

# The cluster, migrations, postcodes and (when the binary has it) the demo.
srv_start_db() {
	SIGNPOST_PG_FAST=1 scripts/pg start "$work/pg" >/dev/null ||
		fail_setup "PostgreSQL did not start"
	export DATABASE_URL
	DATABASE_URL=$(scripts/pg url "$work/pg")
	SIGNPOST_DEMO=${SIGNPOST_TEST_DEMO:-1} scripts/setup-db "$bin" \
	    >"$work/setup.log" 2>&1 ||
		{ cat "$work/setup.log" >&2; fail_setup "migrate/import failed"; }
}

# The server on a free port (it logs the port it bound); 0 or 1.
# SIGNPOST_TEST_READ_URL=same: the server reads through a second, read-only
# connection to the same database (database_read_url), so that every test
# also checks that no write is sent down the read path.
srv_start() {
	local read_url=
	[ "${SIGNPOST_TEST_READ_URL:-}" = same ] && read_url=$DATABASE_URL
	: >"$work/server.log"
	SIGNPOST_DATABASE_READ_URL=$read_url \
	SIGNPOST_PORT=0 SIGNPOST_WORKERS=4 \
	    SIGNPOST_CONTACT_EMAIL=directory@signpost.example.org \
	    "$bin" serve >>"$work/server.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 100); do
		port=$(sed -n 's|.*running at http://[^:]*:\([0-9]*\)/.*|\1|p' "$work/server.log" | head -n 1)
		[ -n "$port" ] && return 0
		kill -0 "$server_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
