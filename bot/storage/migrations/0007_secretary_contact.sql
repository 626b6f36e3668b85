-- When a secretary first wrote to the bot: before that, Telegram refuses to set a menu in
-- their chat ("chat not found"), so the start-up sets menus only for those reached.
ALTER TABLE secretaries ADD COLUMN reached_at TEXT;
