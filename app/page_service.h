/*
 * page_service: the service page (/services/{id}), the organisation page
 * (/organisations/{id}) and "report a problem" (/services/{id}/report),
 * whose reports go to table problem_report.  A bad or unknown id is a 404
 * page, never a 500.  Thread-safe: no state.
 */
#ifndef PAGE_SERVICE_H
#define PAGE_SERVICE_H

struct http_request;

void	page_service_init(void);
void	page_service(struct http_request *);
void	page_organisation(struct http_request *);
void	page_service_report_form(struct http_request *);
void	page_service_report_post(struct http_request *);
void	page_service_report_sent(struct http_request *);

#endif
