-- The outbox: every message the bot sends on its own is a row, written in the transaction
-- of the change that causes it, and sent by one sender that claims rows atomically.
CREATE TABLE outbox (
    id                 INTEGER PRIMARY KEY,
    chat_id            INTEGER NOT NULL,
    kind               TEXT NOT NULL CHECK (kind IN ('text', 'document', 'photo', 'card')),
    payload            TEXT NOT NULL,            -- JSON: text, markup, file name, caption…
    content            BLOB,                     -- a document's or photo's bytes
    member_telegram_id INTEGER,                  -- a member's private chat: 403 = unreachable
    priority           INTEGER NOT NULL DEFAULT 0,   -- 0 notices and cards, 1 a job's fan-out
    effect             TEXT,                     -- what a successful send records (task_card:<id>)
    coalesce_key       TEXT,                     -- card edits: one pending row per card
    job                TEXT,                     -- a job's delivery: (job, period, recipient, part)
    period             TEXT,
    recipient          TEXT,
    part               INTEGER NOT NULL DEFAULT 0,
    status             TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'claimed', 'sending', 'sent', 'unreachable',
                                         'failed', 'uncertain')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    not_before         REAL NOT NULL,            -- unix time
    send_at            REAL,                     -- the paced slot a claim gave it
    claimed_by         TEXT,
    claimed_until      REAL,
    message_id         INTEGER,                  -- what Telegram answered
    error              TEXT,
    created_at         TEXT NOT NULL,
    finished_at        TEXT
);
CREATE UNIQUE INDEX outbox_delivery ON outbox(job, period, recipient, part) WHERE job IS NOT NULL;
CREATE UNIQUE INDEX outbox_coalesce ON outbox(coalesce_key) WHERE status = 'pending';
CREATE INDEX outbox_due ON outbox(status, priority, id);
CREATE INDEX outbox_chat ON outbox(chat_id, status, id);
CREATE INDEX outbox_job_status ON outbox(job, period, status) WHERE job IS NOT NULL;

-- Pacing shared by every process that sends: the next free slot overall, and per chat.
CREATE TABLE outbox_pace (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    next_slot REAL NOT NULL
);
INSERT INTO outbox_pace (id, next_slot) VALUES (1, 0);
CREATE TABLE outbox_chats (
    chat_id INTEGER PRIMARY KEY,
    next_at REAL NOT NULL
);

-- What the old per-job delivery rows recorded carries over, so no run sends twice;
-- rows still pending are left out: the job's next run plans them again with their text.
INSERT INTO outbox (chat_id, kind, payload, job, period, recipient, part, status, attempts,
                    not_before, error, created_at, finished_at)
SELECT chat_id, 'text', '{}', job, period, recipient, 0, status, attempts, 0, error,
       updated_at, updated_at
FROM deliveries WHERE status <> 'pending';
DROP TABLE deliveries;
