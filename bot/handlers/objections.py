"""Objections to the monthly notice: /object (members, a few days after the 1st: an entry,
or a check-in that earned nothing), /objections (keep, correct by button or typed, reopen)."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.forms import FormError, check_length, whole_number
from bot.domain.points import approves_own_points
from bot.domain.tasks import MAX_POINTS
from bot.guided import GuidedConversation
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_text,
    end_conversation,
    form_error_text,
    in_private,
    reply,
    secretary_community,
    secretary_only,
    tell_to_enroll,
)
from bot.i18n import N_
from bot.storage.objections import Objection
from bot.usecases.objections import (
    decide_checkin_objection,
    file_checkin_objection,
    file_objection,
    month_under_notice,
)
from bot.usecases.points import resolve_objection
from bot.views.callbacks import (
    ObjectionCancel,
    ObjectionCheckIn,
    ObjectionCorrectTo,
    ObjectionEntry,
    ObjectionResolve,
    ObjectionsBack,
    ObjectionVerdict,
)
from bot.views.keyboards import choice_row
from bot.views.times import day_text

REASON = 0
POINTS = 0  # the correction's one step: the number of points, by button or typed
PENDING = "objection_entry"
CORRECTING = "objection_correcting"  # the objection whose corrected points are asked
REASON_LIMIT = 200
OBJECTIONS_SHOWN = 8  # at a time: eight of the longest fit in one message
LABELS = {"reason": N_("objection.field.reason")}
CHECKIN_STATUS = {
    "rejected": N_("objection.checkin_rejected"),
    "no_show": N_("objection.checkin_no_show"),
}


async def object_command(update: Update, context: Context) -> int:
    """List my entries of the month under notice, as buttons."""
    who = await caller(update, context)
    if who.member is None:
        await tell_to_enroll(update, who)
        return ConversationHandler.END
    settings = who.services.settings
    notice = month_under_notice(who.services)
    if notice is None:
        await reply(update, who.tr("objection.none_open", days=settings.objection_days))
        return ConversationHandler.END
    month, start, end = notice
    objections = who.services.storage.objections
    entries = await objections.entries_in(who.member.id, start, end)
    check_ins = await objections.checkins_in(who.member.id, start, end)
    if not entries and not check_ins:
        await reply(update, who.tr("objection.no_entries", month=month))
        return ConversationHandler.END
    tz = settings.tz
    rows = [
        [
            InlineKeyboardButton(
                f"{day_text(who.tr, e.served_at, tz)} {e.reason[:20]} {e.points:+d}",
                callback_data=ObjectionEntry(e.id).pack(),
            )
        ]
        for e in entries
    ]
    rows += [
        [
            InlineKeyboardButton(
                f"{day_text(who.tr, c.starts_at, tz)} {c.task_title[:20]}"
                f" · {who.tr.plain(CHECKIN_STATUS[c.status])}",
                callback_data=ObjectionCheckIn(c.signup_id).pack(),
            )
        ]
        for c in check_ins
    ]
    rows.append(
        [InlineKeyboardButton(who.tr("button.cancel"), callback_data=ObjectionCancel().pack())]
    )
    context.user_data[PENDING] = {"month": month}  # type: ignore[index]
    await reply(
        update, who.tr("objection.choose", month=month), reply_markup=InlineKeyboardMarkup(rows)
    )
    return REASON


async def on_entry(update: Update, context: Context) -> int:
    """The entry chosen: ask why."""
    query = update.callback_query
    button = ObjectionEntry.parse(query.data if query else None)
    assert query is not None and button is not None and context.user_data is not None
    who = await caller(update, context)
    await query.answer()
    pending = context.user_data.setdefault(PENDING, {})
    pending.pop("signup_id", None)
    pending["entry_id"] = button.entry_id
    await edit_text(query, who.tr("objection.ask_reason"))
    return REASON


async def on_check_in(update: Update, context: Context) -> int:
    """The check-in that earned nothing chosen: ask why."""
    query = update.callback_query
    button = ObjectionCheckIn.parse(query.data if query else None)
    assert query is not None and button is not None and context.user_data is not None
    who = await caller(update, context)
    await query.answer()
    pending = context.user_data.setdefault(PENDING, {})
    pending.pop("entry_id", None)
    pending["signup_id"] = button.signup_id
    await edit_text(query, who.tr("objection.ask_reason"))
    return REASON


async def on_reason(update: Update, context: Context) -> int:
    """The reason: file the objection."""
    who = await caller(update, context)
    assert update.message is not None and context.user_data is not None
    pending = context.user_data.get(PENDING) or {}
    if who.member is None or not ("entry_id" in pending or "signup_id" in pending):
        return ConversationHandler.END
    try:
        reason = check_length("reason", update.message.text or "", REASON_LIMIT, required=True)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS))
        return REASON
    if "signup_id" in pending:
        answer = await file_checkin_objection(
            who.services, who.member, pending["signup_id"], reason
        )
    else:
        answer = await file_objection(who.services, who.member, pending["entry_id"], reason)
    context.user_data.pop(PENDING, None)
    await reply(update, who.tr(answer))
    return ConversationHandler.END


async def cancel(update: Update, context: Context) -> int:
    """Stop without filing."""
    return await end_conversation(update, context, PENDING, N_("objection.cancelled"))


async def _render(who: Caller, community_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """Open objections with Keep and Correct buttons."""
    items = await who.services.storage.objections.open_in(community_id)
    if not items:
        return who.tr("objection.none"), None
    lines, rows = [who.tr("objection.list_header")], []
    for n, item in enumerate(items[:OBJECTIONS_SHOWN], start=1):
        at = day_text(who.tr, item.entry_at, who.services.settings.tz)
        if item.signup_id is None:
            line, change = N_("objection.line"), N_("objection.correct")
            verdict = ObjectionVerdict.CORRECT
        else:  # a check-in that earned nothing: reopen it (approve it now), or keep
            line, change = N_("objection.line_checkin"), N_("objection.reopen")
            verdict = ObjectionVerdict.REOPEN
        status = CHECKIN_STATUS.get(item.signup_status or "")
        lines.append(
            who.tr(
                line,
                n=n,
                name=item.member_name,
                at=at,
                reason_entry=item.entry_reason,
                points=item.entry_points,
                status=who.tr(status) if status else "",
                reason=item.reason,
            )
        )
        rows.append(
            choice_row(
                (
                    who.tr("objection.keep", n=n),
                    ObjectionResolve(ObjectionVerdict.KEEP, item.id).pack(),
                ),
                (who.tr(change, n=n), ObjectionResolve(verdict, item.id).pack()),
            )
        )
    if len(items) > OBJECTIONS_SHOWN:
        waiting = await who.services.storage.objections.open_count(community_id)
        lines.append(who.tr.plural("objection.more", count=waiting - OBJECTIONS_SHOWN))
    return "\n\n".join(lines), InlineKeyboardMarkup(rows)


async def objections_command(update: Update, context: Context) -> None:
    """The secretary's list of open objections."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is not None:
        text, markup = await _render(who, community_id)
        await reply(update, text, reply_markup=markup)


