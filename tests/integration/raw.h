/*
 * Integration helpers below HTTP: raw sockets (for bytes libcurl will not
 * send), a second server of a test's own with its own settings, and
 * signals to every process of the test cluster (SIGSTOP is what a stuck
 * disk or a network partition looks like from the server).  Header-only
 * like harness.h, which must be included first.
 */
#ifndef RAW_H
#define RAW_H

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>

HARNESS_HELPER double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

HARNESS_HELPER int
server_port(void)
{
	const char	*u = test_url(), *p;

	if ((p = strrchr(u, ':')) == NULL || atoi(p + 1) <= 0)
		fail_msg("cannot find the port in %s", u);
	return (atoi(p + 1));
}

HARNESS_HELPER int
raw_connect_to(int port, int timeout_secs)
{
	struct sockaddr_in	sin;
	struct timeval		tv;
	int			fd;

	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		fail_msg("connect: %s", strerror(errno));
	tv.tv_sec = timeout_secs;
	tv.tv_usec = 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return (fd);
}

HARNESS_HELPER int
raw_connect(int timeout_secs)
{
	return (raw_connect_to(server_port(), timeout_secs));
}

HARNESS_HELPER int
send_all(int fd, const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) <= 0)
			return (-1);
		p += w;
		n -= (size_t)w;
	}
	return (0);
}

/*
 * Read until the end of the headers (or EOF): returns the status code,
 * 0 on EOF before any answer, -1 on error or timeout.
 */
HARNESS_HELPER int
read_status(int fd, char *out, size_t outlen)
{
	size_t	n = 0;
	ssize_t	r;
	int	status;

	out[0] = '\0';
	while (n < outlen - 1) {
		if ((r = recv(fd, out + n, outlen - 1 - n, 0)) < 0)
			return (-1);
		if (r == 0)
			break;
		n += (size_t)r;
		out[n] = '\0';
		if (strstr(out, "\r\n\r\n") != NULL)
			break;
	}
	if (n == 0)
		return (0);
	if (sscanf(out, "HTTP/1.%*d %d", &status) != 1)
		return (-1);
	return (status);
}

/*
 * Read everything until the server closes: the bytes read (out is NUL
 * terminated, the rest dropped), or -1 when it is still open after the
 * socket's receive timeout.
 */
HARNESS_HELPER ssize_t
read_to_eof(int fd, char *out, size_t outlen)
{
	char	tmp[4096];
	size_t	n = 0, k;
	ssize_t	r;

	out[0] = '\0';
	for (;;) {
		if ((r = recv(fd, tmp, sizeof(tmp), 0)) < 0)
			return (-1);
		if (r == 0)
			return ((ssize_t)n);
		k = (size_t)r;
		if (k > outlen - 1 - n)
			k = outlen - 1 - n;
		memcpy(out + n, tmp, k);
		n += k;
		out[n] = '\0';
	}
}

/* The test cluster's postmaster, from its postmaster.pid. */
HARNESS_HELPER pid_t
pg_postmaster_pid(void)
{
	const char	*dir = getenv("SIGNPOST_TEST_PGDIR");
	char		 path[1024], line[64];
	FILE		*f;
	long		 pid = -1;

	if (dir == NULL)
		fail_msg("SIGNPOST_TEST_PGDIR is not set (scripts/"
		    "run-integration sets it)");
	snprintf(path, sizeof(path), "%s/data/postmaster.pid", dir);
	if ((f = fopen(path, "r")) == NULL)
		fail_msg("%s: %s", path, strerror(errno));
	if (fgets(line, sizeof(line), f) != NULL)
		pid = strtol(line, NULL, 10);
	fclose(f);
	if (pid <= 1)
		fail_msg("%s: no postmaster PID", path);
	return ((pid_t)pid);
}

/*
 * sig to the postmaster pm, then to every process whose parent it is (the
 * backends and auxiliary processes); how many children got it, or -1.
 * Stopping the postmaster first means no new child appears behind our
 * back.  No cmocka asserts: a forked guard process calls it.
 */
