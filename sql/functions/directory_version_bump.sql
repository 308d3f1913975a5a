-- directory_version (sql/008): bumped after each statement that changes
-- the directory, and NOTIFY'd so that the feed's cache is renewed at once.
-- Skipped inside listing_check()'s trial (sql/014), and while a bulk
-- import runs (signpost.bulk, transaction-local): updating one row many
-- thousand times in one transaction gets slower with each update (its
-- chain of versions grows), so an import touches it once, at its end
-- (directory_version_touch).
CREATE OR REPLACE FUNCTION directory_version_touch() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v	bigint;
	t	timestamptz;
BEGIN
	UPDATE directory_version
	SET version = version + 1, changed_at = clock_timestamp()
	RETURNING version, changed_at INTO v, t;
	PERFORM pg_notify('directory_version',
	    v || ' ' || floor(extract(epoch FROM t))::bigint);
END;
$$;

CREATE OR REPLACE FUNCTION directory_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('signpost.listing_check', true) = 'on' OR
	    current_setting('signpost.bulk', true) = 'on' THEN
		RETURN NULL;
	END IF;
	PERFORM directory_version_touch();
	RETURN NULL;
END;
$$;
