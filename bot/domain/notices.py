"""A secretary's notice to the community (17.20): who it goes to, and how long it may be."""

from __future__ import annotations

from enum import StrEnum

NOTICE_LIMIT = 3000  # characters of a notice (with its heading, within one message)
NOTICE_JOB = "notice"  # the outbox's job name: one (job, period, recipient) row per notice


class NoticeAudience(StrEnum):
    """Where a notice goes: each enrolled, reachable member in private, or the bound groups."""

    MEMBERS = "m"
    GROUPS = "g"


GROUP_WORDS = frozenset({"group", "groups", "群", "群里", "群组", "群組"})


def parse_notice(text: str) -> tuple[NoticeAudience, str]:
    """``/notice``'s words: ``group <text>`` (or 群 …) for the groups, else the members."""
    parts = text.split(maxsplit=1)
    if parts and parts[0].lower() in GROUP_WORDS:
        return NoticeAudience.GROUPS, parts[1].strip() if len(parts) > 1 else ""
    return NoticeAudience.MEMBERS, text.strip()


def notice_period(secretary_id: int, token: int) -> str:
    """The outbox period of one notice: a replayed or twice-confirmed notice plans nothing new."""
    return f"{secretary_id}:{token}"
