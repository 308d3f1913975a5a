-- 013: a reminder's stage is the month it went out at, and those months
-- are settings (reminder_months_first, reminder_months_second: 1 to 120),
-- not always 10 and 11.
ALTER TABLE reminder DROP CONSTRAINT reminder_stage_check;
ALTER TABLE reminder ADD CONSTRAINT reminder_stage_check
    CHECK (stage BETWEEN 1 AND 120);
