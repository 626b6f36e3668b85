"""/community: the secretary's community and its enrollment link; a new one, a new name."""

from __future__ import annotations

import io
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.charts import poster_pdf
from bot.domain.community import COMMUNITY_NAME_LIMIT, community_name
from bot.domain.deeplinks import deep_link, enroll_payload
from bot.domain.forms import FormError
from bot.domain.models import Community
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    form_error_text,
    heavy,
    reply,
    secretary_community,
    secretary_only,
)
from bot.i18n import N_
from bot.rendering import render
from bot.usecases.communities import create_community, rename_community
from bot.views.keyboards import qr_png

LABELS = {"name": N_("community.field.name")}
POSTER_STEPS = (N_("poster.step1"), N_("poster.step2"), N_("poster.step3"))
NEW = ("new", "新建")


async def community_command(update: Update, context: Context) -> None:
    """/community: show it; /community new <name>: run a new one; /community <name>: rename."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    args = context.args or []
    if not args:
        current = await who.services.storage.communities.get(community_id)
        assert current is not None
        await _show(update, context, who, current)
        return
    creating = args[0].lower() in NEW
    try:
        name = community_name(" ".join(args[1:] if creating else args))
    except FormError as exc:
        text = form_error_text(who.tr, exc, LABELS)
        await reply(update, text + "\n\n" + who.tr("community.usage", limit=COMMUNITY_NAME_LIMIT))
        return
    if creating:
        outcome = await create_community(who.services, who.user_id, name)
    else:
        outcome = await rename_community(who.services, community_id, name)
    await reply(update, who.tr(outcome.key, **outcome.params))
    if outcome.community is not None:
        await _show(update, context, who, outcome.community)


async def _show(update: Update, context: Context, who: Caller, community: Community) -> None:
    link = deep_link(context.bot.username, enroll_payload(community.enroll_code))
    info = who.tr("community.info", name=community.name, link=link)
    await reply(update, info + "\n\n" + who.tr("community.usage", limit=COMMUNITY_NAME_LIMIT))


async def poster_command(update: Update, context: Context) -> None:
    """/poster: the enrollment link as a QR code (PNG) and a printable A4 poster (PDF)."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    chat = update.effective_chat
    if community_id is None or chat is None:
        return
    community = await who.services.storage.communities.get(community_id)
    assert community is not None
    link = deep_link(context.bot.username, enroll_payload(community.enroll_code))
    steps = [who.tr.plain(key) for key in POSTER_STEPS]
    title = who.tr.plain("poster.title")
    pdf = await render(poster_pdf, title, community.name, steps, link)
    caption = who.tr("poster.caption", name=community.name)
    await chat.send_photo(qr_png(link), caption=caption)
    await chat.send_document(io.BytesIO(pdf), filename="poster.pdf", caption=caption)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/community and /poster, in private."""
    app.add_handler(
        CommandHandler(
            "community", secretary_only(community_command), filters=filters.ChatType.PRIVATE
        )
    )
    app.add_handler(
        CommandHandler(
            "poster", secretary_only(heavy(poster_command)), filters=filters.ChatType.PRIVATE
        )
    )
