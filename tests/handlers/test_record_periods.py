"""Issue 17: the year's and month's figures a secretary and a member ask for, through the real
Application: the last period reachable (17.3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

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
