"""The last line of defence: replayed updates, stale buttons, and the error handler."""

from __future__ import annotations

import logging
import os
import re
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, TypeHandler

import bot
from bot.handlers.common import Context, not_modified
from bot.services import app_services
from bot.usecases.admin_reports import report_error

logger = logging.getLogger(__name__)


async def drop_replayed(update: Update, context: Context) -> None:
    """Telegram delivers at least once: an update id seen before is not handled again."""
    if not await context.services.storage.updates.claim(update.update_id):
        logger.info("update %s replayed; ignored", update.update_id)
        raise ApplicationHandlerStop


async def on_stale_button(update: Update, context: Context) -> None:
    """A button no handler takes: from an old message, an ended conversation, or forged."""
    query = update.callback_query
    assert query is not None
    logger.info("stale or unknown callback data %r from %s", query.data, query.from_user.id)
    user = update.effective_user
    tr = context.services.translations.resolve(
        context.user_data.get("language") if context.user_data else None,
        user.language_code if user else None,
    )
    await query.answer(tr("callback.stale"), show_alert=True)


async def on_error(update: object, context: Context) -> None:
    """Log the traceback, tell the user something went wrong, and tell the first admins
    (once per kind of error in a while, with a count of the others)."""
    error = context.error
    if error is not None and not_modified(error):  # a double tap on an edit: nothing wrong
        logger.debug("message not modified: %s", error)
        return
    logger.error("error while handling an update", exc_info=error)
    svc = context.services
    if not isinstance(update, Update):
        return
    user = update.effective_user
    chat = update.effective_chat
    tr = svc.translations.resolve(None, user.language_code if user else None)
    private = chat is not None and chat.type == ChatType.PRIVATE
    if isinstance(error, Forbidden) and private and user is not None:
        await svc.storage.members.set_reachable(user.id, False)
        return
    try:
        if update.callback_query:
            await update.callback_query.answer(tr("error.generic"), show_alert=True)
        elif chat is not None:
            await chat.send_message(tr("error.generic"))
    except TelegramError as exc:
        logger.warning("could not tell the user about the error: %s", exc)
    if error is not None:
        await _report(context, error)


# The admins hear of each kind of error at most this often; the repeats in between are
# counted and told with the next report (or when the quiet time ends).
REPORT_EVERY = timedelta(minutes=15)
_REPORTS = "error_reports"


@dataclass
class _Kind:
    """One kind of error: when the admins last heard of it, and what came since."""

    summary: str
    reported_at: datetime
    since: int = 0  # repeats not reported yet
    flush_planned: bool = False


_OURS = str(Path(bot.__file__).parent) + os.sep  # frames of this package, not PTB's


def error_kind(error: BaseException) -> str:
    """What makes two errors the same for the admins: the exception's type and where in the
    bot it was raised (or its message, numbers aside, when no frame of ours is known)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(_OURS)]
    if frames:
        where = f"{frames[-1].filename.removeprefix(_OURS)}:{frames[-1].lineno}"
    else:
        where = re.sub(r"\d+", "N", str(error))[:120]
    return f"{type(error).__name__} {where}"


async def _report(context: Context, error: BaseException) -> None:
    """Tell the admins of ``error`` unless its kind was reported within REPORT_EVERY."""
    svc = context.services
    kinds: dict[str, _Kind] = context.bot_data.setdefault(_REPORTS, {})
    now, kind = svc.now(), error_kind(error)
    summary = f"{type(error).__name__}: {error}"[:500]
    known = kinds.get(kind)
    if known is not None and now - known.reported_at < REPORT_EVERY:
        known.since += 1
        known.summary = summary
        if not known.flush_planned and context.application.job_queue is not None:
            known.flush_planned = True
            wait = (known.reported_at + REPORT_EVERY - now).total_seconds()
            context.application.job_queue.run_once(
                _flush, max(wait, 1.0), data=kind, name=f"error-report {kind}"
            )
        return
    kinds[kind] = _Kind(summary, now)
    await report_error(svc, summary, known.since if known else 0)


async def _flush(context: Any) -> None:
    """The quiet time of a kind of error ended with repeats untold: tell them now."""
    kind = context.job.data if context.job else None
    kinds: dict[str, _Kind] = context.application.bot_data.get(_REPORTS, {})
    known = kinds.get(kind) if isinstance(kind, str) else None
    if known is None or not known.since:
        return
    svc = app_services(context.application)
    kinds[str(kind)] = _Kind(known.summary, svc.now())
    await report_error(svc, known.summary, known.since)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The replay guard runs before everything (group -2); the error handler."""
    app.add_handler(TypeHandler(Update, drop_replayed), group=-2)
    app.add_error_handler(on_error)


def register_stale_buttons(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Registered last: answers every callback no other handler took."""
    app.add_handler(CallbackQueryHandler(on_stale_button))
