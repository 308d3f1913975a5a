-- 019: sign-in throttling that cannot lock an account's owner out.
-- Failures are limited per address (login_max_failures); an account's
-- failures from everywhere have a higher ceiling
-- (login_max_failures_per_account) that does not apply to a browser the
-- owner has signed in from before (a long-lived cookie whose hash is kept
-- here), and counts only failures since the password was last set
-- (`signpost user password`).
CREATE TABLE known_browser (
	token_hash		bytea PRIMARY KEY,
	user_id			uuid NOT NULL REFERENCES app_user (id)
				    ON DELETE CASCADE,
	created_at		timestamptz NOT NULL DEFAULT now(),
	last_used		timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX known_browser_user_idx ON known_browser (user_id);

ALTER TABLE app_user ADD COLUMN password_set_at timestamptz NOT NULL
    DEFAULT now();
