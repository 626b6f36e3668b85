"""The points ledger (append-only) and monthly reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.timeutil import to_db
from bot.storage.db import Database, utcnow

# Points earned (and corrected); redemptions and their refunds spend, they do not rank.
EARNED = "('task', 'grant', 'correction')"


@dataclass(frozen=True)
class LedgerEntry:
    """One change of a member's points."""

    id: int
    member_id: int
    points: int
    reason: str
    source: str
    author_id: int | None
    created_at: str
    served_at: str  # when the service was done (a task's start): what periods count by


@dataclass(frozen=True)
class Standing:
    """A member's place in the standings of a period."""

    member_id: int
    name: str
    points: int


class LedgerRepository:
    """Reads and appends ``ledger_entries``; writes ``monthly_reports``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        member_id: int,
        community_id: int,
        points: int,
        reason: str,
        source: str,
        author_id: int | None,
    ) -> int:
        """Append an entry (a grant or a correction, served when it is made); its id."""
        now = utcnow()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
                " author_id, created_at, served_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (member_id, community_id, points, reason, source, author_id, now, now),
            )
            return int(cursor.lastrowid or 0)

    async def balance(self, member_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT IFNULL(SUM(points), 0) FROM ledger_entries WHERE member_id = ?", (member_id,)
        )
        return int(row[0]) if row else 0

    async def recent(self, member_id: int, limit: int = 10) -> list[LedgerEntry]:
        rows = await self.db.fetchall(
            # a grant for a fulfilled wish reads as a wish (its source says grant)
            "SELECT id, member_id, points, reason,"
            " CASE WHEN source = 'grant' AND EXISTS (SELECT 1 FROM wishes w"
            "   WHERE w.ledger_entry_id = l.id) THEN 'wish' ELSE source END,"
            " author_id, created_at, served_at"
            " FROM ledger_entries l WHERE member_id = ? ORDER BY id DESC LIMIT ?",
            (member_id, limit),
        )
        return [LedgerEntry(*r) for r in rows]

    async def standings(
        self,
        community_id: int,
        start: datetime,
        end: datetime,
        limit: int,
        *,
        served_only: bool = False,
    ) -> list[Standing]:
        """Members with points served in [start, end), most first (ties by name); ``served_only``:
        points from tasks served only (the week's stars, not grants or corrections)."""
        sources = "('task')" if served_only else EARNED
        rows = await self.db.reader.fetchall(
            "SELECT m.id, m.name, SUM(l.points) AS total FROM ledger_entries l"
            " JOIN members m ON m.id = l.member_id WHERE l.community_id = ?"
            f" AND l.source IN {sources} AND l.served_at >= ? AND l.served_at < ?"
            " AND m.erased_at IS NULL"
            " GROUP BY m.id HAVING total != 0 ORDER BY total DESC, m.name LIMIT ?",
            (community_id, to_db(start), to_db(end), limit),
        )
        return [Standing(int(r[0]), str(r[1]), int(r[2])) for r in rows]

    async def period_points(self, member_id: int, start: datetime, end: datetime) -> int:
        row = await self.db.reader.fetchone(
            "SELECT IFNULL(SUM(points), 0) FROM ledger_entries WHERE member_id = ?"
            f" AND source IN {EARNED} AND served_at >= ? AND served_at < ?",
            (member_id, to_db(start), to_db(end)),
        )
        return int(row[0]) if row else 0

    async def has_report(self, member_id: int, month: str) -> bool:
        row = await self.db.fetchone(
            "SELECT 1 FROM monthly_reports WHERE member_id = ? AND month = ?", (member_id, month)
        )
        return row is not None

    async def points_by_category(
        self, community_id: int, start: datetime, end: datetime
    ) -> list[tuple[str, int]]:
        """Points earned through tasks served in [start, end), per task category."""
        rows = await self.db.reader.fetchall(
            "SELECT t.category, SUM(l.points) FROM ledger_entries l JOIN tasks t"
            " ON t.id = l.task_id WHERE l.community_id = ? AND l.source = 'task'"
            " AND l.served_at >= ? AND l.served_at < ? GROUP BY t.category"
            " ORDER BY SUM(l.points) DESC",
            (community_id, to_db(start), to_db(end)),
        )
        return [(str(r[0]), int(r[1])) for r in rows]
