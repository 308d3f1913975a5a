-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
-- How many services the planner expects to match a text query, from the
-- statistics of service.search_vector.  EXECUTE ... USING plans with the
-- value known, and nothing is pasted into the SQL.  VOLATILE only
-- because PostgreSQL allows EXPLAIN in no other kind of function.
CREATE OR REPLACE FUNCTION search_estimate(p_query tsquery) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	plan	json;
BEGIN
	EXECUTE 'EXPLAIN (FORMAT JSON) SELECT 1 FROM service'
	    ' WHERE search_vector @@ $1' INTO plan USING p_query;
	RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::integer;
END;
$$;
