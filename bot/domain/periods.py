"""Calendar periods in the configured time zone: the report window, months, quarters, years."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.forms import FormError
from bot.domain.messages import N_

# The years a month or quarter may be asked for: the bot's records, with room on both sides
# (a year 0001 or 9999 would run off the calendar when the period's end is worked out).
FIRST_YEAR, LAST_YEAR = 2000, 2100
_MONTH = re.compile(r"^(\d{4})\s*(?:-|年\s*(?=\d+\s*月))\s*(\d{1,2})\s*(?:月份?)?$")
# December 2026, Dec 2026: how the English catalog writes a month (time.month_long.*)
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_EN = re.compile(r"^([a-z]+)\.?\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")


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


def parse_month(text: str) -> str:
    """``YYYY-MM``, or the month as the bot writes it (``2026年12月``, ``December 2026``; full-
    width digits too) as the month's key; FormError when it is not one, or the year is outside
    FIRST_YEAR..LAST_YEAR."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    found = _MONTH.match(cleaned)
    english = _MONTH_EN.match(cleaned.lower())
    if english is not None and english.group(1) in _MONTH_NAMES and english.group(2).isascii():
        year, month = int(english.group(2)), _MONTH_NAMES[english.group(1)]
    elif found is None or not found.group(1).isascii() or not found.group(2).isascii():
        raise FormError(N_("cycle.bad_month"))
    else:
        year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        raise FormError(N_("cycle.bad_month"))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FormError(
            N_("cycle.month_out_of_range"), params={"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return f"{year:04d}-{month:02d}"


def parse_year(text: str) -> int:
    """``2026`` or ``2026年`` (full-width digits too); FormError when it is not a year, or
    the year is outside FIRST_YEAR..LAST_YEAR."""
    found = _YEAR.match(unicodedata.normalize("NFKC", text).strip())
    if found is None or not found.group(1).isascii():
        raise FormError(N_("cycle.bad_year"))
    year = int(found.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FormError(
            N_("cycle.year_out_of_range"), params={"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return year


def account_year(today: date) -> int:
    """The year a record or a year's figures speak of when none is named: this one, but the
    last one in January (when work units ask for last year's record and this one is empty)."""
    return today.year - 1 if today.month == 1 else today.year


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
