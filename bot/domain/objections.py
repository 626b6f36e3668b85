"""Objections to the monthly public notice (一月一公示): who may object, and when."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.schedule import previous_month


def objection_deadline(published: date, days: int) -> date:
    """The last day members may object to the notice published on ``published`` (the 1st)."""
    return published + timedelta(days=days - 1)


def objection_month(today: date, days: int) -> str | None:
    """The month open to objections: the one published on the 1st, for ``days`` days."""
    return previous_month(today) if today.day <= days else None
