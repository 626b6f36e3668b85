"""/wish, /wishes, /mywishes and the wish wall's buttons (心愿征集墙 / 微心愿)."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
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
from bot.domain.wishes import MAX_PENDING_WISHES
from bot.guided import GuidedConversation
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_markup,
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
from bot.usecases.wishes import (
    approve_wish,
    claim_wish,
    confirm_wish,
    decline_wish,
    make_wish,
    may_make_wish,
    release_wish,
    reopen_wish,
    wish_of_community,
)
from bot.views.callbacks import (
    WishAction,
    WishButton,
    WishCancel,
    WishesMinePage,
    WishPhoto,
    WishReview,
    WishStep,
    WishVerdict,
    WishWallPage,
)
from bot.views.keyboards import choice_row, label_part, pager
from bot.views.wish_card import MINE_PAGE, my_wishes_page

WISH_LIMIT = 200
COMPOUND_LIMIT = 40
LABELS = {"text": N_("wish.field.text"), "compound": N_("wish.field.compound")}
TEXT, PHOTO, COMPOUND = range(3)
STEP_PHOTO, STEP_COMPOUND = "photo", "compound"
DRAFT = "wish_draft"
CONVERSATION_TIMEOUT = 30 * 60
WALL_SIZE = 8  # wishes a page of /wishes: those waiting for a secretary first
NOTE_ON_WALL = 120  # characters of a claimant's note shown on the wall (all of it on the photo)
DECLINE_REASONS = {
    WishVerdict.NOT_A_WISH: N_("wish.reason.scope"),
    WishVerdict.INCOMPLETE: N_("wish.reason.info"),
    WishVerdict.ALREADY_HELPED: N_("wish.reason.solved"),
}


async def wish_command(update: Update, context: Context) -> int:
    """/wish <text>: a resident's small wish at once (a secretary's: one collected on paper);
    /wish alone: step by step (the text, then an optional photo and compound)."""
    who = await caller(update, context)
    community_id = await _community_of(who)
    if community_id is None:
        await tell_to_enroll(update, who)
        return ConversationHandler.END
    if not context.args:
        if not await may_make_wish(who.services, who.user_id, community_id):
            await reply(update, who.tr("wish.too_many_pending", limit=MAX_PENDING_WISHES))
            return ConversationHandler.END
        _draft(context).clear()
        _draft(context)["community_id"] = community_id
        await reply(update, who.tr("wish.ask_text", limit=WISH_LIMIT), reply_markup=_cancel(who))
        return TEXT
    try:
        text = check_length("text", " ".join(context.args), WISH_LIMIT, required=True)
    except FormError as exc:
        usage = who.tr("wish.usage", limit=WISH_LIMIT)
        await reply(update, form_error_text(who.tr, exc, LABELS) + "\n" + usage)
        return ConversationHandler.END
    await _make(update, who, community_id, text, "", None)
    return ConversationHandler.END


def _draft(context: Context) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = context.user_data.setdefault(DRAFT, {})
    return draft


def _cancel(who: Caller, skip: WishStep | None = None) -> InlineKeyboardMarkup:
    row = (
        [InlineKeyboardButton(who.tr.plain("button.skip"), callback_data=skip.pack())]
        if skip
        else []
    )
    row.append(
        InlineKeyboardButton(who.tr.plain("button.cancel"), callback_data=WishCancel().pack())
    )
    return InlineKeyboardMarkup([row])


async def on_text(update: Update, context: Context) -> int:
    """The wish, in the member's words."""
    who = await caller(update, context)
    message = update.effective_message
    try:
        text = check_length(
            "text", (message.text or "") if message else "", WISH_LIMIT, required=True
        )
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS), reply_markup=_cancel(who))
        return TEXT
    _draft(context)["text"] = text
    await reply(update, who.tr("wish.ask_photo"), reply_markup=_cancel(who, WishStep(STEP_PHOTO)))
    return PHOTO


async def on_photo(update: Update, context: Context) -> int:
    """A photo of what needs doing (or Skip)."""
    who = await caller(update, context)
    message = update.effective_message
    if message is not None and message.photo:
        _draft(context)["photo"] = message.photo[-1].file_id  # the largest size
    elif update.callback_query:
        await update.callback_query.answer()
        await edit_markup(update.callback_query)
    key, markup = "wish.ask_compound", _cancel(who, WishStep(STEP_COMPOUND))
    await reply(update, who.tr(key), reply_markup=markup)
    return COMPOUND


async def on_photo_text(update: Update, context: Context) -> int:
    """Words where a photo was asked for: a photo, or Skip."""
    who = await caller(update, context)
    await reply(
        update, who.tr("wish.photo_or_skip"), reply_markup=_cancel(who, WishStep(STEP_PHOTO))
    )
    return PHOTO


