"""A published task's new time and place (17.18): cards redrawn, members told, reminders and
the check-in window follow the task's row."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.messages import N_
from bot.domain.signups import SignupStatus
from bot.domain.task_edit import TaskChange, is_editable
from bot.domain.tasks import Task
from bot.outbox.messages import notice
from bot.services import Services
from bot.usecases.audiences import translator_for
from bot.views.times import span_text

TOLD = (SignupStatus.JOINED, SignupStatus.WAITLISTED, SignupStatus.CHECKED_IN)


class EditOutcome(StrEnum):
    """What became of an edit (each is a message key)."""

    CHANGED = N_("taskedit.done")
    UNCHANGED = N_("taskedit.unchanged")
    NOT_OPEN = N_("taskedit.not_open")
    START_PAST = N_("task.error.start_past")
    END_BEFORE_START = N_("task.error.end_before_start")


async def editable_task(
    services: Services, secretary_telegram_id: int, task_id: int
) -> Task | None:
    """The task, when the caller is a secretary of its community; else None."""
    secretary = await services.storage.secretaries.get(secretary_telegram_id)
    task = await services.storage.tasks.get(task_id)
    if secretary is None or task is None or secretary.community_id != task.community_id:
        return None
    return task


async def edit_task(
    services: Services, secretary_telegram_id: int, task_id: int, change: TaskChange
) -> EditOutcome | None:
    """Move the task to the change's time and place; None when the caller may not."""
    task = await editable_task(services, secretary_telegram_id, task_id)
    if task is None:
        return None
    now = services.now()
    if not is_editable(task, now):
        return EditOutcome.NOT_OPEN
    if change.starts_at <= now:
        return EditOutcome.START_PAST
    if change.ends_at <= change.starts_at:
        return EditOutcome.END_BEFORE_START
    if change.same_as(task):
        return EditOutcome.UNCHANGED
    storage = services.storage
    async with storage.db.transaction():
        if not await storage.tasks.move(task.id, change.starts_at, change.ends_at, change.place):
            return EditOutcome.NOT_OPEN
        await storage.outbox.add_card_edits(task.id, 0)
        for telegram_id in await storage.signups.telegram_ids(task.id, TOLD):
            await storage.outbox.add(
                notice(telegram_id, await _notice(services, telegram_id, task, change))
            )
    return EditOutcome.CHANGED


async def _notice(services: Services, telegram_id: int, task: Task, change: TaskChange) -> str:
    """What changed, old → new, in the member's language."""
    tr = await translator_for(services, telegram_id)
    tz = services.settings.tz
    lines = [tr("taskedit.notice", title=task.title)]
    if (change.starts_at, change.ends_at) != (task.starts_at, task.ends_at):
        old = span_text(tr, task.starts_at, task.ends_at, tz)
        new = span_text(tr, change.starts_at, change.ends_at, tz)
        lines.append(tr("taskedit.notice_time", old=old, new=new))
    if change.place != task.place:
        lines.append(tr("taskedit.notice_place", old=task.place, new=change.place))
    return "\n".join(lines)
