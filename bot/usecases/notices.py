"""A secretary's notice to the members of their community, or to its groups (17.20), through
the outbox as a fan-out (paced behind notices and card edits), planned once per notice."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.messages import N_
from bot.domain.notices import NOTICE_JOB, NOTICE_LIMIT, NoticeAudience, notice_period
from bot.i18n import Translator
from bot.outbox.messages import BULK, text_parts
from bot.services import Services
from bot.storage.outbox import Delivery

logger = logging.getLogger(__name__)

ALL_MEMBERS = 1_000_000  # list_in_community's page: every member at once
# (reader's translator, community name, the notice's words) → the text each recipient reads
ComposeNotice = Callable[[Translator, str, str], str]


@dataclass(frozen=True)
class Recipient:
    """Who a notice goes to: the outbox recipient, the chat and its language."""

    recipient: str
    chat_id: int
    language: str | None
    member_telegram_id: int | None


@dataclass(frozen=True)
class NoticeCheck:
    """A refusal (message key and parameters), or the recipients of a notice."""

    refusal: str = ""
    limit: int = NOTICE_LIMIT
    community: str = ""
    recipients: tuple[Recipient, ...] = ()


async def check_notice(
    services: Services, telegram_id: int, audience: NoticeAudience, text: str
) -> NoticeCheck:
    """Secretaries only, of a community, with words that fit: who would get it."""
    storage = services.storage
    secretary = await storage.secretaries.get(telegram_id)
    if secretary is None:
        return NoticeCheck(N_("role.secretary_only"))
    if secretary.community_id is None:
        return NoticeCheck(N_("group.needs_community"))
    if not text:
        return NoticeCheck(N_("notice.usage"))
    if len(text) > NOTICE_LIMIT:
        return NoticeCheck(N_("notice.too_long"))
    community = await storage.communities.get(secretary.community_id)
    recipients = await _recipients(services, secretary.community_id, audience)
    name = community.name if community else ""
    return NoticeCheck(community=name, recipients=tuple(recipients))


async def _recipients(
    services: Services, community_id: int, audience: NoticeAudience
) -> list[Recipient]:
    storage = services.storage
    if audience is NoticeAudience.GROUPS:
        groups = await storage.groups.list_active(community_id)
        return [Recipient(f"g:{g.chat_id}", g.chat_id, g.language, None) for g in groups]
    members = await storage.members.list_in_community(community_id, 0, ALL_MEMBERS)
    return [
        Recipient(f"m:{m.id}", m.telegram_id, m.language, m.telegram_id)
        for m in members
        if m.reachable and m.telegram_id is not None
    ]


async def send_notice(
    services: Services,
    telegram_id: int,
    audience: NoticeAudience,
    text: str,
    token: int,
    compose: ComposeNotice,
) -> NoticeCheck | int:
    """Plan the notice for each recipient not planned before under this notice's ``token``:
    how many it was planned for now (0 for a replay), or the refusal."""
    checked = await check_notice(services, telegram_id, audience, text)
    if checked.refusal:
        return checked
    deliveries = []
    for r in checked.recipients:
        tr = services.translations.get(r.language)  # the member's or the group's
        body = compose(tr, checked.community, text)
        parts = text_parts(r.chat_id, body, member_telegram_id=r.member_telegram_id, priority=BULK)
        deliveries.append(Delivery(r.recipient, parts))
    period = notice_period(telegram_id, token)
    planned = await services.storage.outbox.plan(NOTICE_JOB, period, deliveries)
    logger.info("notice %s planned for %s recipient(s)", period, len(planned))
    return len(planned)
