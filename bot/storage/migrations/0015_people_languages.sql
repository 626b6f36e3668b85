-- The language of people the bot writes to who are not members (secretaries who never
-- enrolled, residents who made a wish, units' liaisons): notices reach them in it.
CREATE TABLE people_languages (
    telegram_id INTEGER PRIMARY KEY,
    locale      TEXT NOT NULL
);
