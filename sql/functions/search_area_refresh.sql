-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- (Re)write the rows of some services, as search_point_refresh does its
-- points: index look-ups per service for a few, one pass of hash joins
-- for many (a bulk load).
CREATE OR REPLACE FUNCTION search_area_refresh(p_services uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	saved	text;
BEGIN
	IF cardinality(p_services) IS NULL OR cardinality(p_services) = 0
	THEN
		RETURN;
	END IF;
	IF cardinality(p_services) <= 1000 THEN
		DELETE FROM search_area a
		USING (SELECT DISTINCT unnest(p_services) AS id) ids
		WHERE a.service_id = ids.id;
		INSERT INTO search_area
		SELECT s.id, c.codes, s.name, s.status, s.kind, s.is_free,
		    s.minimum_age, s.maximum_age, s.self_referral,
		    s.review_due,
		    ARRAY(SELECT st.taxonomy_term_id FROM service_taxonomy st
			WHERE st.service_id = s.id),
		    search_point_days(s.id), s.search_vector
		FROM (SELECT DISTINCT unnest(p_services) AS id) ids
		JOIN service s ON s.id = ids.id
		CROSS JOIN LATERAL (SELECT array_agg(sa.area_code
			ORDER BY sa.area_code) AS codes
		    FROM service_area sa WHERE sa.service_id = s.id) c
		WHERE c.codes IS NOT NULL;
		RETURN;
	END IF;
	saved := current_setting('enable_nestloop');
	PERFORM set_config('enable_nestloop', 'off', true);
	CREATE TEMPORARY TABLE search_area_ids ON COMMIT DROP AS
	    SELECT DISTINCT unnest(p_services) AS id;
	ANALYZE search_area_ids;
	DELETE FROM search_area a USING search_area_ids ids
	WHERE a.service_id = ids.id;
	INSERT INTO search_area
	SELECT s.id, ac.codes, s.name, s.status, s.kind, s.is_free,
	    s.minimum_age, s.maximum_age, s.self_referral, s.review_due,
	    coalesce(c.terms, '{}'), coalesce(d.days, 0), s.search_vector
	FROM (SELECT sa.service_id, array_agg(sa.area_code
		ORDER BY sa.area_code) AS codes
	    FROM service_area sa JOIN search_area_ids i
		ON i.id = sa.service_id
	    GROUP BY sa.service_id) ac
	JOIN service s ON s.id = ac.service_id
	LEFT JOIN (SELECT st.service_id, array_agg(st.taxonomy_term_id) AS terms
	    FROM service_taxonomy st JOIN search_area_ids i
		ON i.id = st.service_id
	    GROUP BY st.service_id) c ON c.service_id = s.id
	LEFT JOIN (SELECT sch.service_id, bit_or(CASE
		WHEN search_schedule_weekday(sch.freq, sch.byday,
		    sch.bymonthday, sch.dtstart, sch.valid_from, dw.code)
		THEN 1 << dw.n ELSE 0 END
		| CASE WHEN sch.byday IS NULL AND (sch.bymonthday IS NOT NULL
		    OR (sch.dtstart IS NULL AND sch.valid_from IS NULL))
		    THEN 128 ELSE 0 END)::smallint AS days
	    FROM (SELECT coalesce(sch.service_id, sal.service_id)
		    AS service_id, sch.freq, sch.byday, sch.bymonthday,
		    sch.dtstart, sch.valid_from
		FROM schedule sch
		LEFT JOIN service_at_location sal
		    ON sal.id = sch.service_at_location_id
		WHERE sch.freq IS NOT NULL) sch
	    JOIN search_area_ids i ON i.id = sch.service_id
	    CROSS JOIN (SELECT n, search_weekday_code(n) AS code
		FROM generate_series(0, 6) n) dw
	    GROUP BY sch.service_id) d ON d.service_id = s.id;
	DROP TABLE search_area_ids;
	PERFORM set_config('enable_nestloop', saved, true);
END;
$$;
