-- Every ledger entry carries the moment it was served (issue 17.10): a task's entry its
-- task's start, a correction the corrected entry's, anything else the moment it was made.
-- Weeks, months, standings and stars count by it, not by when a check-in was approved.
ALTER TABLE ledger_entries ADD COLUMN served_at TEXT;

-- the back-fill is the one update the append-only ledger ever takes
DROP TRIGGER ledger_no_update;
UPDATE ledger_entries SET served_at = COALESCE(
    (SELECT t.starts_at FROM tasks t WHERE t.id = ledger_entries.task_id
        AND ledger_entries.source = 'task'),
    created_at);
UPDATE ledger_entries SET served_at = (
    SELECT l.served_at FROM objections o JOIN ledger_entries l ON l.id = o.entry_id
    WHERE o.correction_entry_id = ledger_entries.id)
WHERE id IN (SELECT correction_entry_id FROM objections WHERE correction_entry_id IS NOT NULL);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger_entries
    BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;

CREATE TRIGGER ledger_served_at_required BEFORE INSERT ON ledger_entries
    WHEN NEW.served_at IS NULL
    BEGIN SELECT RAISE(ABORT, 'ledger entries carry the moment they were served'); END;

CREATE INDEX ledger_community_served ON ledger_entries(community_id, served_at);
CREATE INDEX ledger_member_served ON ledger_entries(member_id, served_at);
