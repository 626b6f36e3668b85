"""When each scheduled job is due, and which period a run covers (DESIGN.md section 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.periods import PeriodKind, period_containing, window_for_day
from bot.domain.shop import redemption_window
from bot.domain.units import previous_quarter, quarter_of

MORNING = time(9, 0)
EVENING = time(19, 0)
TASK_REMINDER_LEAD = timedelta(hours=1)
TASK_REMINDER_EVERY = timedelta(minutes=5)
RETRY_SWEEP_EVERY = timedelta(minutes=5)  # how often failed runs are looked at
RETRY_FIRST = timedelta(minutes=5)  # a failed run's first retry; doubled after each failure
RETRY_LONGEST = timedelta(hours=1)


class JobName(StrEnum):
    """The scheduled jobs, named as on the command line."""

    REPORT_WINDOW_OPEN = "report-window-open"
    REPORT_REMINDERS = "report-reminders"
    MONTH_CLOSE = "month-close"
    WEEKLY_SUMMARY = "weekly-summary"
    TASK_REMINDERS = "task-reminders"
    REDEMPTION_WINDOW_OPEN = "redemption-window-open"
    YEAR_CLOSE = "year-close"
    UNIT_FEEDBACK = "unit-feedback"


@dataclass(frozen=True)
class Due:
    """A run that should have happened by now: when, and for which period."""

    at: datetime
    period: str


def previous_month(day: date) -> str:
    """``YYYY-MM`` of the month before ``day``'s."""
    last = day.replace(day=1) - timedelta(days=1)
    return f"{last:%Y-%m}"


def previous_week(day: date) -> str:
    """ISO week ``YYYY-Www`` of the week before ``day``'s."""
    year, week, _ = (day - timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(period: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 of an ISO week ``YYYY-Www``."""
    year, week = period.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    start = datetime.combine(monday, time(), tz)
    return start, start + timedelta(days=7)


def period_for(job: JobName, at: datetime, tz: ZoneInfo) -> str:
    """The period a run at ``at`` covers."""
    day = at.astimezone(tz).date()
    if job is JobName.REPORT_WINDOW_OPEN:
        return f"{day:%Y-%m}"
    if job is JobName.REPORT_REMINDERS:
        return day.isoformat()
    if job is JobName.MONTH_CLOSE:
        return previous_month(day)
    if job is JobName.WEEKLY_SUMMARY:
        return previous_week(day)
    if job is JobName.REDEMPTION_WINDOW_OPEN:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if job is JobName.YEAR_CLOSE:
        return str(day.year - 1)
    if job is JobName.UNIT_FEEDBACK:
        return previous_quarter(day).label
    return "rolling"


def retry_delay(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failure a run is tried again: 5, 10, 20, 40
    minutes, then every hour."""
    return min(RETRY_FIRST * (1 << min(max(attempts - 1, 0), 16)), RETRY_LONGEST)


def period_end(job: JobName, at: datetime, tz: ZoneInfo) -> datetime | None:
    """When the period a run at ``at`` covers ends (None: a rolling job). A deployment
    that started after it never saw that period: its run is not due there."""
    day = at.astimezone(tz).date()
    if job is JobName.REPORT_REMINDERS:
        end = day + timedelta(days=1)
    elif job is JobName.REPORT_WINDOW_OPEN:
        end = period_containing(day, PeriodKind.MONTH).end_day
    elif job is JobName.MONTH_CLOSE:
        end = day.replace(day=1)
    elif job is JobName.WEEKLY_SUMMARY:
        end = day - timedelta(days=day.weekday())
    elif job is JobName.REDEMPTION_WINDOW_OPEN:
        end = quarter_of(day).end_day
    elif job is JobName.YEAR_CLOSE:
        end = date(day.year, 1, 1)
    elif job is JobName.UNIT_FEEDBACK:
        end = quarter_of(day).first_day
    else:
        return None
    return datetime.combine(end, time(), tz)


def latest_due(
    job: JobName, now: datetime, tz: ZoneInfo, window_days: int, redemption_days: int = 14
) -> Due | None:
    """The most recent run of ``job`` due by ``now``, if one is still worth running."""
    local = now.astimezone(tz)
    day = local.date()
    if job is JobName.REDEMPTION_WINDOW_OPEN:
        shop_window = redemption_window(day, redemption_days)
        at = datetime.combine(shop_window.first_day, MORNING, tz)
        in_window = shop_window.contains(day) and local >= at
        return Due(at, period_for(job, at, tz)) if in_window else None
    if job is JobName.YEAR_CLOSE:
        # caught up during January only: a selection announced in June would confuse
        at = datetime.combine(date(day.year, 1, 1), MORNING, tz)
        return Due(at, period_for(job, at, tz)) if day.month == 1 and local >= at else None
    window = window_for_day(day, window_days)
    if job is JobName.REPORT_WINDOW_OPEN:
        at = datetime.combine(window.first_day, MORNING, tz)
        return Due(at, period_for(job, at, tz)) if window.contains(day) and local >= at else None
    if job is JobName.REPORT_REMINDERS:
        at = datetime.combine(day, EVENING, tz)
        return Due(at, period_for(job, at, tz)) if window.contains(day) and local >= at else None
    if job is JobName.MONTH_CLOSE:
        at = datetime.combine(day.replace(day=1), MORNING, tz)
        if local < at:  # before 09:00 on the 1st: last month's close is the latest due
            at = datetime.combine(
                (day.replace(day=1) - timedelta(days=1)).replace(day=1), MORNING, tz
            )
        return Due(at, period_for(job, at, tz))
    if job is JobName.UNIT_FEEDBACK:
        at = datetime.combine(quarter_of(day).first_day, MORNING, tz)
        if local < at:  # before 09:00 on a quarter's first day: the quarter before's run
            at = datetime.combine(previous_quarter(day).first_day, MORNING, tz)
        return Due(at, period_for(job, at, tz))
    if job is JobName.WEEKLY_SUMMARY:
        at = datetime.combine(day - timedelta(days=day.weekday()), MORNING, tz)
        if local < at:
            at -= timedelta(days=7)
        return Due(at, period_for(job, at, tz))
    return Due(now, "rolling")
