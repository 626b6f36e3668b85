"""Objections to the monthly public notice (一月一公示): who may object, and when."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.schedule import previous_month
from bot.domain.signups import SignupStatus

# Check-ins that earned nothing and may be objected to: rejected, or never made ("I was
# there": a joined member marked as a no-show). Reopening one approves it after all.
REOPENABLE = (SignupStatus.REJECTED, SignupStatus.NO_SHOW)


def objection_deadline(published: date, days: int) -> date:
    """The last day members may object to the notice published on ``published`` (the 1st)."""
    return published + timedelta(days=days - 1)


def objection_month(today: date, days: int) -> str | None:
    """The month open to objections: the one published on the 1st, for ``days`` days."""
    return previous_month(today) if today.day <= days else None


def reopenable_since(today: date, days: int) -> date:
    """The first day of service a secretary may still reopen a check-in for on their own:
    this month (not yet published), and the month under notice while objections are open.
    Older months are settled (an objection filed in time may still reopen one of them)."""
    first = today.replace(day=1)
    if objection_month(today, days) is None:
        return first
    return (first - timedelta(days=1)).replace(day=1)
