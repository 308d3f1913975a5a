/*
 * pwhash N: the reference for `scripts/bench login`.  Hashes a password
 * with crypto_pwhash_str at libsodium's INTERACTIVE limits (as app/auth.c
 * stores them), then times N crypto_pwhash_str_verify calls of the right
 * password, and prints "p50_ms p99_ms mean_ms" on one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

static int
cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

int
main(int argc, char *argv[])
{
	static const char	 pw[] = "correct horse battery staple";
	char			 hash[crypto_pwhash_STRBYTES];
	struct timespec		 t0, t1;
	double			*ms, sum = 0;
	long			 n, i;
	char			*end;

	n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || *end != '\0' || n < 1 || n > 100000) {
		fprintf(stderr, "usage: pwhash N\n");
		return (2);
	}
	if (sodium_init() == -1 || crypto_pwhash_str(hash, pw, strlen(pw),
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "pwhash: libsodium failed\n");
		return (1);
	}
	if ((ms = calloc(n, sizeof(*ms))) == NULL)
		return (1);
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) != 0) {
			fprintf(stderr, "pwhash: verify failed\n");
			return (1);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[i] = (t1.tv_sec - t0.tv_sec) * 1e3 +
		    (t1.tv_nsec - t0.tv_nsec) / 1e6;
		sum += ms[i];
	}
	qsort(ms, n, sizeof(*ms), cmp);
	printf("%.3f %.3f %.3f\n", ms[n / 2], ms[(n * 99) / 100 < n ?
	    (n * 99) / 100 : n - 1], sum / n);
	free(ms);
	return (0);
}
