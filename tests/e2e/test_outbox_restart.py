"""End to end: a notice decided before a SIGKILL is delivered once after the restart."""

from __future__ import annotations

import signal
from pathlib import Path

from tests.e2e.botprocess import BotProcess
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser

SECRETARY = TgUser(1001, "王书记")
MEMBER = TgUser(7301, "张三")


def notices(fake: FakeTelegram, reason: str) -> int:
    return sum(reason in t for t in fake.texts_to(MEMBER.id))


def test_a_notice_written_with_its_change_survives_a_kill(tmp_path: Path) -> None:
    fake = FakeTelegram()
    # a member's chat gets at most one message every 4 s: the second notice has to wait
    bot = BotProcess(
        tmp_path, fake, SECRETARY_IDS=str(SECRETARY.id), SEND_PRIVATE_INTERVAL_SECONDS="4"
    )
    bot.start()
    try:
        bot.updates.message(SECRETARY, "/community 田森社区")
        bot.wait(lambda: bot.query("SELECT COUNT(*) FROM communities") == [(1,)])
        bot.updates.message(MEMBER, "/enroll\n姓名：张三\n单位：市税务局\n身份：在职党员")
        bot.wait(lambda: bot.query("SELECT COUNT(*) FROM members") == [(1,)])
        bot.updates.message(SECRETARY, "/grant 张三 2 扫雪")
        bot.wait(lambda: notices(fake, "扫雪") == 1)
        bot.updates.message(SECRETARY, "/grant 张三 3 助老")
        bot.wait(lambda: bot.query("SELECT COUNT(*) FROM ledger_entries") == [(2,)])
        assert bot.proc is not None
        bot.proc.send_signal(signal.SIGKILL)  # the points are granted, the notice not sent yet
        bot.proc.wait(10)
        assert notices(fake, "助老") == 0
        pending = bot.query("SELECT status FROM outbox WHERE chat_id = ?", (MEMBER.id,))
        assert ("pending",) in pending or ("claimed",) in pending, pending
    finally:
        bot.stop(keep_server=True)
    bot.start()
    try:
        bot.wait(lambda: notices(fake, "助老") == 1)
        assert notices(fake, "扫雪") == 1
    finally:
        assert bot.stop() == 0, bot.output()
    assert notices(fake, "助老") == 1
