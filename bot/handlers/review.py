"""/review: secretaries approve or reject check-ins, page by page (一周一审核), and reopen a
rejected one (approve it after all)."""

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

from bot.domain.forms import FormError, check_length
from bot.domain.paging import page_of
from bot.domain.timeutil import to_db
from bot.guided import GuidedConversation
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_text,
    form_error_text,
    in_private,
    reply,
    secretary_only,
)
from bot.i18n import N_
from bot.usecases.objections import reopen_check_in, reopen_horizon
from bot.usecases.task_signups import Rejection, Review, review_check_in
from bot.views.callbacks import (
    RejectReason,
    ReviewDecision,
    ReviewPage,
    ReviewReject,
    ReviewRejected,
    ReviewReopen,
    Verdict,
)
from bot.views.keyboards import choice_row, label_part, pager
from bot.views.times import moment_text

PAGE_SIZE = 5
REASON_LIMIT = 60
WORDS = 0  # the one state: waiting for the secretary's words
OTHER_REASON = "review_other_reason"  # (check-in, page) the words are for
REJECT_REASONS = {
    RejectReason.ABSENT: N_("review.reason.absent"),
    RejectReason.PROOF: N_("review.reason.proof"),
    RejectReason.DUPLICATE: N_("review.reason.duplicate"),
    RejectReason.OTHER: N_("review.reason.other"),
}


async def _page(who: Caller, number: int) -> tuple[str, InlineKeyboardMarkup | None]:
    assert who.secretary is not None
    community_id = who.secretary.community_id
    if community_id is None:
        return who.tr("group.needs_community"), None
    signups = who.services.storage.signups
    page = page_of(await signups.pending_count(community_id), number, PAGE_SIZE)
    items = await signups.pending(community_id, page.offset, page.size)
    reopen = await _rejected_row(who, community_id)
    if not items:
        return who.tr("review.none"), InlineKeyboardMarkup([reopen]) if reopen else None
    lines = [who.tr("review.header", page=page.number + 1, pages=page.count)]
    rows = []
    names = [item.member_name for item in items]
    for n, item in enumerate(items, start=page.offset + 1):
        # The buttons name whom they act on (the data carries the check-in): a tap after
        # the list moved still acts on the person named, or is answered as already done.
        who_label = label_part(item.member_name)
        if names.count(item.member_name) > 1:  # one member twice on the page: say which task
            who_label = f"{who_label} · {label_part(item.task_title, 8)}"
        method = who.tr("review.by_qr" if item.checkin_method == "qr" else "review.by_button")
        lines.append(
            who.tr(
                "review.line",
                n=n,
                name=item.member_name,
                title=item.task_title,
                points=item.points,
                at=moment_text(who.tr, item.checked_in_at, who.services.settings.tz),
                method=method,
            )
        )
        rows.append(
            choice_row(
                (
                    who.tr.plain("review.approve", name=who_label),
                    ReviewDecision(Verdict.APPROVE, item.signup_id, page.number).pack(),
                ),
                (
                    who.tr.plain("review.reject", name=who_label),
                    ReviewDecision(Verdict.REJECT, item.signup_id, page.number).pack(),
                ),
            )
        )
    rows.append(pager(who.tr, page, ReviewPage))
    rows.append(reopen)
    return "\n\n".join(lines), InlineKeyboardMarkup([r for r in rows if r])


async def _rejected_row(who: Caller, community_id: int) -> list[InlineKeyboardButton]:
    """The way to the rejected check-ins that may still be reopened, when there are any."""
    since = to_db(reopen_horizon(who.services))
    count = await who.services.storage.signups.rejected_count(community_id, since)
    if not count:
        return []
    label = who.tr.plain("review.rejected_button", count=count)
    return [InlineKeyboardButton(label, callback_data=ReviewRejected(0).pack())]


def _rejection_text(who: Caller, stored: str) -> str:
    """The reason a check-in was rejected, as stored (``code`` or ``code: words``)."""
    code, _, words = stored.partition(": ")
    if words:
        return words
    reason = RejectReason(code) if code in RejectReason._value2member_map_ else None
    return who.tr(REJECT_REASONS[reason]) if reason else code


