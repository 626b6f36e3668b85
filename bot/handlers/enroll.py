"""Enrollment: the guided conversation, the one-message form, deep links and phone sharing."""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.deeplinks import (
    ENROLL_ANY,
    EnrollLink,
    deep_link,
    enroll_payload,
    parse_start_payload,
)
from bot.domain.enrollment import (
    FIELD_LABELS,
    check_compound,
    check_name,
    check_work_unit,
    name_from_telegram,
    parse_enrollment_form,
)
from bot.domain.forms import FormError, strip_command
from bot.domain.models import Community, MemberType, Profile
from bot.guided import GuidedConversation
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_markup,
    edit_text,
    end_conversation,
    form_error_text,
    reply,
)
from bot.i18n import N_, Translator, match_locale
from bot.usecases.enrollment import enroll_member
from bot.views.callbacks import (
    EnrollCancel,
    EnrollCommunity,
    EnrollKeep,
    EnrollSkip,
    EnrollStart,
    EnrollTelegramName,
    EnrollType,
    any_of,
)
from bot.views.keyboards import phone_keyboard, url_button
from bot.views.profile import member_type_label, profile_summary

logger = logging.getLogger(__name__)

CHOOSE_COMMUNITY, NAME, TYPE, UNIT, COMPOUND = range(5)
DRAFT = "enroll_draft"
CONVERSATION_TIMEOUT = 30 * 60


def _draft(context: Context) -> dict[str, Any]:
    data = context.user_data
    assert data is not None
    draft: dict[str, Any] = data.setdefault(DRAFT, {})
    return draft


def _cancel_row(tr: Translator) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(tr("button.cancel"), callback_data=EnrollCancel().pack())]


def _keep_row(tr: Translator, current: str) -> list[InlineKeyboardButton]:
    """A button that keeps what a re-enrolling member had; empty when there is nothing."""
    if not current:
        return []
    return [
        InlineKeyboardButton(
            tr.plain("enroll.keep", value=current[:20]), callback_data=EnrollKeep().pack()
        )
    ]


# --- entry points -------------------------------------------------------------------------


async def enroll_command(update: Update, context: Context) -> int:
    """/enroll in private: the one-message form when it has a body, else the guided flow."""
    who = await caller(update, context)
    assert update.message is not None
    _draft(context).clear()
    if strip_command(update.message.text or ""):
        return await _fast_path(update, context, who)
    return await _begin(update, context, who, None)


async def start_with_link(update: Update, context: Context) -> int:
    """/start c_<code>: enroll into the community the link names."""
    who = await caller(update, context)
    _draft(context).clear()
    action = parse_start_payload(context.args[0] if context.args else None)
    if not isinstance(action, EnrollLink):
        await reply(update, who.tr("start.bad_link"))
        return ConversationHandler.END
    if action.community_code is None:
        return await _begin(update, context, who, None)
    community = await who.services.storage.communities.get_by_code(action.community_code)
    if community is None:
        await reply(update, who.tr("start.bad_link"))
        return ConversationHandler.END
    return await _begin(update, context, who, community)


async def start_button(update: Update, context: Context) -> int:
    """The Enroll button under the welcome message."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    who = await caller(update, context)
    _draft(context).clear()
    return await _begin(update, context, who, None)


async def _resolve_community(who: Caller, chosen: Community | None) -> list[Community]:
    """The community to enroll into: the chosen one, the member's own, or all to pick from."""
    if chosen is not None:
        return [chosen]
    if who.member is not None:
        own = await who.services.storage.communities.get(who.member.community_id)
        if own is not None:
            return [own]
    return await who.services.storage.communities.list_all()


async def _elsewhere(update: Update, who: Caller, community_id: int) -> bool:
    """A member enrolled in another community: told where they are, and True. One person
    belongs to one community; their points and sign-ups stay with it."""
    if who.member is None or who.member.community_id == community_id:
        return False
    storage = who.services.storage
    own = await storage.communities.get(who.member.community_id)
    other = await storage.communities.get(community_id)
    logger.info("member %s refused a move to community %s", who.member.id, community_id)
    await reply(
        update,
        who.tr(
            "enroll.already_elsewhere",
            own=own.name if own else "—",
            other=other.name if other else "—",
        ),
    )
    return True


async def _begin(update: Update, context: Context, who: Caller, chosen: Community | None) -> int:
    if chosen is not None and await _elsewhere(update, who, chosen.id):
        return ConversationHandler.END
    candidates = await _resolve_community(who, chosen)
    if not candidates:
        await reply(update, who.tr("enroll.no_community"))
        return ConversationHandler.END
    if len(candidates) > 1:
        await _ask_community(update, who, candidates)
        return CHOOSE_COMMUNITY
    _draft(context)["community_id"] = candidates[0].id
    await reply(update, who.tr("enroll.intro", community=candidates[0].name))
    return await _ask_name(update, context, who)


