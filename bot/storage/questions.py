"""Members' questions to the secretaries and their answers (17.20)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.questions import Question, QuestionStatus
from bot.storage.db import Database, Row, utcnow

_COLUMNS = (
    "id, community_id, member_id, text, created_at, status, answered_by, answered_by_name, answer"
)


def _question(row: Row) -> Question:
    return Question(
        id=row[0],
        community_id=row[1],
        member_id=row[2],
        text=row[3],
        created_at=row[4],
        status=QuestionStatus(row[5]),
        answered_by=row[6],
        answered_by_name=row[7],
        answer=row[8],
    )


class QuestionRepository:
    """The ``questions`` table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, community_id: int, member_id: int, text: str) -> int:
        """A new open question; its id."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO questions (community_id, member_id, text, created_at)"
                " VALUES (?, ?, ?, ?)",
                (community_id, member_id, text, utcnow()),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    async def get(self, question_id: int) -> Question | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM questions WHERE id = ?", (question_id,)
        )
        return _question(row) if row is not None else None

    async def count_open(self, member_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM questions WHERE member_id = ? AND status = 'open'",
            (member_id,),
        )
        return int(row[0]) if row is not None else 0

    async def answer(
        self, question_id: int, secretary_id: int, secretary_name: str, answer: str
    ) -> bool:
        """Mark an open question answered; False when it was not open (answered already)."""
        changed = await self.db.execute_write(
            "UPDATE questions SET status = 'answered', answered_at = ?, answered_by = ?,"
            " answered_by_name = ?, answer = ? WHERE id = ? AND status = 'open'",
            (utcnow(), secretary_id, secretary_name, answer, question_id),
        )
        return changed > 0

    async def of_member(self, member_id: int) -> list[Question]:
        rows: Iterable[Row] = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM questions WHERE member_id = ? ORDER BY id", (member_id,)
        )
        return [_question(r) for r in rows]

    async def erase_member(self, member_id: int) -> int:
        """/forgetme: the member's questions and their answers go; how many."""
        return await self.db.execute_write(
            "DELETE FROM questions WHERE member_id = ?", (member_id,)
        )
