"""A task's life: published to the groups, closed early, cancelled (members told)."""

from __future__ import annotations

from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.outbox.messages import notice, text_parts
from bot.services import Services
from bot.usecases.audiences import translator_for
from bot.views.task_card import card_buttons, card_text
from bot.views.times import moment_text


async def publish_task(services: Services, task_id: int) -> int | None:
    """Open a draft and queue its card for each active group; the number of groups.

    None when the task was not a draft (a second tap on Publish posts nothing).
    """
    storage = services.storage
    async with storage.db.transaction():
        if not await storage.tasks.change_status(task_id, TaskStatus.DRAFT, TaskStatus.OPEN):
            return None
        task = await storage.tasks.get(task_id)
        assert task is not None
        roster = await storage.signups.roster(task.id)
        groups = await storage.groups.list_active(task.community_id)
        for group in groups:
            tr = services.translations.get(group.language)  # each group reads its own
            text = card_text(tr, task, roster, services)
            await storage.outbox.add(
                text_parts(
                    group.chat_id, text, card_buttons(tr, task), effect=f"task_card:{task.id}"
                )
            )
        return len(groups)


async def close_task(services: Services, task_id: int) -> bool:
    """Stop sign-ups early (joined members can still check in); False if it was not open."""
    storage = services.storage
    async with storage.db.transaction():
        if not await storage.tasks.change_status(task_id, TaskStatus.OPEN, TaskStatus.CLOSED):
            return False
        await storage.outbox.add_card_edits(task_id, 0)
        return True


async def cancel_task(services: Services, task_id: int) -> bool:
    """Cancel an open or closed task: cards change, every member signed up is told."""
    storage = services.storage
    async with storage.db.transaction():
        task = await storage.tasks.get(task_id)
        cancelled = False
        for before in (TaskStatus.OPEN, TaskStatus.CLOSED):
            cancelled = cancelled or await storage.tasks.change_status(
                task_id, before, TaskStatus.CANCELLED
            )
        if not cancelled or task is None:
            return False
        await storage.outbox.add_card_edits(task_id, 0)
        statuses = (SignupStatus.JOINED, SignupStatus.WAITLISTED, SignupStatus.CHECKED_IN)
        for telegram_id in await storage.signups.telegram_ids(task_id, statuses):
            tr = await translator_for(services, telegram_id)
            text = tr(
                "task.cancelled_notice",
                title=task.title,
                time=moment_text(tr, task.starts_at, services.settings.tz),
            )
            await storage.outbox.add(notice(telegram_id, text))
        return True
