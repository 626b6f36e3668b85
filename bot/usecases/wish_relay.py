"""Between a wish's resident and the volunteer who took it on (17.5): each is told of the
claim, and each may write to the other through the bot, in the private chats, without either
seeing the other's phone or username. The relay is open while the wish is taken on and not
yet confirmed, for that claim only; /forgetme of either side ends it.

A relayed message is an outbox row to the other side (its words kept only until it is sent);
what is stored besides is how many messages each side relayed today (the rate limit)."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from bot.domain.messages import N_
from bot.domain.models import Member
from bot.domain.text_limits import shorten
from bot.domain.wishes import RELAY_PER_DAY, RELAY_STATUSES, RelaySide, first_name
from bot.outbox.messages import notice, text_parts
from bot.services import Services
from bot.storage.outbox import OutboxItem
from bot.storage.wishes import Wish, relay_effect
from bot.usecases.audiences import translator_for
from bot.views.wish_card import relay_keyboard

logger = logging.getLogger(__name__)

SHORT_TEXT = 20  # characters of the wish that head a relayed message


@dataclass(frozen=True)
class Relay:
    """An open relay, seen from one side: who writes, to whom, about which wish."""

    wish: Wish
    side: RelaySide
    recipient: int  # the other side's Telegram id
    volunteer: Member


async def open_relay(
    services: Services, telegram_id: int, wish_id: int, claim: int
) -> Relay | None:
    """The relay of the wish's ``claim``-th claim as ``telegram_id`` sees it; None when it is
    closed (fulfilled, withdrawn, given back, taken on again, either side forgotten) or they
    are neither its resident nor its volunteer."""
    storage = services.storage
    wish = await storage.wishes.get(wish_id)
    if (
        wish is None
        or wish.status not in RELAY_STATUSES
        or wish.claims != claim
        or wish.claimant_id is None
        or wish.author_id is None
    ):
        return None
    volunteer = await storage.members.get(wish.claimant_id)
    if volunteer is None or volunteer.telegram_id is None:
        return None
    if volunteer.telegram_id == wish.author_id:  # their own wish: nobody to write to
        return None
    if telegram_id == wish.author_id:
        return Relay(wish, RelaySide.RESIDENT, volunteer.telegram_id, volunteer)
    if telegram_id == volunteer.telegram_id:
        return Relay(wish, RelaySide.VOLUNTEER, wish.author_id, volunteer)
    return None


async def why_not_relay(services: Services, telegram_id: int, wish_id: int, claim: int) -> str:
    """Before asking for the message: the message key of why it cannot be sent (closed, or
    today's messages used up), or "" when it can."""
    relay = await open_relay(services, telegram_id, wish_id, claim)
    if relay is None:
        return N_("wish.relay_closed")
    used = await services.storage.wishes.count_relayed(wish_id, relay.side, _today(services))
    return N_("wish.relay_limit") if used >= RELAY_PER_DAY else ""


async def relay_message(
    services: Services,
    telegram_id: int,
    wish_id: int,
    claim: int,
    text: str,
    photo_file_id: str | None = None,
) -> str:
    """Pass ``text`` (and a photo) to the other side of the wish, headed with the wish and a
    Reply button; the answer's message key (sent, closed, or today's limit reached)."""
    storage = services.storage
    async with storage.db.transaction():
        relay = await open_relay(services, telegram_id, wish_id, claim)
        if relay is None:
            return N_("wish.relay_closed")
        if not await storage.wishes.count_relay(
            wish_id, relay.side, _today(services), RELAY_PER_DAY
        ):
            logger.info("wish %s: the %s side reached today's relay limit", wish_id, relay.side)
            return N_("wish.relay_limit")
        await storage.outbox.add(await _relayed(services, relay, text, photo_file_id))
    logger.info("wish %s: a message relayed from the %s side", wish_id, relay.side)
    return N_("wish.relay_sent")


async def _relayed(
    services: Services, relay: Relay, text: str, photo_file_id: str | None
) -> list[OutboxItem]:
    tr = await translator_for(services, relay.recipient)
    wish = relay.wish
    short = shorten(wish.text, SHORT_TEXT)
    if relay.side is RelaySide.RESIDENT:
        header = tr("wish.relay_from_resident", number=wish.id, text=short)
    else:
        name = first_name(relay.volunteer.name)
        header = tr("wish.relay_from_volunteer", name=name, number=wish.id, text=short)
    body = header + ("\n" + html.escape(text, quote=False) if text else "")  # their words
    markup = relay_keyboard(tr, wish.id, wish.claims, N_("wish.relay_reply"))
    effect = relay_effect(wish.id)
    if photo_file_id is None:
        return text_parts(
            relay.recipient, body, markup, member_telegram_id=relay.recipient, effect=effect
        )
    payload = {"file_id": photo_file_id, "caption": body, "markup": markup.to_dict()}
    return [
        OutboxItem(
            relay.recipient, "photo", payload, member_telegram_id=relay.recipient, effect=effect
        )
    ]


def _today(services: Services) -> str:
    return services.now().date().isoformat()


async def announce_claim(services: Services, member: Member, wish_id: int) -> None:
    """The wish was just taken on: its volunteer gets the wish in private (what, where, how
    to write to the resident), and its resident is told who took it on (the first name only),
    each with a button to write to the other."""
    storage = services.storage
    wish = await storage.wishes.get(wish_id)
    if wish is None or member.telegram_id is None:
        return
    relay = await open_relay(services, member.telegram_id, wish.id, wish.claims)
    tr = await translator_for(services, member.telegram_id)
    lines = [tr("wish.claimed_for_volunteer", number=wish.id, text=wish.text)]
    if wish.compound:
        lines.append(tr("wish.card_compound", compound=wish.compound))
    if relay is not None:
        lines.append(tr("wish.relay_hint"))
    elif wish.author_id is None:  # collected on paper: nobody to write to
        lines.append(tr("wish.claimed_on_paper"))
    lines.append(tr("wish.claimed_then_done"))
    markup = relay_keyboard(tr, wish.id, wish.claims, N_("wish.message_resident"))
    text = "\n".join(lines)
    await storage.outbox.add(notice(member.telegram_id, text, markup if relay else None))
    if relay is None:
        return
    tr = await translator_for(services, relay.recipient)
    text = tr(
        "wish.claimed_for_resident",
        number=wish.id,
        text=wish.text,
        name=first_name(member.name),
    )
    markup = relay_keyboard(tr, wish.id, wish.claims, N_("wish.message_volunteer"))
    await storage.outbox.add(notice(relay.recipient, text, markup))


async def end_relays(services: Services, wish_ids: list[int]) -> None:
    """Someone of these wishes' relays asked to be forgotten: messages not sent yet are not
    sent, and those sent keep nothing of their words."""
    await services.storage.outbox.forget_posts([relay_effect(w) for w in wish_ids])
