"""/community: a secretary sets up (or renames) their community and gets its enrollment link."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.domain.community import COMMUNITY_NAME_LIMIT, community_name
from bot.domain.deeplinks import deep_link, enroll_payload
from bot.domain.forms import FormError
from bot.domain.models import Community
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    form_error_text,
    reply,
    require_secretary,
)
from bot.i18n import N_

LABELS = {"name": N_("community.field.name")}


async def community_command(update: Update, context: Context) -> None:
    """/community [name]: show, create, join or rename the secretary's community."""
    who = await caller(update, context)
    secretary = await require_secretary(update, who)
    if secretary is None:
        return
    storage = who.services.storage
    current = (
        await storage.communities.get(secretary.community_id) if secretary.community_id else None
    )
    raw = " ".join(context.args or [])
    if not raw:
        if current is None:
            await reply(update, who.tr("community.usage", limit=COMMUNITY_NAME_LIMIT))
        else:
            await _show(update, context, who, current)
        return
    try:
        name = community_name(raw)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS))
        return
    existing = await storage.communities.get_by_name(name)
    if current is not None and existing is None:
        await storage.communities.rename(current.id, name)
        key = N_("community.renamed")
    elif current is not None:
        await reply(update, who.tr("community.name_taken", name=name))
        return
    elif existing is not None:
        await storage.secretaries.set_community(who.user_id, existing.id)
        key = N_("community.joined")
    else:
        created = await storage.communities.create(name)
        await storage.secretaries.set_community(who.user_id, created.id)
        key = N_("community.created")
    community = await storage.communities.get_by_name(name)
    assert community is not None
    await reply(update, who.tr(key, name=name))
    await _show(update, context, who, community)


async def _show(update: Update, context: Context, who: Caller, community: Community) -> None:
    link = deep_link(context.bot.username, enroll_payload(community.enroll_code))
    await reply(update, who.tr("community.info", name=community.name, link=link))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/community, in private."""
    app.add_handler(
        CommandHandler("community", community_command, filters=filters.ChatType.PRIVATE)
    )