async def on_compound(update: Update, context: Context) -> int:
    """Where (the compound; optional), and the wish is made."""
    who = await caller(update, context)
    compound = ""
    if update.callback_query:
        await update.callback_query.answer()
        await edit_markup(update.callback_query)
    elif update.effective_message is not None:
        try:
            compound = check_length(
                "compound", update.effective_message.text or "", COMPOUND_LIMIT, required=False
            )
        except FormError as exc:
            markup = _cancel(who, WishStep(STEP_COMPOUND))
            await reply(update, form_error_text(who.tr, exc, LABELS), reply_markup=markup)
            return COMPOUND
    draft = _draft(context)
    if "text" not in draft or "community_id" not in draft:  # a stale step after a restart
        await reply(update, who.tr("wish.usage", limit=WISH_LIMIT))
        return ConversationHandler.END
    await _make(update, who, draft["community_id"], draft["text"], compound, draft.get("photo"))
    draft.clear()
    return ConversationHandler.END


async def _make(
    update: Update, who: Caller, community_id: int, text: str, compound: str, photo: str | None
) -> None:
    made = await make_wish(who.services, who.user_id, community_id, text, compound, photo)
    await reply(update, who.tr(made.key, number=made.number, limit=MAX_PENDING_WISHES))


async def cancel(update: Update, context: Context) -> int:
    """Cancel the guided /wish: nothing is saved."""
    return await end_conversation(update, context, DRAFT, N_("wish.cancelled"))


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


