/*
 * migrate: applies the numbered files in sql/ that the database has not
 * seen, each in its own transaction, recorded in schema_migrations.
 * Safe to run again and from two processes at once (advisory lock).
 */
#ifndef MIGRATE_H
#define MIGRATE_H

#include <stddef.h>

void	migrate_init(void);
/* 0, or -1 with the file and the reason in err.  *applied counts. */
int	migrate_run(const char *, int *, char *, size_t);

#endif
