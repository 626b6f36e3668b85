"""The wish wall (心愿征集墙 / 微心愿): a resident's wish, a secretary's approval, one member's
claim, the work done, and the secretary's confirmation that earns the claimant points."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.domain.messages import N_
from bot.domain.models import Member
from bot.domain.points import approves_own_points
from bot.domain.wishes import MAX_PENDING_WISHES
from bot.outbox.messages import notice
from bot.services import Services
from bot.storage.wishes import Wish
from bot.usecases.audiences import secretaries_of, tell, tell_secretaries, translator_for
from bot.usecases.wish_cards import post_cards, show_cards
from bot.usecases.wish_relay import announce_claim

logger = logging.getLogger(__name__)

WAITING_REMINDER_EVERY = 6 * 3600.0  # seconds between "N wishes wait" notices, at most


@dataclass(frozen=True)
class WishMade:
    """What became of a /wish: the answer's message key and the wish's number."""

    key: str
    number: int


async def make_wish(
    services: Services,
    author_id: int,
    community_id: int,
    text: str,
    compound: str = "",
    photo_file_id: str | None = None,
) -> WishMade:
    """A wish for the community's wall. A secretary of that community collected it on paper:
    it goes on the wall at once. Anyone else's (a secretary of another community included)
    waits for the community's secretaries, who are told."""
    storage = services.storage
    if await _on_paper(services, author_id, community_id):
        number = await _record_paper_wish(services, community_id, text, compound, photo_file_id)
        return WishMade(N_("wish.recorded_on_paper"), number)
    async with storage.db.transaction():
        if await storage.wishes.pending_of(author_id) >= MAX_PENDING_WISHES:
            logger.info("resident %s has %s wishes waiting already", author_id, MAX_PENDING_WISHES)
            return WishMade(N_("wish.too_many_pending"), 0)
        wish_id = await storage.wishes.add(community_id, author_id, text, compound, photo_file_id)
        waiting = await storage.wishes.count_in(community_id, ("pending",))
        await _tell_secretaries_waiting(services, community_id, waiting, text)
    logger.info("wish %s made in community %s", wish_id, community_id)
    return WishMade(N_("wish.received"), wish_id)


async def may_make_wish(services: Services, author_id: int, community_id: int) -> bool:
    """False when a wish from this person would be refused for having too many waiting (the
    guided /wish says so before asking for the text, not after)."""
    if await _on_paper(services, author_id, community_id):
        return True
    return await services.storage.wishes.pending_of(author_id) < MAX_PENDING_WISHES


async def _on_paper(services: Services, author_id: int, community_id: int) -> bool:
    """A wish from one of the community's own secretaries: collected on paper."""
    secretary = await services.storage.secretaries.get(author_id)
    return secretary is not None and secretary.community_id == community_id


async def _tell_secretaries_waiting(
    services: Services, community_id: int, waiting: int, text: str
) -> None:
    """One notice per secretary however many wishes arrive: the first wish of an empty
    queue is told; later ones make a notice not sent yet count them all, or, when the last
    notice went out more than WAITING_REMINDER_EVERY ago, a new one that counts (so a
    secretary who leaves one wish waiting still hears of the next ones, a few times a day
    at most)."""
    outbox = services.storage.outbox
    for telegram_id in await secretaries_of(services, community_id):
        tr = await translator_for(services, telegram_id)
        key = f"wishes_waiting:{community_id}:{telegram_id}"
        if waiting <= 1:
            item = notice(telegram_id, tr("wish.new_for_secretary", text=text))[0]
        else:
            item = notice(telegram_id, tr("wish.waiting_for_secretary", count=waiting))[0]
        await outbox.fold(key, item, add=waiting <= 1, quiet=WAITING_REMINDER_EVERY)


async def _record_paper_wish(
    services: Services,
    community_id: int,
    text: str,
    compound: str = "",
    photo_file_id: str | None = None,
) -> int:
    """A wish a secretary collected on paper: on the wall at once (nobody to tell)."""
    storage = services.storage
    async with storage.db.transaction():
        wish_id = await storage.wishes.add(community_id, None, text, compound, photo_file_id)
        await storage.wishes.approve(wish_id, community_id)
        await post_cards(services, community_id, wish_id)
    logger.info("wish %s collected on paper in community %s", wish_id, community_id)
    return wish_id


