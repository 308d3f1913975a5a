/*
 * asset: static files compiled into the binary, each with a content-hash
 * ETag.  asset_url() gives a versioned URL that may be cached for a year;
 * files.c answers them.  The table is built at start-up (asset_init) and
 * read-only afterwards.
 */
#ifndef ASSET_H
#define ASSET_H

#include <stddef.h>

struct asset_file {
	const char		*path;
	const unsigned char	*data;
	size_t			 len;
};

extern const struct asset_file	asset_files[];
extern const size_t		asset_nfiles;

int	asset_init(void);
/* "/assets/css/site.css?v=<hash>", or the plain path if unknown. */
const char *asset_url(const char *);
/* The embedded bytes of an asset, or NULL. */
const struct asset_file *asset_find(const char *);
/* A file and its quoted ETag, or NULL. */
const struct asset_file *asset_lookup(const char *, const char **);
/* The Content-Type its name says. */
const char *asset_content_type(const char *);

#endif
