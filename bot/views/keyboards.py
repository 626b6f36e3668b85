"""Small builders for the inline keyboards several features share."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.paging import Page
from bot.i18n import Translator


def one_button(text: str, callback_data: str) -> InlineKeyboardMarkup:
    """A keyboard with a single button."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=callback_data)]])


def url_button(text: str, url: str) -> InlineKeyboardMarkup:
    """A keyboard with a single link button."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=url)]])


def pager(tr: Translator, page: Page, prefix: str) -> list[InlineKeyboardButton]:
    """Prev / Next buttons whose callback data is ``<prefix><page number>``."""
    row = []
    if page.has_prev:
        row.append(
            InlineKeyboardButton(tr("button.prev"), callback_data=f"{prefix}{page.number - 1}")
        )
    if page.has_next:
        row.append(
            InlineKeyboardButton(tr("button.next"), callback_data=f"{prefix}{page.number + 1}")
        )
    return row


def choice_row(*choices: tuple[str, str]) -> list[InlineKeyboardButton]:
    """One row of buttons from (label, callback data) pairs, e.g. Approve / Reject an item."""
    return [InlineKeyboardButton(label, callback_data=data) for label, data in choices]
