"""The roster as street offices send it, and following up who on it never enrolled."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.harness import SECRETARY, BotHarness


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
