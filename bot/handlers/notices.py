"""/notice: a secretary's notice to every enrolled, reachable member of the community (or,
``/notice group …``, to its bound groups), previewed with its recipients first (17.20)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.forms import printable
from bot.domain.notices import NoticeAudience, parse_notice
from bot.handlers.common import Context, caller, edit_markup, reply
from bot.usecases.notices import check_notice, send_notice
from bot.views.callbacks import NoticeCancel, NoticeSend
from bot.views.notices import notice_text, preview

DRAFT = "notice_draft"  # user data: {"token", "audience", "text"} of the previewed notice


async def on_notice(update: Update, context: Context) -> None:
    """/notice [group] <text>: the preview, with the number of recipients, to confirm."""
    who = await caller(update, context)
    message = update.effective_message
    assert message is not None and context.user_data is not None
    parts = printable(message.text or "").split(maxsplit=1)  # after /notice, as typed
    audience, text = parse_notice(parts[1] if len(parts) > 1 else "")
    checked = await check_notice(who.services, who.user_id, audience, text)
    if checked.refusal:
        await reply(update, who.tr(checked.refusal, limit=checked.limit))
        return
    token = message.message_id
    context.user_data[DRAFT] = {"token": token, "audience": audience.value, "text": text}
    count = len(checked.recipients)
    body, markup = preview(who.tr, audience, count, checked.community, text, token)
    await reply(update, body, reply_markup=markup)


async def on_send(update: Update, context: Context) -> None:
    """Send: the previewed notice goes out, once (a second tap or a replay sends nothing)."""
    query = update.callback_query
    button = NoticeSend.parse(query.data if query else None)
    assert query is not None and button is not None and context.user_data is not None
    who = await caller(update, context)
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or draft.get("token") != button.token:
        await query.answer(who.tr.plain("callback.stale"), show_alert=True)
        return
    audience, text = NoticeAudience(draft["audience"]), str(draft["text"])
    sent = await send_notice(who.services, who.user_id, audience, text, button.token, notice_text)
    if not isinstance(sent, int):
        await query.answer(who.tr.plain(sent.refusal, limit=sent.limit), show_alert=True)
        return
    context.user_data.pop(DRAFT, None)
    await query.answer()
    await edit_markup(query)
    await reply(update, who.tr("notice.sent", count=sent))


async def on_cancel(update: Update, context: Context) -> None:
    """Cancel: the preview is dropped."""
    query = update.callback_query
    assert query is not None
    who = await caller(update, context)
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    await query.answer()
    await edit_markup(query)
    await reply(update, who.tr("notice.cancelled"))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/notice and its preview's buttons, in private chats."""
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("notice", on_notice, filters=private))
    app.add_handler(CallbackQueryHandler(on_send, pattern=NoticeSend.matches))
    app.add_handler(CallbackQueryHandler(on_cancel, pattern=NoticeCancel.matches))
