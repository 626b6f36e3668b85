"""/report [note]: the member's monthly 回家日 report, inside the report window."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.domain.forms import FormError, check_length
from bot.domain.periods import window_for_day
from bot.handlers.common import Context, caller, form_error_text, reply
from bot.i18n import N_

logger = logging.getLogger(__name__)

NOTE_LIMIT = 200
LABELS = {"note": N_("report.field.note")}


async def report_command(update: Update, context: Context) -> None:
    """File this month's report (a second one updates the note)."""
    who = await caller(update, context)
    if who.member is None:
        await reply(update, who.tr("report.enroll_first"))
        return
    now = who.services.now()
    window = window_for_day(now.date(), who.services.settings.report_window_days)
    if not window.contains(now.date()):
        await reply(
            update,
            who.tr(
                "report.outside_window",
                first=f"{window.first_day:%Y-%m-%d}",
                last=f"{window.last_day:%Y-%m-%d}",
            ),
        )
        return
    try:
        note = check_length("note", " ".join(context.args or []), NOTE_LIMIT, required=False)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS))
        return
    first = await who.services.storage.reports.file(who.member.id, window.month, note)
    logger.info("member %s reported for %s", who.member.id, window.month)
    key = N_("report.filed") if first else N_("report.updated")
    await reply(update, who.tr(key, month=window.month, last=f"{window.last_day:%m-%d}"))


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
