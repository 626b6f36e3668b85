-- Issue 17.5 and 17.16: the claimant's note with the proof of a wish done; a count of a
-- wish's claims (each claim opens a new relay between the resident and the volunteer, so a
-- button of an earlier claim is refused); and how many messages each side of a wish relayed
-- today (the rate limit; counts only, never the words: those live in the outbox until sent).
ALTER TABLE wishes ADD COLUMN proof_note TEXT NOT NULL DEFAULT '';
ALTER TABLE wishes ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
CREATE TABLE wish_relay_counts (
    wish_id INTEGER NOT NULL REFERENCES wishes(id),
    side    TEXT NOT NULL CHECK (side IN ('resident', 'volunteer')),
    day     TEXT NOT NULL,  -- the community's date (YYYY-MM-DD)
    sent    INTEGER NOT NULL,
    PRIMARY KEY (wish_id, side, day)
);
