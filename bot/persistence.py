"""PTB persistence in the bot's own database: drafts and conversation states survive a restart.

Only ``user_data`` (the guided flows' drafts, a language chosen before enrolling) and the
named conversations are kept; chat and bot data are not used. PTB reads everything once in
``Application.initialize`` (before ``post_init``), so this opens the database then and the
services reuse that connection.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.storage import Storage, open_storage

UserData = dict[Any, Any]
# PTB's shapes (spelled out here: its own aliases live in a private module)
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]
# PTB writes what changed this often (and at shutdown); a crash loses at most this much.
UPDATE_INTERVAL = 1.0


class DatabasePersistence(BasePersistence[UserData, dict[Any, Any], dict[Any, Any]]):
    """Users' data and conversations in ``conversation_state``."""

    def __init__(self, database_path: Path) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=UPDATE_INTERVAL,
        )
        self.database_path = database_path
        self.storage: Storage | None = None

    async def opened(self) -> Storage:
        """The database, opened (and migrated) on first use."""
        if self.storage is None:
            self.storage = await open_storage(str(self.database_path))
        return self.storage

    async def get_user_data(self) -> dict[int, UserData]:
        return defaultdict(dict, await (await self.opened()).conversation_state.user_data())

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        return await (await self.opened()).conversation_state.conversations(name)

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        await (await self.opened()).conversation_state.save_conversation(name, key, new_state)

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        await (await self.opened()).conversation_state.save_user_data(user_id, data)

    async def drop_user_data(self, user_id: int) -> None:
        await (await self.opened()).conversation_state.forget_user(user_id)

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        """Nothing to refresh: this process is the only writer of its users' data."""

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not kept."""

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Bot data is not kept."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Callback data is not kept (ours is typed, see ``bot/views/callbacks.py``)."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not kept."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not kept."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Bot data is not kept."""

    async def flush(self) -> None:
        """Every change was written as it came."""
