-- One imported listing, published the way a moderated one is: a
-- submission approved at once by listing_publish(), so the CHECKs,
-- triggers, search refresh, history and reminders are the ones that
-- already hold; its history entry is credited to the import (p_actor).
-- The listing is the one this source imported under p_key before, or a
-- new one.  outcome: added, updated, or unchanged when applying the
-- document would change nothing, in which case nothing is written (so
-- importing the same file twice changes nothing: no new ids, no history).
CREATE OR REPLACE FUNCTION listing_import(p_source text, p_key text,
    p_doc jsonb, p_actor text, p_review_months integer,
    OUT o_service uuid, OUT o_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
	svc	uuid;
	org	uuid;
	old	jsonb;
	trial	jsonb;
	sub	uuid;
BEGIN
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
	SELECT k.service_id INTO svc FROM import_key k
	WHERE k.source = p_source AND k.key = p_key;
	IF svc IS NOT NULL THEN
		-- What the listing would become, tried and undone: the
		-- document's own shape need not match listing_document()'s.
		-- The derived-data triggers are skipped while trying, as in
		-- listing_check() (sql/014): the flag goes with the rollback.
		old := listing_document(svc);
		BEGIN
			PERFORM set_config('signpost.listing_check', 'on', true);
			PERFORM listing_apply(svc, p_doc);
			trial := listing_document(svc);
			RAISE EXCEPTION USING ERRCODE = 'SP000';
		EXCEPTION
			WHEN SQLSTATE 'SP000' THEN
				NULL;
		END;
		IF trial = old THEN
			o_service := svc;
			o_outcome := 'unchanged';
			RETURN;
		END IF;
	END IF;
	INSERT INTO submission (kind, service_id, document, base_version)
	SELECT CASE WHEN svc IS NULL THEN 'new' ELSE 'update' END, svc,
	    p_doc, (SELECT s.version FROM service s WHERE s.id = svc)
	RETURNING id INTO sub;
	o_service := listing_publish(sub, 1, NULL, p_review_months);
	UPDATE listing_change SET actor = p_actor WHERE submission_id = sub;
	INSERT INTO import_key AS k (source, key, service_id)
	VALUES (p_source, p_key, o_service)
	ON CONFLICT (source, key) DO UPDATE
	    SET service_id = EXCLUDED.service_id, imported_at = now();
	o_outcome := CASE WHEN svc IS NULL THEN 'added' ELSE 'updated' END;
END;
$$;
