-- Where each wish's card was posted, so a change (given back, reopened, its claimant gone)
-- edits the card instead of posting another; and the index /wish counts a resident's
-- waiting wishes with.
CREATE TABLE wish_cards (
    wish_id    INTEGER NOT NULL REFERENCES wishes(id),
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL,
    PRIMARY KEY (wish_id, chat_id)
);
CREATE INDEX wishes_author ON wishes(author_id, status);
