"""Secretaries and the monthly cycle: /unreported, /remind, /summary, /export."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.domain.schedule import JobName, previous_week
from bot.handlers.common import Caller, Context, caller, reply, secretary_community
from bot.jobs.month_close import month_rows, summary_text
from bot.jobs.report_cycle import ReminderRun
from bot.jobs.runner import run_job
from bot.jobs.spreadsheet import month_sheet
from bot.jobs.weekly_summary import summary_text as week_text
from bot.storage.reports import ReportRow

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


async def _month_of_community(
    update: Update, context: Context, who: Caller
) -> tuple[str, list[ReportRow]] | None:
    """The month asked for (YYYY-MM, this month by default) and its rows; None if refused."""
    community_id = await secretary_community(update, who)
    if community_id is None:
        return None
    month = context.args[0] if context.args else f"{datetime.now(who.services.settings.tz):%Y-%m}"
    if not _MONTH.match(month):
        await reply(update, who.tr("cycle.bad_month"))
        return None
    return month, await month_rows(who.services, community_id, month)


async def unreported_command(update: Update, context: Context) -> None:
    """/unreported [YYYY-MM]: who has and has not reported."""
    who = await caller(update, context)
    found = await _month_of_community(update, context, who)
    if found is not None:
        month, rows = found
        await reply(update, summary_text(who.services, who.tr.locale, month, rows))


async def export_command(update: Update, context: Context) -> None:
    """/export [YYYY-MM]: the month's sheet."""
    who = await caller(update, context)
    found = await _month_of_community(update, context, who)
    if found is None:
        return
    month, rows = found
    sheet = await asyncio.to_thread(month_sheet, who.tr, month, rows, who.services.settings.tz)
    assert update.effective_chat is not None
    await update.effective_chat.send_document(
        io.BytesIO(sheet),
        filename=f"report-{month}.xlsx",
        caption=who.tr("cycle.export_caption", month=month),
    )


async def remind_command(update: Update, context: Context) -> None:
    """/remind: today's reminder run now (members already reminded today are skipped)."""
    who = await caller(update, context)
    if await secretary_community(update, who) is None:
        return
    await reply(update, who.tr("cycle.remind_started"))
    context.application.create_task(
        _remind_and_report(context, update.effective_chat.id if update.effective_chat else 0, who)
    )


async def _remind_and_report(context: Context, chat_id: int, who: Caller) -> None:
    run = await run_job(context.application, JobName.REPORT_REMINDERS, datetime.now(UTC))
    if isinstance(run, ReminderRun) and not run.in_window:
        text = who.tr("cycle.remind_outside")
    else:
        reminded = run.reminded if isinstance(run, ReminderRun) else 0
        unreachable = run.unreachable if isinstance(run, ReminderRun) else 0
        text = who.tr("cycle.remind_done", reminded=reminded, unreachable=unreachable)
    await context.bot.send_message(chat_id, text)


async def summary_command(update: Update, context: Context) -> None:
    """/summary: last week's summary, as the groups get it on Monday."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    week = previous_week(datetime.now(who.services.settings.tz).date())
    text = await week_text(who.services, community_id, week, who.tr.locale)
    pending = await who.services.storage.signups.pending_count(community_id)
    await reply(update, text + "\n\n" + who.tr("summary.pending_reviews", count=pending))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Secretaries' cycle commands."""
    app.add_handler(CommandHandler("unreported", unreported_command))
    app.add_handler(CommandHandler("export", export_command))
    app.add_handler(CommandHandler("remind", remind_command))
    app.add_handler(CommandHandler("summary", summary_command))
