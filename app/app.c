/*
 * Start-up shared by the server and the request fuzzer.  The order of the
 * *_init calls matters only in that feed_init reads config.public_url and
 * the compiled-in openapi.json, so config must be loaded first.
 */
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "demo.h"
#include "feed.h"
#include "geo.h"
#include "notify.h"
#include "outbox.h"
#include "ical.h"
#include "export_csv.h"
#include "import.h"
#include "import_postcodes.h"
#include "listing.h"
#include "log.h"
#include "migrate.h"
#include "page_admin.h"
#include "page_service.h"
#include "page_about.h"
#include "page_area.h"
#include "page_import.h"
#include "page_review.h"
#include "page_shortlist.h"
#include "page_submit.h"
#include "postcode.h"
#include "remind.h"
#include "search.h"

void
app_register_statements(void)
{
	migrate_init();
	postcode_init();
	import_postcodes_init();
	import_init();
	export_csv_init();
	page_import_init();
	outbox_init();
	notify_init();
	demo_init();
	feed_init();
	ical_init();
	page_service_init();
	page_about_init();
	page_area_init();
	page_admin_init();
	page_shortlist_init();
	auth_init();
	listing_init();
	page_submit_init();
	remind_init();
	page_review_init();
	search_init();
}

int
app_init_geo(char *err, size_t errlen)
{
	char	op[512];

	if (geo_init(config.crs, config.proj_grid_dir, err, errlen, op,
	    sizeof(op)) == -1)
		return (-1);
	log_info("geo: WGS84 to %s via \"%s\"", config.crs, op);
	if (strstr(op, "OSTN15") == NULL && strcmp(config.crs,
	    "EPSG:27700") == 0)
		log_warn("geo: the OSTN15 grid was not used (looked in %s); "
		    "positions may be off by up to 5 m", config.proj_grid_dir);
	return (0);
}
