"""Building outbox rows: a message's parts (text, document, photos) and card edits."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot.domain.text_limits import CAPTION_LIMIT, shorten, split_text
from bot.storage.outbox import OutboxItem

# Job fan-outs wait behind notices and card edits.
NOTICE, BULK = 0, 1


def text_parts(
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    member_telegram_id: int | None = None,
    priority: int = NOTICE,
    effect: str | None = None,
) -> list[OutboxItem]:
    """A text message, split to fit Telegram's limit; the buttons go on the last part."""
    chunks = split_text(text)
    items = []
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        payload: dict[str, object] = {"text": chunk}
        if last and markup is not None:
            payload["markup"] = markup.to_dict()
        items.append(
            OutboxItem(
                chat_id,
                "text",
                payload,
                member_telegram_id=member_telegram_id,
                priority=priority,
                effect=effect if last else None,
            )
        )
    return items


def document_part(
    chat_id: int, filename: str, content: bytes, caption: str = "", *, priority: int = NOTICE
) -> OutboxItem:
    """A file (an .xlsx, a PDF), with a caption that fits."""
    payload = {"filename": filename, "caption": shorten(caption, CAPTION_LIMIT)}
    return OutboxItem(chat_id, "document", payload, content, priority=priority)


def photo_part(
    chat_id: int, content: bytes, caption: str = "", *, priority: int = NOTICE
) -> OutboxItem:
    """A picture (a chart), with a caption that fits."""
    payload = {"caption": shorten(caption, CAPTION_LIMIT)}
    return OutboxItem(chat_id, "photo", payload, content, priority=priority)


def message_parts(
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    document: tuple[str, bytes] | None = None,
    photos: Sequence[bytes] = (),
    member_telegram_id: int | None = None,
    priority: int = NOTICE,
    document_caption: str = "",
    photo_captions: Sequence[str] = (),
) -> list[OutboxItem]:
    """A text and its attachments, each its own row: a failed attachment never repeats the text."""
    parts = text_parts(
        chat_id, text, markup, member_telegram_id=member_telegram_id, priority=priority
    )
    if document is not None:
        parts.append(document_part(chat_id, *document, document_caption, priority=priority))
    captions = list(photo_captions) + [""] * (len(photos) - len(photo_captions))
    parts += [
        photo_part(chat_id, photo, caption, priority=priority)
        for photo, caption in zip(photos, captions, strict=True)
    ]
    return parts


def notice(
    telegram_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> list[OutboxItem]:
    """A private message to a member, sent on the bot's own initiative."""
    return text_parts(telegram_id, text, markup, member_telegram_id=telegram_id)
