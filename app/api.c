/*
 * Small JSON endpoints.  See api.h.
 */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "api.h"
#include "db.h"
#include "http.h"
#include "log.h"
#include "postcode.h"
#include "reply.h"

/*
 * /healthz answers what a load balancer or monitor needs: is this process
 * serving, and can it reach its database.  With the primary gone and a
 * standby answering, the node still serves search and pages: 200, and
 * "read-only" says why submissions are refused.
 */
void
api_healthz(struct http_request *req)
{
	cJSON		*o;
	const char	*db = "ok";
	enum db_status	 st;

	if ((st = db_ping()) != DB_OK) {
		log_warn("healthz: database: %s", db_errmsg());
		db = "unreachable";
		if (db_read_only())
			db = "read-only";
	}
	if ((o = cJSON_CreateObject()) == NULL) {
		http_problem(req, 500, NULL, "out of memory", NULL);
		return;
	}
	cJSON_AddStringToObject(o, "status", st == DB_OK ? "ok" : "degraded");
	cJSON_AddStringToObject(o, "database", db);
	http_header_set(req, "Cache-Control", "no-store");
	http_respond_json(req, st == DB_OK || db[0] == 'r' ? 200 : 503, o);
	cJSON_Delete(o);
}

static void
add_area(cJSON *o, const char *key, const char *name, const char *code)
{
	char	k[64];

	if (code[0] == '\0')
		return;
	cJSON_AddStringToObject(o, key, name[0] != '\0' ? name : code);
	snprintf(k, sizeof(k), "%s_code", key);
	cJSON_AddStringToObject(o, k, code);
}

void
api_postcode(struct http_request *req)
{
	struct postcode_info	 pi;
	const char		*in;
	char			 detail[64];
	cJSON			*o;

	in = http_route_param(req, "postcode");
	switch (postcode_lookup(in != NULL ? in : "", &pi)) {
	case POSTCODE_MALFORMED:
		http_problem(req, 400, "Bad Request", "not a UK postcode. "
		    POSTCODE_FORMAT_HELP, "postcode");
		return;
	case POSTCODE_NOT_FOUND:
		if (pi.kind == POSTCODE_FULL) {
			http_problem(req, 404, "Not Found",
			    "postcode not found", "postcode");
			return;
		}
		snprintf(detail, sizeof(detail), "no postcodes in %s %s",
		    postcode_kind_label(pi.kind), pi.postcode);
		http_problem(req, 404, "Not Found", detail, "postcode");
		return;
	case POSTCODE_DB_DOWN:
		reply_db_error(req, DB_UNAVAILABLE);
		return;
	case POSTCODE_DB_ERROR:
		reply_db_error(req, DB_ERROR);
		return;
	case POSTCODE_FOUND:
		break;
	}
	if ((o = cJSON_CreateObject()) == NULL) {
		reply_error(req, 500, "out of memory");
		return;
	}
	cJSON_AddStringToObject(o, "postcode", pi.postcode);
	cJSON_AddStringToObject(o, "kind", postcode_kind_name(pi.kind));
	cJSON_AddNumberToObject(o, "latitude", pi.latitude);
	cJSON_AddNumberToObject(o, "longitude", pi.longitude);
	cJSON_AddNumberToObject(o, "easting", pi.easting);
	cJSON_AddNumberToObject(o, "northing", pi.northing);
	add_area(o, "council_area", pi.council_area, pi.council_area_code);
	add_area(o, "health_board", pi.health_board, pi.health_board_code);
	add_area(o, "ward", pi.ward, pi.ward_code);
	http_header_set(req, "Cache-Control", "public, max-age=86400");
	http_respond_json(req, 200, o);
	cJSON_Delete(o);
}
