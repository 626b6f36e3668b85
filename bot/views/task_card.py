"""The task card: how a task looks in a group."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.tasks import Roster, Task, TaskStatus
from bot.i18n import Translator
from bot.services import Services
from bot.views.callbacks import TaskAction, TaskButton
from bot.views.times import span_text

NAMES_ON_CARD = 12


def card_text(tr: Translator, task: Task, roster: Roster, services: Services) -> str:
    """Title, category, points, time, place and the roster count."""
    capacity = str(task.capacity) if task.capacity else tr("task.unlimited")
    lines = [
        tr(
            "task.card",
            title=task.title,
            category=task.category,
            points=task.points,
            time=span_text(tr, task.starts_at, task.ends_at, services.settings.tz),
            place=task.place,
            joined=roster.joined,
            capacity=capacity,
        ),
    ]
    if roster.names:  # who joined, as a WeChat 接龙 list; a long one is cut
        others = roster.joined - len(roster.names)
        separator = tr.plain("list.separator")
        names = separator.join(roster.names) + (tr("list.more", count=others) if others > 0 else "")
        lines.append(tr("task.card_names", names=names))
    if roster.waiting:
        lines.append(tr("task.card_waiting", waiting=roster.waiting))
    if task.status is TaskStatus.CANCELLED:
        lines.append(tr("task.card_cancelled"))
    elif task.status is TaskStatus.CLOSED:
        lines.append(tr("task.card_closed"))
    return "\n".join(lines)


def card_buttons(tr: Translator, task: Task) -> InlineKeyboardMarkup | None:
    """Join, Leave and Check in, while the task is live."""
    if task.status is TaskStatus.CANCELLED:
        return None
    row = [
        InlineKeyboardButton(
            tr("task.button_checkin"), callback_data=TaskButton(TaskAction.CHECK_IN, task.id).pack()
        )
    ]
    if task.status is TaskStatus.OPEN:
        row[:0] = [
            InlineKeyboardButton(
                tr("task.button_join"), callback_data=TaskButton(TaskAction.JOIN, task.id).pack()
            ),
            InlineKeyboardButton(
                tr("task.button_leave"), callback_data=TaskButton(TaskAction.LEAVE, task.id).pack()
            ),
        ]
    return InlineKeyboardMarkup([row])


async def render_card(
    services: Services, task_id: int, chat_id: int
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """A task's card as it should look now, in the group's language."""
    storage = services.storage
    task = await storage.tasks.get(task_id)
    if task is None:
        return None
    tr = services.translations.get(await storage.groups.language(chat_id))
    roster = await storage.signups.roster(task_id, names=NAMES_ON_CARD)
    return card_text(tr, task, roster, services), card_buttons(tr, task)
