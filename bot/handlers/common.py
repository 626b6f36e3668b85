"""Helpers every handler uses: who is talking, in which language, with which role."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackContext, ConversationHandler, ExtBot

from bot.domain.deeplinks import command_payload, deep_link
from bot.domain.forms import FormError, FormErrors
from bot.domain.models import Member, Secretary
from bot.i18n import Html, Translator, match_locale
from bot.services import SERVICES_KEY, Services
from bot.views.callbacks import EnrollStart
from bot.views.keyboards import one_button
from bot.views.menus import LIAISON_COMMANDS, MEMBER_COMMANDS, SECRETARY_COMMANDS
from bot.views.questions import offer_button

logger = logging.getLogger(__name__)

Handler = Callable[[Update, "BotContext"], Coroutine[Any, Any, Any]]


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """What every handler is given: the services and, once looked up, the caller.

    PTB makes one context per update, shared by the handlers that take it, so the caller is
    read from the database once per update.
    """

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self.who: Caller | None = None

    @property
    def services(self) -> Services:
        found: Services = self.bot_data[SERVICES_KEY]
        return found


Context = BotContext


@dataclass(frozen=True)
class Caller:
    """The user behind an update, as the bot knows them."""

    user_id: int
    member: Member | None
    secretary: Secretary | None
    tr: Translator
    services: Services


async def caller(update: Update, context: Context) -> Caller:
    """The member, role and translator of the user behind ``update`` (looked up once)."""
    if context.who is None:
        context.who = await _look_up(update, context)
    return context.who


async def chat_reader_tr(update: Update, who: Caller) -> Translator:
    """The language a message edited in this chat is read in: a group's (everyone reads it,
    a button tap included), else the caller's own."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return who.tr
    svc = who.services
    return svc.translations.get(await svc.storage.groups.language(chat.id))


async def _look_up(update: Update, context: Context) -> Caller:
    svc = context.services
    user = update.effective_user
    if user is None:  # channel posts and the like: no person, default language
        return Caller(0, None, None, svc.translations.get(None), svc)
    member, secretary = await svc.storage.members.get_with_role(user.id)
    chosen = member.language if member else context.user_data.get("language")  # type: ignore[union-attr]
    tr = svc.translations.resolve(chosen, user.language_code)
    chat = update.effective_chat
    if chat and chat.type != ChatType.PRIVATE and update.callback_query is None:
        # everyone in a group reads the answer: the group's language (pop-ups stay personal)
        tr = svc.translations.get(await svc.storage.groups.language(chat.id))
    if member and not member.reachable and chat and chat.type == ChatType.PRIVATE:
        await svc.storage.members.set_reachable(user.id, True)
    if member and member.language is None and match_locale(user.language_code):
        # notices are sent when the member is not talking to us: keep the language they use
        await svc.storage.members.set_language(user.id, tr.locale)
    if member is None and chat and chat.type == ChatType.PRIVATE:
        await _remember_language(context, user.id, tr.locale)
    return Caller(user.id, member, secretary, tr, svc)


_STORED_LANGUAGE = "stored_language"


async def _remember_language(context: Context, telegram_id: int, locale: str) -> None:
    """A non-member (a secretary who never enrolled, a resident, a liaison) gets notices too:
    keep the language they read, written only when it changes."""
    data = context.user_data
    if data is None or data.get(_STORED_LANGUAGE) == locale:
        return
    await context.services.storage.members.remember_language(telegram_id, locale)
    data[_STORED_LANGUAGE] = locale


async def reply(update: Update, text: str, **kwargs: object) -> None:
    """Answer in the chat the update came from (HTML)."""
    chat = update.effective_chat
    if chat is None:
        return
    await chat.send_message(text, **kwargs)  # type: ignore[arg-type]


