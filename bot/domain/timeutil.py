"""Times as stored (ISO 8601, UTC) and as people write them (local, in TIMEZONE)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.spoken_time import spoken_day, spoken_time

_DATETIME = re.compile(
    r"^(?:(?P<y>\d{4})[-/.年])?(?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?\s+"
    r"(?P<H>\d{1,2})[:：](?P<M>\d{2})$"
)
_TIME = re.compile(r"^(?P<H>\d{1,2})[:：](?P<M>\d{2})$")


def to_db(moment: datetime) -> str:
    """A timezone-aware moment as stored."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    """A stored moment, timezone-aware (UTC)."""
    return datetime.fromisoformat(text)


def parse_local_datetime(text: str, tz: ZoneInfo, today: date) -> datetime | None:
    """``2026-11-28 09:00`` (or ``11-28 09:00``, ``2026/11/28 9:00``) in ``tz``; None if unreadable.

    Without a year, the next such date from ``today`` on is meant.
    """
    match = _DATETIME.match(" ".join(text.split()))
    if not match:
        return _spoken(text, tz, today)
    year = int(match["y"]) if match["y"] else today.year
    try:
        moment = datetime(year, int(match["m"]), int(match["d"]), int(match["H"]), int(match["M"]))
    except ValueError:
        return None
    if not match["y"] and moment.date() < today:
        try:
            moment = moment.replace(year=year + 1)
        except ValueError:
            return None
    return moment.replace(tzinfo=tz)


def _spoken(text: str, tz: ZoneInfo, today: date) -> datetime | None:
    """明天上午9点, 周六下午3点半, 11月28日 9:00 …; None when no day or no time is named."""
    day, rest = spoken_day(text, today)
    clock = spoken_time(rest)
    if day is None or clock is None:
        return None
    return datetime.combine(day, clock, tz)


def parse_local_time(text: str) -> time | None:
    """``11:00`` (or 11点, 下午3点半) as a time of day; None if unreadable."""
    match = _TIME.match(text.strip())
    if not match:
        day, rest = spoken_day(text, date.min)
        return spoken_time(rest) if day is None else None
    hour, minute = int(match["H"]), int(match["M"])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def local_text(moment: datetime, tz: ZoneInfo) -> str:
    """``2026-11-28 09:00`` in ``tz``."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def hours_between(start: datetime, end: datetime) -> float:
    """Length of a span in hours."""
    return (end - start) / timedelta(hours=1)
