"""Small builders for the inline keyboards several features share."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import segno
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.domain.models import RosterEntry
from bot.domain.paging import Page
from bot.i18n import Translator
from bot.views.callbacks import Callback, RosterMatch, WishAction, WishButton


def one_button(text: str, callback_data: str) -> InlineKeyboardMarkup:
    """A keyboard with a single button."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=callback_data)]])


def url_button(text: str, url: str) -> InlineKeyboardMarkup:
    """A keyboard with a single link button."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, url=url)]])


def pager(
    tr: Translator, page: Page, button: Callable[[int], Callback]
) -> list[InlineKeyboardButton]:
    """Prev / Next buttons; ``button(n)`` is the callback data of page ``n``."""
    row = []
    if page.has_prev:
        row.append(
            InlineKeyboardButton(tr("button.prev"), callback_data=button(page.number - 1).pack())
        )
    if page.has_next:
        row.append(
            InlineKeyboardButton(tr("button.next"), callback_data=button(page.number + 1).pack())
        )
    return row


LABEL_PART = 12  # characters of a name or title inside a button label


def label_part(text: str, limit: int = LABEL_PART) -> str:
    """``text`` (plain, as button labels are) cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def choice_row(*choices: tuple[str, str]) -> list[InlineKeyboardButton]:
    """One row of buttons from (label, callback data) pairs, e.g. Approve / Reject an item."""
    return [InlineKeyboardButton(label, callback_data=data) for label, data in choices]


def phone_keyboard(tr: Translator) -> ReplyKeyboardMarkup:
    """Telegram's contact-sharing button (the only way we take a phone), and Skip."""
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(tr("enroll.share_phone"), request_contact=True)],
            [KeyboardButton(tr("enroll.skip_phone"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def roster_match_keyboard(
    tr: Translator, member_id: int, candidates: Sequence[RosterEntry]
) -> InlineKeyboardMarkup:
    """One button per roster row the new member could be (name, unit, the phone's end)."""
    rows = [
        [
            InlineKeyboardButton(
                tr.plain(
                    "roster.this_one",
                    name=entry.name,
                    unit=entry.work_unit or "—",
                    phone=entry.phone[-4:],
                ),
                callback_data=RosterMatch(member_id, entry.id).pack(),
            )
        ]
        for entry in candidates[:8]
    ]
    return InlineKeyboardMarkup(rows)


def qr_png(link: str) -> bytes:
    """A QR code of ``link``, as a PNG to print or show on a screen."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def wish_card_keyboard(tr: Translator, wish_id: int) -> InlineKeyboardMarkup:
    """The Claim button under a wish on the wall."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tr.plain("wish.claim"),
                    callback_data=WishButton(WishAction.CLAIM, wish_id).pack(),
                )
            ]
        ]
    )
