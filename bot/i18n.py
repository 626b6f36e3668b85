"""Message catalogs (gettext ``.po`` read at run time) and a translator per update.

Messages are looked up by a symbolic key (``enroll.done``); templates use
``{name}`` placeholders. Every ``str`` argument is HTML-escaped unless it is
wrapped in :class:`Html`, so user text can never break a message.
"""

from __future__ import annotations

import gettext
import html
import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polib

from bot.config import SUPPORTED_LOCALES
from bot.domain.messages import N_
from bot.languages import for_telegram_code

__all__ = ["N_", "Translations", "Translator"]

logger = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent / "locales"  # package data: wheels carry it


class Html(str):
    """A string that is already safe HTML and is inserted as it is."""

    __slots__ = ()


def plain_text(text: str) -> str:
    """A rendered message without its HTML (for files that are not Telegram messages)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _po(locale: str, locales_dir: Path) -> polib.POFile:
    return polib.pofile(str(locales_dir / locale / "LC_MESSAGES" / "bot.po"))


def load_catalog(locale: str, locales_dir: Path = LOCALES_DIR) -> dict[str, str]:
    """Read one locale's ``bot.po`` into a key → template mapping (for a message with
    plural forms, its last form: the one its placeholders are checked against)."""
    catalog: dict[str, str] = {}
    for entry in _po(locale, locales_dir):
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural and entry.msgstr_plural:
            catalog[entry.msgid] = entry.msgstr_plural[max(entry.msgstr_plural)]
        elif entry.msgstr:
            catalog[entry.msgid] = entry.msgstr
    return catalog


@cache  # once per process (translators travel to the drawing workers without it)
def load_plurals(locale: str, locales_dir: Path = LOCALES_DIR) -> gettext.GNUTranslations:
    """The locale's messages as GNU gettext reads them: ``ngettext`` picks the plural form
    by the catalog's own ``Plural-Forms`` (English: 1 error, 2 errors; Chinese: one form)."""
    return gettext.GNUTranslations(io.BytesIO(_po(locale, locales_dir).to_binary()))


@dataclass(frozen=True)
class Translator:
    """Renders messages in one locale; passed explicitly to whatever needs text."""

    locale: str
    catalog: Mapping[str, str]
    fallback: Mapping[str, str]
    locales_dir: Path = LOCALES_DIR  # plural forms are read from here when first needed

    def __call__(self, key: str, /, **params: object) -> str:
        template = self.catalog.get(key)
        if template is None:
            logger.warning("message %r missing in locale %s", key, self.locale)
            template = self.fallback.get(key, key)
        safe = {name: _escape(value) for name, value in params.items()}
        return template.format(**safe)

    def plural(self, key: str, /, count: int, **params: object) -> str:
        """A message whose words follow ``count`` ("1 error", "2 errors")."""
        template = load_plurals(self.locale, self.locales_dir).ngettext(key, key, count)
        if template == key:  # no plural forms here: the message as it is
            return self(key, count=count, **params)
        safe = {name: _escape(value) for name, value in params.items()}
        return template.format(count=count, **safe)

    def plain(self, key: str, /, **params: object) -> str:
        """The message as plain text, for button labels and pop-up answers: Telegram shows
        them as they are, so nothing is escaped (a title "A&B" reads "A&B", not "A&amp;B")."""
        return plain_text(self(key, **params))


def _escape(value: object) -> str:
    if isinstance(value, Html):
        return str(value)
    return html.escape(str(value), quote=False)


class Translations:
    """All catalogs, loaded once; hands out a translator per locale."""

    def __init__(self, default_locale: str, locales_dir: Path = LOCALES_DIR) -> None:
        self.default_locale = default_locale
        self._catalogs = {loc: load_catalog(loc, locales_dir) for loc in SUPPORTED_LOCALES}
        fallback = self._catalogs[default_locale]
        self._translators = {
            loc: Translator(loc, cat, fallback, locales_dir) for loc, cat in self._catalogs.items()
        }

    def get(self, locale: str | None) -> Translator:
        """The translator for ``locale``, or the default one."""
        return self._translators.get(locale or "", self._translators[self.default_locale])

    def all(self) -> list[Translator]:
        """Every supported locale's translator (for command menus)."""
        return list(self._translators.values())

    def resolve(self, chosen: str | None, telegram_code: str | None) -> Translator:
        """The member's choice, else Telegram's ``language_code``, else the default."""
        if chosen in self._translators:
            return self._translators[chosen]
        return self.get(match_locale(telegram_code) or self.default_locale)


def match_locale(telegram_code: str | None) -> str | None:
    """Map Telegram's IETF language code (``zh-hans``, ``zh-hant``, ``en-US``) to a locale."""
    return for_telegram_code(telegram_code)
