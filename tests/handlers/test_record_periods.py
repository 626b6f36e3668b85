"""Issue 17: the year's and month's figures a secretary and a member ask for, through the real
Application: the last period reachable (17.3)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser
from tests.harness import SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")
ALICE = TgUser(9101, "张三")


async def december(tmp_path: Path, fake: FakeTelegram) -> tuple[BotHarness, FixedClock]:
    clock = FixedClock(datetime(2026, 12, 20, 10, 0, tzinfo=TZ))
    harness = BotHarness(
        make_settings(tmp_path / "r.sqlite3", fake.token, report_window_days=31), fake, clock=clock
    )
    await harness.start()
    await harness.setup_community()
    await harness.bind_group()
    await harness.send(SECRETARY, "/start")
    await harness.enroll(ALICE)
    return harness, clock


async def test_17_3_in_january_the_record_is_last_years_and_a_year_can_be_named(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    bot, clock = await december(tmp_path, fake)
    try:
        await bot.send(ALICE, "/report 已报到")
        clock.move(timedelta(days=16))  # 5 January 2027
        await bot.send(ALICE, "/record")
        text = bot.texts(ALICE.id)[-1]
        assert "2026 年服务记录" in text and "2026-12" in text and "/record 2027" in text
        document = bot.fake.calls_to("sendDocument", chat_id=ALICE.id)[-1]
        assert document.params["caption"].startswith("2026 年服务记录")
        clock.move(timedelta(seconds=20))
        await bot.send(ALICE, "/record 2027")
        assert "2027 年服务记录" in bot.texts(ALICE.id)[-1]
        clock.move(timedelta(seconds=20))
        await bot.send(ALICE, "/record 2026年")
        assert "2026 年服务记录" in bot.texts(ALICE.id)[-1]
        sent = len(bot.fake.calls_to("sendDocument", chat_id=ALICE.id))
        clock.move(timedelta(seconds=20))
        await bot.send(ALICE, "/record 1999")
        assert "2000 到 2100" in bot.texts(ALICE.id)[-1]
        clock.move(timedelta(seconds=20))
        await bot.send(ALICE, "/record 去年")
        assert "YYYY" in bot.texts(ALICE.id)[-1]
        assert len(bot.fake.calls_to("sendDocument", chat_id=ALICE.id)) == sent
        await bot.send(SECRETARY, "/stats 3000")
        assert "2000 到 2100" in bot.texts(SECRETARY.id)[-1]
        await bot.send(SECRETARY, "/units")
        assert "2026 年积分" in bot.texts(SECRETARY.id)[-1]
    finally:
        await bot.stop()


async def test_17_14_the_record_a_unit_receives_is_in_the_communitys_language(
    tmp_path: Path, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An English member's record: first page in Chinese (the community's), second in English;
    a Chinese member's record has one page."""
    from bot.handlers import stats
    from bot.rendering import render as real_render

    pages: list[tuple[Any, ...]] = []

    async def seen(function: Any, *args: Any) -> Any:
        pages.append(args)
        return await real_render(function, *args)

    monkeypatch.setattr(stats, "render", seen)
    bot, _ = await december(tmp_path, fake)
    try:
        english = TgUser(9102, "Tom", language_code="en")
        await bot.enroll(english)
        await bot.send(english, "/record")
        assert "service record" in bot.texts(english.id)[-1]  # the message: his language
        first, second = pages[-1]
        assert first.title == "在职党员2026年度社区志愿服务记录" and "姓名" in first.person[0]
        assert "service record" in second.title.lower() and second.person[0].startswith("Name")
        document = bot.fake.calls_to("sendDocument", chat_id=english.id)[-1]
        pdf = bot.fake.files[document.result["document"]["file_id"]]
        assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 2
        await bot.send(ALICE, "/record")
        assert len(pages[-1]) == 1 and pages[-1][0].title.startswith("在职党员")
    finally:
        await bot.stop()
