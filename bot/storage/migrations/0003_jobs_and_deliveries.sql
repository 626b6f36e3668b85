-- Scheduled jobs' progress: which periods ran, and every message a job sends.
CREATE TABLE job_runs (
    job         TEXT NOT NULL,
    period      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (job, period)
);

-- One row per (job, period, recipient): a message is sent at most once, and a run that
-- stopped halfway resumes with the rows still pending.
CREATE TABLE deliveries (
    job        TEXT NOT NULL,
    period     TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    chat_id    INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'unreachable', 'failed',
                                               'uncertain')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    error      TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (job, period, recipient)
);
CREATE INDEX deliveries_status ON deliveries(job, period, status);
