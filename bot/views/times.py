"""Times as people read them: local (``TIMEZONE``), in their language's way of writing."""

from __future__ import annotations

import calendar
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.timeutil import from_db
from bot.i18n import Translator


def _local(moment: datetime | str, tz: ZoneInfo) -> datetime:
    return (from_db(moment) if isinstance(moment, str) else moment).astimezone(tz)


def day_text(tr: Translator, moment: datetime | str, tz: ZoneInfo) -> str:
    """2026年11月22日 / 22 Nov 2026 (a stored UTC moment is read in ``tz`` first)."""
    local = _local(moment, tz)
    return tr.plain(
        "time.day",
        year=local.year,
        month=local.month,
        day=local.day,
        month_name=calendar.month_abbr[local.month],
    )


def moment_text(tr: Translator, moment: datetime | str, tz: ZoneInfo) -> str:
    """2026年11月22日 10:27 / 22 Nov 2026 10:27."""
    local = _local(moment, tz)
    return tr.plain("time.moment", day=day_text(tr, local, tz), clock=f"{local:%H:%M}")
