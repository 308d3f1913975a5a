-- A batch of imported records, each {"n", "key", "doc"}: the same outcome
-- for each as listing_import() one at a time, in far fewer statements.
--
-- Profiled on 5 000 CSV rows into an empty directory, listing_import()
-- took 2.1 ms a row: some forty statements (listing_apply's deletes of
-- rows a new listing cannot have, an insert and then an update of the
-- same row, the submission written pending and then approved, the
-- history entry written and then credited), each with its own triggers
-- and checks, and listing_document() once.  A record whose key this
-- source has never given (the whole of a first import) is published here
-- with the rest of its batch: listing_apply_batch() writes them all, one
-- statement a table, and the submissions, history entries and keys are
-- written a statement each.  Those writes are tried together in a
-- subtransaction; if
-- the database refuses any of them, they are undone and every record of
-- the batch goes through listing_import() alone, so the bad one is
-- reported by its constraint and the others are kept as before.
--
-- Records whose key is known (an update, or unchanged), and a key's later
-- records within the batch (the later line wins), go through
-- listing_import() after the new ones, in their order.
--
-- An organisation is found the way listing_import() finds it: by the id
-- the document gives, else by its name, case aside; a name that is new
-- becomes one organisation, written from the first record that names it,
-- which the later ones name by id.  p_diff: also the listing's document
-- before and after each update (the admin import's report).  p_dry: a dry
-- run, undone at its end; the new listings' submissions and history
-- entries, which no rule can refuse and nobody will see, are not written
-- (a fifth of what a new listing costs).
-- A parameter was added: the old signature goes.
DROP FUNCTION IF EXISTS listing_import_batch(text, jsonb, text, integer,
    boolean);
CREATE OR REPLACE FUNCTION listing_import_batch(p_source text,
    p_rows jsonb, p_actor text, p_review_months integer, p_diff boolean,
    p_dry boolean)
RETURNS TABLE (o_n bigint, o_service uuid, o_outcome text,
    o_constraint text, o_before jsonb, o_after jsonb)
LANGUAGE plpgsql AS $$
DECLARE
	r	record;
	done	bigint[] := '{}';
BEGIN
	-- The last batch's tables (IF EXISTS would say so to the client).
	IF to_regclass('pg_temp.imp_batch') IS NOT NULL THEN
		DROP TABLE pg_temp.imp_batch;
	END IF;
	CREATE TEMP TABLE imp_batch ON COMMIT DROP AS
	SELECT x.n, x.key, x.doc,
	    md5((x.doc #- '{organization,id}')::text) AS md5sum,
	    NULL::uuid AS svc, gen_random_uuid() AS sub,
	    gen_random_uuid() AS org
	FROM (SELECT y.*, row_number() OVER (PARTITION BY y.key
		ORDER BY y.n) AS nth
	    FROM jsonb_to_recordset(p_rows) AS y (n bigint, key text,
		doc jsonb)) x
	WHERE x.nth = 1
	AND NOT EXISTS (SELECT 1 FROM import_key k
	    WHERE k.source = p_source AND k.key = x.key);
	BEGIN
		PERFORM listing_import_new(p_source, p_actor,
		    p_review_months, p_dry);
		SELECT coalesce(array_agg(b.n), '{}') INTO done
		FROM imp_batch b;
	EXCEPTION
		WHEN check_violation OR not_null_violation
		    OR foreign_key_violation OR invalid_text_representation
		    OR datetime_field_overflow OR numeric_value_out_of_range
		    OR invalid_datetime_format OR unique_violation THEN
			done := '{}';
	END;
	-- After the block: rows returned are not taken back by its undoing.
	RETURN QUERY SELECT b.n, b.svc, 'added'::text, NULL::text,
	    NULL::jsonb, NULL::jsonb
	FROM imp_batch b WHERE b.n = ANY (done);
	FOR r IN SELECT x.n, x.key, x.doc
	    FROM jsonb_to_recordset(p_rows) AS x (n bigint, key text,
		doc jsonb)
	    WHERE x.n <> ALL (done)
	    ORDER BY x.n
	LOOP
		o_n := r.n;
		o_before := NULL;
		o_after := NULL;
		IF p_diff THEN
			SELECT listing_document(k.service_id) INTO o_before
			FROM import_key k
			WHERE k.source = p_source AND k.key = r.key;
		END IF;
		SELECT i.o_service, i.o_outcome, i.o_constraint
		INTO o_service, o_outcome, o_constraint
		FROM listing_import(p_source, r.key, r.doc, p_actor,
		    p_review_months) i;
		IF p_diff AND o_outcome = 'updated' THEN
			o_after := listing_document(o_service);
		END IF;
		RETURN NEXT;
	END LOOP;
END;
$$;

-- The new records in imp_batch published as listing_import() publishes
-- each (listing_publish(), listing_apply()), the whole batch at once:
-- listing_apply_batch() writes them, then the submission approved, the
-- history entry (credited to the import) and the key are written for all
-- (the key only in a dry run: a later record may name it again).  Raises
-- what listing_apply_batch() raises.
DROP FUNCTION IF EXISTS listing_import_new(text, text, integer);
CREATE OR REPLACE FUNCTION listing_import_new(p_source text, p_actor text,
    p_review_months integer, p_dry boolean)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	-- An organisation already listed under that name is that one.
	UPDATE imp_batch b SET doc = jsonb_set(b.doc, '{organization,id}',
	    to_jsonb(o.id::text))
	FROM (SELECT DISTINCT ON (lower(o2.name)) lower(o2.name) AS lname,
		o2.id
	    FROM organization o2
	    WHERE lower(o2.name) IN (SELECT lower(b2.doc #>>
		'{organization,name}') FROM imp_batch b2)
	    ORDER BY lower(o2.name), o2.id) o
	WHERE nullif(b.doc #>> '{organization,id}', '') IS NULL
	AND lower(b.doc #>> '{organization,name}') = o.lname;
	-- A new name is one new organisation, written from the first record
	-- that names it, its id made here so that the later ones name it by
	-- id; all of them published in one call, reviewed today.
	UPDATE imp_batch b SET doc = jsonb_set(b.doc, '{organization,id}',
	    to_jsonb(f.org::text))
	FROM (SELECT DISTINCT ON (lower(b2.doc #>> '{organization,name}'))
		lower(b2.doc #>> '{organization,name}') AS lname, b2.n,
		b2.org
	    FROM imp_batch b2
	    WHERE nullif(b2.doc #>> '{organization,id}', '') IS NULL
	    ORDER BY lower(b2.doc #>> '{organization,name}'), b2.n) f
	WHERE nullif(b.doc #>> '{organization,id}', '') IS NULL
	AND lower(b.doc #>> '{organization,name}') = f.lname
	AND b.n <> f.n;
	UPDATE imp_batch b SET svc = a.o_service
	FROM listing_apply_batch((SELECT jsonb_agg(jsonb_build_object(
		'n', b1.n, 'doc', b1.doc, 'org', b1.org,
		'review_months', p_review_months))
	    FROM imp_batch b1)) a
	WHERE b.n = a.o_n;

	-- What listing_publish() leaves besides: the submission approved,
	-- the history entry, and the key remembered.
	IF NOT p_dry THEN
		INSERT INTO submission (id, kind, service_id, document, status,
		    decided_at)
		SELECT b.sub, 'new', b.svc, b.doc, 'approved', now()
		FROM imp_batch b
		ORDER BY b.n;
		INSERT INTO listing_change (service_id, actor, action,
		    submission_id, after)
		SELECT b.svc, p_actor, 'created', b.sub, d.doc
		FROM imp_batch b
		JOIN listing_documents(ARRAY(SELECT svc FROM imp_batch)) d
		    ON d.id = b.svc
		ORDER BY b.n;
	END IF;
	-- The version by the service's key: joined, a batch (a temporary
	-- table without statistics) was hashed against every service (a
	-- scan of them all a batch, until the directory was large enough to
	-- change the plan).
	INSERT INTO import_key (source, key, service_id, doc_md5, version)
	SELECT p_source, b.key, b.svc, b.md5sum,
	    (SELECT s.version FROM service s WHERE s.id = b.svc)
	FROM imp_batch b;
END;
$$;
