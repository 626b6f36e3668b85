"""Storage: single-trip transactions, atomic joins, the append-only ledger, erasure."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.domain.models import MemberType, Profile
from bot.domain.signups import JoinOutcome
from bot.domain.tasks import TaskDraft, TaskStatus
from bot.storage import Storage, open_storage


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    opened = await open_storage(str(tmp_path / "s.sqlite3"))
    yield opened
    await opened.close()


async def test_write_runs_one_transaction_and_rolls_back_on_error(storage: Storage) -> None:
    async def work(conn: aiosqlite.Connection) -> int:
        await conn.execute(
            "INSERT INTO communities (name, enroll_code, created_at) VALUES ('A', 'a', 'x')"
        )
        return 7

    assert await storage.db.write(work) == 7

    async def failing(conn: aiosqlite.Connection) -> None:
        await conn.execute(
            "INSERT INTO communities (name, enroll_code, created_at) VALUES ('B', 'b', 'x')"
        )
        raise RuntimeError("halfway")

    with pytest.raises(RuntimeError):
        await storage.db.write(failing)
    names = [r[0] for r in await storage.db.fetchall("SELECT name FROM communities")]
    assert names == ["A"] and not storage.db.conn.in_transaction


async def test_failed_commit_is_rolled_back_and_the_connection_stays_usable(
    storage: Storage,
) -> None:
    # a deferred foreign key fails at COMMIT, not at the statement
    await storage.db.execute_write("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    await storage.db.execute_write(
        "CREATE TABLE child (parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"
    )
    with pytest.raises(sqlite3.IntegrityError):
        async with storage.db.transaction() as conn:
            await conn.execute("INSERT INTO child (parent_id) VALUES (42)")
    assert not storage.db.conn.in_transaction
    async with storage.db.transaction() as conn:
        await conn.execute("INSERT INTO parent (id) VALUES (42)")
        await conn.execute("INSERT INTO child (parent_id) VALUES (42)")
    rows = list(await storage.db.fetchall("SELECT parent_id FROM child"))
    assert [r[0] for r in rows] == [42]


async def test_a_use_case_transaction_joins_repository_writes(storage: Storage) -> None:
    with pytest.raises(RuntimeError):
        async with storage.db.transaction():
            await storage.communities.create("甲社区")  # joins the outer transaction
            raise RuntimeError("the use case fails after the repository wrote")
    assert list(await storage.db.fetchall("SELECT name FROM communities")) == []


async def test_16_7_a_long_read_never_waits_for_the_main_connection(storage: Storage) -> None:
    """Issue 16.7: a month's sheet is read on the second connection, so it neither waits
    for a transaction holding the main one (a Join tap's) nor makes it wait; it reads what
    was committed, not the other task's writes under way."""
    community = await storage.communities.create("社区")
    for n in range(3):
        profile = Profile(f"成员{n}", "单位", MemberType.IN_SERVICE, "")
        await storage.members.enroll(community.id, 5000 + n, profile, None)
    start = datetime(2026, 12, 1, tzinfo=UTC)
    holding, release = asyncio.Event(), asyncio.Event()

    async def tap() -> None:
        async with storage.db.transaction() as conn:
            await conn.execute(
                "UPDATE members SET name = 'changed' WHERE community_id = ?", (community.id,)
            )
            holding.set()
            await release.wait()

    held = asyncio.create_task(tap())
    await holding.wait()
    try:
        month = storage.reports.month(community.id, "2026-12", start, start + timedelta(days=31))
        rows = await asyncio.wait_for(month, 5)
    finally:
        release.set()
        await held
    assert sorted(r.name for r in rows) == ["成员0", "成员1", "成员2"]
    after = await storage.reports.month(community.id, "2026-12", start, start + timedelta(days=31))
    assert [r.name for r in after] == ["changed"] * 3  # committed: the reader sees it


async def test_16_7_the_reader_reads_a_transactions_own_writes_and_never_writes(
    storage: Storage,
) -> None:
    """Issue 16.7: inside a transaction a long read sees that transaction's writes (it reads
    on the main connection); the read connection itself refuses writes."""
    async with storage.db.transaction() as conn:
        await conn.execute(
            "INSERT INTO communities (name, enroll_code, created_at) VALUES ('A', 'a', 'x')"
        )
        rows = await storage.db.reader.fetchall("SELECT name FROM communities")
        assert [r[0] for r in rows] == ["A"]
    assert storage.db.reader.conn is not None
    with pytest.raises(sqlite3.OperationalError):
        await storage.db.reader.conn.execute("DELETE FROM communities")
    assert [r[0] for r in await storage.db.reader.fetchall("SELECT name FROM communities")] == ["A"]


async def test_16_7_a_long_read_comes_in_chunks(storage: Storage) -> None:
    """Issue 16.7: thousands of rows are handed over a chunk at a time (the event loop
    answers others in between), every row once, in order."""
    for n in range(5):
        await storage.communities.create(f"社区{n}")
    sql = "SELECT name FROM communities ORDER BY id"
    chunks = [[r[0] for r in rows] async for rows in storage.db.reader.chunks(sql, size=2)]
    assert chunks == [["社区0", "社区1"], ["社区2", "社区3"], ["社区4"]]
    async with storage.db.transaction():  # inside a transaction: the main connection's rows
        inside = [len(rows) async for rows in storage.db.reader.chunks(sql, size=2)]
    assert inside == [2, 2, 1]


async def _task_with_members(
    storage: Storage, members: int, capacity: int | None
) -> tuple[int, list[int]]:
    community = await storage.communities.create("社区")
    ids = []
    for n in range(members):
        profile = Profile(f"成员{n}", "单位", MemberType.IN_SERVICE, "")
        member, _ = await storage.members.enroll(community.id, 5000 + n, profile, None)
        ids.append(member.id)
    start = datetime.now(UTC) + timedelta(hours=1)
    draft = TaskDraft("T", "其他", 1, start, start + timedelta(hours=1), capacity, "P")
    task = await storage.tasks.create_draft(community.id, draft, 1)
    assert await storage.tasks.change_status(task.id, TaskStatus.DRAFT, TaskStatus.OPEN)
    return task.id, ids


async def test_concurrent_joins_never_overfill(storage: Storage) -> None:
    task_id, ids = await _task_with_members(storage, 30, capacity=10)
    outcomes = await asyncio.gather(*(storage.signups.join(task_id, m, 10) for m in ids + ids))
    assert outcomes.count(JoinOutcome.JOINED) == 10
    assert outcomes.count(JoinOutcome.WAITLISTED) == 20
    roster = await storage.signups.roster(task_id)
    assert (roster.joined, roster.waiting) == (10, 20)


async def test_ledger_is_append_only(storage: Storage) -> None:
    _, ids = await _task_with_members(storage, 1, capacity=None)
    community = (await storage.communities.list_all())[0]
    await storage.ledger.add(ids[0], community.id, 5, "好事", "grant", 1)
    with pytest.raises(sqlite3.IntegrityError):
        await storage.db.execute_write("UPDATE ledger_entries SET points = 50")
    for column in ("author_id", "community_id", "task_id", "signup_id"):  # every column
        with pytest.raises(sqlite3.IntegrityError):
            await storage.db.execute_write(f"UPDATE ledger_entries SET {column} = NULL")  # noqa: S608
    with pytest.raises(sqlite3.IntegrityError):
        await storage.db.execute_write("DELETE FROM ledger_entries")
    assert await storage.ledger.balance(ids[0]) == 5


async def test_erased_member_keeps_points_anonymized(storage: Storage) -> None:
    _, ids = await _task_with_members(storage, 1, capacity=None)
    community = (await storage.communities.list_all())[0]
    await storage.ledger.add(ids[0], community.id, 5, "好事", "grant", 1)
    await storage.reports.file(ids[0], "2026-11", "我家住3号楼")
    assert await storage.members.erase(5000)
    history = await storage.members.history(ids[0])
    assert history["monthly_reports"][0]["note"] == ""  # their words are erased too
    assert await storage.ledger.balance(ids[0]) == 5
    member = await storage.members.get(ids[0])
    assert member is not None and member.name == "" and member.telegram_id is None
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    assert await storage.ledger.standings(community.id, start, end, 10) == []


async def test_an_empty_secretary_setting_revokes_everyone_it_named(storage: Storage) -> None:
    community = await storage.communities.create("社区")
    assert await storage.secretaries.follow_setting([1, 2], community.id) == []
    assert await storage.secretaries.appoint(3, community.id, granted_by=1)
    revoked = await storage.secretaries.follow_setting([], community.id)
    assert sorted(s.telegram_id for s in revoked) == [1, 2]
    assert [s.telegram_id for s in await storage.secretaries.list_all()] == [3]
