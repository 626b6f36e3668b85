"""/start without an enrollment link, and /help."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.domain.deeplinks import (
    CommandLink,
    UnknownLink,
    VerifyLink,
    deep_link,
    enroll_payload,
    parse_start_payload,
)
from bot.domain.units import previous_quarter
from bot.handlers.common import Caller, Context, caller, is_private, reply, run_as_typed
from bot.usecases.service_record import verify_record
from bot.usecases.units import is_liaison, liaison_units
from bot.views.callbacks import EnrollStart
from bot.views.help_text import MEMBER_LAYOUT, SECRETARY_LAYOUT, help_text
from bot.views.keyboards import one_button
from bot.views.menus import (
    GROUP_COMMANDS,
    GROUP_SECRETARY_COMMANDS,
    LIAISON_COMMANDS,
    MEMBER_COMMANDS,
    SECRETARY_COMMANDS,
    VISITOR_COMMANDS,
)
from bot.views.times import day_text, hours_number


async def start(update: Update, context: Context) -> None:
    """Welcome; offer enrollment to someone not enrolled yet."""
    who = await caller(update, context)
    action = parse_start_payload(context.args[0] if context.args else None)
    if isinstance(action, VerifyLink):  # a work unit checks a printed record
        await _verify(update, who, action.number)
        return
    if isinstance(action, CommandLink) and is_private(update):  # "open the private chat"
        await run_as_typed(update, context, action.command)
        return
    if isinstance(action, UnknownLink):
        key = "start.bad_command_link" if action.command else "start.bad_link"
        await reply(update, who.tr(key))
    if who.secretary is not None and who.secretary.community_id is not None and is_private(update):
        await _secretary_next_steps(update, context, who.secretary.community_id)
        return
    if who.member is not None:
        await reply(update, who.tr("start.welcome_back", name=who.member.name))
        return
    units = await liaison_units(who.services, who.user_id)
    if units:  # a unit's liaison: what they get, and how to ask for it
        example = previous_quarter(who.services.now().date()).label
        await reply(update, who.tr("units.liaison_start", units="\n".join(units), example=example))
        return
    await reply(
        update,
        who.tr("start.welcome") + "\n\n" + who.tr("start.wish_hint"),
        reply_markup=one_button(who.tr("button.enroll"), EnrollStart().pack()),
    )


async def _secretary_next_steps(update: Update, context: Context, community_id: int) -> None:
    """What a secretary does first: bind a group, share the link, import the roster."""
    who = await caller(update, context)
    community = await who.services.storage.communities.get(community_id)
    assert community is not None and update.effective_user is not None
    link = deep_link(context.bot.username, enroll_payload(community.enroll_code))
    text = who.tr(
        "start.secretary",
        name=update.effective_user.first_name,
        community=community.name,
        link=link,
    )
    await reply(update, text)


async def _verify(update: Update, who: Caller, number: str) -> None:
    """Whether a printed service record is genuine, and what it said."""
    found = await verify_record(who.services, number)
    if found is None:
        await reply(update, who.tr("record.not_found", number=number))
        return
    record, name, community = found
    issued = day_text(who.tr, record.issued_at, who.services.settings.tz)
    await reply(
        update,
        who.tr(
            "record.verified",
            number=record.number,
            name=name or "—",
            community=community,
            year=record.year,
            tasks=record.tasks,
            hours=hours_number(record.hours),
            points=record.points,
            months=record.months,
            day=issued,
        ),
    )


async def help_command(update: Update, context: Context) -> None:
    """The commands this user may use here."""
    who = await caller(update, context)
    layout = SECRETARY_LAYOUT if who.secretary else MEMBER_LAYOUT
    if not is_private(update):
        entries = GROUP_COMMANDS + (GROUP_SECRETARY_COMMANDS if who.secretary else [])
        await reply(update, help_text(who.tr, entries, None))
        return
    liaison = LIAISON_COMMANDS if await is_liaison(who.services, who.user_id) else []
    own = MEMBER_COMMANDS if who.member or who.secretary else VISITOR_COMMANDS
    entries = liaison + own + (SECRETARY_COMMANDS if who.secretary else [])
    await reply(update, help_text(who.tr, entries, layout))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/start and /help (after the enrollment conversation, which takes /start c_…)."""
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
