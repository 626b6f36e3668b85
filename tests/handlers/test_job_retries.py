"""Failed scheduled runs through the real Application: retried with backoff, reported once;
a new deployment closes no period it never saw."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import bot.rendering
import bot.usecases.month_close
from bot.clock import FixedClock
from bot.domain.schedule import JobName
from bot.jobs import runner
from bot.jobs.runner import retry_failed, run_if_due
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser
from tests.harness import SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")
MEMBER = TgUser(6100, "党员甲")


def first_of_next_month() -> datetime:
    """09:00 on the 1st after today: this month's close is due, and the bot saw this month."""
    today = datetime.now(TZ).replace(hour=9, minute=0, second=0, microsecond=0)
    return (today.replace(day=28) + timedelta(days=5)).replace(day=1)


def failing_times(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """The month close's drawing fails ``times`` times (a broken worker), then works."""
    real = bot.rendering.render
    calls: list[int] = []

    async def render(work: Callable[..., Any], *args: Any) -> Any:
        calls.append(1)
        if len(calls) <= times:
            raise RuntimeError("the drawing worker died")
        result = real(work, *args)
        assert isinstance(result, Awaitable)
        return await result

    monkeypatch.setattr(bot.usecases.month_close, "render", render)
    return calls


def failure_notices(harness: BotHarness) -> list[str]:
    return [t for t in harness.texts(SECRETARY.id) if "定时任务 month-close" in t]


def sheets(harness: BotHarness) -> int:
    return len(harness.fake.calls_to("sendDocument", chat_id=SECRETARY.id))


async def test_16_4_failed_month_close_retried_with_backoff_admin_told_once(
    tmp_path: Path, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """16.4: a month close that fails on the 1st is tried again by the retry sweep (5, then
    10 minutes later) without a restart; the admin hears of the failure once."""
    clock = FixedClock(first_of_next_month())
    harness = BotHarness(make_settings(tmp_path / "r.sqlite3", fake.token), fake, clock=clock)
    await harness.start()
    try:
        await harness.setup_community()
        await harness.enroll(MEMBER)
        await harness.send(SECRETARY, "/start")
        calls = failing_times(monkeypatch, 2)
        month = f"{datetime.now(TZ):%Y-%m}"

        await run_if_due(harness.app, JobName.MONTH_CLOSE, clock.now())  # the 09:00 trigger
        await harness.flush()
        assert len(calls) == 1 and sheets(harness) == 0
        notices = failure_notices(harness)
        assert len(notices) == 1 and "the drawing worker died" in notices[0], notices
        assert month in notices[0]

        await retry_failed(harness.app, clock.now())  # backoff: not yet
        assert len(calls) == 1
        clock.move(timedelta(minutes=5))
        await retry_failed(harness.app, clock.now())  # fails again: nobody told again
        await harness.flush()
        assert len(calls) == 2 and len(failure_notices(harness)) == 1
        clock.move(timedelta(minutes=5))
        await retry_failed(harness.app, clock.now())  # the second wait is 10 minutes
        assert len(calls) == 2
        clock.move(timedelta(minutes=5))
        await retry_failed(harness.app, clock.now())
        await harness.flush()
        assert sheets(harness) == 1 and len(failure_notices(harness)) == 1
        rows = await harness.storage.db.fetchall(
            "SELECT attempts, finished_at IS NOT NULL, retry_at FROM job_runs"
            " WHERE job = 'month-close'"
        )
        assert [tuple(r) for r in rows] == [(2, 1, None)]
        clock.move(timedelta(hours=2))
        await retry_failed(harness.app, clock.now())
        assert sheets(harness) == 1
    finally:
        await harness.stop()


async def test_16_4_retry_stops_once_the_run_is_no_longer_due(
    tmp_path: Path, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """16.4: a failed year close is retried during January only (as its catch-up is)."""
    clock = FixedClock(datetime(2031, 1, 31, 23, 0, tzinfo=TZ))
    harness = BotHarness(make_settings(tmp_path / "y.sqlite3", fake.token), fake, clock=clock)
    await harness.start()
    try:
        await harness.setup_community()
        await harness.send(SECRETARY, "/start")
        await harness.storage.db.execute_write(
            "UPDATE communities SET created_at = '2029-01-01T00:00:00+00:00'"
        )

        tries: list[datetime] = []

        async def broken(app: Any, at: datetime) -> str:
            tries.append(at)
            raise RuntimeError("no disk")

        monkeypatch.setitem(runner.JOBS, JobName.YEAR_CLOSE, broken)
        await run_if_due(harness.app, JobName.YEAR_CLOSE, clock.now())
        assert len(tries) == 1
        clock.move(timedelta(hours=2))  # February: the year close is no longer due
        await retry_failed(harness.app, clock.now())
        assert len(tries) == 1
        rows = await harness.storage.db.fetchall("SELECT retry_at FROM job_runs")
        assert [r[0] for r in rows] == [None]
        await harness.flush()
        assert len([t for t in harness.texts(SECRETARY.id) if "year-close" in t]) == 1
    finally:
        await harness.stop()


async def test_16_27_new_deployment_closes_no_month_it_never_saw(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """16.27: at a brand-new deployment's first start the catch-up skips last month's close
    (no "0 of 0" sheet); the first close is of the month the bot started in."""
    clock = FixedClock(datetime.now(TZ))
    harness = BotHarness(make_settings(tmp_path / "n.sqlite3", fake.token), fake, clock=clock)
    await harness.start()
    try:
        await harness.setup_community()
        await harness.send(SECRETARY, "/start")
        for name in (JobName.MONTH_CLOSE, JobName.WEEKLY_SUMMARY, JobName.UNIT_FEEDBACK):
            await run_if_due(harness.app, name, clock.now())
        await harness.flush()
        assert sheets(harness) == 0
        assert list(await harness.storage.db.fetchall("SELECT job FROM job_runs")) == []
        clock.at = first_of_next_month()
        await run_if_due(harness.app, JobName.MONTH_CLOSE, clock.now())
        await harness.flush()
        assert sheets(harness) == 1
    finally:
        await harness.stop()
