"""Migration 23 gives every ledger entry the moment it was served (issue 17.10): a task's
entry its task's start, a correction the corrected entry's, the rest when they were made;
the ledger stays append-only and no entry is written without it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.db import Database

SERVED, APPROVED, GRANTED = "2026-12-19T01:00:00+00:00", "2026-12-26T02:00:00+00:00", "2026-12-20"


async def test_17_10_existing_entries_are_back_filled_with_their_service_date(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    db = await Database.open(path, migrate=False)
    await db.migrate(target=22)
    for sql, params in (
        ("INSERT INTO communities VALUES (1, 'c', 'x', 'now')", ()),
        (
            "INSERT INTO members (id, community_id, name, member_type, created_at, updated_at)"
            " VALUES (1, 1, '陈明', 'in_service', 'a', 'a')",
            (),
        ),
        (
            "INSERT INTO tasks (id, community_id, title, category, points, starts_at, ends_at,"
            " place, status, checkin_token, created_by, created_at)"
            " VALUES (1, 1, '清理', 'c', 5, ?, ?, 'A', 'closed', 't', 9, 'a')",
            (SERVED, SERVED),
        ),
        (
            "INSERT INTO signups (id, task_id, member_id, status, queued_at, queue_seq,"
            " updated_at) VALUES (1, 1, 1, 'approved', 'a', 1, 'a')",
            (),
        ),
        (
            "INSERT INTO ledger_entries (id, member_id, community_id, points, reason, source,"
            " task_id, signup_id, created_at) VALUES (1, 1, 1, 5, '清理', 'task', 1, 1, ?)",
            (APPROVED,),
        ),
        (
            "INSERT INTO ledger_entries (id, member_id, community_id, points, reason, source,"
            " created_at) VALUES (2, 1, 1, 3, '表彰', 'grant', ?)",
            (GRANTED,),
        ),
        (  # a correction of entry 1, resolved after the approval
            "INSERT INTO ledger_entries (id, member_id, community_id, points, reason, source,"
            " created_at) VALUES (3, 1, 1, 2, '清理', 'correction', ?)",
            (APPROVED,),
        ),
        (
            "INSERT INTO objections (member_id, entry_id, month, reason, status,"
            " correction_entry_id, created_at) VALUES (1, 1, '2026-12', '少算', 'corrected',"
            " 3, 'a')",
            (),
        ),
    ):
        await db.execute_write(sql, params)
    await db.close()
    db = await Database.open(path)
    try:
        rows = await db.fetchall("SELECT id, served_at FROM ledger_entries ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, SERVED), (2, GRANTED), (3, SERVED)]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            await db.execute_write("UPDATE ledger_entries SET served_at = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="served"):
            await db.execute_write(
                "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
                " created_at) VALUES (1, 1, 1, 'r', 'grant', 'now')"
            )
    finally:
        await db.close()
