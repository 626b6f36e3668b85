"""The rest of the points cycle through the real Application: shop, year close, objections,
charts and the member's record."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from telegram import Update

from bot.clock import FixedClock
from bot.domain.schedule import JobName
from bot.domain.shop import next_window_opening, redemption_window
from bot.jobs.runner import run_job
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.harness import GROUP_ID, SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")
ALICE, BOB, CAROL = TgUser(9001, "张三"), TgUser(9002, "李四"), TgUser(9003, "王五")


async def started(
    tmp_path: Path, fake: FakeTelegram, clock: FixedClock | None = None, **settings: object
) -> BotHarness:
    harness = BotHarness(
        make_settings(tmp_path / "p.sqlite3", fake.token, **settings), fake, clock=clock
    )
    await harness.start()
    await harness.setup_community()
    await harness.bind_group()
    await harness.send(SECRETARY, "/start")
    for user in (ALICE, BOB, CAROL):
        await harness.enroll(user)
    return harness


@pytest.fixture
async def shop_open(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[BotHarness]:
    """Redemption open all quarter long."""
    harness = await started(tmp_path, fake, redemption_window_days=92)
    yield harness
    await harness.stop()


async def balance(bot: BotHarness, user: TgUser) -> int:
    member = await bot.storage.members.get_by_telegram_id(user.id)
    assert member is not None
    return await bot.storage.ledger.balance(member.id)


async def confirm_button(
    bot: BotHarness, user: TgUser, reward_id: int
) -> tuple[dict[str, Any], str]:
    await bot.send(user, "/rewards")
    await bot.press(user, bot.last(user.id), f"w1:buy:{reward_id}")
    message = bot.last(user.id)
    return message, next(d for d in button_data(message) if d.startswith("w1:ok:"))


async def test_redeem_offers_cancel(shop_open: BotHarness) -> None:
    bot = shop_open
    await bot.send(SECRETARY, "/reward add 毛巾 2 5")
    await bot.send(SECRETARY, "/grant 张三 5 好事")
    message, _ = await confirm_button(bot, ALICE, 1)
    cancel = next(d for d in button_data(message) if d == "w1:no")
    await bot.press(ALICE, message, cancel)
    assert "已取消" in bot.last(ALICE.id)["text"] and "reply_markup" not in bot.last(ALICE.id)
    assert await balance(bot, ALICE) == 5


async def test_redeem_balance_and_stock(shop_open: BotHarness) -> None:
    bot = shop_open
    await bot.send(SECRETARY, "/reward add 洗衣液 一瓶 10 3")
    assert "已上架 #1 洗衣液 一瓶" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/reward add 坏 -1 3")
    assert "须为 1 到" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/grant 张三 15 楼道清扫")
    message, confirm = await confirm_button(bot, ALICE, 1)
    assert "您现有 15 分" in message["text"]
    await bot.press(ALICE, message, confirm)
    await bot.press(ALICE, message, confirm)  # a double tap redeems once
    assert await balance(bot, ALICE) == 5
    reward = await bot.storage.shop.get(1)
    assert reward is not None and reward.stock == 2
    await bot.send(ALICE, "/rewards")  # 5 points for a 10-point reward: refused at once
    await bot.press(ALICE, bot.last(ALICE.id), "w1:buy:1")
    assert "积分不足" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert not any(d.startswith("w1:ok:") for d in button_data(bot.last(ALICE.id)))
    assert await balance(bot, ALICE) == 5
    # the secretary cancels: a refund entry, the item back on the shelf, the member told
    await bot.send(SECRETARY, "/redemptions")
    await bot.press(
        SECRETARY,
        bot.last(SECRETARY.id),
        next(d for d in button_data(bot.last(SECRETARY.id)) if d.startswith("w1:undo:")),
    )
    assert await balance(bot, ALICE) == 15
    assert "已退回" in bot.texts(ALICE.id)[-1]
    reward = await bot.storage.shop.get(1)
    assert reward is not None and reward.stock == 3
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None
    sources = [e.source for e in await bot.storage.ledger.recent(member.id)]
    assert sources == ["refund", "redemption", "grant"]
    await bot.send(ALICE, "/points")  # every kind of entry has its label
    points = bot.texts(ALICE.id)[-1]
    assert "兑换退回" in points and "积分兑换" in points and "15" in points


async def test_two_members_race_for_the_last_item(shop_open: BotHarness) -> None:
    bot = shop_open
    await bot.send(SECRETARY, "/reward add 电影票 8 1")
    for name in ("张三", "李四"):
        await bot.send(SECRETARY, f"/grant {name} 10 志愿服务")
    alice_message, alice_ok = await confirm_button(bot, ALICE, 1)
    bob_message, bob_ok = await confirm_button(bot, BOB, 1)
    taps = [
        bot.updates.press(ALICE, alice_message, alice_ok),
        bot.updates.press(BOB, bob_message, bob_ok),
    ]
    bot.fake.take_updates()
    await asyncio.gather(*(bot.app.process_update(Update.de_json(t, bot.app.bot)) for t in taps))
    answers = [c.params["text"] for c in bot.fake.calls_to("answerCallbackQuery")[-2:]]
    assert sum("兑换成功" in a for a in answers) == 1
    assert sum("已兑完" in a for a in answers) == 1
    assert sorted([await balance(bot, ALICE), await balance(bot, BOB)]) == [2, 10]
    reward = await bot.storage.shop.get(1)
    assert reward is not None and reward.stock == 0


async def test_hand_over_and_retire(shop_open: BotHarness) -> None:
    bot = shop_open
    await bot.send(SECRETARY, "/reward add 毛巾 2 5")
    await bot.send(SECRETARY, "/reward stock 1 9")
    await bot.send(SECRETARY, "/grant 张三 5 好事")
    message, confirm = await confirm_button(bot, ALICE, 1)
    await bot.press(ALICE, message, confirm)
    await bot.send(SECRETARY, "/redemptions")
    listing = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, listing, next(d for d in button_data(listing) if "give" in d))
    assert "已发放" in bot.texts(ALICE.id)[-1]
    await bot.press(ALICE, listing, "w1:give:1")  # a member forging the secretary's button
    assert "只有社区书记" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.send(SECRETARY, "/rewards")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "w1:retire:1")
    await bot.send(ALICE, "/rewards")
    assert "暂无" in bot.texts(ALICE.id)[-1]


async def test_outside_the_window_says_when_it_opens(tmp_path: Path, fake: FakeTelegram) -> None:
    today = datetime.now(TZ).date()
    window = redemption_window(today, 1)
    bot = await started(tmp_path, fake, redemption_window_days=1)
    try:
        await bot.send(SECRETARY, "/reward add 毛巾 2 5")
        await bot.send(SECRETARY, "/grant 张三 5 好事")
        await bot.send(ALICE, "/rewards")
        await bot.press(ALICE, bot.last(ALICE.id), "w1:buy:1")
        answer = bot.fake.calls_to("answerCallbackQuery")[-1].params.get("text", "")
        if window.contains(today):  # the last day of a quarter: the shop is open today
            assert "w1:ok:" in "".join(button_data(bot.last(ALICE.id)))
        else:
            opens = next_window_opening(today, 1)
            assert f"下次开放：{opens.year}年{opens.month}月{opens.day}日" in answer
            assert await balance(bot, ALICE) == 5
    finally:
        await bot.stop()


async def test_year_close_top_ten_and_bottom_three(tmp_path: Path, fake: FakeTelegram) -> None:
    bot = await started(tmp_path, fake)
    try:
        others = [TgUser(9100 + i, f"成员{i:02d}") for i in range(12)]
        for user in others:
            await bot.enroll(user)
        for i, user in enumerate(others):
            await bot.send(SECRETARY, f"/grant {user.first_name} {i + 1} 服务")
        next_year = datetime(datetime.now(TZ).year + 1, 1, 1, 9, tzinfo=TZ)
        summary = str(await run_job(bot.app, JobName.YEAR_CLOSE, next_year))
        assert "closed" in summary
        announcement = bot.texts(GROUP_ID)[-1]
        assert "年度红色积分前十名" in announcement and "1. 成员11" in announcement
        assert "成员01" not in announcement
        document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
        book = load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))
        top, bottom, _units = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
        assert [r[1] for r in top[2:5]] == ["成员11", "成员10", "成员09"] and len(top) == 12
        assert len(bottom) == 5 and bottom[-1][0] == 15  # 12 + 张三, 李四, 王五 with 0 points
        await run_job(bot.app, JobName.YEAR_CLOSE, next_year)
        assert len(bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)) == 1
    finally:
        await bot.stop()


async def test_objection_and_correction(tmp_path: Path, fake: FakeTelegram) -> None:
    bot = await started(tmp_path, fake, objection_days=31)
    try:
        member = await bot.storage.members.get_by_telegram_id(ALICE.id)
        community = (await bot.storage.communities.list_all())[0]
        assert member is not None
        last_month = datetime.now(TZ).replace(day=1) - timedelta(days=3)
        await bot.storage.db.execute_write(
            "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
            " created_at, served_at) VALUES (?, ?, 6, '重复记分', 'grant', ?, ?)",
            (member.id, community.id, last_month.isoformat(), last_month.isoformat()),
        )
        await bot.send(ALICE, "/object")
        choose = bot.last(ALICE.id)
        assert "请选择" in choose["text"], choose["text"]
        entry = next(d for d in button_data(choose) if d.startswith("o1:e:"))
        await bot.press(ALICE, choose, entry)
        await bot.send(ALICE, "这次活动我没有参加")
        assert "异议已提交" in bot.texts(ALICE.id)[-1]
        await bot.send(SECRETARY, "/objections")
        listing = bot.last(SECRETARY.id)
        assert "这次活动我没有参加" in listing["text"], listing
        correct = next(d for d in button_data(listing) if d.startswith("o1:c:"))
        await bot.press(SECRETARY, listing, correct)
        choices = bot.last(SECRETARY.id)
        assert "更正为多少分" in choices["text"]
        to_twelve = next(
            d for d in button_data(choices) if d.startswith("o1:to:") and d.endswith(":12")
        )
        await bot.press(SECRETARY, choices, to_twelve)  # she asked for more: 6 becomes 12
        await bot.flush()
        assert await bot.storage.ledger.balance(member.id) == 12
        assert "由 6 分更正为 12 分" in bot.texts(ALICE.id)[-1]
        # the correction counts in the month it corrects, not this one
        start = last_month.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        assert (
            await bot.storage.ledger.period_points(member.id, start, start + timedelta(days=31))
            == 12
        )
        await bot.press(SECRETARY, choices, to_twelve)
        assert await bot.storage.ledger.balance(member.id) == 12  # not corrected twice
    finally:
        await bot.stop()


async def test_16_9_a_secretary_does_not_resolve_their_own_objection(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """16.9: nobody approves their own points: a secretary who objected to their own entry
    cannot correct it (told so); another secretary can."""
    bot = await started(tmp_path, fake, objection_days=31)
    try:
        await bot.enroll(SECRETARY)
        me = await bot.storage.members.get_by_telegram_id(SECRETARY.id)
        assert me is not None
        last_month = datetime.now(TZ).replace(day=1) - timedelta(days=3)
        await bot.storage.db.execute_write(
            "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
            " created_at, served_at) VALUES (?, ?, 6, '社区服务', 'grant', ?, ?)",
            (me.id, me.community_id, last_month.isoformat(), last_month.isoformat()),
        )
        await bot.send(SECRETARY, "/object")
        choose = bot.last(SECRETARY.id)
        await bot.press(SECRETARY, choose, next(d for d in button_data(choose) if "o1:e:" in d))
        await bot.send(SECRETARY, "应该多给一些")
        objection = (await bot.storage.objections.open_in(me.community_id))[0]
        for user in (SECRETARY, TgUser(9200, "钱书记")):
            if user is not SECRETARY:
                await bot.storage.secretaries.appoint(user.id, me.community_id, SECRETARY.id)
            await bot.send(user, "/objections")
            if user is SECRETARY:  # Correct is refused before the choices, and at the end
                await bot.press(user, bot.last(user.id), f"o1:c:{objection.id}")
                answer = bot.fake.calls_to("answerCallbackQuery")[-1].params
                assert "另一位书记" in answer["text"]
            await bot.press(user, bot.last(user.id), f"o1:to:{objection.id}:12")
            if user is SECRETARY:
                answer = bot.fake.calls_to("answerCallbackQuery")[-1].params
                assert "另一位书记" in answer["text"] and answer.get("show_alert")
                assert await bot.storage.ledger.balance(me.id) == 6
        assert await bot.storage.ledger.balance(me.id) == 12  # the other secretary's decision
    finally:
        await bot.stop()


async def test_stats_charts_and_record(tmp_path: Path, fake: FakeTelegram) -> None:
    bot = await started(tmp_path, fake, report_window_days=31)
    try:
        await bot.send(ALICE, "/report")
        await bot.send(SECRETARY, "/stats")
        photos = bot.fake.calls_to("sendPhoto", chat_id=SECRETARY.id)
        assert photos and all(p.ok for p in photos)
        await bot.send(ALICE, "/record")
        assert "服务记录" in bot.texts(ALICE.id)[-1]
        document = bot.fake.calls_to("sendDocument", chat_id=ALICE.id)[-1]
        assert bot.fake.files[document.result["document"]["file_id"]].startswith(b"%PDF")
        # the record's number: a work unit asks the bot whether it is genuine
        number = document.params["caption"].rsplit(" ", 1)[-1]
        outsider = TgUser(9301, "单位人事")
        await bot.send(outsider, f"/start v_{number}")
        assert f"记录 {number} 真实有效" in bot.texts(outsider.id)[-1]
        assert "张三" in bot.texts(outsider.id)[-1]
        await bot.send(outsider, "/start v_2026DEADBEEF00")
        assert "没有编号为" in bot.texts(outsider.id)[-1]
        await bot.send(ALICE, "/forgetme")
        await bot.press(ALICE, bot.last(ALICE.id), "f1:yes")
        await bot.send(outsider, f"/start v_{number}")  # erased with her data
        assert "没有编号为" in bot.texts(outsider.id)[-1]
    finally:
        await bot.stop()


async def test_heavy_commands_have_a_cooldown(tmp_path: Path, fake: FakeTelegram) -> None:
    clock = FixedClock(datetime.now(TZ))
    bot = await started(tmp_path, fake, clock=clock)
    try:
        await bot.send(ALICE, "/record")
        await bot.send(ALICE, "/record")  # at once: asked to wait, nothing drawn
        assert "秒后再试" in bot.texts(ALICE.id)[-1]
        assert len(bot.fake.calls_to("sendDocument", chat_id=ALICE.id)) == 1
        await bot.send(BOB, "/record")  # another member is not held up
        assert len(bot.fake.calls_to("sendDocument", chat_id=BOB.id)) == 1
        clock.move(timedelta(seconds=11))
        await bot.send(ALICE, "/record")
        assert len(bot.fake.calls_to("sendDocument", chat_id=ALICE.id)) == 2
        await bot.send(SECRETARY, "/export")
        await bot.send(SECRETARY, "/poster")  # another command is no repeat: not held up
        assert "秒后再试" not in bot.texts(SECRETARY.id)[-1]
        assert len(bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)) == 2
    finally:
        await bot.stop()


async def test_redemption_window_announced_once(shop_open: BotHarness) -> None:
    bot = shop_open
    await run_job(bot.app, JobName.REDEMPTION_WINDOW_OPEN, datetime.now(TZ))
    await run_job(bot.app, JobName.REDEMPTION_WINDOW_OPEN, datetime.now(TZ))
    assert sum("积分超市开放兑换" in t for t in bot.texts(GROUP_ID)) == 1


async def test_reward_with_photo_caption(shop_open: BotHarness) -> None:
    bot = shop_open
    photo = [{"file_id": "ph1", "file_unique_id": "u1", "width": 90, "height": 90}]
    bot.updates.message(SECRETARY, "", photo=photo, caption="/reward add 雨伞 6 4")
    await bot.deliver()
    reward = await bot.storage.shop.get(1)
    assert reward is not None and reward.photo_file_id == "ph1" and reward.stock == 4
    await bot.send(ALICE, "/rewards")
    shown = bot.fake.calls_to("sendPhoto", chat_id=ALICE.id)[-1]
    assert shown.ok and shown.params["photo"] == "ph1" and "雨伞" in shown.params["caption"]
    assert button_data(bot.last(ALICE.id)) == ["w1:buy:1"]
    bot.updates.message(ALICE, "", photo=photo, caption="/reward add 偷偷上架 1 1")
    await bot.deliver()
    assert await bot.storage.shop.get(2) is None


async def test_year_close_escapes_once_and_never_ranks_one_member_twice(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    bot = await started(tmp_path, fake)  # three members: all in the top ten
    try:
        await bot.enroll(TgUser(9201, "A&B<C>"))
        await bot.send(SECRETARY, "/grant A&B<C> 3 服务")
        next_year = datetime(datetime.now(TZ).year + 1, 1, 1, 9, tzinfo=TZ)
        await run_job(bot.app, JobName.YEAR_CLOSE, next_year)
        sent = [c for c in bot.fake.calls_to("sendMessage", chat_id=SECRETARY.id) if c.ok]
        text = sent[-1].params["text"]
        assert "A&amp;B&lt;C&gt;" in text and "&amp;amp;" not in text
        top, bottom = text.split("后三名")
        for name in ("张三", "李四", "A&amp;B&lt;C&gt;"):
            assert name in top and name not in bottom
    finally:
        await bot.stop()


async def test_objection_only_to_entries_offered(tmp_path: Path, fake: FakeTelegram) -> None:
    bot = await started(tmp_path, fake, objection_days=31)
    try:
        member = await bot.storage.members.get_by_telegram_id(ALICE.id)
        community = (await bot.storage.communities.list_all())[0]
        assert member is not None
        last_month = datetime.now(TZ).replace(day=1) - timedelta(days=3)
        long_ago = datetime.now(TZ).replace(day=1) - timedelta(days=70)
        ids = []
        for points, source, at in (
            (6, "grant", last_month),  # offered
            (-4, "redemption", last_month),  # a reward kept: never offered
            (5, "grant", long_ago),  # another month
        ):
            await bot.storage.db.execute_write(
                "INSERT INTO ledger_entries (member_id, community_id, points, reason, source,"
                " created_at, served_at) VALUES (?, ?, ?, '记录', ?, ?, ?)",
                (member.id, community.id, points, source, at.isoformat(), at.isoformat()),
            )
            row = await bot.storage.db.fetchone("SELECT MAX(id) FROM ledger_entries")
            assert row is not None
            ids.append(row[0])
        await bot.send(ALICE, "/object")
        choose = bot.last(ALICE.id)
        offered = [d for d in button_data(choose) if d.startswith("o1:e:")]
        assert offered == [f"o1:e:{ids[0]}"]
        for forged in ids[1:]:
            await bot.press(ALICE, choose, f"o1:e:{forged}")  # forged data, same conversation
            await bot.send(ALICE, "请退还")
            assert "不在本次公示" in bot.texts(ALICE.id)[-1]
            await bot.send(ALICE, "/object")
            choose = bot.last(ALICE.id)
        rows = await bot.storage.db.fetchall("SELECT entry_id FROM objections")
        assert rows == []
    finally:
        await bot.stop()


async def test_16_13_a_shelf_of_51_rewards_pages(shop_open: BotHarness) -> None:
    """A secretary's /rewards with 51 rewards (102 buttons in one message is too many):
    pages within Telegram's limits that together show every reward once."""
    bot = shop_open
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and member.community_id is not None
    for n in range(51):
        name = f"Reward number {n:02d}"
        await bot.storage.shop.add(member.community_id, name, 1 + n, 3, None)
    await bot.send(SECRETARY, "/rewards")
    seen: list[str] = []
    message, page = bot.last(SECRETARY.id), 0
    while True:
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        assert len(buttons) <= 100 and len(message["text"]) <= 4096
        seen += [line for line in message["text"].splitlines() if "Reward number" in line]
        if f"w1:page:{page + 1}" not in button_data(message):
            break
        page += 1
        await bot.press(SECRETARY, message, f"w1:page:{page}")
        message = bot.fake.messages[(SECRETARY.id, message["message_id"])]  # edited in place
    assert len(seen) == 51 and len(set(seen)) == 51
    assert not bot.fake.unanswered_callbacks()


