"""The roster as street offices send it, and following up who on it never enrolled."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from bot.domain.roster import parse_roster_csv
from bot.domain.schedule import JobName
from bot.domain.units import quarter_of
from bot.jobs.runner import run_job
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.harness import GROUP_ID, SECRETARY, BotHarness, make_settings


def titled_roster(header_row: list[str], rows: list[list[str]]) -> bytes:
    """An .xlsx as a street office makes it: a merged title across the top, then the headers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["田森社区在职党员名册（2026年12月）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header_row))
    sheet.append(header_row)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_17_4_a_roster_with_a_merged_title_row_is_read(bot: BotHarness) -> None:
    """17.4: a merged title above 姓名/手机号码 is skipped; the headers are the second row."""
    header = ["序号", "姓名", "手机号码", "工作单位", "人员类型"]
    rows = [["1", "张三", "13800001111", "市税务局", "在职党员"]]
    rows.append(["2", "王五", "13900002222", "区教育局", "在职党员"])
    data = titled_roster(header, rows)
    bot.updates.document(SECRETARY, bot.fake.upload(data, "名册.xlsx"))
    await bot.deliver()
    assert "新增 2 人" in bot.texts(SECRETARY.id)[-1]
    stored = await bot.storage.db.fetchall("SELECT name, phone FROM roster_entries ORDER BY name")
    assert [tuple(r) for r in stored] == [("张三", "13800001111"), ("王五", "13900002222")]


async def test_17_4_a_refusal_names_the_row_read_as_headers(bot: BotHarness) -> None:
    """17.4: when no row has the required columns, the refusal names the row that was read as
    the headers (the second, under the title), not line 1, and what it lacks."""
    data = titled_roster(["序号", "姓名", "单位"], [["1", "张三", "市税务局"]])
    bot.updates.document(SECRETARY, bot.fake.upload(data, "名册.xlsx"))
    await bot.deliver()
    refusal = bot.texts(SECRETARY.id)[-1]
    assert "第 2 行" in refusal and "手机号" in refusal and "姓名、" not in refusal
    assert await bot.storage.db.fetchall("SELECT * FROM roster_entries") == []


TZ = ZoneInfo("Asia/Shanghai")
MEMBERS = [TgUser(6100 + i, f"党员{i}") for i in range(3)]
LIAISON = TgUser(3101, "周联络")
# 党员0 is on the roster and enrolled; 老周 and 老吴 never enrolled
ROSTER = (
    "姓名,手机号码,工作单位,人员类型\r\n"
    "党员0,13700000000,市税务局,在职党员\r\n"
    "老周,13900001111,市税务局,在职党员\r\n"
    "老吴,13900002222,区教育局,在职党员\r\n"
)


@pytest.fixture
async def month_bot(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotHarness]:
    """The report window the whole month; three members enrolled, the roster imported."""
    harness = BotHarness(
        make_settings(tmp_path / "r.sqlite3", fake.token, report_window_days=31), fake
    )
    await harness.start()
    try:
        await harness.setup_community()
        await harness.bind_group()
        for user in MEMBERS:
            await harness.enroll(user)
        harness.updates.document(SECRETARY, fake.upload(ROSTER.encode("utf-8-sig"), "名册.csv"))
        await harness.deliver()
        await harness.send(SECRETARY, "/link 党员0 13700000000")
        yield harness
    finally:
        await harness.stop()


def sheet_of(bot: BotHarness, chat_id: int) -> Any:
    document = bot.fake.calls_to("sendDocument", chat_id=chat_id)[-1]
    assert document.ok
    return load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))


async def test_17_8_never_enrolled_are_not_unreachable_nor_named_in_the_group(
    month_bot: BotHarness,
) -> None:
    """17.8: the evening's reminders tell the secretary who never enrolled (未登记, with phone
    and unit), apart from the enrolled the bot cannot reach; the group hears only the latter."""
    bot = month_bot
    await bot.send(MEMBERS[0], "/report")
    bot.fake.block(MEMBERS[2].id)
    run = await run_job(bot.app, JobName.REPORT_REMINDERS, datetime.now(TZ))
    assert "1 cannot be reached" in str(run) and "2 on the roster never enrolled" in str(run)
    in_group = "\n".join(bot.texts(GROUP_ID))
    assert "党员2" in in_group and "老周" not in in_group and "老吴" not in in_group
    told = bot.last(SECRETARY.id)
    lines = told["text"].split("\n")
    unreachable = next(line for line in lines if "无法联系" in line)
    assert "党员2" in unreachable and "老周" not in unreachable
    assert any("尚未登记" in line and "2" in line for line in lines)
    assert any("老周" in line and "13900001111" in line and "市税务局" in line for line in lines)
    assert "m1:sheet" in button_data(told)


async def test_17_8_only_never_enrolled_missing_the_group_hears_nothing(
    month_bot: BotHarness,
) -> None:
    """17.8: when everyone enrolled was reminded, the group gets no "cannot reach" list at all
    (the never-enrolled may not even be in it)."""
    bot = month_bot
    before = len(bot.texts(GROUP_ID))
    await run_job(bot.app, JobName.REPORT_REMINDERS, datetime.now(TZ))
    assert len(bot.texts(GROUP_ID)) == before
    told = bot.texts(SECRETARY.id)[-1]
    assert "老周" in told and "无法联系" not in told
    await bot.send(SECRETARY, "/remind")
    for _ in range(100):  # the answer comes when the run is done
        if any("提醒已发送" in t for t in bot.texts(SECRETARY.id)):
            break
        await asyncio.sleep(0.05)
    done = next(t for t in bot.texts(SECRETARY.id) if "提醒已发送" in t)
    assert "0 人无法联系" in done and "另有 2 人尚未登记" in done


