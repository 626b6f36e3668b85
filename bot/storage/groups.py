"""Group chats bound to a community."""

from __future__ import annotations

import aiosqlite

from bot.domain.models import GroupChat
from bot.storage.db import Database, utcnow

_COLUMNS = "chat_id, community_id, title, active, language"


def _group(row: aiosqlite.Row) -> GroupChat:
    return GroupChat(row[0], row[1], row[2], bool(row[3]), row[4])


class GroupRepository:
    """Reads and writes ``group_chats``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def bind(self, chat_id: int, community_id: int, title: str, bound_by: int) -> bool:
        """Bind (or re-bind) a group to a community; False if it was already bound to it."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "SELECT community_id, active FROM group_chats WHERE chat_id = ?", (chat_id,)
            )
            before = await cursor.fetchone()
            await conn.execute(
                "INSERT INTO group_chats (chat_id, community_id, title, bound_by, bound_at, active)"
                " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (chat_id) DO UPDATE SET"
                " community_id = excluded.community_id, title = excluded.title,"
                " bound_by = excluded.bound_by, bound_at = excluded.bound_at, active = 1",
                (chat_id, community_id, title, bound_by, utcnow()),
            )
        return before is None or before[0] != community_id or not before[1]

    async def set_language(self, chat_id: int, language: str) -> bool:
        """The language the group reads; False when the group is not bound."""
        changed = await self.db.execute_write(
            "UPDATE group_chats SET language = ? WHERE chat_id = ?", (language, chat_id)
        )
        return changed == 1

    async def language(self, chat_id: int) -> str | None:
        """The group's language (None: the default)."""
        row = await self.db.fetchone(
            "SELECT language FROM group_chats WHERE chat_id = ?", (chat_id,)
        )
        return row[0] if row else None

    async def get(self, chat_id: int) -> GroupChat | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM group_chats WHERE chat_id = ?", (chat_id,)
        )
        return _group(row) if row else None

    async def list_active(self, community_id: int) -> list[GroupChat]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM group_chats WHERE community_id = ? AND active = 1"
            " ORDER BY chat_id",
            (community_id,),
        )
        return [_group(r) for r in rows]

    async def deactivate(self, chat_id: int) -> None:
        """The bot left or was removed: stop posting there."""
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE group_chats SET active = 0 WHERE chat_id = ?", (chat_id,))

    async def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup and got a new id."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE OR IGNORE group_chats SET chat_id = ? WHERE chat_id = ?",
                (new_chat_id, old_chat_id),
            )
