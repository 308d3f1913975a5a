-- A full import of a source (its whole feed) withdraws the listings it
-- made before whose keys are not in it any more: unpublished as a
-- moderator's "withdraw" does (status inactive, a new version, one
-- history entry credited to the import), never deleted, so the history
-- keeps them and a later run that finds them again publishes them again.
-- p_seen is a JSON array of every key the run read, taken or not (a
-- service the feed still lists but that failed a check is not gone).
-- Returns the listings withdrawn.
CREATE OR REPLACE FUNCTION import_withdraw_missing(p_source text,
    p_seen jsonb, p_actor text)
RETURNS TABLE (o_service uuid, o_name text)
LANGUAGE sql AS $$
	WITH seen AS MATERIALIZED (
		SELECT DISTINCT k FROM jsonb_array_elements_text(p_seen) k
	), gone AS (
		SELECT k.service_id FROM import_key k
		JOIN service s ON s.id = k.service_id
		WHERE k.source = p_source AND s.status = 'active'
		AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.k = k.key)
	), d AS (
		SELECT g.service_id, listing_document(g.service_id) AS doc
		FROM gone g
	), u AS (
		UPDATE service s SET status = 'inactive', version = version + 1
		FROM d WHERE s.id = d.service_id
		RETURNING s.id, s.name
	), h AS (
		INSERT INTO listing_change (service_id, actor, action, before,
		    after)
		SELECT u.id, p_actor, 'withdrawn', d.doc,
		    jsonb_set(d.doc, '{withdrawn}', 'true')
		FROM u JOIN d ON d.service_id = u.id
	)
	SELECT u.id, u.name FROM u ORDER BY u.name
$$;
