"""Objections to the monthly public notice (一月一公示): who may object, and when."""

from __future__ import annotations

from datetime import date

from bot.domain.schedule import previous_month


def objection_month(today: date, days: int) -> str | None:
    """The month open to objections: the one published on the 1st, for ``days`` days."""
    return previous_month(today) if today.day <= days else None
