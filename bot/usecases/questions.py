"""A member asks the community's secretaries through the bot; a secretary answers (17.20).

Enrolled members only: a member's community is known, a resident's or a visitor's is not.
The question is stored; each secretary is told through the outbox, in their language, with a
Reply button; the answer reaches the asker through the outbox, in the asker's language. How
the messages read is the caller's (the handler passes its views in), not this module's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup

from bot.domain.messages import N_
from bot.domain.questions import (
    OPEN_PER_ASKER,
    TEXT_LIMIT,
    Question,
    QuestionStatus,
    fits,
    may_ask,
)
from bot.i18n import Translator
from bot.outbox.messages import notice
from bot.services import Services
from bot.usecases.audiences import secretaries_of, translator_for

logger = logging.getLogger(__name__)

# (reader's translator, the question, the asker's name) → the secretary's text and buttons
ToSecretary = Callable[[Translator, Question, str], tuple[str, InlineKeyboardMarkup]]
# (reader's translator, the question answered) → the asker's text
ToAsker = Callable[[Translator, Question], str]


@dataclass(frozen=True)
class Outcome:
    """What happened: a message key and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


def check_text(text: str) -> Outcome | None:
    """A refusal for words that are empty or too long; None when they will do."""
    if fits(text):
        return None
    if not text:
        return Outcome(N_("question.empty"))
    return Outcome(N_("question.too_long"), {"limit": TEXT_LIMIT, "length": len(text)})


async def may_member_ask(services: Services, telegram_id: int) -> Outcome | None:
    """Before asking for the words: a refusal (not a member, too many open questions)."""
    member = await services.storage.members.get_by_telegram_id(telegram_id)
    if member is None:
        return Outcome(N_("question.members_only"))
    if not may_ask(await services.storage.questions.count_open(member.id)):
        return Outcome(N_("question.too_many"), {"limit": OPEN_PER_ASKER})
    return None


async def ask(services: Services, telegram_id: int, text: str, compose: ToSecretary) -> Outcome:
    """Store the member's question and tell every secretary of their community."""
    storage = services.storage
    refused = check_text(text)
    if refused is not None:
        return refused
    async with storage.db.transaction():
        refused = await may_member_ask(services, telegram_id)
        member = await storage.members.get_by_telegram_id(telegram_id)
        if refused is not None or member is None:
            return refused or Outcome(N_("question.members_only"))
        question_id = await storage.questions.add(member.community_id, member.id, text)
        question = await storage.questions.get(question_id)
        assert question is not None
        for secretary in await secretaries_of(services, member.community_id):
            tr = await translator_for(services, secretary)
            message, markup = compose(tr, question, member.name)
            await storage.outbox.add(notice(secretary, message, markup))
    logger.info("question %s asked by member %s", question_id, member.id)
    return Outcome(N_("question.sent"), {"number": question_id})


async def may_answer(services: Services, telegram_id: int, question_id: int) -> Outcome | None:
    """Before asking for the answer: a refusal (not a secretary of the question's community,
    no such question, answered already: by whom); None when it may be answered."""
    storage = services.storage
    secretary = await storage.secretaries.get(telegram_id)
    if secretary is None:
        return Outcome(N_("role.secretary_only"))
    question = await storage.questions.get(question_id)
    if question is None or question.community_id != secretary.community_id:
        return Outcome(N_("callback.stale"))
    if question.status is not QuestionStatus.OPEN:
        return Outcome(N_("question.already_answered"), {"name": question.answered_by_name})
    return None


async def answer(
    services: Services,
    telegram_id: int,
    name: str,
    question_id: int,
    text: str,
    compose: ToAsker,
) -> Outcome:
    """Record a secretary's answer and send it to the asker (once: a second answer is told
    who answered first)."""
    storage = services.storage
    refused = check_text(text)
    if refused is not None:
        return refused
    async with storage.db.transaction():
        refused = await may_answer(services, telegram_id, question_id)
        if refused is not None:
            return refused
        await storage.questions.answer(question_id, telegram_id, name, text)
        question = await storage.questions.get(question_id)
        assert question is not None
        asker = await storage.members.get(question.member_id)
        if asker is not None and asker.telegram_id is not None:
            tr = await translator_for(services, asker.telegram_id)
            await storage.outbox.add(notice(asker.telegram_id, compose(tr, question)))
    logger.info("question %s answered by secretary %s", question_id, telegram_id)
    return Outcome(N_("question.answer_sent"), {"number": question_id})
