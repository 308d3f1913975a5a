-- The current definition (its last in the migrations was sql/011_submissions.sql; change it here).
-- Put back the "after" of an earlier change, as a new recorded change.
-- Raises SP412 when the listing changed since p_version.
CREATE OR REPLACE FUNCTION listing_restore(p_change bigint, p_version integer,
    p_user uuid) RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	ch	listing_change%ROWTYPE;
	old	jsonb;
	cur	integer;
BEGIN
	SELECT * INTO ch FROM listing_change WHERE id = p_change;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no such change' USING ERRCODE = 'SP404';
	END IF;
	SELECT version INTO cur FROM service WHERE id = ch.service_id
	FOR UPDATE;
	IF cur IS DISTINCT FROM p_version THEN
		RAISE EXCEPTION 'listing changed' USING ERRCODE = 'SP412';
	END IF;
	old := listing_document(ch.service_id);
	PERFORM listing_apply(ch.service_id, ch.after);
	UPDATE service SET version = version + 1 WHERE id = ch.service_id;
	INSERT INTO listing_change (service_id, user_id, actor, action,
	    restored_from, before, after)
	SELECT ch.service_id, p_user, coalesce((SELECT email FROM app_user
	    WHERE id = p_user), 'system'), 'restored', ch.id,
	    old, listing_document(ch.service_id);
	RETURN ch.service_id;
END;
$$;
