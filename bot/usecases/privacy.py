"""A member's own data: erased on request."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from bot.domain.models import Member
from bot.domain.signups import SignupStatus
from bot.services import Services
from bot.storage.wishes import card_effect
from bot.usecases.audiences import tell
from bot.usecases.task_signups import leave_task
from bot.usecases.wish_cards import show_cards
from bot.usecases.wish_relay import end_relays
from bot.usecases.wishes import release_claims_of

logger = logging.getLogger(__name__)


async def erase_member(services: Services, telegram_id: int) -> bool:
    """Erase what we hold about a person, drafts included; False when there was nothing.

    The member row stays, anonymized, so the community's points history still adds up.
    """
    storage = services.storage
    async with storage.db.transaction():
        member = await storage.members.get_by_telegram_id(telegram_id)
        if member is not None:
            await _give_up_places(services, member)
            # their notes on wishes done go, and their relays with the residents end (17.5)
            await end_relays(services, await storage.wishes.forget_claimant_words(member.id))
            await release_claims_of(services, member)  # their wishes go back on the wall
            await storage.questions.erase_member(member.id)  # their questions (17.20)
        erased = await storage.members.erase(telegram_id)
        await storage.secretaries.dismiss(telegram_id)  # the role goes with the person
        erased = await storage.units.forget(telegram_id) or erased  # a unit's liaison
        erased = await _withdraw_wishes(services, telegram_id) or erased  # a resident
        erased = await storage.members.forget_language(telegram_id) or erased
        await storage.conversation_state.forget_user(telegram_id)
        await storage.outbox.forget_chat(telegram_id)
    logger.info("member data erased on request (%s)", "done" if erased else "nothing stored")
    return erased


@dataclass(frozen=True)
class Held:
    """What we hold about someone beyond a membership: the language remembered for their
    notices, the units they are the liaison of, the wishes they made and (a member) their
    questions to the secretaries with the answers (17.20)."""

    language: str | None
    liaison_of: tuple[str, ...]
    wishes: tuple[str, ...]
    questions: tuple[dict[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.language or self.liaison_of or self.wishes or self.questions)

    def export(self) -> dict[str, object]:
        """For the /mydata file: what there is, by name."""
        return {k: v for k, v in asdict(self).items() if v}


async def held_beyond_membership(services: Services, telegram_id: int) -> Held:
    """What we hold about someone besides their member row (nothing: an empty Held)."""
    storage = services.storage
    return Held(
        language=await storage.members.remembered_language(telegram_id),
        liaison_of=tuple(u.name for u in await storage.units.of_liaison(telegram_id)),
        wishes=tuple(w.text for w in await storage.wishes.by_author(telegram_id)),
        questions=await _questions_of(services, telegram_id),
    )


async def _questions_of(services: Services, telegram_id: int) -> tuple[dict[str, str], ...]:
    member = await services.storage.members.get_by_telegram_id(telegram_id)
    if member is None:
        return ()
    return tuple(
        {"asked_at": q.created_at, "question": q.text, "status": q.status, "answer": q.answer}
        for q in await services.storage.questions.of_member(member.id)
    )


async def _withdraw_wishes(services: Services, telegram_id: int) -> bool:
    """The wishes this person made lose their words and photos, on their cards in the groups
    too (a card not posted yet is not posted). Those not done yet are withdrawn: their cards
    say so, with no button, and a member who took one on is told. True when there were any."""
    storage = services.storage
    # like the ledger's reasons, the placeholder is in the community's language
    erased_text = services.translations.get(None).plain("wish.erased_text")
    wishes = await storage.wishes.erase_author(telegram_id, erased_text)
    await storage.outbox.forget_posts([card_effect(w.id) for w in wishes])
    await end_relays(services, [w.id for w in wishes])  # their volunteers can no longer write
    for wish in wishes:
        await show_cards(services, wish.community_id, wish.id, back_on_wall=False)
        claimant = await storage.members.get(wish.claimant_id) if wish.claimant_id else None
        if wish.status == "claimed" and claimant and claimant.telegram_id is not None:
            key = "wish.withdrawn_for_claimant"
            await tell(services, claimant.telegram_id, key, number=wish.id)
    logger.info("%s wish(es) of an erased author withdrawn or blanked", len(wishes))
    return bool(wishes)


async def _give_up_places(services: Services, member: Member) -> None:
    """Leave every task not started yet, so a waiting member takes the place (and is told)."""
    now = services.now()
    for task_id, status in await services.storage.signups.member_signups(member.id):
        if status not in (SignupStatus.JOINED, SignupStatus.WAITLISTED):
            continue
        task = await services.storage.tasks.get(task_id)
        if task is not None:
            await leave_task(services, member, task, now)  # refuses a task already started
