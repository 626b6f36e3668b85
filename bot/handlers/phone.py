"""The member's phone: only through Telegram's contact-sharing button, matched to the roster."""

from __future__ import annotations

from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import Application, MessageHandler, filters

from bot.domain.enrollment import normalize_phone
from bot.handlers.common import Context, caller, reply
from bot.i18n import N_, Translator


async def on_contact(update: Update, context: Context) -> None:
    """A shared contact: the member's own phone, matched to the community roster."""
    who = await caller(update, context)
    message = update.message
    assert message is not None and message.contact is not None
    if message.contact.user_id != who.user_id:
        await reply(update, who.tr("enroll.phone_not_own"))
        return
    if who.member is None:
        await reply(update, who.tr("enroll.phone_needs_enroll"), reply_markup=ReplyKeyboardRemove())
        return
    phone = normalize_phone(message.contact.phone_number)
    if phone is None:
        await reply(update, who.tr("enroll.phone_invalid"), reply_markup=ReplyKeyboardRemove())
        return
    linked = await who.services.storage.members.attach_phone(who.user_id, phone)
    key = N_("enroll.phone_linked") if linked else N_("enroll.phone_saved")
    await reply(update, who.tr(key), reply_markup=ReplyKeyboardRemove())


async def on_skip_phone(update: Update, context: Context) -> None:
    """The Skip button of the phone keyboard."""
    who = await caller(update, context)
    await reply(update, who.tr("enroll.phone_skipped"), reply_markup=ReplyKeyboardRemove())


def skip_phone_labels(translators: list[Translator]) -> list[str]:
    """The Skip label in every language, to recognise the reply keyboard's button."""
    return [tr("enroll.skip_phone") for tr in translators]


def register(app: Application[Any, Any, Any, Any, Any, Any], skip_labels: list[str]) -> None:
    """Shared contacts and the Skip button, in private chats."""
    private = filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(filters.CONTACT & private, on_contact))
    app.add_handler(MessageHandler(private & filters.Text(skip_labels), on_skip_phone))
