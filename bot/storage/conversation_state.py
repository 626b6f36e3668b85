"""Users' drafts and conversation states, for PTB's persistence (table ``conversation_state``)."""

from __future__ import annotations

import json
import pickle
from typing import Any

from bot.storage.db import Database, utcnow

USER_DATA = "user_data"


class ConversationStateRepository:
    """Reads and writes ``conversation_state``; values are pickled (only the bot writes them)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def user_data(self) -> dict[int, dict[Any, Any]]:
        rows = await self.db.fetchall(
            "SELECT key, value FROM conversation_state WHERE kind = ?", (USER_DATA,)
        )
        return {int(r[0]): pickle.loads(r[1]) for r in rows}  # noqa: S301 (our own rows)

    async def save_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        if not data:
            await self.drop_user_data(user_id)
            return
        await self.db.execute_write(
            "INSERT INTO conversation_state (kind, key, value, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (USER_DATA, str(user_id), pickle.dumps(data), utcnow()),
        )

    async def drop_user_data(self, user_id: int) -> None:
        await self.db.execute_write(
            "DELETE FROM conversation_state WHERE kind = ? AND key = ?", (USER_DATA, str(user_id))
        )

    async def conversations(self, name: str) -> dict[tuple[int | str, ...], object]:
        rows = await self.db.fetchall(
            "SELECT key, value FROM conversation_state WHERE kind = ?", (f"conversation:{name}",)
        )
        return {tuple(json.loads(r[0])): pickle.loads(r[1]) for r in rows}  # noqa: S301

    async def save_conversation(
        self, name: str, key: tuple[int | str, ...], state: object | None
    ) -> None:
        kind, encoded = f"conversation:{name}", json.dumps(list(key))
        if state is None:
            await self.db.execute_write(
                "DELETE FROM conversation_state WHERE kind = ? AND key = ?", (kind, encoded)
            )
            return
        await self.db.execute_write(
            "INSERT INTO conversation_state (kind, key, value, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (kind, encoded, pickle.dumps(state), utcnow()),
        )

    async def forget_user(self, user_id: int) -> None:
        """Everything kept for a user: their drafts and the conversations they were in."""
        await self.db.execute_write(
            "DELETE FROM conversation_state WHERE (kind = ? AND key = ?)"
            " OR (kind LIKE 'conversation:%' AND key LIKE ?)",
            (USER_DATA, str(user_id), f"%, {user_id}]"),
        )
