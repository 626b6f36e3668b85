"""Tasks through the real Application: publish, join, waitlist, leave, check in, review, points."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskDraft, TaskStatus
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, BOB, CAROL, GROUP_ID, SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")


def form(start: datetime, capacity: str = "2", title: str = "小区环境整治") -> str:
    return (
        f"/newtask\n标题：{title}\n类别：文明实践\n积分：5\n"
        f"开始：{start:%Y-%m-%d %H:%M}\n结束：{start + timedelta(hours=2):%Y-%m-%d %H:%M}\n"
        f"名额：{capacity}\n地点：田森嘉园A区 3号楼"
    )


def soon() -> datetime:
    """A start 20 minutes from now: joining is open and so is check-in."""
    return (datetime.now(TZ) + timedelta(minutes=20)).replace(second=0, microsecond=0)


async def ready(bot: BotHarness, *members: TgUser) -> dict[str, object]:
    await bot.setup_community()
    chat = await bot.bind_group()
    for user in members:
        await bot.enroll(user)
    return chat


async def member_id(bot: BotHarness, user: TgUser) -> int:
    member = await bot.storage.members.get_by_telegram_id(user.id)
    assert member is not None
    return member.id


async def test_publish_posts_card_to_bound_groups(bot: BotHarness) -> None:
    await ready(bot)
    other = bot.fake.add_group(-1009999, "第二个群")
    await bot.send(SECRETARY, "/bindgroup", chat=other)
    task_id = await bot.publish(form(soon()))
    assert set(await bot.storage.tasks.cards(task_id)) == {
        (-1009999, bot.last(-1009999)["message_id"]),
        (GROUP_ID, bot.last(GROUP_ID)["message_id"]),
    }
    card = bot.last(GROUP_ID)
    assert "小区环境整治" in card["text"] and "0/2" in card["text"]
    assert button_data(card) == [f"t1:join:{task_id}", f"t1:leave:{task_id}", f"t1:ci:{task_id}"]
    # a second tap on Publish posts nothing more
    preview_calls = len(bot.fake.calls_to("sendMessage", chat_id=GROUP_ID))
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:pub:{task_id}")
    assert len(bot.fake.calls_to("sendMessage", chat_id=GROUP_ID)) == preview_calls


async def test_bad_forms_name_the_field_and_store_nothing(bot: BotHarness) -> None:
    await ready(bot)
    past = datetime.now(TZ) - timedelta(days=1)
    start = soon()
    cases = [
        (form(past), "开始时间已经过去"),
        (form(soon()).replace("结束：", "结束：00:01\n#"), "无法识别"),
        (form(soon()).replace("积分：5", "积分：-3"), "积分须为"),
        (form(soon()).replace("积分：5", "积分：100000"), "积分须为"),
        (form(soon()).replace("文明实践", "打麻将"), "没有这个类别"),
        (form(soon(), title="长" * 61), "太长"),
        (
            form(start).replace(
                f"结束：{start + timedelta(hours=2):%Y-%m-%d %H:%M}",
                f"结束：{start:%Y-%m-%d %H:%M}",
            ),
            "必须晚于",
        ),
    ]
    for text, expected in cases:
        await bot.send(SECRETARY, text)
        assert expected in bot.texts(SECRETARY.id)[-1], (text, bot.texts(SECRETARY.id)[-1])
    rows = await bot.storage.db.fetchall("SELECT COUNT(*) FROM tasks")
    assert next(iter(rows))[0] == 0
    await bot.send(ALICE, form(soon()))
    assert "只有社区书记" in bot.texts(ALICE.id)[-1]


async def test_guided_newtask(bot: BotHarness) -> None:
    await ready(bot)
    start = soon() + timedelta(days=1)
    await bot.send(SECRETARY, "/newtask")
    await bot.send(SECRETARY, "敬老院慰问")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "n2:v:1:3")  # 爱心帮扶
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "n2:v:2:3")  # its default points
    await bot.send(SECRETARY, "明天")  # unreadable: asked again
    assert "看不懂这个时间" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, f"{start:%Y-%m-%d %H:%M}")
    await bot.send(SECRETARY, f"{start + timedelta(hours=1):%Y-%m-%d %H:%M}")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "n2:v:5:0")  # unlimited
    await bot.send(SECRETARY, "区敬老院")
    preview = bot.last(SECRETARY.id)
    assert "敬老院慰问" in preview["text"] and "爱心帮扶" in preview["text"]
    assert "0/不限" in preview["text"]
    task_id = int(button_data(preview)[0].rsplit(":", 1)[1])
    task = await bot.storage.tasks.get(task_id)
    assert task is not None and task.capacity is None and task.points == 3
    assert task.starts_at == start


async def test_join_waitlist_leave_promotes(bot: BotHarness) -> None:
    await ready(bot, ALICE, BOB, CAROL)
    task_id = await bot.publish(form(soon() + timedelta(hours=3)))
    card = bot.last(GROUP_ID)
    for user in (ALICE, BOB, CAROL):
        await bot.press(user, card, f"t1:join:{task_id}")
    await bot.press(ALICE, card, f"t1:join:{task_id}")  # a double tap counts once
    roster = await bot.storage.signups.roster(task_id)
    assert (roster.joined, roster.waiting) == (2, 1)
    carol = await bot.storage.signups.get(task_id, await member_id(bot, CAROL))
    assert carol is not None and carol.status is SignupStatus.WAITLISTED
    await bot.press(ALICE, card, f"t1:leave:{task_id}")
    carol = await bot.storage.signups.get(task_id, await member_id(bot, CAROL))
    assert carol is not None and carol.status is SignupStatus.JOINED
    assert "候补转为正式报名" in bot.texts(CAROL.id)[-1]
    await bot.settle_cards()
    assert "2/2" in bot.last(GROUP_ID)["text"]
    assert not bot.fake.unanswered_callbacks()


async def test_twenty_concurrent_joins_for_ten_places(bot: BotHarness) -> None:
    users = [TgUser(4000 + i, f"居民{i}") for i in range(20)]
    await ready(bot, *users)
    task_id = await bot.publish(form(soon() + timedelta(hours=3), capacity="10"))
    card = bot.last(GROUP_ID)
    updates = [bot.updates.press(u, card, f"t1:join:{task_id}") for u in users]
    updates += [bot.updates.press(u, card, f"t1:join:{task_id}") for u in users[:5]]
    bot.fake.take_updates()
    from telegram import Update

    await asyncio.gather(*(bot.app.process_update(Update.de_json(u, bot.app.bot)) for u in updates))
    roster = await bot.storage.signups.roster(task_id)
    assert (roster.joined, roster.waiting) == (10, 10)
    await bot.settle_cards()
    edits = bot.fake.calls_to("editMessageText", chat_id=GROUP_ID)
    assert 1 <= len(edits) <= 3 and all(e.ok for e in edits)
    assert "10/10" in bot.last(GROUP_ID)["text"] and "候补：10 人" in bot.last(GROUP_ID)["text"]


async def test_edits_are_coalesced_and_never_not_modified(bot: BotHarness) -> None:
    users = [TgUser(4100 + i, f"居民{i}") for i in range(12)]
    await ready(bot, *users)
    bot.services.settings.card_edit_interval_seconds = 0.2
    task_id = await bot.publish(form(soon() + timedelta(hours=3), capacity="20"))
    card = bot.last(GROUP_ID)
    for user in users:  # a burst of taps, joins and leaves
        await bot.press(user, card, f"t1:join:{task_id}")
        await bot.press(user, card, f"t1:leave:{task_id}")
        await bot.press(user, card, f"t1:join:{task_id}")
    await bot.settle_cards()
    edits = bot.fake.calls_to("editMessageText", chat_id=GROUP_ID)
    assert 1 <= len(edits) <= 3, len(edits)
    assert all(e.ok for e in edits)
    assert "12/20" in bot.last(GROUP_ID)["text"]


async def test_checkin_review_points_and_report(bot: BotHarness) -> None:
    await ready(bot, ALICE, BOB)
    task_id = await bot.publish(form(soon()))
    card = bot.last(GROUP_ID)
    await bot.press(ALICE, card, f"t1:join:{task_id}")
    await bot.press(BOB, card, f"t1:ci:{task_id}")  # not joined: refused
    assert "have not joined" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.press(ALICE, card, f"t1:ci:{task_id}")
    await bot.press(ALICE, card, f"t1:ci:{task_id}")
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    assert "Alice" not in page["text"] and "张三" in page["text"]
    local = datetime.now(TZ)  # when she checked in, as Beijing reads it
    assert f"{local.year}年{local.month}月{local.day}日 {local:%H}:" in page["text"]
    approve = next(d for d in button_data(page) if d.startswith("r1:ok:"))
    await bot.press(SECRETARY, page, approve)
    await bot.press(SECRETARY, page, approve)  # a double tap: still one entry
    alice = await member_id(bot, ALICE)
    assert await bot.storage.ledger.balance(alice) == 5
    entries = await bot.storage.ledger.recent(alice)
    assert len(entries) == 1 and entries[0].source == "task"
    assert "获得 5 分" in bot.texts(ALICE.id)[-1]
    await bot.send(ALICE, "/points")
    assert "我的红色积分：5" in bot.texts(ALICE.id)[-1]
    await bot.send(ALICE, "/rank")
    assert "1. 张三　5 分" in bot.texts(ALICE.id)[-1]


async def test_approved_checkin_in_report_window_counts_as_report(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    harness = BotHarness(
        make_settings(tmp_path / "w.sqlite3", fake.token, report_window_days=31), fake
    )
    await harness.start()
    try:
        bot = harness
        await ready(bot, ALICE)
        task_id = await bot.publish(form(soon()))
        await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
        await bot.press(ALICE, bot.last(GROUP_ID), f"t1:ci:{task_id}")
        alice = await member_id(bot, ALICE)
        month = f"{soon():%Y-%m}"
        assert not await bot.storage.ledger.has_report(alice, month)
        await bot.send(SECRETARY, "/review")
        page = bot.last(SECRETARY.id)
        await bot.press(
            SECRETARY, page, next(d for d in button_data(page) if d.startswith("r1:ok"))
        )
        assert await bot.storage.ledger.has_report(alice, month)
        await bot.flush()
        assert f"计为您 {month} 的回家日报到" in bot.texts(ALICE.id)[-1]  # and she is told
    finally:
        await harness.stop()


async def test_reject_with_reason_tells_member(bot: BotHarness) -> None:
    await ready(bot, ALICE)
    task_id = await bot.publish(form(soon()))
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:ci:{task_id}")
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    reject = next(d for d in button_data(page) if d.startswith("r1:no:"))
    await bot.press(SECRETARY, page, reject)
    reasons = bot.last(SECRETARY.id)
    await bot.press(
        SECRETARY, reasons, next(d for d in button_data(reasons) if d.endswith("absent"))
    )
    assert "未到场" in bot.texts(ALICE.id)[-1]
    assert await bot.storage.ledger.balance(await member_id(bot, ALICE)) == 0
    await bot.press(ALICE, bot.last(SECRETARY.id), reject)  # a member forging review buttons
    assert "只有社区书记" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]


async def test_reject_for_another_reason_in_the_secretarys_words(bot: BotHarness) -> None:
    await ready(bot, ALICE, BOB)
    task_id = await bot.publish(form(soon()))
    for user in (ALICE, BOB):
        await bot.press(user, bot.last(GROUP_ID), f"t1:join:{task_id}")
        await bot.press(user, bot.last(GROUP_ID), f"t1:ci:{task_id}")
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    reject = next(d for d in button_data(page) if d.startswith("r1:no:"))
    await bot.press(SECRETARY, page, reject)
    reasons = bot.last(SECRETARY.id)
    other = next(d for d in button_data(reasons) if d.endswith("other"))
    await bot.press(SECRETARY, reasons, other)
    assert "请发送未通过的原因" in bot.last(SECRETARY.id)["text"]
    await bot.send(SECRETARY, "签到地点不在 A 区，请下次在现场扫码")
    await bot.flush()
    assert "签到地点不在 A 区" in bot.texts(ALICE.id)[-1]  # the member reads the words
    assert "Bob" in bot.texts(SECRETARY.id)[-1]  # and the page again: Bob's is still waiting
    row = await bot.storage.db.fetchone(
        "SELECT reject_reason FROM signups WHERE status = 'rejected'"
    )
    assert row is not None and row[0].startswith("other: 签到地点")

    await bot.send(SECRETARY, "/review")  # Bob's: Other, then Back: nothing rejected
    page = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, page, next(d for d in button_data(page) if d.startswith("r1:no:")))
    reasons = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, reasons, next(d for d in button_data(reasons) if "other" in d))
    back = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, back, next(d for d in button_data(back) if d.startswith("r1:p")))
    await bot.send(SECRETARY, "这句话不是原因")  # after Back, words are not a reason
    row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM signups WHERE status = 'rejected'")
    assert row is not None and row[0] == 1


def labels(message: dict[str, object]) -> dict[str, str]:
    """Callback data → label of a message's inline buttons."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])  # type: ignore[attr-defined]
    return {b["callback_data"]: b["text"] for row in rows for b in row if "callback_data" in b}


