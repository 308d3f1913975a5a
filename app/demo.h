/*
 * demo: `signpost load-demo`, the demonstration directory a new user sees
 * (sql/demo/): sample services at real Glasgow and West Dunbartonshire
 * venues, every row is_demo.  One transaction; real listings are never
 * touched.  Command-line use only (prints to stdout), not thread-safe.
 */
#ifndef DEMO_H
#define DEMO_H

void	demo_init(void);
/*
 * Load sql/demo/ under the project root.  With if_empty, do nothing
 * when the directory already has a service.  Returns the exit status.
 */
int	demo_main(const char *root, int if_empty);

#endif
