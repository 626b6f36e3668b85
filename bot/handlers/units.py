"""/units (secretaries), a liaison's invitation link, /unitreport and the Received button
(双报到: the report back to members' work units)."""

from __future__ import annotations

import io
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.deeplinks import (
    LIAISON_PREFIX,
    LiaisonLink,
    deep_link,
    liaison_payload,
    parse_start_payload,
)
from bot.domain.enrollment import name_from_telegram
from bot.domain.forms import FormError
from bot.domain.periods import Period
from bot.domain.units import (
    INVITE_DAYS,
    GrantUnit,
    MergeUnits,
    UnlinkLiaison,
    parse_quarter,
    parse_units_command,
    previous_quarter,
)
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_markup,
    edit_text,
    form_error_text,
    heavy,
    in_private,
    reply,
    secretary_community,
    secretary_only,
)
from bot.i18n import N_
from bot.storage.units import UnitSummary
from bot.usecases.units import (
    acknowledge,
    become_liaison,
    grant_unit,
    invite_liaison,
    is_liaison,
    liaison_feedback,
    merge_units,
    remove_liaison,
    units_page,
)
from bot.views.callbacks import UnitInvite, UnitReceived, UnitsPage
from bot.views.keyboards import one_button, pager
from bot.views.menus import clear_own_menu, set_liaison_menu
from bot.views.times import quarter_text

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
LABELS = {"reason": N_("units.field.reason")}


async def units_command(update: Update, context: Context) -> None:
    """/units: the list; /units merge <n> <m>; /units grant <n> <points> <reason>."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    try:
        command = parse_units_command(context.args or [])
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS) + "\n\n" + who.tr("units.usage"))
        return
    if isinstance(command, MergeUnits):
        merged = await merge_units(who.services, community_id, command.spelling, command.into)
        if merged is None:
            await reply(update, who.tr("units.not_found"))
            return
        spelling, into = merged
        await reply(update, who.tr("units.merged", spelling=spelling.name, into=into.name))
        return
    if isinstance(command, UnlinkLiaison):
        unlinked = await remove_liaison(who.services, community_id, command.unit)
        text = (
            who.tr("units.liaison_unlinked", unit=unlinked.name)
            if unlinked
            else who.tr("units.no_such_liaison")
        )
        await reply(update, text)
        return
    if isinstance(command, GrantUnit):
        unit = await grant_unit(
            who.services, who.user_id, community_id, command.unit, command.points, command.reason
        )
        text = (
            who.tr("units.granted", unit=unit.name, points=command.points, reason=command.reason)
            if unit
            else who.tr("units.not_found")
        )
        await reply(update, text)
        return
    text, markup = await _page(who, community_id, 0)
    await reply(update, text, reply_markup=markup)


async def on_page(update: Update, context: Context) -> None:
    query = update.callback_query
    button = UnitsPage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    text, markup = await _page(who, community_id, button.page)
    await query.answer()
    await edit_text(query, text, markup)


def _line(who: Caller, summary: UnitSummary, points: int, year: int) -> str:
    tr = who.tr
    quarter, liaison = summary.feedback_quarter, summary.liaison
    shown = quarter_text(tr, quarter) if quarter else ""  # 2026年第四季度 / Q4 2026
    if not liaison:
        feedback = tr("units.no_liaison")
    elif quarter is None:
        feedback = tr("units.feedback_none", liaison=liaison)
    elif summary.feedback_received:
        feedback = tr("units.feedback_received", quarter=shown, liaison=liaison)
    elif summary.feedback_undelivered:
        feedback = tr("units.feedback_undelivered", quarter=shown, liaison=liaison)
    else:
        feedback = tr("units.feedback_waiting", quarter=shown, liaison=liaison)
    return tr(
        "units.line",
        number=summary.unit.id,
        unit=summary.unit.name,
        members=summary.members,
        in_service=summary.in_service,
        waiting=summary.not_enrolled,
        points=points,
        year=year,
        feedback=feedback,
    )


async def _page(
    who: Caller, community_id: int, requested: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    today = who.services.now().date()
    found = await units_page(who.services, community_id, today, requested, PAGE_SIZE)
    if not found.total:
        return who.tr("units.none"), None
    page = found.page
    lines = [
        who.tr("units.header", count=found.total, waiting=found.waiting),
        *(_line(who, u, points, found.year) for u, points in found.shown),
        who.tr("units.page", page=page.number + 1, pages=page.count),
        who.tr("units.usage"),
    ]
    invites = [
        InlineKeyboardButton(
            who.tr.plain("units.invite_button", number=u.unit.id, unit=u.unit.name[:20]),
            callback_data=UnitInvite(u.unit.id).pack(),
        )
        for u, _ in found.shown
    ]
    rows = [invites[n : n + 2] for n in range(0, len(invites), 2)]
    rows.append(pager(who.tr, page, UnitsPage))
    return "\n\n".join(lines), InlineKeyboardMarkup([r for r in rows if r])


async def on_invite(update: Update, context: Context) -> None:
    """Invite: a link for the unit's liaison, to forward to them."""
    query = update.callback_query
    button = UnitInvite.parse(query.data if query else None)
    assert query is not None and button is not None
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    made = await invite_liaison(who.services, who.user_id, community_id, button.unit_id)
    if made is None:
        await query.answer(who.tr.plain("units.not_found"), show_alert=True)
        return
    unit, code = made
    await query.answer()
    link = deep_link(context.bot.username, liaison_payload(code))
    await reply(update, who.tr("units.invite_link", unit=unit.name, link=link, days=INVITE_DAYS))


