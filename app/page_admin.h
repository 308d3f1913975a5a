/*
 * page_admin: the moderators' pages.  The queue (new listings, updates and
 * problem reports, oldest first), an item with its preview, diff and
 * possible duplicates, approve / reject / edit, problem reports, and a
 * listing's history with restore.  Every route needs a session (LOGIN) and
 * every POST the CSRF token; two moderators acting on one item are told
 * apart by the item's version, so one wins and the other is told.
 * Thread-safe: no state beyond the request.
 */
#ifndef PAGE_ADMIN_H
#define PAGE_ADMIN_H

struct http_request;

void	page_admin_init(void);

void	page_admin_queue(struct http_request *);
void	page_admin_item(struct http_request *);
void	page_admin_approve(struct http_request *);
void	page_admin_reject(struct http_request *);
void	page_admin_edit_form(struct http_request *);
void	page_admin_edit_post(struct http_request *);
void	page_admin_report(struct http_request *);
void	page_admin_report_resolve(struct http_request *);
void	page_admin_service_edit_form(struct http_request *);
void	page_admin_service_edit_post(struct http_request *);
void	page_admin_service_unpublish(struct http_request *);
void	page_admin_history(struct http_request *);
void	page_admin_restore_confirm(struct http_request *);
void	page_admin_restore(struct http_request *);

#endif
