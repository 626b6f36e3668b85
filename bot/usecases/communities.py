"""Communities and who runs them: the first run, a new community, a new name, delegation."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot.domain.messages import N_
from bot.domain.models import Community, Member, Secretary
from bot.outbox.messages import notice
from bot.services import Services

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What a secretary's request came to: a message key and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)
    community: Community | None = None
    done: bool = False


async def prepare_first_run(services: Services) -> list[Secretary]:
    """At each start: a default community exists (``COMMUNITY_NAME``) and ``SECRETARY_IDS``
    are the secretaries; returns the secretaries who lost the role since the last start."""
    storage = services.storage
    async with storage.db.transaction():
        communities = await storage.communities.list_all()
        if communities:
            default = communities[0]
        else:
            default = await storage.communities.create(services.settings.community_name)
            logger.info("first run: community %s created", default.id)
        revoked = await storage.secretaries.follow_setting(
            services.settings.secretary_ids, default.id
        )
    for gone in revoked:
        logger.info("user %s is no longer in SECRETARY_IDS: role revoked", gone.telegram_id)
    return revoked


async def create_community(services: Services, secretary_id: int, name: str) -> Outcome:
    """A new community run by the secretary who asked (who leaves the one they ran)."""
    storage = services.storage
    async with storage.db.transaction():
        if await storage.communities.get_by_name(name) is not None:
            return Outcome(N_("community.name_taken"), {"name": name})
        current = await storage.secretaries.get(secretary_id)
        if current is not None and current.community_id is not None:
            others = await storage.secretaries.of_community(current.community_id)
            if len(others) <= 1 and await storage.members.count_in_community(current.community_id):
                # nobody would be left to run it: appoint another secretary first
                return Outcome(N_("community.last_secretary"))
        created = await storage.communities.create(name)
        await storage.secretaries.set_community(secretary_id, created.id)
    logger.info("secretary %s created community %s", secretary_id, created.id)
    return Outcome(N_("community.created"), {"name": name}, created, done=True)


async def rename_community(services: Services, community_id: int, name: str) -> Outcome:
    """A new name for the secretary's community; names are unique."""
    storage = services.storage
    async with storage.db.transaction():
        existing = await storage.communities.get_by_name(name)
        if existing is not None and existing.id != community_id:
            return Outcome(N_("community.name_taken"), {"name": name})
        await storage.communities.rename(community_id, name)
        renamed = await storage.communities.get(community_id)
    return Outcome(N_("community.renamed"), {"name": name}, renamed, done=True)


async def appoint_secretary(services: Services, by: Secretary, member: Member) -> Outcome:
    """Make an enrolled member of the community a secretary of it."""
    assert by.community_id is not None
    if member.telegram_id is None or member.community_id != by.community_id:
        return Outcome(N_("secretary.not_member"), {"name": member.name})
    storage = services.storage
    async with storage.db.transaction():
        appointed = await storage.secretaries.appoint(
            member.telegram_id, by.community_id, by.telegram_id
        )
        if not appointed:
            return Outcome(N_("secretary.already"), {"name": member.name})
        community = await storage.communities.get(by.community_id)
        tr = services.translations.get(member.language)
        name = community.name if community else ""
        await storage.outbox.add(notice(member.telegram_id, tr("secretary.you_are", name=name)))
    logger.info("secretary %s appointed member %s", by.telegram_id, member.id)
    return Outcome(N_("secretary.appointed"), {"name": member.name}, done=True)


async def dismiss_secretary(services: Services, by: Secretary, member: Member) -> Outcome:
    """Take the role from a secretary of the same community (not one of ``SECRETARY_IDS``,
    not oneself)."""
    storage = services.storage
    async with storage.db.transaction():
        target = await storage.secretaries.get(member.telegram_id) if member.telegram_id else None
        if target is None or target.community_id != by.community_id:
            return Outcome(N_("secretary.not_secretary"), {"name": member.name})
        if target.telegram_id == by.telegram_id:
            return Outcome(N_("secretary.not_yourself"))
        if target.from_setting:
            return Outcome(N_("secretary.from_setting"), {"name": member.name})
        await storage.secretaries.dismiss(target.telegram_id)
    logger.info("secretary %s dismissed secretary %s", by.telegram_id, target.telegram_id)
    return Outcome(N_("secretary.dismissed"), {"name": member.name}, done=True)


async def secretary_reached(services: Services, telegram_id: int) -> None:
    """The secretary wrote to the bot and has their menu: the next start sets it too."""
    await services.storage.secretaries.mark_reached(telegram_id)


async def bind_group(
    services: Services, secretary: Secretary, chat_id: int, title: str, is_admin: bool
) -> Outcome:
    """Bind a group chat to the secretary's community: only by an administrator of the
    group, and never taking a group away from the community it is bound to."""
    if not is_admin:
        return Outcome(N_("group.not_admin"))
    storage = services.storage
    assert secretary.community_id is not None
    async with storage.db.transaction():
        community = await storage.communities.get(secretary.community_id)
        assert community is not None
        bound = await storage.groups.get(chat_id)
        if bound is not None and bound.active and bound.community_id != community.id:
            return Outcome(N_("group.bound_elsewhere"))
        changed = await storage.groups.bind(chat_id, community.id, title, secretary.telegram_id)
    logger.info(
        "group %s bound to community %s by %s", chat_id, community.id, secretary.telegram_id
    )
    key = N_("group.bound") if changed else N_("group.already_bound")
    return Outcome(key, {"community": community.name}, community, done=changed)


async def set_group_language(services: Services, chat_id: int, locale: str) -> None:
    """The group reads ``locale``: its task cards are redrawn in it, and notices follow."""
    storage = services.storage
    async with storage.db.transaction():
        await storage.groups.set_language(chat_id, locale)
        for task_id in await storage.tasks.open_with_card_in(chat_id):
            await storage.outbox.add_card_edits(task_id, 0)
    logger.info("group %s now reads %s", chat_id, locale)
