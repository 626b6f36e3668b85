"""The languages the bot speaks, read from ``bot/locales/languages.json``: adding one is a
folder under ``bot/locales/`` and an entry in that list, no code.

Each entry: ``locale`` (the folder), ``name`` (as its speakers write it, for /lang),
``telegram`` (Telegram ``language_code`` prefixes that choose it, longest match wins) and
``menu`` (the two-letter code its command menus are published under, or null to share the
menus of another language: Telegram's menus know ``zh`` but not ``zh-hant``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGUAGES_FILE = Path(__file__).resolve().parent / "locales" / "languages.json"


@dataclass(frozen=True)
class Language:
    """One language the bot speaks."""

    locale: str
    name: str
    telegram: tuple[str, ...]
    menu: str | None


@cache
def languages() -> tuple[Language, ...]:
    """Every language, in the order /lang offers them."""
    entries = json.loads(LANGUAGES_FILE.read_text(encoding="utf-8"))
    return tuple(
        Language(e["locale"], e["name"], tuple(c.lower() for c in e["telegram"]), e["menu"])
        for e in entries
    )


def locales() -> tuple[str, ...]:
    """The locale folders, in order."""
    return tuple(language.locale for language in languages())


def for_telegram_code(code: str | None) -> str | None:
    """The locale a Telegram ``language_code`` (``zh-hant``, ``en-US``) chooses, or None."""
    if not code:
        return None
    code = code.lower().replace("_", "-")
    matches = [
        (len(prefix), language.locale)
        for language in languages()
        for prefix in language.telegram
        if code == prefix or code.startswith(prefix + "-")
    ]
    return max(matches)[1] if matches else None