async def _wall(
    who: Caller, community_id: int, requested: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A page of the wall: those waiting for a secretary first, every wish on some page."""
    storage, states = who.services.storage, ("pending", "done", "open", "claimed")
    page = page_of(await storage.wishes.count_in(community_id, states), requested, WALL_SIZE)
    wishes = await storage.wishes.in_community(community_id, states, page.size, page.offset)
    if not wishes:
        return who.tr("wish.none"), None
    header = who.tr("wish.header")
    if page.count > 1:
        header += f" ({page.number + 1}/{page.count})"
    lines, rows = [header], []
    for wish in wishes:
        status = who.tr(f"wish.status.{wish.status}", name=wish.claimant_name or "")
        line = who.tr("wish.line", number=wish.id, text=wish.text, status=status)
        if wish.compound:
            line += "\n" + who.tr("wish.card_compound", compound=wish.compound)
        if wish.proof_note:  # the claimant's words on the work done (17.16), cut to fit
            note = label_part(wish.proof_note, NOTE_ON_WALL)
            line += "\n" + who.tr("wish.proof_note_line", note=note)
        lines.append(line)
        if wish.photo_file_id or wish.proof_file_id:
            label = who.tr.plain("wish.photos", number=wish.id)
            rows.append(choice_row((label, WishPhoto(wish.id).pack())))
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
        if wish.status in ("claimed", "done"):
            reopen = (
                who.tr.plain("wish.reopen", number=wish.id),
                WishReview(WishVerdict.REOPEN, wish.id).pack(),
            )
            if wish.status == "done":
                label = who.tr.plain("wish.confirm", number=wish.id)
                confirm = (label, WishReview(WishVerdict.CONFIRM, wish.id).pack())
                rows.append(choice_row(confirm, reopen))
            else:
                rows.append(choice_row(reopen))
    rows.append(pager(who.tr, page, WishWallPage))
    rows = [row for row in rows if row]
    return "\n\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


async def on_wall_page(update: Update, context: Context) -> None:
    """Another page of the secretaries' wall."""
    query = update.callback_query
    button = WishWallPage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    await query.answer()
    if community_id is None:
        return
    text, markup = await _wall(who, community_id, button.page)
    await edit_text(query, text, markup)


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
    if button.verdict is WishVerdict.CONFIRM:
        answer = await confirm_wish(services, who.user_id, community_id, button.wish_id)
    else:
        if button.verdict is WishVerdict.APPROVE:
            done = await approve_wish(services, community_id, button.wish_id)
        elif button.verdict is WishVerdict.REOPEN:
            done = await reopen_wish(services, community_id, button.wish_id)
        else:
            reason = DECLINE_REASONS[button.verdict]
            done = await decline_wish(services, community_id, button.wish_id, reason)
        answer = N_("review.done") if done else N_("callback.stale")
    await query.answer(who.tr.plain(answer), show_alert=answer != N_("review.done"))
    if answer == N_("wish.confirm_own"):
        return  # nothing changed on the wall
    text, markup = await _wall(who, community_id)
    await edit_text(query, text, markup)


async def on_wish_button(update: Update, context: Context) -> None:
    """Claim (on the card) or release (in /mywishes); Done is the proof step's entry."""
    query = update.callback_query
    button = WishButton.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    if who.member is None:
        await query.answer(who.tr.plain("wish.enroll_to_claim"), show_alert=True)
        return
    services, member = who.services, who.member
    if button.action is WishAction.CLAIM:
        answer = await claim_wish(services, member, button.wish_id, _card_tapped(query, button))
        # every card of the wish shows who took it on (edited through the outbox)
        await query.answer(who.tr.plain(answer), show_alert=True)
        return
    done = await release_wish(services, member, button.wish_id)
    await query.answer(
        who.tr.plain("review.done" if done else "callback.stale"), show_alert=not done
    )
    page = await who.services.storage.wishes.claimed_before(member.id, button.wish_id)
    text, markup = await my_wishes_page(services, who.tr, member, page // MINE_PAGE)
    await edit_text(query, text, markup)


def _card_tapped(query: CallbackQuery, button: WishButton) -> tuple[int, int] | None:
    """The chat and message of the wish's card the member tapped; None when the message does
    not carry this Claim button (forged data must not make another message a wish card)."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return None
    data = button.pack()
    carried = any(
        b.callback_data == data for row in message.reply_markup.inline_keyboard for b in row
    )
    return (message.chat.id, message.message_id) if carried else None


async def on_photo_button(update: Update, context: Context) -> None:
    """A secretary sees a wish's photos: the resident's, and the claimant's proof."""
    query = update.callback_query
    button = WishPhoto.parse(query.data if query else None)
    assert query is not None and button is not None
    who = await caller(update, context)
    community_id = await secretary_community(update, who)
    if community_id is None:
        return
    wish = await wish_of_community(who.services, community_id, button.wish_id)
    chat = update.effective_chat
    if wish is None or chat is None:
        await query.answer(who.tr.plain("callback.stale"), show_alert=True)
        return
    await query.answer()
    proof = who.tr("wish.proof_caption", number=wish.id)
    if wish.proof_note:  # the claimant's words with their photo (17.16)
        proof += "\n" + who.tr("wish.proof_note_line", note=wish.proof_note)
    shown = (
        (wish.photo_file_id, who.tr("wish.photo_caption", number=wish.id)),
        (wish.proof_file_id, proof),
    )
    for file_id, caption in shown:
        if file_id:
            await chat.send_photo(file_id, caption=caption)


async def mywishes_command(update: Update, context: Context) -> None:
    """The wishes I took on, with Release and Done, a page at a time."""
    who = await caller(update, context)
    if who.member is None:
        await tell_to_enroll(update, who)
        return
    text, markup = await my_wishes_page(who.services, who.tr, who.member, 0)
    await reply(update, text, reply_markup=markup)


async def on_mine_page(update: Update, context: Context) -> None:
    """Prev / Next in /mywishes."""
    query = update.callback_query
    button = WishesMinePage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    await query.answer()
    if who.member is None:
        return
    text, markup = await my_wishes_page(who.services, who.tr, who.member, button.page)
    await edit_text(query, text, markup)


def _claim_or_release(data: object) -> bool:
    """The pattern of Claim and Release (Done starts the proof step, in wish_steps)."""
    button = WishButton.parse(data)
    return button is not None and button.action in (WishAction.CLAIM, WishAction.RELEASE)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/wish and /mywishes for everyone, /wishes for secretaries, and the buttons."""
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND & private
    app.add_handler(
        GuidedConversation(
            entry_points=[CommandHandler("wish", wish_command, filters=private)],
            states={
                TEXT: [MessageHandler(text, on_text)],
                PHOTO: [
                    MessageHandler(filters.PHOTO & private, on_photo),
                    MessageHandler(text, on_photo_text),
                    CallbackQueryHandler(on_photo, pattern=WishStep(STEP_PHOTO).pack()),
                ],
                COMPOUND: [
                    MessageHandler(text, on_compound),
                    CallbackQueryHandler(on_compound, pattern=WishStep(STEP_COMPOUND).pack()),
                ],
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CallbackQueryHandler(cancel, pattern=WishCancel.matches),
                CommandHandler("wish", wish_command, filters=private),
            ],
            name="wish",
            conversation_timeout=CONVERSATION_TIMEOUT,
            drafts=(DRAFT,),
            command="wish",
            allow_reentry=True,
        )
    )
    app.add_handler(CommandHandler("mywishes", mywishes_command, filters=private))
    app.add_handler(CallbackQueryHandler(on_mine_page, pattern=WishesMinePage.matches))
    app.add_handler(CommandHandler("wishes", secretary_only(in_private(wishes_command))))
    app.add_handler(CallbackQueryHandler(secretary_only(on_review), pattern=WishReview.matches))
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_wall_page), pattern=WishWallPage.matches)
    )
    app.add_handler(CallbackQueryHandler(on_wish_button, pattern=_claim_or_release))
    app.add_handler(
        CallbackQueryHandler(secretary_only(on_photo_button), pattern=WishPhoto.matches)
    )