def task_form(title: str, start: datetime) -> str:
    return (
        f"/newtask\n标题：{title}\n类别：文明实践\n积分：5\n"
        f"开始：{start:%Y-%m-%d %H:%M}\n结束：{start + timedelta(hours=2):%Y-%m-%d %H:%M}\n"
        "名额：5\n地点：A区"
    )


async def checked_in(bot: BotHarness, clock: FixedClock, user: TgUser, title: str) -> None:
    """``user`` joins a task starting now + 10 minutes and checks in at its start."""
    start = clock.now() + timedelta(minutes=10)
    task_id = await bot.publish(task_form(title, start))
    card = bot.last(GROUP_ID)
    await bot.press(user, card, f"t1:join:{task_id}")
    clock.move(timedelta(minutes=10))
    await bot.press(user, card, f"t1:ci:{task_id}")


async def approve_all(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    for data in [d for d in button_data(page) if d.startswith("r1:ok:")]:
        await bot.press(SECRETARY, page, data)


async def test_17_10_points_are_dated_by_service_not_by_approval(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """17.10: served on Saturday 19 December (week 51), approved on the 26th: /points shows
    19 December, week 51's summary names her a star and week 52's does not; a check-in of
    30 December approved on 3 January after the month close counts in December (/rank
    2026-12 shows it), not in January."""
    clock = FixedClock(datetime(2026, 12, 19, 8, 50, tzinfo=TZ))
    bot = await started(tmp_path, fake, clock)
    try:
        await checked_in(bot, clock, ALICE, "楼道清理")  # Saturday 19 Dec, week 51
        clock.at = datetime(2026, 12, 23, 8, 50, tzinfo=TZ)
        await checked_in(bot, clock, BOB, "巡逻")  # Wednesday 23 Dec, week 52
        clock.at = datetime(2026, 12, 26, 10, 0, tzinfo=TZ)
        await approve_all(bot)
        assert await balance(bot, ALICE) == 5 and await balance(bot, BOB) == 5
        await bot.send(ALICE, "/points")
        assert "2026年12月19日" in bot.texts(ALICE.id)[-1], bot.texts(ALICE.id)[-1]
        await run_job(bot.app, JobName.WEEKLY_SUMMARY, datetime(2026, 12, 21, 9, tzinfo=TZ))
        week_51 = bot.texts(GROUP_ID)[-1]
        assert "服务之星" in week_51 and "张三" in week_51 and "李四" not in week_51, week_51
        await run_job(bot.app, JobName.WEEKLY_SUMMARY, datetime(2026, 12, 28, 9, tzinfo=TZ))
        week_52 = bot.texts(GROUP_ID)[-1]
        assert "服务之星" in week_52 and "李四" in week_52 and "张三" not in week_52, week_52

        clock.at = datetime(2026, 12, 30, 8, 50, tzinfo=TZ)
        await checked_in(bot, clock, CAROL, "送餐")  # Wednesday 30 Dec, not approved yet
        await run_job(bot.app, JobName.MONTH_CLOSE, datetime(2027, 1, 1, 9, tzinfo=TZ))
        published = bot.texts(GROUP_ID)[-1]
        assert "红色积分公示" in published and "王五" not in published
        clock.at = datetime(2027, 1, 3, 10, 0, tzinfo=TZ)  # a late approval
        await approve_all(bot)
        assert await balance(bot, CAROL) == 5
        await bot.flush()
        assert "按服务日期计入 2026-12" in bot.texts(CAROL.id)[-1], bot.texts(CAROL.id)[-1]
        assert not any("按服务日期" in t for t in bot.texts(ALICE.id))  # approved in its month
        await bot.send(CAROL, "/rank")
        assert "王五" not in bot.texts(CAROL.id)[-1]  # January: nothing served yet
        await bot.send(CAROL, "/rank 2026-12")
        december = bot.texts(CAROL.id)[-1]
        assert "2026-12" in december and "王五" in december and "张三" in december, december
        await run_job(bot.app, JobName.MONTH_CLOSE, datetime(2027, 1, 1, 9, tzinfo=TZ))
        assert bot.texts(GROUP_ID)[-1] == published  # the notice is not sent again
    finally:
        await bot.stop()


async def test_17_17_the_bottom_three_say_why_and_the_never_enrolled_are_named(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """17.17: three members, all in the top ten: the bottom three say so instead of a bare
    "—"; the four on the roster who never enrolled (no reports, no points) are named for
    谈心谈话 with unit and phone, not silently left out."""
    bot = await started(tmp_path, fake)
    try:
        roster = "姓名,手机号码,工作单位,人员类型\r\n" + "".join(
            f"老{name},1390000111{i},市税务局,在职党员\r\n" for i, name in enumerate("周吴郑王")
        )
        bot.updates.document(SECRETARY, bot.fake.upload(roster.encode("utf-8-sig"), "名册.csv"))
        await bot.deliver()
        await bot.send(SECRETARY, "/grant 张三 3 服务")
        next_year = datetime(datetime.now(TZ).year + 1, 1, 1, 9, tzinfo=TZ)
        await run_job(bot.app, JobName.YEAR_CLOSE, next_year)
        sent = [c for c in bot.fake.calls_to("sendMessage", chat_id=SECRETARY.id) if c.ok]
        text = sent[-1].params["text"]
        _top, bottom = text.split("后三名")
        assert "在职党员共 3 人，均已列入前十名" in bottom, text
        assert "名册上另有 4 人从未登记" in bottom and "请一并谈心谈话" in bottom, text
        assert "老周（市税务局，13900001110）" in bottom
        assert "老王（市税务局，13900001113）" in bottom
        assert "老周" not in bot.texts(GROUP_ID)[-1]  # the group is not where they are named
    finally:
        await bot.stop()


async def test_17_6_shop_window_dates_read_as_people_write_them(shop_open: BotHarness) -> None:
    """17.6: the shop header and the window's announcement name the days (10月1日至12月31日),
    not 10-01 至 12-31."""
    bot = shop_open
    await bot.send(SECRETARY, "/reward add 毛巾 2 5")
    await bot.send(ALICE, "/rewards")
    window = redemption_window(datetime.now(TZ).date(), 92)
    header = bot.texts(ALICE.id)[-1]
    assert f"{window.first_day.month}月{window.first_day.day}日至" in header, header
    assert f"{window.last_day.month}月{window.last_day.day}日" in header
    assert f"{window.last_day:%m-%d}" not in header
    await run_job(bot.app, JobName.REDEMPTION_WINDOW_OPEN, datetime.now(TZ))
    announcement = bot.texts(GROUP_ID)[-1]
    assert "积分超市开放兑换" in announcement
    assert f"{window.first_day.month}月{window.first_day.day}日至" in announcement
    assert f"{window.first_day:%m-%d}" not in announcement
