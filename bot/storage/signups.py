"""Sign-ups: join, leave, check in and review, each one short transaction."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.domain.objections import REOPENABLE
from bot.domain.signups import (
    CheckInOutcome,
    JoinOutcome,
    LeaveOutcome,
    Signup,
    SignupStatus,
    decide_check_in,
    decide_join,
    decide_leave,
)
from bot.domain.tasks import Roster
from bot.storage.db import Database, one, utcnow


@dataclass(frozen=True)
class PendingReview:
    """A check-in waiting for the secretary."""

    signup_id: int
    task_id: int
    task_title: str
    points: int
    member_id: int
    member_name: str
    checked_in_at: str
    checkin_method: str


@dataclass(frozen=True)
class RejectedCheckIn:
    """A rejected check-in, which the secretary may reopen."""

    signup_id: int
    task_title: str
    points: int
    member_name: str
    starts_at: str
    reject_reason: str


@dataclass(frozen=True)
class Decided:
    """A sign-up as a reopening needs it."""

    signup_id: int
    task_id: int
    community_id: int
    telegram_id: int | None
    status: SignupStatus


@dataclass(frozen=True)
class Reviewed:
    """A review's result: who to tell, and whether it changed anything."""

    changed: bool
    member_id: int
    telegram_id: int | None
    task_id: int
    reported: str | None = None  # the month this approval filed the monthly report for


async def _status(conn: aiosqlite.Connection, task_id: int, member_id: int) -> SignupStatus | None:
    row = await one(
        conn, "SELECT status FROM signups WHERE task_id = ? AND member_id = ?", (task_id, member_id)
    )
    return SignupStatus(row[0]) if row else None


_STATUS_AND_ROSTER = (
    "SELECT (SELECT status FROM signups WHERE task_id = ? AND member_id = ?),"
    " COUNT(*) FILTER (WHERE status IN ('joined', 'checked_in', 'approved')),"
    " COUNT(*) FILTER (WHERE status = 'waitlisted') FROM signups WHERE task_id = ?"
)
_ROSTER = (
    "SELECT COUNT(*) FILTER (WHERE status IN ('joined', 'checked_in', 'approved')),"
    " COUNT(*) FILTER (WHERE status = 'waitlisted') FROM signups WHERE task_id = ?"
)


