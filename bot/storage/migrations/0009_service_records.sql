-- Each printed service record (/record) has a number the bot can confirm: a work unit asks
-- "/start v_<number>" and learns whether the record is genuine, and what it said.
CREATE TABLE service_records (
    number       TEXT PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    community_id INTEGER NOT NULL REFERENCES communities(id),
    year         INTEGER NOT NULL,
    tasks        INTEGER NOT NULL,
    hours        REAL NOT NULL,
    points       INTEGER NOT NULL,
    months       INTEGER NOT NULL,
    issued_at    TEXT NOT NULL
);
CREATE INDEX service_records_member ON service_records(member_id);
