-- Members' work units (报到单位): one row per unit name in a community (a spelling a
-- secretary merged into another unit points to it), the unit's liaison and the invitations that make one, the
-- quarterly feedback sent to the unit (双报到反馈), and points granted to the unit (共建).
CREATE TABLE units (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    name         TEXT NOT NULL,
    merged_into  INTEGER REFERENCES units(id),  -- another spelling of that unit
    UNIQUE (community_id, name)
);
CREATE TABLE unit_liaisons (
    unit_id     INTEGER PRIMARY KEY REFERENCES units(id),
    telegram_id INTEGER NOT NULL,
    name        TEXT NOT NULL,
    language    TEXT,  -- the locale the liaison reads
    since       TEXT NOT NULL
);
CREATE INDEX unit_liaisons_person ON unit_liaisons(telegram_id);
CREATE TABLE unit_invites (
    code       TEXT PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    used_by    INTEGER,
    used_at    TEXT
);
CREATE TABLE unit_feedback (
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    quarter     TEXT NOT NULL,
    telegram_id INTEGER NOT NULL,
    sent_at     TEXT NOT NULL,
    received_at TEXT,
    PRIMARY KEY (unit_id, quarter)
);
CREATE TABLE unit_grants (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    points     INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    granted_by INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX unit_grants_unit ON unit_grants(unit_id, created_at);
CREATE TRIGGER unit_grants_no_update BEFORE UPDATE ON unit_grants
    BEGIN SELECT RAISE(ABORT, 'unit grants are append-only'); END;
