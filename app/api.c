/*
 * /healthz answers what a load balancer or monitor needs: is this process
 * serving, and can it reach its database.
 */
#include <cjson/cJSON.h>

#include "api.h"
#include "db.h"
#include "http.h"
#include "log.h"

void
api_healthz(struct http_request *req)
{
	cJSON		*o;
	enum db_status	 st;

	st = db_ping();
	if ((o = cJSON_CreateObject()) == NULL) {
		http_problem(req, 500, NULL, "out of memory", NULL);
		return;
	}
	cJSON_AddStringToObject(o, "status", st == DB_OK ? "ok" : "degraded");
	cJSON_AddStringToObject(o, "database", st == DB_OK ? "ok" :
	    "unreachable");
	if (st != DB_OK)
		log_warn("healthz: database: %s", db_errmsg());
	http_header_set(req, "Cache-Control", "no-store");
	http_respond_json(req, st == DB_OK ? 200 : 503, o);
	cJSON_Delete(o);
}
