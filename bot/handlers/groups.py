"""Group chats: /bindgroup, the bot being added or removed, and supergroup migration."""

from __future__ import annotations

import logging
from typing import Any

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.error import TelegramError
from telegram.ext import Application, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.handlers.common import Context, caller, reply, secretary_community
from bot.usecases.communities import bind_group

logger = logging.getLogger(__name__)

_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED}


async def bindgroup(update: Update, context: Context) -> None:
    """Bind this group to the secretary's community, so tasks and notices are posted here."""
    who = await caller(update, context)
    if await secretary_community(update, who) is None or who.secretary is None:
        return
    chat = update.effective_chat
    assert chat is not None
    try:
        member = await context.bot.get_chat_member(chat.id, who.user_id)
        is_admin = member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
    except TelegramError as exc:
        logger.warning("cannot tell whether %s administers %s: %s", who.user_id, chat.id, exc)
        is_admin = False
    outcome = await bind_group(who.services, who.secretary, chat.id, chat.title or "", is_admin)
    await reply(update, who.tr(outcome.key, **outcome.params))


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
