"""/ask: a member's question to the secretaries, and a secretary's answer from the Reply
button (17.20); words the bot did not understand may be sent as a question."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.forms import printable
from bot.guided import GuidedConversation
from bot.handlers.common import OFFERED, Context, caller, edit_markup, end_conversation, reply
from bot.i18n import N_
from bot.usecases import questions
from bot.views.callbacks import QuestionCancel, QuestionFromText, QuestionReply
from bot.views.questions import cancel_button, to_asker, to_secretary

STEP = "question_step"  # user data: {"answer": question id} while a secretary answers
ASKING, ANSWERING = range(2)
STEP_TIMEOUT = 30 * 60  # seconds a step waits for its words


def _words(message: Message | None) -> str:
    return printable(message.text or "").strip() if message else ""


async def _ask(update: Update, context: Context, text: str) -> int:
    who = await caller(update, context)
    outcome = await questions.ask(who.services, who.user_id, text, to_secretary)
    await reply(update, who.tr(outcome.key, **outcome.params))
    return ConversationHandler.END


async def on_ask(update: Update, context: Context) -> int:
    """/ask [question]: send it, or ask for it."""
    who = await caller(update, context)
    refused = await questions.may_member_ask(who.services, who.user_id)
    if refused is not None:
        await reply(update, who.tr(refused.key, **refused.params))
        return ConversationHandler.END
    parts = _words(update.effective_message).split(maxsplit=1)
    if len(parts) > 1:
        return await _ask(update, context, parts[1].strip())
    await reply(update, who.tr("question.ask_prompt"), reply_markup=cancel_button(who.tr))
    return ASKING


async def on_question(update: Update, context: Context) -> int:
    """The question's words, sent to the secretaries."""
    return await _ask(update, context, _words(update.effective_message))


async def on_offered(update: Update, context: Context) -> int:
    """The button under words the bot did not understand: they become a question."""
    query = update.callback_query
    assert query is not None
    who = await caller(update, context)
    text = context.user_data.pop(OFFERED, None) if context.user_data is not None else None
    if not isinstance(text, str):
        await query.answer(who.tr.plain("callback.stale"), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    await edit_markup(query)
    return await _ask(update, context, text)


async def on_reply(update: Update, context: Context) -> int | None:
    """Reply under a question: ask the secretary for the answer, if it is still open."""
    query = update.callback_query
    button = QuestionReply.parse(query.data if query else None)
    assert query is not None and button is not None  # the handler's pattern
    who = await caller(update, context)
    refused = await questions.may_answer(who.services, who.user_id, button.question_id)
    if refused is not None:
        await query.answer(who.tr.plain(refused.key, **refused.params), show_alert=True)
        return None  # a step under way goes on
    await query.answer()
    assert context.user_data is not None
    context.user_data[STEP] = {"answer": button.question_id}
    prompt = who.tr("question.answer_prompt", number=button.question_id)
    await reply(update, prompt, reply_markup=cancel_button(who.tr))
    return ANSWERING


async def on_answer(update: Update, context: Context) -> int:
    """The answer's words, sent to the asker."""
    who = await caller(update, context)
    step = context.user_data.pop(STEP, {}) if context.user_data is not None else {}
    question_id = step.get("answer")
    if not isinstance(question_id, int):
        await reply(update, who.tr("callback.stale"))
        return ConversationHandler.END
    user = update.effective_user
    name = user.full_name if user else ""
    text = _words(update.effective_message)
    outcome = await questions.answer(who.services, who.user_id, name, question_id, text, to_asker)
    await reply(update, who.tr(outcome.key, **outcome.params))
    if outcome.key in (N_("question.too_long"), N_("question.empty")):
        assert context.user_data is not None
        context.user_data[STEP] = step  # the step waits for shorter words
        return ANSWERING
    return ConversationHandler.END


async def on_cancel(update: Update, context: Context) -> int:
    """/cancel or the step's button: nothing is sent."""
    return await end_conversation(update, context, STEP, N_("question.cancelled"))


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """/ask and the Reply and "send this" buttons, in private chats."""
    private = filters.ChatType.PRIVATE
    text = filters.TEXT & ~filters.COMMAND & private
    app.add_handler(
        GuidedConversation(
            entry_points=[
                CommandHandler("ask", on_ask, filters=private),
                CallbackQueryHandler(on_reply, pattern=QuestionReply.matches),
                CallbackQueryHandler(on_offered, pattern=QuestionFromText.matches),
            ],
            states={
                ASKING: [MessageHandler(text, on_question)],
                ANSWERING: [MessageHandler(text, on_answer)],
            },
            fallbacks=[
                CommandHandler("cancel", on_cancel, filters=private),
                CallbackQueryHandler(on_cancel, pattern=QuestionCancel.matches),
            ],
            name="questions",
            conversation_timeout=STEP_TIMEOUT,
            drafts=(STEP,),
            command="ask",
        )
    )
