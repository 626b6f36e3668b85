"""Job progress: runs per period and one delivery row per message a job sends."""

from __future__ import annotations

from collections.abc import Iterable

import aiosqlite

from bot.storage.db import Database, utcnow


class DeliveryRepository:
    """Reads and writes ``job_runs`` and ``deliveries``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def start_run(self, job: str, period: str) -> None:
        """Note that a run for this period began (again, after a crash)."""
        await self.db.execute_write(
            "INSERT OR IGNORE INTO job_runs (job, period, started_at) VALUES (?, ?, ?)",
            (job, period, utcnow()),
        )

    async def finish_run(self, job: str, period: str) -> None:
        await self.db.execute_write(
            "UPDATE job_runs SET finished_at = ? WHERE job = ? AND period = ?",
            (utcnow(), job, period),
        )

    async def finished(self, job: str, period: str) -> bool:
        row = await self.db.fetchone(
            "SELECT finished_at FROM job_runs WHERE job = ? AND period = ?", (job, period)
        )
        return row is not None and row[0] is not None

    async def plan(self, job: str, period: str, targets: Iterable[tuple[str, int]]) -> None:
        """A pending row for each (recipient, chat id) not planned before; one transaction."""
        now = utcnow()
        rows = [(job, period, recipient, chat_id, now) for recipient, chat_id in targets]

        async def work(conn: aiosqlite.Connection) -> None:
            await conn.executemany(
                "INSERT OR IGNORE INTO deliveries (job, period, recipient, chat_id, status,"
                " updated_at) VALUES (?, ?, ?, ?, 'pending', ?)",
                rows,
            )

        await self.db.write(work)

    async def statuses(self, job: str, period: str) -> dict[str, str]:
        """recipient → status, for one run."""
        rows = await self.db.fetchall(
            "SELECT recipient, status FROM deliveries WHERE job = ? AND period = ?", (job, period)
        )
        return {str(r[0]): str(r[1]) for r in rows}

    async def mark(
        self, job: str, period: str, recipient: str, status: str, error: str | None = None
    ) -> None:
        """Record how one send ended."""
        await self.db.execute_write(
            "UPDATE deliveries SET status = ?, error = ?, attempts = attempts + 1,"
            " updated_at = ? WHERE job = ? AND period = ? AND recipient = ?",
            (status, error, utcnow(), job, period, recipient),
        )
