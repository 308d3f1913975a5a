/*
 * Embedded static assets.  The ETag is a BLAKE2b hash of the content, so
 * it changes exactly when the bytes do; the same hash versions the URLs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "asset.h"
#include "buf.h"

struct asset_meta {
	char	etag[40];	/* quoted, 32 hex digits */
	char	url[512];
};

static struct asset_meta	*meta;

int
asset_init(void)
{
	unsigned char	 h[16];
	char		 hex[33];
	size_t		 i;

	if (sodium_init() < 0)
		return (-1);
	if ((meta = calloc(asset_nfiles ? asset_nfiles : 1,
	    sizeof(*meta))) == NULL)
		return (-1);
	for (i = 0; i < asset_nfiles; i++) {
		crypto_generichash(h, sizeof(h), asset_files[i].data,
		    asset_files[i].len, NULL, 0);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		snprintf(meta[i].etag, sizeof(meta[i].etag), "\"%s\"", hex);
		snprintf(meta[i].url, sizeof(meta[i].url), "%s?v=%.12s",
		    asset_files[i].path, hex);
	}
	return (0);
}

static ssize_t
asset_index(const char *path)
{
	size_t	i;

	for (i = 0; i < asset_nfiles; i++)
		if (strcmp(asset_files[i].path, path) == 0)
			return ((ssize_t)i);
	return (-1);
}

const struct asset_file *
asset_find(const char *path)
{
	ssize_t	i;

	return ((i = asset_index(path)) == -1 ? NULL : &asset_files[i]);
}

const char *
asset_url(const char *path)
{
	ssize_t	i;

	if (meta == NULL || (i = asset_index(path)) == -1)
		return (path);
	return (meta[i].url);
}

const char *
asset_content_type(const char *path)
{
	static const struct {
		const char	*ext;
		const char	*type;
	} types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".mjs", "text/javascript; charset=utf-8" },
		{ ".png", "image/png" },
		{ ".svg", "image/svg+xml" },
		{ ".ico", "image/x-icon" },
		{ ".json", "application/json" },
		{ ".txt", "text/plain; charset=utf-8" },
		{ ".woff2", "font/woff2" },
	};
	const char	*dot;
	size_t		 i;

	if ((dot = strrchr(path, '.')) != NULL)
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(dot, types[i].ext) == 0)
				return (types[i].type);
	return ("application/octet-stream");
}

const struct asset_file *
asset_lookup(const char *path, const char **etag)
{
	ssize_t	i;

	if (meta == NULL || (i = asset_index(path)) == -1)
		return (NULL);
	*etag = meta[i].etag;
	return (&asset_files[i]);
}
