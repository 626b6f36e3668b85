"""/secretary: who runs the community, and delegation; a secretary's menu on first contact."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, TypeHandler, filters

from bot.handlers.common import (
    Context,
    caller,
    is_private,
    one_member,
    reply,
    secretary_community,
    secretary_only,
)
from bot.usecases.communities import appoint_secretary, dismiss_secretary, secretary_reached
from bot.views.menus import (
    clear_secretary_menu,
    has_own_menu,
    set_member_menu,
    set_secretary_menu,
)

logger = logging.getLogger(__name__)

ADD = ("add", "添加", "增加")
MENU_KEY = "menu_locale"
REMOVE = ("remove", "移除", "删除")


async def secretary_command(update: Update, context: Context) -> None:
    """/secretary: list; /secretary add|remove <member>: appoint or dismiss one."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None or who.secretary is None:
        return
    args = context.args or []
    action = args[0].lower() if args else ""
    if action not in ADD + REMOVE or len(args) < 2:
        await _list(update, context, community_id)
        return
    member = await one_member(update, who, community_id, " ".join(args[1:]))
    if member is None:
        return
    svc = who.services
    if action in ADD:
        outcome = await appoint_secretary(svc, who.secretary, member)
        if outcome.done and member.telegram_id is not None:
            await _menu_for(context, member.telegram_id)
    else:
        outcome = await dismiss_secretary(svc, who.secretary, member)
        if outcome.done and member.telegram_id is not None:
            await clear_secretary_menu(context.bot, svc.translations, member.telegram_id)
    await reply(update, who.tr(outcome.key, **outcome.params))


async def _list(update: Update, context: Context, community_id: int) -> None:
    who = await caller(update, context)
    storage = who.services.storage
    lines = []
    for secretary in await storage.secretaries.of_community(community_id):
        member = await storage.members.get_by_telegram_id(secretary.telegram_id)
        name = member.name if member else who.tr("secretary.unnamed", id=secretary.telegram_id)
        key = "secretary.line_setting" if secretary.from_setting else "secretary.line_appointed"
        lines.append(who.tr(key, name=name))
    await reply(
        update,
        who.tr("secretary.header") + "\n" + "\n".join(lines) + "\n\n" + who.tr("secretary.usage"),
    )


async def _menu_for(context: Context, telegram_id: int) -> None:
    svc = context.services
    if await set_secretary_menu(context.bot, svc.translations, telegram_id):
        await secretary_reached(svc, telegram_id)


async def first_contact(update: Update, context: Context) -> None:
    """A secretary writes to the bot for the first time: now Telegram lets us set their
    menu (at start-up it refuses, "chat not found", for anyone who never wrote)."""
    if not is_private(update):
        return
    who = await caller(update, context)
    if who.secretary is not None and not who.secretary.reached:
        logger.info("secretary %s reached: setting their menu", who.user_id)
        await _menu_for(context, who.user_id)
    elif who.secretary is None and context.user_data is not None:
        # Telegram's menus know "zh", not "zh-hant": a Traditional Chinese reader gets the
        # members' menu in their own chat, once (and again if they change language)
        shown = context.user_data.get(MENU_KEY)
        if (has_own_menu(who.tr.locale) and shown is None) or shown == who.tr.locale:
            return
        if await set_member_menu(context.bot, who.tr, who.user_id):
            context.user_data[MENU_KEY] = who.tr.locale


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The first-contact check before every handler (group -1); /secretary in private."""
    app.add_handler(TypeHandler(Update, first_contact), group=-1)
    app.add_handler(
        CommandHandler(
            "secretary", secretary_only(secretary_command), filters=filters.ChatType.PRIVATE
        )
    )
