"""Telling the admins (the first of SECRETARY_IDS) that something went wrong, through the
outbox, in each one's language."""

from __future__ import annotations

import logging

from bot.outbox.messages import notice
from bot.services import Services
from bot.usecases.audiences import translator_for

logger = logging.getLogger(__name__)

ADMINS = 3  # how many of SECRETARY_IDS hear of errors


async def report_error(services: Services, summary: str, repeats: int) -> None:
    """One error report (with how many of its kind came since the last) to each admin."""
    for admin_id in services.settings.secretary_ids[:ADMINS]:
        try:
            tr = await translator_for(services, admin_id)
            text = (
                tr.plural("error.admin_repeated", repeats, error=summary)
                if repeats
                else tr("error.admin", error=summary)
            )
            await services.storage.outbox.add(notice(admin_id, text))
        except Exception:  # the database itself may be what failed: the log has it
            logger.warning("could not queue the error report for %s", admin_id, exc_info=True)
