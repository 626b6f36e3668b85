"""/report [note]: the member's monthly 回家日 report, inside the report window."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.domain.forms import FormError, check_length
from bot.handlers.common import Context, caller, form_error_text, reply, tell_to_enroll
from bot.i18n import N_
from bot.usecases.monthly_report import file_report
from bot.views.times import day_text, days_text, month_text

NOTE_LIMIT = 200
LABELS = {"note": N_("report.field.note")}


async def report_command(update: Update, context: Context) -> None:
    """File this month's report (a second one updates the note)."""
    who = await caller(update, context)
    if who.member is None:
        await tell_to_enroll(update, who)
        return
    try:
        note = check_length("note", " ".join(context.args or []), NOTE_LIMIT, required=False)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS))
        return
    result = await file_report(who.services, who.member, note, who.services.now())
    window = result.window
    if not result.filed:
        days = days_text(who.tr, window.first_day, window.last_day)
        await reply(update, who.tr("report.outside_window", days=days))
        return
    if result.first:
        key = N_("report.filed")
    elif note:
        key = N_("report.updated")
    else:  # already reported (by /report, or by a check-in that counted): nothing changed
        key = N_("report.already")
    month, last = month_text(who.tr, window.month), day_text(who.tr, window.last_day)
    await reply(update, who.tr(key, month=month, last=last))


async def start_report(update: Update, context: Context) -> None:
    """/start report: the button under the announcement and the reminders."""
    context.args = []
    await report_command(update, context)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/report (private), and /start report."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("report", report_command, filters=private))
    app.add_handler(
        CommandHandler("start", start_report, filters=private & filters.Regex(r"^/start\s+report$"))
    )