async def _ask_community(update: Update, who: Caller, communities: list[Community]) -> None:
    rows = [
        [InlineKeyboardButton(c.name, callback_data=EnrollCommunity(c.id).pack())]
        for c in communities[:20]
    ]
    rows.append(_cancel_row(who.tr))
    await reply(update, who.tr("enroll.ask_community"), reply_markup=InlineKeyboardMarkup(rows))


async def on_community(update: Update, context: Context) -> int:
    """A community button: remember it, then go on (or save a ready fast-path form)."""
    query = update.callback_query
    button = EnrollCommunity.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community = await who.services.storage.communities.get(button.community_id)
    if community is None:
        await query.answer(who.tr("callback.stale"), show_alert=True)
        return CHOOSE_COMMUNITY
    await query.answer()
    await edit_markup(query)
    draft = _draft(context)
    draft["community_id"] = community.id
    if "profile" in draft:
        return await _save(update, context, who, draft["profile"])
    await reply(update, who.tr("enroll.intro", community=community.name))
    return await _ask_name(update, context, who)


# --- fast path ----------------------------------------------------------------------------


async def _fast_path(update: Update, context: Context, who: Caller) -> int:
    assert update.message is not None
    try:
        profile = parse_enrollment_form(update.message.text or "")
    except FormError as exc:
        await reply(
            update, form_error_text(who.tr, exc, FIELD_LABELS) + "\n\n" + who.tr("enroll.form_help")
        )
        return ConversationHandler.END
    candidates = await _resolve_community(who, None)
    if not candidates:
        await reply(update, who.tr("enroll.no_community"))
        return ConversationHandler.END
    draft = _draft(context)
    draft["profile"] = profile
    if len(candidates) > 1:
        await _ask_community(update, who, candidates)
        return CHOOSE_COMMUNITY
    draft["community_id"] = candidates[0].id
    return await _save(update, context, who, profile)


# --- guided steps -------------------------------------------------------------------------


async def _ask_name(update: Update, context: Context, who: Caller) -> int:
    user = update.effective_user
    assert user is not None
    name = name_from_telegram(user.first_name, user.last_name)
    rows = [
        [
            InlineKeyboardButton(
                who.tr.plain("enroll.use_telegram_name", name=name[:20]),
                callback_data=EnrollTelegramName().pack(),
            )
        ]
    ]
    rows.append(_keep_row(who.tr, who.member.name if who.member else ""))
    rows.append(_cancel_row(who.tr))
    await reply(
        update, who.tr("enroll.ask_name"), reply_markup=InlineKeyboardMarkup([r for r in rows if r])
    )
    return NAME


async def on_name(update: Update, context: Context) -> int:
    """The member's name: typed, their Telegram name, or kept."""
    who = await caller(update, context)
    user = update.effective_user
    assert user is not None
    if update.callback_query:
        await update.callback_query.answer()
        await edit_markup(update.callback_query)
        if EnrollKeep.matches(update.callback_query.data) and who.member:
            raw = who.member.name
        else:
            raw = name_from_telegram(user.first_name, user.last_name)
    else:
        assert update.message is not None
        raw = update.message.text or ""
    try:
        _draft(context)["name"] = check_name(raw)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, FIELD_LABELS))
        return NAME
    rows = [
        [InlineKeyboardButton(member_type_label(who.tr, t), callback_data=EnrollType(t).pack())]
        for t in MemberType
    ]
    rows.append(_cancel_row(who.tr))
    await reply(update, who.tr("enroll.ask_type"), reply_markup=InlineKeyboardMarkup(rows))
    return TYPE


async def on_type(update: Update, context: Context) -> int:
    """The member type, from its buttons."""
    query = update.callback_query
    button = EnrollType.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    member_type = button.member_type
    await query.answer()
    await edit_text(
        query, who.tr("enroll.type_chosen", member_type=member_type_label(who.tr, member_type))
    )
    _draft(context)["member_type"] = member_type
    rows = [_keep_row(who.tr, who.member.work_unit if who.member else "")]
    if member_type is not MemberType.IN_SERVICE:
        rows.append(
            [InlineKeyboardButton(who.tr("button.skip"), callback_data=EnrollSkip().pack())]
        )
    rows.append(_cancel_row(who.tr))
    await reply(
        update, who.tr("enroll.ask_unit"), reply_markup=InlineKeyboardMarkup([r for r in rows if r])
    )
    return UNIT


def _typed_or_button(update: Update, current: str) -> str:
    """What the member answered: typed text, the kept value, or empty for Skip."""
    if update.callback_query:
        return current if EnrollKeep.matches(update.callback_query.data) else ""
    assert update.message is not None
    return update.message.text or ""


