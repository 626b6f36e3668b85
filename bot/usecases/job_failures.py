"""A scheduled run that failed: its retry is planned, and the admins hear of it once."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.domain.messages import N_
from bot.domain.schedule import retry_delay
from bot.outbox.messages import notice
from bot.services import Services
from bot.usecases.audiences import translator_for

logger = logging.getLogger(__name__)

ERROR_SHOWN = 300  # characters of the error an admin reads


async def job_failed(
    services: Services, job: str, period: str, error: BaseException, now: datetime
) -> datetime:
    """Record the failed try and when the next is due (returned); on the period's first
    failure tell each admin (``SECRETARY_IDS``) through the outbox, in their language,
    in the same transaction: retries that fail again tell nobody."""
    summary = (f"{type(error).__name__}: {error}" if str(error) else type(error).__name__)[
        :ERROR_SHOWN
    ]
    storage = services.storage
    async with storage.db.transaction():
        failure = await storage.job_runs.record_failure(job, period, summary)
        retry_at = now + retry_delay(failure.attempts)
        await storage.job_runs.record_retry(job, period, retry_at)
        if not failure.reported:
            for admin_id in services.settings.secretary_ids:
                tr = await translator_for(services, admin_id)
                text = tr(N_("job.failed"), job=job, period=period, error=summary)
                await storage.outbox.add(notice(admin_id, text))
            await storage.job_runs.mark_reported(job, period)
    logger.warning(
        "job %s (%s) failed (try %s): %s; tried again at %s",
        job,
        period,
        failure.attempts,
        summary,
        retry_at.isoformat(timespec="seconds"),
    )
    return retry_at
