"""Honouring Telegram's 429 for the whole process: one pause every send to a chat waits out.

Pacing is the outbox's (see ``sender.py``); this only holds every request after a 429 for
``retry_after``. A direct reply that gets a 429 is retried after the pause (three times at
most); the outbox's own sends pass ``rate_limit_args=OUTBOX`` and get the 429 themselves, so the
sender can put the row back and re-pace what it had claimed instead of sending it in a burst.
"""

from __future__ import annotations

import asyncio
import logging
import time
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


class RetryAfterLimiter(BaseRateLimiter[str]):
    """Every request waits while Telegram asked the bot to; replies are retried after it."""

    def __init__(self, retries: int = REPLY_RETRIES) -> None:
        self.retries = retries
        self.paused_until = 0.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def hold(self, seconds: float) -> None:
        """No request leaves before ``seconds`` from now."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    async def wait(self) -> None:
        # a pause can grow while waiting (another 429): look again after each sleep
        while (delay := self.paused_until - time.monotonic()) > 0:  # noqa: ASYNC110
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
        """Wait out a pause, send; on a 429 pause everyone, then retry a reply (the outbox
        retries its own)."""
        own = rate_limit_args == OUTBOX
        retries = 0 if own else self.retries
        # A 429 is about sending to chats: answering a button (no chat) is never held back,
        # or the member's tap would spin until its answer came too late. The outbox's sends
        # (rate_limit_args given) are not held here either: the sender waits out the pause
        # itself, where stopping can interrupt it.
        held = "chat_id" in data and not own
        for attempt in range(retries + 1):
            if held:
                await self.wait()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = seconds_of(exc)
                logger.warning("429 on %s: every request waits %s s", endpoint, seconds)
                self.hold(seconds)
                if attempt == retries:
                    raise
        raise AssertionError("unreachable")
