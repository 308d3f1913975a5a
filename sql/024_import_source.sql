-- 024: where an imported listing comes from, for the people reading it.
--
-- import_source: each source an import has named (--source), with the
-- address of its feed when the import gave one (--url).  import_key's
-- checked_at is the last time an import read the listing from there,
-- changed or not: the service page says "From <source>, checked <date>".
CREATE TABLE import_source (
	name		text PRIMARY KEY CHECK (char_length(name)
			    BETWEEN 1 AND 200),
	url		text CHECK (url IS NULL OR valid_http_url(url)),
	checked_at	timestamptz NOT NULL DEFAULT now()
);

INSERT INTO import_source (name)
SELECT DISTINCT source FROM import_key;

ALTER TABLE import_key
    ADD COLUMN checked_at timestamptz NOT NULL DEFAULT now();
