"""The command menus (``setMyCommands``) per language and scope, and what /help lists."""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError
from telegram.ext import Application

from bot.domain.models import Secretary
from bot.i18n import N_, Translations, Translator
from bot.languages import languages
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
    ("wish", N_("cmd.wish")),
    ("mywishes", N_("cmd.mywishes")),
    ("ask", N_("cmd.ask")),
    ("enroll", N_("cmd.enroll")),
    ("mydata", N_("cmd.mydata")),
    ("lang", N_("cmd.lang")),
    ("privacy", N_("cmd.privacy")),
    ("forgetme", N_("cmd.forgetme")),
    ("help", N_("cmd.help")),
]
# what someone who is not a member can use (a resident, a unit's liaison)
VISITOR_COMMANDS = [
    ("start", N_("cmd.start")),
    ("enroll", N_("cmd.enroll")),
    ("wish", N_("cmd.wish")),
    ("lang", N_("cmd.lang")),
    ("mydata", N_("cmd.mydata")),
    ("privacy", N_("cmd.privacy")),
    ("forgetme", N_("cmd.forgetme")),
    ("help", N_("cmd.help")),
]
LIAISON_COMMANDS = [
    ("unitreport", N_("cmd.unitreport")),
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
    ("lang", N_("cmd.lang_group")),
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
    ("wishes", N_("cmd.wishes")),
    ("notice", N_("cmd.notice")),
    ("units", N_("cmd.units")),
    ("grant", N_("cmd.grant")),
    ("category", N_("cmd.category")),
    ("community", N_("cmd.community")),
    ("poster", N_("cmd.poster")),
    ("secretary", N_("cmd.secretary")),
    ("members", N_("cmd.members")),
    ("link", N_("cmd.link")),
    ("unlink", N_("cmd.unlink")),
    ("bindgroup", N_("cmd.bindgroup")),
]


def commands_for(tr: Translator, entries: list[tuple[str, str]]) -> list[BotCommand]:
    """Bot commands with descriptions in ``tr``'s language."""
    return [BotCommand(name, tr(key)) for name, key in entries]


def _menu_languages(translations: Translations) -> list[tuple[Translator, str | None]]:
    """Each menu's translator and ``language_code`` (from the list of languages); the default
    locale also serves users whose language has no menu of its own (``None``)."""
    pairs: list[tuple[Translator, str | None]] = []
    for language in languages():
        tr = translations.get(language.locale)
        codes: list[str | None] = [None] if tr.locale == translations.default_locale else []
        if language.menu:
            codes.append(language.menu)
        pairs.extend((tr, code) for code in dict.fromkeys(codes))
    return pairs


async def _set(
    bot: Bot, commands: list[BotCommand], scope: BotCommandScope, language: str | None
) -> bool:
    try:
        await bot.set_my_commands(commands, scope=scope, language_code=language)
    except TelegramError as exc:
        logger.warning("setMyCommands for %s (%s) failed: %s", scope.type, language, exc)
        return False
    return True


async def set_secretary_menu(bot: Bot, translations: Translations, telegram_id: int) -> bool:
    """The secretary's commands in their own chat; False if Telegram refused (not reached)."""
    done = True
    for tr, language in _menu_languages(translations):
        commands = commands_for(tr, SECRETARY_COMMANDS + MEMBER_COMMANDS)
        done = await _set(bot, commands, BotCommandScopeChat(telegram_id), language) and done
    return done


def has_own_menu(locale: str) -> bool:
    """Whether Telegram can show this language's menus by itself (a two-letter code)."""
    return any(language.menu for language in languages() if language.locale == locale)


async def set_member_menu(bot: Bot, tr: Translator, telegram_id: int) -> bool:
    """The members' menu in ``tr``'s language in one person's chat."""
    commands = commands_for(tr, MEMBER_COMMANDS)
    return await _set(bot, commands, BotCommandScopeChat(telegram_id), None)


async def set_liaison_menu(bot: Bot, tr: Translator, telegram_id: int) -> bool:
    """A unit liaison's menu: /unitreport, then what a non-member can use."""
    commands = commands_for(tr, LIAISON_COMMANDS + VISITOR_COMMANDS)
    return await _set(bot, commands, BotCommandScopeChat(telegram_id), None)


async def clear_own_menu(bot: Bot, telegram_id: int) -> None:
    """Back to the menu everyone has, in a chat that had its own (a former liaison's)."""
    try:
        await bot.delete_my_commands(BotCommandScopeChat(telegram_id))
    except TelegramError as exc:
        logger.warning("deleteMyCommands for %s failed: %s", telegram_id, exc)


async def clear_secretary_menu(bot: Bot, translations: Translations, telegram_id: int) -> None:
    """Back to the members' menu in a former secretary's chat."""
    for _tr, language in _menu_languages(translations):
        try:
            await bot.delete_my_commands(BotCommandScopeChat(telegram_id), language_code=language)
        except TelegramError as exc:
            logger.warning("deleteMyCommands for %s failed: %s", telegram_id, exc)


async def publish_command_menus(
    app: Application[Any, Any, Any, Any, Any, Any], revoked: list[Secretary]
) -> None:
    """Register the menus: members in private chats, groups, the own chat of each secretary
    the bot has reached (others get theirs when they first write), and back to the members'
    menu for reached secretaries who lost the role."""
    svc = app_services(app)
    bot = app.bot
    for tr, language in _menu_languages(svc.translations):
        await _set(
            bot, commands_for(tr, MEMBER_COMMANDS), BotCommandScopeAllPrivateChats(), language
        )
        await _set(bot, commands_for(tr, GROUP_COMMANDS), BotCommandScopeAllGroupChats(), language)
    for secretary in await svc.storage.secretaries.list_all():
        if secretary.reached:
            await set_secretary_menu(bot, svc.translations, secretary.telegram_id)
    for former in revoked:
        if former.reached:
            await clear_secretary_menu(bot, svc.translations, former.telegram_id)
