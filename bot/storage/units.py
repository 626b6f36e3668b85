"""Reads and writes the work units (报到单位): their names and merged spellings, liaisons and
invitations, the quarterly feedback, and the points granted to a unit (共建)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.domain.timeutil import to_db
from bot.storage.db import Database, one, utcnow

# earned points: the same sources as the standings
_EARNED = "l.source IN ('task', 'grant', 'correction')"


@dataclass(frozen=True)
class Unit:
    """A work unit of one community."""

    id: int
    community_id: int
    name: str


@dataclass(frozen=True)
class UnitSummary:
    """One line of ``/units``: who belongs to the unit and where its feedback stands."""

    unit: Unit
    members: int
    in_service: int
    not_enrolled: int  # roster people of the unit who never enrolled
    liaison: str | None  # the liaison's name
    feedback_quarter: str | None  # the last quarter whose feedback was sent to the unit
    feedback_received: bool
    feedback_undelivered: bool = False  # Telegram refused it (the liaison blocked the bot…)


@dataclass(frozen=True)
class UnitMemberQuarter:
    """What one member of a unit did in a quarter (a line of the 反馈单)."""

    name: str
    member_type: str
    months: tuple[str, ...]  # YYYY-MM reported
    tasks: int
    hours: float
    points: int
    wishes: int


@dataclass(frozen=True)
class UnitStanding:
    """A unit's place in the year: its members' earned points and the points granted to it."""

    name: str
    members: int
    earned: int
    granted: int

    @property
    def points(self) -> int:
        return self.earned + self.granted


@dataclass(frozen=True)
class Liaison:
    """The person at a unit (its Party branch contact) who receives the unit's feedback."""

    telegram_id: int
    name: str
    language: str | None


@dataclass(frozen=True)
class Merged:
    """A merge done: the merged spelling's liaison, if it had one and lost the role."""

    dropped_liaison: int | None


@dataclass(frozen=True)
class Accepted:
    """An invitation taken up: the unit, and the liaison it replaces (if any)."""

    unit: Unit
    previous: int | None


def _unit(row: Sequence[Any]) -> Unit:
    return Unit(int(row[0]), int(row[1]), str(row[2]))


