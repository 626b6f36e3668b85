-- A failed scheduled run is retried with backoff, and the admins hear of it once.
ALTER TABLE job_runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;  -- failed tries so far
ALTER TABLE job_runs ADD COLUMN error TEXT;        -- the last failure, in a few words
ALTER TABLE job_runs ADD COLUMN retry_at TEXT;     -- when the next try is due; NULL: none
ALTER TABLE job_runs ADD COLUMN reported_at TEXT;  -- when the admins were told it failed
CREATE INDEX job_runs_retry ON job_runs(retry_at) WHERE finished_at IS NULL;
