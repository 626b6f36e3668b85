"""A wish's card on the wall (心愿墙)."""

from __future__ import annotations

from bot.i18n import Translator
from bot.storage.wishes import Wish


def wish_card_text(tr: Translator, wish: Wish, claimant: str | None = None) -> str:
    """The wish and the compound (no phone, no name, no private details), then who took it
    on, or how to take it on."""
    lines = [tr("wish.card", number=wish.id, text=wish.text)]
    if wish.compound:
        lines.append(tr("wish.card_compound", compound=wish.compound))
    if claimant:
        lines.append(tr("wish.card_claimed", name=claimant))
    else:
        lines.append(tr("wish.card_call"))
    return "\n".join(lines)
