"""Splitting long lists into pages for messages with Prev/Next buttons."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """Which slice of a list one page shows (``number`` counts from 0)."""

    number: int
    count: int
    offset: int
    size: int

    @property
    def has_prev(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number + 1 < self.count


def page_of(total: int, requested: int, size: int) -> Page:
    """The page ``requested`` clamped into range (a stale button lands on a real page)."""
    count = max(1, -(-total // size))
    number = min(max(requested, 0), count - 1)
    return Page(number=number, count=count, offset=number * size, size=size)
