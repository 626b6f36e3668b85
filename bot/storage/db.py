"""The aiosqlite connections, their pragmas, numbered migrations and short transactions.

Every use of the main connection holds one lock, owned by the asyncio task that took it: a
transaction's statements never interleave with another task's, and a repository method
called inside a use case's transaction joins it instead of opening its own. Only public
aiosqlite APIs are used; a failed COMMIT is rolled back so the connection stays usable.

Long reads (a month's sheet, a year's record, the charts) go through :attr:`Database.reader`,
a second, read-only connection: under WAL it reads the last committed state without waiting
for the writer or making it wait, so a Join tap's short statements never queue behind an
export's query on the main connection.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

logger = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

Params = Sequence[Any] | dict[str, Any]
Row = aiosqlite.Row
T = TypeVar("T")


def utcnow() -> str:
    """The current time as stored: ISO 8601 in UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def migrations() -> list[tuple[int, str, str]]:
    """Every migration as (version, file name, SQL), in order."""
    found = []
    for item in resources.files("bot.storage").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.match(item.name)
        if match:
            found.append((int(match.group(1)), item.name, item.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, got {versions}")
    return found


def sql_statements(script: str) -> list[str]:
    """The statements of a migration script, one by one (a trigger's body stays whole)."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if _has_code(pending):
                statements.append(pending.strip())
            pending = ""
    if _has_code(pending.removesuffix(";")):
        raise ValueError(f"incomplete SQL statement at the end: {pending.strip()[:80]!r}")
    return statements


def _has_code(text: str) -> bool:
    """Whether ``text`` holds more than blanks and ``--`` comments."""
    return any(line.split("--", 1)[0].strip(" ;\t") for line in text.splitlines())


class _TaskLock:
    """A lock the holding asyncio task may take again (it joins what it already holds)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None

    def held_here(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    @asynccontextmanager
    async def hold(self) -> AsyncIterator[bool]:
        """Yields True when this call took the lock, False when the task already held it."""
        if self.held_here():
            yield False
            return
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                yield True
            finally:
                self._owner = None


# Rows a long read hands over at a time (see Reader.chunks).
CHUNK_ROWS = 500


class Reader:
    """Read-only queries on a connection of their own (long reads: sheets, records, charts).

    Each query sees what was committed when it started. A task inside a transaction of the
    main connection reads there instead, so it sees its own uncommitted writes.
    """

    def __init__(self, db: Database, conn: aiosqlite.Connection | None) -> None:
        self._db = db
        self.conn = conn

    async def fetchall(self, sql: str, params: Params = ()) -> Iterable[Row]:
        """All rows of a read query (one round trip)."""
        if self.conn is None or self._db.in_transaction_here():
            return await self._db.fetchall(sql, params)
        return await self.conn.execute_fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """One row of a read query, or None (one round trip)."""
        return next(iter(await self.fetchall(sql, params)), None)

    async def chunks(
        self, sql: str, params: Params = (), size: int = CHUNK_ROWS
    ) -> AsyncIterator[list[Row]]:
        """The rows of a long read query, ``size`` at a time: between two chunks the event
        loop answers others (turning thousands of rows into objects at once would stall it)."""
        if self.conn is None or self._db.in_transaction_here():
            rows = list(await self._db.fetchall(sql, params))
            for start in range(0, len(rows), size):
                yield rows[start : start + size]
                await asyncio.sleep(0)
            return
        async with self.conn.execute(sql, params) as cursor:
            while rows := list(await cursor.fetchmany(size)):
                yield rows


class Database:
    """The bot's SQLite database; every write goes through :meth:`transaction`."""

    def __init__(
        self, conn: aiosqlite.Connection, reader: aiosqlite.Connection | None = None
    ) -> None:
        self.conn = conn
        self._lock = _TaskLock()
        # without a second connection (an in-memory database), long reads use the main one
        self.reader = Reader(self, reader)

    @classmethod
    async def open(cls, path: Path | str, *, migrate: bool = True) -> Database:
        """Open (creating folders as needed), set pragmas and apply pending migrations."""
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(str(path), isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            # first: another process opening the database at the same time is waited for
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            db = cls(conn)
            if migrate:
                await db.migrate()
            if str(path) != ":memory:":
                db.reader = Reader(db, await _open_reader(path))
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        """Close the connections (their worker threads keep the process alive otherwise)."""
        if self.reader.conn is not None:
            await self.reader.conn.close()
        await self.conn.close()

    def in_transaction_here(self) -> bool:
        """Whether the current task holds the main connection (inside a transaction, say)."""
        return self._lock.held_here()

    async def schema_version(self) -> int:
        """The number of the last migration applied."""
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self, target: int | None = None) -> int:
        """Apply migrations after the current version (up to ``target``); return the version.

        Each one runs in a ``BEGIN IMMEDIATE`` transaction that re-reads the version first:
        two processes opening an old database at once take turns, and the second finds the
        migration applied instead of applying it again.
        """
        current = await self.schema_version()
        for version, name, sql in migrations():
            if version <= current or (target is not None and version > target):
                continue
            async with self._lock.hold():
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    rows = await self.conn.execute_fetchall("PRAGMA user_version")
                    current = int(next(iter(rows))[0])
                    if version <= current:  # another process applied it meanwhile
                        await self.conn.execute("COMMIT")
                        continue
                    logger.info("applying migration %s", name)
                    for statement in sql_statements(sql):
                        await self.conn.execute(statement)
                    await self.conn.execute(f"PRAGMA user_version = {version}")
                    await self.conn.execute("COMMIT")
                except BaseException:
                    await self._rollback()
                    raise
            current = version
        return current

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A ``BEGIN IMMEDIATE`` transaction, committed on success, rolled back on error.

        Inside a transaction the same task may open another: it joins the outer one, so a
        use case can call several repositories and commit them together.
        """
        async with self._lock.hold() as outermost:
            if not outermost:
                yield self.conn
                return
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                await self.conn.execute("COMMIT")
            except BaseException:
                await self._rollback()
                raise

    async def _rollback(self) -> None:
        """Leave a failed transaction (a failed COMMIT included); the connection stays usable."""
        if self.conn.in_transaction:
            try:
                await self.conn.execute("ROLLBACK")
            except Exception:
                logger.exception("rollback failed")

    async def execute_write(self, sql: str, params: Params = ()) -> int:
        """One statement that writes, atomic on its own; the number of rows it changed."""
        async with self._lock.hold():
            cursor = await self.conn.execute(sql, params)
            return cursor.rowcount

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        """One row of a read query, or None (one round trip)."""
        async with self._lock.hold():
            rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Params = ()) -> Iterable[Row]:
        """All rows of a read query (one round trip)."""
        async with self._lock.hold():
            return await self.conn.execute_fetchall(sql, params)

    async def backup_to(self, target: Path) -> None:
        """Copy the live database to ``target`` with SQLite's online backup."""
        target.parent.mkdir(parents=True, exist_ok=True)
        async with aiosqlite.connect(str(target)) as dest, self._lock.hold():
            await self.conn.backup(dest)

    async def write(self, work: Callable[[aiosqlite.Connection], Awaitable[T]]) -> T:
        """Run ``work`` (a read-then-write) in one transaction; its result."""
        async with self.transaction() as conn:
            return await work(conn)


async def _open_reader(path: Path | str) -> aiosqlite.Connection:
    """The second connection: read-only, autocommit (each query reads the latest commit)."""
    conn = await aiosqlite.connect(str(path), isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        await conn.execute("PRAGMA busy_timeout=5000")
        await conn.execute("PRAGMA query_only=ON")
    except BaseException:
        await conn.close()
        raise
    return conn


async def one(conn: aiosqlite.Connection, sql: str, params: Params = ()) -> Row | None:
    """One row of a query on ``conn`` (inside a transaction), or None."""
    rows = await conn.execute_fetchall(sql, params)
    return next(iter(rows), None)