class SignupRepository:
    """Reads and writes ``signups`` (and the ledger entry an approval earns)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def roster(self, task_id: int, names: int = 0) -> Roster:
        """How many hold a place and wait; with ``names``, the first ones' names too."""
        row = await self.db.fetchone(_ROSTER, (task_id,))
        assert row is not None
        found: tuple[str, ...] = ()
        if names:
            rows = await self.db.fetchall(
                "SELECT m.name FROM signups s JOIN members m ON m.id = s.member_id"
                " WHERE s.task_id = ? AND s.status IN ('joined', 'checked_in', 'approved')"
                " AND m.erased_at IS NULL ORDER BY s.queue_seq, s.id LIMIT ?",
                (task_id, names),
            )
            found = tuple(str(r[0]) for r in rows)
        return Roster(joined=int(row[0]), waiting=int(row[1]), names=found)

    async def get(self, task_id: int, member_id: int) -> Signup | None:
        row = await self.db.fetchone(
            "SELECT id, task_id, member_id, status, checked_in_at, checkin_method FROM signups"
            " WHERE task_id = ? AND member_id = ?",
            (task_id, member_id),
        )
        return Signup(row[0], row[1], row[2], SignupStatus(row[3]), row[4], row[5]) if row else None

    async def join(self, task_id: int, member_id: int, capacity: int | None) -> JoinOutcome:
        """Join, or queue when full; concurrent taps are serialized by the transaction."""
        now = utcnow()

        async def work(conn: aiosqlite.Connection) -> JoinOutcome:
            # the member's status and the roster in one trip
            row = await one(conn, _STATUS_AND_ROSTER, (task_id, member_id, task_id))
            assert row is not None
            current = SignupStatus(row[0]) if row[0] else None
            outcome = decide_join(
                current, Roster(joined=int(row[1]), waiting=int(row[2])), capacity
            )
            if outcome in (JoinOutcome.JOINED, JoinOutcome.WAITLISTED):
                status = "joined" if outcome is JoinOutcome.JOINED else "waitlisted"
                await conn.execute(
                    "INSERT INTO signups (task_id, member_id, status, queued_at, queue_seq,"
                    " updated_at) VALUES (?, ?, ?, ?, (SELECT IFNULL(MAX(queue_seq), 0) + 1"
                    " FROM signups WHERE task_id = ?), ?)"
                    " ON CONFLICT (task_id, member_id) DO UPDATE SET status = excluded.status,"
                    " queued_at = excluded.queued_at, queue_seq = excluded.queue_seq,"
                    " updated_at = excluded.updated_at",
                    (task_id, member_id, status, now, task_id, now),
                )
            return outcome

        return await self.db.write(work)

    async def leave(self, task_id: int, member_id: int) -> tuple[LeaveOutcome, int | None]:
        """Leave; a freed place goes to the first waiting member, whose id is returned."""
        now = utcnow()

        async def work(conn: aiosqlite.Connection) -> tuple[LeaveOutcome, int | None]:
            outcome = decide_leave(await _status(conn, task_id, member_id))
            if outcome in (LeaveOutcome.LEFT, LeaveOutcome.LEFT_WAITLIST):
                await conn.execute(
                    "UPDATE signups SET status = 'left', updated_at = ?"
                    " WHERE task_id = ? AND member_id = ?",
                    (now, task_id, member_id),
                )
            if outcome is not LeaveOutcome.LEFT:
                return outcome, None
            row = await one(
                conn,
                "UPDATE signups SET status = 'joined', updated_at = ? WHERE id = (SELECT id"
                " FROM signups WHERE task_id = ? AND status = 'waitlisted'"
                " ORDER BY queue_seq LIMIT 1) RETURNING member_id",
                (now, task_id),
            )
            return outcome, int(row[0]) if row else None

        return await self.db.write(work)

    async def check_in(self, task_id: int, member_id: int, method: str) -> CheckInOutcome:
        """Record that a joined member served (by button or QR code)."""
        now = utcnow()

        async def work(conn: aiosqlite.Connection) -> CheckInOutcome:
            outcome = decide_check_in(await _status(conn, task_id, member_id))
            if outcome is CheckInOutcome.CHECKED_IN:
                await conn.execute(
                    "UPDATE signups SET status = 'checked_in', checked_in_at = ?,"
                    " checkin_method = ?, updated_at = ? WHERE task_id = ? AND member_id = ?",
                    (now, method, now, task_id, member_id),
                )
            return outcome

        return await self.db.write(work)

    async def attend(self, task_id: int, member_id: int) -> int | None:
        """A member the secretary saw serve (back-entry): checked in by 'secretary' (a
        pending check-in keeps its own), ready to approve; None when already approved."""
        now = utcnow()

        async def work(conn: aiosqlite.Connection) -> int | None:
            row = await one(
                conn,
                "INSERT INTO signups (task_id, member_id, status, queued_at, queue_seq,"
                " checked_in_at, checkin_method, updated_at) VALUES (?, ?, 'checked_in', ?,"
                " (SELECT IFNULL(MAX(queue_seq), 0) + 1 FROM signups WHERE task_id = ?), ?,"
                " 'secretary', ?) ON CONFLICT (task_id, member_id) DO UPDATE SET"
                " checked_in_at = CASE WHEN status = 'checked_in' THEN checked_in_at"
                " ELSE excluded.checked_in_at END,"
                " checkin_method = CASE WHEN status = 'checked_in' THEN checkin_method"
                " ELSE 'secretary' END,"
                " status = 'checked_in', updated_at = excluded.updated_at"
                " WHERE signups.status != 'approved' RETURNING id",
                (task_id, member_id, now, task_id, now, now),
            )
            return int(row[0]) if row else None

        return await self.db.write(work)

    async def approve(
        self,
        signup_id: int,
        reviewer: int,
        report_month: str | None,
        *,
        reopen: bool = False,
    ) -> Reviewed:
        """Approve a check-in: exactly one ledger entry for the task's points, in one go,
        served at the task's start (however late it is approved).

        ``report_month`` (YYYY-MM) when the task counts as that month's report. With
        ``reopen``, a check-in that earned nothing (rejected, or a no-show) is approved after
        all; its entry is served at the task's start too, so it counts in that month.
        """
        now = utcnow()
        statuses = REOPENABLE if reopen else (SignupStatus.CHECKED_IN,)
        marks = ",".join("?" for _ in statuses)

        async def work(conn: aiosqlite.Connection) -> tuple[bool, str | None]:
            row = await one(
                conn,
                "UPDATE signups SET status = 'approved', reviewed_by = ?, reviewed_at = ?,"
                f" updated_at = ? WHERE id = ? AND status IN ({marks})"
                " RETURNING member_id, task_id",
                (reviewer, now, now, signup_id, *(s.value for s in statuses)),
            )
            if row is None:
                return False, None
            await conn.execute(
                "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
                " task_id, signup_id, author_id, created_at, served_at)"
                " SELECT ?, t.community_id, t.points, t.title, 'task', t.id, ?, ?, ?, t.starts_at"
                " FROM tasks t WHERE t.id = ?",
                (row[0], signup_id, reviewer, now, row[1]),
            )
            if report_month is None:
                return True, None
            cursor = await conn.execute(
                "INSERT INTO monthly_reports (member_id, month, reported_at, source)"
                " VALUES (?, ?, ?, 'checkin') ON CONFLICT DO NOTHING",
                (row[0], report_month, now),
            )
            return True, report_month if cursor.rowcount == 1 else None

        changed, reported = await self.db.write(work)
        return await self._reviewed(signup_id, changed=changed, reported=reported)

    async def reject(self, signup_id: int, reviewer: int, reason: str) -> Reviewed:
        """Reject a check-in, with the reason the member will read."""
        now = utcnow()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE signups SET status = 'rejected', reviewed_by = ?, reviewed_at = ?,"
                " reject_reason = ?, updated_at = ? WHERE id = ? AND status = 'checked_in'",
                (reviewer, now, reason, now, signup_id),
            )
        return await self._reviewed(signup_id, changed=cursor.rowcount == 1)

    async def _reviewed(
        self, signup_id: int, *, changed: bool, reported: str | None = None
    ) -> Reviewed:
        row = await self.db.fetchone(
            "SELECT s.member_id, m.telegram_id, s.task_id FROM signups s"
            " JOIN members m ON m.id = s.member_id WHERE s.id = ?",
            (signup_id,),
        )
        assert row is not None
        return Reviewed(changed, row[0], row[1], row[2], reported)

    async def pending_task(self, signup_id: int) -> tuple[int, int | None] | None:
        """The task of a check-in still waiting for review, and the member's Telegram id."""
        row = await self.db.fetchone(
            "SELECT s.task_id, m.telegram_id FROM signups s JOIN members m ON m.id = s.member_id"
            " WHERE s.id = ? AND s.status = 'checked_in'",
            (signup_id,),
        )
        return (int(row[0]), row[1]) if row else None

    async def decided(self, signup_id: int) -> Decided | None:
        """A sign-up's task, member and status (to reopen one that earned nothing)."""
        row = await self.db.fetchone(
            "SELECT s.id, s.task_id, t.community_id, m.telegram_id, s.status FROM signups s"
            " JOIN tasks t ON t.id = s.task_id JOIN members m ON m.id = s.member_id"
            " WHERE s.id = ?",
            (signup_id,),
        )
        return Decided(row[0], row[1], row[2], row[3], SignupStatus(row[4])) if row else None

    async def rejected_count(self, community_id: int, since: str) -> int:
        """Rejected check-ins of the community's tasks started at ``since`` or later."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM signups s JOIN tasks t ON t.id = s.task_id"
            " WHERE t.community_id = ? AND s.status = 'rejected' AND t.starts_at >= ?",
            (community_id, since),
        )
        return int(row[0]) if row else 0

    async def rejected(
        self, community_id: int, since: str, offset: int, limit: int
    ) -> list[RejectedCheckIn]:
        """Rejected check-ins of tasks started at ``since`` or later, latest decision first."""
        rows = await self.db.fetchall(
            "SELECT s.id, t.title, t.points, m.name, t.starts_at, IFNULL(s.reject_reason, '')"
            " FROM signups s JOIN tasks t ON t.id = s.task_id"
            " JOIN members m ON m.id = s.member_id WHERE t.community_id = ?"
            " AND s.status = 'rejected' AND t.starts_at >= ?"
            " ORDER BY s.reviewed_at DESC, s.id DESC LIMIT ? OFFSET ?",
            (community_id, since, limit, offset),
        )
        return [RejectedCheckIn(*r) for r in rows]

    async def pending_count(self, community_id: int) -> int:
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM signups s JOIN tasks t ON t.id = s.task_id"
            " WHERE t.community_id = ? AND s.status = 'checked_in'",
            (community_id,),
        )
        return int(row[0]) if row else 0

    async def pending(self, community_id: int, offset: int, limit: int) -> list[PendingReview]:
        """Check-ins waiting for review, oldest first."""
        rows = await self.db.fetchall(
            "SELECT s.id, t.id, t.title, t.points, m.id, m.name, s.checked_in_at,"
            " s.checkin_method FROM signups s JOIN tasks t ON t.id = s.task_id"
            " JOIN members m ON m.id = s.member_id WHERE t.community_id = ?"
            " AND s.status = 'checked_in' ORDER BY s.checked_in_at, s.id LIMIT ? OFFSET ?",
            (community_id, limit, offset),
        )
        return [PendingReview(*r) for r in rows]

    async def signup_community(self, signup_id: int) -> int | None:
        """The community a sign-up's task belongs to (to check the reviewer's powers)."""
        row = await self.db.fetchone(
            "SELECT t.community_id FROM signups s JOIN tasks t ON t.id = s.task_id WHERE s.id = ?",
            (signup_id,),
        )
        return int(row[0]) if row else None

    async def telegram_ids(self, task_id: int, statuses: tuple[SignupStatus, ...]) -> list[int]:
        """Telegram ids of the task's members in these statuses (to tell them something)."""
        marks = ",".join("?" for _ in statuses)
        rows = await self.db.fetchall(
            f"SELECT m.telegram_id FROM signups s JOIN members m ON m.id = s.member_id"
            f" WHERE s.task_id = ? AND s.status IN ({marks}) AND m.telegram_id IS NOT NULL"
            " ORDER BY s.queue_seq",
            (task_id, *[s.value for s in statuses]),
        )
        return [int(r[0]) for r in rows]

    async def member_signups(self, member_id: int) -> list[tuple[int, SignupStatus]]:
        """(task id, status) of a member's current sign-ups on open tasks."""
        rows = await self.db.fetchall(
            "SELECT s.task_id, s.status FROM signups s JOIN tasks t ON t.id = s.task_id"
            " WHERE s.member_id = ? AND t.status = 'open'"
            " AND s.status IN ('joined', 'waitlisted', 'checked_in', 'approved')"
            " ORDER BY t.starts_at",
            (member_id,),
        )
        return [(int(r[0]), SignupStatus(r[1])) for r in rows]

    async def settle_no_shows(self, task_id: int) -> int:
        """Joined members who never checked in become no-shows; the task is settled."""
        now = utcnow()
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE signups SET status = 'no_show', updated_at = ?"
                " WHERE task_id = ? AND status = 'joined'",
                (now, task_id),
            )
            await conn.execute("UPDATE tasks SET settled_at = ? WHERE id = ?", (now, task_id))
        return cursor.rowcount
