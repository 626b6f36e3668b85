-- A member may object to a check-in that earned nothing: a rejected one, or a sign-up marked
-- as a no-show ("I was there") (17.1). Such an objection points at the sign-up instead of a
-- ledger entry, and may end with the check-in reopened (approved after all). SQLite cannot
-- change a NOT NULL or a CHECK: the table is rebuilt with the same columns first, in order.
CREATE TABLE objections_new (
    id                  INTEGER PRIMARY KEY,
    member_id           INTEGER NOT NULL REFERENCES members(id),
    entry_id            INTEGER REFERENCES ledger_entries(id),
    month               TEXT NOT NULL,
    reason              TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('open', 'kept', 'corrected',
                                                        'reopened')),
    correction_entry_id INTEGER REFERENCES ledger_entries(id),
    resolved_by         INTEGER,
    resolved_at         TEXT,
    created_at          TEXT NOT NULL,
    signup_id           INTEGER REFERENCES signups(id),
    CHECK ((entry_id IS NULL) != (signup_id IS NULL)),
    UNIQUE (entry_id, member_id),
    UNIQUE (signup_id, member_id)
);
INSERT INTO objections_new (id, member_id, entry_id, month, reason, status,
                            correction_entry_id, resolved_by, resolved_at, created_at)
SELECT id, member_id, entry_id, month, reason, status, correction_entry_id, resolved_by,
       resolved_at, created_at FROM objections;
DROP TABLE objections;
ALTER TABLE objections_new RENAME TO objections;
