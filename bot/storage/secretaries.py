"""Secretaries: who holds the role and which community they run."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.models import Secretary
from bot.storage.db import Database, utcnow


class SecretaryRepository:
    """Reads and writes ``secretaries``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def ensure(self, telegram_ids: Iterable[int], granted_by: int | None = None) -> None:
        """Give these users the role if they do not have it yet."""
        now = utcnow()
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO secretaries (telegram_id, granted_by, created_at)"
                " VALUES (?, ?, ?)",
                [(tid, granted_by, now) for tid in telegram_ids],
            )

    async def get(self, telegram_id: int) -> Secretary | None:
        row = await self.db.fetchone(
            "SELECT telegram_id, community_id FROM secretaries WHERE telegram_id = ?",
            (telegram_id,),
        )
        return Secretary(row[0], row[1]) if row else None

    async def set_community(self, telegram_id: int, community_id: int) -> None:
        """Make this secretary run ``community_id``."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE secretaries SET community_id = ? WHERE telegram_id = ?",
                (community_id, telegram_id),
            )

    async def list_all(self) -> list[Secretary]:
        rows = await self.db.fetchall(
            "SELECT telegram_id, community_id FROM secretaries ORDER BY telegram_id"
        )
        return [Secretary(r[0], r[1]) for r in rows]
