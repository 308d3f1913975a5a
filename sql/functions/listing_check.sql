-- The current definition (its last in the migrations was sql/014_listing_check_fast.sql; change it here).
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