async def _rejected_page(who: Caller, number: int) -> tuple[str, InlineKeyboardMarkup]:
    """Rejected check-ins of this month (and of the month under notice while objections
    are open), each with a button that approves it after all."""
    assert who.secretary is not None and who.secretary.community_id is not None
    community_id = who.secretary.community_id
    signups = who.services.storage.signups
    since = to_db(reopen_horizon(who.services))
    page = page_of(await signups.rejected_count(community_id, since), number, PAGE_SIZE)
    items = await signups.rejected(community_id, since, page.offset, page.size)
    back = [InlineKeyboardButton(who.tr("button.back"), callback_data=ReviewPage(0).pack())]
    if not items:
        return who.tr("review.rejected_none"), InlineKeyboardMarkup([back])
    lines = [who.tr("review.rejected_header", page=page.number + 1, pages=page.count)]
    rows = []
    tz = who.services.settings.tz
    for n, item in enumerate(items, start=page.offset + 1):
        lines.append(
            who.tr(
                "review.rejected_line",
                n=n,
                name=item.member_name,
                title=item.task_title,
                points=item.points,
                at=moment_text(who.tr, item.starts_at, tz),
                reason=_rejection_text(who, item.reject_reason),
            )
        )
        label = who.tr.plain("review.reopen", name=item.member_name[:20])
        rows.append(choice_row((label, ReviewReopen(item.signup_id, page.number).pack())))
    rows.append(pager(who.tr, page, ReviewRejected))
    rows.append(back)
    return "\n\n".join(lines), InlineKeyboardMarkup([r for r in rows if r])


async def on_rejected(update: Update, context: Context) -> None:
    """The rejected check-ins, a page of them."""
    query = update.callback_query
    button = ReviewRejected.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    if who.secretary is None or who.secretary.community_id is None:
        await query.answer(who.tr.plain("callback.stale"), show_alert=True)
        return
    await query.answer()
    await edit_text(query, *await _rejected_page(who, button.page))


async def on_reopen(update: Update, context: Context) -> None:
    """Reopen a rejected check-in: approved now (the use case decides whether it may be)."""
    query = update.callback_query
    button = ReviewReopen.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    if who.secretary is None or who.secretary.community_id is None:
        await query.answer(who.tr.plain("callback.stale"), show_alert=True)
        return
    community_id = who.secretary.community_id
    answer = await reopen_check_in(who.services, who.user_id, community_id, button.signup_id)
    await query.answer(who.tr.plain(answer), show_alert=answer != N_("review.done"))
    await edit_text(query, *await _rejected_page(who, button.page))


async def review_command(update: Update, context: Context) -> None:
    """The first page of pending check-ins."""
    who = await caller(update, context)
    text, markup = await _page(who, 0)
    await reply(update, text, reply_markup=markup)


async def on_page(update: Update, context: Context) -> None:
    """Turn the page."""
    query = update.callback_query
    button = ReviewPage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    await query.answer()
    text, markup = await _page(who, button.page)
    await edit_text(query, text, markup)


async def _own_check_in(query: CallbackQuery, who: Caller, signup_id: int) -> bool:
    """True when the check-in is in the secretary's community; else answered."""
    community = await who.services.storage.signups.signup_community(signup_id)
    if who.secretary is None or community != who.secretary.community_id:
        await query.answer(who.tr.plain("callback.stale"), show_alert=True)
        return False
    return True


async def _still_pending(query: CallbackQuery, who: Caller, signup_id: int) -> bool:
    """True when the check-in still waits; else a stale tap, answered and nothing changed
    (not even the page: it may already show the list as it is, and an edit to the same
    content is refused by Telegram)."""
    if await who.services.storage.signups.pending_task(signup_id) is not None:
        return True
    await query.answer(who.tr.plain(Review.ALREADY), show_alert=True)
    return False


async def on_decision(update: Update, context: Context) -> None:
    """Approve, or ask for the reason to reject."""
    query = update.callback_query
    button = ReviewDecision.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    if not await _own_check_in(query, who, button.signup_id):
        return
    if not await _still_pending(query, who, button.signup_id):
        return
    if button.verdict is Verdict.REJECT:
        await query.answer()
        rows = [
            [
                InlineKeyboardButton(
                    who.tr(key),
                    callback_data=ReviewReject(button.signup_id, button.page, reason).pack(),
                )
            ]
            for reason, key in REJECT_REASONS.items()
        ]
        back = ReviewPage(button.page).pack()
        rows.append([InlineKeyboardButton(who.tr("button.back"), callback_data=back)])
        await edit_text(query, who.tr("review.ask_reason"), InlineKeyboardMarkup(rows))
        return
    await _decide(query, who, button.signup_id, None)
    text, markup = await _page(who, button.page)
    await edit_text(query, text, markup)


