"""Secretaries' buttons on a task: publish or drop a draft; close, cancel, print its QR code."""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.deeplinks import checkin_payload, deep_link
from bot.domain.models import Member
from bot.domain.tasks import Task, TaskStatus
from bot.guided import GuidedConversation
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_text,
    members_named,
    reply,
    say_which,
    secretary_only,
)
from bot.i18n import Translator
from bot.usecases.task_lifecycle import cancel_task, close_task, publish_task
from bot.usecases.task_signups import BackEntry, Refusal, back_enter
from bot.views.callbacks import ManageAction, TaskManageButton
from bot.views.keyboards import qr_png

logger = logging.getLogger(__name__)

NAMES = 0  # the back-entry step: the names of those who came
BACK_ENTRY_TASK = "back_entry_task"  # user data: the task being back-entered
_SEPARATORS = re.compile(r"[\n、,，;；]+")


def manage_buttons(tr: Translator, task: Task) -> InlineKeyboardMarkup:
    """QR code, Close and Cancel for a published task."""
    row = [
        InlineKeyboardButton(
            tr("task.button_qr"), callback_data=TaskManageButton(ManageAction.QR, task.id).pack()
        )
    ]
    if task.status is TaskStatus.OPEN:
        row.append(
            InlineKeyboardButton(
                tr("task.button_close"),
                callback_data=TaskManageButton(ManageAction.CLOSE, task.id).pack(),
            )
        )
    if task.status in (TaskStatus.OPEN, TaskStatus.CLOSED):
        row.append(
            InlineKeyboardButton(
                tr("task.button_cancel"),
                callback_data=TaskManageButton(ManageAction.CANCEL, task.id).pack(),
            )
        )
    rows = [row]
    if task.status in (TaskStatus.OPEN, TaskStatus.CLOSED):
        back = TaskManageButton(ManageAction.BACK_ENTRY, task.id).pack()
        rows.append([InlineKeyboardButton(tr("task.button_back_entry"), callback_data=back)])
    if task.status is TaskStatus.OPEN:
        edit = TaskManageButton(ManageAction.EDIT, task.id).pack()
        rows.append([InlineKeyboardButton(tr("task.button_edit"), callback_data=edit)])
    if task.status is not TaskStatus.DRAFT:
        sheet = TaskManageButton(ManageAction.SHEET, task.id).pack()
        rows.append([InlineKeyboardButton(tr("task.button_sheet"), callback_data=sheet)])
    return InlineKeyboardMarkup(rows)


async def _own_task(update: Update, who: Caller, task_id: int) -> Task | None:
    """The task, if the caller is a secretary of its community; else answered."""
    query = update.callback_query
    assert query is not None
    task = await who.services.storage.tasks.get(task_id)
    if who.secretary is None or task is None or who.secretary.community_id != task.community_id:
        await query.answer(
            who.tr("role.secretary_only" if who.secretary is None else "callback.stale"),
            show_alert=True,
        )
        return None
    return task


async def on_manage(update: Update, context: Context) -> None:
    """Dispatch a secretary's task button."""
    query = update.callback_query
    button = TaskManageButton.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    task = await _own_task(update, who, button.task_id)
    if task is None:
        return
    handler = {
        ManageAction.PUBLISH: publish,
        ManageAction.DROP: drop,
        ManageAction.CLOSE: close,
        ManageAction.CANCEL: ask_cancel,
        ManageAction.CANCEL_CONFIRMED: cancel,
        ManageAction.QR: send_qr,
        ManageAction.MANAGE: show,
    }[button.action]
    await handler(update, context, who, task)


async def publish(update: Update, context: Context, who: Caller, task: Task) -> None:
    """Post the card to every group bound to the community (once, however often tapped)."""
    query = update.callback_query
    assert query is not None
    posted = await publish_task(who.services, task.id)
    if posted is None:
        await query.answer(who.tr("task.already_published"), show_alert=True)
        return
    await query.answer()
    logger.info("task %s published to %s groups", task.id, posted)
    if posted:
        text = who.tr.plural("task.published", count=posted, title=task.title)
    else:
        text = who.tr("task.published_nowhere", title=task.title)
    await edit_text(query, text, manage_buttons(who.tr, task))


async def drop(update: Update, context: Context, who: Caller, task: Task) -> None:
    """Cancel a draft before publishing."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    dropped = await who.services.storage.tasks.change_status(
        task.id, TaskStatus.DRAFT, TaskStatus.CANCELLED
    )
    await edit_text(query, who.tr("newtask.cancelled" if dropped else "callback.stale"))


async def close(update: Update, context: Context, who: Caller, task: Task) -> None:
    """Stop sign-ups early; joined members can still check in."""
    query = update.callback_query
    assert query is not None
    closed = await close_task(who.services, task.id)
    await query.answer(who.tr("task.closed_done" if closed else "callback.stale"), show_alert=True)
    if closed:
        updated = await who.services.storage.tasks.get(task.id) or task
        await edit_text(
            query, who.tr("task.manage", title=task.title), manage_buttons(who.tr, updated)
        )


async def ask_cancel(update: Update, context: Context, who: Caller, task: Task) -> None:
    """Cancelling tells everyone who joined: confirm first."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    who.tr("task.cancel_confirm"),
                    callback_data=TaskManageButton(ManageAction.CANCEL_CONFIRMED, task.id).pack(),
                ),
                InlineKeyboardButton(
                    who.tr("task.cancel_keep"),
                    callback_data=TaskManageButton(ManageAction.MANAGE, task.id).pack(),
                ),
            ]
        ]
    )
    await edit_text(query, who.tr("task.cancel_ask", title=task.title), markup)


