-- One imported listing, published the way a moderated one is: a
-- submission approved at once by listing_publish(), so the CHECKs,
-- triggers, search refresh, history and reminders are the ones that
-- already hold; its history entry is credited to the import (p_actor).
-- The listing is the one this source imported under p_key before, or a
-- new one.  o_outcome: added, updated, or unchanged when applying the
-- document would change nothing, in which case nothing is written (so
-- importing the same file twice changes nothing: no new ids, no history);
-- or bad when the database's own rules refuse it, o_constraint naming the
-- first one broken (nothing of that row is kept: the subtransaction is
-- undone), so one bad row is reported and the others still go through.
-- Its result grew o_constraint: a changed result type cannot be replaced.
DROP FUNCTION IF EXISTS listing_import(text, text, jsonb, text, integer);
CREATE FUNCTION listing_import(p_source text, p_key text,
    p_doc jsonb, p_actor text, p_review_months integer,
    OUT o_service uuid, OUT o_outcome text, OUT o_constraint text)
LANGUAGE plpgsql AS $$
DECLARE
	svc	uuid;
	org	uuid;
	old	jsonb;
	trial	jsonb;
	sub	uuid;
	-- Without the organisation's id: a first run finds the name new,
	-- the next finds the organisation that run added.
	md5sum	text := md5((p_doc #- '{organization,id}')::text);
	kept	import_key%ROWTYPE;
BEGIN
	SELECT * INTO kept FROM import_key
	WHERE source = p_source AND key = p_key;
	svc := kept.service_id;
	-- The same document as last time, and nobody changed the listing
	-- since: nothing to try.
	IF svc IS NOT NULL AND kept.doc_md5 = md5sum AND kept.version = (SELECT
	    s.version FROM service s WHERE s.id = svc AND s.status = 'active')
	THEN
		UPDATE import_key SET checked_at = now()
		WHERE source = p_source AND key = p_key;
		o_service := svc;
		o_outcome := 'unchanged';
		RETURN;
	END IF;
	-- An organisation already listed under that name is that one, also
	-- when an earlier row of the same import added it.
	IF p_doc #>> '{organization,id}' IS NULL THEN
		SELECT o.id INTO org FROM organization o
		WHERE lower(o.name) = lower(p_doc #>> '{organization,name}')
		ORDER BY o.id LIMIT 1;
		IF org IS NOT NULL THEN
			p_doc := jsonb_set(p_doc, '{organization,id}',
			    to_jsonb(org::text));
		END IF;
	END IF;
	BEGIN
		IF svc IS NOT NULL THEN
			-- What the listing would become, tried and undone:
			-- the document's own shape need not match
			-- listing_document()'s.  Derived data is not
			-- written while trying (derived_data.sql).
			old := listing_document(svc);
			BEGIN
				PERFORM set_config('signpost.listing_check',
				    'on', true);
				PERFORM listing_apply(svc, p_doc);
				trial := listing_document(svc);
				RAISE EXCEPTION USING ERRCODE = 'SP000';
			EXCEPTION
				WHEN SQLSTATE 'SP000' THEN
					NULL;
			END;
			-- Withdrawn (gone from the feed once) and back: its
			-- publishing again is the change.
			IF trial = old AND (SELECT s.status FROM service s
			    WHERE s.id = svc) = 'active' THEN
				UPDATE import_key SET doc_md5 = md5sum,
				    version = (SELECT s.version FROM service s
					WHERE s.id = svc), checked_at = now()
				WHERE source = p_source AND key = p_key;
				o_service := svc;
				o_outcome := 'unchanged';
				RETURN;
			END IF;
		END IF;
		INSERT INTO submission (kind, service_id, document,
		    base_version)
		SELECT CASE WHEN svc IS NULL THEN 'new' ELSE 'update' END,
		    svc, p_doc,
		    (SELECT s.version FROM service s WHERE s.id = svc)
		RETURNING id INTO sub;
		o_service := listing_publish(sub, 1, NULL, p_review_months);
	EXCEPTION
		WHEN check_violation OR not_null_violation
		    OR foreign_key_violation OR invalid_text_representation
		    OR datetime_field_overflow OR numeric_value_out_of_range
		    OR invalid_datetime_format THEN
			GET STACKED DIAGNOSTICS o_constraint = CONSTRAINT_NAME;
			o_constraint := coalesce(nullif(o_constraint, ''),
			    'unknown');
			o_outcome := 'bad';
			RETURN;
	END;
	UPDATE listing_change SET actor = p_actor WHERE submission_id = sub;
	INSERT INTO import_key (source, key, service_id, doc_md5,
	    version)
	SELECT p_source, p_key, o_service, md5sum, s.version
	FROM service s WHERE s.id = o_service
	ON CONFLICT (source, key) DO UPDATE
	    SET service_id = EXCLUDED.service_id, imported_at = now(),
		doc_md5 = EXCLUDED.doc_md5, version = EXCLUDED.version,
		checked_at = now();
	o_outcome := CASE WHEN svc IS NULL THEN 'added' ELSE 'updated' END;
END;
$$;
