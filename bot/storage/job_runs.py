"""Job progress: which periods a scheduled job started and finished, and failed runs'
retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.storage.db import Database, utcnow


def stamp(moment: datetime) -> str:
    """A moment as stored: ISO 8601 in UTC, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Failure:
    """A failed run, as recorded: how many tries failed, and whether admins were told."""

    attempts: int
    reported: bool


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
            "UPDATE job_runs SET finished_at = ?, retry_at = NULL WHERE job = ? AND period = ?",
            (utcnow(), job, period),
        )

    async def finished(self, job: str, period: str) -> bool:
        row = await self.db.fetchone(
            "SELECT finished_at FROM job_runs WHERE job = ? AND period = ?", (job, period)
        )
        return row is not None and row[0] is not None

    async def record_failure(self, job: str, period: str, error: str) -> Failure:
        """One more failed try (inside the caller's transaction, if any); the failure as it
        now stands."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR IGNORE INTO job_runs (job, period, started_at) VALUES (?, ?, ?)",
                (job, period, utcnow()),
            )
            await conn.execute(
                "UPDATE job_runs SET attempts = attempts + 1, error = ?"
                " WHERE job = ? AND period = ?",
                (error, job, period),
            )
            rows = await conn.execute_fetchall(
                "SELECT attempts, reported_at FROM job_runs WHERE job = ? AND period = ?",
                (job, period),
            )
        attempts, reported_at = next(iter(rows))
        return Failure(int(attempts), reported_at is not None)

    async def record_retry(self, job: str, period: str, retry_at: datetime) -> None:
        """The failed run's next try is due at ``retry_at``."""
        await self.db.execute_write(
            "UPDATE job_runs SET retry_at = ? WHERE job = ? AND period = ?",
            (stamp(retry_at), job, period),
        )

    async def mark_reported(self, job: str, period: str) -> None:
        """The admins were told of this run's failure: not again for the same period."""
        await self.db.execute_write(
            "UPDATE job_runs SET reported_at = ? WHERE job = ? AND period = ?",
            (utcnow(), job, period),
        )

    async def retries_due(self, now: datetime) -> list[tuple[str, str]]:
        """(job, period) of every unfinished failed run whose next try is due by ``now``."""
        rows = await self.db.fetchall(
            "SELECT job, period FROM job_runs WHERE finished_at IS NULL"
            " AND retry_at IS NOT NULL AND retry_at <= ? ORDER BY retry_at",
            (stamp(now),),
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    async def stop_retrying(self, job: str, period: str) -> None:
        """The run is no longer due (its period has passed): no more tries."""
        await self.db.execute_write(
            "UPDATE job_runs SET retry_at = NULL WHERE job = ? AND period = ?", (job, period)
        )
