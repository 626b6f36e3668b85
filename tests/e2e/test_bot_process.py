"""End to end: ``python -m bot run`` as a process, over HTTP, against the fake Bot API."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.botprocess import BotProcess
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data

SECRETARY = TgUser(1001, "王书记")
ALICE = TgUser(2001, "张三")
BOB = TgUser(2002, "Bob", language_code="en")
CAROL = TgUser(2003, "李四")
OUTSIDER = TgUser(2009, "路人")
NEWCOMER = TgUser(2010, "赵六")
GROUP: dict[str, Any] = {"id": -1001111111111, "type": "supergroup", "title": "田森嘉园志愿者群"}


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    fake = FakeTelegram()
    bot = BotProcess(tmp_path_factory.mktemp("e2e"), fake, SECRETARY_IDS=str(SECRETARY.id))
    bot.start()
    yield bot
    assert bot.stop() == 0, bot.output()


def sent_to(bot: BotProcess, chat_id: int, needle: str) -> bool:
    return any(needle in t for t in bot.fake.texts_to(chat_id))


def test_menus_published_per_language_and_scope(running: BotProcess) -> None:
    scopes = {(key[0], key[1]) for key in running.fake.commands}
    assert ('{"type": "all_private_chats"}', "en") in scopes
    assert ('{"type": "all_group_chats"}', "") in scopes
    # the secretary never opened the bot: no menu is tried in their chat, nothing is refused
    calls = running.fake.calls_to("setMyCommands")
    assert calls and all(c.ok for c in calls)
    assert not any(str(SECRETARY.id) in str(c.params.get("scope")) for c in calls)


def test_first_run_enroll_at_once_and_secretary_menu_on_first_contact(
    running: BotProcess,
) -> None:
    # nothing set up but BOT_TOKEN and SECRETARY_IDS: a member enrolls with the form
    running.updates.message(NEWCOMER, "/enroll\n姓名：赵六\n单位：区教育局\n身份：在职党员")
    running.wait(lambda: sent_to(running, NEWCOMER.id, "我的社区"))
    assert running.query(
        "SELECT c.name FROM members m JOIN communities c ON c.id = m.community_id"
        " WHERE m.telegram_id = ?",
        (NEWCOMER.id,),
    ) == [("我的社区",)]
    scope = f'{{"chat_id": {SECRETARY.id}, "type": "chat"}}'
    assert not any(key[0] == scope for key in running.fake.commands)
    running.updates.message(SECRETARY, "/start")
    running.wait(lambda: any(key[0] == scope for key in running.fake.commands))
    calls = running.fake.calls_to("setMyCommands")
    assert all(c.ok for c in calls)
    commands = running.fake.commands[(scope, "")]
    assert "newtask" in {c["command"] for c in commands}


def test_start_welcomes_with_enroll_button(running: BotProcess) -> None:
    running.updates.message(OUTSIDER, "/start")
    running.wait(lambda: sent_to(running, OUTSIDER.id, "请先登记"))
    assert "e1:start" in button_data(running.fake.last_message(OUTSIDER.id))


def test_secretary_sets_up_community_and_binds_group(running: BotProcess) -> None:
    running.updates.message(SECRETARY, "/community 田森社区")
    running.wait(lambda: sent_to(running, SECRETARY.id, "start=c_"))
    running.fake.add_group(GROUP["id"], GROUP["title"])
    running.updates.bot_added(SECRETARY, GROUP)
    running.wait(lambda: sent_to(running, GROUP["id"], "/bindgroup"))
    running.updates.message(SECRETARY, "/bindgroup", chat=GROUP)
    running.wait(lambda: sent_to(running, GROUP["id"], "已绑定到"))
    rows = running.query(
        "SELECT c.name FROM group_chats g JOIN communities c"
        " ON c.id = g.community_id WHERE g.chat_id = ?",
        (GROUP["id"],),
    )
    assert rows == [("田森社区",)]


def test_member_refused_secretary_command(running: BotProcess) -> None:
    running.fake.add_group(GROUP["id"], GROUP["title"])
    before = running.query("SELECT COUNT(*) FROM group_chats")
    running.updates.message(ALICE, "/bindgroup", chat=GROUP)
    running.wait(lambda: sent_to(running, GROUP["id"], "只有社区书记"))
    running.updates.message(BOB, "/members")
    running.wait(lambda: sent_to(running, BOB.id, "Only community secretaries"))
    assert running.query("SELECT COUNT(*) FROM group_chats") == before


def test_enroll_fast_path_and_malformed(running: BotProcess) -> None:
    running.updates.message(BOB, "/enroll\nname: Bob <script>\ntype: astronaut")
    running.wait(lambda: sent_to(running, BOB.id, "Unknown member type"))
    assert running.query("SELECT COUNT(*) FROM members WHERE telegram_id = ?", (BOB.id,)) == [(0,)]
    running.updates.message(BOB, "/enroll\nname: Bob <script>\nunit: Tax & Co\ntype: in-service")
    running.wait(lambda: sent_to(running, BOB.id, "You are enrolled"))
    assert running.query(
        "SELECT name, work_unit, member_type FROM members WHERE telegram_id = ?", (BOB.id,)
    ) == [("Bob <script>", "Tax & Co", "in_service")]
    assert all(c.ok for c in running.fake.calls_to("sendMessage", chat_id=BOB.id))


def test_enroll_guided(running: BotProcess) -> None:
    running.updates.message(CAROL, "/enroll")
    running.wait(lambda: sent_to(running, CAROL.id, "请输入您的姓名"))
    running.updates.message(CAROL, "李四")
    running.wait(lambda: sent_to(running, CAROL.id, "您的身份是"))
    running.updates.press(CAROL, running.fake.last_message(CAROL.id), "e1:type:resident")
    running.wait(lambda: sent_to(running, CAROL.id, "工作单位"))
    running.updates.press(CAROL, running.fake.last_message(CAROL.id), "e1:skip")
    running.wait(lambda: sent_to(running, CAROL.id, "哪个小区"))
    running.updates.message(CAROL, "八一楼宿舍")
    running.wait(lambda: sent_to(running, CAROL.id, "登记成功"))
    assert running.query(
        "SELECT name, member_type, compound FROM members WHERE telegram_id = ?", (CAROL.id,)
    ) == [("李四", "resident", "八一楼宿舍")]
    running.wait(lambda: not running.fake.unanswered_callbacks())


def test_forged_callback_is_answered_and_changes_nothing(running: BotProcess) -> None:
    running.updates.message(OUTSIDER, "/lang")
    running.wait(lambda: sent_to(running, OUTSIDER.id, "Choose a language"))
    menu = running.fake.last_message(OUTSIDER.id)
    running.updates.press(OUTSIDER, menu, "m1:e:0")  # a secretary's button, forged
    running.updates.press(OUTSIDER, menu, "x" * 64)
    running.wait(lambda: not running.fake.unanswered_callbacks())
    answers = running.fake.calls_to("answerCallbackQuery")
    assert answers[-1].params.get("show_alert") is True


def test_rate_limited_by_server_still_delivers(tmp_path: Path) -> None:
    fake = FakeTelegram(rate_limit=3, retry_after=1)
    bot = BotProcess(tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id))
    bot.start()
    try:
        users = [TgUser(3000 + i, f"居民{i}") for i in range(8)]
        for user in users:
            bot.updates.message(user, "/help")
        bot.wait(lambda: all(bot.fake.texts_to(u.id) for u in users), timeout=30)
        assert fake.too_many_requests > 0
        assert all(len(bot.fake.texts_to(u.id)) == 1 for u in users)
    finally:
        assert bot.stop() == 0, bot.output()


def run_once(cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m bot run`` until it exits (on a bad setting, at once)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_token_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    result = run_once(tmp_path, env)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: BOT_TOKEN is required (set it in the environment or in .env)"
    )


def test_refused_token_exits_2_with_one_line(tmp_path: Path) -> None:
    bot = BotProcess(tmp_path, FakeTelegram(token="111:" + "B" * 35))
    try:
        result = run_once(
            tmp_path, {**bot.environment(), "BOT_TOKEN": "111:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}
        )
    finally:
        bot.close_server()
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == (
        "error: BOT_TOKEN was refused by Telegram: check it with @BotFather"
    )


def test_token_of_the_wrong_shape_exits_2_with_one_line(tmp_path: Path) -> None:
    bot = BotProcess(tmp_path, FakeTelegram())
    try:
        result = run_once(tmp_path, {**bot.environment(), "BOT_TOKEN": "123456"})
    finally:
        bot.close_server()
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: BOT_TOKEN is invalid: ")
    assert "\n" not in result.stderr.strip()
    assert not bot.fake.calls  # never sent to Telegram


def test_unreachable_telegram_at_start_is_retried(tmp_path: Path) -> None:
    fake = FakeTelegram()
    fake.fail("getMe", 502, "Bad Gateway", times=2)
    bot = BotProcess(tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id))
    bot.start()  # returns once it polls: after the two failures
    try:
        bot.updates.message(OUTSIDER, "/start")
        bot.wait(lambda: sent_to(bot, OUTSIDER.id, "请先登记"))
    finally:
        assert bot.stop() == 0, bot.output()
    lines = [line for line in bot.output().splitlines() if "cannot reach" in line]
    assert len(lines) == 2 and "trying again in 1 s" in lines[0], bot.output()
    assert "trying again in 2 s" in lines[1]
    assert "Traceback" not in bot.output()