async def require_secretary(update: Update, who: Caller) -> Secretary | None:
    """The caller's secretary role, or a refusal sent and None."""
    if who.secretary is None:
        logger.info("user %s refused a secretary command", who.user_id)
        if update.callback_query:
            await update.callback_query.answer(who.tr("role.secretary_only"), show_alert=True)
        else:
            await reply(update, who.tr("role.secretary_only"))
        return None
    return who.secretary


async def secretary_community(update: Update, who: Caller) -> int | None:
    """The community a secretary runs; a refusal or a set-up hint sent and None otherwise."""
    secretary = await require_secretary(update, who)
    if secretary is None:
        return None
    if secretary.community_id is None:
        if update.callback_query:
            await update.callback_query.answer(who.tr("group.needs_community"), show_alert=True)
        else:
            await reply(update, who.tr("group.needs_community"))
    return secretary.community_id


async def community_here(update: Update, who: Caller) -> int | None:
    """In a group, the group's community; else the member's, or the secretary's."""
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        group = await who.services.storage.groups.get(chat.id)
        return group.community_id if group and group.active else None
    if who.member is not None:
        return who.member.community_id
    return who.secretary.community_id if who.secretary else None


async def tell_to_enroll(update: Update, who: Caller) -> None:
    """A member command from someone not enrolled: where to start, with the button."""
    markup = (
        one_button(who.tr("button.enroll"), EnrollStart().pack()) if is_private(update) else None
    )
    await reply(update, who.tr("member.enroll_first"), reply_markup=markup)


async def no_community_here(update: Update, who: Caller) -> None:
    """No community here: in private, the way to enroll; in a group, the way to bind it."""
    if is_private(update):
        await tell_to_enroll(update, who)
    else:
        await reply(update, who.tr("tasks.no_community"))


def is_private(update: Update) -> bool:
    """True in the private chat with the bot."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


def not_modified(error: BaseException) -> bool:
    """Telegram's 400 "message is not modified" (a double tap, an edit to the same content);
    PTB rewords it ("Message is not modified: …"), so it is matched case-insensitively."""
    return isinstance(error, BadRequest) and "message is not modified" in error.message.lower()


async def edit_text(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message under a button; an unchanged message (a double tap) is not an error.
    Every handler edits through this or ``edit_markup``."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if not not_modified(exc):
            raise
        logger.debug("message %s unchanged", query.message and query.message.message_id)


async def edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace (or, with None, remove) the buttons under a message; already so is no error."""
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as exc:
        if not not_modified(exc):
            raise
        logger.debug("buttons of %s unchanged", query.message and query.message.message_id)


async def one_member(update: Update, who: Caller, community_id: int, ref: str) -> Member | None:
    """The member of the community that ``ref`` names (``#id`` or the exact name); when none
    or several match, says so (listing the candidates) and returns None."""
    matches = await members_named(who, community_id, ref)
    if len(matches) == 1:
        return matches[0]
    await say_which(update, who, community_id, ref, matches)
    return None


async def members_named(who: Caller, community_id: int, ref: str) -> list[Member]:
    """The community's members that ``ref`` names: ``#id``, or the exact name."""
    members = who.services.storage.members
    if ref.startswith("#") and ref[1:].isascii() and ref[1:].isdigit():
        found = await members.target(community_id, int(ref[1:]))
        return [found] if found else []
    return await members.find_by_name(community_id, ref)


async def say_which(
    update: Update, who: Caller, community_id: int, ref: str, matches: list[Member]
) -> None:
    """No member, or several, for ``ref``: the candidates with their ``#id`` (for none, the
    members whose name starts with its first word), so the secretary can name one by id."""
    separator = who.tr.plain("list.separator")
    if matches:
        listing = separator.join(f"#{m.id} {m.name}" for m in matches)
        await reply(update, who.tr("grant.ambiguous", name=ref, candidates=listing))
        return
    first_word = ref.split()[0] if ref.split() and not ref.startswith("#") else ""
    near = (
        await who.services.storage.members.named_starting(community_id, first_word, 5)
        if first_word
        else []
    )
    hint = ""
    if near:
        listing = separator.join(f"#{m.id} {m.name}" for m in near)
        hint = who.tr("grant.did_you_mean", candidates=listing)
    await reply(update, who.tr("grant.not_found", name=ref, candidates=Html(hint)))


