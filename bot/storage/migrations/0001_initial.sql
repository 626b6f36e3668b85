-- Communities, members, the imported roster, secretaries and bound group chats.
CREATE TABLE communities (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    enroll_code TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);

CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    telegram_id  INTEGER UNIQUE,
    name         TEXT NOT NULL,
    work_unit    TEXT NOT NULL DEFAULT '',
    member_type  TEXT NOT NULL CHECK (member_type IN ('in_service', 'resident', 'volunteer')),
    compound     TEXT NOT NULL DEFAULT '',
    phone        TEXT,
    language     TEXT,
    reachable    INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    erased_at    TEXT
);
CREATE INDEX members_community ON members(community_id);

CREATE TABLE roster_entries (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    name         TEXT NOT NULL,
    phone        TEXT NOT NULL,
    work_unit    TEXT NOT NULL DEFAULT '',
    member_type  TEXT NOT NULL CHECK (member_type IN ('in_service', 'resident', 'volunteer')),
    compound     TEXT NOT NULL DEFAULT '',
    member_id    INTEGER UNIQUE REFERENCES members(id) ON DELETE SET NULL,
    imported_at  TEXT NOT NULL,
    UNIQUE (community_id, phone)
);

CREATE TABLE secretaries (
    telegram_id  INTEGER PRIMARY KEY,
    community_id INTEGER REFERENCES communities(id),
    granted_by   INTEGER,
    created_at   TEXT NOT NULL
);

CREATE TABLE group_chats (
    chat_id      INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    title        TEXT NOT NULL,
    bound_by     INTEGER NOT NULL,
    bound_at     TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX group_chats_community ON group_chats(community_id);

-- Update ids already handled, so a replayed update is not acted on twice.
CREATE TABLE processed_updates (
    update_id    INTEGER PRIMARY KEY,
    processed_at TEXT NOT NULL
);
