"""/lang: the member chooses Chinese or English."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.config import SUPPORTED_LOCALES
from bot.handlers.common import Context, caller, reply
from bot.views.callbacks import LanguageChoice

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


async def lang_command(update: Update, context: Context) -> None:
    """Offer the languages as buttons."""
    who = await caller(update, context)
    buttons = [
        InlineKeyboardButton(LANGUAGE_NAMES[loc], callback_data=LanguageChoice(loc).pack())
        for loc in SUPPORTED_LOCALES
    ]
    await reply(update, who.tr("lang.choose"), reply_markup=InlineKeyboardMarkup([buttons]))


async def on_language(update: Update, context: Context) -> None:
    """Store the choice (on the member, or for this session before enrollment)."""
    query = update.callback_query
    button = LanguageChoice.parse(query.data if query else None)
    assert query is not None and button is not None and update.effective_user is not None
    locale = button.locale
    who = await caller(update, context)
    if context.user_data is not None:
        context.user_data["language"] = locale
    await who.services.storage.members.set_language(update.effective_user.id, locale)
    tr = who.services.translations.get(locale)
    await query.answer(tr("lang.set"))
    await query.edit_message_text(tr("lang.set"))


def _supported_language(data: object) -> bool:
    choice = LanguageChoice.parse(data)
    return choice is not None and choice.locale in SUPPORTED_LOCALES


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/lang and its buttons."""
    app.add_handler(CommandHandler("lang", lang_command))
    app.add_handler(CallbackQueryHandler(on_language, pattern=_supported_language))
