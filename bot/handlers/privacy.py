"""/privacy, /mydata (everything stored about me, also as a file) and /forgetme."""

from __future__ import annotations

import io
from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.models import Profile
from bot.handlers.common import Context, caller, edit_text, reply
from bot.i18n import Html
from bot.languages import languages
from bot.services import Services
from bot.usecases.privacy import erase_member, held_beyond_membership
from bot.views.callbacks import Answer, ForgetAnswer
from bot.views.data_export import export_json
from bot.views.profile import profile_summary
from bot.views.times import moment_text

LANGUAGE_NAMES = {language.locale: language.name for language in languages()}


async def privacy(update: Update, context: Context) -> None:
    """What we store, why, and how to see or erase it."""
    who = await caller(update, context)
    await reply(update, who.tr("privacy.text"))


async def mydata(update: Update, context: Context) -> None:
    """Show a member what is stored about them, and send it as a JSON file."""
    who = await caller(update, context)
    member = who.member
    chat = update.effective_chat
    assert chat is not None
    held = await held_beyond_membership(who.services, who.user_id)
    if member is None:
        if not held:
            await reply(update, who.tr("mydata.none"))
            return
        liaison = who.tr("mydata.liaison", units="\n".join(held.liaison_of))
        text = who.tr(
            "mydata.non_member",
            language=LANGUAGE_NAMES.get(held.language or "", who.tr("profile.empty")),
            units=Html(liaison if held.liaison_of else ""),
            wishes=len(held.wishes),
        )
        await reply(update, text)
        held_json = export_json({"telegram_id": who.user_id, **held.export()}, *_zone(who.services))
        await chat.send_document(io.BytesIO(held_json), filename="mydata.json")
        return
    storage = who.services.storage
    community = await storage.communities.get(member.community_id)
    roster = await storage.roster.get_for_member(member.id)
    profile = Profile(member.name, member.work_unit, member.member_type, member.compound)
    units = held.liaison_of
    liaison_line = [who.tr("mydata.liaison", units="\n".join(units))] if units else []
    text = "\n".join(
        [
            who.tr("mydata.header"),
            profile_summary(who.tr, profile, community.name if community else ""),
            who.tr(
                "mydata.extra",
                phone=member.phone or who.tr("profile.empty"),
                roster=who.tr("mydata.roster_yes" if roster else "mydata.roster_no"),
                language=LANGUAGE_NAMES.get(member.language or "", who.tr("profile.empty")),
                since=moment_text(who.tr, member.created_at, who.services.settings.tz),
            ),
            *liaison_line,
        ]
    )
    await reply(update, text)
    export = {
        "member": asdict(member),
        "roster_entry": asdict(roster) if roster else None,
        "secretary": asdict(who.secretary) if who.secretary else None,
        **held.export(),
        **await storage.members.history(member.id, member.telegram_id),
    }
    data = export_json(export, *_zone(who.services))
    await chat.send_document(io.BytesIO(data), filename="mydata.json")


def _zone(services: Services) -> tuple[ZoneInfo, datetime]:
    """The community's zone, and now (for its offset today)."""
    return services.settings.tz, services.now()


async def forgetme(update: Update, context: Context) -> None:
    """Ask to confirm erasure."""
    who = await caller(update, context)
    held = await held_beyond_membership(who.services, who.user_id)
    if who.member is None and not held:
        await reply(update, who.tr("mydata.none"))
        return
    ask = [who.tr("forget.ask" if who.member else "forget.ask_non_member")]
    if held.wishes:
        ask.append(who.tr("forget.ask_wishes", count=len(held.wishes)))
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    who.tr("forget.confirm"), callback_data=ForgetAnswer(Answer.YES).pack()
                ),
                InlineKeyboardButton(
                    who.tr("button.cancel"), callback_data=ForgetAnswer(Answer.NO).pack()
                ),
            ]
        ]
    )
    await reply(update, "\n".join(ask), reply_markup=markup)


async def on_forget(update: Update, context: Context) -> None:
    """Erase (or keep) after the confirmation button."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    who = await caller(update, context)
    await query.answer()
    answer = ForgetAnswer.parse(query.data)
    if answer is None or answer.answer is not Answer.YES:
        await edit_text(query, who.tr("forget.kept"))
        return
    erased = await erase_member(who.services, update.effective_user.id)
    if context.user_data is not None:
        context.user_data.clear()  # the copy in memory (the stored one went with the member)
    done = "forget.done" if who.member is not None else "forget.done_visitor"
    await edit_text(query, who.tr(done if erased else "mydata.none"))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Privacy commands, private chats only."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("privacy", privacy, filters=private))
    app.add_handler(CommandHandler("mydata", mydata, filters=private))
    app.add_handler(CommandHandler("forgetme", forgetme, filters=private))
    app.add_handler(CallbackQueryHandler(on_forget, pattern=ForgetAnswer.matches))
