"""The command menus (``setMyCommands``) per language and scope, and what /help lists."""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError
from telegram.ext import Application

from bot.i18n import N_, Translator
from bot.services import app_services

logger = logging.getLogger(__name__)

# (command, description key); the order is the order users see.
MEMBER_COMMANDS = [
    ("start", N_("cmd.start")),
    ("report", N_("cmd.report")),
    ("tasks", N_("cmd.tasks")),
    ("mytasks", N_("cmd.mytasks")),
    ("points", N_("cmd.points")),
    ("rank", N_("cmd.rank")),
    ("rewards", N_("cmd.rewards")),
    ("record", N_("cmd.record")),
    ("object", N_("cmd.object")),
    ("enroll", N_("cmd.enroll")),
    ("mydata", N_("cmd.mydata")),
    ("lang", N_("cmd.lang")),
    ("privacy", N_("cmd.privacy")),
    ("forgetme", N_("cmd.forgetme")),
    ("help", N_("cmd.help")),
]
GROUP_COMMANDS = [
    ("tasks", N_("cmd.tasks")),
    ("rank", N_("cmd.rank")),
    ("rewards", N_("cmd.rewards")),
    ("enroll", N_("cmd.enroll_group")),
    ("help", N_("cmd.help")),
]
GROUP_SECRETARY_COMMANDS = [
    ("bindgroup", N_("cmd.bindgroup")),
]
SECRETARY_COMMANDS = [
    ("newtask", N_("cmd.newtask")),
    ("review", N_("cmd.review")),
    ("unreported", N_("cmd.unreported")),
    ("remind", N_("cmd.remind")),
    ("summary", N_("cmd.summary")),
    ("export", N_("cmd.export")),
    ("stats", N_("cmd.stats")),
    ("reward", N_("cmd.reward")),
    ("redemptions", N_("cmd.redemptions")),
    ("objections", N_("cmd.objections")),
    ("grant", N_("cmd.grant")),
    ("category", N_("cmd.category")),
    ("community", N_("cmd.community")),
    ("members", N_("cmd.members")),
    ("bindgroup", N_("cmd.bindgroup")),
]


def commands_for(tr: Translator, entries: list[tuple[str, str]]) -> list[BotCommand]:
    """Bot commands with descriptions in ``tr``'s language."""
    return [BotCommand(name, tr(key)) for name, key in entries]


async def _set(
    app: Application[Any, Any, Any, Any, Any, Any],
    commands: list[BotCommand],
    scope: BotCommandScope,
    language: str | None,
) -> None:
    try:
        await app.bot.set_my_commands(commands, scope=scope, language_code=language)
    except TelegramError as exc:
        logger.warning("setMyCommands for %s (%s) failed: %s", scope.type, language, exc)


async def publish_command_menus(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Register the menus: members in private chats, groups, and each secretary's own chat."""
    svc = app_services(app)
    secretaries = await svc.storage.secretaries.list_all()
    default_locale = svc.translations.default_locale
    for tr in svc.translations.all():
        # the default locale also serves users whose language has no menu of its own
        languages = [None, "zh"] if tr.locale == default_locale else []
        languages.append("en" if tr.locale == "en" else "zh")
        for language in dict.fromkeys(languages):
            await _set(
                app, commands_for(tr, MEMBER_COMMANDS), BotCommandScopeAllPrivateChats(), language
            )
            await _set(
                app, commands_for(tr, GROUP_COMMANDS), BotCommandScopeAllGroupChats(), language
            )
            for secretary in secretaries:
                await _set(
                    app,
                    commands_for(tr, SECRETARY_COMMANDS + MEMBER_COMMANDS),
                    BotCommandScopeChat(secretary.telegram_id),
                    language,
                )
