-- Volunteer tasks, their cards in group chats, sign-ups, the points ledger, monthly reports.
CREATE TABLE categories (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER REFERENCES communities(id),  -- NULL: offered to every community
    name           TEXT NOT NULL,
    default_points INTEGER NOT NULL CHECK (default_points > 0),
    position       INTEGER NOT NULL DEFAULT 0,
    active         INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX categories_name ON categories(IFNULL(community_id, 0), name);
INSERT INTO categories (community_id, name, default_points, position) VALUES
    (NULL, '理论宣讲', 3, 1),
    (NULL, '平安创建', 3, 2),
    (NULL, '文明实践', 2, 3),
    (NULL, '爱心帮扶', 3, 4),
    (NULL, '环境整治', 2, 5),
    (NULL, '其他', 1, 6);

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id),
    title         TEXT NOT NULL,
    category      TEXT NOT NULL,
    points        INTEGER NOT NULL CHECK (points > 0),
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    capacity      INTEGER CHECK (capacity IS NULL OR capacity > 0),
    place         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'cancelled')),
    checkin_token TEXT NOT NULL UNIQUE,
    created_by    INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    published_at  TEXT,
    finished_at   TEXT,               -- closed early or cancelled
    settled_at    TEXT                -- no-shows marked after check-in closed
);
CREATE INDEX tasks_community_status ON tasks(community_id, status, starts_at);

CREATE TABLE task_cards (
    task_id    INTEGER NOT NULL REFERENCES tasks(id),
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (task_id, chat_id)
);

CREATE TABLE signups (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER NOT NULL REFERENCES tasks(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    status         TEXT NOT NULL CHECK (status IN ('joined', 'waitlisted', 'left', 'checked_in',
                                                   'approved', 'rejected', 'no_show')),
    queued_at      TEXT NOT NULL,      -- the waitlist is first come, first served
    queue_seq      INTEGER NOT NULL,
    checked_in_at  TEXT,
    checkin_method TEXT,
    reviewed_by    INTEGER,
    reviewed_at    TEXT,
    reject_reason  TEXT,
    updated_at     TEXT NOT NULL,
    UNIQUE (task_id, member_id)
);
CREATE INDEX signups_task_status ON signups(task_id, status, queue_seq);
CREATE INDEX signups_member ON signups(member_id, status);

-- Append-only: a correction is a new entry, never an edit.
CREATE TABLE ledger_entries (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    community_id INTEGER NOT NULL REFERENCES communities(id),
    points       INTEGER NOT NULL CHECK (points != 0),
    reason       TEXT NOT NULL,
    source       TEXT NOT NULL CHECK (source IN ('task', 'grant', 'correction', 'redemption',
                                                 'refund')),
    task_id      INTEGER REFERENCES tasks(id),
    signup_id    INTEGER UNIQUE REFERENCES signups(id),
    author_id    INTEGER,
    created_at   TEXT NOT NULL
);
CREATE INDEX ledger_member ON ledger_entries(member_id, created_at);
CREATE INDEX ledger_community_time ON ledger_entries(community_id, created_at);
CREATE TRIGGER ledger_no_update BEFORE UPDATE OF points, reason, source, member_id, created_at
    ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger_entries
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

CREATE TABLE monthly_reports (
    member_id   INTEGER NOT NULL REFERENCES members(id),
    month       TEXT NOT NULL,          -- YYYY-MM in the configured time zone
    reported_at TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL CHECK (source IN ('command', 'checkin')),
    PRIMARY KEY (member_id, month)
);
