"""Monthly 回家日 reports and the questions the monthly cycle asks of members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.models import MemberType
from bot.domain.timeutil import from_db, to_db
from bot.storage.db import Database, utcnow
from bot.storage.ledger import EARNED


@dataclass(frozen=True)
class ReportRow:
    """One in-service member's month: reported or not, with what they did."""

    member_id: int | None  # None: on the roster, never enrolled (and so never reported)
    telegram_id: int | None
    name: str
    work_unit: str
    compound: str
    language: str | None
    reachable: bool
    reported_at: str | None
    note: str
    tasks_served: int
    points: int
    phone: str = ""  # the member's, or the roster's for someone never enrolled

    @property
    def enrolled(self) -> bool:
        """False for a roster person who never enrolled: the bot has no chat with them at all
        (not "unreachable": nobody to message, to be phoned or sent to their unit)."""
        return self.member_id is not None


@dataclass(frozen=True)
class ServedTask:
    """A task a member served (approved), for their record."""

    title: str
    starts_at: datetime
    ends_at: datetime
    points: int
    category: str = ""


@dataclass(frozen=True)
class IssuedRecord:
    """What a printed service record said, under the number printed on it."""

    number: str
    member_id: int
    community_id: int
    year: int
    tasks: int
    hours: float
    points: int
    months: int
    issued_at: str


@dataclass(frozen=True)
class YearRow:
    """An in-service member's year: points, months reported, tasks served."""

    member_id: int
    name: str
    work_unit: str
    compound: str
    points: int
    months_reported: int
    tasks_served: int


class ReportRepository:
    """Reads and writes ``monthly_reports``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def year(
        self, community_id: int, year: int, start: datetime, end: datetime
    ) -> list[YearRow]:
        """Every in-service member's year, most points first (ties by name)."""
        rows = await self.db.fetchall(
            "SELECT m.id, m.name, m.work_unit, m.compound,"
            " (SELECT IFNULL(SUM(l.points), 0) FROM ledger_entries l WHERE l.member_id = m.id"
            "   AND l.source IN ('task', 'grant', 'correction')"
            "   AND l.served_at >= :s AND l.served_at < :e),"
            " (SELECT COUNT(*) FROM monthly_reports r WHERE r.member_id = m.id"
            "   AND r.month LIKE :y),"
            " (SELECT COUNT(*) FROM signups g JOIN tasks t ON t.id = g.task_id"
            "   WHERE g.member_id = m.id AND g.status = 'approved'"
            "   AND t.starts_at >= :s AND t.starts_at < :e)"
            " FROM members m WHERE m.community_id = :c AND m.member_type = 'in_service'"
            " AND m.erased_at IS NULL",
            {"s": to_db(start), "e": to_db(end), "y": f"{year}-%", "c": community_id},
        )
        found = [YearRow(*r) for r in rows]
        return sorted(found, key=lambda r: (-r.points, r.name))

    async def file(self, member_id: int, month: str, note: str) -> bool:
        """File (or re-note) a member's report; True when it is the month's first."""
        now = utcnow()
        changed = await self.db.execute_write(
            "INSERT INTO monthly_reports (member_id, month, reported_at, note, source)"
            " VALUES (?, ?, ?, ?, 'command') ON CONFLICT (member_id, month) DO NOTHING",
            (member_id, month, now, note),
        )
        if changed:
            return True
        if note:  # a report without a note never wipes the note given before
            await self.db.execute_write(
                "UPDATE monthly_reports SET note = ? WHERE member_id = ? AND month = ?",
                (note, member_id, month),
            )
        return False

    async def month(
        self, community_id: int, month: str, start: datetime, end: datetime
    ) -> list[ReportRow]:
        """Every in-service member of a community with their report and service that month,
        and the in-service people on its roster who never enrolled (not reported)."""
        found: list[ReportRow] = []
        async for rows in self.db.reader.chunks(
            "SELECT m.id, m.telegram_id, m.name, m.work_unit, m.compound, m.language,"
            " m.reachable, r.reported_at, IFNULL(r.note, ''), r.reported_at IS NULL AS waiting,"
            " (SELECT COUNT(*) FROM signups s JOIN tasks t ON t.id = s.task_id"
            "   WHERE s.member_id = m.id AND s.status = 'approved'"
            "   AND t.starts_at >= ? AND t.starts_at < ?),"
            " (SELECT IFNULL(SUM(l.points), 0) FROM ledger_entries l WHERE l.member_id = m.id"
            f"   AND l.source IN {EARNED} AND l.served_at >= ? AND l.served_at < ?),"
            " IFNULL(m.phone, '')"
            " FROM members m LEFT JOIN monthly_reports r ON r.member_id = m.id AND r.month = ?"
            " WHERE m.community_id = ? AND m.member_type = ? AND m.erased_at IS NULL"
            " UNION ALL SELECT NULL, NULL, e.name, e.work_unit, e.compound, NULL, 0, NULL, '',"
            " 1, 0, 0, e.phone FROM roster_entries e WHERE e.community_id = ? AND e.member_type = ?"
            " AND e.member_id IS NULL"
            " ORDER BY waiting, 3, 1",
            (
                to_db(start),
                to_db(end),
                to_db(start),
                to_db(end),
                month,
                community_id,
                MemberType.IN_SERVICE.value,
                community_id,
                MemberType.IN_SERVICE.value,
            ),
        ):
            found.extend(
                ReportRow(
                    r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6]), r[7], r[8], r[10], r[11], r[12]
                )
                for r in rows
            )
        return found

    async def served(self, member_id: int, start: datetime, end: datetime) -> list[ServedTask]:
        """A member's approved tasks in [start, end), in order."""
        rows = await self.db.reader.fetchall(
            "SELECT t.title, t.starts_at, t.ends_at, t.points, t.category FROM signups g"
            " JOIN tasks t ON t.id = g.task_id WHERE g.member_id = ? AND g.status = 'approved'"
            " AND t.starts_at >= ? AND t.starts_at < ? ORDER BY t.starts_at",
            (member_id, to_db(start), to_db(end)),
        )
        return [
            ServedTask(str(r[0]), from_db(r[1]), from_db(r[2]), int(r[3]), str(r[4])) for r in rows
        ]

    async def issue_record(self, record: IssuedRecord) -> None:
        """Keep what a printed record said, under its number."""
        await self.db.execute_write(
            "INSERT INTO service_records (number, member_id, community_id, year, tasks, hours,"
            " points, months, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.number,
                record.member_id,
                record.community_id,
                record.year,
                record.tasks,
                record.hours,
                record.points,
                record.months,
                record.issued_at,
            ),
        )

    async def record(self, number: str) -> tuple[IssuedRecord, str, str] | None:
        """A printed record by its number, with the member's and the community's names."""
        row = await self.db.fetchone(
            "SELECT r.number, r.member_id, r.community_id, r.year, r.tasks, r.hours, r.points,"
            " r.months, r.issued_at, m.name, c.name FROM service_records r"
            " JOIN members m ON m.id = r.member_id JOIN communities c ON c.id = r.community_id"
            " WHERE r.number = ?",
            (number,),
        )
        if row is None:
            return None
        return IssuedRecord(*row[:9]), str(row[9]), str(row[10])

    async def months_reported(self, member_id: int, year: int) -> list[str]:
        rows = await self.db.reader.fetchall(
            "SELECT month FROM monthly_reports WHERE member_id = ? AND month LIKE ? ORDER BY month",
            (member_id, f"{year}-%"),
        )
        return [str(r[0]) for r in rows]
