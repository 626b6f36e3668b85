"""The member's monthly 回家日 report, inside the report window."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.domain.models import Member
from bot.domain.periods import ReportWindow, window_for_day
from bot.services import Services

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportFiled:
    """The report's window; ``first`` is False when it updated the note of an earlier one."""

    window: ReportWindow
    filed: bool
    first: bool = False


async def file_report(services: Services, member: Member, note: str, now: datetime) -> ReportFiled:
    """File this month's report, or say the window's dates when it is not open."""
    window = window_for_day(now.date(), services.settings.report_window_days)
    if not window.contains(now.date()):
        return ReportFiled(window, filed=False)
    first = await services.storage.reports.file(member.id, window.month, note)
    logger.info("member %s reported for %s", member.id, window.month)
    return ReportFiled(window, filed=True, first=first)
