"""/points (balance and recent entries), /rank (standings) and /grant (secretaries)."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.forms import FormError
from bot.domain.periods import PeriodKind, parse_month, period_containing
from bot.domain.points import parse_grant
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    community_here,
    edit_text,
    form_error_text,
    in_private,
    members_named,
    no_community_here,
    reply,
    say_which,
    secretary_community,
    secretary_only,
    tell_to_enroll,
)
from bot.i18n import N_
from bot.usecases.points import grant_points
from bot.views.callbacks import RankPeriod
from bot.views.standings import standing_lines
from bot.views.times import day_text

RANK_SIZE = 20
PERIOD_LABELS = {
    PeriodKind.MONTH: N_("rank.month"),
    PeriodKind.QUARTER: N_("rank.quarter"),
    PeriodKind.YEAR: N_("rank.year"),
}
SOURCE_LABELS = {
    "task": N_("points.source.task"),
    "grant": N_("points.source.grant"),
    "correction": N_("points.source.correction"),
    "redemption": N_("points.source.redemption"),
    "refund": N_("points.source.refund"),
    "wish": N_("points.source.wish"),
}
GRANT_LABELS = {"points": N_("grant.field.points"), "reason": N_("grant.field.reason")}


async def points_command(update: Update, context: Context) -> None:
    """My balance and my last entries."""
    who = await caller(update, context)
    if who.member is None:
        await tell_to_enroll(update, who)
        return
    ledger = who.services.storage.ledger
    lines = [who.tr("points.balance", points=await ledger.balance(who.member.id))]
    for entry in await ledger.recent(who.member.id):
        lines.append(
            who.tr(
                "points.entry",
                at=day_text(who.tr, entry.served_at, who.services.settings.tz),
                points=f"{entry.points:+d}",
                reason=entry.reason,
                source=who.tr(SOURCE_LABELS[entry.source]),
            )
        )
    if len(lines) == 1:
        lines.append(who.tr("points.none"))
    await reply(update, "\n".join(lines))


async def _standings(
    who: Caller, community_id: int, kind: PeriodKind, month: date | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """The current period's standings, or ``month``'s (a closed month: what was served in
    it, approved late or not)."""
    tz = who.services.settings.tz
    period = period_containing(month or who.services.now().date(), kind)
    start, end = period.bounds(tz)
    rows = await who.services.storage.ledger.standings(community_id, start, end, RANK_SIZE)
    name = who.tr(N_("rank.that_month") if month else PERIOD_LABELS[kind])
    lines = [who.tr("rank.header", period=name, label=period.label)]
    lines += standing_lines(who.tr, rows)
    if who.member is not None and all(s.member_id != who.member.id for s in rows):
        mine = await who.services.storage.ledger.period_points(who.member.id, start, end)
        lines.append(who.tr("rank.mine", points=mine))
    buttons = [
        InlineKeyboardButton(
            ("• " if k is kind else "") + who.tr(label), callback_data=RankPeriod(k).pack()
        )
        for k, label in PERIOD_LABELS.items()
    ]
    return "\n".join(lines), InlineKeyboardMarkup([buttons])


async def rank_command(update: Update, context: Context) -> None:
    """This month's standings (``/rank YYYY-MM``: that month's), with buttons for the
    quarter and the year."""
    who = await caller(update, context)
    community_id = await community_here(update, who)
    if community_id is None:
        await no_community_here(update, who)
        return
    month = None
    if context.args:
        try:
            year, number = (int(part) for part in parse_month(" ".join(context.args)).split("-"))
        except FormError as exc:
            await reply(update, form_error_text(who.tr, exc, {}))
            return
        month = date(year, number, 1)
    text, markup = await _standings(who, community_id, PeriodKind.MONTH, month)
    await reply(update, text, reply_markup=markup)


async def on_rank_period(update: Update, context: Context) -> None:
    """Switch the standings' period."""
    query = update.callback_query
    button = RankPeriod.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await community_here(update, who)
    await query.answer()
    if community_id is None:
        return
    text, markup = await _standings(who, community_id, button.period)
    await edit_text(query, text, markup)


async def grant_command(update: Update, context: Context) -> None:
    """/grant <member> <points> <reason>: a ledger entry by a secretary."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    try:
        readings = parse_grant(context.args or [])
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, GRANT_LABELS))
        return
    # the longest name that is a member's ("Bob Smith 5 …" is Bob Smith, not Bob)
    for grant in readings:
        ref = f"#{grant.member_id}" if grant.member_id is not None else grant.member_name
        matches = await members_named(who, community_id, ref)
        if matches:
            break
    if len(matches) != 1:
        await say_which(update, who, community_id, ref, matches)
        return
    member = matches[0]
    if not await grant_points(who.services, who.user_id, member, grant):
        await reply(update, who.tr("grant.not_yourself"))
        return
    await reply(update, who.tr("grant.done", name=member.name, points=f"{grant.points:+d}"))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/points, /rank with its period buttons, /grant."""
    app.add_handler(CommandHandler("points", points_command))
    app.add_handler(CommandHandler("rank", rank_command))
    app.add_handler(CallbackQueryHandler(on_rank_period, pattern=RankPeriod.matches))
    app.add_handler(CommandHandler("grant", secretary_only(in_private(grant_command))))
