/*
 * feed_sql: the SQL behind the partner feed, as fragments that feed.c puts
 * together into its prepared statements at compile time.  Every document
 * is built by PostgreSQL (json_build_object, json_strip_nulls drops the
 * fields that have no value) so C only joins rows into an envelope.
 * Shapes follow the Open Referral UK 3.0 schemas field for field: the
 * conformance suite (scripts/run-oruk) fails on any field they do not
 * declare.  Included by feed.c only.
 */
#ifndef FEED_SQL_H
#define FEED_SQL_H

/* Optional text: blank is no value, and no value is omitted. */
#define NB(x)	"nullif(btrim(" x "), '')"
#define TS(x)	"to_char((" x ") AT TIME ZONE 'UTC', " \
		"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
#define DATE(x)	"to_char(" x ", 'YYYY-MM-DD')"
#define COORD(x) "round((" x ")::numeric, 6)"

/* A listing's sources as the feed's terms (sql/026), k and ft. */
#define FROM_SOURCE_TERMS \
	"FROM import_key k JOIN feed_taxonomy_term ft ON ft.source = k.source "

/*
 * The service filters, shared by /services, /service_at_locations and
 * the GeoJSON; s is the service row.
 *   $1 search text, $2 taxonomy_term_id (and its descendants),
 *   $3 taxonomy_id, $4 organization_id, $5 modified_after,
 *   $6 minimum_age, $7 maximum_age (the service takes people of that age),
 *   $8 day (MO..SU), $9 start_time, $10 end_time: one schedule of the
 *   service runs on that day and overlaps [start, end).
 */
#define FILTER \
	"($1::text IS NULL OR s.search_vector @@ " \
	"    websearch_to_tsquery('english', $1)) " \
	"AND ($2::uuid IS NULL OR s.id IN (SELECT st.service_id " \
	"    FROM service_taxonomy st WHERE st.taxonomy_term_id IN (" \
	"    WITH RECURSIVE sub (id, depth) AS (SELECT $2::uuid, 0 UNION ALL " \
	"    SELECT t.id, sub.depth + 1 FROM taxonomy_term t JOIN sub " \
	"    ON t.parent_id = sub.id WHERE sub.depth < 10) " \
	"    SELECT id FROM sub)) " \
	"    OR s.id IN (SELECT k.service_id " FROM_SOURCE_TERMS \
	"    WHERE ft.id = $2)) " \
	"AND ($3::uuid IS NULL OR s.id IN (SELECT st.service_id " \
	"    FROM service_taxonomy st JOIN taxonomy_term t " \
	"    ON t.id = st.taxonomy_term_id WHERE t.taxonomy_id = $3) " \
	"    OR s.id IN (SELECT k.service_id " FROM_SOURCE_TERMS \
	"    WHERE ft.taxonomy_id = $3)) " \
	"AND ($4::uuid IS NULL OR s.organization_id = $4) " \
	"AND ($5::timestamptz IS NULL OR s.updated_at >= $5) " \
	"AND ($6::int IS NULL OR (coalesce(s.minimum_age, 0) <= $6 " \
	"    AND coalesce(s.maximum_age, 130) >= $6)) " \
	"AND ($7::int IS NULL OR (coalesce(s.minimum_age, 0) <= $7 " \
	"    AND coalesce(s.maximum_age, 130) >= $7)) " \
	"AND (($8::text IS NULL AND $9::time IS NULL AND $10::time IS NULL) " \
	"    OR s.id IN (SELECT coalesce(sc.service_id, x.service_id) " \
	"    FROM schedule sc LEFT JOIN service_at_location x " \
	"    ON x.id = sc.service_at_location_id " \
	"    WHERE ($8 IS NULL OR (sc.freq IS NOT NULL AND sc.byday ~ " \
	"    ('(^|,)[+-]?[1-5]?' || $8 || '(,|$)'))) " \
	"    AND ($9 IS NULL OR sc.closes_at > $9) " \
	"    AND ($10 IS NULL OR sc.opens_at < $10))) "

/*
 * A page is chosen by id first and documents are built for its rows only:
 * with the JSON in the same SELECT as the OFFSET, PostgreSQL would build
 * and throw away a document for every row skipped.
 */