def form_error_text(tr: Translator, error: FormError, labels: dict[str, str]) -> str:
    """A translated message saying which field is wrong and how (every problem of the
    form, one a line, when there are several)."""
    errors = error.errors if isinstance(error, FormErrors) else (error,)
    lines = [
        tr(e.key, field=tr(labels[e.field]) if e.field in labels else "", **e.params)
        for e in errors
    ]
    if len(lines) == 1:
        return lines[0]
    return tr("form.errors", count=len(lines)) + "\n" + "\n".join(f"• {line}" for line in lines)


async def send_private(
    bot: Bot, who: Services, telegram_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """Answer a tap in a group in the member's private chat, now; False if it cannot reach them."""
    try:
        await bot.send_message(telegram_id, text, reply_markup=markup)
    except Forbidden:
        logger.info("member %s cannot be reached", telegram_id)
        await who.storage.members.set_reachable(telegram_id, False)
        return False
    except BadRequest as exc:
        logger.warning("private message to %s failed: %s", telegram_id, exc)
        return False
    return True


async def end_conversation(
    update: Update, context: Context, draft_key: str, message_key: str
) -> int:
    """Cancel a guided flow: its draft is dropped, its buttons removed, nothing is saved."""
    who = await caller(update, context)
    if context.user_data is not None:
        context.user_data.pop(draft_key, None)
    if update.callback_query:
        await update.callback_query.answer()
        await edit_markup(update.callback_query)
    await reply(update, who.tr(message_key))
    return ConversationHandler.END


def secretary_only(callback: Handler) -> Handler:
    """Declare a handler secretaries-only where it is registered: others get a refusal."""

    async def guarded(update: Update, context: Context) -> Any:
        who = await caller(update, context)
        if await require_secretary(update, who) is None:
            return None
        return await callback(update, context)

    guarded.__doc__ = callback.__doc__
    guarded.__name__ = callback.__name__
    return guarded


def in_private(callback: Handler) -> Handler:
    """Declare a command that shows members' data: typed in a group, it answers there only
    with a button to the private chat, where it works."""

    async def private_only(update: Update, context: Context) -> Any:
        if is_private(update):
            return await callback(update, context)
        who = await caller(update, context)
        # the link carries the command (when a link may run it): one tap runs it there
        command = command_of(update, context.bot.username)
        payload = command_payload(command) if command else None
        plain = f"https://t.me/{context.bot.username}"
        link = deep_link(context.bot.username, payload) if payload else plain
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(who.tr("button.open_bot"), url=link)]])
        text = who.tr("private.only_linked", command=command) if payload else who.tr("private.only")
        await reply(update, text, reply_markup=markup)
        return None

    private_only.__doc__ = callback.__doc__
    private_only.__name__ = callback.__name__
    return private_only


# Charts, sheets and PDFs take a moment of CPU each: one per user this often at most.
HEAVY_COOLDOWN = timedelta(seconds=10)
_HEAVY_KEY = "heavy_command_at"
_HEAVY_TASKS = "heavy_tasks"
# Heavy commands under way at once (as many as drawing workers); the rest wait their turn,
# so five users' sheets and PDFs never all compete with everyone's taps at the same moment.
HEAVY_AT_ONCE = 2
_HEAVY_SLOTS = "heavy_slots"


