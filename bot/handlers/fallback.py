"""What nobody else answered: in a private chat, a pointer to the next step; in a group, a
button to the private chat for our private commands, and silence for the rest."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from bot.handlers.common import OURS, Context, command_of, in_private, in_private_chat


async def _our_private_command(update: Update, context: Context) -> None:
    """Typed in a group: it works in the private chat."""


async def in_group(update: Update, context: Context) -> None:
    """One of our private commands typed in a group gets the button; anything else, silence."""
    if command_of(update, context.bot.username) in OURS:
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
