/*
 * app: the start-up every request handler relies on, shared by main.c and
 * the request fuzzer so that neither can drift from the other: each
 * module's prepared statements registered, PROJ checked and logged.
 * Start-up only, on one thread, after the configuration is loaded.
 */
#ifndef APP_H
#define APP_H

#include <stddef.h>

/* Every module's named statements; no connection is made here. */
void	app_register_statements(void);
/*
 * geo_init() with config's CRS and grid directory, and the log lines
 * that say which transformation runs: 0, or -1 with the reason in err.
 */
int	app_init_geo(char *, size_t);

#endif
