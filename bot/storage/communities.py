"""Communities and their enrollment codes."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from bot.domain.deeplinks import new_code
from bot.domain.models import Community
from bot.storage.db import Database, utcnow

_COLUMNS = "id, name, enroll_code"


def _community(row: aiosqlite.Row) -> Community:
    return Community(id=row["id"], name=row["name"], enroll_code=row["enroll_code"])


class CommunityRepository:
    """Reads and writes ``communities``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, name: str) -> Community:
        """A new community with a fresh enrollment code."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO communities (name, enroll_code, created_at) VALUES (?, ?, ?)",
                (name, new_code(), utcnow()),
            )
            community_id = cursor.lastrowid
        found = await self.get(int(community_id or 0))
        assert found is not None
        return found

    async def rename(self, community_id: int, name: str) -> None:
        """Give a community a new name."""
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE communities SET name = ? WHERE id = ?", (name, community_id))

    async def get(self, community_id: int) -> Community | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM communities WHERE id = ?", (community_id,)
        )
        return _community(row) if row else None

    async def get_by_code(self, code: str) -> Community | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM communities WHERE enroll_code = ?", (code,)
        )
        return _community(row) if row else None

    async def get_by_name(self, name: str) -> Community | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM communities WHERE name = ?", (name,))
        return _community(row) if row else None

    async def list_all(self) -> list[Community]:
        rows = await self.db.fetchall(f"SELECT {_COLUMNS} FROM communities ORDER BY id")
        return [_community(r) for r in rows]

    async def first_created_at(self) -> datetime | None:
        """When the first community was made: the deployment's first start (or the first
        import before it); None before any."""
        row = await self.db.fetchone("SELECT MIN(created_at) FROM communities")
        return datetime.fromisoformat(row[0]) if row and row[0] else None
