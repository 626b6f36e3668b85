-- PTB persistence: users' drafts (user_data) and the guided conversations' states, so a
-- restart in the middle of /enroll, /newtask or /object goes on where the member was.
CREATE TABLE conversation_state (
    kind       TEXT NOT NULL,   -- 'user_data' or 'conversation:<name>'
    key        TEXT NOT NULL,   -- the user id, or the conversation's key as JSON
    value      BLOB NOT NULL,   -- pickled by the bot itself (drafts hold dates and categories)
    updated_at TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
