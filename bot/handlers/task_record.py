"""A task's record (17.18), from its manage message: the attendance sheet (签到表) and a new
time and place for a published task (a guided step)."""

from __future__ import annotations

import io
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.forms import FormError
from bot.domain.task_edit import is_editable, parse_task_change
from bot.domain.tasks import FIELD_LABELS, example_day
from bot.guided import GuidedConversation
from bot.handlers.common import Context, caller, form_error_text, reply, secretary_only
from bot.rendering import render
from bot.usecases.attendance import task_attendance
from bot.usecases.task_edit import EditOutcome, edit_task, editable_task
from bot.views.attendance import attendance_caption, attendance_file_name, attendance_sheet
from bot.views.callbacks import ManageAction, TaskManageButton
from bot.views.times import span_text

NEW_TIME = 0  # the edit's step: the new time and/or place
EDIT_TASK = "edit_task"  # user data: the task being edited


def _button(action: ManageAction) -> Any:
    def matches(data: object) -> bool:
        button = TaskManageButton.parse(data)
        return button is not None and button.action is action

    return matches


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


async def ask_edit(update: Update, context: Context) -> int:
    """修改时间地点: ask for the new time and/or place, as /newtask reads them."""
    query = update.callback_query
    button = TaskManageButton.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    task = await editable_task(who.services, who.user_id, button.task_id)
    if task is None or context.user_data is None:
        key = "role.secretary_only" if who.secretary is None else "callback.stale"
        await query.answer(who.tr(key), show_alert=True)
        return ConversationHandler.END
    if not is_editable(task, who.services.now()):
        await query.answer(who.tr(EditOutcome.NOT_OPEN), show_alert=True)
        return ConversationHandler.END
    context.user_data[EDIT_TASK] = task.id
    await query.answer()
    tz = who.services.settings.tz
    when = span_text(who.tr, task.starts_at, task.ends_at, tz)
    day = example_day(who.services.now().astimezone(tz).date())
    text = who.tr(
        "taskedit.ask",
        title=task.title,
        time=when,
        place=task.place,
        month=day.month,
        day=day.day,
    )
    await reply(update, text)
    return NEW_TIME


async def on_new_time(update: Update, context: Context) -> int:
    """The new time and/or place: every problem told at once, the step stays open for them."""
    who = await caller(update, context)
    task_id = context.user_data.get(EDIT_TASK) if context.user_data is not None else None
    task = await editable_task(who.services, who.user_id, task_id) if task_id else None
    message = update.effective_message
    if task is None or message is None:
        return _done(context)
    try:
        change = parse_task_change(
            message.text or "", task, who.services.settings.tz, who.services.now()
        )
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, FIELD_LABELS))
        return NEW_TIME
    outcome = await edit_task(who.services, who.user_id, task.id, change)
    if outcome is None:
        await reply(update, who.tr("role.secretary_only"))
        return _done(context)
    await reply(update, who.tr(outcome, title=task.title, field=who.tr(FIELD_LABELS["start"])))
    if outcome in (EditOutcome.START_PAST, EditOutcome.END_BEFORE_START):
        return NEW_TIME
    return _done(context)


def _done(context: Context) -> int:
    if context.user_data is not None:
        context.user_data.pop(EDIT_TASK, None)
    return ConversationHandler.END


async def leave_edit(update: Update, context: Context) -> int:
    """/cancel while the new time was awaited: nothing changes."""
    who = await caller(update, context)
    await reply(update, who.tr("taskedit.cancelled"))
    return _done(context)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The record's buttons on a task's manage message (before task_manage's own)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        GuidedConversation(
            entry_points=[
                CallbackQueryHandler(secretary_only(ask_edit), pattern=_button(ManageAction.EDIT))
            ],
            states={
                NEW_TIME: [MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_new_time)]
            },
            fallbacks=[CommandHandler("cancel", leave_edit)],
            name="task_edit",
            conversation_timeout=10 * 60,
            drafts=(EDIT_TASK,),
            command="tasks",
        )
    )
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_sheet), pattern=_button(ManageAction.SHEET))
    )
