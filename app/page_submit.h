/*
 * page_submit: the public side of community listings, with no account:
 * /submit (a new listing, to moderation) and the group's private edit
 * link /edit/{token} (change it, say it is still correct, withdraw it).
 */
#ifndef PAGE_SUBMIT_H
#define PAGE_SUBMIT_H

struct http_request;

void	page_submit_init(void);
void	page_submit_form(struct http_request *);
void	page_submit_post(struct http_request *);
void	page_edit(struct http_request *);
void	page_edit_change_form(struct http_request *);
void	page_edit_change_post(struct http_request *);
void	page_edit_confirm(struct http_request *);
void	page_edit_withdraw(struct http_request *);

#endif