HARNESS_HELPER int
pg_signal_tree(pid_t pm, int sig)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[300], line[512], *p;
	FILE		*f;
	long		 ppid;
	int		 n = 0;

	if (kill(pm, sig) == -1 || (d = opendir("/proc")) == NULL)
		return (-1);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		/* "pid (comm) state ppid ...": comm may hold spaces. */
		if (fgets(line, sizeof(line), f) != NULL &&
		    (p = strrchr(line, ')')) != NULL &&
		    sscanf(p + 1, " %*c %ld", &ppid) == 1 && ppid == pm &&
		    kill((pid_t)strtol(e->d_name, NULL, 10), sig) == 0)
			n++;
		fclose(f);
	}
	closedir(d);
	return (n);
}

/* Every process of the test cluster: how many children got sig. */
HARNESS_HELPER int
pg_signal(int sig)
{
	return (pg_signal_tree(pg_postmaster_pid(), sig));
}

/*
 * A second server of the test's own, with settings of its own given as
 * "NAME=value" strings (SIGNPOST_PORT=0 is implied), so that the shared
 * server keeps its ordinary limits for every other test.
 */
struct own_server {
	pid_t	pid;
	int	port;
	int	idle_fd;	/* left open for the shutdown to deal with */
	char	log[64];
};

HARNESS_HELPER int
own_server_start(struct own_server *o, const char *const *env)
{
	const char	*bin = getenv("SIGNPOST_TEST_BIN");
	char		 line[1024], name[128];
	const char	*p, *eq;
	FILE		*f;
	double		 t0;
	size_t		 i, n;
	int		 fd;

	memset(o, 0, sizeof(*o));
	o->idle_fd = -1;
	if (bin == NULL) {
		fprintf(stderr, "SIGNPOST_TEST_BIN is not set\n");
		return (-1);
	}
	snprintf(o->log, sizeof(o->log), "/tmp/signpost-own-srv.XXXXXX");
	if ((fd = mkstemp(o->log)) == -1)
		return (-1);
	if ((o->pid = fork()) == -1)
		return (-1);
	if (o->pid == 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		setenv("SIGNPOST_PORT", "0", 1);
		for (i = 0; env != NULL && env[i] != NULL; i++) {
			if ((eq = strchr(env[i], '=')) == NULL ||
			    (n = (size_t)(eq - env[i])) >= sizeof(name))
				_exit(126);
			memcpy(name, env[i], n);
			name[n] = '\0';
			setenv(name, eq + 1, 1);
		}
		execl(bin, bin, "serve", (char *)NULL);
		_exit(127);
	}
	close(fd);
	/* It logs the port it bound. */
	for (t0 = now(); o->port == 0 && now() - t0 < 20; usleep(50000)) {
		if ((f = fopen(o->log, "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL)
			if ((p = strstr(line, "running at http://")) != NULL &&
			    (p = strchr(p + 18, ':')) != NULL)
				o->port = atoi(p + 1);
		fclose(f);
	}
	if (o->port <= 0) {
		fprintf(stderr, "the second server did not start (%s)\n",
		    o->log);
		return (-1);
	}
	return (0);
}

/* Stop it: it must exit 0 on SIGTERM with no sanitizer report. */
HARNESS_HELPER int
own_server_stop(struct own_server *o)
{
	char	 line[1024];
	FILE	*f;
	double	 t0;
	pid_t	 w = 0;
	int	 status = 0, bad = 0;

	if (o->pid > 0) {
		kill(o->pid, SIGTERM);
		for (t0 = now(); now() - t0 < 20; usleep(50000))
			if ((w = waitpid(o->pid, &status, WNOHANG)) != 0)
				break;
		if (w == 0) {
			kill(o->pid, SIGKILL);
			waitpid(o->pid, &status, 0);
			fprintf(stderr, "the second server ignored SIGTERM\n");
			bad = 1;
		} else if (now() - t0 > 5) {
			fprintf(stderr, "the second server took %.1f s to "
			    "stop\n", now() - t0);
			bad = 1;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "the second server exited with status "
			    "%d\n", status);
			bad = 1;
		}
	}
	if ((f = fopen(o->log, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strstr(line, "ERROR: AddressSanitizer") != NULL ||
			    strstr(line, "ERROR: LeakSanitizer") != NULL ||
			    strstr(line, "runtime error:") != NULL)
				bad = 1;
			if (bad)
				fputs(line, stderr);
		}
		fclose(f);
	}
	if (o->idle_fd != -1)
		close(o->idle_fd);
	unlink(o->log);
	memset(o, 0, sizeof(*o));
	return (bad ? -1 : 0);
}

#endif
