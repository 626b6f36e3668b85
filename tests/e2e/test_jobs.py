"""End to end: ``run-job`` against the fake server: exactly once, and resumed after SIGKILL."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.models import MemberType, Profile
from bot.storage import open_storage
from tests.e2e.botprocess import BotProcess
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser

SECRETARY = TgUser(1001, "王书记")
MEMBERS = [TgUser(7000 + i, f"党员{i}") for i in range(6)]
GROUP: dict[str, Any] = {"id": -1003333333333, "type": "supergroup", "title": "群"}


def reminders(fake: FakeTelegram, user_id: int) -> int:
    return sum("回家日报到还未完成" in t for t in fake.texts_to(user_id))


def test_report_reminders_once_each_and_blocked_named(tmp_path: Path) -> None:
    fake = FakeTelegram()
    bot = BotProcess(tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id), REPORT_WINDOW_DAYS="31")
    bot.start()
    try:
        bot.updates.message(SECRETARY, "/community 田森社区")
        # different chats are handled side by side: members enroll once the community exists
        bot.wait(lambda: bot.query("SELECT COUNT(*) FROM communities") == [(1,)])
        fake.add_group(GROUP["id"], GROUP["title"])
        bot.updates.message(SECRETARY, "/bindgroup", chat=GROUP)
        for user in MEMBERS:
            bot.updates.message(
                user, f"/enroll\n姓名：{user.first_name}\n单位：市税务局\n身份：在职党员"
            )
        for user in MEMBERS[:2]:
            bot.updates.message(user, "/report")
        bot.wait(
            lambda: sum(any("报到成功" in t for t in fake.texts_to(u.id)) for u in MEMBERS[:2]) == 2
        )
    finally:
        assert bot.stop(keep_server=True) == 0, bot.output()
    fake.block(MEMBERS[2].id)
    try:
        first = bot.cli("run-job", "report-reminders")
        output = first.communicate(timeout=60)[0].decode()
        assert first.returncode == 0, output
        assert [reminders(fake, u.id) for u in MEMBERS] == [0, 0, 0, 1, 1, 1]
        secretary = fake.texts_to(SECRETARY.id)[-1]
        assert "党员2" in secretary and "无法联系" in secretary
        sends = len(fake.calls_to("sendMessage"))
        evening = datetime.now(ZoneInfo("Asia/Shanghai")).replace(hour=19, minute=0)
        second = bot.cli("run-job", "report-reminders", "--at", evening.isoformat())
        assert second.wait(60) == 0
        third = bot.cli("run-job", "report-reminders")
        assert third.wait(60) == 0
        assert [reminders(fake, u.id) for u in MEMBERS] == [0, 0, 0, 1, 1, 1]
        assert len(fake.calls_to("sendMessage")) == sends  # the same day's run: nothing again
    finally:
        bot.close_server()


async def _seed(database: Path, count: int, since: datetime | None = None) -> list[int]:
    """A community of ``count`` members (made at ``since``, default now)."""
    storage = await open_storage(str(database))
    try:
        community = await storage.communities.create("社区")
        if since is not None:
            await storage.db.execute_write(
                "UPDATE communities SET created_at = ? WHERE id = ?",
                (since.astimezone(UTC).isoformat(timespec="seconds"), community.id),
            )
        ids = []
        for n in range(count):
            profile = Profile(f"成员{n}", "单位", MemberType.IN_SERVICE, "")
            await storage.members.enroll(community.id, 8000 + n, profile, None)
            ids.append(8000 + n)
        return ids
    finally:
        await storage.close()


def test_killed_run_resumes_without_losing_anyone(tmp_path: Path) -> None:
    fake = FakeTelegram(send_delay=0.05)
    bot = BotProcess(tmp_path, fake, REPORT_WINDOW_DAYS="31")
    ids = asyncio.run(_seed(bot.database, 80))
    fake.started.update(ids)
    try:
        run = bot.cli("run-job", "report-reminders")
        fake.wait_for(lambda: len(fake.calls_to("sendMessage")) >= 30, timeout=60)
        run.send_signal(signal.SIGKILL)
        run.wait(10)
        killed_at = len(fake.calls_to("sendMessage"))
        assert killed_at < len(ids), "the run finished before it was killed"
        again = bot.cli("run-job", "report-reminders")
        assert again.wait(120) == 0, again.communicate()[0].decode()
        per_member = Counter(c.params["chat_id"] for c in fake.calls_to("sendMessage") if c.ok)
        assert all(n == 1 for n in per_member.values()), "a member was reminded twice"
        # a send cut off by the kill may have reached Telegram: it is recorded, not resent
        uncertain = {
            int(r[0]) for r in bot.query("SELECT chat_id FROM outbox WHERE status = 'uncertain'")
        }
        assert len(uncertain) <= 3, uncertain
        assert {i for i in ids if per_member[i] == 0} <= uncertain
        statuses = bot.query("SELECT DISTINCT status FROM outbox")
        assert {s for (s,) in statuses} <= {"sent", "uncertain"}, statuses
    finally:
        bot.close_server()


def documents(fake: FakeTelegram) -> int:
    """Month-close sheets sent to the secretary (in January a year-close file comes too)."""
    sent = fake.calls_to("sendDocument", chat_id=SECRETARY.id)
    return sum(str(c.params.get("_filename", "")).endswith("回家日报到.xlsx") for c in sent)


def test_missed_runs_caught_up_once_at_start_up(tmp_path: Path) -> None:
    fake = FakeTelegram()
    bot = BotProcess(tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id), RUN_SCHEDULER="true")
    # a deployment that has run since before last month
    asyncio.run(_seed(bot.database, 3, since=datetime.now(UTC) - timedelta(days=62)))
    fake.started.add(SECRETARY.id)

    try:
        bot.updates.message(SECRETARY, "/community 社区")  # joins the seeded community
        bot.start()
        # the last month close was due while the bot was down: it runs at start-up
        bot.wait(lambda: documents(fake) == 1, timeout=30)
        assert bot.stop(keep_server=True) == 0, bot.output()
        bot.start()
        # the second start's catch-up has run (not merely a few seconds passed) and sent nothing
        bot.wait(lambda: "start-up catch-up done" in bot.output(), timeout=30)
        unsent = "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'claimed', 'sending')"
        bot.wait(lambda: bot.query(unsent)[0][0] == 0, timeout=30)
        assert documents(fake) == 1
    finally:
        assert bot.stop() == 0, bot.output()


def test_16_27_first_start_closes_no_month_before_the_deployment(tmp_path: Path) -> None:
    """16.27: a brand-new deployment's catch-up plans no close of last month (the
    secretary's first contact is not a "0 of 0" report)."""
    fake = FakeTelegram()
    bot = BotProcess(tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id), RUN_SCHEDULER="true")
    fake.started.add(SECRETARY.id)
    bot.start()
    try:
        closes_query = "SELECT period FROM job_runs WHERE job = 'month-close'"
        bot.wait(
            lambda: "start-up catch-up done" in bot.output() or bot.query(closes_query),
            timeout=30,
        )
        closes = bot.query(closes_query)
        assert closes == [] and documents(fake) == 0
        assert bot.query("SELECT COUNT(*) FROM outbox WHERE job = 'month-close'") == [(0,)]
    finally:
        assert bot.stop() == 0, bot.output()


