"""Enrolling: the member is saved, and matched to the community's roster by name."""

from __future__ import annotations

import logging
from enum import Enum

from bot.domain.enrollment import normalize_phone
from bot.domain.models import Community, Member, Profile
from bot.domain.roster import RosterRow
from bot.outbox.messages import notice
from bot.services import Services
from bot.usecases.audiences import secretaries_of, translator_for
from bot.views.keyboards import roster_match_keyboard

logger = logging.getLogger(__name__)


async def enroll_member(
    services: Services,
    community: Community,
    telegram_id: int,
    profile: Profile,
    language: str | None,
) -> tuple[Member, bool]:
    """Save the member (True when new). A new member not yet on the roster is linked to the
    one roster row of their name; with several, the secretaries choose (by buttons)."""
    storage = services.storage
    async with storage.db.transaction():
        member, created = await storage.members.enroll(community.id, telegram_id, profile, language)
        if created and await storage.roster.get_for_member(member.id) is None:
            candidates = await storage.roster.unlinked_named(community.id, member.name)
            if len(candidates) == 1:
                await storage.roster.link(candidates[0].id, member.id)
                logger.info("member %s linked to the roster by name", member.id)
            elif candidates:
                for secretary_id in await secretaries_of(services, community.id):
                    tr = await translator_for(services, secretary_id)
                    text = tr("roster.which", name=member.name, unit=member.work_unit or "—")
                    markup = roster_match_keyboard(tr, member.id, candidates)
                    await storage.outbox.add(notice(secretary_id, text, markup))
    return member, created


class Match(Enum):
    """How a secretary's roster match ended."""

    LINKED = "linked"
    GONE = "gone"  # no such member here: erased (or never of this community)
    TAKEN = "taken"  # the row or the member was linked in the meantime


async def match_roster(
    services: Services, community_id: int, member_id: int, roster_id: int
) -> Match:
    """A secretary's choice: this roster row is this member (of their community)."""
    if await services.storage.members.target(community_id, member_id) is None:
        logger.info("roster row %s: member %s is gone", roster_id, member_id)
        return Match.GONE
    linked = await services.storage.roster.link(roster_id, member_id)
    logger.info("roster row %s to member %s by a secretary: %s", roster_id, member_id, linked)
    return Match.LINKED if linked else Match.TAKEN


async def match_roster_by_phone(
    services: Services, community_id: int, member_id: int, raw_phone: str
) -> bool:
    """A secretary links a member to the roster row with this phone (by hand)."""
    phone = normalize_phone(raw_phone)
    row = await services.storage.roster.by_phone(community_id, phone) if phone else None
    if row is None:
        return False
    return await match_roster(services, community_id, member_id, row.id) is Match.LINKED


async def unmatch_roster(services: Services, community_id: int, member_id: int) -> bool:
    """A secretary undoes a wrong match."""
    if await services.storage.members.target(community_id, member_id) is None:
        return False
    return await services.storage.roster.unlink(member_id)


async def import_roster(
    services: Services, community_id: int, rows: list[RosterRow]
) -> tuple[int, int]:
    """A checked roster into the community, all rows in one transaction; (added, updated)."""
    added, updated = await services.storage.roster.import_rows(community_id, rows)
    logger.info("roster of community %s: %s added, %s updated", community_id, added, updated)
    return added, updated
