"""Objections to ledger entries, and their resolution (a correction is a new entry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.objections import REOPENABLE
from bot.domain.timeutil import to_db
from bot.storage.db import Database, one, utcnow
from bot.storage.ledger import EARNED, LedgerEntry


@dataclass(frozen=True)
class Objection:
    """An open objection, as the secretary sees it."""

    id: int
    member_name: str
    telegram_id: int | None
    language: str | None
    entry_reason: str
    entry_points: int
    entry_at: str
    reason: str
    # an objection to a check-in that earned nothing: the sign-up and its status (rejected,
    # no_show); the "entry" is then the task (its title, points and start)
    signup_id: int | None = None
    signup_status: str | None = None


@dataclass(frozen=True)
class ObjectableCheckIn:
    """A member's check-in that earned nothing, in the month under notice."""

    signup_id: int
    task_title: str
    points: int
    starts_at: str
    status: str


_OPEN = (
    "SELECT o.id, m.name, m.telegram_id, m.language, COALESCE(l.reason, t.title),"
    " COALESCE(l.points, t.points), COALESCE(l.served_at, t.starts_at), o.reason,"
    " o.signup_id, s.status FROM objections o JOIN members m ON m.id = o.member_id"
    " LEFT JOIN ledger_entries l ON l.id = o.entry_id"
    " LEFT JOIN signups s ON s.id = o.signup_id LEFT JOIN tasks t ON t.id = s.task_id"
)
_COMMUNITY = "COALESCE(l.community_id, t.community_id) = ?"
# a check-in that earned nothing, of the member's, on a task (not cancelled) started in [?, ?)
_CHECKIN_OFFERED = (
    " FROM signups s JOIN tasks t ON t.id = s.task_id WHERE s.id = ? AND s.member_id = ?"
    f" AND s.status IN {tuple(s.value for s in REOPENABLE)} AND t.status != 'cancelled'"
    " AND t.starts_at >= ? AND t.starts_at < ?"
)


