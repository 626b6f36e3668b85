"""/tasks (open tasks, in private or a group) and /mytasks (mine, with check-in buttons)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.paging import page_of
from bot.domain.signups import SignupStatus
from bot.domain.tasks import Task
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    chat_reader_tr,
    community_here,
    edit_text,
    is_private,
    no_community_here,
    reply,
    tell_to_enroll,
)
from bot.i18n import N_, Translator
from bot.usecases.task_signups import checkin_window
from bot.views.callbacks import (
    ManageAction,
    MyTasksPage,
    TaskAction,
    TaskButton,
    TaskManageButton,
    TasksPage,
)
from bot.views.keyboards import pager
from bot.views.times import span_text

STATUS_LABELS = {
    SignupStatus.JOINED: N_("signup.joined"),
    SignupStatus.WAITLISTED: N_("signup.waitlisted"),
    SignupStatus.CHECKED_IN: N_("signup.checked_in"),
    SignupStatus.APPROVED: N_("signup.approved"),
}


TASKS_PAGE = 10  # the longest titles and places, in English: about 2,500 characters a page


async def tasks_command(update: Update, context: Context) -> None:
    """Open tasks, soonest first, a page at a time, with a Join (or, for secretaries in
    private, Manage) button each."""
    who = await caller(update, context)
    community_id = await community_here(update, who)
    if community_id is None:
        await no_community_here(update, who)
        return
    text, markup = await _tasks_page(update, who, who.tr, community_id, 0)
    await reply(update, text, reply_markup=markup)


async def on_tasks_page(update: Update, context: Context) -> None:
    """Turn the page of a /tasks list (in a group, in the group's language)."""
    query = update.callback_query
    button = TasksPage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await community_here(update, who)
    await query.answer()
    if community_id is None:
        return
    tr = await chat_reader_tr(update, who)
    text, markup = await _tasks_page(update, who, tr, community_id, button.page)
    await edit_text(query, text, markup)


async def _tasks_page(
    update: Update, who: Caller, tr: Translator, community_id: int, requested: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    storage, now = who.services.storage, who.services.now()
    page = page_of(await storage.tasks.count_open(community_id, now), requested, TASKS_PAGE)
    tasks = await storage.tasks.open_tasks(community_id, now, page.size, page.offset)
    if not tasks:
        return tr("tasks.none"), None
    tz = who.services.settings.tz
    header = tr("tasks.header")
    if page.count > 1:
        header += f" ({page.number + 1}/{page.count})"
    lines, rows = [header], []
    manage = who.secretary is not None and who.secretary.community_id == community_id
    for task in tasks:
        roster = await storage.signups.roster(task.id)
        capacity = str(task.capacity) if task.capacity else "∞"
        lines.append(
            tr(
                "tasks.line",
                title=task.title,
                points=task.points,
                time=span_text(tr, task.starts_at, task.ends_at, tz),
                place=task.place,
                joined=roster.joined,
                capacity=capacity,
            )
        )
        if manage and is_private(update):
            data, label = (
                TaskManageButton(ManageAction.MANAGE, task.id).pack(),
                tr.plain("tasks.manage", title=task.title[:24]),
            )
        else:
            data, label = (
                TaskButton(TaskAction.JOIN, task.id).pack(),
                tr.plain("tasks.join", title=task.title[:24]),
            )
        rows.append([InlineKeyboardButton(label, callback_data=data)])
    rows.append(pager(tr, page, TasksPage))
    return "\n\n".join(lines), InlineKeyboardMarkup([r for r in rows if r])


async def mytasks_command(update: Update, context: Context) -> None:
    """My sign-ups on open tasks, with Check in and Leave buttons."""
    who = await caller(update, context)
    if who.member is None:
        await tell_to_enroll(update, who)
        return
    text, markup = await _my_tasks_page(who, who.member.id, 0)
    await reply(update, text, reply_markup=markup)


async def on_my_tasks_page(update: Update, context: Context) -> None:
    """Turn the page of /mytasks."""
    query = update.callback_query
    button = MyTasksPage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    await query.answer()
    if who.member is None:
        return
    text, markup = await _my_tasks_page(who, who.member.id, button.page)
    await edit_text(query, text, markup)


async def _my_tasks_page(
    who: Caller, member_id: int, requested: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    storage = who.services.storage
    tz = who.services.settings.tz
    now, window = who.services.now(), checkin_window(who.services)
    current: list[tuple[Task, SignupStatus]] = []
    for task_id, status in await storage.signups.member_signups(member_id):
        task = await storage.tasks.get(task_id)
        # what is over belongs in /record: a waiting place once the task started, the rest
        # once check-in has closed
        if task is None or now >= (
            task.starts_at if status is SignupStatus.WAITLISTED else window.closes_at(task)
        ):
            continue
        current.append((task, status))
    if not current:
        return who.tr("mytasks.none"), None
    page = page_of(len(current), requested, MYTASKS_SHOWN)
    header = who.tr("mytasks.header")
    if page.count > 1:
        header += f" ({page.number + 1}/{page.count})"
    lines = [header]
    rows: list[list[InlineKeyboardButton]] = []
    for task, status in current[page.offset : page.offset + page.size]:
        lines.append(
            who.tr(
                "mytasks.line",
                title=task.title,
                status=who.tr(STATUS_LABELS[status]),
                time=span_text(who.tr, task.starts_at, task.ends_at, tz),
                place=task.place,
            )
        )
        if status in (SignupStatus.JOINED, SignupStatus.WAITLISTED):
            short = task.title[:20]
            row = [
                InlineKeyboardButton(
                    who.tr.plain("mytasks.leave", title=short),
                    callback_data=TaskButton(TaskAction.LEAVE, task.id).pack(),
                )
            ]
            if status is SignupStatus.JOINED:
                row.insert(
                    0,
                    InlineKeyboardButton(
                        who.tr.plain("mytasks.checkin", title=short),
                        callback_data=TaskButton(TaskAction.CHECK_IN, task.id).pack(),
                    ),
                )
            rows.append(row)
    rows.append(pager(who.tr, page, MyTasksPage))
    rows = [r for r in rows if r]
    return "\n\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


MYTASKS_SHOWN = 8  # a page: a message and its buttons stay short, whatever the titles


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/tasks anywhere, /mytasks."""
    app.add_handler(CommandHandler("tasks", tasks_command))
    app.add_handler(CallbackQueryHandler(on_tasks_page, pattern=TasksPage.matches))
    app.add_handler(CommandHandler("mytasks", mytasks_command))
    app.add_handler(CallbackQueryHandler(on_my_tasks_page, pattern=MyTasksPage.matches))
