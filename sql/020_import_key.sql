-- 020: imports.  Each imported listing keeps the key it was imported
-- under in its source (the file's id column, or its organisation, service
-- and venue postcode), so that importing the same file again updates the
-- listing it made instead of adding another.  The function that imports
-- one listing is sql/functions/listing_import.sql.

CREATE TABLE import_key (
	source		text NOT NULL CHECK (char_length(source)
			    BETWEEN 1 AND 200),
	key		text NOT NULL CHECK (char_length(key)
			    BETWEEN 1 AND 1000),
	service_id	uuid NOT NULL REFERENCES service (id)
			    ON DELETE CASCADE,
	imported_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (source, key)
);

CREATE INDEX import_key_service_idx ON import_key (service_id);
