-- 006: marks demonstration rows.  `signpost load-demo` fills a fresh
-- database with sample services at real venues (sql/demo/); every row it
-- writes has is_demo = true, pages show a "Demo listing" badge for them,
-- and a reload deletes and rewrites only those rows, never real listings.
--
-- location has the flag too: demo venues are real places, and a real
-- listing may come to use one, so the loader must be able to tell which
-- locations it owns (it keeps any that a real service uses).

ALTER TABLE organization ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
ALTER TABLE service ADD COLUMN is_demo boolean NOT NULL DEFAULT false;
ALTER TABLE location ADD COLUMN is_demo boolean NOT NULL DEFAULT false;

-- Small partial indexes: the loader finds its own rows, and an operator
-- can count or hide them, without scanning real listings.
CREATE INDEX organization_is_demo_idx ON organization (id) WHERE is_demo;
CREATE INDEX service_is_demo_idx ON service (id) WHERE is_demo;
CREATE INDEX location_is_demo_idx ON location (id) WHERE is_demo;
