-- A wish can be withdrawn: its author asked to be forgotten before it was done (16.2).
-- SQLite cannot change a CHECK: the table is rebuilt with the same columns, in order, and
-- wish_cards with it (its rows point at the wishes being rebuilt; the foreign keys stay on).
CREATE TABLE wishes_new (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER NOT NULL REFERENCES communities(id),
    author_id      INTEGER,            -- the resident's Telegram id (NULL: entered on paper)
    text           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'declined', 'open', 'claimed',
                                                   'done', 'fulfilled', 'withdrawn')),
    claimant_id    INTEGER REFERENCES members(id),
    decline_reason TEXT,
    ledger_entry_id INTEGER REFERENCES ledger_entries(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    compound       TEXT NOT NULL DEFAULT '',
    photo_file_id  TEXT,
    proof_file_id  TEXT
);
INSERT INTO wishes_new (id, community_id, author_id, text, status, claimant_id, decline_reason,
                        ledger_entry_id, created_at, updated_at, compound, photo_file_id,
                        proof_file_id)
SELECT id, community_id, author_id, text, status, claimant_id, decline_reason, ledger_entry_id,
       created_at, updated_at, compound, photo_file_id, proof_file_id FROM wishes;
CREATE TABLE wish_cards_new (
    wish_id    INTEGER NOT NULL REFERENCES wishes_new(id),
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (wish_id, chat_id)
);
INSERT INTO wish_cards_new (wish_id, chat_id, message_id)
SELECT wish_id, chat_id, message_id FROM wish_cards;
DROP TABLE wish_cards;
DROP TABLE wishes;
ALTER TABLE wishes_new RENAME TO wishes;  -- wish_cards_new's reference follows the name
ALTER TABLE wish_cards_new RENAME TO wish_cards;
CREATE INDEX wishes_community_status ON wishes(community_id, status, id);
CREATE INDEX wishes_claimant ON wishes(claimant_id, status);
CREATE INDEX wishes_author ON wishes(author_id, status);

-- a wish's posts in the outbox, found by what their send records (wish_card:<id>)
CREATE INDEX outbox_effect ON outbox(effect) WHERE effect IS NOT NULL;
