-- 021: spreadsheets uploaded by administrators at /admin/import.  The
-- file is kept with the report of its dry run until it is applied (once:
-- applied_at is claimed by the first apply), with the report of that.

CREATE TABLE import_upload (
	id		uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	source		text NOT NULL CHECK (char_length(source)
			    BETWEEN 1 AND 200),
	body		text NOT NULL,
	dry_report	text NOT NULL,
	bad_rows	integer NOT NULL DEFAULT 0,
	created_by	uuid REFERENCES app_user (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	applied_at	timestamptz,
	applied_by	uuid REFERENCES app_user (id),
	applied_report	text
);
