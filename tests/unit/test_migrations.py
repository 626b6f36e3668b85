"""Migrations apply to an empty database and from every earlier version."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.storage.db import Database, migrations, sql_statements

LATEST = len(migrations())


async def test_empty_database_reaches_latest(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new.sqlite3")
    try:
        assert await db.schema_version() == LATEST
        rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert {"communities", "members", "roster_entries", "group_chats"} <= {r[0] for r in rows}
        journal = await db.fetchone("PRAGMA journal_mode")
        assert journal is not None and journal[0] == "wal"
    finally:
        await db.close()


@pytest.mark.parametrize("start", range(LATEST + 1))
async def test_upgrade_from_every_version(tmp_path: Path, start: int) -> None:
    path = tmp_path / "old.sqlite3"
    db = await Database.open(path, migrate=False)
    await db.migrate(target=start)
    assert await db.schema_version() == start
    await db.close()
    db = await Database.open(path)
    try:
        assert await db.schema_version() == LATEST
        # the foreign-key graph is sound after upgrading
        assert list(await db.fetchall("PRAGMA foreign_key_check")) == []
    finally:
        await db.close()


async def test_failed_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    db = await Database.open(path)
    await db.close()
    with sqlite3.connect(path) as conn:  # a table the first migration would create again
        conn.execute("PRAGMA user_version = 0")
    db = await Database.open(path, migrate=False)
    try:
        with pytest.raises(sqlite3.OperationalError):
            await db.migrate()
        assert await db.schema_version() == 0
        assert not db.conn.in_transaction
    finally:
        await db.close()


async def test_16_25_two_processes_upgrading_at_once_apply_each_migration_once(
    tmp_path: Path,
) -> None:
    """16.25: two openers of an old database both find it old and queue for the write lock;
    the one that gets it second sees the migration applied and does not apply it again."""
    path = tmp_path / "old.sqlite3"
    db = await Database.open(path, migrate=False)
    await db.migrate(target=LATEST - 1)
    await db.close()
    first = await Database.open(path, migrate=False)
    second = await Database.open(path, migrate=False)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # both find version LATEST - 1, then wait for it
        runs = [asyncio.create_task(first.migrate()), asyncio.create_task(second.migrate())]
        await asyncio.sleep(0.5)
        assert not any(run.done() for run in runs)
        holder.execute("COMMIT")
        assert await asyncio.gather(*runs) == [LATEST, LATEST]
        assert await first.schema_version() == LATEST
        assert list(await first.fetchall("PRAGMA foreign_key_check")) == []
    finally:
        holder.close()
        await first.close()
        await second.close()


def test_16_25_scripts_split_into_whole_statements() -> None:
    script = "-- a; comment\nCREATE TABLE t (x TEXT DEFAULT 'a;b');\nCREATE TRIGGER g AFTER "
    script += "INSERT ON t BEGIN SELECT 1; SELECT 2; END;\n-- trailing\n"
    assert sql_statements(script) == [
        "-- a; comment\nCREATE TABLE t (x TEXT DEFAULT 'a;b');",
        "CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;",
    ]
