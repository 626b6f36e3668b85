"""One code path for every job: the JobQueue's triggers, start-up catch-up, and ``run-job``."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time
from typing import Any

from telegram.ext import CallbackContext

from bot.domain.schedule import (
    EVENING,
    MORNING,
    TASK_REMINDER_EVERY,
    JobName,
    latest_due,
    period_for,
)
from bot.services import app_services
from bot.usecases.audiences import AnyApplication
from bot.usecases.month_close import month_close
from bot.usecases.report_cycle import report_reminders, report_window_open
from bot.usecases.shop_cycle import redemption_window_open
from bot.usecases.task_reminders import task_reminders
from bot.usecases.units import unit_feedback
from bot.usecases.weekly_summary import weekly_summary
from bot.usecases.year_close import year_close

logger = logging.getLogger(__name__)

# Each returns what it did; its str() is the log line and run-job's output.
JobFunction = Callable[[AnyApplication, datetime], Awaitable[object]]

JOBS: dict[JobName, JobFunction] = {
    JobName.REPORT_WINDOW_OPEN: report_window_open,
    JobName.REPORT_REMINDERS: report_reminders,
    JobName.MONTH_CLOSE: month_close,
    JobName.WEEKLY_SUMMARY: weekly_summary,
    JobName.TASK_REMINDERS: task_reminders,
    JobName.REDEMPTION_WINDOW_OPEN: redemption_window_open,
    JobName.YEAR_CLOSE: year_close,
    JobName.UNIT_FEEDBACK: unit_feedback,
}
# Jobs whose runs are per period (task reminders are per task, every five minutes).
PERIODIC = (JobName.REPORT_WINDOW_OPEN, JobName.REPORT_REMINDERS, JobName.MONTH_CLOSE,
            JobName.WEEKLY_SUMMARY, JobName.REDEMPTION_WINDOW_OPEN, JobName.YEAR_CLOSE,
            JobName.UNIT_FEEDBACK)  # fmt: skip


async def run_job(app: AnyApplication, name: JobName, at: datetime) -> object:
    """Run ``name`` as if at ``at``; its progress is stored, so a rerun sends nothing twice."""
    services = app_services(app)
    period = period_for(name, at, services.settings.tz)
    if name in PERIODIC:
        await services.storage.job_runs.start_run(name, period)
    summary = await JOBS[name](app, at)
    if name in PERIODIC:
        await services.storage.job_runs.finish_run(name, period)
    logger.info("job %s (%s) at %s: %s", name, period, at.isoformat(), summary)
    return summary


async def run_if_due(app: AnyApplication, name: JobName, now: datetime) -> None:
    """Run the latest due run of ``name`` unless it already finished."""
    services = app_services(app)
    settings = services.settings
    due = latest_due(
        name, now, settings.tz, settings.report_window_days, settings.redemption_window_days
    )
    if due is None:
        return
    if name in PERIODIC and await services.storage.job_runs.finished(name, due.period):
        return
    try:
        await run_job(app, name, due.at if name in PERIODIC else now)
    except Exception:
        logger.exception("job %s failed; it runs again at its next trigger or start-up", name)


async def _triggered(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """A JobQueue trigger fired."""
    assert context.job is not None
    await run_if_due(
        context.application, JobName(str(context.job.data)), app_services(context.application).now()
    )


async def _catch_up(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """At start-up: every run that came due while the bot was down, once."""
    for name in PERIODIC:
        await run_if_due(context.application, name, app_services(context.application).now())


def schedule_jobs(app: AnyApplication) -> None:
    """Timezone-aware triggers for each job (DESIGN.md section 4), and the catch-up.

    Triggers fire at the job's hour; ``run_if_due`` decides whether a run is due that day
    (the window's first day, January for the year close) and skips finished periods.
    """
    queue = app.job_queue
    assert queue is not None
    tz = app_services(app).settings.tz
    morning, evening = time(MORNING.hour, tzinfo=tz), time(EVENING.hour, tzinfo=tz)
    options = {"misfire_grace_time": 15 * 60, "coalesce": True}
    daily = {
        JobName.REPORT_WINDOW_OPEN: (morning, None),
        JobName.REPORT_REMINDERS: (evening, None),
        JobName.WEEKLY_SUMMARY: (morning, (1,)),  # PTB counts days from Sunday = 0
        JobName.REDEMPTION_WINDOW_OPEN: (morning, None),
    }
    for name, (at, days) in daily.items():
        queue.run_daily(
            _triggered, at, days=days or tuple(range(7)), data=name, name=name, job_kwargs=options
        )
    for name in (JobName.MONTH_CLOSE, JobName.YEAR_CLOSE, JobName.UNIT_FEEDBACK):
        queue.run_monthly(_triggered, morning, day=1, data=name, name=name, job_kwargs=options)
    queue.run_repeating(
        _triggered,
        TASK_REMINDER_EVERY,
        first=10,
        data=JobName.TASK_REMINDERS,
        name=JobName.TASK_REMINDERS,
        job_kwargs=options,
    )
    queue.run_once(_catch_up, 2, name="catch-up")
