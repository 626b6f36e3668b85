"""Secretaries' points decisions: grants, objections resolved, redemptions settled.

Each writes its ledger change and the member's notice in one transaction.
"""

from __future__ import annotations

import logging

from bot.domain.messages import N_
from bot.domain.models import Member
from bot.domain.points import GrantRequest, approves_own_points
from bot.outbox.messages import notice
from bot.services import Services
from bot.storage.shop import Settled
from bot.usecases.objections import decide_checkin_objection

logger = logging.getLogger(__name__)


async def grant_points(
    services: Services, secretary_id: int, member: Member, grant: GrantRequest
) -> bool:
    """A ledger entry by a secretary (negative: a correction); the member is told.
    False, and nothing written, when secretaries would grant points to themselves."""
    if approves_own_points(secretary_id, member.telegram_id):
        logger.info("secretary %s refused points for themselves", secretary_id)
        return False
    storage = services.storage
    async with storage.db.transaction():
        await storage.ledger.add(
            member.id, member.community_id, grant.points, grant.reason, grant.source, secretary_id
        )
        if member.telegram_id is not None:
            tr = services.translations.get(member.language)
            text = tr("grant.notice", points=f"{grant.points:+d}", reason=grant.reason)
            await storage.outbox.add(notice(member.telegram_id, text))
    logger.info(
        "secretary %s granted %s points to member %s", secretary_id, grant.points, member.id
    )
    return True


async def resolve_objection(
    services: Services,
    secretary_id: int,
    community_id: int,
    objection_id: int,
    corrected: int | None,
) -> str:
    """Keep the entry (``corrected`` None), or correct it to ``corrected`` points; the member
    is told. The answer's message key: stale when it was not open, refused when the
    secretary objected themselves (another secretary resolves it). An objection to a
    check-in is kept here (reopening it is ``decide_checkin_objection``)."""
    storage = services.storage
    async with storage.db.transaction():
        found = await storage.objections.get_open(objection_id, community_id)
        if found is not None and approves_own_points(secretary_id, found.telegram_id):
            logger.info("secretary %s refused their own objection %s", secretary_id, objection_id)
            return N_("objection.own")
        if found is not None and found.signup_id is not None:  # a check-in: kept, no points
            return await decide_checkin_objection(
                services, secretary_id, found, community_id, reopen=False
            )
        item = await storage.objections.resolve(objection_id, community_id, secretary_id, corrected)
        if item is None:
            return N_("callback.stale")
        correct = corrected is not None and corrected != item.entry_points
        if item.telegram_id is not None:
            tr = services.translations.get(item.language)
            text = (
                tr(
                    "objection.corrected_notice",
                    entry=item.entry_reason,
                    before=item.entry_points,
                    after=corrected,
                )
                if correct
                else tr("objection.kept_notice", entry=item.entry_reason)
            )
            await storage.outbox.add(notice(item.telegram_id, text))
    verdict = f"corrected to {corrected}" if correct else "kept"
    logger.info("objection %s %s by %s", objection_id, verdict, secretary_id)
    return N_("review.done")


async def settle_redemption(
    services: Services, secretary_id: int, community_id: int, redemption_id: int, handed_over: bool
) -> Settled:
    """Hand over, or cancel with a refund; the member is told."""
    storage = services.storage
    async with storage.db.transaction():
        result = await storage.shop.settle(
            redemption_id, community_id, secretary_id, handed_over=handed_over
        )
        item = result.redemption
        if result.changed and item is not None and item.telegram_id is not None:
            tr = services.translations.get(item.language)
            key = N_("shop.handed_over_notice") if handed_over else N_("shop.cancelled_notice")
            text = tr(key, reward=item.reward_name, cost=item.cost)
            await storage.outbox.add(notice(item.telegram_id, text))
    return result
