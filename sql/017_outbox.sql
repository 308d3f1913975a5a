-- 017: the reminder table becomes the outbox of every e-mail a group gets:
-- freshness reminders, and now the private link when a listing is sent
-- ('submitted') and the moderator's decision ('approved', 'rejected', with
-- a new link).  A message is queued with its whole text in the same
-- transaction as what it tells of, so it exists exactly when that does.
ALTER TABLE reminder RENAME TO outbox;
ALTER TABLE outbox RENAME CONSTRAINT reminder_once_key TO outbox_reminder_once;
ALTER TABLE outbox RENAME CONSTRAINT reminder_stage_check TO outbox_stage_check;
ALTER INDEX reminder_outbox_idx RENAME TO outbox_waiting_idx;
ALTER INDEX reminder_pkey RENAME TO outbox_pkey;
ALTER SEQUENCE reminder_id_seq RENAME TO outbox_id_seq;

ALTER TABLE outbox ADD COLUMN kind text NOT NULL DEFAULT 'reminder'
    CHECK (kind IN ('reminder', 'submitted', 'approved', 'rejected'));
ALTER TABLE outbox ALTER COLUMN kind DROP DEFAULT;
-- A message about a submission goes with it: its link would lead nowhere.
ALTER TABLE outbox ADD COLUMN submission_id uuid
    REFERENCES submission (id) ON DELETE CASCADE;
ALTER TABLE outbox ALTER COLUMN service_id DROP NOT NULL;
ALTER TABLE outbox ALTER COLUMN review_due DROP NOT NULL;
ALTER TABLE outbox ALTER COLUMN stage DROP NOT NULL;
-- A reminder still belongs to one listing's cycle and stage (its unique
-- key is what sends it once); the others belong to a submission.
ALTER TABLE outbox ADD CONSTRAINT outbox_kind_keys CHECK (CASE kind
    WHEN 'reminder' THEN service_id IS NOT NULL AND review_due IS NOT NULL
	AND stage IS NOT NULL
    ELSE submission_id IS NOT NULL END);
CREATE INDEX outbox_submission_idx ON outbox (submission_id)
    WHERE submission_id IS NOT NULL;
