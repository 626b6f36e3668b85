"""The private steps after a wish is taken on: its proof after Done (a photo, a note, or
both; 17.16), and one message to the other side of the wish through the bot (17.5)."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.forms import FormError, check_length, printable
from bot.domain.wishes import RELAY_PER_DAY
from bot.guided import GuidedConversation
from bot.handlers.common import (
    Caller,
    Context,
    caller,
    edit_text,
    end_conversation,
    form_error_text,
    reply,
)
from bot.i18n import N_
from bot.usecases.wish_relay import relay_message, why_not_relay
from bot.usecases.wishes import add_proof, add_proof_note, finish_wish
from bot.views.callbacks import WishAction, WishButton, WishMessage, WishStepEnd
from bot.views.wish_card import MINE_PAGE, my_wishes_page

STEP = "wish_step"  # user data: the wish of the step ({"wish_id"}, and "claim" for a message)
PROOF, MESSAGE = range(2)
STEP_TIMEOUT = 30 * 60  # seconds a step waits for its answer
NOTE_LIMIT = 200
MESSAGE_LIMIT = 900  # with its heading, a relayed photo's caption stays within 1024
LABELS = {"note": N_("wish.field.note"), "message": N_("wish.field.message")}


def _step(context: Context) -> dict[str, Any]:
    assert context.user_data is not None
    step: dict[str, Any] = context.user_data.setdefault(STEP, {})
    return step


def _end_button(who: Caller, label_key: str) -> InlineKeyboardMarkup:
    label = who.tr.plain(label_key)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=WishStepEnd().pack())]])


def _is_done(data: object) -> bool:
    button = WishButton.parse(data)
    return button is not None and button.action is WishAction.DONE


async def on_done(update: Update, context: Context) -> int | None:
    """Done (in /mywishes): the secretaries are asked to confirm; a photo and a note of the
    work may follow."""
    query = update.callback_query
    button = WishButton.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    if who.member is None:
        await query.answer(who.tr.plain("wish.enroll_to_claim"), show_alert=True)
        return None
    services, member = who.services, who.member
    done = await finish_wish(services, member, button.wish_id)
    await query.answer(
        who.tr.plain("review.done" if done else "callback.stale"), show_alert=not done
    )
    page = await services.storage.wishes.claimed_before(member.id, button.wish_id)
    text, markup = await my_wishes_page(services, who.tr, member, page // MINE_PAGE)
    await edit_text(query, text, markup)
    if not done:
        return None  # a step under way goes on
    step = _step(context)
    step.clear()
    step["wish_id"] = button.wish_id
    ask = who.tr("wish.ask_proof", number=button.wish_id, limit=NOTE_LIMIT)
    await reply(update, ask, reply_markup=_end_button(who, "button.skip"))
    return PROOF


async def on_proof_photo(update: Update, context: Context) -> int:
    """A photo of the work done; its caption, if any, is the note."""
    who = await caller(update, context)
    message = update.effective_message
    assert message is not None and message.photo  # the handler's filter
    try:
        note = check_length("note", message.caption or "", NOTE_LIMIT, required=False)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS))
        return PROOF
    step = _step(context)
    if who.member is None or "wish_id" not in step:
        return await _stale(update, context)
    file_id = message.photo[-1].file_id  # the largest size
    if not await add_proof(who.services, who.member, step["wish_id"], file_id, note):
        return await _stale(update, context)
    step["photo"] = True
    step["note"] = step.get("note") or bool(note)
    return await _proof_next(update, context, who)


async def on_proof_note(update: Update, context: Context) -> int:
    """A few words on the work done ("修好了，换了个阀芯")."""
    who = await caller(update, context)
    message = update.effective_message
    try:
        text = (message.text or "") if message else ""
        note = check_length("note", text, NOTE_LIMIT, required=True)
    except FormError as exc:
        await reply(update, form_error_text(who.tr, exc, LABELS))
        return PROOF
    step = _step(context)
    if who.member is None or "wish_id" not in step:
        return await _stale(update, context)
    if not await add_proof_note(who.services, who.member, step["wish_id"], note):
        return await _stale(update, context)
    step["note"] = True
    return await _proof_next(update, context, who)


async def _proof_next(update: Update, context: Context, who: Caller) -> int:
    """Both a photo and a note: the step is over; one of them: the other may follow."""
    step = _step(context)
    if step.get("photo") and step.get("note"):
        step.clear()
        await reply(update, who.tr("wish.proof_complete"))
        return ConversationHandler.END
    key = "wish.proof_saved" if step.get("photo") else "wish.proof_note_saved"
    await reply(update, who.tr(key), reply_markup=_end_button(who, "button.done"))
    return PROOF


async def _stale(update: Update, context: Context) -> int:
    """The wish is no longer waiting for its proof (confirmed, or put back on the wall)."""
    who = await caller(update, context)
    _step(context).clear()
    await reply(update, who.tr("callback.stale"))
    return ConversationHandler.END


async def on_other(update: Update, context: Context) -> int | None:
    """Something else than words or a photo (a sticker, a voice message) during a step."""
    who = await caller(update, context)
    if "claim" in _step(context):  # writing a message
        key, markup = "wish.relay_text_or_photo", _end_button(who, "button.cancel")
    else:
        key, markup = "wish.proof_or_note", _end_button(who, "button.done")
    await reply(update, who.tr(key), reply_markup=markup)
    return None


async def on_message_button(update: Update, context: Context) -> int | None:
    """✉️ (on a claim's notice, in /mywishes, under a relayed message): write one message to
    the other side of the wish, if its relay is open."""
    query = update.callback_query
    button = WishMessage.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    chat = update.effective_chat
    why = (
        await why_not_relay(who.services, who.user_id, button.wish_id, button.claim)
        if chat is not None and chat.type == chat.PRIVATE
        else N_("callback.stale")
    )
    if why:
        await query.answer(who.tr.plain(why, limit=RELAY_PER_DAY), show_alert=True)
        return None  # a step under way goes on
    await query.answer()
    step = _step(context)
    step.clear()
    step.update(wish_id=button.wish_id, claim=button.claim)
    ask = who.tr("wish.relay_ask", number=button.wish_id, limit=MESSAGE_LIMIT)
    await reply(update, ask, reply_markup=_end_button(who, "button.cancel"))
    return MESSAGE


async def on_message(update: Update, context: Context) -> int:
    """The message (words, or a photo with or without a caption), passed on."""
    who = await caller(update, context)
    message = update.effective_message
    assert isinstance(message, Message)
    photo = message.photo[-1].file_id if message.photo else None
    text = printable(message.text or message.caption or "").strip()
    if len(text) > MESSAGE_LIMIT or (not text and photo is None):
        key = N_("form.error.too_long") if text else N_("form.error.missing")
        error = FormError(key, field="message", params={"limit": MESSAGE_LIMIT})
        await reply(update, form_error_text(who.tr, error, LABELS))
        return MESSAGE
    step = _step(context)
    wish_id, claim = step.get("wish_id"), step.get("claim")
    step.clear()
    if wish_id is None or claim is None:
        await reply(update, who.tr("wish.relay_closed"))
        return ConversationHandler.END
    key = await relay_message(who.services, who.user_id, wish_id, claim, text, photo)
    await reply(update, who.tr(key, limit=RELAY_PER_DAY))
    return ConversationHandler.END


async def on_end(update: Update, context: Context) -> int:
    """/cancel or the step's button: no (more) proof, or no message sent."""
    writing = "claim" in _step(context)
    key = N_("wish.relay_cancelled") if writing else N_("wish.proof_finished")
    return await end_conversation(update, context, STEP, key)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Before the wish wall's own buttons: Done starts the proof step here."""
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND & private
    photo = filters.PHOTO & private
    other = ~filters.COMMAND & ~filters.TEXT & ~filters.PHOTO & private
    ended = [
        CommandHandler("cancel", on_end, filters=private),
        CallbackQueryHandler(on_end, pattern=WishStepEnd.matches),
    ]
    app.add_handler(
        GuidedConversation(
            entry_points=[
                CallbackQueryHandler(on_done, pattern=_is_done),
                CallbackQueryHandler(on_message_button, pattern=WishMessage.matches),
            ],
            states={
                PROOF: [
                    MessageHandler(photo, on_proof_photo),
                    MessageHandler(text, on_proof_note),
                    MessageHandler(other, on_other),
                ],
                MESSAGE: [
                    MessageHandler(text | photo, on_message),
                    MessageHandler(other, on_other),
                ],
            },
            fallbacks=ended,
            name="wish_steps",
            conversation_timeout=STEP_TIMEOUT,
            drafts=(STEP,),
            command="mywishes",
            allow_reentry=True,
            expired_keys={MESSAGE: N_("wish.relay_expired")},  # tap ✉️ again, no command
        )
    )
