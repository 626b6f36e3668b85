"""The rows of a task's attendance sheet (17.18): one query, however many signed up."""

from __future__ import annotations

from bot.domain.attendance import LISTED, AttendanceRow
from bot.domain.signups import SignupStatus
from bot.domain.timeutil import from_db
from bot.storage.db import Database

_ROWS = (
    "SELECT m.name, m.work_unit, m.phone, s.status, s.checked_in_at,"
    " IFNULL((SELECT SUM(l.points) FROM ledger_entries l"
    "  WHERE l.task_id = s.task_id AND l.member_id = s.member_id), 0)"
    " FROM signups s JOIN members m ON m.id = s.member_id"
    " WHERE s.task_id = ? AND s.status IN ({statuses})"
    " ORDER BY s.status = 'waitlisted', s.queue_seq, s.id"
)


class AttendanceRepository:
    """Reads a task's sign-ups with the people and the points they earned on it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def rows(self, task_id: int) -> list[AttendanceRow]:
        """Everyone signed up but those who left; the waitlist last."""
        marks = ", ".join("?" for _ in LISTED)
        found = await self.db.fetchall(
            _ROWS.format(statuses=marks), (task_id, *(status.value for status in LISTED))
        )
        return [
            AttendanceRow(
                name=str(r[0]),
                work_unit=str(r[1] or ""),
                phone=str(r[2]) if r[2] else None,
                status=SignupStatus(r[3]),
                checked_in_at=from_db(r[4]) if r[4] else None,
                points=int(r[5]),
            )
            for r in found
        ]