class ObjectionRepository:
    """Reads and writes ``objections``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def entries_in(self, member_id: int, start: datetime, end: datetime) -> list[LedgerEntry]:
        """A member's earned entries served in [start, end): what the monthly notice counted."""
        rows = await self.db.fetchall(
            "SELECT id, member_id, points, reason, source, author_id, created_at, served_at"
            f" FROM ledger_entries WHERE member_id = ? AND source IN {EARNED}"
            " AND served_at >= ? AND served_at < ? ORDER BY id LIMIT 20",
            (member_id, to_db(start), to_db(end)),
        )
        return [LedgerEntry(*r) for r in rows]

    async def file(
        self,
        member_id: int,
        entry_id: int,
        month: str,
        reason: str,
        start: datetime,
        end: datetime,
    ) -> bool:
        """Object to one of one's own earned entries of the month under notice ([start, end));
        False when objected before, or when the entry is not one of those."""
        changed = await self.db.execute_write(
            "INSERT OR IGNORE INTO objections (member_id, entry_id, month, reason, status,"
            " created_at) SELECT ?, id, ?, ?, 'open', ? FROM ledger_entries"
            f" WHERE id = ? AND member_id = ? AND source IN {EARNED}"
            " AND served_at >= ? AND served_at < ?",
            (member_id, month, reason, utcnow(), entry_id, member_id, to_db(start), to_db(end)),
        )
        return changed == 1

    async def objected(self, member_id: int, entry_id: int) -> bool:
        """Whether the member has objected to this entry before."""
        row = await self.db.fetchone(
            "SELECT 1 FROM objections WHERE member_id = ? AND entry_id = ?", (member_id, entry_id)
        )
        return row is not None

    async def checkins_in(
        self, member_id: int, start: datetime, end: datetime
    ) -> list[ObjectableCheckIn]:
        """A member's check-ins that earned nothing (rejected, or a no-show) on tasks started
        in [start, end) and not cancelled: what may be objected to besides the entries."""
        rows = await self.db.fetchall(
            "SELECT s.id, t.title, t.points, t.starts_at, s.status FROM signups s"
            " JOIN tasks t ON t.id = s.task_id WHERE s.member_id = ?"
            f" AND s.status IN {tuple(s.value for s in REOPENABLE)} AND t.status != 'cancelled'"
            " AND t.starts_at >= ? AND t.starts_at < ? ORDER BY t.starts_at, s.id LIMIT 20",
            (member_id, to_db(start), to_db(end)),
        )
        return [ObjectableCheckIn(*r) for r in rows]

    async def file_checkin(
        self,
        member_id: int,
        signup_id: int,
        month: str,
        reason: str,
        start: datetime,
        end: datetime,
    ) -> bool:
        """Object to one of one's own check-ins that earned nothing, on a task of the month
        under notice ([start, end)); False when objected before, or when it is not one."""
        changed = await self.db.execute_write(
            "INSERT OR IGNORE INTO objections (member_id, signup_id, month, reason, status,"
            f" created_at) SELECT ?, s.id, ?, ?, 'open', ?{_CHECKIN_OFFERED}",
            (member_id, month, reason, utcnow(), signup_id, member_id, to_db(start), to_db(end)),
        )
        return changed == 1

    async def objected_checkin(self, member_id: int, signup_id: int) -> bool:
        """Whether the member has objected to this check-in before."""
        row = await self.db.fetchone(
            "SELECT 1 FROM objections WHERE member_id = ? AND signup_id = ?",
            (member_id, signup_id),
        )
        return row is not None

    async def open_count(self, community_id: int) -> int:
        """How many objections of the community wait for a decision."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM objections o LEFT JOIN ledger_entries l ON l.id = o.entry_id"
            " LEFT JOIN signups s ON s.id = o.signup_id LEFT JOIN tasks t ON t.id = s.task_id"
            f" WHERE {_COMMUNITY} AND o.status = 'open'",
            (community_id,),
        )
        return int(row[0]) if row else 0

    async def open_in(self, community_id: int, limit: int = 20) -> list[Objection]:
        """The community's open objections, oldest first."""
        rows = await self.db.fetchall(
            f"{_OPEN} WHERE {_COMMUNITY} AND o.status = 'open' ORDER BY o.id LIMIT ?",
            (community_id, limit),
        )
        return [Objection(*r) for r in rows]

    async def get_open(self, objection_id: int, community_id: int) -> Objection | None:
        """One open objection of the community."""
        row = await self.db.fetchone(
            f"{_OPEN} WHERE o.id = ? AND {_COMMUNITY} AND o.status = 'open'",
            (objection_id, community_id),
        )
        return Objection(*row) if row else None

    async def settle_checkin(self, signup_id: int, by: int, reopened: bool) -> bool:
        """Close the open objection to this check-in: reopened (the check-in approved after
        all) or kept; False when none was open."""
        changed = await self.db.execute_write(
            "UPDATE objections SET status = ?, resolved_by = ?, resolved_at = ?"
            " WHERE signup_id = ? AND status = 'open'",
            ("reopened" if reopened else "kept", by, utcnow(), signup_id),
        )
        return changed > 0

    async def resolve(
        self, objection_id: int, community_id: int, by: int, corrected: int | None
    ) -> Objection | None:
        """Keep the entry (``corrected`` None), or correct it to ``corrected`` points with a
        correction entry for the difference, served when the entry was so it counts in the
        month it corrects; the objection, if it was open."""
        now = utcnow()
        found = await self.get_open(objection_id, community_id)

        async def work(conn: aiosqlite.Connection) -> bool:
            row = await one(
                conn,
                "SELECT l.id, l.member_id, l.points, l.reason, l.served_at FROM objections o"
                " JOIN ledger_entries l ON l.id = o.entry_id WHERE o.id = ?"
                " AND o.status = 'open' AND l.community_id = ?",
                (objection_id, community_id),
            )
            if row is None:
                return False
            correction = None
            difference = 0 if corrected is None else corrected - row[2]
            if difference:
                correction = (
                    await conn.execute(
                        "INSERT INTO ledger_entries (member_id, community_id, points, reason,"
                        " source, author_id, created_at, served_at)"
                        " VALUES (?, ?, ?, ?, 'correction', ?, ?, ?)",
                        (row[1], community_id, difference, row[3], by, now, row[4]),
                    )
                ).lastrowid
            await conn.execute(
                "UPDATE objections SET status = ?, correction_entry_id = ?, resolved_by = ?,"
                " resolved_at = ? WHERE id = ?",
                ("corrected" if difference else "kept", correction, by, now, objection_id),
            )
            return True

        if found is None:
            return None
        resolved: bool = await self.db.write(work)
        return found if resolved else None