async def approve_wish(services: Services, community_id: int, wish_id: int) -> bool:
    """On the wall: a card with a Claim button in each of the community's groups."""
    storage = services.storage
    async with storage.db.transaction():
        if not await storage.wishes.approve(wish_id, community_id):
            return False
        await post_cards(services, community_id, wish_id)
        wish = await storage.wishes.get(wish_id)
        assert wish is not None
        await _tell_author(services, wish.author_id, "wish.approved_notice", text=wish.text)
    return True


async def decline_wish(
    services: Services, community_id: int, wish_id: int, reason_key: str
) -> bool:
    """Not taken up; the resident reads why, in their language, and what they can do."""
    storage = services.storage
    stored = services.translations.get(None).plain(reason_key)  # the community's language
    async with storage.db.transaction():
        if not await storage.wishes.decline(wish_id, community_id, stored):
            return False
        wish = await storage.wishes.get(wish_id)
        assert wish is not None
        if wish.author_id is not None:
            tr = await translator_for(services, wish.author_id)
            text = tr("wish.declined_notice", text=wish.text, reason=tr.plain(reason_key))
            await storage.outbox.add(notice(wish.author_id, text))
    return True


async def claim_wish(
    services: Services, member: Member, wish_id: int, card: tuple[int, int] | None = None
) -> str:
    """One member takes the wish on; a second claim is refused. Every card of the wish shows
    who took it on (``card``: the chat and message tapped, remembered if it was not); the
    member gets the wish in private and its resident is told, each able to write to the
    other through the bot. The answer's message key.

    The community's only secretary is refused: nobody confirms their own points, and no
    other secretary could confirm this wish."""
    storage = services.storage
    secretaries = await secretaries_of(services, member.community_id)
    if member.telegram_id is not None and secretaries == [member.telegram_id]:
        logger.info("member %s, the only secretary, may not take on wish %s", member.id, wish_id)
        return N_("wish.claim_lone_secretary")
    async with storage.db.transaction():
        claimed = await storage.wishes.claim(wish_id, member.id)
        if claimed:
            if card is not None:
                await storage.wishes.add_card(wish_id, *card)
            await show_cards(services, member.community_id, wish_id, back_on_wall=False)
            await announce_claim(services, member, wish_id)
    logger.info("member %s claim wish %s: %s", member.id, wish_id, claimed)
    return N_("wish.claimed") if claimed else N_("wish.taken")


async def release_wish(services: Services, member: Member, wish_id: int) -> bool:
    """The claimant gives the wish back to the wall: its cards are edited to be claimable
    again (no new card)."""
    storage = services.storage
    async with storage.db.transaction():
        if not await storage.wishes.release(wish_id, member.id):
            return False
        await show_cards(services, member.community_id, wish_id, back_on_wall=True)
    return True


async def reopen_wish(services: Services, community_id: int, wish_id: int) -> bool:
    """A secretary puts a wish that was taken on back on the wall (its cards claimable
    again); the member who had it is told."""
    storage = services.storage
    async with storage.db.transaction():
        claimant_id = await storage.wishes.reopen(wish_id, community_id)
        if claimant_id is None:
            return False
        await show_cards(services, community_id, wish_id, back_on_wall=True)
        wish = await storage.wishes.get(wish_id)
        claimant = await storage.members.get(claimant_id)
        if wish is not None and claimant is not None and claimant.telegram_id is not None:
            tr = services.translations.get(claimant.language)
            text = tr("wish.reopened_notice", text=wish.text)
            await storage.outbox.add(notice(claimant.telegram_id, text))
    logger.info("wish %s back on the wall in community %s", wish_id, community_id)
    return True


async def release_claims_of(services: Services, member: Member) -> int:
    """The member is leaving (/forgetme): every wish they took on and had not done goes back
    on the wall, its cards claimable again; how many."""
    storage = services.storage
    async with storage.db.transaction():
        released = await storage.wishes.release_all(member.id)
        for wish_id in released:
            await show_cards(services, member.community_id, wish_id, back_on_wall=True)
    logger.info("member %s left: %s wishes back on the wall", member.id, len(released))
    return len(released)