async def test_17_8_month_close_lists_never_enrolled_apart(month_bot: BotHarness) -> None:
    """17.8: the month close lists the never-enrolled apart from those the bot cannot reach,
    and the sheet marks them 未登记, not "cannot be messaged"."""
    bot = month_bot
    await bot.send(SECRETARY, "/start")
    next_month = (datetime.now(TZ).replace(day=28) + timedelta(days=5)).replace(day=1, hour=9)
    await run_job(bot.app, JobName.MONTH_CLOSE, next_month)
    summary = bot.fake.calls_to("sendMessage", chat_id=SECRETARY.id)[-1].params["text"]
    never = next(line for line in summary.split("\n") if "从未登记" in line)
    assert "老周" in never and "老吴" in never and "党员1" not in never
    assert not any("无法通过机器人联系" in line and "老周" in line for line in summary.split("\n"))
    table = list(sheet_of(bot, SECRETARY.id).active.iter_rows(min_row=2, values_only=True))
    header = list(table[0])
    named = (dict(zip(header, r, strict=True)) for r in table[1:-1])
    rows = {str(r["姓名"]): r["可私信联系"] for r in named}
    assert rows["老周"] == "未登记" and rows["党员1"] == "是"


async def test_17_21_the_never_enrolled_as_a_sheet_from_the_import_and_members(
    month_bot: BotHarness,
) -> None:
    """17.21: the roster import reply counts who never enrolled and has a button for the
    sheet (name, phone, unit); /members has it too, and /members missing sends it."""
    bot = month_bot
    calls = bot.fake.calls_to("sendMessage", chat_id=SECRETARY.id)
    imported = next(c.result for c in calls if "导入完成" in c.params["text"])
    assert "3 人尚未登记" in imported["text"]  # before /link
    await bot.press(SECRETARY, imported, "m1:sheet")
    book = sheet_of(bot, SECRETARY.id)
    assert book.sheetnames == ["未登记"]
    rows = [[c.value for c in r] for r in book.active.iter_rows(min_row=3)]
    assert [r[1:4] for r in rows] == [
        ["老吴", "13900002222", "区教育局"],
        ["老周", "13900001111", "市税务局"],
    ]  # by unit; 党员0 enrolled since
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    assert "老吴" in document.params["caption"] and "13900002222" in document.params["caption"]
    assert document.result["document"]["file_name"] == "田森社区-未登记名单.xlsx"
    await bot.send(SECRETARY, "/members")
    assert "m1:sheet" in button_data(bot.last(SECRETARY.id))
    await bot.send(SECRETARY, "/members missing")  # the same sheet: one per 10 seconds
    assert len(bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)) == 1
    assert "秒" in bot.texts(SECRETARY.id)[-1]
    await bot.send(MEMBERS[1], "/members missing")
    assert "只有社区书记" in bot.texts(MEMBERS[1].id)[-1]


async def test_17_21_thousands_never_enrolled_stay_within_telegram_limits(
    bot: BotHarness,
) -> None:
    """17.21: 3,000 never enrolled: the caption counts them and names the first few, the
    sheet has every one."""
    await bot.setup_community()
    community = (await bot.storage.communities.list_all())[0]
    lines = [
        f"欧阳长名字成员{i:04d},139{i:08d},某某市某某区某某局某某处某某科" for i in range(3000)
    ]
    parsed = parse_roster_csv("姓名,手机号,单位,类型\n" + "\n".join(f"{x},在职党员" for x in lines))
    assert not parsed.errors
    await bot.storage.roster.import_rows(community.id, parsed.rows)
    await bot.send(SECRETARY, "/members missing")
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    caption = document.params["caption"]
    assert len(caption) <= 1024 and "3000" in caption and "欧阳长名字成员0000" in caption
    assert bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1].ok
    sheet = sheet_of(bot, SECRETARY.id).active
    assert sheet.max_row == 2 + 3000


async def test_17_21_the_units_feedback_has_its_never_enrolled(month_bot: BotHarness) -> None:
    """17.21: the quarter's 反馈单 to a unit's liaison has a 未登记 sheet: the unit's roster
    people who never enrolled, with phone (and no one of another unit)."""
    bot = month_bot
    await bot.send(SECRETARY, "/units")
    listing = bot.last(SECRETARY.id)
    unit = await bot.storage.db.fetchone("SELECT id FROM units WHERE name = '市税务局'")
    assert unit is not None
    await bot.press(SECRETARY, listing, f"u1:i:{unit[0]}")
    found = re.search(r"\?start=(u_[A-Za-z0-9_-]+)", bot.texts(SECRETARY.id)[-1])
    assert found is not None
    await bot.send(LIAISON, f"/start {found.group(1)}")
    first = quarter_of(bot.services.now().date()).end_day
    await run_job(bot.app, JobName.UNIT_FEEDBACK, datetime(*first.timetuple()[:3], 9, tzinfo=TZ))
    feedback = bot.fake.calls_to("sendMessage", chat_id=LIAISON.id)[-1].params["text"]
    assert "1 人尚未在本社区登记" in feedback and "未登记" in feedback
    book = sheet_of(bot, LIAISON.id)
    assert book.sheetnames[1] == "未登记"
    rows = [[c.value for c in r] for r in book["未登记"].iter_rows(min_row=3)]
    assert [r[1:4] for r in rows] == [["老周", "13900001111", "市税务局"]]
