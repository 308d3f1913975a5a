/*
 * page_import: /admin/import, for administrators.  A spreadsheet is
 * uploaded (multipart, within the body limit: 1 MB by default; larger
 * files with `signpost import csv`), kept with the report of its dry run
 * (what it would add and change, every row with a problem by line), and
 * applied with one button, once: a second apply of the same upload is
 * refused.  The rows without problems go in; the report says which did
 * not.
 */
#ifndef PAGE_IMPORT_H
#define PAGE_IMPORT_H

struct http_request;

void	page_import_init(void);
void	page_import_form(struct http_request *);
void	page_import_upload(struct http_request *);
void	page_import_show(struct http_request *);
void	page_import_apply(struct http_request *);

#endif
