-- 022: an upload's dry run keeps, for each listing it would change, the
-- document before and after ({line, before, after}), so that its page can
-- show the differences field by field.

ALTER TABLE import_upload ADD COLUMN dry_changes jsonb NOT NULL
    DEFAULT '[]' CHECK (jsonb_typeof(dry_changes) = 'array');