async def test_17_9_review_buttons_name_the_person_and_a_stale_tap_changes_nothing(
    bot: BotHarness,
) -> None:
    """17.9: the buttons name the member (not a number that shifts); an old tap on someone
    already decided is answered "already reviewed" and approves nobody else."""
    await ready(bot, ALICE, BOB)
    task_id = await bot.publish(form(soon()))
    for user in (ALICE, BOB):
        await bot.press(user, bot.last(GROUP_ID), f"t1:join:{task_id}")
        await bot.press(user, bot.last(GROUP_ID), f"t1:ci:{task_id}")
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    shown = labels(page)
    alice_ok = next(d for d, label in shown.items() if d.startswith("r1:ok") and "张三" in label)
    alice_no = next(d for d, label in shown.items() if d.startswith("r1:no") and "张三" in label)
    assert any("Bob" in label for d, label in shown.items() if d.startswith("r1:ok"))
    assert not any(label.endswith(("1", "2")) for label in shown.values())
    await bot.press(SECRETARY, page, alice_ok)
    # the same buttons again, from a copy of the page sent before (or another secretary's)
    await bot.press(SECRETARY, page, alice_ok)
    await bot.press(SECRETARY, page, alice_no)
    answers = bot.fake.calls_to("answerCallbackQuery")[-2:]
    assert all("已经审核过了" in a.params["text"] for a in answers)
    assert "请选择驳回原因" not in bot.last(SECRETARY.id)["text"]  # no reasons for a decided one
    assert await bot.storage.ledger.balance(await member_id(bot, ALICE)) == 5
    assert await bot.storage.ledger.balance(await member_id(bot, BOB)) == 0
    row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM signups WHERE status = 'checked_in'")
    assert row is not None and row[0] == 1  # Bob still waits


