"""Builders for use-case tests: a community, its members and tasks, on a real storage.

Use-case tests call ``bot.usecases`` directly (no Application, no Bot API): they state a
rule in a few lines and assert on the facts returned and the rows stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import count

from bot.domain.models import Community, Member, MemberType, Profile
from bot.domain.tasks import Task, TaskDraft
from bot.services import Services
from bot.usecases.task_lifecycle import publish_task

_telegram_ids = count(50_000)


@dataclass(frozen=True)
class Place:
    """A community with one secretary: where a use-case test happens."""

    community: Community
    secretary_id: int


async def make_community(services: Services, name: str = "田森社区") -> Place:
    """A community run by a new secretary."""
    storage = services.storage
    community = await storage.communities.create(name)
    secretary_id = next(_telegram_ids)
    # the setting's ids hold the role: keep the secretaries of the other communities
    others = [held.telegram_id for held in await storage.secretaries.list_all()]
    await storage.secretaries.follow_setting([*others, secretary_id], community.id)
    await storage.secretaries.set_community(secretary_id, community.id)
    return Place(community, secretary_id)


async def make_member(
    services: Services,
    place: Place,
    name: str = "张三",
    *,
    work_unit: str = "区教育局",
    member_type: MemberType = MemberType.IN_SERVICE,
    language: str | None = "zh_CN",
    telegram_id: int | None = None,
) -> Member:
    """An enrolled member of ``place``."""
    profile = Profile(name, work_unit, member_type, compound="")
    member, _ = await services.storage.members.enroll(
        place.community.id, telegram_id or next(_telegram_ids), profile, language
    )
    return member


async def make_task(
    services: Services,
    place: Place,
    title: str = "楼道杂物清理",
    *,
    starts_in: timedelta = timedelta(days=2),
    hours: int = 2,
    capacity: int | None = 5,
    points: int = 2,
) -> Task:
    """A published task starting ``starts_in`` from the services' clock."""
    starts_at = services.now() + starts_in
    draft = TaskDraft(
        title, "环境整治", points, starts_at, starts_at + timedelta(hours=hours), capacity, "3号楼"
    )
    storage = services.storage
    stored = await storage.tasks.create_draft(place.community.id, draft, place.secretary_id)
    assert await publish_task(services, stored.id) is not None
    published = await storage.tasks.get(stored.id)
    assert published is not None
    return published
