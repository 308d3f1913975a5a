-- 018: sessions keep the order the group gave them.  A schedule row's seq
-- is its place in the listing: listing_apply() inserts a document's
-- sessions in order, so seq follows it, and listing_document()
-- (sql/functions/) returns them that way (before, by venue, day code and time: Saturday came before
-- Wednesday).  Rows from before this take the order they were stored in.
ALTER TABLE schedule ADD COLUMN seq bigserial NOT NULL;
