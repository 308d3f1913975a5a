-- 009: "report a problem" on a service page.  A person tells us a listing
-- is out of date (closed, wrong time, wrong contact, something else); the
-- report waits here until someone checks the listing and closes it.
--
-- The limits mirror the form's (app/page_service.c), so a report that got
-- past the form is still held to them: details at most 2000 characters,
-- the optional reply address a valid email.  A report goes with its
-- service (ON DELETE CASCADE): it is about nothing once the listing is
-- gone.

CREATE TABLE problem_report (
	id			uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	service_id		uuid NOT NULL REFERENCES service (id)
				    ON DELETE CASCADE,
	problem			text NOT NULL CHECK (problem IN ('closed',
				    'wrong_time', 'wrong_contact', 'other')),
	details			text CHECK (btrim(details) <> ''
				    AND char_length(details) <= 2000),
	email			text CHECK (valid_email(email)),
	status			text NOT NULL DEFAULT 'open'
				    CHECK (status IN ('open', 'resolved',
				    'dismissed')),
	created_at		timestamptz NOT NULL DEFAULT now(),
	resolved_at		timestamptz,
	CONSTRAINT problem_report_resolved_check
	    CHECK ((status = 'open') = (resolved_at IS NULL)),
	-- "Something else" with nothing said is no report at all.
	CONSTRAINT problem_report_other_check
	    CHECK (problem <> 'other' OR details IS NOT NULL)
);

CREATE INDEX problem_report_service_id_idx ON problem_report (service_id);
-- The reviewers' queue: open reports, oldest first.
CREATE INDEX problem_report_open_idx ON problem_report (created_at)
    WHERE status = 'open';