async def on_resolve(update: Update, context: Context) -> None:
    """Keep, or reopen a check-in objected to; the member is told (Correct is the
    correction step's entry)."""
    query = update.callback_query
    button = ObjectionResolve.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    if button.verdict is ObjectionVerdict.REOPEN:
        item = await who.services.storage.objections.get_open(button.objection_id, community_id)
        answer = N_("callback.stale")
        if item is not None and item.signup_id is not None:
            answer = await decide_checkin_objection(
                who.services, who.user_id, item, community_id, reopen=True
            )
    else:
        answer = await resolve_objection(
            who.services, who.user_id, community_id, button.objection_id, None
        )
    await _resolved(query, who, community_id, answer)


def _correct_button(data: object) -> bool:
    button = ObjectionResolve.parse(data)
    return button is not None and button.verdict is ObjectionVerdict.CORRECT


async def ask_correction(update: Update, context: Context) -> int:
    """Correct: to how many points? A button, or the number typed."""
    query = update.callback_query
    button = ObjectionResolve.parse(query.data if query else None)
    assert query is not None and button is not None and context.user_data is not None
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return ConversationHandler.END
    item = await who.services.storage.objections.get_open(button.objection_id, community_id)
    if item is None or item.signup_id is not None:
        await query.answer(who.tr("callback.stale"), show_alert=True)
        return ConversationHandler.END
    if approves_own_points(who.user_id, item.telegram_id):  # said before the choices
        await query.answer(who.tr.plain("objection.own"), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    context.user_data[CORRECTING] = item.id
    await edit_text(query, *_correction_choices(who, item))
    return POINTS


async def on_typed_points(update: Update, context: Context) -> int:
    """The corrected points, typed: within 0 to MAX_POINTS, else asked again."""
    who = await caller(update, context)
    message = update.effective_message
    objection_id = context.user_data.get(CORRECTING) if context.user_data is not None else None
    if objection_id is None or message is None:
        return ConversationHandler.END
    community_id = await secretary_community(update, who)
    if community_id is None:
        return ConversationHandler.END
    points = whole_number(message.text or "")
    if points is None or points > MAX_POINTS:
        await reply(update, who.tr("objection.error.points", max=MAX_POINTS))
        return POINTS
    context.user_data.pop(CORRECTING, None)  # type: ignore[union-attr]
    answer = await resolve_objection(who.services, who.user_id, community_id, objection_id, points)
    text, markup = await _render(who, community_id)
    await reply(update, who.tr(answer) + "\n\n" + text, reply_markup=markup)
    return ConversationHandler.END


async def leave_correction(update: Update, context: Context) -> int:
    """A button of the choices (a number, or Back), or /cancel: the step is over."""
    if context.user_data is not None:
        context.user_data.pop(CORRECTING, None)
    query = update.callback_query
    if query is None:
        who = await caller(update, context)
        await reply(update, who.tr("objection.cancelled"))
    elif ObjectionCorrectTo.matches(query.data):
        await on_correct_to(update, context)
    else:
        await on_back(update, context)
    return ConversationHandler.END


def _correction_choices(who: Caller, item: Objection) -> tuple[str, InlineKeyboardMarkup]:
    """The corrected number of points to choose, around the entry's own."""
    values = sorted(
        {0, 1, 2, 3, 5, 10, item.entry_points - 1, item.entry_points + 1, item.entry_points * 2}
        - {item.entry_points}
    )
    choices = [v for v in values if 0 <= v <= MAX_POINTS][:12]
    buttons = [
        InlineKeyboardButton(
            who.tr.plain("objection.correct_to", points=v),
            callback_data=ObjectionCorrectTo(item.id, v).pack(),
        )
        for v in choices
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    back = InlineKeyboardButton(who.tr.plain("button.back"), callback_data=ObjectionsBack().pack())
    rows.append([back])
    text = who.tr(
        "objection.correct_ask",
        name=item.member_name,
        entry=item.entry_reason,
        points=item.entry_points,
        max=MAX_POINTS,
    )
    return text, InlineKeyboardMarkup(rows)


async def on_correct_to(update: Update, context: Context) -> None:
    """The corrected number chosen: the correction entry, dated in the month it corrects."""
    query = update.callback_query
    button = ObjectionCorrectTo.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    answer = await resolve_objection(
        who.services, who.user_id, community_id, button.objection_id, button.points
    )
    await _resolved(query, who, community_id, answer)


async def on_back(update: Update, context: Context) -> None:
    """Back to the list of objections."""
    query = update.callback_query
    assert query is not None
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    await query.answer()
    text, markup = await _render(who, community_id)
    await edit_text(query, text, markup)


async def _resolved(query: CallbackQuery, who: Caller, community_id: int, answer: str) -> None:
    if answer != N_("review.done"):  # stale, or the secretary's own objection
        await query.answer(who.tr.plain(answer), show_alert=True)
        return
    await query.answer(who.tr(answer))
    text, markup = await _render(who, community_id)
    await edit_text(query, text, markup)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/object (a conversation in private) and /objections with its buttons."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        GuidedConversation(
            entry_points=[CommandHandler("object", object_command, filters=private)],
            states={
                REASON: [
                    CallbackQueryHandler(on_entry, pattern=ObjectionEntry.matches),
                    CallbackQueryHandler(on_check_in, pattern=ObjectionCheckIn.matches),
                    MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_reason),
                ]
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(cancel, pattern=ObjectionCancel.matches),
            ],
            name="object",
            conversation_timeout=30 * 60,
            drafts=(PENDING,),
            command="object",
            allow_reentry=True,
        )
    )
    app.add_handler(
        GuidedConversation(
            entry_points=[
                CallbackQueryHandler(secretary_only(ask_correction), pattern=_correct_button)
            ],
            states={
                POINTS: [MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_typed_points)]
            },
            fallbacks=[
                CallbackQueryHandler(
                    secretary_only(leave_correction), pattern=ObjectionCorrectTo.matches
                ),
                CallbackQueryHandler(
                    secretary_only(leave_correction), pattern=ObjectionsBack.matches
                ),
                CommandHandler("cancel", leave_correction),
            ],
            name="objection_correct",
            conversation_timeout=10 * 60,
            drafts=(CORRECTING,),
            command="objections",
            allow_reentry=True,
        )
    )
    app.add_handler(CommandHandler("objections", secretary_only(in_private(objections_command))))
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_resolve), pattern=ObjectionResolve.matches)
    )
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_correct_to), pattern=ObjectionCorrectTo.matches)
    )
    app.add_handler(CallbackQueryHandler(secretary_only(on_back), pattern=ObjectionsBack.matches))
