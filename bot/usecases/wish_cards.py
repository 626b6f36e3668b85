"""A wish's cards on the wall (心愿墙), one in each of the community's groups: posted once,
remembered when sent, and edited when the wish changes (never a second card)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.outbox.messages import text_parts
from bot.services import Services
from bot.storage.outbox import OutboxItem
from bot.storage.wishes import Wish, card_effect
from bot.views.keyboards import wish_card_keyboard
from bot.views.wish_card import wish_card_text


async def post_cards(services: Services, community_id: int, wish_id: int) -> None:
    """The wish's card, with its Claim button, in each of the community's groups."""
    storage = services.storage
    wish = await storage.wishes.get(wish_id)
    assert wish is not None
    for group in await storage.groups.list_active(community_id):
        await _post_card_in(services, wish, group.chat_id, group.language)


async def _post_card_in(services: Services, wish: Wish, chat_id: int, language: str | None) -> None:
    tr = services.translations.get(language)
    markup: InlineKeyboardMarkup = wish_card_keyboard(tr, wish.id)
    items = text_parts(chat_id, wish_card_text(tr, wish), markup, effect=card_effect(wish.id))
    await services.storage.outbox.add(items)


async def show_cards(
    services: Services, community_id: int, wish_id: int, *, back_on_wall: bool
) -> None:
    """The wish changed: each group's card is edited to show it, never a second card. Back
    on the wall, the edits wait a moment and coalesce (a claim-and-release loop sends at most
    one edit a card per interval), and a group without a card (one posted before cards were
    remembered) gets one; taken on, the cards show it at once."""
    storage = services.storage
    wish = await storage.wishes.get(wish_id)
    assert wish is not None
    cards = await storage.wishes.cards(wish_id)
    delay = services.settings.card_edit_interval_seconds if back_on_wall else 0.0
    for group in await storage.groups.list_active(community_id):
        chat_id = group.chat_id
        message_id = cards.get(chat_id)
        if message_id is not None:
            payload = {"wish_id": wish_id, "message_id": message_id}
            key = f"card:{chat_id}:{message_id}"
            await storage.outbox.add(
                [OutboxItem(chat_id, "card", payload, coalesce_key=key, delay=delay)]
            )
        elif back_on_wall and not await storage.wishes.card_on_its_way(wish_id, chat_id):
            await _post_card_in(services, wish, chat_id, group.language)
