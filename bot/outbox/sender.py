"""The sender: claims outbox rows, sends each at its paced slot, and records how it ended.

- Claims are atomic and paced from one schedule in the database, so two senders (the bot
  and a ``run-job`` beside it) never send a row twice and together stay under the rate;
  and a row leaves only while fewer than SEND_RATE_PER_SECOND sends of every process are in
  flight or were answered in the last second (``start_sending``), so however late one
  process sends, no second of arrivals at Telegram holds more than the limit.
- A row is marked ``sending`` just before its request leaves: if the process dies then, the
  row becomes ``uncertain`` (Telegram may have it) and is not sent blindly again; a row only
  claimed goes back to pending.
- 429: the chat that got it waits ``retry_after`` (in this process and, through the
  database, in others); when several chats are refused at once (a flood), every send waits
  (through the shared schedule, in others too). 403: final, the member is marked
  unreachable (a group, inactive). 400: failed, logged. An error answer from the server
  (a 5xx) or a network error before anything was written (connecting, waiting for a pooled
  connection): retried with bounded backoff. Any other network error (a time-out, a reset
  or dropped connection while or after the request was written) may come after Telegram
  has the message: uncertain, never sent again.
- Card edits are rendered when sent (the newest content wins) and skipped when the card
  already shows that, as recorded with the card in the database: whichever process edited
  it last (the bot, a ``run-job`` beside it), every process knows what it shows.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

import httpx
from telegram import InlineKeyboardMarkup, InputFile, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot

from bot.outbox.limiter import OUTBOX, RetryAfterLimiter
from bot.outbox.retry_after import seconds_of
from bot.storage import Storage
from bot.storage.outbox import OutboxRow, Pacing

logger = logging.getLogger(__name__)

# (task or wish id, chat id) → the card as that chat reads it
CardRenderer = Callable[[int, int], Awaitable[tuple[str, InlineKeyboardMarkup | None] | None]]


def outbox_rate(limit: float) -> float:
    """The rate of the outbox's slots under SEND_RATE_PER_SECOND: direct replies keep room
    (one a second, or 1% at high rates). No second of arrivals at the server holds more than
    the limit however late requests leave: each is paced by its arrival (``start_sending``
    across processes, the bot's rate limiter within one, see ``limiter.py``), so the slots
    only spread the sends evenly."""
    return max(limit - max(1.0, limit / 100), limit / 2)


MAX_ATTEMPTS = 5
IDLE_POLL = 0.5  # seconds between looks at the outbox when nothing woke the sender
RECOVER_EVERY = 10.0
SEND_LEASE = 90.0  # longer than any request may take


# httpx errors raised before any byte of the request was written: sending again is safe
_NOT_WRITTEN = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def may_have_arrived(error: NetworkError) -> bool:
    """Whether Telegram may have received the request that ended in ``error``.

    PTB raises a network error ``from`` what the HTTP layer raised (an httpx error, or
    anything else as "unknown error in HTTP implementation"); an error answer from the
    server (a 5xx, its body perhaps not JSON) has no such cause, or only the parse error.
    """
    cause = error.__cause__ or error.__context__
    if cause is None or isinstance(cause, TelegramError):
        # the server answered with an error; a time-out of unknown origin may have arrived
        return isinstance(error, TimedOut)
    return not isinstance(cause, _NOT_WRITTEN)


def _backoff(attempts: int) -> float:
    return float(min(2**attempts, 60))


def _dead_here(owner: str) -> bool:
    """True when ``owner`` (host:pid:nonce) ran on this machine and its process is gone."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class OutboxSender:
    """Drains the outbox in the background of one process."""

    def __init__(
        self,
        bot: ExtBot[Any],
        storage: Storage,
        pacing: Pacing,
        render_card: CardRenderer,
        *,
        workers: int = 16,
        render_wish_card: CardRenderer | None = None,
    ) -> None:
        self.bot = bot
        self.storage = storage
        self.pacing = pacing
        self.render_card = render_card
        self.render_wish_card = render_wish_card
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._batch = max(1, min(100, int(pacing.per_second)))
        self._wake = asyncio.Event()
        self._workers = asyncio.Semaphore(workers)
        self._sending: set[asyncio.Task[None]] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False
        self._paused_until = 0.0
        self._pauses = 0  # floods so far: rows claimed before one are re-paced, not burst
        limiter = bot.rate_limiter
        # who was refused, shared with the direct replies when the bot has the limiter
        self.limiter = limiter if isinstance(limiter, RetryAfterLimiter) else RetryAfterLimiter()

    @property
    def running(self) -> bool:
        return self._loop_task is not None and not self._loop_task.done()

    def start(self) -> None:
        """Begin draining (in ``post_init``)."""
        self._stopping = False
        self._loop_task = asyncio.get_running_loop().create_task(self._loop())

    def wake(self) -> None:
        """Rows were added: look now instead of at the next poll."""
        self._wake.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming; let sends in flight end (within ``grace``); hand back the rest."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None and not self._loop_task.done():
            # it may be waiting for a far slot (after a 429): shutdown does not wait for that
            self._loop_task.cancel()
            with suppress(asyncio.CancelledError):
                await self._loop_task
        if self._sending:
            await asyncio.wait(set(self._sending), timeout=grace)
        released = await self.storage.outbox.release(self.owner)
        if released:
            logger.info("outbox: %s claimed row(s) handed back for the next start", released)

    async def drain(self, *, due_only: bool = False, within: float = 30.0) -> None:
        """Wait until nothing is left to send (or nothing due now, with ``due_only``)."""
        deadline = time.monotonic() + within
        due = time.time() if due_only else None
        while await self.storage.outbox.in_flight(due_before=due):
            if time.monotonic() > deadline:
                raise TimeoutError("the outbox did not drain")
            self.wake()
            await asyncio.sleep(0.01)

    async def _loop(self) -> None:
        next_recover = 0.0
        while not self._stopping:
            try:
                now = time.time()
                if now >= next_recover:
                    await self._recover(now)
                    next_recover = now + RECOVER_EVERY
                self._wake.clear()
                rows = await self.storage.outbox.claim(self.owner, now, self._batch, self.pacing)
                if not rows:
                    with suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), IDLE_POLL)
                    continue
                pauses = self._pauses
                for row in rows:
                    await self._until(max(row.send_at, self._paused_until))
                    if self._stopping or self._pauses != pauses:
                        await self.storage.outbox.release(self.owner)  # claimed, not sent
                        break
                    await self._workers.acquire()
                    task = asyncio.get_running_loop().create_task(self._send(row))
                    self._sending.add(task)
                    task.add_done_callback(self._sent)
            except Exception:
                logger.exception("outbox: the sender's loop failed; going on in a moment")
                await asyncio.sleep(1)

    def _sent(self, task: asyncio.Task[None]) -> None:
        self._sending.discard(task)
        self._workers.release()

    async def _until(self, moment: float) -> None:
        delay = moment - time.time()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _recover(self, now: float) -> None:
        """Take back rows of senders that are gone: leases run out, or dead on this machine."""
        outbox = self.storage.outbox
        dead = [o for o in await outbox.senders() if o != self.owner and _dead_here(o)]
        for owner in [None, *dead]:
            back, lost = await outbox.recover(now, owner)
            if back or lost:
                logger.warning(
                    "outbox: a stopped sender's rows: %s back to pending, %s uncertain", back, lost
                )

    async def _send(self, row: OutboxRow) -> None:
        try:
            await self._send_and_record(row)
        except Exception:  # a bug must not leave the row "sending" until its lease runs out
            logger.exception("outbox: recording row %s failed", row.id)
            await self.storage.outbox.finish(row.id, "uncertain", "the sender failed")

    async def _send_and_record(self, row: OutboxRow) -> None:
        outbox = self.storage.outbox
        held, everyone = self.limiter.held_for(row.chat_id)
        if held > 0:  # a 429 (to a direct reply, perhaps): not before Telegram said
            await self._pause(row, held, everyone)
            return
        while True:  # a place in the window shared by every process's sends
            started = await outbox.start_sending(
                row.id, self.owner, time.time() + SEND_LEASE, self.pacing.limit
            )
            if started is False:
                return  # its claim lapsed and another sender took it
            if started is True:
                break
            await asyncio.sleep(started)
        try:
            try:
                message_id = await self._request(row)
            finally:
                outbox.answered(row.id)
        except RetryAfter as exc:
            seconds = seconds_of(exc)
            flood = self.limiter.refused(row.chat_id, seconds)
            if flood:
                logger.warning("outbox: 429s for several chats, every send waits %s s", seconds)
            else:
                logger.warning("outbox: 429 for chat %s, it waits %s s", row.chat_id, seconds)
            await self._pause(row, seconds, flood)
        except ChatMigrated as exc:
            logger.info("outbox: group %s is now %s", row.chat_id, exc.new_chat_id)
            await self.storage.groups.migrate(row.chat_id, exc.new_chat_id)
            await outbox.follow_migration(row.chat_id, exc.new_chat_id)
            await self._again(row, exc)
        except Forbidden as exc:
            await self._unreachable(row, exc)
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                await outbox.finish(row.id, "sent", exc.message)
            else:
                logger.warning("outbox: row %s to %s refused: %s", row.id, row.chat_id, exc)
                await outbox.finish(row.id, "failed", exc.message)
        except NetworkError as exc:  # TimedOut too
            if may_have_arrived(exc) and row.kind != "card":
                # the request may have reached Telegram: sending again could deliver it twice
                # (a card edit is rendered anew when sent: repeating it doubles nothing)
                logger.warning("outbox: row %s: %s; recorded as uncertain", row.id, exc.message)
                await outbox.finish(row.id, "uncertain", exc.message)
            else:
                await self._again(row, exc)
        except (TelegramError, ValueError, KeyError) as exc:
            logger.exception("outbox: row %s failed", row.id)
            await outbox.finish(row.id, "failed", str(exc))
        else:
            async with self.storage.db.transaction():
                await outbox.finish(row.id, "sent", message_id=message_id)
                await self._effect(row, message_id)

    async def _pause(self, row: OutboxRow, seconds: float, everyone: bool) -> None:
        """Send the row again after ``seconds``; meanwhile nothing more to its chat (or, when
        ``everyone``, nothing at all: rows already claimed are re-paced, not burst)."""
        until = time.time() + seconds
        outbox = self.storage.outbox
        if everyone:
            self._paused_until = max(self._paused_until, until)
            self._pauses += 1
            await outbox.pause_all(self._paused_until)
        else:
            await outbox.pause_chat(row.chat_id, until)
        await outbox.retry(row.id, until, f"retry after {seconds:g}")

    async def _again(self, row: OutboxRow, exc: TelegramError) -> None:
        """Retry later, a bounded number of times."""
        if row.attempts + 1 >= MAX_ATTEMPTS:
            logger.warning(
                "outbox: row %s gave up after %s attempts: %s", row.id, MAX_ATTEMPTS, exc
            )
            await self.storage.outbox.finish(row.id, "failed", exc.message)
            return
        await self.storage.outbox.retry(
            row.id, time.time() + _backoff(row.attempts), f"will retry: {exc.message}"
        )

    async def _unreachable(self, row: OutboxRow, exc: Forbidden) -> None:
        logger.info("outbox: chat %s cannot be reached: %s", row.chat_id, exc.message)
        async with self.storage.db.transaction():
            await self.storage.outbox.finish(row.id, "unreachable", exc.message)
            if row.member_telegram_id is not None:
                await self.storage.members.set_reachable(row.member_telegram_id, False)
            elif row.chat_id < 0:
                await self.storage.groups.deactivate(row.chat_id)

    async def _request(self, row: OutboxRow) -> int | None:
        """Send one row; the id of the message Telegram made (or edited)."""
        payload = row.payload
        markup = (
            InlineKeyboardMarkup.de_json(payload["markup"], self.bot)
            if "markup" in payload
            else None
        )
        sent: Message | bool
        if row.kind == "text":
            sent = await self.bot.send_message(
                row.chat_id, payload["text"], reply_markup=markup, rate_limit_args=OUTBOX
            )
        elif row.kind == "document":
            document = InputFile(io.BytesIO(row.content or b""), filename=payload["filename"])
            sent = await self.bot.send_document(
                row.chat_id,
                document,
                caption=payload.get("caption") or None,
                rate_limit_args=OUTBOX,
            )
        elif row.kind == "photo":  # a picture we drew, or one Telegram has (a relayed photo)
            sent = await self.bot.send_photo(
                row.chat_id,
                payload.get("file_id") or io.BytesIO(row.content or b""),
                caption=payload.get("caption") or None,
                reply_markup=markup,
                rate_limit_args=OUTBOX,
            )
        else:
            return await self._edit_card(row)
        return sent.message_id if isinstance(sent, Message) else None

    async def _edit_card(self, row: OutboxRow) -> int | None:
        message_id = int(row.payload["message_id"])
        if "wish_id" in row.payload and self.render_wish_card is not None:
            rendered = await self.render_wish_card(int(row.payload["wish_id"]), row.chat_id)
        else:
            rendered = await self.render_card(int(row.payload["task_id"]), row.chat_id)
        if rendered is None:
            return None
        text, markup = rendered
        shown = hashlib.sha256(
            (text + repr(markup.to_dict() if markup else None)).encode()
        ).hexdigest()
        tasks = self.storage.tasks
        if await tasks.card_shown(row.chat_id, message_id) == shown:
            return message_id  # never an edit to identical content
        try:
            await self.bot.edit_message_text(
                text, row.chat_id, message_id, reply_markup=markup, rate_limit_args=OUTBOX
            )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise
        await tasks.set_card_shown(row.chat_id, message_id, shown)
        return message_id

    async def _effect(self, row: OutboxRow, message_id: int | None) -> None:
        """What a successful send records: a posted task or wish card is remembered for its
        edits."""
        if row.effect and row.effect.startswith("task_card:") and message_id is not None:
            task_id = int(row.effect.split(":", 1)[1])
            await self.storage.tasks.add_card(task_id, row.chat_id, message_id)
        elif row.effect and row.effect.startswith("wish_card:") and message_id is not None:
            wish_id = int(row.effect.split(":", 1)[1])
            await self.storage.wishes.add_card(wish_id, row.chat_id, message_id)
