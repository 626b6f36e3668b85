"""Times as people read them: local (``TIMEZONE``), in their language's way of writing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.timeutil import from_db
from bot.i18n import N_, Translator

MONTHS = [
    N_("time.month.1"),
    N_("time.month.2"),
    N_("time.month.3"),
    N_("time.month.4"),
    N_("time.month.5"),
    N_("time.month.6"),
    N_("time.month.7"),
    N_("time.month.8"),
    N_("time.month.9"),
    N_("time.month.10"),
    N_("time.month.11"),
    N_("time.month.12"),
]

WEEKDAYS = [
    N_("time.weekday.0"),
    N_("time.weekday.1"),
    N_("time.weekday.2"),
    N_("time.weekday.3"),
    N_("time.weekday.4"),
    N_("time.weekday.5"),
    N_("time.weekday.6"),
]


def _local(moment: datetime | str, tz: ZoneInfo) -> datetime:
    return (from_db(moment) if isinstance(moment, str) else moment).astimezone(tz)


def day_text(tr: Translator, moment: datetime | date | str, tz: ZoneInfo | None = None) -> str:
    """2026年11月22日 / 22 Nov 2026 (a moment is read in ``tz`` first; a date is a date)."""
    if isinstance(moment, date) and not isinstance(moment, datetime):
        local: date = moment
    else:
        assert tz is not None
        local = _local(moment, tz)
    month = tr.plain(MONTHS[local.month - 1])
    return tr.plain("time.day", year=local.year, month_name=month, day=local.day)


def moment_text(tr: Translator, moment: datetime | str, tz: ZoneInfo) -> str:
    """2026年11月22日 10:27 / 22 Nov 2026 10:27."""
    local = _local(moment, tz)
    return tr.plain("time.moment", day=day_text(tr, local, tz), clock=f"{local:%H:%M}")


def span_text(tr: Translator, start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """A task's time: 2026年11月28日（周六）09:00–11:00 / Sat 28 Nov 2026, 09:00–11:00 (the
    end's day only when it differs)."""
    first, last = start.astimezone(tz), end.astimezone(tz)
    weekday = tr.plain(WEEKDAYS[first.weekday()])
    if first.date() == last.date():
        day = day_text(tr, first, tz)
        return tr.plain(
            "time.span", day=day, weekday=weekday, start=f"{first:%H:%M}", end=f"{last:%H:%M}"
        )
    return f"{moment_text(tr, first, tz)} – {moment_text(tr, last, tz)}"


MONTHS_LONG = [
    N_("time.month_long.1"),
    N_("time.month_long.2"),
    N_("time.month_long.3"),
    N_("time.month_long.4"),
    N_("time.month_long.5"),
    N_("time.month_long.6"),
    N_("time.month_long.7"),
    N_("time.month_long.8"),
    N_("time.month_long.9"),
    N_("time.month_long.10"),
    N_("time.month_long.11"),
    N_("time.month_long.12"),
]

QUARTERS = [
    N_("time.quarter.1"),
    N_("time.quarter.2"),
    N_("time.quarter.3"),
    N_("time.quarter.4"),
]


def _month_parts(key: str | date) -> tuple[int, int]:
    if isinstance(key, date):
        return key.year, key.month
    year, month = key.split("-")
    return int(year), int(month)


def month_text(tr: Translator, month: str | date) -> str:
    """A month (``YYYY-MM`` or a day in it): 2026年12月 / December 2026."""
    year, number = _month_parts(month)
    name = tr.plain(MONTHS_LONG[number - 1])
    return tr.plain("time.month_period", year=year, month_name=name)


def quarter_text(tr: Translator, quarter: str | date) -> str:
    """A quarter (``YYYY-Qn`` or a day in it): 2026年第四季度 / Q4 2026."""
    if isinstance(quarter, date):
        year, number = quarter.year, (quarter.month - 1) // 3 + 1
    else:
        head, _, tail = quarter.partition("-Q")
        year, number = int(head), int(tail)
    return tr.plain(QUARTERS[number - 1], year=year)


def days_text(tr: Translator, first: date, last: date) -> str:
    """A run of days: 12月25日至31日 / 25–31 December (the month once when it is the same)."""
    first_name = tr.plain(MONTHS_LONG[first.month - 1])
    if (first.year, first.month) == (last.year, last.month):
        return tr.plain(
            "time.days_in_month",
            month_name=first_name,
            first=first.day,
            last=last.day,
        )
    return tr.plain(
        "time.days",
        first_month_name=first_name,
        first=first.day,
        last_month_name=tr.plain(MONTHS_LONG[last.month - 1]),
        last=last.day,
    )


def week_text(tr: Translator, week: str) -> str:
    """An ISO week ``YYYY-Www`` as its days: 12月14日至20日 / 14–20 December."""
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    return days_text(tr, monday, monday + timedelta(days=6))


def hours_number(hours: float) -> str:
    """2 (not 2.0), 1.5: the figure of a number of hours."""
    rounded = round(hours, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def hours_text(tr: Translator, hours: float) -> str:
    """2小时 / 2 h."""
    return tr.plain("time.hours", hours=hours_number(hours))
