-- When Telegram answered each send (or it failed): every process counts the sends that left
-- less than a second before an answer, so together they never bring more than the limit into
-- one second of arrivals, however late one of them sends.
ALTER TABLE outbox ADD COLUMN answered_at REAL;
CREATE INDEX outbox_answered ON outbox(answered_at);
