-- Issue 17.20: a member's question to the community's secretaries, and its answer.
CREATE TABLE questions (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    member_id    INTEGER NOT NULL REFERENCES members(id),
    text         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    answered_at  TEXT,
    answered_by  INTEGER,            -- the answering secretary's Telegram id
    answered_by_name TEXT NOT NULL DEFAULT '',  -- and their name, for a second secretary
    answer       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX questions_member ON questions(member_id, status);
