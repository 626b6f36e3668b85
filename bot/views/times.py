"""Times as people read them: local (``TIMEZONE``), in their language's way of writing."""

from __future__ import annotations

from datetime import date, datetime
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
