"""Secretaries and the monthly cycle: /unreported, /remind, /summary, /export."""

from __future__ import annotations

import io
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.domain.forms import FormError
from bot.domain.periods import month_key, parse_month
from bot.domain.schedule import previous_week
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    heavy,
    in_private,
    reply,
    secretary_community,
    secretary_only,
)
from bot.i18n import N_
from bot.outbox.messages import text_parts
from bot.rendering import render
from bot.storage.reports import ReportRow
from bot.usecases.month_close import summary_text
from bot.usecases.report_cycle import report_reminders
from bot.usecases.statistics import month_rows
from bot.usecases.weekly_summary import summary_text as week_text
from bot.usecases.weekly_summary import week_facts
from bot.views.roster_report import not_enrolled_button
from bot.views.spreadsheet import month_file_name, month_sheet
from bot.views.times import month_text


async def _month_of_community(
    update: Update, context: Context, who: Caller
) -> tuple[int, str, list[ReportRow]] | None:
    """The community, the month asked for (YYYY-MM, this month by default) and its rows;
    None if refused."""
    community_id = await secretary_community(update, who)
    if community_id is None:
        return None
    try:
        month = (
            parse_month(" ".join(context.args)) if context.args else month_key(who.services.now())
        )
    except FormError as exc:
        await reply(update, who.tr(exc.key, **exc.params))
        return None
    return community_id, month, await month_rows(who.services, community_id, month)


async def unreported_command(update: Update, context: Context) -> None:
    """/unreported [YYYY-MM]: who has and has not reported."""
    who = await caller(update, context)
    found = await _month_of_community(update, context, who)
    if found is not None:
        _, month, rows = found
        text = summary_text(
            who.services, who.tr.locale, month, rows, N_("close.complete_in_export")
        )
        await reply(update, text)


async def export_command(update: Update, context: Context) -> None:
    """/export [YYYY-MM]: the month's sheet."""
    who = await caller(update, context)
    found = await _month_of_community(update, context, who)
    if found is None:
        return
    community_id, month, rows = found
    community = await who.services.storage.communities.get(community_id)
    name = community.name if community else ""
    sheet = await render(month_sheet, who.tr, month, rows, who.services.settings.tz, name)
    assert update.effective_chat is not None
    await update.effective_chat.send_document(
        io.BytesIO(sheet),
        filename=month_file_name(who.tr, name, month),
        caption=who.tr("cycle.export_caption", month=month_text(who.tr, month)),
    )


async def remind_command(update: Update, context: Context) -> None:
    """/remind: today's reminder run now (members already reminded today are skipped)."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    await reply(update, who.tr("cycle.remind_started"))
    chat_id = update.effective_chat.id if update.effective_chat else who.user_id
    context.application.create_task(_remind_and_report(context, chat_id, who, community_id))


async def _remind_and_report(
    context: Context, chat_id: int, who: Caller, community_id: int
) -> None:
    """The caller's community's reminders (members reminded today are skipped); then the counts."""
    run = await report_reminders(context.application, who.services.now(), community_id)
    markup: InlineKeyboardMarkup | None = None
    if not run.in_window:
        text = who.tr("cycle.remind_outside")
    else:
        text = who.tr("cycle.remind_done", reminded=run.reminded, unreachable=run.unreachable)
        if run.not_enrolled:  # not "cannot be reached": nobody to write to, a sheet to phone
            text += "\n" + who.tr.plural("cycle.remind_not_enrolled", count=run.not_enrolled)
            markup = not_enrolled_button(who.tr)
    await who.services.storage.outbox.add(text_parts(chat_id, text, markup))


async def summary_command(update: Update, context: Context) -> None:
    """/summary: last week's summary, as the groups get it on Monday."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    week = previous_week(who.services.now().date())
    text = week_text(who.services, who.tr, await week_facts(who.services, community_id, week))
    pending = await who.services.storage.signups.pending_count(community_id)
    await reply(update, text + "\n\n" + who.tr("summary.pending_reviews", count=pending))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Secretaries' cycle commands."""
    app.add_handler(CommandHandler("unreported", secretary_only(in_private(unreported_command))))
    app.add_handler(CommandHandler("export", secretary_only(in_private(heavy(export_command)))))
    app.add_handler(CommandHandler("remind", secretary_only(remind_command)))
    app.add_handler(CommandHandler("summary", secretary_only(summary_command)))
