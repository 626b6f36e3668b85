"""A wish's card on the wall (心愿墙)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.storage.wishes import Wish


def wish_card_text(tr: Translator, wish: Wish) -> str:
    """The wish and the compound: no phone, no name, no private details."""
    text = tr("wish.card", number=wish.id, text=wish.text)
    if wish.compound:
        text += "\n" + tr("wish.card_compound", compound=wish.compound)
    return text