#define PAGE_SERVICES \
	"WITH page AS (SELECT s.id, s.name, CASE WHEN $1::text IS NULL " \
	"THEN 0 ELSE ts_rank(s.search_vector, " \
	"websearch_to_tsquery('english', $1)) END AS rank " \
	"FROM service s WHERE " FILTER \
	"ORDER BY rank DESC, s.name, s.id LIMIT $11 OFFSET $12) "
#define FROM_PAGE_SERVICES \
	"FROM page JOIN service s ON s.id = page.id " \
	"JOIN organization o ON o.id = s.organization_id " \
	"ORDER BY page.rank DESC, page.name, page.id"

/* o: organization.  description is required by ORUK: fall back to name. */
#define ORG_JSON \
	"json_build_object('id', o.id, 'name', o.name, " \
	"'description', coalesce(" NB("o.description") ", o.name), " \
	"'email', o.email, 'website', coalesce(o.website, o.url), " \
	"'logo', o.logo, 'uri', o.uri)"

/* The fields of a service in a list; s and o. */
#define SERVICE_FIELDS \
	"'id', s.id, 'organization_id', s.organization_id, 'name', s.name, " \
	"'description', " NB("s.description") ", 'url', s.url, " \
	"'email', s.email, 'status', s.status, " \
	"'fees', coalesce(" NB("s.fees_description") ", " \
	    NB("s.cost_description") ", " \
	    "CASE WHEN s.is_free THEN 'Free' END), " \
	"'accreditations', " NB("s.accreditations") ", " \
	"'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age, " \
	"'assured_date', " DATE("coalesce(s.assured_date, (SELECT " \
	    "max(k.checked_at) FROM import_key k " \
	    "WHERE k.service_id = s.id)::date)") ", " \
	"'assurer_email', s.assurer_email, 'alert', " NB("s.alert") ", " \
	"'last_modified', " TS("s.updated_at") ", 'organization', " ORG_JSON

#define SERVICE_JSON \
	"json_strip_nulls(json_build_object(" SERVICE_FIELDS "))::text"

#define MINIMAL_JSON \
	"json_build_object('id', s.id, 'last_modified', " \
	TS("s.updated_at") ")::text"

/* t: taxonomy_term, tx: its taxonomy.  description is required. */
#define TERM_JSON \
	"json_build_object('id', t.id, 'name', t.name, " \
	"'description', coalesce(" NB("t.description") ", t.name), " \
	"'parent_id', t.parent_id, 'taxonomy', tx.name, " \
	"'taxonomy_id', t.taxonomy_id, 'term_uri', t.term_uri)"

#define TAXONOMY_JSON \
	"json_build_object('id', tx.id, 'name', tx.name, " \
	"'description', coalesce(" NB("tx.description") ", tx.name), " \
	"'uri', tx.uri, 'version', " NB("tx.version") ")"

#define LOCATION_BRIEF_FIELDS \
	"'id', l.id, 'location_type', l.location_type, 'name', l.name, " \
	"'description', " NB("l.description") ", " \
	"'latitude', " COORD("l.latitude") ", " \
	"'longitude', " COORD("l.longitude") ", " \
	"'external_identifier', " NB("l.external_identifier") ", " \
	"'external_identifier_type', " NB("l.external_identifier_type")

/*
 * HSDS keeps addresses in their own table; ours is flattened into the
 * location, so the address id is derived from the location's.  ORUK
 * requires city and state_province: when the row has none, the council
 * area of the postcode stands in; an address that still lacks one is
 * left out rather than sent invalid.
 */
