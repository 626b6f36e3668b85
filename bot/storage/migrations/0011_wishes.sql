-- The wish wall (心愿征集墙 / 微心愿): residents' small wishes, approved by a secretary,
-- claimed by one member, done, and confirmed (the claimant earns points).
CREATE TABLE wishes (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER NOT NULL REFERENCES communities(id),
    author_id      INTEGER,            -- the resident's Telegram id (NULL: entered on paper)
    text           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'declined', 'open', 'claimed',
                                                   'done', 'fulfilled')),
    claimant_id    INTEGER REFERENCES members(id),
    decline_reason TEXT,
    ledger_entry_id INTEGER REFERENCES ledger_entries(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX wishes_community_status ON wishes(community_id, status, id);
CREATE INDEX wishes_claimant ON wishes(claimant_id, status);
