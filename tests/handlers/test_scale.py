"""A community of 2,000 members (1,200 in service), 10 groups, 300 tasks and a year of
history: every job and every secretary command works, and every message the bot sends stays
within Telegram's limits (the fake server refuses what Telegram would refuse)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from benchmarks.seed_community import (
    FIRST_LIAISON_ID,
    FIRST_TELEGRAM_ID,
    LIAISONS,
    Seeded,
    seed_community,
)
from bot.clock import FixedClock
from bot.domain.schedule import JobName
from bot.jobs.runner import run_job
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.harness import SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 22)
SENDING = {
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "editMessageText",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "setMyCommands",
}


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), TZ)


@pytest.fixture
async def community(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[tuple[BotHarness, Seeded]]:
    clock = FixedClock(at(TODAY, 10))
    settings = make_settings(tmp_path / "big.sqlite3", fake.token, objection_days=31)
    harness = BotHarness(settings, fake, clock=clock)
    await harness.start()
    try:
        seeded = await seed_community(harness.storage, 2000, today=TODAY)
        for group in seeded.groups:
            fake.add_group(group, "志愿者群")
        # most members opened the bot once; the seeded "unreachable" ones never did
        fake.started.update(FIRST_TELEGRAM_ID + n for n in range(2000) if n % 23)
        fake.started.update(FIRST_LIAISON_ID + n for n in range(LIAISONS))
        yield harness, seeded
    finally:
        await harness.stop()


def refused(fake: FakeTelegram) -> list[str]:
    return [
        f"{c.method} {c.status} {c.result}"
        for c in fake.calls
        if c.method in SENDING and not c.ok and c.status != 403
    ]


async def test_every_job_on_a_real_sized_community(
    community: tuple[BotHarness, Seeded],
) -> None:
    bot, seeded = community
    fake = bot.fake
    last_week = date(2026, 11, 24)
    runs = [
        (JobName.REPORT_WINDOW_OPEN, at(last_week)),
        (JobName.REPORT_REMINDERS, at(last_week, 19)),
        (JobName.WEEKLY_SUMMARY, at(date(2026, 11, 23))),
        (JobName.TASK_REMINDERS, at(TODAY, 10)),
        (JobName.REDEMPTION_WINDOW_OPEN, at(date(2026, 12, 18))),
        (JobName.MONTH_CLOSE, at(date(2026, 12, 1))),
        (JobName.YEAR_CLOSE, at(date(2027, 1, 1))),
        (JobName.UNIT_FEEDBACK, at(date(2027, 1, 1))),
    ]
    for name, moment in runs:
        summary = await run_job(bot.app, name, moment)
        await bot.flush()
        assert summary is not None, name
    assert refused(fake) == []
    reminded = [c for c in fake.calls_to("sendMessage") if "回家日报到还未完成" in c.params["text"]]
    assert len(reminded) > 100
    close = fake.calls_to("sendDocument", chat_id=SECRETARY.id)
    assert len(close) == 2  # the month's sheet and the year's selection
    texts = [c.params["text"] for c in fake.calls_to("sendMessage") if c.ok]
    assert max(len(t) for t in texts) <= 4096
    for group in seeded.groups:
        assert any("公示" in t for t in fake.texts_to(group))
    for n in range(LIAISONS):  # each liaison: their unit's 反馈单 and its sheet
        assert any("双报到反馈单" in t for t in fake.texts_to(FIRST_LIAISON_ID + n))
        assert fake.calls_to("sendDocument", chat_id=FIRST_LIAISON_ID + n)


async def test_every_secretary_command_on_a_real_sized_community(
    community: tuple[BotHarness, Seeded],
) -> None:
    bot, seeded = community
    fake = bot.fake
    clock = bot.services.clock
    assert isinstance(clock, FixedClock)
    await bot.send(SECRETARY, "/start")
    for command in (
        "/community",
        "/secretary",
        "/members",
        "/unreported",
        "/unreported 2026-10",
        "/review",
        "/redemptions",
        "/objections",
        "/summary",
        "/remind",
        "/rank",
        "/tasks",
        "/rewards",
        "/category",
        "/export",
        "/stats",
        "/export 2026-06",
        "/units",
        "/help",
    ):
        clock.move(timedelta(seconds=11))  # past the heavy commands' cooldown
        await bot.send(SECRETARY, command)
        await bot.flush()
        assert refused(fake) == [], command
    members = next(c for c in reversed(fake.calls_to("sendMessage")) if "名册" in c.params["text"])
    for data in button_data(members.result):
        await bot.press(SECRETARY, members.result, data)
    units = next(c for c in reversed(fake.calls_to("sendMessage")) if "u1:p:" in str(c.params))
    for data in button_data(units.result):  # every Invite on the page, and the next page
        await bot.press(SECRETARY, units.result, data)
    liaison = TgUser(FIRST_LIAISON_ID, "联络人")
    await bot.send(liaison, "/unitreport 2026-Q3")
    assert any("双报到反馈单" in t for t in fake.texts_to(liaison.id))
    review = next(c for c in reversed(fake.calls_to("sendMessage")) if "r1:" in str(c.params))
    for data in button_data(review.result)[:3]:
        await bot.press(SECRETARY, review.result, data)
    member = TgUser(FIRST_TELEGRAM_ID + 1, "成员")
    for command in ("/points", "/mytasks", "/record", "/rank", "/tasks", "/object", "/mydata"):
        clock.move(timedelta(seconds=11))
        await bot.send(member, command)
        await bot.flush()
        assert refused(fake) == [], command
    await bot.send(SECRETARY, "/tasks", chat=fake.groups[seeded.groups[0]])
    assert refused(fake) == []
    assert fake.unanswered_callbacks() == set()