class UnitRepository:
    """``units`` and the tables that hang off it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def sync(self, community_id: int) -> None:
        """A unit for every name members and the roster give (a merged spelling is rewritten
        as its unit's name when it comes in: migration 0014)."""
        await self.db.execute_write(
            "INSERT OR IGNORE INTO units (community_id, name)"
            " SELECT DISTINCT community_id, work_unit FROM members"
            "   WHERE community_id = ? AND work_unit != '' AND erased_at IS NULL"
            " UNION SELECT DISTINCT community_id, work_unit FROM roster_entries"
            "   WHERE community_id = ? AND work_unit != ''",
            (community_id, community_id),
        )

    async def get(self, community_id: int, unit_id: int) -> Unit | None:
        """A unit of this community that has not been merged away."""
        row = await self.db.fetchone(
            "SELECT id, community_id, name FROM units"
            " WHERE id = ? AND community_id = ? AND merged_into IS NULL",
            (unit_id, community_id),
        )
        return _unit(row) if row else None

    async def overview(self, community_id: int) -> list[UnitSummary]:
        """Every unit with members, roster people, a liaison or granted points: most members
        first (its points are read for the units shown: ``points``)."""
        rows = await self.db.fetchall(
            "WITH people AS (SELECT m.work_unit AS unit, COUNT(*) AS n,"
            "   SUM(m.member_type = 'in_service') AS serving FROM members m"
            "   WHERE m.community_id = :c AND m.erased_at IS NULL AND m.work_unit != ''"
            "   GROUP BY m.work_unit),"
            " waiting AS (SELECT work_unit AS unit, COUNT(*) AS n FROM roster_entries"
            "   WHERE community_id = :c AND member_id IS NULL AND work_unit != ''"
            "   GROUP BY work_unit)"
            " SELECT u.id, u.community_id, u.name, IFNULL(p.n, 0), IFNULL(p.serving, 0),"
            "  IFNULL(w.n, 0), l.name, f.quarter, f.received_at IS NOT NULL,"
            "  (SELECT o.status IN ('unreachable', 'failed') FROM outbox o"
            "   WHERE o.job = 'unit-feedback' AND o.period = f.quarter"
            "   AND o.recipient = 'u:' || u.id AND o.part = 0)"
            " FROM units u LEFT JOIN people p ON p.unit = u.name"
            " LEFT JOIN waiting w ON w.unit = u.name"
            " LEFT JOIN unit_liaisons l ON l.unit_id = u.id"
            " LEFT JOIN unit_feedback f ON f.unit_id = u.id AND f.quarter ="
            "   (SELECT MAX(quarter) FROM unit_feedback WHERE unit_id = u.id)"
            " WHERE u.community_id = :c AND u.merged_into IS NULL"
            " AND (p.n > 0 OR w.n > 0 OR l.unit_id IS NOT NULL OR EXISTS (SELECT 1"
            "   FROM unit_grants g JOIN units s ON s.id = g.unit_id"
            "   WHERE s.id = u.id OR s.merged_into = u.id))"
            " ORDER BY IFNULL(p.n, 0) DESC, u.name",
            {"c": community_id},
        )
        return [
            UnitSummary(
                _unit(r[0:3]), int(r[3]), int(r[4]), int(r[5]), r[6], r[7], bool(r[8]), bool(r[9])
            )
            for r in rows
        ]

    async def points(self, units: list[Unit], start: datetime, end: datetime) -> dict[int, int]:
        """Each unit's account for [start, end): its members' earned points plus its grants
        (a few units at a time: their members are found by the unit index)."""
        found: dict[int, int] = {}
        for unit in units:
            row = await self.db.fetchone(
                "SELECT (SELECT IFNULL(SUM(l.points), 0) FROM members m"
                "   JOIN ledger_entries l ON l.member_id = m.id"
                f"  WHERE m.community_id = :c AND m.work_unit = :n AND {_EARNED}"
                "   AND l.served_at >= :s AND l.served_at < :e)"
                " + (SELECT IFNULL(SUM(g.points), 0) FROM unit_grants g"
                "   JOIN units s ON s.id = g.unit_id WHERE (s.id = :u OR s.merged_into = :u)"
                "   AND g.created_at >= :s AND g.created_at < :e)",
                {
                    "c": unit.community_id,
                    "n": unit.name,
                    "u": unit.id,
                    "s": to_db(start),
                    "e": to_db(end),
                },
            )
            found[unit.id] = int(row[0]) if row else 0
        return found

    async def merge(self, community_id: int, spelling_id: int, into_id: int) -> Merged | None:
        """``spelling_id`` is another spelling of ``into_id``: its members, roster people,
        grants, feedback and liaison (when ``into_id`` has none) go with it. None if either
        is gone."""
        async with self.db.transaction() as conn:
            found = await conn.execute_fetchall(
                "SELECT id, name FROM units WHERE community_id = ? AND merged_into IS NULL"
                " AND id IN (?, ?)",
                (community_id, spelling_id, into_id),
            )
            names = {int(r[0]): str(r[1]) for r in found}
            if spelling_id == into_id or len(names) != 2:
                return None
            await conn.execute(
                "UPDATE units SET merged_into = ? WHERE id = ? OR merged_into = ?",
                (into_id, spelling_id, spelling_id),
            )
            for table in ("members", "roster_entries"):
                await conn.execute(
                    f"UPDATE {table} SET work_unit = ? WHERE community_id = ? AND work_unit = ?",
                    (names[into_id], community_id, names[spelling_id]),
                )
            await conn.execute(
                "UPDATE OR IGNORE unit_feedback SET unit_id = ? WHERE unit_id = ?",
                (into_id, spelling_id),
            )
            await conn.execute(
                "UPDATE unit_liaisons SET unit_id = ? WHERE unit_id = ? AND NOT EXISTS"
                " (SELECT 1 FROM unit_liaisons WHERE unit_id = ?)",
                (into_id, spelling_id, into_id),
            )
            dropped = await one(
                conn, "SELECT telegram_id FROM unit_liaisons WHERE unit_id = ?", (spelling_id,)
            )
            await conn.execute("DELETE FROM unit_liaisons WHERE unit_id = ?", (spelling_id,))
            await self._cancel_invites(conn, spelling_id)
            return Merged(int(dropped[0]) if dropped else None)

    async def _cancel_invites(self, conn: aiosqlite.Connection, unit_id: int) -> None:
        """The unit's unused invitations stop working."""
        await conn.execute(
            "UPDATE unit_invites SET used_at = ? WHERE unit_id = ? AND used_at IS NULL",
            (utcnow(), unit_id),
        )

    async def remove_liaison(self, community_id: int, unit_id: int) -> Liaison | None:
        """The unit has no liaison any more (and its invitations stop working); who it was."""
        async with self.db.transaction() as conn:
            row = await one(
                conn,
                "SELECT l.telegram_id, l.name, l.language FROM unit_liaisons l"
                " JOIN units u ON u.id = l.unit_id WHERE l.unit_id = ? AND u.community_id = ?",
                (unit_id, community_id),
            )
            if row is None:
                return None
            await conn.execute("DELETE FROM unit_liaisons WHERE unit_id = ?", (unit_id,))
            await self._cancel_invites(conn, unit_id)
            return Liaison(int(row[0]), str(row[1]), row[2])

    async def feedback_waiting(self, unit_id: int, quarter: str) -> bool:
        """The quarter's feedback was sent to the unit and not yet acknowledged."""
        row = await self.db.fetchone(
            "SELECT 1 FROM unit_feedback WHERE unit_id = ? AND quarter = ? AND received_at IS NULL",
            (unit_id, quarter),
        )
        return row is not None

    async def invite(self, unit_id: int, code: str, created_by: int) -> None:
        """A new invitation; the unit's earlier unused ones stop working."""
        async with self.db.transaction() as conn:
            await self._cancel_invites(conn, unit_id)
            await conn.execute(
                "INSERT INTO unit_invites (code, unit_id, created_by, created_at)"
                " VALUES (?, ?, ?, ?)",
                (code, unit_id, created_by, utcnow()),
            )

    async def accept(
        self, code: str, telegram_id: int, name: str, language: str, issued_after: datetime
    ) -> Accepted | None:
        """Use an invitation once: its holder becomes the unit's liaison. None when the code is
        unknown, used, too old, or its unit was merged away."""
        now = utcnow()
        async with self.db.transaction() as conn:
            row = await one(
                conn,
                "SELECT u.id, u.community_id, u.name FROM unit_invites i"
                " JOIN units u ON u.id = i.unit_id WHERE i.code = ? AND i.used_at IS NULL"
                " AND i.created_at >= ? AND u.merged_into IS NULL",
                (code, to_db(issued_after)),
            )
            if row is None:
                return None
            unit = _unit(row)
            await conn.execute(
                "UPDATE unit_invites SET used_by = ?, used_at = ? WHERE code = ?",
                (telegram_id, now, code),
            )
            before = await one(
                conn, "SELECT telegram_id FROM unit_liaisons WHERE unit_id = ?", (unit.id,)
            )
            await conn.execute(
                "INSERT INTO unit_liaisons (unit_id, telegram_id, name, language, since)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (unit_id) DO UPDATE SET"
                " telegram_id = excluded.telegram_id, name = excluded.name,"
                " language = excluded.language, since = excluded.since",
                (unit.id, telegram_id, name, language, now),
            )
            await self._cancel_invites(conn, unit.id)
            previous = int(before[0]) if before and int(before[0]) != telegram_id else None
            return Accepted(unit, previous)

    async def of_liaison(self, telegram_id: int) -> list[Unit]:
        """The units this person is the liaison of."""
        rows = await self.db.fetchall(
            "SELECT u.id, u.community_id, u.name FROM unit_liaisons l"
            " JOIN units u ON u.id = l.unit_id WHERE l.telegram_id = ? ORDER BY u.name",
            (telegram_id,),
        )
        return [_unit(r) for r in rows]

    async def with_liaisons(self, community_id: int) -> list[tuple[Unit, Liaison]]:
        """Each unit that has a liaison, with the liaison."""
        rows = await self.db.fetchall(
            "SELECT u.id, u.community_id, u.name, l.telegram_id, l.name, l.language"
            " FROM unit_liaisons l JOIN units u ON u.id = l.unit_id WHERE u.community_id = ?"
            " ORDER BY u.name",
            (community_id,),
        )
        return [(_unit(r[0:3]), Liaison(int(r[3]), str(r[4]), r[5])) for r in rows]

    async def quarter(
        self, unit: Unit, start: datetime, end: datetime, months: tuple[str, ...]
    ) -> list[UnitMemberQuarter]:
        """Each member of the unit enrolled before ``end``, and what they did in [start, end)."""
        marks = ", ".join(f":m{n}" for n in range(len(months)))
        served = (
            "FROM signups g JOIN tasks t ON t.id = g.task_id WHERE g.member_id = m.id"
            " AND g.status = 'approved' AND t.starts_at >= :s AND t.starts_at < :e"
        )
        rows = await self.db.fetchall(
            "SELECT m.name, m.member_type,"
            " (SELECT GROUP_CONCAT(month) FROM (SELECT r.month FROM monthly_reports r"
            f"   WHERE r.member_id = m.id AND r.month IN ({marks})"
            "   ORDER BY r.month)),"
            f" (SELECT COUNT(*) {served}),"
            f" (SELECT IFNULL(SUM((julianday(t.ends_at) - julianday(t.starts_at)) * 24), 0)"
            f"  {served}),"
            " (SELECT IFNULL(SUM(l.points), 0) FROM ledger_entries l WHERE l.member_id = m.id"
            f"   AND {_EARNED} AND l.served_at >= :s AND l.served_at < :e),"
            " (SELECT COUNT(*) FROM wishes w WHERE w.claimant_id = m.id"
            "   AND w.status = 'fulfilled' AND w.updated_at >= :s AND w.updated_at < :e)"
            " FROM members m WHERE m.community_id = :c AND m.work_unit = :u"
            " AND m.erased_at IS NULL AND m.created_at < :e ORDER BY m.name, m.id",
            {
                "s": to_db(start),
                "e": to_db(end),
                "c": unit.community_id,
                "u": unit.name,
                **{f"m{n}": month for n, month in enumerate(months)},
            },
        )
        return [
            UnitMemberQuarter(
                str(r[0]),
                str(r[1]),
                tuple(str(r[2]).split(",")) if r[2] else (),
                int(r[3]),
                round(float(r[4]), 1),
                int(r[5]),
                int(r[6]),
            )
            for r in rows
        ]

    async def record_sent(self, unit_id: int, quarter: str, telegram_id: int) -> None:
        """The quarter's feedback went to this liaison (once per unit and quarter)."""
        await self.db.execute_write(
            "INSERT INTO unit_feedback (unit_id, quarter, telegram_id, sent_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (unit_id, quarter) DO NOTHING",
            (unit_id, quarter, telegram_id, utcnow()),
        )

    async def receive(self, unit_id: int, quarter: str) -> bool:
        """The liaison says the feedback arrived; False when it was already said (or never
        sent)."""
        changed = await self.db.execute_write(
            "UPDATE unit_feedback SET received_at = ? WHERE unit_id = ? AND quarter = ?"
            " AND received_at IS NULL",
            (utcnow(), unit_id, quarter),
        )
        return changed > 0

    async def grant(self, unit_id: int, points: int, reason: str, granted_by: int) -> None:
        await self.db.execute_write(
            "INSERT INTO unit_grants (unit_id, points, reason, granted_by, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (unit_id, points, reason, granted_by, utcnow()),
        )

    async def standings(
        self, community_id: int, start: datetime, end: datetime
    ) -> list[UnitStanding]:
        """Each unit's account for [start, end): most points first."""
        rows = await self.db.reader.fetchall(
            "WITH people AS (SELECT work_unit AS unit, COUNT(*) AS n FROM members"
            "   WHERE community_id = :c AND erased_at IS NULL AND work_unit != ''"
            "   GROUP BY work_unit),"
            " earned AS (SELECT m.work_unit AS unit, SUM(l.points) AS points"
            "   FROM ledger_entries l JOIN members m ON m.id = l.member_id"
            f"  WHERE l.community_id = :c AND {_EARNED}"
            "   AND l.served_at >= :s AND l.served_at < :e GROUP BY m.work_unit),"
            " granted AS (SELECT IFNULL(s.merged_into, s.id) AS unit_id, SUM(g.points) AS points"
            "   FROM unit_grants g JOIN units s ON s.id = g.unit_id WHERE s.community_id = :c"
            "   AND g.created_at >= :s AND g.created_at < :e GROUP BY 1)"
            " SELECT u.name, IFNULL(p.n, 0), IFNULL(e.points, 0), IFNULL(g.points, 0)"
            " FROM units u LEFT JOIN people p ON p.unit = u.name"
            " LEFT JOIN earned e ON e.unit = u.name LEFT JOIN granted g ON g.unit_id = u.id"
            " WHERE u.community_id = :c AND u.merged_into IS NULL"
            " AND (p.n > 0 OR g.points IS NOT NULL)",
            {"c": community_id, "s": to_db(start), "e": to_db(end)},
        )
        found = [UnitStanding(str(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]
        return sorted(found, key=lambda s: (-s.points, s.name))

    async def forget(self, telegram_id: int) -> bool:
        """A liaison asked to be forgotten: no longer a liaison, no trace in invitations;
        False when they were none."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "DELETE FROM unit_liaisons WHERE telegram_id = ?", (telegram_id,)
            )
            await conn.execute(
                "UPDATE unit_invites SET used_by = NULL WHERE used_by = ?", (telegram_id,)
            )
            await conn.execute(
                "UPDATE unit_feedback SET telegram_id = 0 WHERE telegram_id = ?", (telegram_id,)
            )
            return cursor.rowcount > 0