async def on_reject(update: Update, context: Context) -> None:
    """Reject with the reason chosen."""
    query = update.callback_query
    button = ReviewReject.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    if not await _own_check_in(query, who, button.signup_id):
        return
    await _decide(query, who, button.signup_id, button.reason)
    text, markup = await _page(who, button.page)
    await edit_text(query, text, markup)


async def _decide(
    query: CallbackQuery, who: Caller, signup_id: int, reason: RejectReason | None
) -> None:
    rejection = None if reason is None else Rejection(reason.value, REJECT_REASONS[reason])
    outcome = await review_check_in(who.services, who.user_id, signup_id, rejection)
    await query.answer(who.tr(outcome), show_alert=outcome is not Review.DONE)


def _named_reason(data: object) -> bool:
    return ReviewReject.matches(data) and not _other_reason(data)


def _other_reason(data: object) -> bool:
    button = ReviewReject.parse(data)
    return button is not None and button.reason is RejectReason.OTHER


async def ask_other_reason(update: Update, context: Context) -> int:
    """Other reason: the secretary writes it, in one message."""
    query = update.callback_query
    button = ReviewReject.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    if who.secretary is None or not await _own_check_in(query, who, button.signup_id):
        return ConversationHandler.END
    if not await _still_pending(query, who, button.signup_id):
        return ConversationHandler.END
    assert context.user_data is not None
    context.user_data[OTHER_REASON] = (button.signup_id, button.page)
    await query.answer()
    back = InlineKeyboardButton(who.tr("button.back"), callback_data=ReviewPage(button.page).pack())
    markup = InlineKeyboardMarkup([[back]])
    await edit_text(query, who.tr("review.ask_words", limit=REASON_LIMIT), markup)
    return WORDS


async def on_other_reason(update: Update, context: Context) -> int:
    """The words: the check-in is rejected with them, and the page shown again."""
    who = await caller(update, context)
    message = update.effective_message
    pending = context.user_data.get(OTHER_REASON) if context.user_data is not None else None
    if pending is None or message is None:
        return ConversationHandler.END
    try:
        words = check_length("reason", message.text or "", REASON_LIMIT, required=True)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, {"reason": N_("review.field.reason")}))
        return WORDS
    signup_id, page = pending
    context.user_data.pop(OTHER_REASON, None)  # type: ignore[union-attr]
    rejection = Rejection(RejectReason.OTHER.value, REJECT_REASONS[RejectReason.OTHER], words)
    outcome = await review_check_in(who.services, who.user_id, signup_id, rejection)
    text, markup = await _page(who, page)
    await reply(update, who.tr(outcome) + "\n\n" + text, reply_markup=markup)
    return ConversationHandler.END


async def leave_other_reason(update: Update, context: Context) -> int:
    """Back (or /cancel) while the words were awaited: nothing is rejected."""
    if context.user_data is not None:
        context.user_data.pop(OTHER_REASON, None)
    if update.callback_query:
        await on_page(update, context)
    else:
        who = await caller(update, context)
        await reply(update, who.tr("review.words_cancelled"))
    return ConversationHandler.END


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/review and its buttons (the words for "other reason" first: Back ends them)."""
    private = filters.ChatType.PRIVATE
    app.add_handler(
        GuidedConversation(
            entry_points=[
                CallbackQueryHandler(secretary_only(ask_other_reason), pattern=_other_reason)
            ],
            states={
                WORDS: [MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_other_reason)]
            },
            fallbacks=[
                CallbackQueryHandler(
                    secretary_only(leave_other_reason), pattern=ReviewPage.matches
                ),
                CommandHandler("cancel", leave_other_reason),
            ],
            name="review_reason",
            conversation_timeout=10 * 60,
            drafts=(OTHER_REASON,),
            command="review",
        )
    )
    app.add_handler(CommandHandler("review", secretary_only(in_private(review_command))))
    app.add_handler(CallbackQueryHandler(secretary_only(on_page), pattern=ReviewPage.matches))
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_decision), pattern=ReviewDecision.matches)
    )
    # "other reason" is only ever the conversation's: never a rejection without the words
    app.add_handler(CallbackQueryHandler(secretary_only(on_reject), pattern=_named_reason))
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_rejected), pattern=ReviewRejected.matches)
    )
    app.add_handler(CallbackQueryHandler(secretary_only(on_reopen), pattern=ReviewReopen.matches))
