"""Every request to a chat, paced by its arrival at Telegram and held after a 429.

- The window: however late a request leaves, no one second of arrivals at the server holds
  more than ``per_second`` of this process's requests to chats. A request counts from the
  moment it leaves until one second after its answer (it reached the server in between), and
  one leaves only while fewer than the limit count: whatever the latency, two that reached
  the server less than a second apart were both counted when the later one left. (The
  outbox's slots come a little below the limit, so direct replies find room.)
- A 429 names no scope: the chat that got it waits ``retry_after``, the others go on. Only
  when several chats are refused at once (a flood of the whole bot) does every request wait.
  A direct reply that gets a 429 is retried after the pause (three times at most); the
  outbox's own sends pass ``rate_limit_args=OUTBOX`` and get the 429 themselves, so the sender
  can put the row back (and re-pace what it had claimed, in a flood) instead of waiting here.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.outbox.retry_after import seconds_of

logger = logging.getLogger(__name__)

REPLY_RETRIES = 3
# rate_limit_args of the outbox's own sends (PTB drops a falsy value, so it is a word):
# not held, not retried here; the sender handles the 429 itself
OUTBOX = "outbox"
# several chats refused within this many seconds: Telegram is refusing the whole bot
FLOOD_CHATS = 3
FLOOD_WINDOW = 2.0


class SendWindow:
    """At most ``limit`` requests in any one second of arrivals at the server."""

    def __init__(self) -> None:
        self._answered: deque[float] = deque()  # monotonic times of answers, oldest first
        self._in_flight = 0
        self._freed = asyncio.Event()

    def _count(self, now: float) -> int:
        while self._answered and self._answered[0] <= now - 1.0:
            self._answered.popleft()
        return self._in_flight + len(self._answered)

    async def enter(self, limit: int) -> None:
        """Wait until a request may leave (fewer than ``limit`` count), and count it."""
        while True:
            now = time.monotonic()
            if self._count(now) < limit:
                self._in_flight += 1
                return
            if self._answered:
                await asyncio.sleep(self._answered[0] + 1.0 - now)
            else:  # every one counted is still in flight: wait for an answer
                self._freed.clear()
                await self._freed.wait()

    def leave(self) -> None:
        """The request was answered (or failed): it counts one second more."""
        self._in_flight -= 1
        self._answered.append(time.monotonic())
        self._freed.set()


class RetryAfterLimiter(BaseRateLimiter[str]):
    """Paces requests to chats by their arrival; holds a chat (or, in a flood, every chat)
    while Telegram asked; retries replies after it."""

    def __init__(self, per_second: float | None = None, retries: int = REPLY_RETRIES) -> None:
        self.retries = retries
        self.paused_until = 0.0  # monotonic: every request to a chat waits until then
        self._chat_paused: dict[str, float] = {}
        self._refusals: deque[tuple[float, str]] = deque()
        self._window = SendWindow()
        # None: not paced (only held after a 429)
        self._limit = None if per_second is None else max(1, math.floor(per_second))

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def hold(self, seconds: float) -> None:
        """No request to a chat leaves before ``seconds`` from now."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    def refused(self, chat_id: int | str, seconds: float) -> bool:
        """A 429 for a chat: hold that chat; True when it makes a flood (every chat held)."""
        now = time.monotonic()
        chat = str(chat_id)
        self._chat_paused[chat] = max(self._chat_paused.get(chat, 0.0), now + seconds)
        for key in [k for k, until in self._chat_paused.items() if until <= now]:
            del self._chat_paused[key]
        self._refusals.append((now, chat))
        while self._refusals[0][0] < now - FLOOD_WINDOW:
            self._refusals.popleft()
        if len({c for _, c in self._refusals}) < FLOOD_CHATS:
            return False
        self.hold(seconds)
        return True

    def held_for(self, chat_id: int | str) -> tuple[float, bool]:
        """Seconds a request to this chat must still wait, and whether every chat waits."""
        now = time.monotonic()
        everyone = self.paused_until - now
        chat = self._chat_paused.get(str(chat_id), 0.0) - now
        return max(everyone, chat, 0.0), everyone > 0 and everyone >= chat

    async def wait(self, chat_id: int | str) -> None:
        # a pause can grow while waiting (another 429): look again after each sleep
        while (delay := self.held_for(chat_id)[0]) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait out a pause and a place in the window, send; on a 429 hold the chat (or
        everyone, in a flood), then retry a reply (the outbox retries its own)."""
        own = rate_limit_args == OUTBOX
        retries = 0 if own else self.retries
        # A 429 is about sending to chats: answering a button (no chat) is neither paced nor
        # held back, or the member's tap would spin until its answer came too late. The
        # outbox's sends are not held here: the sender waits out a pause itself, where
        # stopping can interrupt it.
        chat_id = data.get("chat_id")
        for attempt in range(retries + 1):
            if chat_id is not None and not own:
                await self.wait(chat_id)
            try:
                if chat_id is None or self._limit is None:
                    return await callback(*args, **kwargs)
                await self._window.enter(self._limit)
                try:
                    return await callback(*args, **kwargs)
                finally:
                    self._window.leave()
            except RetryAfter as exc:
                seconds = seconds_of(exc)
                if chat_id is None:
                    logger.warning("429 on %s: it is retried after %s s", endpoint, seconds)
                elif self.refused(chat_id, seconds):
                    logger.warning(
                        "429 on %s: several chats refused, all wait %s s", endpoint, seconds
                    )
                else:
                    logger.warning("429 on %s: chat %s waits %s s", endpoint, chat_id, seconds)
                if attempt == retries:
                    raise
                if chat_id is None:
                    await asyncio.sleep(seconds)
        raise AssertionError("unreachable")
