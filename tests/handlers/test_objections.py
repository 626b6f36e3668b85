"""Objections to the monthly notice through the real Application: a check-in that earned
nothing (rejected, or a no-show) objected to and reopened, a rejected check-in reopened from
/review, and corrected points typed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.usecases.no_shows import settle_finished_tasks
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, BOB, GROUP_ID, SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")
OTHER_SECRETARY = TgUser(1002, "钱书记")
SERVICE = datetime(2026, 12, 26, 9, 0, tzinfo=TZ)  # inside December's 回家日 window


def form(start: datetime, title: str = "楼道杂物清理") -> str:
    return (
        f"/newtask\n标题：{title}\n类别：文明实践\n积分：5\n"
        f"开始：{start:%Y-%m-%d %H:%M}\n结束：{start + timedelta(hours=2):%Y-%m-%d %H:%M}\n"
        "名额：5\n地点：田森嘉园A区 3号楼"
    )


async def member_id(bot: BotHarness, user: TgUser) -> int:
    member = await bot.storage.members.get_by_telegram_id(user.id)
    assert member is not None
    return member.id


async def balance(bot: BotHarness, user: TgUser) -> int:
    return await bot.storage.ledger.balance(await member_id(bot, user))


def data_starting(message: dict[str, object], prefix: str) -> list[str]:
    return [d for d in button_data(message) if d.startswith(prefix)]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(SERVICE - timedelta(hours=1))


@pytest.fixture
async def served(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock
) -> AsyncIterator[BotHarness]:
    """December 26: 张三 checked in and was rejected ("not seen there"); Bob joined and never
    checked in (a no-show when the task settled)."""
    bot = BotHarness(make_settings(tmp_path / "o.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        await bot.setup_community()
        await bot.bind_group()
        for user in (ALICE, BOB):
            await bot.enroll(user)
        task_id = await bot.publish(form(SERVICE))
        for user in (ALICE, BOB):
            await bot.press(user, bot.last(GROUP_ID), f"t1:join:{task_id}")
        clock.move(timedelta(minutes=50))
        await bot.press(ALICE, bot.last(GROUP_ID), f"t1:ci:{task_id}")
        await bot.send(SECRETARY, "/review")
        page = bot.last(SECRETARY.id)
        reject = data_starting(page, "r1:no:")[0]
        await bot.press(SECRETARY, page, reject)
        reasons = bot.last(SECRETARY.id)
        await bot.press(SECRETARY, reasons, data_starting(reasons, "r1:rj:")[0])  # absent
        clock.move(timedelta(hours=5))
        await settle_finished_tasks(bot.app, clock.now())
        await bot.flush()
        assert "未通过" in bot.texts(ALICE.id)[-1] and "/object" in bot.texts(ALICE.id)[-1]
        yield bot
    finally:
        await bot.stop()


async def object_to_check_in(bot: BotHarness, user: TgUser, reason: str) -> None:
    await bot.send(user, "/object")
    choose = bot.last(user.id)
    check_ins = data_starting(choose, "o1:s:")
    assert len(check_ins) == 1, choose
    await bot.press(user, choose, check_ins[0])
    await bot.send(user, reason)


async def test_17_1_a_rejected_and_a_missing_check_in_are_objected_to_and_decided(
    served: BotHarness, clock: FixedClock
) -> None:
    """17.1: on 2 January 张三 objects to her rejected check-in and Bob to his no-show ("I was
    there"); the secretary sees both in /objections, reopens 张三's (the task's points and
    December's report credit, once under a double tap) and keeps Bob's; each is told in
    their language."""
    bot = served
    clock.move(timedelta(days=7))  # 2 January, inside the objection days
    await object_to_check_in(bot, ALICE, "我在现场，拍了照片")
    assert "异议已提交" in bot.texts(ALICE.id)[-1]
    await object_to_check_in(bot, BOB, "I was there, I forgot to check in")
    assert "objection is filed" in bot.texts(BOB.id)[-1]
    await bot.send(SECRETARY, "/objections")
    listing = bot.last(SECRETARY.id)
    assert "我在现场" in listing["text"] and "I was there" in listing["text"]
    assert "签到未通过" in listing["text"] and "未签到" in listing["text"]
    reopen, keep = data_starting(listing, "o1:r:"), data_starting(listing, "o1:k:")
    assert len(reopen) == 2 and len(keep) == 2
    await bot.press(SECRETARY, listing, reopen[0])  # 张三's, filed first
    await bot.press(SECRETARY, listing, reopen[0])  # a double tap
    await bot.press(SECRETARY, bot.last(SECRETARY.id), keep[1])  # Bob's
    await bot.flush()
    assert await balance(bot, ALICE) == 5 and await balance(bot, BOB) == 0
    assert "签到改为通过" in bot.texts(ALICE.id)[-1] and "回家日报到" in bot.texts(ALICE.id)[-1]
    assert "the decision stands" in bot.texts(BOB.id)[-1]
    alice = await member_id(bot, ALICE)
    december = datetime(2026, 12, 1, tzinfo=TZ)
    assert await bot.storage.ledger.period_points(alice, december, SERVICE + timedelta(days=6)) == 5
    rows = await bot.storage.db.fetchall(
        "SELECT s.status, (SELECT COUNT(*) FROM ledger_entries l WHERE l.signup_id = s.id),"
        " (SELECT COUNT(*) FROM monthly_reports r WHERE r.member_id = s.member_id"
        " AND r.month = '2026-12') FROM signups s ORDER BY s.member_id"
    )
    assert [tuple(r) for r in rows] == [("approved", 1, 1), ("no_show", 0, 0)]
    statuses = await bot.storage.db.fetchall("SELECT status FROM objections ORDER BY id")
    assert [r[0] for r in statuses] == ["reopened", "kept"]
    await bot.send(SECRETARY, "/objections")
    assert "没有待处理的异议" in bot.texts(SECRETARY.id)[-1]


async def test_17_1_nobody_reopens_their_own_check_in(
    served: BotHarness, clock: FixedClock
) -> None:
    """17.1: a secretary who is also a member objects to their own rejected check-in: they
    cannot reopen it (from /objections or /review); another secretary can."""
    bot = served
    me = await member_id(bot, ALICE)
    community = (await bot.storage.communities.list_all())[0]
    await bot.storage.secretaries.appoint(ALICE.id, community.id, SECRETARY.id)
    clock.move(timedelta(days=7))
    await object_to_check_in(bot, ALICE, "我在现场")
    await bot.send(ALICE, "/objections")
    await bot.press(ALICE, bot.last(ALICE.id), data_starting(bot.last(ALICE.id), "o1:r:")[0])
    assert "另一位书记" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    signup = await bot.storage.db.fetchone("SELECT id FROM signups WHERE member_id = ?", (me,))
    assert signup is not None
    await bot.send(ALICE, "/review")
    await bot.press(ALICE, bot.last(ALICE.id), f"r1:ro:{signup[0]}:0")
    assert "不能审核自己" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert await balance(bot, ALICE) == 0
    await bot.send(SECRETARY, "/objections")
    await bot.press(
        SECRETARY, bot.last(SECRETARY.id), data_starting(bot.last(SECRETARY.id), "o1:r:")[0]
    )
    assert await balance(bot, ALICE) == 5


async def test_17_1_a_rejected_check_in_is_reopened_from_review(
    served: BotHarness, clock: FixedClock
) -> None:
    """17.1: /review offers the rejected check-ins; "Approve" gives the same entry and report
    credit as an approval, once under a double tap, and the member is told. A settled month's
    is refused, and so is a no-show (that takes the member's objection)."""
    bot = served
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    assert data_starting(page, "r1:rd:") == ["r1:rd:0"], page
    await bot.press(SECRETARY, page, "r1:rd:0")
    rejected = bot.last(SECRETARY.id)
    assert "张三" in rejected["text"] and "未到场" in rejected["text"], rejected["text"]
    reopen = data_starting(rejected, "r1:ro:")
    assert len(reopen) == 1
    clock.move(timedelta(days=10))  # 5 January: December's notice is settled
    await bot.send(SECRETARY, "/review")
    assert not data_starting(bot.last(SECRETARY.id), "r1:rd:")
    await bot.press(SECRETARY, rejected, reopen[0])
    assert "公示结束" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert await balance(bot, ALICE) == 0
    clock.move(timedelta(days=-10))  # back on the day of the service
    await bot.press(SECRETARY, rejected, reopen[0])
    await bot.press(SECRETARY, rejected, reopen[0])  # a double tap
    await bot.flush()
    assert await balance(bot, ALICE) == 5
    assert "改为通过" in bot.texts(ALICE.id)[-1] and "回家日报到" in bot.texts(ALICE.id)[-1]
    assert "已经审核过" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    row = await bot.storage.db.fetchone(
        "SELECT COUNT(*) FROM monthly_reports WHERE month = '2026-12' AND source = 'checkin'"
    )
    assert row is not None and row[0] == 1
    bob = await bot.storage.db.fetchone(
        "SELECT id FROM signups WHERE member_id = ?", (await member_id(bot, BOB),)
    )
    assert bob is not None
    await bot.press(SECRETARY, rejected, f"r1:ro:{bob[0]}:0")  # forged: a no-show is no rejection
    assert await balance(bot, BOB) == 0


async def objected_entry(bot: BotHarness, user: TgUser, at: datetime) -> None:
    """A 6-point entry of the member's dated ``at``, objected to."""
    member = await bot.storage.members.get_by_telegram_id(user.id)
    assert member is not None
    await bot.storage.db.execute_write(
        "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
        " created_at, served_at) VALUES (?, ?, 6, '重复记分', 'grant', ?, ?)",
        (member.id, member.community_id, at.isoformat(), at.isoformat()),
    )
    await bot.send(user, "/object")
    choose = bot.last(user.id)
    await bot.press(user, choose, data_starting(choose, "o1:e:")[0])
    await bot.send(user, "这次只来了一个小时")
    assert "异议已提交" in bot.texts(user.id)[-1]


async def ask_correction(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/objections")
    listing = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, listing, data_starting(listing, "o1:c:")[0])
    assert "更正为多少分" in bot.last(SECRETARY.id)["text"]


async def test_17_2_a_corrected_score_is_typed(tmp_path: Path, fake: FakeTelegram) -> None:
    """17.2: after "更正为多少分？" the secretary types the number (8, not among the buttons;
    full-width digits too); out of bounds or not a number gets a translated refusal that names
    the bounds, and nothing changes."""
    clock = FixedClock(datetime(2027, 1, 2, 10, 0, tzinfo=TZ))
    bot = BotHarness(make_settings(tmp_path / "t.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        await bot.setup_community()
        await bot.enroll(ALICE)
        await objected_entry(bot, ALICE, SERVICE)
        await ask_correction(bot)
        assert not any(d.endswith(":8") for d in data_starting(bot.last(SECRETARY.id), "o1:to:"))
        for wrong in ("101", "七分", "-3"):
            await bot.send(SECRETARY, wrong)
            assert "0 到 100" in bot.texts(SECRETARY.id)[-1], wrong
        assert await balance(bot, ALICE) == 6
        await bot.send(SECRETARY, "８")
        await bot.flush()
        assert await balance(bot, ALICE) == 8
        assert "由 6 分更正为 8 分" in bot.texts(ALICE.id)[-1]
        assert "已处理" in bot.texts(SECRETARY.id)[-1]
        await bot.send(SECRETARY, "9")  # the step is over: not a second correction
        assert await balance(bot, ALICE) == 8
    finally:
        await bot.stop()


async def test_17_13_an_abandoned_newtask_does_not_swallow_a_correction(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """17.13: the secretary leaves /newtask half done on 27 December, the bot restarts, and
    a week later the "5" typed for an objection's correction corrects it (the old step does
    not take it, nor answer that it expired)."""
    clock = FixedClock(datetime(2026, 12, 27, 10, 0, tzinfo=TZ))
    settings = make_settings(tmp_path / "r.sqlite3", fake.token)
    first = BotHarness(settings, fake, clock=clock)
    await first.start()
    await first.setup_community()
    await first.bind_group()
    await first.enroll(ALICE)
    await first.send(SECRETARY, "/newtask")
    await first.send(SECRETARY, "敬老院慰问")  # the title; the category is asked next
    assert "类别" in first.texts(SECRETARY.id)[-1]
    await first.stop()  # the bot restarts here

    clock.move(timedelta(days=7))  # 3 January
    second = BotHarness(settings, fake, clock=clock)
    await second.start()
    try:
        await objected_entry(second, ALICE, SERVICE)
        await ask_correction(second)
        await second.send(SECRETARY, "5")
        await second.flush()
        assert "超时" not in second.texts(SECRETARY.id)[-1], second.texts(SECRETARY.id)[-1]
        assert await balance(second, ALICE) == 5
        assert "由 6 分更正为 5 分" in second.texts(ALICE.id)[-1]
        row = await second.storage.db.fetchone("SELECT COUNT(*) FROM tasks")
        assert row is not None and row[0] == 0
    finally:
        await second.stop()
