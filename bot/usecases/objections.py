"""Members' objections to the month under public notice (一月一公示)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from bot.domain.messages import N_
from bot.domain.models import Member
from bot.domain.objections import objection_month
from bot.domain.periods import PeriodKind, period_containing
from bot.services import Services

logger = logging.getLogger(__name__)


def month_under_notice(services: Services) -> tuple[str, datetime, datetime] | None:
    """The month members may object to now (YYYY-MM) and its bounds; None outside the
    objection days."""
    settings = services.settings
    month = objection_month(services.now().date(), settings.objection_days)
    if month is None:
        return None
    year, number = (int(part) for part in month.split("-"))
    start, end = period_containing(date(year, number, 1), PeriodKind.MONTH).bounds(settings.tz)
    return month, start, end


async def file_objection(services: Services, member: Member, entry_id: int, reason: str) -> str:
    """Object to one of the member's own earned entries of the month under notice; the
    answer's message key. Nothing is stored for an entry never offered (another month, a
    redemption, a refund, someone else's) or one objected to before."""
    notice = month_under_notice(services)
    if notice is None:
        return N_("objection.not_offered")
    month, start, end = notice
    objections = services.storage.objections
    async with services.storage.db.transaction():
        if await objections.file(member.id, entry_id, month, reason, start, end):
            logger.info("member %s objected to entry %s", member.id, entry_id)
            return N_("objection.filed")
        if await objections.objected(member.id, entry_id):
            return N_("objection.already")
    logger.info("member %s refused an objection to entry %s", member.id, entry_id)
    return N_("objection.not_offered")
