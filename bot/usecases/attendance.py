"""A task's attendance sheet (17.18): only for a secretary of the task's community."""

from __future__ import annotations

from bot.domain.attendance import Attendance
from bot.domain.tasks import TaskStatus
from bot.services import Services


async def task_attendance(
    services: Services, secretary_telegram_id: int, task_id: int
) -> Attendance | None:
    """Who signed up for the task, checked in and earned what; None when the caller is not a
    secretary of the task's community (or the task is a draft: nobody could sign up)."""
    storage = services.storage
    secretary = await storage.secretaries.get(secretary_telegram_id)
    task = await storage.tasks.get(task_id)
    if (
        secretary is None
        or task is None
        or secretary.community_id != task.community_id
        or task.status is TaskStatus.DRAFT
    ):
        return None
    community = await storage.communities.get(task.community_id)
    rows = await storage.attendance.rows(task.id)
    return Attendance(task, community.name if community else "", tuple(rows))
