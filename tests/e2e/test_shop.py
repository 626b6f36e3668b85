"""End to end: the points shop in and out of its window, and ``run-job year-close``."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from bot.domain.shop import next_window_opening, redemption_window
from tests.e2e.botprocess import BotProcess
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data

TZ = ZoneInfo("Asia/Shanghai")
SECRETARY = TgUser(1001, "王书记")
RICH, POOR, OTHER = TgUser(2201, "张三"), TgUser(2202, "李四"), TgUser(2203, "王五")
GROUP: dict[str, Any] = {"id": -1004444444444, "type": "supergroup", "title": "群"}


def answers(fake: FakeTelegram) -> list[str]:
    return [c.params.get("text", "") for c in fake.calls_to("answerCallbackQuery")]


def confirm(bot: BotProcess, user: TgUser) -> tuple[dict[str, Any], str]:
    """/rewards, Redeem, and the confirmation button it gives."""
    fake = bot.fake
    before = len(fake.texts_to(user.id))
    bot.updates.message(user, "/rewards")
    bot.wait(lambda: len(fake.texts_to(user.id)) > before)
    bot.updates.press(user, fake.last_message(user.id), "w1:buy:1")
    bot.wait(lambda: any(d.startswith("w1:ok:") for d in button_data(fake.last_message(user.id))))
    message = fake.last_message(user.id)
    return message, next(d for d in button_data(message) if d.startswith("w1:ok:"))


def with_button(fake: FakeTelegram, chat_id: int, data: str, after: int) -> list[dict[str, Any]]:
    """The messages in a chat newer than ``after`` that carry a button with this data."""
    found = [
        m
        for (chat, _), m in dict(fake.messages).items()
        if chat == chat_id and m["message_id"] > after
    ]
    return sorted((m for m in found if data in button_data(m)), key=lambda m: m["message_id"])


def balance(bot: BotProcess, user: TgUser) -> int:
    rows = bot.query(
        "SELECT IFNULL(SUM(l.points), 0) FROM ledger_entries l JOIN members m"
        " ON m.id = l.member_id WHERE m.telegram_id = ?",
        (user.id,),
    )
    return int(rows[0][0])


def test_shop_window_balance_stock_race_and_year_close(tmp_path: Path) -> None:
    fake = FakeTelegram()
    bot = BotProcess(tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id), REDEMPTION_WINDOW_DAYS="92")
    bot.start()
    try:
        bot.updates.message(SECRETARY, "/community 田森社区")
        # different chats are handled side by side: members enroll once the community exists
        bot.wait(lambda: bot.query("SELECT COUNT(*) FROM communities") == [(1,)])
        fake.add_group(GROUP["id"], GROUP["title"])
        bot.updates.message(SECRETARY, "/bindgroup", chat=GROUP)
        for user in (RICH, POOR, OTHER):
            bot.updates.message(
                user, f"/enroll\n姓名：{user.first_name}\n单位：市税务局\n身份：在职党员"
            )
        # different chats are handled side by side: grant once all three are enrolled
        bot.wait(lambda: bot.query("SELECT COUNT(*) FROM members") == [(3,)])
        for name, points in (("张三", 20), ("李四", 2), ("王五", 20)):
            bot.updates.message(SECRETARY, f"/grant {name} {points} 志愿服务")
        bot.updates.message(SECRETARY, "/reward add 电影票 8 2")
        bot.wait(lambda: any("已上架" in t for t in fake.texts_to(SECRETARY.id)))

        message, ok = confirm(bot, RICH)
        bot.updates.press(RICH, message, ok)
        bot.wait(lambda: any("兑换成功" in a for a in answers(fake)))
        assert balance(bot, RICH) == 12
        assert bot.query("SELECT stock FROM rewards") == [(1,)]

        before = len(fake.texts_to(POOR.id))
        bot.updates.message(POOR, "/rewards")  # 2 points for 8: refused at once
        bot.wait(lambda: len(fake.texts_to(POOR.id)) > before)
        bot.updates.press(POOR, fake.last_message(POOR.id), "w1:buy:1")
        bot.wait(lambda: any("积分不足" in a for a in answers(fake)))
        assert balance(bot, POOR) == 2

        rich_message, rich_ok = confirm(bot, RICH)
        other_message, other_ok = confirm(bot, OTHER)
        bot.updates.press(RICH, rich_message, rich_ok)  # both tap for the last item
        bot.updates.press(OTHER, other_message, other_ok)
        bot.wait(lambda: not fake.unanswered_callbacks())
        last_two = answers(fake)[-2:]
        assert sum("兑换成功" in a for a in last_two) == 1
        assert sum("已兑完" in a for a in last_two) == 1
        assert bot.query("SELECT stock FROM rewards") == [(0,)]
        # whoever won paid 8; the other kept their points
        assert (balance(bot, RICH), balance(bot, OTHER)) in ((4, 20), (12, 12))
        assert bot.query("SELECT COUNT(*) FROM redemptions") == [(2,)]
    finally:
        assert bot.stop(keep_server=True) == 0, bot.output()

    today = datetime.now(TZ).date()
    if not redemption_window(today, 1).contains(today):
        closed = BotProcess(
            tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id), REDEMPTION_WINDOW_DAYS="1"
        )
        closed.start()
        try:
            seen = fake.last_message(POOR.id)["message_id"]
            bot.updates.message(POOR, "/rewards")
            closed.wait(lambda: fake.last_message(POOR.id)["message_id"] > seen)
            # the last one went in the race: nothing to buy now; the shop shown while the
            # window was open still has its button, and a tap on it says when it opens
            assert not with_button(fake, POOR.id, "w1:buy:1", after=seen)
            shown_before = with_button(fake, POOR.id, "w1:buy:1", after=0)[-1]
            bot.updates.press(POOR, shown_before, "w1:buy:1")
            day = next_window_opening(today, 1)
            opens = f"{day.year}年{day.month}月{day.day}日"
            closed.wait(lambda: any(opens in a for a in answers(fake)))
        finally:
            assert closed.stop() == 0, closed.output()

    try:
        next_year = f"{today.year + 1}-01-01T09:00:00+08:00"
        run = bot.cli("run-job", "year-close", "--at", next_year)
        output = run.communicate(timeout=60)[0].decode()
        assert run.returncode == 0, output
        announcement = fake.texts_to(GROUP["id"])[-1]
        # redemptions spend points, they do not lower the year's standing; ties go by name
        assert "年度红色积分前十名" in announcement and "1. 张三" in announcement
        assert "前十名" in fake.texts_to(SECRETARY.id)[-1]
        document = fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
        book = load_workbook(io.BytesIO(fake.files[document.result["document"]["file_id"]]))
        top, bottom, units = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
        assert [row[1] for row in top[2:]] == ["张三", "王五", "李四"]
        assert [row[1] for row in bottom[2:]] == []  # three members: all in the top ten
        assert units[2][1:3] == ("市税务局", 3)  # and the work units' accounts
    finally:
        bot.close_server()
