-- The points shop (积分超市), redemptions, and objections to the monthly public notice.
CREATE TABLE rewards (
    id            INTEGER PRIMARY KEY,
    community_id  INTEGER NOT NULL REFERENCES communities(id),
    name          TEXT NOT NULL,
    cost          INTEGER NOT NULL CHECK (cost > 0),
    stock         INTEGER NOT NULL CHECK (stock >= 0),
    photo_file_id TEXT,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX rewards_community ON rewards(community_id, active);

CREATE TABLE redemptions (
    id              INTEGER PRIMARY KEY,
    reward_id       INTEGER NOT NULL REFERENCES rewards(id),
    member_id       INTEGER NOT NULL REFERENCES members(id),
    cost            INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'handed_over', 'cancelled')),
    request_key     TEXT NOT NULL UNIQUE,   -- one confirmation button redeems once
    ledger_entry_id INTEGER NOT NULL REFERENCES ledger_entries(id),
    refund_entry_id INTEGER REFERENCES ledger_entries(id),
    created_at      TEXT NOT NULL,
    settled_at      TEXT,
    settled_by      INTEGER
);
CREATE INDEX redemptions_status ON redemptions(status, created_at);

CREATE TABLE objections (
    id                  INTEGER PRIMARY KEY,
    member_id           INTEGER NOT NULL REFERENCES members(id),
    entry_id            INTEGER NOT NULL REFERENCES ledger_entries(id),
    month               TEXT NOT NULL,
    reason              TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('open', 'kept', 'corrected')),
    correction_entry_id INTEGER REFERENCES ledger_entries(id),
    resolved_by         INTEGER,
    resolved_at         TEXT,
    created_at          TEXT NOT NULL,
    UNIQUE (entry_id, member_id)
);
