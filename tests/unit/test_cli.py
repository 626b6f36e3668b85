"""The command line: import-members (all or nothing, linked by phone) and backup."""

from __future__ import annotations

import asyncio
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.__main__ import main
from bot.domain.models import MemberType, Profile
from bot.storage import open_storage

GOOD = (
    "name,phone,unit,type,compound\n"
    "张三,13800001111,市税务局,in-service,A区\n"
    "李四,13800001112,,volunteer,\n"
)
BAD = (
    "姓名,手机,单位,类型,小区\n"
    "张三,13800001111,市税务局,在职党员,A区\n"
    "王五,12,市税务局,在职党员,A区\n"
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = tmp_path / "bot.sqlite3"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", "42:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0")
    monkeypatch.setenv("DATABASE_PATH", str(database))
    return database


def count(database: Path, table: str) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608


def test_import_members_all_or_nothing(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["import-members", str(bad), "--community", "田森社区"]) == 1
    err = capsys.readouterr().err
    assert "第 3 行" in err and "未导入任何数据" in err
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["import-members", str(good), "--community", "田森社区"]) == 0
    assert "新增 2 人" in capsys.readouterr().out
    assert count(env, "roster_entries") == 2
    # importing again updates by phone; without --community the only community is used
    assert main(["import-members", str(good)]) == 0
    assert "更新 2 人" in capsys.readouterr().out
    assert count(env, "roster_entries") == 2


def test_import_links_members_who_shared_that_phone(env: Path, tmp_path: Path) -> None:
    async def enroll_with_phone() -> int:
        storage = await open_storage(str(env))
        try:
            community = await storage.communities.create("田森社区")
            profile = Profile("张三", "市税务局", MemberType.IN_SERVICE, "")
            member, _ = await storage.members.enroll(community.id, 2001, profile, None)
            await storage.members.attach_phone(2001, "13800001111")
            return member.id
        finally:
            await storage.close()

    member_id = asyncio.run(enroll_with_phone())
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["import-members", str(good)]) == 0
    with sqlite3.connect(env) as conn:
        linked = conn.execute("SELECT member_id FROM roster_entries WHERE phone = '13800001111'")
        assert linked.fetchone() == (member_id,)


def test_backup_copies_live_database(env: Path, tmp_path: Path) -> None:
    async def write_while_backing_up() -> None:
        storage = await open_storage(str(env))
        try:
            await storage.communities.create("田森社区")
            # the bot keeps its connection open; the backup runs beside it
            assert (
                await asyncio.to_thread(main, ["backup", str(tmp_path / "b" / "copy.sqlite3")]) == 0
            )
        finally:
            await storage.close()

    asyncio.run(write_while_backing_up())
    assert count(tmp_path / "b" / "copy.sqlite3", "communities") == 1


def test_backup_without_database_fails_clearly(
    env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 1
    assert "不存在" in capsys.readouterr().err


REAL_HEADER = ["序号", "姓名", "手机号码", "工作单位", "人员类型", "所在小区"]
REAL_ROWS = [
    ["1", "张三", "+86 138-0000-1111", "市税务局", "在职党员", "田森嘉园A区"],
    ["2", "李四", "139 0000 2222", "区教育局", "在职党员", "田森嘉园B区"],
    ["3", "王五", "不详", "街道办", "在职党员", ""],  # the bad row: line 4
]


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list[str]], encoding: str) -> bytes:
    text = "\r\n".join(",".join(row) for row in rows) + "\r\n"  # as Excel writes it
    return text.encode(encoding)


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("名册.csv", lambda rows: _csv(rows, "gbk")),
        ("名册.csv", lambda rows: _csv(rows, "utf-8-sig")),
        ("名册.xlsx", _xlsx),
    ],
)
def test_real_rosters_refused_by_line_then_imported(
    env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    encode: Any,
) -> None:
    roster = tmp_path / name
    roster.write_bytes(encode([REAL_HEADER, *REAL_ROWS]))
    assert main(["import-members", str(roster)]) == 1
    err = capsys.readouterr().err
    assert "第 4 行" in err and "手机号" in err and "未导入任何数据" in err
    assert not env.exists()  # refused before the database was even opened
    fixed = [*REAL_ROWS[:2], ["3", "王五", "１３７００００３３３３", "街道办", "在职党员", ""]]
    if name.endswith(".xlsx"):  # a number cell, as Excel keeps phones typed as numbers
        fixed[2][2] = 13700003333  # type: ignore[call-overload]
    roster.write_bytes(encode([REAL_HEADER, *fixed]))
    assert main(["import-members", str(roster)]) == 0
    assert "新增 3 人" in capsys.readouterr().out
    with sqlite3.connect(env) as conn:
        rows = conn.execute("SELECT name, phone, compound FROM roster_entries ORDER BY phone")
        assert rows.fetchall() == [
            ("王五", "13700003333", ""),
            ("张三", "13800001111", "田森嘉园A区"),
            ("李四", "13900002222", "田森嘉园B区"),
        ]


def test_crafted_and_damaged_workbooks_are_refused_quickly() -> None:
    import time
    import zipfile

    from openpyxl import Workbook

    from bot.domain.roster_file import read_roster_file

    book = Workbook()
    book.active.append(["姓名", "手机号", "单位"])
    book.active.append(["张三", "13800001111", "市税务局"])
    book.active.cell(row=1_048_576, column=16_384, value="x")  # claims the whole grid
    buffer = io.BytesIO()
    book.save(buffer)
    started = time.perf_counter()
    parsed = read_roster_file("大.xlsx", buffer.getvalue())
    assert time.perf_counter() - started < 20  # was a quarter of an hour
    assert not parsed.errors and [r.name for r in parsed.rows] == ["张三"]  # the rest unread
    damaged = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_xlsx([REAL_HEADER, *REAL_ROWS]))) as source,
        zipfile.ZipFile(damaged, "w") as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            target.writestr(item, content[:200] if "worksheets/sheet" in item.filename else content)
    parsed = read_roster_file("坏.xlsx", damaged.getvalue())
    assert [e.error.key for e in parsed.errors] == ["roster.error.unreadable"]


def test_16_24_plain_http_webhook_stops_start_up_with_one_line(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """16.24: WEBHOOK_URL=http://… is refused before anything talks to Telegram (exit 2)."""
    monkeypatch.setenv("WEBHOOK_URL", "http://bot.example.org/hook")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: WEBHOOK_URL is invalid"), err
