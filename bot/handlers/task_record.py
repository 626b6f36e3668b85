"""A task's record (17.18): the attendance sheet (签到表) from the task's manage message."""

from __future__ import annotations

import io
from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.handlers.common import Context, caller, secretary_only
from bot.rendering import render
from bot.usecases.attendance import task_attendance
from bot.views.attendance import attendance_caption, attendance_file_name, attendance_sheet
from bot.views.callbacks import ManageAction, TaskManageButton


def _sheet_button(data: object) -> bool:
    button = TaskManageButton.parse(data)
    return button is not None and button.action is ManageAction.SHEET


async def on_sheet(update: Update, context: Context) -> None:
    """The task's attendance sheet, with its counts in the caption."""
    query = update.callback_query
    button = TaskManageButton.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    attendance = await task_attendance(who.services, who.user_id, button.task_id)
    if attendance is None:
        key = "role.secretary_only" if who.secretary is None else "callback.stale"
        await query.answer(who.tr(key), show_alert=True)
        return
    await query.answer()
    tz = who.services.settings.tz
    data = await render(attendance_sheet, who.tr, attendance, tz)
    assert update.effective_chat is not None
    await update.effective_chat.send_document(
        io.BytesIO(data),
        filename=attendance_file_name(who.tr, attendance, tz),
        caption=attendance_caption(who.tr, attendance),
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The record's buttons on a task's manage message."""
    app.add_handler(CallbackQueryHandler(secretary_only(on_sheet), pattern=_sheet_button))
