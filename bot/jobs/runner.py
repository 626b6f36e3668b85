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
    RETRY_SWEEP_EVERY,
    TASK_REMINDER_EVERY,
    Due,
    JobName,
    latest_due,
    period_end,
    period_for,
)
from bot.services import app_services
from bot.usecases.audiences import AnyApplication
from bot.usecases.job_failures import job_failed
from bot.usecases.month_close import month_close
from bot.usecases.report_cycle import report_reminders, report_window_open
from bot.usecases.shop_cycle import redemption_window_open
from bot.usecases.task_reminders import task_reminders
from bot.usecases.units import unit_feedback
from bot.usecases.weekly_summary import weekly_summary
from bot.usecases.year_close import year_close

logger = logging.getLogger(__name__)

RUNNING_KEY = "jobs_running"  # bot_data: the jobs this process is running now

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
    """Run the latest due run of ``name`` unless it already finished, or covers a period
    that ended before the deployment's first start (a new bot closes no month it never saw)."""
    services = app_services(app)
    due = _latest_due(app, name, now)
    if due is None:
        return
    if name in PERIODIC:
        if await services.storage.job_runs.finished(name, due.period):
            return
        if await _before_deployment(app, name, due):
            return
    await _attempt(app, name, due if name in PERIODIC else Due(now, due.period))


async def retry_failed(app: AnyApplication, now: datetime) -> None:
    """Every failed run whose next try is due, again, while it is still the run due (a
    month close all month, a day's reminders that evening); a run past its time stops."""
    services = app_services(app)
    for job, period in await services.storage.job_runs.retries_due(now):
        try:
            name = JobName(job)
        except ValueError:
            continue
        due = _latest_due(app, name, now) if name in PERIODIC else None
        if due is None or due.period != period:
            logger.warning("job %s (%s) failed and is no longer due: not tried again", job, period)
            await services.storage.job_runs.stop_retrying(job, period)
            continue
        await _attempt(app, name, due)


def _latest_due(app: AnyApplication, name: JobName, now: datetime) -> Due | None:
    settings = app_services(app).settings
    return latest_due(
        name, now, settings.tz, settings.report_window_days, settings.redemption_window_days
    )


async def _before_deployment(app: AnyApplication, name: JobName, due: Due) -> bool:
    services = app_services(app)
    end = period_end(name, due.at, services.settings.tz)
    first_start = await services.storage.communities.first_created_at()
    if end is None or first_start is None or end > first_start:
        return False
    logger.info("job %s (%s): the period ended before this deployment began", name, due.period)
    return True


async def _attempt(app: AnyApplication, name: JobName, due: Due) -> None:
    """One try of a due run; a failure is recorded, retried with backoff and reported once."""
    running: set[JobName] = app.bot_data.setdefault(RUNNING_KEY, set())
    if name in running:  # a trigger and a retry at once: the run under way is enough
        return
    running.add(name)
    try:
        await run_job(app, name, due.at)
    except Exception as exc:
        logger.exception("job %s (%s) failed", name, due.period)
        if name in PERIODIC:
            services = app_services(app)
            try:
                await job_failed(services, name, due.period, exc, services.now())
            except Exception:  # the database itself may be what failed: the other jobs go on
                logger.exception("could not record the failure of job %s", name)
    finally:
        running.discard(name)


async def _triggered(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """A JobQueue trigger fired."""
    assert context.job is not None
    await run_if_due(
        context.application, JobName(str(context.job.data)), app_services(context.application).now()
    )


async def _retry_sweep(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """Every few minutes: failed runs whose backoff has passed."""
    await retry_failed(context.application, app_services(context.application).now())


async def _catch_up(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """At start-up: every run that came due while the bot was down (or failed), once."""
    for name in PERIODIC:
        await run_if_due(context.application, name, app_services(context.application).now())
    logger.info("start-up catch-up done")


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
    queue.run_repeating(_retry_sweep, RETRY_SWEEP_EVERY, first=RETRY_SWEEP_EVERY, name="retries")
    queue.run_once(_catch_up, 2, name="catch-up")
