"""Questions a member sends to the community's secretaries (17.20): states and limits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

OPEN_PER_ASKER = 5  # unanswered questions one member may have at a time
TEXT_LIMIT = 1000  # characters of a question or an answer


class QuestionStatus(StrEnum):
    """Where a question is: waiting for an answer, answered, or closed without one."""

    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


@dataclass(frozen=True)
class Question:
    """A member's question and, once given, its answer."""

    id: int
    community_id: int
    member_id: int
    text: str
    created_at: str
    status: QuestionStatus
    answered_by: int | None
    answered_by_name: str
    answer: str


def may_ask(open_questions: int) -> bool:
    """True while the asker has fewer than ``OPEN_PER_ASKER`` unanswered questions."""
    return open_questions < OPEN_PER_ASKER


def fits(text: str) -> bool:
    """A question or an answer: some words, and not more than ``TEXT_LIMIT`` characters."""
    return 0 < len(text) <= TEXT_LIMIT
