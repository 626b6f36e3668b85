"""/category: secretaries list the task categories and add their community's own."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.domain.forms import FormError
from bot.domain.tasks import parse_category_args
from bot.handlers.common import (
    Context,
    caller,
    form_error_text,
    reply,
    secretary_community,
    secretary_only,
)
from bot.i18n import N_

LABELS = {"name": N_("task.field.category"), "points": N_("task.field.points")}


async def category_command(update: Update, context: Context) -> None:
    """/category — list; /category <name> <default points> — add or update one."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    tasks = who.services.storage.tasks
    if context.args:
        try:
            name, points = parse_category_args(context.args)
        except FormError as exc:
            await reply(update, form_error_text(who.tr, exc, LABELS))
            return
        await tasks.add_category(community_id, name, points)
        await reply(update, who.tr("category.added", name=name, points=points))
    lines = [who.tr("category.header")]
    lines += [
        who.tr("category.line", name=c.name, points=c.default_points)
        for c in await tasks.categories(community_id)
    ]
    lines += ["", who.tr("category.usage")]
    await reply(update, "\n".join(lines))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/category."""
    app.add_handler(CommandHandler("category", secretary_only(category_command)))
