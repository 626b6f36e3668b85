"""A wish's card on the wall (心愿墙)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import Translator
from bot.services import Services
from bot.storage.wishes import Wish
from bot.views.keyboards import wish_card_keyboard


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


async def render_wish_card(
    services: Services, wish_id: int, chat_id: int
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """A wish's card as it should look now, in the group's language: on the wall, with its
    Claim button; taken on, with the claimant's name and no button."""
    storage = services.storage
    wish = await storage.wishes.get(wish_id)
    if wish is None:
        return None
    tr = services.translations.get(await storage.groups.language(chat_id))
    if wish.status == "withdrawn":  # its author asked to be forgotten (16.2)
        return tr("wish.card_withdrawn", number=wish.id), None
    if wish.status == "open":
        return wish_card_text(tr, wish), wish_card_keyboard(tr, wish.id)
    return wish_card_text(tr, wish, claimant=wish.claimant_name), None
