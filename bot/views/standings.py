"""Standings as a list of lines: the same in /rank, the monthly notice and the year close."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import Translator
from bot.storage.ledger import Standing


def standing_lines(tr: Translator, standings: Sequence[Standing]) -> list[str]:
    """ "1. 张三　12 分" per member, or the line saying nobody has points yet."""
    lines = [
        tr("rank.line", place=place, name=s.name, points=s.points)
        for place, s in enumerate(standings, start=1)
    ]
    return lines or [tr("rank.none")]