async def start_as_liaison(update: Update, context: Context) -> None:
    """``/start u_<code>``: the invitation's holder becomes the unit's liaison."""
    who = await caller(update, context)
    user = update.effective_user
    action = parse_start_payload(context.args[0] if context.args else None)
    assert user is not None
    if not isinstance(action, LiaisonLink):  # u_ and then something no invitation has
        await reply(update, who.tr("units.invite_invalid"))
        return
    code = action.code
    found = await become_liaison(
        who.services,
        who.user_id,
        name_from_telegram(user.first_name, user.last_name),
        who.tr.locale,
        code,
    )
    if found is None:
        await reply(update, who.tr("units.invite_invalid"))
        return
    accepted, community = found
    text = who.tr("units.liaison_welcome", unit=accepted.unit.name, community=community)
    await reply(update, text)
    if who.secretary is None:
        await set_liaison_menu(context.bot, who.tr, who.user_id)


def _quarter_asked(who: Caller, context: Context) -> Period | None:
    """The quarter in ``/unitreport [YYYY-Qn]`` (the last whole one by default); None for a
    malformed or future one."""
    today = who.services.now().date()
    text = " ".join(context.args or [])
    quarter = parse_quarter(text) if text else previous_quarter(today)
    return None if quarter is None or quarter.first_day > today else quarter


async def unitreport_command(update: Update, context: Context) -> None:
    """/unitreport [YYYY-Qn]: the quarter's feedback again (the last whole quarter by default)."""
    who = await caller(update, context)
    if _quarter_asked(who, context) is None:
        example = previous_quarter(who.services.now().date()).label
        await reply(update, who.tr("units.bad_quarter", example=example))
        return
    if not await is_liaison(who.services, who.user_id):
        await reply(update, who.tr("units.not_liaison"))
        if who.member is None and who.secretary is None:  # a former liaison: not their menu
            await clear_own_menu(context.bot, who.user_id)
        return
    await _send_feedback(update, context)


@heavy
async def _send_feedback(update: Update, context: Context) -> None:
    """The sheets take a moment: once per cooldown."""
    who = await caller(update, context)
    quarter = _quarter_asked(who, context)
    chat = update.effective_chat
    assert quarter is not None and chat is not None
    for feedback in await liaison_feedback(who.services, who.user_id, quarter, who.tr):
        received = UnitReceived(feedback.unit.id, feedback.quarter).pack()
        label = who.tr.plain("units.received_button")
        button = one_button(label, received) if feedback.unacknowledged else None
        await reply(update, feedback.text, reply_markup=button)
        name, data = feedback.sheet
        await chat.send_document(io.BytesIO(data), filename=name, caption=feedback.caption)


async def on_received(update: Update, context: Context) -> None:
    """已收到: the liaison acknowledges the quarter's feedback (once)."""
    query = update.callback_query
    button = UnitReceived.parse(query.data if query else None)
    assert query is not None and button is not None
    who = await caller(update, context)
    done = await acknowledge(who.services, who.user_id, button.unit_id, button.quarter)
    if done is None:
        await query.answer(who.tr.plain("units.not_liaison"), show_alert=True)
        return
    if done:
        await query.answer(who.tr.plain("units.received_thanks"))
        await edit_markup(query)  # a double tap: the button is already gone
        return
    await query.answer(who.tr.plain("units.received_already"), show_alert=True)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/units and its buttons for secretaries; /start u_…, /unitreport and Received for
    liaisons (before the plain /start)."""
    private = filters.ChatType.PRIVATE
    invitation = filters.Regex(rf"^/start\s+{LIAISON_PREFIX}")
    app.add_handler(CommandHandler("start", start_as_liaison, filters=private & invitation))
    app.add_handler(CommandHandler("units", secretary_only(in_private(units_command))))
    app.add_handler(CallbackQueryHandler(secretary_only(on_page), pattern=UnitsPage.matches))
    app.add_handler(CallbackQueryHandler(secretary_only(on_invite), pattern=UnitInvite.matches))
    app.add_handler(CommandHandler("unitreport", unitreport_command, filters=private))
    app.add_handler(CallbackQueryHandler(on_received, pattern=UnitReceived.matches))
