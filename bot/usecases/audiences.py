"""What every job uses: the application's services, communities and their audiences."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.ext import Application

from bot.domain.deeplinks import command_payload, deep_link
from bot.domain.models import Community
from bot.i18n import Translator
from bot.outbox.delivery import Outgoing
from bot.outbox.messages import notice
from bot.services import Services
from bot.views.keyboards import url_button

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class CommunitiesFailed(Exception):
    """A job could not prepare its messages for some communities (the others were sent);
    the job is not marked finished, so it runs again and sends only what is missing."""


async def each_community(
    services: Services, job: str, build: Callable[[Community], Awaitable[list[Outgoing]]]
) -> tuple[list[Outgoing], dict[int, str]]:
    """The messages ``build`` makes for every community, and the communities it failed for
    (id → the error): one community's bad data never stops another's messages."""
    messages: list[Outgoing] = []
    failed: dict[int, str] = {}
    for community in await services.storage.communities.list_all():
        try:
            messages += await build(community)
        except Exception as exc:
            logger.exception("%s failed for community %s; the others go on", job, community.id)
            failed[community.id] = f"{type(exc).__name__}: {exc}" if str(exc) else repr(exc)
    return messages, failed


def raise_if_failed(job: str, failed: dict[int, str]) -> None:
    """After the others' messages went out: fail the run if some community failed (the
    first error is named: it is what an admin is told)."""
    if failed:
        first, error = next(iter(failed.items()))
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        raise CommunitiesFailed(f"{job} failed for community {first}{more}: {error}")


GroupMessage = Callable[[Translator], tuple[str, InlineKeyboardMarkup | None]]


async def to_groups(services: Services, community_id: int, compose: GroupMessage) -> list[Outgoing]:
    """One message to every active group of a community, each in the group's language."""
    messages = []
    for group in await services.storage.groups.list_active(community_id):
        text, markup = compose(services.translations.get(group.language))
        messages.append(Outgoing(f"g:{group.chat_id}", group.chat_id, text, markup))
    return messages


def papers_translator(services: Services) -> Translator:
    """The language of the papers a community hands to others (a member's service record, a
    unit's feedback sheet): what its work units read, the bot's DEFAULT_LOCALE (communities
    have no language of their own)."""
    return services.translations.get(services.settings.default_locale)


async def translator_for(services: Services, telegram_id: int) -> Translator:
    """The language a person reads (a member's, or a non-member's remembered one)."""
    return services.translations.get(await services.storage.members.language_of(telegram_id))


async def tell(services: Services, telegram_id: int, key: str, /, **params: object) -> None:
    """A notice to one person, in the language they read (through the outbox)."""
    tr = await translator_for(services, telegram_id)
    await services.storage.outbox.add(notice(telegram_id, tr(key, **params)))


async def tell_secretaries(
    services: Services, community_id: int, key: str, /, **params: object
) -> None:
    """The same notice to each of the community's secretaries, each in their language."""
    for telegram_id in await secretaries_of(services, community_id):
        await tell(services, telegram_id, key, **params)


async def secretaries_of(services: Services, community_id: int) -> list[int]:
    """Telegram ids of the community's secretaries."""
    return [s.telegram_id for s in await services.storage.secretaries.of_community(community_id)]


def command_button(
    app: AnyApplication, tr: Translator, label_key: str, command: str
) -> InlineKeyboardMarkup:
    """A button that runs ``/command`` in the private chat as if typed (``/start do_…``, as
    the "private only" answer does), under a message that says "send /command"; from a group
    too, where a callback could not answer in private (17 Polish)."""
    payload = command_payload(command)
    assert payload is not None, f"no link may run /{command}"
    return open_bot_button(app, tr, label_key, payload)


def open_bot_button(
    app: AnyApplication, tr: Translator, label_key: str, payload: str
) -> InlineKeyboardMarkup:
    """A button that opens the private chat with ``/start payload``."""
    return url_button(tr(label_key), deep_link(app.bot.username, payload))
