"""How questions to the secretaries and their answers read (17.20)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.questions import Question
from bot.i18n import Translator
from bot.views.callbacks import QuestionCancel, QuestionFromText, QuestionReply


def to_secretary(
    tr: Translator, question: Question, asker: str
) -> tuple[str, InlineKeyboardMarkup]:
    """A secretary's notice of a new question, with the Reply button."""
    text = tr("question.to_secretary", number=question.id, name=asker, text=question.text)
    button = InlineKeyboardButton(
        tr.plain("question.reply"), callback_data=QuestionReply(question.id).pack()
    )
    return text, InlineKeyboardMarkup([[button]])


def to_asker(tr: Translator, question: Question) -> str:
    """The asker's notice of the answer, under their question."""
    return tr(
        "question.answered",
        number=question.id,
        question=question.text,
        answer=question.answer,
    )


def cancel_button(tr: Translator) -> InlineKeyboardMarkup:
    """Under a question's or an answer's step: end it, sending nothing."""
    label = tr.plain("button.cancel")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=QuestionCancel().pack())]]
    )


def offer_button(tr: Translator) -> InlineKeyboardMarkup:
    """Under the answer to words the bot did not understand: send them as a question."""
    label = tr.plain("question.offer")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=QuestionFromText().pack())]]
    )