#define ADDRESS_JSON \
	"(SELECT json_build_array(json_build_object(" \
	"'id', md5('signpost-address-' || l.id)::uuid, 'location_id', l.id, " \
	"'address_1', l.address_1, 'city', x.city, " \
	"'region', " NB("l.region") ", 'state_province', x.sp, " \
	"'postal_code', l.postal_code, 'country', l.country, " \
	"'address_type', l.location_type)) " \
	"FROM (SELECT coalesce(" NB("l.city") ", " NB("l.region") \
	    ", ar.name) " \
	"    AS city, coalesce(" NB("l.state_province") ", ar.name, " \
	    NB("l.region") ") AS sp " \
	"    FROM (SELECT 1) one LEFT JOIN postcode pc " \
	"    ON pc.postcode = l.postal_code " \
	"    LEFT JOIN area ar ON ar.code = pc.council_area_code) x " \
	"WHERE l.address_1 IS NOT NULL AND l.postal_code IS NOT NULL " \
	"AND NOT l.address_hidden " \
	"AND l.location_type <> 'virtual' AND x.city IS NOT NULL " \
	"AND x.sp IS NOT NULL)"

#define LOCATION_FULL_JSON \
	"json_build_object(" LOCATION_BRIEF_FIELDS ", " \
	"'addresses', " ADDRESS_JSON ", " \
	"'accessibility', (SELECT json_agg(json_build_object('id', a.id, " \
	"    'location_id', a.location_id, " \
	"    'description', " NB("a.description") ", " \
	"    'details', " NB("a.details") ", 'url', a.url) ORDER BY a.id) " \
	"    FROM accessibility a WHERE a.location_id = l.id))"

/*
 * The whole service.  Schedules of its service_at_locations are listed
 * with the service (ORUK's service_at_location has no schedules) and
 * carry service_at_location_id; categories are attributes (ORUK has no
 * service.taxonomy_terms), with ids derived from the link, and so are the
 * sources an imported listing came from (sql/026), after them.
 */
#define SERVICE_FULL_JSON \
	"json_strip_nulls(json_build_object(" SERVICE_FIELDS ", " \
	"'schedules', (SELECT json_agg(json_build_object('id', sc.id, " \
	"    'service_id', sc.service_id, " \
	"    'service_at_location_id', sc.service_at_location_id, " \
	"    'valid_from', " DATE("sc.valid_from") ", " \
	"    'valid_to', " DATE("sc.valid_to") ", " \
	"    'dtstart', " DATE("sc.dtstart") ", 'freq', sc.freq, " \
	"    'interval', " \
	"CASE WHEN sc.freq IS NOT NULL THEN sc.\"interval\" END, " \
	"    'byday', sc.byday, 'bymonthday', sc.bymonthday, " \
	"    'description', " NB("sc.description") ", " \
	"    'opens_at', sc.opens_at::text, 'closes_at', sc.closes_at::text, " \
	"    'notes', " NB("sc.notes") ") " \
	"    ORDER BY sc.opens_at, sc.id) FROM schedule sc " \
	"    WHERE sc.service_id = s.id OR sc.service_at_location_id = " \
	"    ANY (ARRAY(SELECT x.id FROM service_at_location x " \
	"    WHERE x.service_id = s.id))), " \
	"'service_areas', (SELECT json_agg(json_build_object('id', sa.id, " \
	"    'service_id', sa.service_id, " \
	"    'name', coalesce(" NB("sa.name") ", ar.name, sa.area_code), " \
	"    'extent_type', " NB("sa.extent_type") ", " \
	"    'uri', 'http://statistics.gov.scot/id/statistical-geography/' " \
	"    || sa.area_code, 'service_area', " NB("sa.description") ") " \
	"    ORDER BY sa.area_code) FROM service_area sa " \
	"    LEFT JOIN area ar ON ar.code = sa.area_code " \
	"    WHERE sa.service_id = s.id), " \
	"'service_at_locations', (SELECT json_agg(json_build_object(" \
	"    'id', sal.id, 'service_id', sal.service_id, " \
	"    'location_id', sal.location_id, " \
	"    'location', " LOCATION_FULL_JSON ") ORDER BY l.name, sal.id) " \
	"    FROM service_at_location sal JOIN location l " \
	"    ON l.id = sal.location_id WHERE sal.service_id = s.id), " \
	"'languages', (SELECT json_agg(json_build_object('id', lg.id, " \
	"    'service_id', lg.service_id) ORDER BY lg.name, lg.code, lg.id) " \
	"    FROM language lg WHERE lg.service_id = s.id), " \
	"'cost_options', (SELECT json_agg(json_build_object('id', co.id, " \
	"    'service_id', co.service_id, " \
	"    'valid_from', " DATE("co.valid_from") ", " \
	"    'valid_to', " DATE("co.valid_to") ", " \
	"    'option', " NB("co.option") ", 'amount', co.amount, " \
	"    'amount_description', " NB("co.amount_description") ") " \
	"    ORDER BY co.amount NULLS FIRST, co.id) FROM cost_option co " \
	"    WHERE co.service_id = s.id), " \
	"'contacts', (SELECT json_agg(json_build_object('id', c.id, " \
	"    'service_id', c.service_id, 'name', c.name, " \
	"    'title', " NB("c.title") ") ORDER BY c.name, c.id) " \
	"    FROM contact c WHERE c.service_id = s.id), " \
	"'attributes', (SELECT json_agg(json_build_object(" \
	"    'id', a.id, 'link_id', s.id, " \
	"    'link_type', a.link_type, 'taxonomy_term_id', t.id, " \
	"    'taxonomy_term', " TERM_JSON ") ORDER BY a.k, t.name, t.id) " \
	"    FROM (SELECT md5('signpost-attribute-' || st.service_id || '-' " \
	"    || st.taxonomy_term_id)::uuid AS id, " \
	"    st.taxonomy_term_id AS tid, " \
	"    'service' AS link_type, 0 AS k FROM service_taxonomy st " \
	"    WHERE st.service_id = s.id UNION ALL " \
	"    SELECT md5('signpost-source-' || k.service_id || '-' || " \
	"    k.source)::uuid, ft.id, 'data_source', 1 " FROM_SOURCE_TERMS \
	"    WHERE k.service_id = s.id) a " \
	"    JOIN feed_taxonomy_term t ON t.id = a.tid " \
	"    JOIN feed_taxonomy tx ON tx.id = t.taxonomy_id)))::text"