async def test_cannot_leave_after_start_and_no_shows(bot: BotHarness) -> None:
    await ready(bot, ALICE, BOB)
    community = (await bot.storage.communities.list_all())[0]
    start = datetime.now(TZ) - timedelta(hours=5)
    draft = TaskDraft("昨日巡逻", "平安创建", 3, start, start + timedelta(hours=1), None, "北门")
    task = await bot.storage.tasks.create_draft(community.id, draft, SECRETARY.id)
    await bot.storage.tasks.change_status(task.id, task.status, task.status.OPEN)
    await bot.storage.signups.join(task.id, await member_id(bot, ALICE), None)
    await bot.storage.signups.join(task.id, await member_id(bot, BOB), None)
    await bot.storage.tasks.add_card(task.id, GROUP_ID, 1)
    bot.fake.messages[(GROUP_ID, 1)] = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": GROUP_ID, "type": "group"},
    }
    await bot.press(ALICE, bot.fake.messages[(GROUP_ID, 1)], f"t1:leave:{task.id}")
    assert "已开始" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.press(BOB, bot.fake.messages[(GROUP_ID, 1)], f"t1:ci:{task.id}")
    assert (
        "Check-in for this task has closed"
        in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    )
    from bot.usecases.no_shows import settle_finished_tasks

    assert await settle_finished_tasks(bot.app, datetime.now(TZ)) == 2
    assert await settle_finished_tasks(bot.app, datetime.now(TZ)) == 0
    alice = await bot.storage.signups.get(task.id, await member_id(bot, ALICE))
    assert alice is not None and alice.status is SignupStatus.NO_SHOW


async def test_qr_checkin_needs_the_secret_token(bot: BotHarness) -> None:
    await ready(bot, ALICE)
    task_id = await bot.publish(form(soon()))
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:qr:{task_id}")
    photo = bot.fake.calls_to("sendPhoto", chat_id=SECRETARY.id)[-1]
    assert photo.ok
    task = await bot.storage.tasks.get(task_id)
    assert task is not None
    await bot.send(ALICE, f"/start ci_{task_id:08d}")  # a guessed token
    assert "链接无效" in bot.texts(ALICE.id)[-1]
    await bot.send(ALICE, f"/start ci_{task.checkin_token}")
    assert "签到成功" in bot.texts(ALICE.id)[-1]
    signup = await bot.storage.signups.get(task_id, await member_id(bot, ALICE))
    assert signup is not None and signup.checkin_method == "qr"


