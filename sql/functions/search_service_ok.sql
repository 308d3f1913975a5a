-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- Every filter of a search on one service row, ANDed; a NULL (or false)
-- filter is not applied.  search_matches writes the same conditions out
-- in its two busy queries (a function holding EXISTS is never inlined,
-- and a call per row costs tens of microseconds); this is for the rare
-- rows of its third.  Change the three together.
CREATE OR REPLACE FUNCTION search_service_ok(s service, p_query tsquery,
    p_cats uuid[], p_age integer, p_free boolean, p_self boolean,
    p_walking boolean, p_code text, p_from time, p_to time, p_on date,
    p_access text[]) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT s.status = 'active'
	    AND (p_query IS NULL OR s.search_vector @@ p_query)
	    AND (p_cats IS NULL OR EXISTS (SELECT 1 FROM service_taxonomy st
		WHERE st.service_id = s.id
		AND st.taxonomy_term_id = ANY (p_cats)))
	    AND (p_age IS NULL OR (coalesce(s.minimum_age, 0) <= p_age
		AND coalesce(s.maximum_age, 130) >= p_age))
	    AND (NOT p_free OR s.is_free)
	    AND (NOT p_self OR coalesce(s.self_referral, false))
	    AND (NOT p_walking OR s.kind = 'walking_group')
	    AND ((p_code IS NULL AND p_from IS NULL AND p_on IS NULL)
		OR search_service_runs(s.id, p_code, p_from, p_to, p_on))
	    AND (p_access IS NULL OR search_service_has_access(s.id, p_access))
$$;
