"""A member's own data: erased on request."""

from __future__ import annotations

import logging

from bot.services import Services

logger = logging.getLogger(__name__)


async def erase_member(services: Services, telegram_id: int) -> bool:
    """Erase what we hold about a person, drafts included; False when there was nothing.

    The member row stays, anonymized, so the community's points history still adds up.
    """
    storage = services.storage
    async with storage.db.transaction():
        erased = await storage.members.erase(telegram_id)
        await storage.conversation_state.forget_user(telegram_id)
        await storage.outbox.forget_chat(telegram_id)
    logger.info("member data erased on request (%s)", "done" if erased else "nothing stored")
    return erased
