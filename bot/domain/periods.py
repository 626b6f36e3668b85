"""Calendar periods in the configured time zone: the report window, months, quarters, years."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo


class PeriodKind(StrEnum):
    """The standings' periods (一月一公示、一季一兑换、一年一评选)."""

    MONTH = "m"
    QUARTER = "q"
    YEAR = "y"


@dataclass(frozen=True)
class Period:
    """Half-open span [start, end) of local dates."""

    kind: PeriodKind
    first_day: date
    end_day: date  # the day after the last one

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The span as timezone-aware moments."""
        return (
            datetime.combine(self.first_day, time(), tz),
            datetime.combine(self.end_day, time(), tz),
        )

    @property
    def label(self) -> str:
        """``2026-11``, ``2026-Q4`` or ``2026``."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.first_day:%Y-%m}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.first_day.year}-Q{(self.first_day.month - 1) // 3 + 1}"
        return str(self.first_day.year)


def period_containing(day: date, kind: PeriodKind) -> Period:
    """The month, quarter or year that ``day`` falls in."""
    if kind is PeriodKind.MONTH:
        first = day.replace(day=1)
        months = 1
    elif kind is PeriodKind.QUARTER:
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        months = 3
    else:
        first = date(day.year, 1, 1)
        months = 12
    year, month = divmod(first.month - 1 + months, 12)
    return Period(kind, first, date(first.year + year, month + 1, 1))


def month_key(day: date) -> str:
    """``YYYY-MM``: how monthly reports are keyed."""
    return f"{day:%Y-%m}"


@dataclass(frozen=True)
class ReportWindow:
    """The 回家日 window: the last ``days`` days of a month (inclusive local dates)."""

    month: str
    first_day: date
    last_day: date

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def report_window(year: int, month: int, days: int) -> ReportWindow:
    """The last ``days`` days of the month (the whole month when ``days`` ≥ its length)."""
    length = calendar.monthrange(year, month)[1]
    last = date(year, month, length)
    first = last - timedelta(days=min(days, length) - 1)
    return ReportWindow(f"{year:04d}-{month:02d}", first, last)


def window_for_day(day: date, days: int) -> ReportWindow:
    """The report window of the month ``day`` is in."""
    return report_window(day.year, day.month, days)


def report_month_for(starts_at: datetime, tz: tzinfo, window_days: int) -> str | None:
    """The month (YYYY-MM) whose report a task starting then counts as, if inside the window."""
    day = starts_at.astimezone(tz).date()
    window = window_for_day(day, window_days)
    return window.month if window.contains(day) else None
