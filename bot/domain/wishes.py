"""Wish wall rules (心愿征集墙): how many wishes one resident may have waiting, and the relay
between a wish's resident and the volunteer who took it on."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

# Wishes one resident may have waiting for a secretary at once: a burst of /wish never
# floods the secretaries' review (another waits until one of these is decided).
MAX_PENDING_WISHES = 3

# Messages one side of a wish may relay to the other in a day: enough to agree on a time
# and a door, too few to make the bot a way to pester someone.
RELAY_PER_DAY = 10

# A wish's relay is open while it is taken on and not yet confirmed (its claim unchanged).
RELAY_STATUSES = ("claimed", "done")

# Family names of two characters (复姓): the given name follows them.
_COMPOUND_FAMILY_NAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 轩辕 端木".split()  # noqa: SIM905
)


class RelaySide(StrEnum):
    """Who sends a relayed message: the resident who made the wish, or its volunteer."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"


def first_name(name: str) -> str:
    """The name a volunteer is called by, told to the resident instead of their full name:
    the first word of a name written with spaces ("Bob Smith" → "Bob"); for a Chinese name
    (family name first) the given name, when it is two characters or more ("李建国" →
    "建国"); a two-character name stays whole (nobody is addressed by one character)."""
    name = name.strip()
    words = name.split()
    if len(words) > 1:
        return words[0]
    if not name or not all(_is_han(ch) for ch in name):
        return name
    family = 2 if name[:2] in _COMPOUND_FAMILY_NAMES else 1
    given = name[family:]
    return given if len(given) >= 2 else name


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")
