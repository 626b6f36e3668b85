"""Updates side by side: different chats run concurrently, each chat in order.

PTB processes one update at a time by default, so one member's ``/record`` would stall
every other member's tap. This processor runs updates concurrently but holds a lock per
chat: a conversation's steps (conversations are keyed by chat and user, so all of them
happen in one chat), a double tap and a chat's messages keep their order. Not per user as
well: a member's command in private would then hold their tap in a group, and that tap every
later tap in the group. Heavy work (drawing, uploads) does not run under the lock at all
(``handlers.common.heavy`` gives it a task of its own).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from contextlib import AsyncExitStack
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# How many updates run at once; the rest wait (after their chat's turn).
DEFAULT_WORKERS = 32
# PTB's own bound, before our locks: large, so one busy chat never holds the other chats' slots.
_ADMITTED = 4096


class _KeyedLocks:
    """One lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, int], tuple[asyncio.Lock, int]] = {}

    async def acquire(self, key: tuple[str, int]) -> None:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            await lock.acquire()
        except BaseException:  # cancelled while waiting: no longer a user of the lock
            self._drop(key)
            raise

    def release(self, key: tuple[str, int]) -> None:
        self._locks[key][0].release()
        self._drop(key)

    def _drop(self, key: tuple[str, int]) -> None:
        lock, users = self._locks[key]
        if users == 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


def order_keys(update: object) -> list[tuple[str, int]]:
    """What an update must wait its turn for: its chat (a private chat's id is the user's);
    the user only when there is no chat (a button on an inline message)."""
    if not isinstance(update, Update):
        return []
    if update.effective_chat is not None:
        return [("chat", update.effective_chat.id)]
    if update.effective_user is not None:
        return [("user", update.effective_user.id)]
    return []


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across chats; in arrival order within each."""

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        super().__init__(_ADMITTED)
        self._locks = _KeyedLocks()
        self._workers = asyncio.Semaphore(workers)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's earlier updates, then for a free worker."""
        async with AsyncExitStack() as stack:
            try:
                for key in order_keys(update):
                    await self._locks.acquire(key)
                    stack.callback(self._locks.release, key)
                await stack.enter_async_context(self._workers)
            except BaseException:  # cancelled before its turn: the update never runs
                if inspect.iscoroutine(coroutine):
                    coroutine.close()
                raise
            await coroutine

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def pending_keys(self) -> int:
        """How many chats have updates running or waiting (for tests)."""
        return len(self._locks)