async def test_cancel_tells_members_and_stops_buttons(bot: BotHarness) -> None:
    await ready(bot, ALICE)
    task_id = await bot.publish(form(soon() + timedelta(hours=3)))
    card = bot.last(GROUP_ID)
    await bot.press(ALICE, card, f"t1:join:{task_id}")
    manage = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, manage, f"t1:cancel:{task_id}")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:cancelok:{task_id}")
    assert "已取消" in bot.texts(ALICE.id)[-1]
    await bot.settle_cards()
    assert "已取消" in bot.last(GROUP_ID)["text"] and "reply_markup" not in bot.last(GROUP_ID)
    await bot.press(BOB, card, f"t1:join:{task_id}")  # an old card's button
    await bot.press(ALICE, card, f"t1:join:{task_id}")
    assert "已取消" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]


async def test_unenrolled_join_opens_enrollment(bot: BotHarness) -> None:
    await ready(bot)
    task_id = await bot.publish(form(soon()))
    await bot.press(BOB, bot.last(GROUP_ID), f"t1:join:{task_id}")
    answer = bot.fake.calls_to("answerCallbackQuery")[-1]
    assert answer.params["url"].startswith("https://t.me/community_test_bot?start=c_")
    assert await bot.storage.signups.roster(task_id) == (await bot.storage.signups.roster(0))


async def test_grant_and_correction(bot: BotHarness) -> None:
    await ready(bot, ALICE)
    await bot.send(SECRETARY, "/grant 张三 8 帮助独居老人")
    await bot.send(SECRETARY, "/grant 张三 -3 重复计分更正")
    await bot.send(SECRETARY, "/grant 张三 abc 错")
    assert "积分须为" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/grant 王五 1 无此人")
    assert "没有成员" in bot.texts(SECRETARY.id)[-1]
    alice = await member_id(bot, ALICE)
    assert await bot.storage.ledger.balance(alice) == 5
    assert [e.source for e in await bot.storage.ledger.recent(alice)] == ["correction", "grant"]
    await bot.send(ALICE, "/grant 张三 100 自己给自己")
    assert await bot.storage.ledger.balance(alice) == 5


async def test_16_15_grant_names_the_whole_name_and_shows_ids(bot: BotHarness) -> None:
    """The name guided enroll offers ("Bob Smith") can be granted, with a number in the
    reason; when a name is shared or not found, the #ids are shown and /grant #id works."""
    await ready(bot)
    await bot.send(BOB, "/enroll\nname: Bob Smith\nunit: 市税务局\ntype: in-service")
    for user in (CAROL, TgUser(2077, "李四")):
        await bot.enroll(user)
    await bot.send(SECRETARY, "/grant Bob Smith 5 helped 3 neighbours")
    assert "Bob Smith" in bot.texts(SECRETARY.id)[-1], bot.texts(SECRETARY.id)[-1]
    bob = await member_id(bot, BOB)
    [entry] = await bot.storage.ledger.recent(bob)
    assert (entry.points, entry.reason) == (5, "helped 3 neighbours")
    await bot.send(SECRETARY, "/grant Bob 2 thanks")  # no member called just "Bob"
    assert f"#{bob} Bob Smith" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/grant 李四 2 好事")
    ids = [await member_id(bot, CAROL), await member_id(bot, TgUser(2077, "李四"))]
    answer = bot.texts(SECRETARY.id)[-1]
    assert all(f"#{n} 李四" in answer for n in ids), answer
    await bot.send(SECRETARY, f"/grant #{ids[1]} 2 好事")
    assert await bot.storage.ledger.balance(ids[1]) == 2
    assert await bot.storage.ledger.balance(ids[0]) == 0
    await bot.send(SECRETARY, "/members")
    assert f"#{bob} Bob Smith" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/grant Bob Smith 5")  # no reason: the usage, not "bad points"
    assert "用法" in bot.texts(SECRETARY.id)[-1] and "积分须为" not in bot.texts(SECRETARY.id)[-1]


async def test_communities_add_their_own_categories(bot: BotHarness) -> None:
    await ready(bot)
    await bot.send(SECRETARY, "/category 垃圾分类 2")
    assert "垃圾分类" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/category 垃圾分类 0")
    assert "积分须为" in bot.texts(SECRETARY.id)[-1]
    task_id = await bot.publish(form(soon()).replace("文明实践", "垃圾分类"))
    task = await bot.storage.tasks.get(task_id)
    assert task is not None and task.category == "垃圾分类"
    await bot.send(ALICE, "/category 赌博 9")
    assert "只有社区书记" in bot.texts(ALICE.id)[-1]


async def test_tasks_and_mytasks_lists(bot: BotHarness) -> None:
    chat = await ready(bot, ALICE)
    task_id = await bot.publish(form(soon()))
    await bot.send(ALICE, "/tasks", chat=chat)
    listing = bot.last(GROUP_ID)
    assert "小区环境整治" in listing["text"] and f"t1:join:{task_id}" in button_data(listing)
    await bot.press(ALICE, listing, f"t1:join:{task_id}")
    await bot.send(ALICE, "/mytasks")
    mine = bot.last(ALICE.id)
    assert "已报名" in mine["text"] and f"t1:ci:{task_id}" in button_data(mine)
    await bot.send(SECRETARY, "/tasks")
    assert f"t1:manage:{task_id}" in button_data(bot.last(SECRETARY.id))


