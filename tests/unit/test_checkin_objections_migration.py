"""Migration 22 rebuilds ``objections`` so one may point at a sign-up instead of a ledger
entry (issue 17.1): every objection stays as it was, and exactly one of the two is set."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.db import Database


async def test_17_1_objections_survive_the_rebuild_and_may_point_at_a_check_in(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    db = await Database.open(path, migrate=False)
    await db.migrate(target=21)
    for sql in (
        "INSERT INTO communities (id, name, enroll_code, created_at) VALUES (1, 'c', 'x', 'now')",
        "INSERT INTO members (id, community_id, name, member_type, created_at, updated_at)"
        " VALUES (1, 1, '张三', 'in_service', 'a', 'a')",
        "INSERT INTO ledger_entries (id, member_id, community_id, points, reason, source,"
        " created_at) VALUES (1, 1, 1, 6, '记分', 'grant', 'a')",
        "INSERT INTO objections (member_id, entry_id, month, reason, status, created_at)"
        " VALUES (1, 1, '2026-12', '多记了', 'kept', 'b')",
    ):
        await db.execute_write(sql)
    await db.close()
    db = await Database.open(path)
    try:
        row = await db.fetchone(
            "SELECT id, member_id, entry_id, signup_id, month, reason, status FROM objections"
        )
        assert row is not None and tuple(row) == (1, 1, 1, None, "2026-12", "多记了", "kept")
        assert list(await db.fetchall("PRAGMA foreign_key_check")) == []
        with pytest.raises(sqlite3.IntegrityError):  # neither an entry nor a check-in
            await db.execute_write(
                "INSERT INTO objections (member_id, month, reason, status, created_at)"
                " VALUES (1, '2026-12', 'x', 'open', 'c')"
            )
        await db.execute_write("UPDATE objections SET status = 'reopened'")
    finally:
        await db.close()
