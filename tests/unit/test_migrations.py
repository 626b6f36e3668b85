"""Migrations apply to an empty database and from every earlier version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.db import Database, migrations

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
