"""Secretaries: who holds the role, which community they run, whether the bot has reached them."""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite

from bot.domain.models import Secretary
from bot.storage.db import Database, utcnow

_COLUMNS = "telegram_id, community_id, reached_at, granted_by"


def _secretary(row: aiosqlite.Row) -> Secretary:
    return Secretary(
        telegram_id=row["telegram_id"],
        community_id=row["community_id"],
        reached=row["reached_at"] is not None,
        from_setting=row["granted_by"] is None,
    )


class SecretaryRepository:
    """Reads and writes ``secretaries``.

    ``granted_by`` is NULL for the secretaries of ``SECRETARY_IDS`` and the appointing
    secretary's id for those appointed with /secretary.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    async def follow_setting(
        self, telegram_ids: Iterable[int], default_community_id: int
    ) -> list[Secretary]:
        """Make ``SECRETARY_IDS`` the truth: its ids hold the role (in the default community
        unless they run another), ids that left it lose the role. Returns those who lost it."""
        ids = sorted(set(telegram_ids))
        # "NOT IN (NULL)" is never true: an empty list must match nobody, not everybody
        marks = ",".join("?" * len(ids)) or "SELECT NULL WHERE 0"
        now = utcnow()
        async with self.db.transaction() as conn:
            await conn.execute(
                f"UPDATE secretaries SET granted_by = NULL WHERE telegram_id IN ({marks})", ids
            )
            await conn.executemany(
                "INSERT OR IGNORE INTO secretaries (telegram_id, community_id, created_at)"
                " VALUES (?, ?, ?)",
                [(tid, default_community_id, now) for tid in ids],
            )
            await conn.execute(
                "UPDATE secretaries SET community_id = ?"
                f" WHERE community_id IS NULL AND telegram_id IN ({marks})",
                [default_community_id, *ids],
            )
            cursor = await conn.execute(
                f"SELECT {_COLUMNS} FROM secretaries"
                f" WHERE granted_by IS NULL AND telegram_id NOT IN ({marks})",
                ids,
            )
            revoked = [_secretary(r) for r in await cursor.fetchall()]
            await conn.executemany(
                "DELETE FROM secretaries WHERE telegram_id = ?",
                [(s.telegram_id,) for s in revoked],
            )
        return revoked

    async def appoint(self, telegram_id: int, community_id: int, granted_by: int) -> bool:
        """Give a user the role in ``community_id``; False if they already hold it."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT OR IGNORE INTO secretaries (telegram_id, community_id, granted_by,"
                " created_at) VALUES (?, ?, ?, ?)",
                (telegram_id, community_id, granted_by, utcnow()),
            )
            return cursor.rowcount == 1

    async def dismiss(self, telegram_id: int) -> None:
        """Take the role away."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM secretaries WHERE telegram_id = ?", (telegram_id,))

    async def mark_reached(self, telegram_id: int) -> None:
        """The secretary has written to the bot: their chat exists for Telegram."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE secretaries SET reached_at = ?"
                " WHERE telegram_id = ? AND reached_at IS NULL",
                (utcnow(), telegram_id),
            )

    async def get(self, telegram_id: int) -> Secretary | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM secretaries WHERE telegram_id = ?", (telegram_id,)
        )
        return _secretary(row) if row else None

    async def set_community(self, telegram_id: int, community_id: int) -> None:
        """Make this secretary run ``community_id``."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE secretaries SET community_id = ? WHERE telegram_id = ?",
                (community_id, telegram_id),
            )

    async def of_community(self, community_id: int) -> list[Secretary]:
        """The secretaries who run ``community_id``."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM secretaries WHERE community_id = ? ORDER BY telegram_id",
            (community_id,),
        )
        return [_secretary(r) for r in rows]

    async def list_all(self) -> list[Secretary]:
        rows = await self.db.fetchall(f"SELECT {_COLUMNS} FROM secretaries ORDER BY telegram_id")
        return [_secretary(r) for r in rows]
