/*
 * page_login: /admin/login (the form and the sign-in), /admin/logout and
 * /admin/whoami.  Where a sign-in may lead (next=) is decided here: only
 * a page of ours under /admin.
 */
#ifndef PAGE_LOGIN_H
#define PAGE_LOGIN_H

struct http_request;

void	page_admin_login_form(struct http_request *);
void	page_admin_login_post(struct http_request *);
void	page_admin_logout(struct http_request *);
/* Who is signed in, with a sign-out button. */
void	page_admin_whoami(struct http_request *);

#endif
