"""Job progress: which periods a scheduled job started and finished."""

from __future__ import annotations

from bot.storage.db import Database, utcnow


class JobRunRepository:
    """Reads and writes ``job_runs``."""

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
