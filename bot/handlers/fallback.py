"""What nobody else answered: in a private chat, a pointer to the next step; in a group, a
button to the private chat for our private commands, and silence for the rest."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.handlers.common import Context, caller, in_private, reply, tell_to_enroll
from bot.views.menus import LIAISON_COMMANDS, MEMBER_COMMANDS, SECRETARY_COMMANDS

OURS = {name for name, _ in MEMBER_COMMANDS + SECRETARY_COMMANDS + LIAISON_COMMANDS}


def _command(update: Update, bot_username: str) -> str | None:
    """The command a message starts with (``/report@ourbot`` → ``report``); None when it is
    not a command, or one addressed to another bot."""
    text = update.effective_message.text if update.effective_message else None
    if not text or not text.startswith("/"):
        return None
    name, _, addressee = text.split()[0][1:].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return name.lower()


async def in_private_chat(update: Update, context: Context) -> None:
    """Free text, a file or an unknown command: say what to do next."""
    who = await caller(update, context)
    command = _command(update, context.bot.username)
    if command is not None and command not in OURS:
        await reply(update, who.tr("fallback.unknown_command", command=command))
    elif who.member is None and who.secretary is None:
        await tell_to_enroll(update, who)
    elif who.secretary is not None:
        await reply(update, who.tr("fallback.secretary"))
    else:
        await reply(update, who.tr("fallback.member"))


async def _our_private_command(update: Update, context: Context) -> None:
    """Typed in a group: it works in the private chat."""


async def in_group(update: Update, context: Context) -> None:
    """One of our private commands typed in a group gets the button; anything else, silence."""
    if _command(update, context.bot.username) in OURS:
        await in_private(_our_private_command)(update, context)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Last of the message handlers: only what no other handler took comes here."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        MessageHandler(
            private & (filters.TEXT | filters.COMMAND | filters.Document.ALL | filters.PHOTO),
            in_private_chat,
        )
    )
    app.add_handler(MessageHandler(filters.ChatType.GROUPS & filters.COMMAND, in_group))
