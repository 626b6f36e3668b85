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
