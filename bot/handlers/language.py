"""/lang: the member chooses Chinese or English."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.config import SUPPORTED_LOCALES
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_text,
    is_private,
    reply,
    secretary_community,
)
from bot.languages import languages
from bot.usecases.communities import set_group_language
from bot.views.callbacks import LanguageChoice


async def lang_command(update: Update, context: Context) -> None:
    """Offer the languages as buttons (in a group: the group's, for its secretaries)."""
    who = await caller(update, context)
    if not is_private(update) and await _group_community(update, who) is None:
        return
    buttons = [
        InlineKeyboardButton(language.name, callback_data=LanguageChoice(language.locale).pack())
        for language in languages()
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    await reply(update, who.tr("lang.choose"), reply_markup=InlineKeyboardMarkup(rows))


async def on_language(update: Update, context: Context) -> None:
    """Store the choice (on the member, or for this session before enrollment)."""
    query = update.callback_query
    button = LanguageChoice.parse(query.data if query else None)
    assert query is not None and button is not None and update.effective_user is not None
    locale = button.locale
    who = await caller(update, context)
    if not is_private(update):
        await _set_group_language(update, who, locale)
        return
    if context.user_data is not None:
        context.user_data["language"] = locale
    await who.services.storage.members.set_language(update.effective_user.id, locale)
    tr = who.services.translations.get(locale)
    await query.answer(tr("lang.set"))
    await edit_text(query, tr("lang.set"))


async def _group_community(update: Update, who: Caller) -> int | None:
    """The group's community, when the caller is one of its secretaries; else refused."""
    community_id = await secretary_community(update, who)
    chat = update.effective_chat
    group = await who.services.storage.groups.get(chat.id) if chat else None
    if community_id is None:
        return None
    if group is None or not group.active or group.community_id != community_id:
        if update.callback_query:
            await update.callback_query.answer(
                who.tr.plain("lang.group_not_yours"), show_alert=True
            )
        else:
            await reply(update, who.tr("lang.group_not_yours"))
        return None
    return community_id


async def _set_group_language(update: Update, who: Caller, locale: str) -> None:
    """The group's cards, buttons and notices speak ``locale`` from now on."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None
    if await _group_community(update, who) is None:
        return
    await set_group_language(who.services, chat.id, locale)
    tr = who.services.translations.get(locale)
    await query.answer(tr.plain("lang.group_set"))
    await edit_text(query, tr("lang.group_set"))


def _supported_language(data: object) -> bool:
    choice = LanguageChoice.parse(data)
    return choice is not None and choice.locale in SUPPORTED_LOCALES


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/lang and its buttons."""
    app.add_handler(CommandHandler("lang", lang_command))
    app.add_handler(CallbackQueryHandler(on_language, pattern=_supported_language))
