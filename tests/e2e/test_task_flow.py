"""End to end: a task from publishing to points, with forged, stale and duplicate taps."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.e2e.botprocess import BotProcess
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data

SECRETARY = TgUser(1001, "王书记")
MEMBERS = [TgUser(2101, "张三"), TgUser(2102, "李四"), TgUser(2103, "王五")]
OUTSIDER = TgUser(2199, "路人", language_code="en")
GROUP: dict[str, Any] = {"id": -1002222222222, "type": "supergroup", "title": "田森嘉园志愿者群"}
TZ = ZoneInfo("Asia/Shanghai")


def texts(bot: BotProcess, chat_id: int) -> list[str]:
    return bot.fake.texts_to(chat_id)


def test_publish_join_waitlist_leave_checkin_review_points(tmp_path: Path) -> None:
    fake = FakeTelegram()
    bot = BotProcess(
        tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id), CARD_EDIT_INTERVAL_SECONDS="0.3"
    )
    bot.start()
    try:
        _scenario(bot)
    finally:
        assert bot.stop() == 0, bot.output()


def _scenario(bot: BotProcess) -> None:
    fake, updates = bot.fake, bot.updates
    updates.message(SECRETARY, "/community 田森社区")
    bot.wait(lambda: any("start=c_" in t for t in texts(bot, SECRETARY.id)))
    fake.add_group(GROUP["id"], GROUP["title"])
    updates.message(SECRETARY, "/bindgroup", chat=GROUP)
    bot.wait(lambda: any("已绑定到" in t for t in texts(bot, GROUP["id"])))
    for user in MEMBERS:
        updates.message(user, f"/enroll\n姓名：{user.first_name}\n单位：市税务局\n身份：在职党员")
        bot.wait(lambda u=user: any("登记成功" in t for t in texts(bot, u.id)))

    start = (datetime.now(TZ) + timedelta(minutes=20)).replace(second=0, microsecond=0)
    updates.message(
        SECRETARY,
        f"/newtask\n标题：小区环境整治\n类别：文明实践\n积分：5\n"
        f"开始：{start:%Y-%m-%d %H:%M}\n结束：{start + timedelta(hours=2):%Y-%m-%d %H:%M}"
        "\n名额：2\n地点：田森嘉园A区 3号楼",
    )
    bot.wait(lambda: any("预览" in t for t in texts(bot, SECRETARY.id)))
    preview = fake.last_message(SECRETARY.id)
    publish = next(d for d in button_data(preview) if d.startswith("t1:pub:"))
    task_id = int(publish.rsplit(":", 1)[1])
    updates.press(SECRETARY, preview, publish)
    bot.wait(lambda: any("小区环境整治" in t for t in texts(bot, GROUP["id"])))
    card = fake.last_message(GROUP["id"])

    for user in MEMBERS:  # two join, the third waits
        updates.press(user, card, f"t1:join:{task_id}")
    bot.wait(lambda: len(fake.calls_to("answerCallbackQuery")) >= 4)
    assert bot.query("SELECT status FROM signups ORDER BY member_id") == [
        ("joined",),
        ("joined",),
        ("waitlisted",),
    ]
    bot.wait(lambda: "2/2" in fake.last_message(GROUP["id"]).get("text", ""))

    updates.press(MEMBERS[0], card, f"t1:leave:{task_id}")  # the waiting one is promoted
    bot.wait(lambda: any("候补转为正式报名" in t for t in texts(bot, MEMBERS[2].id)))
    assert bot.query("SELECT status FROM signups ORDER BY member_id") == [
        ("left",),
        ("joined",),
        ("joined",),
    ]

    # forged, stale and duplicate taps: all answered, nothing changes
    updates.press(OUTSIDER, card, f"t1:join:{task_id}")
    updates.press(MEMBERS[1], card, f"t1:join:{task_id + 1000}")
    updates.press(MEMBERS[1], card, "t1:join:abc")
    updates.press(MEMBERS[1], card, f"t1:pub:{task_id}")
    updates.press(MEMBERS[1], card, f"t1:join:{task_id}")
    bot.wait(lambda: not fake.unanswered_callbacks())
    assert bot.query("SELECT COUNT(*) FROM signups") == [(3,)]
    replay = updates.press(MEMBERS[1], card, f"t1:ci:{task_id}")
    fake.replay(replay)  # Telegram delivers it twice
    bot.wait(
        lambda: bot.query("SELECT COUNT(*) FROM signups WHERE status = 'checked_in'") == [(1,)]
    )

    updates.message(SECRETARY, "/review")
    bot.wait(lambda: any("待审核签到" in t for t in texts(bot, SECRETARY.id)))
    page = fake.last_message(SECRETARY.id)
    approve = next(d for d in button_data(page) if d.startswith("r1:ok:"))
    updates.press(SECRETARY, page, approve)
    updates.press(SECRETARY, page, approve)
    bot.wait(lambda: any("获得 5 分" in t for t in texts(bot, MEMBERS[1].id)))
    bot.wait(lambda: not fake.unanswered_callbacks())
    assert bot.query("SELECT SUM(points), COUNT(*) FROM ledger_entries") == [(5, 1)]

    updates.message(MEMBERS[1], "/points")
    bot.wait(lambda: any("我的红色积分：5" in t for t in texts(bot, MEMBERS[1].id)))
    edits = fake.calls_to("editMessageText", chat_id=GROUP["id"])
    assert edits and all(e.ok for e in edits)
