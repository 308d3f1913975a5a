-- The current definition (its last in the migrations was sql/011_submissions.sql; change it here).
-- Publish a pending submission.  Raises SP409 when the item is no longer
-- pending or was edited since the moderator saw it (p_version), SP412
-- when the listing changed since the update was made from it.
CREATE OR REPLACE FUNCTION listing_publish(p_submission uuid, p_version integer,
    p_user uuid, p_review_months integer) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	sub	submission%ROWTYPE;
	svc	uuid;
	old	jsonb;
	cur	integer;
BEGIN
	SELECT * INTO sub FROM submission WHERE id = p_submission FOR UPDATE;
	IF NOT FOUND OR sub.status <> 'pending' OR sub.version <> p_version
	THEN
		RAISE EXCEPTION 'submission changed' USING ERRCODE = 'SP409';
	END IF;
	IF sub.kind = 'update' THEN
		SELECT version INTO cur FROM service WHERE id = sub.service_id
		FOR UPDATE;
		IF cur IS DISTINCT FROM sub.base_version THEN
			RAISE EXCEPTION 'listing changed' USING ERRCODE = 'SP412';
		END IF;
		old := listing_document(sub.service_id);
	END IF;
	svc := listing_apply(sub.service_id, sub.document);
	UPDATE service SET version = version + CASE WHEN sub.kind = 'new'
	    THEN 0 ELSE 1 END,
	    last_reviewed = current_date,
	    review_due = current_date + make_interval(months =>
		p_review_months)
	WHERE id = svc;
	UPDATE submission SET status = 'approved', service_id = svc,
	    decided_at = now(), decided_by = p_user, updated_at = now()
	WHERE id = sub.id;
	INSERT INTO listing_change (service_id, user_id, actor, action,
	    submission_id, before, after)
	SELECT svc, p_user, coalesce((SELECT email FROM app_user
	    WHERE id = p_user), 'system'),
	    CASE WHEN sub.kind = 'new' THEN 'created' ELSE 'updated' END,
	    sub.id, old, listing_document(svc);
	RETURN svc;
END;
$$;
