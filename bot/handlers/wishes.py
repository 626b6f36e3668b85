"""/wish, /wishes, /mywishes and the wish wall's buttons (心愿征集墙 / 微心愿)."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.forms import FormError, check_length
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_text,
    form_error_text,
    in_private,
    reply,
    secretary_community,
    secretary_only,
    tell_to_enroll,
)
from bot.i18n import N_
from bot.usecases.wishes import (
    approve_wish,
    claim_wish,
    confirm_wish,
    decline_wish,
    finish_wish,
    make_wish,
    release_wish,
)
from bot.views.callbacks import WishAction, WishButton, WishReview, WishVerdict
from bot.views.keyboards import choice_row

WISH_LIMIT = 200
LABELS = {"text": N_("wish.field.text")}
DECLINE_REASONS = {
    WishVerdict.NOT_A_WISH: N_("wish.reason.scope"),
    WishVerdict.INCOMPLETE: N_("wish.reason.info"),
    WishVerdict.ALREADY_HELPED: N_("wish.reason.solved"),
}


async def wish_command(update: Update, context: Context) -> None:
    """/wish <text>: a resident's small wish (a secretary's: one collected on paper)."""
    who = await caller(update, context)
    community_id = await _community_of(who)
    if community_id is None:
        await tell_to_enroll(update, who)
        return
    try:
        text = check_length("text", " ".join(context.args or []), WISH_LIMIT, required=True)
    except FormError as exc:
        usage = who.tr("wish.usage", limit=WISH_LIMIT)
        await reply(update, form_error_text(who.tr, exc, LABELS) + "\n" + usage)
        return
    author = None if who.secretary is not None else who.user_id  # on paper: nobody to tell
    number = await make_wish(who.services, community_id, author, text)
    await reply(update, who.tr("wish.received", number=number))


async def _community_of(who: Caller) -> int | None:
    """The member's community, the secretary's, or the only one there is."""
    if who.member is not None:
        return who.member.community_id
    if who.secretary is not None and who.secretary.community_id is not None:
        return who.secretary.community_id
    communities = await who.services.storage.communities.list_all()
    return communities[0].id if len(communities) == 1 else None


async def wishes_command(update: Update, context: Context) -> None:
    """Wishes waiting for a decision or a confirmation, with their buttons."""
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    text, markup = await _wall(who, community_id)
    await reply(update, text, reply_markup=markup)


async def _wall(who: Caller, community_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    wishes = await who.services.storage.wishes.in_community(
        community_id, ("pending", "done", "open", "claimed")
    )
    if not wishes:
        return who.tr("wish.none"), None
    lines, rows = [who.tr("wish.header")], []
    for wish in wishes:
        status = who.tr(f"wish.status.{wish.status}", name=wish.claimant_name or "")
        lines.append(who.tr("wish.line", number=wish.id, text=wish.text, status=status))
        if wish.status == "pending":
            rows.append(
                choice_row(
                    (
                        who.tr.plain("wish.approve", number=wish.id),
                        WishReview(WishVerdict.APPROVE, wish.id).pack(),
                    ),
                    *[
                        (who.tr.plain(key), WishReview(reason, wish.id).pack())
                        for reason, key in DECLINE_REASONS.items()
                    ],
                )
            )
        elif wish.status == "done":
            label = who.tr.plain("wish.confirm", number=wish.id)
            rows.append(choice_row((label, WishReview(WishVerdict.CONFIRM, wish.id).pack())))
    return "\n\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


async def on_review(update: Update, context: Context) -> None:
    """Approve, decline with a reason, or confirm a done wish."""
    query = update.callback_query
    button = WishReview.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    services = who.services
    if button.verdict is WishVerdict.APPROVE:
        done = await approve_wish(services, community_id, button.wish_id)
    elif button.verdict is WishVerdict.CONFIRM:
        done = await confirm_wish(services, who.user_id, community_id, button.wish_id)
    else:
        reason = who.tr.plain(DECLINE_REASONS[button.verdict])
        done = await decline_wish(services, community_id, button.wish_id, reason)
    await query.answer(
        who.tr.plain("review.done" if done else "callback.stale"), show_alert=not done
    )
    text, markup = await _wall(who, community_id)
    await query.edit_message_text(text, reply_markup=markup)


async def on_wish_button(update: Update, context: Context) -> None:
    """Claim (on the card), release or mark done (in /mywishes)."""
    query = update.callback_query
    button = WishButton.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    if who.member is None:
        await query.answer(who.tr.plain("member.enroll_first"), show_alert=True)
        return
    services, member = who.services, who.member
    if button.action is WishAction.CLAIM:
        claimed = await claim_wish(services, member, button.wish_id)
        await query.answer(
            who.tr.plain("wish.claimed" if claimed else "wish.taken"), show_alert=True
        )
        wish = await services.storage.wishes.get(button.wish_id)
        if claimed and wish is not None:  # the card shows who took it on
            group_tr = services.translations.get(
                await services.storage.groups.language(query.message.chat.id)
                if query.message
                else None
            )
            text = group_tr("wish.card", number=wish.id, text=wish.text)
            text += "\n" + group_tr("wish.card_claimed", name=member.name)
            await edit_text(query, text)
        return
    if button.action is WishAction.RELEASE:
        done = await release_wish(services, member, button.wish_id)
    else:
        done = await finish_wish(services, member, button.wish_id)
    await query.answer(
        who.tr.plain("review.done" if done else "callback.stale"), show_alert=not done
    )
    text, markup = await _mine(who)
    await query.edit_message_text(text, reply_markup=markup)


async def _answer(query: CallbackQuery, who: Caller, done: bool) -> None:
    """The pop-up after a tap: done, or the button was stale (already decided)."""
    await query.answer(
        who.tr.plain("review.done" if done else "callback.stale"), show_alert=not done
    )


async def mywishes_command(update: Update, context: Context) -> None:
    """The wishes I took on, with Release and Done."""
    who = await caller(update, context)
    if who.member is None:
        await tell_to_enroll(update, who)
        return
    text, markup = await _mine(who)
    await reply(update, text, reply_markup=markup)


async def _mine(who: Caller) -> tuple[str, InlineKeyboardMarkup | None]:
    assert who.member is not None
    wishes = await who.services.storage.wishes.claimed_by(who.member.id)
    if not wishes:
        return who.tr("wish.mine_none"), None
    lines, rows = [who.tr("wish.mine_header")], []
    for wish in wishes:
        status = who.tr(f"wish.status.{wish.status}", name=who.member.name)
        lines.append(who.tr("wish.line", number=wish.id, text=wish.text, status=status))
        if wish.status == "claimed":
            rows.append(
                [
                    InlineKeyboardButton(
                        who.tr.plain("wish.done", number=wish.id),
                        callback_data=WishButton(WishAction.DONE, wish.id).pack(),
                    ),
                    InlineKeyboardButton(
                        who.tr.plain("wish.release", number=wish.id),
                        callback_data=WishButton(WishAction.RELEASE, wish.id).pack(),
                    ),
                ]
            )
    return "\n\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/wish and /mywishes for everyone, /wishes for secretaries, and the buttons."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("wish", wish_command, filters=private))
    app.add_handler(CommandHandler("mywishes", mywishes_command, filters=private))
    app.add_handler(CommandHandler("wishes", secretary_only(in_private(wishes_command))))
    app.add_handler(CallbackQueryHandler(secretary_only(on_review), pattern=WishReview.matches))
    app.add_handler(CallbackQueryHandler(on_wish_button, pattern=WishButton.matches))
