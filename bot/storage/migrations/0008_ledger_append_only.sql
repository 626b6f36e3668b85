-- The ledger is append-only in every column (0002's trigger named only some: author_id,
-- task_id, signup_id and community_id could be changed). Corrections are new entries.
DROP TRIGGER ledger_no_update;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
