"""Group chats: /bindgroup, the bot being added or removed, and supergroup migration."""

from __future__ import annotations

import logging
from typing import Any

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.ext import Application, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.handlers.common import Context, caller, reply, require_secretary
from bot.i18n import N_

logger = logging.getLogger(__name__)

_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED}


async def bindgroup(update: Update, context: Context) -> None:
    """Bind this group to the secretary's community, so tasks and notices are posted here."""
    who = await caller(update, context)
    secretary = await require_secretary(update, who)
    if secretary is None:
        return
    storage = who.services.storage
    community = (
        await storage.communities.get(secretary.community_id) if secretary.community_id else None
    )
    if community is None:
        await reply(update, who.tr("group.needs_community"))
        return
    chat = update.effective_chat
    assert chat is not None
    changed = await storage.groups.bind(chat.id, community.id, chat.title or "", who.user_id)
    logger.info("group %s bound to community %s by %s", chat.id, community.id, who.user_id)
    key = N_("group.bound") if changed else N_("group.already_bound")
    await reply(update, who.tr(key, community=community.name))


def _was_added(change: ChatMemberUpdated) -> bool | None:
    """True when the bot joined, False when it left or was removed, None otherwise."""
    before = change.old_chat_member.status in _PRESENT
    after = change.new_chat_member.status in _PRESENT
    if before == after:
        return None
    return after


async def on_my_membership(update: Update, context: Context) -> None:
    """Explain /bindgroup when added to a group; stop posting to a group that removed us."""
    change = update.my_chat_member
    assert change is not None
    if change.chat.type not in ("group", "supergroup"):
        return
    added = _was_added(change)
    who = await caller(update, context)
    if added:
        await context.bot.send_message(change.chat.id, who.tr("group.welcome"))
    elif added is False:
        logger.info("removed from group %s", change.chat.id)
        await who.services.storage.groups.deactivate(change.chat.id)


async def on_migrate(update: Update, context: Context) -> None:
    """A group became a supergroup: follow it to its new id."""
    message = update.message
    assert message is not None and message.migrate_to_chat_id is not None
    who = await caller(update, context)
    await who.services.storage.groups.migrate(message.chat.id, message.migrate_to_chat_id)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/bindgroup in groups; membership changes; migration."""
    app.add_handler(CommandHandler("bindgroup", bindgroup, filters=filters.ChatType.GROUPS))
    app.add_handler(ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