async def test_close_sign_ups_keeps_check_in(bot: BotHarness) -> None:
    await ready(bot, ALICE, BOB)
    task_id = await bot.publish(form(soon()))
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:close:{task_id}")
    await bot.press(BOB, bot.last(GROUP_ID), f"t1:join:{task_id}")
    assert "closed" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:ci:{task_id}")
    assert "签到成功" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.settle_cards()
    card = bot.last(GROUP_ID)
    assert "报名已截止" in card["text"] and button_data(card) == [f"t1:ci:{task_id}"]


async def test_check_in_window_follows_the_clock(tmp_path: Path, fake: FakeTelegram) -> None:
    """Time is moved, not waited for: too early, open, and closed after the task."""
    clock = FixedClock(datetime.now(TZ).replace(second=0, microsecond=0))
    bot = BotHarness(make_settings(tmp_path / "clock.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        await ready(bot, ALICE, CAROL)
        start = clock.now() + timedelta(hours=3)
        task_id = await bot.publish(form(start))
        card = bot.last(GROUP_ID)
        for user in (ALICE, CAROL):
            await bot.press(user, card, f"t1:join:{task_id}")
        await bot.press(ALICE, card, f"t1:ci:{task_id}")
        assert "签到将于" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
        clock.move(timedelta(hours=2, minutes=45))  # 15 minutes before the start
        await bot.press(ALICE, card, f"t1:ci:{task_id}")
        assert "签到成功" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
        clock.move(timedelta(hours=5))  # the task ended 2 h 15 min ago
        await bot.press(CAROL, card, f"t1:ci:{task_id}")
        assert "签到时间已过" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    finally:
        await bot.stop()


async def test_a_guided_newtask_survives_a_restart(tmp_path: Path, fake: FakeTelegram) -> None:
    """The draft and the conversation's step are in the database, not in memory."""
    settings = make_settings(tmp_path / "restart.sqlite3", fake.token)
    first = BotHarness(settings, fake)
    await first.start()
    await ready(first)
    await first.send(SECRETARY, "/newtask")
    await first.send(SECRETARY, "敬老院慰问")
    await first.press(SECRETARY, first.last(SECRETARY.id), "n2:v:1:3")  # 爱心帮扶
    await first.stop()  # the bot restarts here

    second = BotHarness(settings, fake)
    await second.start()
    try:
        start = soon() + timedelta(days=1)
        await second.press(SECRETARY, second.last(SECRETARY.id), "n2:v:2:3")  # its points
        await second.send(SECRETARY, f"{start:%Y-%m-%d %H:%M}")
        await second.send(SECRETARY, f"{start + timedelta(hours=1):%Y-%m-%d %H:%M}")
        await second.press(SECRETARY, second.last(SECRETARY.id), "n2:v:5:0")
        await second.send(SECRETARY, "区敬老院")
        preview = second.last(SECRETARY.id)
        assert "敬老院慰问" in preview["text"] and "爱心帮扶" in preview["text"]
    finally:
        await second.stop()


async def test_16_6_a_reason_step_left_over_a_restart_expires(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """Reject → Other reason, the bot restarts, and two days later the secretary writes
    something else: that is no reason, the check-in stays pending and the member hears
    nothing; the secretary reads that the step expired."""
    clock = FixedClock(datetime.now(TZ).replace(second=0, microsecond=0))
    settings = make_settings(tmp_path / "expire.sqlite3", fake.token)
    first = BotHarness(settings, fake, clock=clock)
    await first.start()
    await ready(first, ALICE)
    task_id = await first.publish(form(clock.now() + timedelta(minutes=20)))
    await first.press(ALICE, first.last(GROUP_ID), f"t1:join:{task_id}")
    await first.press(ALICE, first.last(GROUP_ID), f"t1:ci:{task_id}")
    await first.send(SECRETARY, "/review")
    page = first.last(SECRETARY.id)
    await first.press(SECRETARY, page, next(d for d in button_data(page) if d.startswith("r1:no:")))
    reasons = first.last(SECRETARY.id)
    await first.press(SECRETARY, reasons, next(d for d in button_data(reasons) if "other" in d))
    assert "请发送未通过的原因" in first.last(SECRETARY.id)["text"]
    await first.stop()  # the bot restarts here

    clock.move(timedelta(days=2))
    second = BotHarness(settings, fake, clock=clock)
    await second.start()
    try:
        told = len(second.texts(ALICE.id))
        await second.send(SECRETARY, "明天上午开会")
        await second.flush()
        assert (
            "超时" in second.texts(SECRETARY.id)[-1] and "/review" in second.texts(SECRETARY.id)[-1]
        )
        assert len(second.texts(ALICE.id)) == told  # the member is told nothing
        row = await second.storage.db.fetchone(
            "SELECT COUNT(*) FROM signups WHERE status = 'rejected'"
        )
        assert row is not None and row[0] == 0
        await second.send(SECRETARY, "再说一句")  # the conversation is over: the usual pointer
        assert "超时" not in second.texts(SECRETARY.id)[-1]
    finally:
        await second.stop()


async def test_16_6_a_second_other_reason_tap_asks_again_and_rejects_nothing(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """Reject → Other reason, no words, and the step expires; a new Reject → Other reason
    asks for the words again: it never rejects with no reason (the member hears nothing)."""
    clock = FixedClock(datetime.now(TZ).replace(second=0, microsecond=0))
    bot = BotHarness(make_settings(tmp_path / "again.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        await ready(bot, ALICE)
        task_id = await bot.publish(form(clock.now() + timedelta(minutes=20)))
        await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
        await bot.press(ALICE, bot.last(GROUP_ID), f"t1:ci:{task_id}")
        told = len(bot.texts(ALICE.id))
        for wait in (timedelta(minutes=11), timedelta(minutes=1)):
            await bot.send(SECRETARY, "/review")
            page = bot.last(SECRETARY.id)
            await bot.press(SECRETARY, page, next(d for d in button_data(page) if "r1:no:" in d))
            reasons = bot.last(SECRETARY.id)
            await bot.press(
                SECRETARY, reasons, next(d for d in button_data(reasons) if "other" in d)
            )
            assert "请发送未通过的原因" in bot.last(SECRETARY.id)["text"]
            clock.move(wait)
        await bot.flush()
        row = await bot.storage.db.fetchone("SELECT status FROM signups")
        assert row is not None and row[0] == "checked_in"
        assert len(bot.texts(ALICE.id)) == told
    finally:
        await bot.stop()


async def test_16_6_every_guided_step_expires_in_its_own_words(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """/newtask, /enroll and /wish: an answer after the step's deadline is not taken (nothing
    stored), the draft is gone and the command starts afresh; inside the deadline it works."""
    clock = FixedClock(datetime.now(TZ).replace(second=0, microsecond=0))
    bot = BotHarness(make_settings(tmp_path / "steps.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        await ready(bot, ALICE)
        await bot.send(SECRETARY, "/newtask")
        clock.move(timedelta(minutes=29))
        await bot.send(SECRETARY, "敬老院慰问")  # in time: taken
        assert "类别" in bot.texts(SECRETARY.id)[-1]
        categories = bot.last(SECRETARY.id)
        clock.move(timedelta(minutes=31))
        await bot.press(SECRETARY, categories, "n2:v:1:3")
        answer = bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
        assert "超时" in answer and "/newtask" in answer
        assert "newtask_draft" not in bot.app.user_data[SECRETARY.id]
        await bot.send(BOB, "/enroll")
        clock.move(timedelta(hours=1))
        await bot.send(BOB, "Bob Smith")
        assert "/enroll" in bot.texts(BOB.id)[-1] and "expired" in bot.texts(BOB.id)[-1]
        assert await bot.storage.members.get_by_telegram_id(BOB.id) is None
        await bot.send(ALICE, "/wish")
        clock.move(timedelta(days=1))
        await bot.send(ALICE, "帮忙修一下楼道灯")
        assert "/wish" in bot.texts(ALICE.id)[-1] and "超时" in bot.texts(ALICE.id)[-1]
        row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM wishes")
        assert row is not None and row[0] == 0
        await bot.send(SECRETARY, "/newtask")  # a new start after an expired step works
        await bot.send(SECRETARY, "敬老院慰问")
        assert "类别" in bot.texts(SECRETARY.id)[-1]
    finally:
        await bot.stop()


async def test_16_6_a_step_stored_without_a_deadline_expires(bot: BotHarness) -> None:
    """A step persisted before deadlines were kept (its user data has none) is expired."""
    await ready(bot)
    await bot.send(SECRETARY, "/newtask")
    bot.app.user_data[SECRETARY.id].pop("step_deadlines")
    await bot.send(SECRETARY, "敬老院慰问")
    assert "超时" in bot.texts(SECRETARY.id)[-1]
    row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM tasks")
    assert row is not None and row[0] == 0


async def test_no_approval_of_ones_own_check_in_nor_on_a_cancelled_task(bot: BotHarness) -> None:
    await ready(bot, SECRETARY, ALICE)
    task_id = await bot.publish(form(soon()))
    card, manage = bot.last(GROUP_ID), bot.last(SECRETARY.id)
    for user in (SECRETARY, ALICE):
        await bot.press(user, card, f"t1:join:{task_id}")
        await bot.press(user, card, f"t1:ci:{task_id}")
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    own = next(d for d in button_data(page) if d.startswith("r1:ok:"))  # checked in first
    assert "王书记" in page["text"]
    await bot.press(SECRETARY, page, own)
    answer = bot.fake.calls_to("answerCallbackQuery")[-1].params
    assert "不能审核自己" in answer["text"] and answer["show_alert"]
    assert await bot.storage.ledger.balance(await member_id(bot, SECRETARY)) == 0
    await bot.press(SECRETARY, manage, f"t1:cancel:{task_id}")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:cancelok:{task_id}")
    await bot.send(SECRETARY, "/review")
    page = bot.last(SECRETARY.id)
    for data in [d for d in button_data(page) if d.startswith("r1:ok:")]:
        await bot.press(SECRETARY, page, data)
    assert await bot.storage.ledger.balance(await member_id(bot, ALICE)) == 0
    assert "已取消" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]


async def test_button_labels_and_answers_are_plain_text(bot: BotHarness) -> None:
    await ready(bot, ALICE)
    task_id = await bot.publish(form(soon(), title="党员<先锋>岗 & 志愿服务"))
    await bot.send(ALICE, "/tasks")
    labels = [
        b["text"] for row in bot.last(ALICE.id)["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert any("党员<先锋>岗 & 志愿" in label for label in labels), labels
    assert not any("&lt;" in label or "&amp;" in label for label in labels)
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
    answer = bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert "党员<先锋>岗 & 志愿服务" in answer and "&amp;" not in answer
    await bot.send(ALICE, "/mytasks")
    labels = [
        b["text"] for row in bot.last(ALICE.id)["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert labels and not any("&lt;" in label for label in labels)


async def test_16_26_manage_button_label_is_plain_text(bot: BotHarness) -> None:
    """A secretary's /tasks: the Manage button shows the title as typed, not &amp; / &lt;."""
    await ready(bot)
    await bot.publish(form(soon(), title="A&B <先锋>"))
    await bot.send(SECRETARY, "/tasks")
    labels = [
        b["text"] for row in bot.last(SECRETARY.id)["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert any("A&B <先锋>" in label for label in labels), labels


async def test_mytasks_drops_what_is_over(tmp_path: Path, fake: FakeTelegram) -> None:
    clock = FixedClock(datetime.now(TZ))
    bot = BotHarness(make_settings(tmp_path / "c.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        await ready(bot, ALICE, BOB)
        task_id = await bot.publish(form(soon() + timedelta(hours=1), capacity="1"))
        await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")
        await bot.press(BOB, bot.last(GROUP_ID), f"t1:join:{task_id}")  # waiting
        await bot.send(BOB, "/mytasks")
        assert "小区环境整治" in bot.texts(BOB.id)[-1]
        clock.move(timedelta(hours=2))  # started: a waiting place is over
        await bot.send(BOB, "/mytasks")
        assert "小区环境整治" not in bot.texts(BOB.id)[-1]
        await bot.send(ALICE, "/mytasks")  # she can still check in
        assert f"t1:ci:{task_id}" in button_data(bot.last(ALICE.id))
        clock.move(timedelta(hours=5))  # check-in closed: over for her too
        await bot.send(ALICE, "/mytasks")
        assert "小区环境整治" not in bot.texts(ALICE.id)[-1]
    finally:
        await bot.stop()


async def test_card_lists_who_joined_like_a_jielong(bot: BotHarness) -> None:
    people = [TgUser(7000 + i, f"队员{i:02d}") for i in range(15)]
    await ready(bot, *people)
    task_id = await bot.publish(form(soon() + timedelta(hours=2), capacity="14"))
    for user in people:
        await bot.press(user, bot.last(GROUP_ID), f"t1:join:{task_id}")
    await bot.settle_cards()
    card = bot.last(GROUP_ID)["text"]
    assert "已报名：队员00、队员01" in card and "队员11" in card
    assert "队员12" not in card and "另外 2 人" in card  # a dozen names, then a count
    assert "候补：1 人" in card


async def test_newtask_understands_chinese_dates_and_shows_them(bot: BotHarness) -> None:
    await ready(bot)
    tomorrow = datetime.now(TZ).date() + timedelta(days=1)
    form_text = "/newtask\n标题：巡逻\n类别：平安创建\n开始：明天上午9点到11点\n地点：A区"
    await bot.send(SECRETARY, form_text)
    preview = bot.last(SECRETARY.id)["text"]
    day = f"{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日"
    assert f"{day}（周{'一二三四五六日'[tomorrow.weekday()]}）" in preview  # the date it understood
    assert "09:00–11:00" in preview


async def test_17_11_newtask_reads_the_words_a_secretary_types(
    tmp_path: Path, fake: FakeTelegram
) -> None:
    """17.11: 时间 as a range, 人数/名额 with 人, full-width colons and dashes, 19号, 本周六;
    a form with several problems gets them all in one reply, with an example ahead of today."""
    clock = FixedClock(datetime(2026, 12, 16, 10, 0, tzinfo=TZ))  # a Wednesday
    bot = BotHarness(make_settings(tmp_path / "t.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        await ready(bot)
        base = "/newtask\n标题：楼道清理\n类别：文明实践\n地点：田森嘉园A区\n"
        forms = {
            "时间：本周六上午9点到11点\n人数：5人": ("12-19 09:00", "12-19 11:00", 5),
            "开始：12月27日 9：00-11：00\n名额：5人": ("12-27 09:00", "12-27 11:00", 5),
            "时间：19号上午\n结束：11点": ("12-19 09:00", "12-19 11:00", None),
            "日期：下周六\n时间：下午2点－4点半\n名额：限10人": ("12-26 14:00", "12-26 16:30", 10),
            "时间：明天晚上7点至9点\n名额：不限": ("12-17 19:00", "12-17 21:00", None),
        }
        for lines, (start, end, capacity) in forms.items():
            await bot.send(SECRETARY, base + lines)
            preview = bot.last(SECRETARY.id)
            assert "预览" in preview["text"], (lines, preview["text"])
            task = await bot.storage.tasks.get(int(button_data(preview)[0].rsplit(":", 1)[1]))
            assert task is not None
            read = (
                f"{task.starts_at.astimezone(TZ):%m-%d %H:%M}",
                f"{task.ends_at.astimezone(TZ):%m-%d %H:%M}",
            )
            assert read == (start, end) and task.capacity == capacity, lines

        before = len(bot.texts(SECRETARY.id))
        await bot.send(SECRETARY, "/newtask\n标题：\n类别：跳舞\n时间：乱写\n名额：很多\n颜色：红")
        replies = bot.texts(SECRETARY.id)[before:]
        assert len(replies) == 1  # every problem in one reply, not one per try
        for problem in ("无法识别的项目“颜色”", "缺少“标题”", "没有这个类别", "看不懂这个时间"):
            assert problem in replies[0], problem
        assert "名额须为" in replies[0] and "缺少“地点”" in replies[0]
        assert "12月19日 9:00-11:00" in replies[0]  # the example is a day ahead, not gone by
        example = replies[0].split("<code>")[1].split("</code>")[0]
        await bot.send(SECRETARY, example)  # and the example itself is understood
        assert "预览" in bot.last(SECRETARY.id)["text"]
    finally:
        await bot.stop()


def card_labels(bot: BotHarness) -> list[str]:
    markup = bot.last(GROUP_ID).get("reply_markup", {})
    return [b["text"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_a_group_reads_its_own_language(bot: BotHarness) -> None:
    chat = await ready(bot, ALICE)
    await bot.publish(form(soon() + timedelta(hours=3)))
    await bot.flush()
    assert "✋ 报名" in card_labels(bot)
    assert not any("Join" in label for label in card_labels(bot))  # one language, not two
    await bot.send(ALICE, "/lang", chat=chat)  # members cannot change the group's language
    assert "只有社区书记" in bot.texts(GROUP_ID)[-1]
    await bot.send(SECRETARY, "/lang", chat=chat)
    await bot.press(SECRETARY, bot.last(GROUP_ID), "l1:en")
    await bot.settle_cards()  # the open task's card is redrawn in English
    cards = [m for (c, _), m in bot.fake.messages.items() if c == GROUP_ID and "reply_markup" in m]
    labels = [b["text"] for m in cards for row in m["reply_markup"]["inline_keyboard"] for b in row]
    assert any("Join" in label for label in labels) and not any("报名" in x for x in labels)
    await bot.publish(form(soon() + timedelta(hours=5), title="Patrol"))
    await bot.flush()
    assert "Category" in bot.last(GROUP_ID)["text"] and "类别" not in bot.last(GROUP_ID)["text"]


async def test_guided_newtask_takes_a_range_as_start_and_end(bot: BotHarness) -> None:
    await ready(bot)
    await bot.send(SECRETARY, "/newtask")
    await bot.send(SECRETARY, "楼道清理")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "n2:v:1:4")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "n2:v:2:2")
    await bot.send(SECRETARY, "明天上午9点到11点")
    assert "结束时间" not in bot.texts(SECRETARY.id)[-1]  # the end came with the start
    await bot.press(SECRETARY, bot.last(SECRETARY.id), "n2:v:5:0")
    await bot.send(SECRETARY, "A区")
    tomorrow = datetime.now(TZ).date() + timedelta(days=1)
    day = f"{tomorrow.year}年{tomorrow.month}月{tomorrow.day}日"
    assert f"{day}（" in bot.last(SECRETARY.id)["text"]
    assert "09:00–11:00" in bot.last(SECRETARY.id)["text"]


async def test_16_20_a_double_tap_in_the_guided_newtask_answers_one_step_only(
    bot: BotHarness,
) -> None:
    """A second tap on a category (its message still shows the buttons in the client) is not
    taken as the points: the step is asked, and the default points stay the category's."""
    await ready(bot)
    await bot.send(SECRETARY, "/newtask")
    await bot.send(SECRETARY, "楼道清扫")
    categories = bot.last(SECRETARY.id)
    tap = next(d for d in button_data(categories) if d.startswith("n2:v:"))
    await bot.press(SECRETARY, categories, tap)
    await bot.press(SECRETARY, categories, tap)  # the double tap
    assert "积分" in bot.texts(SECRETARY.id)[-1]  # still asked for the points
    points = bot.last(SECRETARY.id)
    default = next(d for d in button_data(points) if d.startswith("n2:v:"))
    await bot.press(SECRETARY, points, default)
    await bot.press(SECRETARY, points, default)  # the double tap
    assert "开始" in bot.texts(SECRETARY.id)[-1] or "时间" in bot.texts(SECRETARY.id)[-1]
    assert not any("看不懂这个时间" in t for t in bot.texts(SECRETARY.id))


async def _pages_of(bot: BotHarness, command: str, prefix: str) -> list[str]:
    """Bob turns every page of ``command`` (buttons ``prefix:<n>``): each page fits one
    message and Telegram's button limits; the numbers of the clean-up tasks seen."""
    await bot.send(BOB, command)
    message, page, seen = bot.last(BOB.id), 0, []
    while True:
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        assert len(buttons) <= 100 and len(message["text"]) <= 4096
        seen += [line[:2] for line in message["text"].splitlines() if "clean-up" in line]
        if f"{prefix}:{page + 1}" not in button_data(message):
            return seen
        page += 1
        await bot.press(BOB, message, f"{prefix}:{page}")
        message = bot.fake.messages[(BOB.id, message["message_id"])]  # edited in place


async def test_16_13_mytasks_pages_however_many_tasks_a_member_joined(bot: BotHarness) -> None:
    """/mytasks with 20 long tasks joined (in English): every page fits one message and
    Telegram's button limits, and the pages show every task once, with its buttons."""
    await ready(bot, BOB)
    community = await bot.storage.communities.list_all()
    bob = await member_id(bot, BOB)
    start = soon() + timedelta(days=1)
    place = ("Building 3, Tiansen Jiayuan compound, east gate, by the bicycle shed " * 2)[:100]
    for n in range(20):
        title = (f"{n:02d} " + "Neighbourhood clean-up " * 3)[:60]
        hour = start + timedelta(hours=n)
        draft = TaskDraft(title, "文明实践", 5, hour, hour + timedelta(hours=1), 10, place)
        task = await bot.storage.tasks.create_draft(community[0].id, draft, SECRETARY.id)
        await bot.storage.tasks.change_status(task.id, TaskStatus.DRAFT, TaskStatus.OPEN)
        await bot.storage.signups.join(task.id, bob, 10)
    seen = await _pages_of(bot, "/mytasks", "t1:mine")
    assert sorted(seen) == [f"{n:02d}" for n in range(20)]
    assert not bot.fake.unanswered_callbacks()


async def test_16_13_many_long_tasks_page_in_english(bot: BotHarness) -> None:
    """/tasks with 25 tasks of the longest titles and places, read in English: every page
    fits one message and Telegram's button limits, and the pages show every task once."""
    await ready(bot, BOB)
    community = await bot.storage.communities.list_all()
    start = soon() + timedelta(days=1)
    place = ("Building 3, Tiansen Jiayuan compound, east gate, by the bicycle shed " * 2)[:100]
    for n in range(25):
        title = (f"{n:02d} " + "Neighbourhood clean-up " * 3)[:60]
        hour = start + timedelta(hours=n)
        draft = TaskDraft(title, "文明实践", 5, hour, hour + timedelta(hours=1), 10, place)
        task = await bot.storage.tasks.create_draft(community[0].id, draft, SECRETARY.id)
        await bot.storage.tasks.change_status(task.id, TaskStatus.DRAFT, TaskStatus.OPEN)
    seen = await _pages_of(bot, "/tasks", "t1:page")
    assert sorted(seen) == [f"{n:02d}" for n in range(25)]
    assert not bot.fake.unanswered_callbacks()