def test_fan_out_does_not_stop_answers(tmp_path: Path) -> None:
    fake = FakeTelegram(send_delay=0.03)
    bot = BotProcess(
        tmp_path,
        fake,
        SECRETARY_IDS=str(SECRETARY.id),
        REPORT_WINDOW_DAYS="31",
        SEND_RATE_PER_SECOND="10",
    )
    ids = asyncio.run(_seed(bot.database, 60))
    fake.started.update(ids)
    bot.start()
    try:
        bot.updates.message(SECRETARY, "/community 社区")
        bot.wait(lambda: any("start=c_" in t for t in fake.texts_to(SECRETARY.id)))
        bot.updates.message(SECRETARY, "/remind")
        bot.wait(lambda: len(fake.calls_to("sendMessage")) >= 10, timeout=30)
        asked = len(fake.calls_to("sendMessage"))
        bot.updates.message(MEMBERS[0], "/help")
        bot.wait(lambda: bool(fake.texts_to(MEMBERS[0].id)), timeout=5)
        reminders_then = sum(1 for c in fake.calls_to("sendMessage") if c.params["chat_id"] in ids)
        assert reminders_then < len(ids), "the answer waited for the whole fan-out"
        assert asked > 0
        bot.wait(lambda: any("提醒已发送" in t for t in fake.texts_to(SECRETARY.id)), timeout=60)
    finally:
        assert bot.stop() == 0, bot.output()


def test_two_run_job_processes_at_once_remind_each_member_once(tmp_path: Path) -> None:
    """A secretary's run-job beside another (or the bot): one outbox, each member once."""
    fake = FakeTelegram(send_delay=0.01)
    bot = BotProcess(tmp_path, fake, REPORT_WINDOW_DAYS="31")
    ids = asyncio.run(_seed(bot.database, 40))
    fake.started.update(ids)
    try:
        runs = [bot.cli("run-job", "report-reminders") for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
        assert all(run.returncode == 0 for run in runs), outputs
        per_member = Counter(c.params["chat_id"] for c in fake.calls_to("sendMessage") if c.ok)
        assert sorted(per_member) == sorted(ids)
        assert set(per_member.values()) == {1}, "a member was reminded twice"
    finally:
        bot.close_server()
