"""Categories, tasks and the cards that show them in group chats."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.tasks import Category, Task, TaskDraft, TaskStatus
from bot.domain.timeutil import from_db, to_db
from bot.storage.db import Database, utcnow
from bot.storage.ledger import EARNED

_COLUMNS = (
    "id, community_id, title, category, points, starts_at, ends_at, capacity, place, status,"
    " checkin_token"
)


def _task(row: aiosqlite.Row) -> Task:
    return Task(
        id=row["id"],
        community_id=row["community_id"],
        title=row["title"],
        category=row["category"],
        points=row["points"],
        starts_at=from_db(row["starts_at"]),
        ends_at=from_db(row["ends_at"]),
        capacity=row["capacity"],
        place=row["place"],
        status=TaskStatus(row["status"]),
        checkin_token=row["checkin_token"],
    )


@dataclass(frozen=True)
class WeekStats:
    """What a community's volunteers did in a week."""

    tasks: int
    hours: float
    volunteers: int
    points: int


class TaskRepository:
    """Reads and writes ``categories``, ``tasks`` and ``task_cards``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def categories(self, community_id: int) -> list[Category]:
        """The community's own categories and the shared ones, in their order."""
        rows = await self.db.fetchall(
            "SELECT id, name, default_points FROM categories WHERE active = 1"
            " AND (community_id IS NULL OR community_id = ?) ORDER BY position, id",
            (community_id,),
        )
        return [Category(r[0], r[1], r[2]) for r in rows]

    async def add_category(self, community_id: int, name: str, default_points: int) -> None:
        """A category of the community's own (or re-activate one)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO categories (community_id, name, default_points, position)"
                " VALUES (?, ?, ?, 100) ON CONFLICT DO UPDATE SET active = 1,"
                " default_points = excluded.default_points",
                (community_id, name, default_points),
            )

    async def create_draft(self, community_id: int, draft: TaskDraft, created_by: int) -> Task:
        """Store a task the secretary has not published yet."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO tasks (community_id, title, category, points, starts_at, ends_at,"
                " capacity, place, status, checkin_token, created_by, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?)",
                (
                    community_id,
                    draft.title,
                    draft.category,
                    draft.points,
                    to_db(draft.starts_at),
                    to_db(draft.ends_at),
                    draft.capacity,
                    draft.place,
                    secrets.token_urlsafe(12),
                    created_by,
                    utcnow(),
                ),
            )
            task_id = int(cursor.lastrowid or 0)
        task = await self.get(task_id)
        assert task is not None
        return task

    async def open_with_card_in(self, chat_id: int) -> list[int]:
        """Tasks not cancelled whose card is in this chat (cards to redraw)."""
        rows = await self.db.fetchall(
            "SELECT DISTINCT t.id FROM task_cards c JOIN tasks t ON t.id = c.task_id"
            " WHERE c.chat_id = ? AND t.status IN ('open', 'closed') AND t.settled_at IS NULL",
            (chat_id,),
        )
        return [int(r[0]) for r in rows]

    async def get(self, task_id: int) -> Task | None:
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM tasks WHERE id = ?", (task_id,))
        return _task(row) if row else None

    async def get_by_token(self, token: str) -> Task | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM tasks WHERE checkin_token = ?", (token,)
        )
        return _task(row) if row else None

    async def change_status(self, task_id: int, before: TaskStatus, after: TaskStatus) -> bool:
        """Move a task from ``before`` to ``after``; False when it was not in ``before``."""
        column = "published_at" if after is TaskStatus.OPEN else "finished_at"
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                f"UPDATE tasks SET status = ?, {column} = ? WHERE id = ? AND status = ?",
                (after.value, utcnow(), task_id, before.value),
            )
        return cursor.rowcount == 1

    async def move(self, task_id: int, starts_at: datetime, ends_at: datetime, place: str) -> bool:
        """A new time and place for an open task (17.18); False when it is not open."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE tasks SET starts_at = ?, ends_at = ?, place = ?"
                " WHERE id = ? AND status = 'open'",
                (to_db(starts_at), to_db(ends_at), place, task_id),
            )
        return cursor.rowcount == 1

    async def add_card(self, task_id: int, chat_id: int, message_id: int) -> None:
        """Remember where a task's card was posted, so it can be edited."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO task_cards (task_id, chat_id, message_id) VALUES (?, ?, ?)",
                (task_id, chat_id, message_id),
            )

    async def card_shown(self, chat_id: int, message_id: int) -> str | None:
        """The digest of what a card shows (None: not known, as after it was posted)."""
        row = await self.db.fetchone(
            "SELECT shown FROM task_cards WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return None if row is None or row[0] is None else str(row[0])

    async def set_card_shown(self, chat_id: int, message_id: int, shown: str) -> None:
        """A card was edited to show ``shown`` (a digest)."""
        await self.db.execute_write(
            "UPDATE task_cards SET shown = ? WHERE chat_id = ? AND message_id = ?",
            (shown, chat_id, message_id),
        )

    async def cards(self, task_id: int) -> list[tuple[int, int]]:
        """(chat id, message id) of every card of a task."""
        rows = await self.db.fetchall(
            "SELECT chat_id, message_id FROM task_cards WHERE task_id = ? ORDER BY chat_id",
            (task_id,),
        )
        return [(r[0], r[1]) for r in rows]

    async def open_tasks(
        self, community_id: int, now: datetime, limit: int = 20, offset: int = 0
    ) -> list[Task]:
        """Published tasks that have not ended, soonest first (``limit`` from ``offset``)."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM tasks WHERE community_id = ? AND status = 'open'"
            " AND ends_at > ? ORDER BY starts_at, id LIMIT ? OFFSET ?",
            (community_id, to_db(now), limit, offset),
        )
        return [_task(r) for r in rows]

    async def count_open(self, community_id: int, now: datetime) -> int:
        """How many tasks ``open_tasks`` lists in all."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM tasks WHERE community_id = ? AND status = 'open' AND ends_at > ?",
            (community_id, to_db(now)),
        )
        return int(row[0]) if row else 0

    async def ended_before(self, cutoff: datetime) -> list[Task]:
        """Open tasks whose check-in closed before ``cutoff`` (to settle no-shows)."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM tasks WHERE status IN ('open', 'closed')"
            " AND settled_at IS NULL AND ends_at < ? ORDER BY id",
            (to_db(cutoff),),
        )
        return [_task(r) for r in rows]

    async def starting_between(
        self, community_id: int, start: datetime, end: datetime, limit: int = 20
    ) -> list[Task]:
        """Open tasks of a community that start in [start, end)."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM tasks WHERE community_id = ? AND status = 'open'"
            " AND starts_at >= ? AND starts_at < ? ORDER BY starts_at, id LIMIT ?",
            (community_id, to_db(start), to_db(end), limit),
        )
        return [_task(r) for r in rows]

    async def all_starting_between(self, start: datetime, end: datetime) -> list[Task]:
        """Open tasks of every community that start in [start, end) (task reminders)."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM tasks WHERE status = 'open'"
            " AND starts_at > ? AND starts_at <= ? ORDER BY starts_at, id",
            (to_db(start), to_db(end)),
        )
        return [_task(r) for r in rows]

    async def week_stats(self, community_id: int, start: datetime, end: datetime) -> WeekStats:
        """Tasks held, volunteer hours served, volunteers and points earned in [start, end)."""
        row = await self.db.fetchone(
            "SELECT (SELECT COUNT(*) FROM tasks WHERE community_id = :c"
            "   AND status IN ('open', 'closed') AND starts_at >= :s AND starts_at < :e),"
            " (SELECT IFNULL(SUM((julianday(t.ends_at) - julianday(t.starts_at)) * 24), 0)"
            "   FROM signups g JOIN tasks t ON t.id = g.task_id WHERE t.community_id = :c"
            "   AND g.status IN ('checked_in', 'approved')"
            "   AND t.starts_at >= :s AND t.starts_at < :e),"
            " (SELECT COUNT(DISTINCT g.member_id) FROM signups g JOIN tasks t ON t.id = g.task_id"
            "   WHERE t.community_id = :c AND g.status IN ('checked_in', 'approved')"
            "   AND t.starts_at >= :s AND t.starts_at < :e),"
            # points earned, as the standings count them: the shop's spending is no service
            " (SELECT IFNULL(SUM(points), 0) FROM ledger_entries WHERE community_id = :c"
            f"   AND source IN {EARNED} AND served_at >= :s AND served_at < :e)",
            {"c": community_id, "s": to_db(start), "e": to_db(end)},
        )
        assert row is not None
        return WeekStats(int(row[0]), round(float(row[1]), 1), int(row[2]), int(row[3]))
