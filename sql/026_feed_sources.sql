-- 026: where an imported listing comes from, in the partner feed.
--
-- Open Referral UK 3.0 has no field for a listing's source, but it has
-- attributes: a link from a service to a taxonomy term.  The feed shows
-- each import source as a term of one more taxonomy, "Data sources": the
-- term's name is the source's, its description what the source's licence
-- asks us to say (ALISS's CC BY 4.0 attribution travels with its data to
-- partners), its term_uri the source's address.  An imported listing has
-- an attribute for each source it came from, and its assured_date is the
-- day it was last taken from there.  The terms are not rows of taxonomy
-- and taxonomy_term, which hold the categories people search by; these
-- views are what the feed reads as its taxonomies and terms: the real
-- ones, and the sources.  A source's term id is derived from its name,
-- so it stays the same from one run to the next.
CREATE VIEW feed_taxonomy AS
SELECT tx.id, tx.name, tx.description, tx.uri, tx.version
FROM taxonomy tx
UNION ALL
SELECT md5('signpost-taxonomy-data-sources')::uuid, 'Data sources',
    'Where listings imported into this directory come from, and what each '
    'source asks to be said wherever its data is shown.', NULL, NULL
WHERE EXISTS (SELECT 1 FROM import_source);

-- source: the import source a term stands for (NULL for a category).
CREATE VIEW feed_taxonomy_term AS
SELECT t.id, t.name, t.description, t.parent_id, t.taxonomy_id,
    t.term_uri, NULL::text AS source
FROM taxonomy_term t
UNION ALL
SELECT md5('signpost-source-' || s.name)::uuid, s.name,
    coalesce(s.attribution, 'Listings imported from ' || s.name), NULL,
    md5('signpost-taxonomy-data-sources')::uuid, s.url, s.name
FROM import_source s;
