-- What each task card shows, as a digest of its rendered text and buttons: every process that
-- edits a card (the bot, a run-job beside it) skips an edit to what the card already shows
-- and never takes its own memory of an edit another process overwrote for the truth.
ALTER TABLE task_cards ADD COLUMN shown TEXT;