#define FROM_SERVICES \
	"FROM service s JOIN organization o ON o.id = s.organization_id "

/*
 * Service at locations near a point: $11 easting, $12 northing (grid
 * metres), $13 radius in metres or NULL.  Euclidean distance on the
 * National Grid is within 0.1% of the geodesic across Scotland, and it is
 * what the GiST index on location.grid answers.
 */
#define FROM_SAL \
	"FROM service_at_location sal " \
	"JOIN service s ON s.id = sal.service_id " \
	"JOIN organization o ON o.id = s.organization_id " \
	"JOIN location l ON l.id = sal.location_id "
#define FROM_PAGE_SAL \
	"FROM page JOIN service_at_location sal ON sal.id = page.id " \
	"JOIN service s ON s.id = sal.service_id " \
	"JOIN organization o ON o.id = s.organization_id " \
	"JOIN location l ON l.id = sal.location_id "
#define NEAR \
	"AND l.grid IS NOT NULL AND ($13::float8 IS NULL " \
	"OR l.grid <@ circle(point($11, $12), $13)) "
#define DISTANCE \
	"round((l.grid <-> point($11, $12))::numeric, 0)"

#define SAL_JSON(dist) \
	"json_strip_nulls(json_build_object('id', sal.id, " \
	"'service_id', sal.service_id, 'location_id', sal.location_id, " \
	"'location', json_build_object(" LOCATION_BRIEF_FIELDS "), " \
	"'service', json_build_object(" SERVICE_FIELDS "), " \
	"'distance', " dist "))::text"

/* url: the parameter holding the site's public URL, for detail links. */
#define FEATURE_JSON(dist, url) \
	"json_strip_nulls(json_build_object('type', 'Feature', 'id', sal.id, " \
	"'geometry', json_build_object('type', 'Point', 'coordinates', " \
	"json_build_array(" COORD("l.longitude") ", " \
	    COORD("l.latitude") ")), " \
	"'properties', json_strip_nulls(json_build_object('id', s.id, " \
	"'name', s.name, 'organisation', o.name, " \
	"'location', l.name, " \
	"'categories', (SELECT json_agg(t.name ORDER BY t.name) " \
	"    FROM service_taxonomy st JOIN taxonomy_term t " \
	"    ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id), " \
	"'url', " url "::text || '/services/' || s.id, " \
	"'distance', " dist "))))::text"

#endif
