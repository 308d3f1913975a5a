-- 014: listing_check() without the derived-data triggers.
--
-- listing_check() applies a document in a subtransaction and rolls it
-- back, only to learn which CHECK (or NOT NULL, or foreign key) it breaks.
-- Profiled in scripts/bench submit (auto_explain, nested statements), most
-- of its time went to triggers that maintain derived data: search_point
-- rows (sql/007) refreshed after nearly every statement of listing_apply,
-- service_refresh_search() once per category, search_word, and the
-- directory_version bump and NOTIFY (sql/008) after each statement, all
-- undone a moment later.  Warm, listing_check took ~25 ms for a walking
-- group with two sessions; with those triggers skipped, ~6 ms.
--
-- listing_check now sets signpost.listing_check = 'on' inside its
-- subtransaction (set_config(..., true): the rollback of the
-- subtransaction resets it, so nothing after the check sees it), and
-- each of those trigger functions returns at once while it is on.  The
-- rows listing_apply writes, their CHECKs, NOT NULLs and foreign keys
-- (internal triggers, untouched) are all still checked.  The derived
-- tables' own rows are not written: they are made from rows that have
-- just passed their checks, so they cannot fail where the listing passed.

CREATE OR REPLACE FUNCTION listing_check(p_doc jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	c	text;
BEGIN
	BEGIN
		PERFORM set_config('signpost.listing_check', 'on', true);
		PERFORM listing_apply(NULL, p_doc);
		RAISE EXCEPTION USING ERRCODE = 'SP000';
	EXCEPTION
		WHEN SQLSTATE 'SP000' THEN
			RETURN NULL;
		WHEN check_violation OR not_null_violation
		    OR foreign_key_violation OR invalid_text_representation
		    OR datetime_field_overflow OR numeric_value_out_of_range
		    OR invalid_datetime_format THEN
			GET STACKED DIAGNOSTICS c = CONSTRAINT_NAME;
			RETURN coalesce(nullif(c, ''), 'unknown');
	END;
END;
$$;

-- A BEFORE trigger: the vector keeps its default ('') while checking.
CREATE OR REPLACE FUNCTION service_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NEW;
	END IF;
	NEW.search_vector := service_search_document(NEW.id, NEW.name,
	    NEW.description);
	RETURN NEW;
END;
$$;

-- The AFTER triggers, as in sql/007 and sql/008 but for the first test.
CREATE OR REPLACE FUNCTION directory_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	v	bigint;
	t	timestamptz;
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	UPDATE directory_version
	SET version = version + 1, changed_at = clock_timestamp()
	RETURNING version, changed_at INTO v, t;
	PERFORM pg_notify('directory_version',
	    v || ' ' || floor(extract(epoch FROM t))::bigint);
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION service_taxonomy_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
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

CREATE OR REPLACE FUNCTION search_word_insert_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
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
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	PERFORM search_words_add(NEW.name);
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION search_point_service_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
		RETURN NULL;
	END IF;
	PERFORM search_point_refresh(ARRAY(SELECT id FROM new_rows));
	RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION search_point_rows_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' THEN
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
	IF current_setting('signpost.listing_check', true) = 'on' THEN
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
	IF current_setting('signpost.listing_check', true) = 'on' THEN
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
