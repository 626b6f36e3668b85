"""The last line of defence: replayed updates, stale buttons, and the error handler."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, TypeHandler

from bot.handlers.common import Context

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
    """Log the traceback, tell the user something went wrong, and tell the first admins."""
    error = context.error
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
    summary = f"{type(error).__name__}: {error}"[:500]
    admin_tr = svc.translations.get(None)
    for admin_id in svc.settings.secretary_ids[:3]:
        try:
            await context.bot.send_message(admin_id, admin_tr("error.admin", error=summary))
        except TelegramError as exc:
            logger.warning("could not notify admin %s: %s", admin_id, exc)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The replay guard runs before everything (group -2); the error handler."""
    app.add_handler(TypeHandler(Update, drop_replayed), group=-2)
    app.add_error_handler(on_error)


def register_stale_buttons(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Registered last: answers every callback no other handler took."""
    app.add_handler(CallbackQueryHandler(on_stale_button))
