"""/review: secretaries approve or reject check-ins, page by page (一周一审核)."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.paging import page_of
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_text,
    reply,
    require_secretary,
)
from bot.i18n import N_
from bot.usecases.task_signups import review_check_in
from bot.views.keyboards import choice_row, pager

logger = logging.getLogger(__name__)

PAGE_SIZE = 5
REJECT_REASONS = {
    "absent": N_("review.reason.absent"),
    "proof": N_("review.reason.proof"),
    "duplicate": N_("review.reason.duplicate"),
    "other": N_("review.reason.other"),
}


async def _page(who: Caller, number: int) -> tuple[str, InlineKeyboardMarkup | None]:
    assert who.secretary is not None
    community_id = who.secretary.community_id
    if community_id is None:
        return who.tr("group.needs_community"), None
    signups = who.services.storage.signups
    page = page_of(await signups.pending_count(community_id), number, PAGE_SIZE)
    items = await signups.pending(community_id, page.offset, page.size)
    if not items:
        return who.tr("review.none"), None
    lines = [who.tr("review.header", page=page.number + 1, pages=page.count)]
    rows = []
    for n, item in enumerate(items, start=page.offset + 1):
        method = who.tr("review.by_qr" if item.checkin_method == "qr" else "review.by_button")
        lines.append(
            who.tr(
                "review.line",
                n=n,
                name=item.member_name,
                title=item.task_title,
                points=item.points,
                at=item.checked_in_at[:16].replace("T", " "),
                method=method,
            )
        )
        rows.append(
            choice_row(
                (who.tr("review.approve", n=n), f"r1:ok:{item.signup_id}:{page.number}"),
                (who.tr("review.reject", n=n), f"r1:no:{item.signup_id}:{page.number}"),
            )
        )
    rows.append(pager(who.tr, page, "r1:p:"))
    return "\n\n".join(lines), InlineKeyboardMarkup([r for r in rows if r])


async def review_command(update: Update, context: Context) -> None:
    """The first page of pending check-ins."""
    who = await caller(update, context)
    if await require_secretary(update, who) is None:
        return
    text, markup = await _page(who, 0)
    await reply(update, text, reply_markup=markup)


async def on_review(update: Update, context: Context) -> None:
    """Approve, ask for a reject reason, reject with it, or turn the page."""
    query = update.callback_query
    assert query is not None and query.data is not None
    who = await caller(update, context)
    if await require_secretary(update, who) is None:
        return
    parts = query.data.split(":")
    if parts[1] == "p":
        await query.answer()
        text, markup = await _page(who, int(parts[2]))
        await edit_text(query, text, markup)
        return
    signup_id, page = int(parts[2]), int(parts[3])
    signups = who.services.storage.signups
    if await signups.signup_community(signup_id) != (who.secretary and who.secretary.community_id):
        await query.answer(who.tr("callback.stale"), show_alert=True)
        return
    if parts[1] == "no":
        await query.answer()
        rows = [
            [InlineKeyboardButton(who.tr(key), callback_data=f"r1:rj:{signup_id}:{page}:{code}")]
            for code, key in REJECT_REASONS.items()
        ]
        rows.append([InlineKeyboardButton(who.tr("button.back"), callback_data=f"r1:p:{page}")])
        await edit_text(query, who.tr("review.ask_reason"), InlineKeyboardMarkup(rows))
        return
    await _decide(update, context, who, signup_id, parts[4] if parts[1] == "rj" else None)
    text, markup = await _page(who, page)
    await edit_text(query, text, markup)


async def _decide(
    update: Update, context: Context, who: Caller, signup_id: int, reason_code: str | None
) -> None:
    query = update.callback_query
    assert query is not None
    rejection = None if reason_code is None else (reason_code, REJECT_REASONS[reason_code])
    if await review_check_in(who.services, who.user_id, signup_id, rejection):
        await query.answer(who.tr("review.done"))
    else:
        await query.answer(who.tr("review.already"), show_alert=True)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/review and its buttons."""
    app.add_handler(CommandHandler("review", review_command))
    codes = "|".join(REJECT_REASONS)
    app.add_handler(
        CallbackQueryHandler(
            on_review,
            pattern=rf"^r1:(p:\d{{1,6}}|(ok|no):\d{{1,9}}:\d{{1,6}}|rj:\d{{1,9}}:\d{{1,6}}:({codes}))$",
        )
    )
