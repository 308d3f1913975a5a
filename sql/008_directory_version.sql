-- 008: a change counter for the whole directory, so that the partner feed
-- (app/feed.c) can render each page once per change and answer repeated
-- requests from memory.  One row; every statement that writes to a table
-- the feed reads bumps it, in the writer's own transaction, so a reader
-- that sees the new version also sees the new rows.
--
-- Statement-level, not row-level: a bulk load of 10 000 rows bumps the
-- counter once.  The price is that writers to the directory queue on this
-- one row until they commit; directory edits are rare and short, so that
-- is the right trade for a read-mostly feed.

CREATE TABLE directory_version (
	-- Only one row: the primary key is a constant.
	singleton	boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	version		bigint NOT NULL DEFAULT 1 CHECK (version > 0),
	changed_at	timestamptz NOT NULL DEFAULT now()
);

INSERT INTO directory_version DEFAULT VALUES;

-- clock_timestamp(), not now(): Last-Modified should not predate a long
-- transaction's last statement.  The NOTIFY, delivered at commit, carries
-- "version epoch-seconds" so that the server learns of a change without
-- asking on every request (app/feed.c, ver_listener).
CREATE FUNCTION directory_version_bump() RETURNS trigger
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
	RETURN NULL;
END;
$$;

DO $$
DECLARE
	t	text;
BEGIN
	FOREACH t IN ARRAY ARRAY['organization', 'service', 'location',
	    'service_at_location', 'schedule', 'walk_detail', 'taxonomy',
	    'taxonomy_term', 'service_taxonomy', 'contact', 'phone',
	    'accessibility', 'language', 'service_area', 'cost_option',
	    'postcode', 'postcode_district', 'area'] LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR '
		    'DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE '
		    'FUNCTION directory_version_bump()', t || '_version', t);
	END LOOP;
END;
$$;
