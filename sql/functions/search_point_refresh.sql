-- The current definition (its last in the migrations was sql/007_search.sql; change it here).
CREATE OR REPLACE FUNCTION search_point_refresh(p_services uuid[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM search_point_refresh_points(p_services);
	PERFORM search_area_refresh(p_services);
END;
$$;