async def cancel(update: Update, context: Context, who: Caller, task: Task) -> None:
    """Cancel: the cards say so, and joined and waiting members are told in private."""
    query = update.callback_query
    assert query is not None
    cancelled = await cancel_task(who.services, task.id)
    await query.answer(
        who.tr("task.cancelled_done" if cancelled else "callback.stale"), show_alert=True
    )
    if cancelled:
        await edit_text(query, who.tr("task.cancelled_done"))


async def send_qr(update: Update, context: Context, who: Caller, task: Task) -> None:
    """A PNG QR code whose link checks the scanning member in (secret per task)."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    link = deep_link(context.bot.username, checkin_payload(task.checkin_token))
    assert update.effective_chat is not None
    await update.effective_chat.send_photo(
        qr_png(link),
        caption=who.tr("task.qr_caption", title=task.title),
        filename=f"task-{task.id}.png",
    )


async def show(update: Update, context: Context, who: Caller, task: Task) -> None:
    """The manage message of one task."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await edit_text(query, who.tr("task.manage", title=task.title), manage_buttons(who.tr, task))


def _back_entry_button(data: object) -> bool:
    button = TaskManageButton.parse(data)
    return button is not None and button.action is ManageAction.BACK_ENTRY


async def ask_back_entry(update: Update, context: Context) -> int:
    """Back-entry (17.19): the secretary names those who came without tapping."""
    query = update.callback_query
    button = TaskManageButton.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    task = await _own_task(update, who, button.task_id)
    if task is None or context.user_data is None:
        return ConversationHandler.END
    if task.status not in (TaskStatus.OPEN, TaskStatus.CLOSED):
        await query.answer(who.tr("callback.stale"), show_alert=True)
        return ConversationHandler.END
    context.user_data[BACK_ENTRY_TASK] = task.id
    await query.answer()
    assert update.effective_chat is not None
    await update.effective_chat.send_message(who.tr("backentry.ask", title=task.title))
    return NAMES


async def on_back_entry_names(update: Update, context: Context) -> int:
    """The names (one a line, or separated by 、 or commas; #id for one of a shared name):
    each found is credited as an approved check-in; the others are listed to name again."""
    who = await caller(update, context)
    message = update.effective_message
    task_id = context.user_data.get(BACK_ENTRY_TASK) if context.user_data is not None else None
    task = await who.services.storage.tasks.get(task_id) if task_id is not None else None
    if message is None or task is None or who.secretary is None:
        return ConversationHandler.END
    found: list[Member] = []
    unresolved = False
    for ref in (r.strip() for r in _SEPARATORS.split(message.text or "")):
        if not ref:
            continue
        matches = await members_named(who, task.community_id, ref)
        if len(matches) == 1:
            found.append(matches[0])
        else:
            unresolved = True
            await say_which(update, who, task.community_id, ref, matches)
    if found:
        results = await back_enter(who.services, who.user_id, task.id, [m.id for m in found])
        if results is None:
            await reply(update, who.tr("role.secretary_only"))
            return ConversationHandler.END
        if isinstance(results, Refusal):
            await reply(update, who.tr(results))
            return ConversationHandler.END
        await reply(update, _back_entry_text(who.tr, task.title, found, results))
    if unresolved:
        await reply(update, who.tr("backentry.again"))
        return NAMES
    if context.user_data is not None:
        context.user_data.pop(BACK_ENTRY_TASK, None)
    return ConversationHandler.END


def _back_entry_text(
    tr: Translator, title: str, found: list[Member], results: dict[int, BackEntry]
) -> str:
    separator = tr.plain("list.separator")
    keys = {
        BackEntry.CREDITED: "backentry.credited",
        BackEntry.ALREADY: "backentry.already",
        BackEntry.OWN: "backentry.own",
    }
    lines = []
    for outcome, key in keys.items():
        names = separator.join(m.name for m in found if results.get(m.id) is outcome)
        if names:
            lines.append(tr(key, title=title, names=names))
    return "\n".join(lines)


async def leave_back_entry(update: Update, context: Context) -> int:
    """/cancel while the names were awaited: nobody is entered."""
    if context.user_data is not None:
        context.user_data.pop(BACK_ENTRY_TASK, None)
    who = await caller(update, context)
    await reply(update, who.tr("backentry.cancelled"))
    return ConversationHandler.END


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Secretaries' task buttons (the back-entry's names step first: it takes its button)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        GuidedConversation(
            entry_points=[
                CallbackQueryHandler(secretary_only(ask_back_entry), pattern=_back_entry_button)
            ],
            states={
                NAMES: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_back_entry_names)
                ]
            },
            fallbacks=[CommandHandler("cancel", leave_back_entry)],
            name="back_entry",
            conversation_timeout=10 * 60,
            drafts=(BACK_ENTRY_TASK,),
            command="tasks",
        )
    )
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_manage), pattern=TaskManageButton.matches)
    )
