"""A member's printable service record: what they did this year, under a number the bot can
confirm to the work unit that receives it."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date

from bot.domain.models import Member
from bot.domain.periods import PeriodKind, period_containing
from bot.domain.timeutil import hours_between
from bot.services import Services
from bot.storage.db import utcnow
from bot.storage.reports import IssuedRecord, ServedTask

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceYear:
    """The year's record of one member, as issued."""

    record: IssuedRecord
    community: str
    served: list[ServedTask]
    months: list[str]
    wishes: int = 0  # wishes from the wish wall the member fulfilled this year


async def issue_service_record(services: Services, member: Member, year: int) -> ServiceYear:
    """Count the member's ``year`` (tasks, hours, points, months reported) and number it."""
    storage = services.storage
    start, end = period_containing(date(year, 1, 1), PeriodKind.YEAR).bounds(services.settings.tz)
    served = await storage.reports.served(member.id, start, end)
    months = await storage.reports.months_reported(member.id, year)
    points = await storage.ledger.period_points(member.id, start, end)
    hours = round(sum(hours_between(t.starts_at, t.ends_at) for t in served), 1)
    community = await storage.communities.get(member.community_id)
    record = IssuedRecord(
        number=f"{year}{secrets.token_hex(5).upper()}",
        member_id=member.id,
        community_id=member.community_id,
        year=year,
        tasks=len(served),
        hours=hours,
        points=points,
        months=len(months),
        issued_at=utcnow(),
    )
    await storage.reports.issue_record(record)
    logger.info("service record %s issued to member %s", record.number, member.id)
    wishes = await storage.wishes.fulfilled(start, end, member_id=member.id)
    return ServiceYear(record, community.name if community else "", served, months, wishes)


async def verify_record(services: Services, number: str) -> tuple[IssuedRecord, str, str] | None:
    """The record printed with this number (and whose, from which community), or None."""
    return await services.storage.reports.record(number)
