-- 023: what a fast re-import needs.
--
-- An import looks up each row's organisation by name, case aside: with an
-- index that is one probe, not a scan of every organisation per row.
--
-- import_key remembers the document it last applied (its md5) and the
-- listing's version right after.  When the same source gives the same
-- document again and nobody has changed the listing since, applying it
-- would change nothing: listing_import() says so without trying it.
CREATE INDEX organization_lower_name_idx ON organization (lower(name));

ALTER TABLE import_key
    ADD COLUMN doc_md5 text,
    ADD COLUMN version integer;

-- listing_import() credits the history entry listing_publish() wrote to
-- the import, found by its submission.
CREATE INDEX listing_change_submission_idx ON listing_change (submission_id)
    WHERE submission_id IS NOT NULL;