async def finish_wish(services: Services, member: Member, wish_id: int) -> bool:
    """The claimant says it is done; the secretaries are asked to confirm."""
    storage = services.storage
    async with storage.db.transaction():
        if not await storage.wishes.mark_done(wish_id, member.id):
            return False
        wish = await storage.wishes.get(wish_id)
        assert wish is not None
        await tell_secretaries(
            services,
            member.community_id,
            "wish.done_for_secretary",
            name=member.name,
            text=wish.text,
        )
    return True


async def wish_of_community(services: Services, community_id: int, wish_id: int) -> Wish | None:
    """The wish, if it is this community's (a secretary looks only at their own)."""
    wish = await services.storage.wishes.get(wish_id)
    return wish if wish is not None and wish.community_id == community_id else None


async def add_proof(
    services: Services, member: Member, wish_id: int, file_id: str, note: str = ""
) -> bool:
    """The claimant's photo of the work done (with its caption as their note, if any), for
    the secretary who confirms it."""
    wishes = services.storage.wishes
    async with services.storage.db.transaction():
        saved = await wishes.add_proof(wish_id, member.id, file_id)
        if saved and note:
            await wishes.add_proof_note(wish_id, member.id, note)
    return saved


async def add_proof_note(services: Services, member: Member, wish_id: int, note: str) -> bool:
    """The claimant's words on the work done ("修好了，换了个阀芯"): the secretaries read them
    in /wishes, the resident with the news that the wish came true."""
    return await services.storage.wishes.add_proof_note(wish_id, member.id, note)


async def confirm_wish(
    services: Services, secretary_id: int, community_id: int, wish_id: int
) -> str:
    """Fulfilled: the claimant earns WISH_POINTS (one ledger entry), and both are told. The
    answer's message key: stale when it was not waiting for confirmation, refused when the
    secretary took it on themselves (another secretary confirms it)."""
    try:
        return await _confirm(services, secretary_id, community_id, wish_id)
    except _Lost:
        return N_("callback.stale")


async def _confirm(services: Services, secretary_id: int, community_id: int, wish_id: int) -> str:
    storage = services.storage
    points = services.settings.wish_points
    async with storage.db.transaction():
        wish = await storage.wishes.get(wish_id)
        if wish is None or wish.status != "done" or wish.claimant_id is None:
            return N_("callback.stale")
        claimant = await storage.members.get(wish.claimant_id)
        if claimant is not None and approves_own_points(secretary_id, claimant.telegram_id):
            logger.info("secretary %s refused confirming their own wish %s", secretary_id, wish_id)
            return N_("wish.confirm_own")
        # the ledger keeps one reason for everyone who reads it: the community's language
        short = wish.text if len(wish.text) <= 20 else wish.text[:19] + "…"
        reason = services.translations.get(None).plain("wish.ledger_reason", text=short)
        entry = await storage.ledger.add(
            wish.claimant_id, community_id, points, reason, "grant", secretary_id
        )
        if not await storage.wishes.settle(wish_id, community_id, entry):
            raise _Lost()  # another confirmation got there first: roll the entry back
        if claimant is not None and claimant.telegram_id is not None:
            tr = services.translations.get(claimant.language)
            text = tr("wish.confirmed_notice", text=wish.text, points=points)
            await storage.outbox.add(notice(claimant.telegram_id, text))
        await _tell_fulfilled(services, wish)
    logger.info("wish %s fulfilled by member %s", wish_id, wish.claimant_id)
    return N_("review.done")


async def _tell_fulfilled(services: Services, wish: Wish) -> None:
    """The resident hears that the wish came true, with the volunteer's note if they left one."""
    if wish.author_id is None:
        return
    tr = await translator_for(services, wish.author_id)
    text = tr("wish.fulfilled_notice", text=wish.text)
    if wish.proof_note:
        text += "\n" + tr("wish.fulfilled_note", note=wish.proof_note)
    await services.storage.outbox.add(notice(wish.author_id, text))


class _Lost(Exception):
    """A race lost inside a transaction: nothing it wrote stays."""


async def _tell_author(
    services: Services, author_id: int | None, key: str, **params: object
) -> None:
    """The resident who made the wish (none for one collected on paper)."""
    if author_id is None:
        return
    await tell(services, author_id, key, **params)