def heavy(callback: Handler) -> Handler:
    """Declare a heavy command (/stats, /export, /record …): a cooldown per user and command,
    and the work in a task of its own.

    The cooldown is checked in the chat's turn; the command itself (queries, drawing,
    uploads) then runs outside the ordered section, so it never holds the chat's lock or an
    update worker that other updates wait for, and at most ``HEAVY_AT_ONCE`` of them run at
    a time (the others wait for a turn). Its errors go to the error handler like any
    handler's (``create_task`` with the update).
    """

    async def in_turn(update: Update, context: Context) -> None:
        slots = context.bot_data.setdefault(_HEAVY_SLOTS, asyncio.Semaphore(HEAVY_AT_ONCE))
        async with slots:
            await callback(update, context)

    async def limited(update: Update, context: Context) -> None:
        who = await caller(update, context)
        # per user and command: a /record just after /stats is no repeat
        last_run: dict[tuple[int, str], datetime] = context.bot_data.setdefault(_HEAVY_KEY, {})
        now = who.services.now()
        key = (who.user_id, callback.__name__)
        before = last_run.get(key)
        if before is not None and now - before < HEAVY_COOLDOWN:
            left = math.ceil((HEAVY_COOLDOWN - (now - before)).total_seconds())
            await reply(update, who.tr("heavy.cooldown", seconds=left))
            return
        last_run[key] = now
        running: set[asyncio.Task[Any]] = context.bot_data.setdefault(_HEAVY_TASKS, set())
        task = context.application.create_task(
            in_turn(update, context), update=update, name=f"heavy:{callback.__name__}"
        )
        running.add(task)
        task.add_done_callback(running.discard)

    limited.__doc__ = callback.__doc__
    limited.__name__ = callback.__name__
    return limited


async def heavy_work_done(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Wait for the heavy commands under way (tests wait here, as a user waits for the file;
    ``Application.stop`` waits for them too)."""
    running: set[asyncio.Task[Any]] = app.bot_data.get(_HEAVY_TASKS, set())
    while running:
        await asyncio.gather(*running, return_exceptions=True)


# --- what nobody else answered (the fallback, and a photo nobody waited for) ----------

OURS = {name for name, _ in MEMBER_COMMANDS + SECRETARY_COMMANDS + LIAISON_COMMANDS}


def command_of(update: Update, bot_username: str) -> str | None:
    """The command a message starts with (``/report@ourbot`` → ``report``); None when it is
    not a command, or one addressed to another bot."""
    text = update.effective_message.text if update.effective_message else None
    if not text or not text.startswith("/"):
        return None
    name, _, addressee = text.split()[0][1:].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return name.lower()


async def run_as_typed(update: Update, context: Context, command: str) -> None:
    """Handle ``update`` (``/start do_<command>`` from a link) as if ``/command`` had been
    typed: every handler, role check and guided flow of that command applies unchanged.

    The update gets an id of its own (the negative of the link's), so the replay guard keeps
    it to once, as it keeps the /start that brought it.
    """
    data = update.to_dict()
    text = f"/{command}"
    data["update_id"] = -update.update_id
    data["message"]["text"] = text
    data["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    await context.application.process_update(Update.de_json(data, context.bot))


async def in_private_chat(update: Update, context: Context) -> None:
    """Free text, a file or an unknown command: say what to do next."""
    who = await caller(update, context)
    command = command_of(update, context.bot.username)
    if command is not None and command not in OURS:
        await reply(update, who.tr("fallback.unknown_command", command=command))
    elif who.member is None and who.secretary is None:
        await tell_to_enroll(update, who)
    elif who.secretary is not None:
        await reply(update, who.tr("fallback.secretary"))
    else:
        await _offer_as_question(update, context, who)


OFFERED = "question_offer"  # user data: the words last offered to send as a question (17.20)


async def _offer_as_question(update: Update, context: Context, who: Caller) -> None:
    """A member's words the bot did not understand: the usual pointer, and a button that
    sends them to the secretaries (the words wait here, not in the button's data)."""
    message = update.effective_message
    words = message.text if message is not None and message.text else None
    if words is None or context.user_data is None or command_of(update, context.bot.username):
        await reply(update, who.tr("fallback.member"))
        return
    context.user_data[OFFERED] = words
    await reply(update, who.tr("fallback.member"), reply_markup=offer_button(who.tr))
