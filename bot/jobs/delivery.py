"""Sending a job's messages exactly once: planned rows, bounded workers, Telegram's errors.

Every message has a row (job, period, recipient). Rows are planned before anything is sent
and marked as each send ends, so a second run sends nothing twice and a run killed halfway
resumes with what is still pending; only sends in flight at the kill can repeat. Pacing is
PTB's rate limiter's (one request per 1/30 s, no burst); a 429 that gets past it pauses
every worker until ``retry_after``. A 403 marks the member unreachable and is final; a
time-out after the request may have reached Telegram is recorded as uncertain and not resent.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application

from bot.services import app_services

logger = logging.getLogger(__name__)

WORKERS = 8
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Outgoing:
    """One message a job wants to send."""

    recipient: str  # "m:<member id>", "g:<chat id>", "s:<telegram id>"
    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | None = None
    document: tuple[str, bytes] | None = None  # (file name, content), sent after the text
    photos: tuple[bytes, ...] = ()  # PNG charts, sent after the text
    member_telegram_id: int | None = None  # a private chat: mark unreachable on 403


@dataclass
class DeliveryReport:
    """How a run's sends ended."""

    sent: int = 0
    already: int = 0
    unreachable: list[str] = field(default_factory=list)
    failed: int = 0
    uncertain: int = 0


class _Pause:
    """A deadline all workers respect after a 429 (PTB's own pause can lift early)."""

    def __init__(self) -> None:
        self.until = 0.0

    async def wait(self) -> None:
        delay = self.until - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)

    def extend(self, seconds: float) -> None:
        self.until = max(self.until, time.monotonic() + seconds)


async def deliver(
    app: Application[Any, Any, Any, Any, Any, Any],
    job: str,
    period: str,
    messages: list[Outgoing],
    workers: int = WORKERS,
) -> DeliveryReport:
    """Send what this run has not sent yet; every outcome is stored."""
    storage = app_services(app).storage
    await storage.deliveries.plan(job, period, [(m.recipient, m.chat_id) for m in messages])
    statuses = await storage.deliveries.statuses(job, period)
    report = DeliveryReport()
    queue: asyncio.Queue[Outgoing] = asyncio.Queue()
    for message in messages:
        status = statuses.get(message.recipient, "pending")
        if status == "pending":
            queue.put_nowait(message)
        elif status == "unreachable":
            report.unreachable.append(message.recipient)
        else:
            report.already += 1
    pause = _Pause()

    async def worker() -> None:
        while not queue.empty():
            message = queue.get_nowait()
            outcome, error = await _send(app, message, pause)
            await storage.deliveries.mark(job, period, message.recipient, outcome, error)
            if outcome == "sent":
                report.sent += 1
            elif outcome == "unreachable":
                report.unreachable.append(message.recipient)
                if message.member_telegram_id is not None:
                    await storage.members.set_reachable(message.member_telegram_id, False)
            elif outcome == "uncertain":
                report.uncertain += 1
            else:
                report.failed += 1

    await asyncio.gather(*(worker() for _ in range(max(1, min(workers, queue.qsize())))))
    logger.info(
        "%s %s: sent %s, already %s, unreachable %s, failed %s, uncertain %s",
        job,
        period,
        report.sent,
        report.already,
        len(report.unreachable),
        report.failed,
        report.uncertain,
    )
    return report


async def _send(
    app: Application[Any, Any, Any, Any, Any, Any], message: Outgoing, pause: _Pause
) -> tuple[str, str | None]:
    """Send one message; (status, error) as stored."""
    for _attempt in range(MAX_ATTEMPTS):
        await pause.wait()
        try:
            await app.bot.send_message(message.chat_id, message.text, reply_markup=message.markup)
            if message.document is not None:
                name, content = message.document
                await app.bot.send_document(message.chat_id, io.BytesIO(content), filename=name)
            for photo in message.photos:
                await app.bot.send_photo(message.chat_id, io.BytesIO(photo))
        except RetryAfter as exc:
            seconds = (
                exc.retry_after
                if isinstance(exc.retry_after, int | float)
                else (exc.retry_after.total_seconds())
            )
            logger.warning("429 from Telegram: pausing all sends for %s s", seconds)
            pause.extend(float(seconds))
            continue
        except Forbidden as exc:
            return "unreachable", exc.message
        except TimedOut as exc:
            # the request may have reached Telegram: sending again could deliver it twice
            return "uncertain", exc.message
        except BadRequest as exc:
            return "failed", exc.message
        except NetworkError as exc:
            logger.warning("network error sending to %s: %s", message.chat_id, exc)
            await asyncio.sleep(1)
            continue
        return "sent", None
    return "pending", "gave up for this run"
