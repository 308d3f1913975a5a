-- The triggers that keep derived data (search vectors, search words,
-- search_point and search_area rows) in step with the listing tables, and
-- the two times they stand aside.
--
-- listing_check() (sql/014) sets signpost.listing_check inside the
-- subtransaction it rolls back: derived rows written then would be undone
-- a moment later, so the triggers skip them.
--
-- A bulk import sets signpost.bulk for its transaction.  Profiled
-- (pg_stat_statements, nested statements) on 2 000 CSV rows, these
-- triggers took two thirds of each row's 17 ms: search_point was
-- rewritten after nearly every statement of listing_apply, the search
-- vector once per category.  With the flag on they do nothing, and the
-- import calls directory_refresh() once at its end with the services it
-- wrote, which rebuilds their derived rows in one set-based pass (the
-- search vectors excepted: listing_apply_batch() writes them with the
-- services' rows, sql/functions/search_vector.sql).  Only
-- rows of those services are derived from what listing_apply writes
-- (organisations feed none of it, shared venues are kept, not changed), so
-- that list is all that needs refreshing.

CREATE OR REPLACE FUNCTION derived_deferred() RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT coalesce(current_setting('signpost.listing_check', true)
	    = 'on', false)
	    OR coalesce(current_setting('signpost.bulk', true) = 'on', false)
$$;

-- The services' search words and search rows, rebuilt after a bulk import
-- (sql/007's search_point_refresh takes the set-based path for more than
-- 1 000), and one directory_version bump.  Their search vectors are
-- written with their rows (listing_apply_batch()).
CREATE OR REPLACE FUNCTION directory_refresh(p_services uuid[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF cardinality(p_services) IS NULL OR cardinality(p_services) = 0
	THEN
		RETURN;
	END IF;
	INSERT INTO search_word (word)
	SELECT DISTINCT w
	FROM (SELECT DISTINCT unnest(p_services) AS id) ids
	JOIN service s ON s.id = ids.id,
	    unnest(tsvector_to_array(to_tsvector('simple', s.name))) w
	WHERE w ~ '^[[:alpha:]]{3,40}$'
	ON CONFLICT DO NOTHING;
	PERFORM search_point_refresh(p_services);
	PERFORM directory_version_touch();
END;
$$;

-- A BEFORE trigger: while deferred, the vector is left as written.
CREATE OR REPLACE FUNCTION service_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF derived_deferred() THEN
		RETURN NEW;
	END IF;
	NEW.search_vector := service_search_document(NEW.id, NEW.name,
	    NEW.description);
	RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION service_taxonomy_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF derived_deferred() THEN
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		PERFORM service_refresh_search(OLD.service_id);
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		PERFORM service_refresh_search(NEW.service_id);
	END IF;
	RETURN NULL;
END;
$$;

-- Also on taxonomy_term, which an import does not write: deferred only
-- for services, whose words directory_refresh() adds.
CREATE OR REPLACE FUNCTION search_word_insert_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' OR
	    (TG_TABLE_NAME = 'service' AND derived_deferred()) THEN
		RETURN NULL;
	END IF;
	INSERT INTO search_word (word)
	SELECT DISTINCT w
	FROM new_rows,
	    unnest(tsvector_to_array(to_tsvector('simple', new_rows.name))) w
	WHERE w ~ '^[[:alpha:]]{3,40}$'
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION search_word_update_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' OR
	    (TG_TABLE_NAME = 'service' AND derived_deferred()) THEN
		RETURN NULL;
	END IF;
	PERFORM search_words_add(NEW.name);
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION search_point_service_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF derived_deferred() THEN
		RETURN NULL;
	END IF;
	PERFORM search_point_refresh(ARRAY(SELECT id FROM new_rows));
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION search_point_rows_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF derived_deferred() THEN
		RETURN NULL;
	END IF;
	IF TG_LEVEL = 'ROW' THEN
		PERFORM search_point_refresh(ARRAY[OLD.service_id,
		    NEW.service_id]);
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM search_point_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM new_rows));
	ELSE
		PERFORM search_point_refresh(ARRAY(SELECT DISTINCT service_id
		    FROM old_rows));
	END IF;
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION search_point_schedule_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF derived_deferred() THEN
		RETURN NULL;
	END IF;
	IF TG_LEVEL = 'ROW' THEN
		PERFORM search_point_refresh(ARRAY(
		    SELECT x FROM unnest(ARRAY[OLD.service_id,
			NEW.service_id]) x WHERE x IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM service_at_location sal
		    WHERE sal.id IN (OLD.service_at_location_id,
			NEW.service_at_location_id)));
	ELSIF TG_OP = 'INSERT' THEN
		PERFORM search_point_refresh(ARRAY(
		    SELECT service_id FROM new_rows
		    WHERE service_id IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM new_rows n
		    JOIN service_at_location sal
			ON sal.id = n.service_at_location_id));
	ELSE
		PERFORM search_point_refresh(ARRAY(
		    SELECT service_id FROM old_rows
		    WHERE service_id IS NOT NULL
		    UNION
		    SELECT sal.service_id FROM old_rows o
		    JOIN service_at_location sal
			ON sal.id = o.service_at_location_id));
	END IF;
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION search_point_location_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF derived_deferred() THEN
		RETURN NULL;
	END IF;
	PERFORM search_point_refresh(ARRAY(
	    SELECT service_id FROM service_at_location
	    WHERE location_id = NEW.id
	    UNION
	    SELECT service_id FROM walk_detail
	    WHERE meeting_location_id = NEW.id));
	RETURN NULL;
END;
$$;
