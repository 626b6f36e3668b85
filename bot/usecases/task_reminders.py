"""About an hour before a task, each joined member gets one reminder."""

from __future__ import annotations

from datetime import datetime

from bot.domain.schedule import TASK_REMINDER_LEAD, JobName
from bot.domain.signups import SignupStatus
from bot.domain.timeutil import to_db
from bot.outbox.delivery import Outgoing, deliver
from bot.services import app_services
from bot.usecases.audiences import AnyApplication
from bot.views.times import moment_text


async def task_reminders(app: AnyApplication, at: datetime) -> str:
    """Remind joined members of tasks starting within the hour after ``at``."""
    services = app_services(app)
    storage = services.storage
    sent = 0
    for task in await storage.tasks.all_starting_between(at, at + TASK_REMINDER_LEAD):
        messages = []
        for telegram_id in await storage.signups.telegram_ids(task.id, (SignupStatus.JOINED,)):
            member = await storage.members.get_by_telegram_id(telegram_id)
            if member is None:
                continue
            tr = services.translations.get(member.language)
            text = tr(
                "task.reminder",
                title=task.title,
                place=task.place,
                time=moment_text(tr, task.starts_at, services.settings.tz),
            )
            messages.append(
                Outgoing(f"m:{member.id}", telegram_id, text, member_telegram_id=telegram_id)
            )
        # per start time: a task moved to another time is reminded of that one (17.18)
        period = f"task-{task.id}@{to_db(task.starts_at)}"
        result = await deliver(app, JobName.TASK_REMINDERS, period, messages)
        sent += result.sent
    return f"{sent} task reminder(s) sent"
