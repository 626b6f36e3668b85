"""Update ids already handled, so Telegram's at-least-once delivery acts once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.storage.db import Database, utcnow


class ProcessedUpdateRepository:
    """Reads and writes ``processed_updates``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, update_id: int) -> bool:
        """Record ``update_id``; False when it was handled before (a replay)."""
        inserted = await self.db.execute_write(
            "INSERT OR IGNORE INTO processed_updates (update_id, processed_at) VALUES (?, ?)",
            (update_id, utcnow()),
        )
        return inserted == 1

    async def prune(self, older_than: timedelta = timedelta(days=2)) -> int:
        """Forget ids older than Telegram keeps updates (24 h), with a margin."""
        cutoff = (datetime.now(UTC) - older_than).isoformat(timespec="seconds")
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM processed_updates WHERE processed_at < ?", (cutoff,)
            )
        return cursor.rowcount
