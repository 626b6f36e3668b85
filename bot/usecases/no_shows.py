"""After a task's check-in closes, joined members who never checked in are no-shows."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram.ext import Application

from bot.services import app_services

logger = logging.getLogger(__name__)


async def settle_finished_tasks(
    app: Application[Any, Any, Any, Any, Any, Any], at: datetime
) -> int:
    """Mark no-shows on every task whose check-in window closed before ``at``; how many."""
    services = app_services(app)
    cutoff = at - timedelta(minutes=services.settings.checkin_closes_minutes)
    marked = 0
    for task in await services.storage.tasks.ended_before(cutoff):
        count = await services.storage.signups.settle_no_shows(task.id)
        logger.info("task %s settled: %s no-shows", task.id, count)
        marked += count
    return marked
