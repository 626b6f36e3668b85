-- A group's language (/lang in the group, by a secretary): its cards, buttons and notices
-- speak it. NULL: the deployment's DEFAULT_LOCALE.
ALTER TABLE group_chats ADD COLUMN language TEXT;
