"""A job's messages, exactly once: planned as outbox rows keyed (job, period, recipient).

Planning skips every recipient the period already has, so a second run, an overlapping
run (``/remind`` during the 19:00 run, ``run-job`` beside the bot) or a run after a crash
sends nothing twice; the outbox's sender sends the rows, paced, and records each outcome.
A job waits for its rows to end, so it can name the members who could not be reached.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from bot.outbox.messages import BULK, message_parts
from bot.services import app_services
from bot.storage.outbox import Delivery

logger = logging.getLogger(__name__)

POLL = 0.1  # seconds between looks at how the job's rows are doing (an indexed count)


@dataclass(frozen=True)
class Outgoing:
    """One message a job wants to send."""

    recipient: str  # "m:<member id>", "g:<chat id>", "s:<telegram id>"
    chat_id: int
    text: str
    markup: InlineKeyboardMarkup | None = None
    document: tuple[str, bytes] | None = None  # (file name, content), sent after the text
    photos: tuple[bytes, ...] = ()  # PNG charts, sent after the text
    document_caption: str = ""  # what the file is
    photo_captions: tuple[str, ...] = ()  # what each chart is
    member_telegram_id: int | None = None  # a private chat: mark unreachable on 403


@dataclass
class DeliveryReport:
    """How a run's sends ended."""

    sent: int = 0
    already: int = 0
    unreachable: list[str] = field(default_factory=list)
    failed: int = 0
    uncertain: int = 0
    pending: int = 0


async def deliver(
    app: Application[Any, Any, Any, Any, Any, Any],
    job: str,
    period: str,
    messages: list[Outgoing],
) -> DeliveryReport:
    """Plan what this period has not planned yet, wait until the sender is done with it."""
    services = app_services(app)
    outbox = services.storage.outbox
    planned = await outbox.plan(
        job,
        period,
        [
            Delivery(
                m.recipient,
                message_parts(
                    m.chat_id,
                    m.text,
                    m.markup,
                    document=m.document,
                    photos=m.photos,
                    document_caption=m.document_caption,
                    photo_captions=m.photo_captions,
                    member_telegram_id=m.member_telegram_id,
                    priority=BULK,
                ),
            )
            for m in messages
        ],
    )
    # polled: rows may be sent by another process (run-job beside the bot)
    while services.sender.running and await outbox.in_flight(job, period):  # noqa: ASYNC110
        await asyncio.sleep(POLL)
    status = await outbox.delivery_status(job, period)
    report = DeliveryReport()
    for message in messages:
        state = status.get(message.recipient, "pending")
        if state == "unreachable":
            report.unreachable.append(message.recipient)
        elif message.recipient not in planned:
            report.already += 1
        elif state == "sent":
            report.sent += 1
        elif state == "uncertain":
            report.uncertain += 1
        elif state == "failed":
            report.failed += 1
        else:
            report.pending += 1
    logger.info(
        "%s %s: sent %s, already %s, unreachable %s, failed %s, uncertain %s, pending %s",
        job,
        period,
        report.sent,
        report.already,
        len(report.unreachable),
        report.failed,
        report.uncertain,
        report.pending,
    )
    return report
