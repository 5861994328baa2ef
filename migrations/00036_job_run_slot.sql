-- +goose Up
-- A scheduled run claims its schedule slot: every replica's cron fires at
-- the same minute, and the first insert of (job, slot) runs it; the others
-- find the slot taken and do nothing, so a job runs once per slot however
-- fast it is (the job's lock alone only keeps runs from overlapping).
ALTER TABLE job_runs ADD COLUMN slot timestamptz;
CREATE UNIQUE INDEX job_runs_slot_key ON job_runs (job, slot) WHERE slot IS NOT NULL;

-- +goose Down
DROP INDEX job_runs_slot_key;
ALTER TABLE job_runs DROP COLUMN slot;