async def on_unit(update: Update, context: Context) -> int:
    """The work unit (required for in-service members)."""
    who = await caller(update, context)
    if update.callback_query:
        await update.callback_query.answer()
        await edit_markup(update.callback_query)
    draft = _draft(context)
    raw = _typed_or_button(update, who.member.work_unit if who.member else "")
    try:
        draft["work_unit"] = check_work_unit(raw, draft["member_type"])
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, FIELD_LABELS))
        return UNIT
    rows = [
        _keep_row(who.tr, who.member.compound if who.member else ""),
        [InlineKeyboardButton(who.tr("button.skip"), callback_data=EnrollSkip().pack())],
        _cancel_row(who.tr),
    ]
    await reply(
        update,
        who.tr("enroll.ask_compound"),
        reply_markup=InlineKeyboardMarkup([r for r in rows if r]),
    )
    return COMPOUND


async def on_compound(update: Update, context: Context) -> int:
    """The residential compound (optional); then the profile is saved."""
    who = await caller(update, context)
    if update.callback_query:
        await update.callback_query.answer()
        await edit_markup(update.callback_query)
    draft = _draft(context)
    raw = _typed_or_button(update, who.member.compound if who.member else "")
    try:
        compound = check_compound(raw)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, FIELD_LABELS))
        return COMPOUND
    profile = Profile(draft["name"], draft["work_unit"], draft["member_type"], compound)
    return await _save(update, context, who, profile)


async def _save(update: Update, context: Context, who: Caller, profile: Profile) -> int:
    draft = _draft(context)
    storage = who.services.storage
    if await _elsewhere(update, who, draft["community_id"]):
        draft.clear()
        return ConversationHandler.END
    community = await storage.communities.get(draft["community_id"])
    assert community is not None and update.effective_user is not None
    # their choice (/lang), else the language their Telegram speaks: notices use it later
    language = (context.user_data.get("language") if context.user_data else None) or (
        who.tr.locale if match_locale(update.effective_user.language_code) else None
    )
    _, created = await enroll_member(
        who.services, community, update.effective_user.id, profile, language
    )
    draft.clear()
    logger.info(
        "member %s %s community %s",
        update.effective_user.id,
        "enrolled in" if created else "updated profile in",
        community.id,
    )
    key = N_("enroll.done") if created else N_("enroll.updated")
    await reply(update, who.tr(key) + "\n\n" + profile_summary(who.tr, profile, community.name))
    await reply(update, who.tr("enroll.ask_phone"), reply_markup=phone_keyboard(who.tr))
    return ConversationHandler.END


async def cancel(update: Update, context: Context) -> int:
    """Cancel: nothing is saved."""
    return await end_conversation(update, context, DRAFT, N_("enroll.cancelled"))


# --- outside the conversation -------------------------------------------------------------


async def enroll_in_group(update: Update, context: Context) -> None:
    """/enroll in a group: bots cannot open private chats, so give a button that does."""
    who = await caller(update, context)
    assert update.effective_chat is not None
    group = await who.services.storage.groups.get(update.effective_chat.id)
    community = await who.services.storage.communities.get(group.community_id) if group else None
    payload = enroll_payload(community.enroll_code) if community else ENROLL_ANY
    url = deep_link(context.bot.username, payload)
    await reply(
        update,
        who.tr("enroll.in_group"),
        reply_markup=url_button(who.tr("enroll.open_private"), url),
    )


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """The enrollment conversation, then /enroll in groups."""
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND
    conversation = GuidedConversation(
        entry_points=[
            CommandHandler("enroll", enroll_command, filters=private),
            CommandHandler(
                "start", start_with_link, filters=private & filters.Regex(r"^/start\s+(c_|enroll$)")
            ),
            CallbackQueryHandler(start_button, pattern=EnrollStart.matches),
        ],
        states={
            CHOOSE_COMMUNITY: [CallbackQueryHandler(on_community, pattern=EnrollCommunity.matches)],
            NAME: [
                MessageHandler(text & private, on_name),
                CallbackQueryHandler(on_name, pattern=any_of(EnrollTelegramName, EnrollKeep)),
            ],
            TYPE: [CallbackQueryHandler(on_type, pattern=EnrollType.matches)],
            UNIT: [
                MessageHandler(text & private, on_unit),
                CallbackQueryHandler(on_unit, pattern=any_of(EnrollKeep, EnrollSkip)),
            ],
            COMPOUND: [
                MessageHandler(text & private, on_compound),
                CallbackQueryHandler(on_compound, pattern=any_of(EnrollKeep, EnrollSkip)),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CallbackQueryHandler(cancel, pattern=EnrollCancel.matches),
            # a new /enroll restarts the conversation from the top
            CommandHandler("enroll", enroll_command, filters=private),
        ],
        name="enroll",
        conversation_timeout=CONVERSATION_TIMEOUT,
        drafts=(DRAFT,),
        command="enroll",
        allow_reentry=True,
    )
    app.add_handler(conversation)
    app.add_handler(CommandHandler("enroll", enroll_in_group, filters=filters.ChatType.GROUPS))
