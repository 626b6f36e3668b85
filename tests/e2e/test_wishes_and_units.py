"""End to end against the fake Bot API server: a resident's wish from the wall to the
claimant's points, and a work unit's quarterly feedback to its liaison (双报到)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from tests.e2e.botprocess import BotProcess
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data

SECRETARY = TgUser(1001, "王书记")
ALICE = TgUser(2001, "张三")
BOB = TgUser(2002, "李四")
CAROL = TgUser(2003, "赵六")
RESIDENT = TgUser(2500, "刘奶奶")
LIAISON = TgUser(3001, "周联络")
GROUP: dict[str, Any] = {"id": -1004444444444, "type": "supergroup", "title": "志愿者群"}


def _enroll(bot: BotProcess, user: TgUser, unit: str) -> None:
    bot.updates.message(user, f"/enroll\n姓名：{user.first_name}\n单位：{unit}\n身份：在职党员")


def _with_button(fake: FakeTelegram, chat_id: int, prefix: str) -> tuple[dict[str, Any], str]:
    """The newest message in the chat with a button whose data starts with ``prefix``."""
    for call in reversed(fake.calls_to("sendMessage", chat_id=chat_id)):
        found = [d for d in button_data(call.result) if d.startswith(prefix)]
        if found:
            return call.result, found[0]
    raise AssertionError(f"no {prefix} button in chat {chat_id}")


def _has_button(fake: FakeTelegram, chat_id: int, prefix: str) -> bool:
    try:
        _with_button(fake, chat_id, prefix)
    except AssertionError:
        return False
    return True


def _toasts(fake: FakeTelegram) -> list[str]:
    return [str(c.params.get("text", "")) for c in fake.calls_to("answerCallbackQuery")]


def test_a_wish_from_the_wall_to_the_claimants_points(tmp_path: Path) -> None:
    fake = FakeTelegram()
    bot = BotProcess(tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id)).start()
    try:
        bot.updates.message(SECRETARY, "/start")
        fake.add_group(GROUP["id"], GROUP["title"])
        bot.updates.message(SECRETARY, "/bindgroup", chat=GROUP)
        _enroll(bot, ALICE, "市税务局")
        _enroll(bot, BOB, "市税务局")
        bot.wait(lambda: bot.query("SELECT COUNT(*) FROM members") == [(2,)])
        bot.updates.message(RESIDENT, "/wish 家里水龙头漏水，想请人帮忙修一下")
        bot.wait(lambda: any("新的微心愿待审核" in t for t in fake.texts_to(SECRETARY.id)))

        bot.updates.message(SECRETARY, "/wishes")
        bot.wait(lambda: _has_button(fake, SECRETARY.id, "h1:r:ok:"))
        wall, approve = _with_button(fake, SECRETARY.id, "h1:r:ok:")
        bot.updates.press(SECRETARY, wall, approve)
        bot.wait(lambda: _has_button(fake, GROUP["id"], "h1:claim:"))
        card, claim = _with_button(fake, GROUP["id"], "h1:claim:")
        assert "水龙头漏水" in card["text"]

        bot.updates.press(ALICE, card, claim)
        bot.wait(lambda: any("认领成功" in t for t in _toasts(fake)))
        bot.updates.press(BOB, card, claim)  # a second claim is refused
        bot.wait(lambda: len(_toasts(fake)) >= 3)  # approve, claim, refused claim
        assert "认领成功" not in _toasts(fake)[-1]
        bot.wait(lambda: "张三 认领" in fake.last_message(GROUP["id"]).get("text", ""))

        bot.updates.message(ALICE, "/mywishes")
        bot.wait(lambda: _has_button(fake, ALICE.id, "h1:done:"))
        mine, done = _with_button(fake, ALICE.id, "h1:done:")
        bot.updates.press(ALICE, mine, done)
        bot.wait(lambda: any("已完成微心愿" in t for t in fake.texts_to(SECRETARY.id)))

        bot.updates.message(SECRETARY, "/wishes")
        bot.wait(lambda: _has_button(fake, SECRETARY.id, "h1:r:confirm:"))
        wall, confirm = _with_button(fake, SECRETARY.id, "h1:r:confirm:")
        bot.updates.press(SECRETARY, wall, confirm)
        bot.updates.press(SECRETARY, wall, confirm)  # a double tap confirms once
        bot.wait(lambda: any("已经实现" in t for t in fake.texts_to(RESIDENT.id)))
        bot.updates.message(ALICE, "/points")
        bot.wait(lambda: any("当前积分" in t or "积分" in t for t in fake.texts_to(ALICE.id)[-1:]))
        entries = bot.query(
            "SELECT l.points FROM ledger_entries l JOIN members m ON m.id = l.member_id"
            " WHERE m.telegram_id = ?",
            (ALICE.id,),
        )
        assert entries == [(5,)]  # WISH_POINTS, once
        assert "5" in fake.texts_to(ALICE.id)[-1]
    finally:
        assert bot.stop() == 0, bot.output()


def test_a_units_liaison_gets_the_quarters_feedback_once(tmp_path: Path) -> None:
    fake = FakeTelegram()
    bot = BotProcess(tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id)).start()
    try:
        bot.updates.message(SECRETARY, "/start")
        _enroll(bot, ALICE, "市税务局")
        _enroll(bot, BOB, "市税务局")
        _enroll(bot, CAROL, "区教育局")
        bot.wait(lambda: bot.query("SELECT COUNT(*) FROM members") == [(3,)])
        bot.updates.message(SECRETARY, "/units")
        bot.wait(lambda: _has_button(fake, SECRETARY.id, "u1:i:"))
        (unit_id,) = bot.query("SELECT id FROM units WHERE name = '市税务局'")[0]
        listing, _ = _with_button(fake, SECRETARY.id, "u1:i:")
        bot.updates.press(SECRETARY, listing, f"u1:i:{unit_id}")
        bot.wait(lambda: "?start=u_" in fake.texts_to(SECRETARY.id)[-1])
        found = re.search(r"\?start=(u_[A-Za-z0-9_-]+)", fake.texts_to(SECRETARY.id)[-1])
        assert found is not None
        bot.updates.message(LIAISON, f"/start {found.group(1)}")
        bot.wait(lambda: any("联络人" in t for t in fake.texts_to(LIAISON.id)))
    finally:
        assert bot.stop(keep_server=True) == 0, bot.output()

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    month = (today.month - 1) // 3 * 3 + 4  # the next quarter's first month
    quarter_start = date(today.year + 1, 1, 1) if month > 12 else date(today.year, month, 1)
    at = f"{quarter_start.isoformat()}T09:00:00+08:00"
    try:
        run = bot.cli("run-job", "unit-feedback", "--at", at)
        output = run.communicate(timeout=60)[0].decode()
        assert run.returncode == 0, output
        feedback, received = _with_button(fake, LIAISON.id, "u1:ok:")
        assert "张三" in feedback["text"] and "李四" in feedback["text"]
        assert "赵六" not in feedback["text"]
        document = fake.calls_to("sendDocument", chat_id=LIAISON.id)[-1]
        book = load_workbook(io.BytesIO(fake.files[document.result["document"]["file_id"]]))
        names = sorted(str(row[0]) for row in book.active.iter_rows(min_row=3, values_only=True))
        assert names == ["张三", "李四"]  # exactly the unit's members

        sends = len(fake.calls_to("sendMessage")) + len(fake.calls_to("sendDocument"))
        again = bot.cli("run-job", "unit-feedback", "--at", at)
        assert again.wait(60) == 0
        assert len(fake.calls_to("sendMessage")) + len(fake.calls_to("sendDocument")) == sends
        bot.start()  # the liaison taps Received
        bot.updates.press(LIAISON, feedback, received)
        bot.wait(
            lambda: bot.query("SELECT COUNT(*) FROM unit_feedback WHERE received_at") == [(1,)]
        )
        bot.updates.message(SECRETARY, "/units")
        bot.wait(lambda: "反馈单已收到" in fake.texts_to(SECRETARY.id)[-1])
        assert bot.stop(keep_server=True) == 0, bot.output()
    finally:
        bot.close_server()
