"""17.5: a wish taken on connects its resident and its volunteer through the bot: each is
told, each may write to the other (a relay in the private chats, no phone or username shown)
until the wish is closed; /forgetme of either side ends it; a day's messages are limited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.domain.wishes import RELAY_PER_DAY
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.harness import BOB, GROUP_ID, SECRETARY, BotHarness, make_settings

RESIDENT = TgUser(2500, "刘奶奶", username="liu_nainai")
VOLUNTEER = TgUser(2010, "李建国", username="lijianguo88")
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def timed(tmp_path: Path, fake: FakeTelegram) -> AsyncIterator[tuple[BotHarness, FixedClock]]:
    """The bot on a clock the test moves."""
    clock = FixedClock(datetime.now(TZ).replace(hour=10, minute=0, second=0, microsecond=0))
    bot = BotHarness(make_settings(tmp_path / "relay.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        yield bot, clock
    finally:
        await bot.stop()


async def _claimed(bot: BotHarness) -> int:
    """A resident's wish (with a compound) on the wall, taken on by 李建国: its id."""
    await bot.bind_group()
    await bot.send(SECRETARY, "/start")
    await bot.enroll(VOLUNTEER)
    await bot.enroll(BOB)
    await bot.send(RESIDENT, "/wish")
    await bot.send(RESIDENT, "家里水龙头漏水，想请人帮忙修一下")
    await bot.press(RESIDENT, bot.last(RESIDENT.id), "h1:g:photo")
    await bot.send(RESIDENT, "田森嘉园A区")
    wish = (await bot.storage.wishes.in_community(1, ("pending",)))[0]
    await bot.send(SECRETARY, "/wishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:r:ok:{wish.id}")
    await bot.flush()
    await bot.press(VOLUNTEER, bot.last(GROUP_ID), f"h1:claim:{wish.id}")
    await bot.flush()
    return wish.id


def _relay_button(message: dict[str, object]) -> str:
    return next(d for d in button_data(message) if d.startswith("h1:m:"))


def _alert(bot: BotHarness) -> str:
    text: str = bot.fake.calls_to("answerCallbackQuery")[-1].params.get("text", "")
    return text


async def test_17_5_resident_and_volunteer_write_to_each_other_through_the_bot(
    bot: BotHarness,
) -> None:
    """The claim reaches both: the volunteer gets the wish in private, the resident hears who
    took it on (the first name only); a message each way arrives headed with the wish and a
    Reply button, the user's words escaped, no phone, username or full name in it."""
    wish_id = await _claimed(bot)
    told = bot.last(RESIDENT.id)
    assert f"#{wish_id}" in told["text"] and "建国" in told["text"]
    assert "李建国" not in told["text"] and "lijianguo88" not in told["text"]
    notice = bot.last(VOLUNTEER.id)
    assert "水龙头漏水" in notice["text"] and "田森嘉园A区" in notice["text"]
    assert "liu_nainai" not in notice["text"] and "刘奶奶" not in notice["text"]

    await bot.press(RESIDENT, told, _relay_button(told))
    assert "留言" in bot.last(RESIDENT.id)["text"]
    await bot.send(RESIDENT, "明天上午<b>9点</b>在家 & 谢谢")  # not a tag: her words
    assert "已转达" in bot.texts(RESIDENT.id)[-1]
    await bot.flush()
    relayed = bot.fake.calls_to("sendMessage", chat_id=VOLUNTEER.id)[-1].params
    assert f"#{wish_id}" in relayed["text"] and "水龙头漏水" in relayed["text"]
    assert "明天上午&lt;b&gt;9点&lt;/b&gt;在家 &amp; 谢谢" in relayed["text"]
    assert "刘奶奶" not in relayed["text"] and "liu_nainai" not in relayed["text"]
    assert str(RESIDENT.id) not in relayed["text"]

    await bot.press(VOLUNTEER, bot.last(VOLUNTEER.id), _relay_button(bot.last(VOLUNTEER.id)))
    photo = [{"file_id": "tap1", "file_unique_id": "t1", "width": 90, "height": 90}]
    bot.updates.message(VOLUNTEER, "", photo=photo, caption="是这个型号的阀芯吗？")
    await bot.deliver()
    assert "已转达" in bot.texts(VOLUNTEER.id)[-1]
    await bot.flush()
    sent = bot.fake.calls_to("sendPhoto", chat_id=RESIDENT.id)[-1].params
    assert sent["photo"] == "tap1" and "是这个型号的阀芯吗？" in sent["caption"]
    assert "建国" in sent["caption"] and "李建国" not in sent["caption"]
    assert _relay_button(bot.last(RESIDENT.id))  # Reply
    rows = await bot.storage.db.fetchall(
        "SELECT payload FROM outbox WHERE effect = ?", (f"relay:{wish_id}",)
    )
    assert [r[0] for r in rows] == ["{}", "{}"]  # the words are not kept once sent

    await bot.send(VOLUNTEER, "/mywishes")  # /mywishes has the button too
    assert _relay_button(bot.last(VOLUNTEER.id)) == _relay_button(told)


async def test_17_5_the_relay_ends_when_the_wish_is_closed(bot: BotHarness) -> None:
    """Given back, the wish's relay refuses (a step under way too); taken on by another
    member, the first claim's buttons stay refused and the new volunteer's work; fulfilled,
    it ends."""
    wish_id = await _claimed(bot)
    told = bot.last(RESIDENT.id)
    first_claim = _relay_button(told)
    await bot.press(RESIDENT, told, first_claim)  # a step under way…
    await bot.send(VOLUNTEER, "/mywishes")
    await bot.press(VOLUNTEER, bot.last(VOLUNTEER.id), f"h1:release:{wish_id}")
    await bot.flush()
    before = len(bot.fake.calls_to("sendMessage", chat_id=VOLUNTEER.id))
    await bot.send(RESIDENT, "您什么时候来？")  # …after the wish went back: not sent
    assert "留言已结束" in bot.texts(RESIDENT.id)[-1]
    await bot.press(RESIDENT, told, first_claim)
    assert "留言已结束" in _alert(bot)

    await bot.press(BOB, bot.last(GROUP_ID), f"h1:claim:{wish_id}")
    await bot.flush()
    assert len(bot.fake.calls_to("sendMessage", chat_id=VOLUNTEER.id)) == before
    second = bot.last(RESIDENT.id)
    assert "Bob" in second["text"] and _relay_button(second) != first_claim
    await bot.press(VOLUNTEER, told, first_claim)  # the former volunteer: not a side now
    assert "留言已结束" in _alert(bot) or "ended" in _alert(bot)
    await bot.press(RESIDENT, second, _relay_button(second))
    await bot.send(RESIDENT, "谢谢您")
    await bot.flush()
    assert "谢谢您" in bot.texts(BOB.id)[-1] and "#" in bot.texts(BOB.id)[-1]

    await bot.send(BOB, "/mywishes")
    await bot.press(BOB, bot.last(BOB.id), f"h1:done:{wish_id}")
    await bot.send(SECRETARY, "/wishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:r:confirm:{wish_id}")
    await bot.press(RESIDENT, second, _relay_button(second))
    assert "留言已结束" in _alert(bot)


@pytest.mark.parametrize("who", ["resident", "volunteer"])
async def test_17_5_forgetme_of_either_side_ends_the_relay(bot: BotHarness, who: str) -> None:
    """/forgetme of the resident or of the volunteer: the other's button is refused, and a
    message not sent yet is not sent."""
    wish_id = await _claimed(bot)
    told, notice = bot.last(RESIDENT.id), bot.last(VOLUNTEER.id)
    leaving, staying, their_button = (
        (RESIDENT, VOLUNTEER, notice) if who == "resident" else (VOLUNTEER, RESIDENT, told)
    )
    leaving_button = told if who == "resident" else notice
    await bot.press(staying, their_button, _relay_button(their_button))
    bot.fake.fail("sendMessage", 502, "Bad Gateway", chat_id=leaving.id)
    await bot.send(staying, "我在楼下了")  # held up: in the outbox, not sent yet
    await bot.press(leaving, leaving_button, _relay_button(leaving_button))
    bot.fake.fail("sendMessage", 502, "Bad Gateway", chat_id=staying.id)
    await bot.send(leaving, "我的门牌是3号楼502")  # held up too: their words, not to go
    await bot.send(leaving, "/forgetme")
    await bot.press(leaving, bot.last(leaving.id), "f1:yes")
    await bot.flush()
    assert not any("我在楼下了" in t for t in bot.texts(leaving.id))
    assert not any("3号楼502" in t for t in bot.texts(staying.id))
    await bot.press(staying, their_button, _relay_button(their_button))
    assert "留言已结束" in _alert(bot)
    row = await bot.storage.db.fetchone(
        "SELECT COUNT(*) FROM outbox WHERE effect = ? AND payload != '{}'", (f"relay:{wish_id}",)
    )
    assert row is not None and row[0] == 0  # nothing of their words is kept


async def test_17_5_a_day_has_at_most_ten_relayed_messages_a_side(
    timed: tuple[BotHarness, FixedClock],
) -> None:
    """Ten messages a side a day: the eleventh is refused (the other side may still write),
    the next day the count starts again; a step left too long expires (nothing sent)."""
    bot, clock = timed
    await _claimed(bot)
    told = bot.last(RESIDENT.id)
    for n in range(RELAY_PER_DAY):
        await bot.press(RESIDENT, told, _relay_button(told))
        await bot.send(RESIDENT, f"第{n}条")
    await bot.flush()
    assert sum("第" in t and "条" in t for t in bot.texts(VOLUNTEER.id)) == RELAY_PER_DAY
    await bot.press(RESIDENT, told, _relay_button(told))
    assert f"已达 {RELAY_PER_DAY} 条" in _alert(bot)
    notice = bot.last(VOLUNTEER.id)
    await bot.press(VOLUNTEER, notice, _relay_button(notice))  # the other side still may
    await bot.send(VOLUNTEER, "收到")
    assert "已转达" in bot.texts(VOLUNTEER.id)[-1]

    clock.move(timedelta(days=1))
    await bot.press(RESIDENT, told, _relay_button(told))
    clock.move(timedelta(hours=1))  # the step waited too long
    await bot.send(RESIDENT, "还在吗")
    assert "超时" in bot.texts(RESIDENT.id)[-1] and "✉️" in bot.texts(RESIDENT.id)[-1]
    await bot.press(RESIDENT, told, _relay_button(told))  # a new day: allowed again
    await bot.send(RESIDENT, "新的一天")
    assert "已转达" in bot.texts(RESIDENT.id)[-1]
    await bot.flush()
    assert "新的一天" in bot.texts(VOLUNTEER.id)[-1]
    assert not any("还在吗" in t for t in bot.texts(VOLUNTEER.id))
    rows = await bot.storage.db.fetchall("SELECT day FROM wish_relay_counts")
    assert len({r[0] for r in rows}) == 1  # yesterday's counts are gone


async def test_17_5_the_relay_speaks_the_readers_language(bot: BotHarness) -> None:
    """An English resident is told, and reads the volunteer's messages, in English."""
    resident = TgUser(2600, "Ann", language_code="en")
    await bot.bind_group()
    await bot.enroll(VOLUNTEER)
    await bot.send(resident, "/wish Someone to walk me to the hospital")
    wish = (await bot.storage.wishes.in_community(1, ("pending",)))[0]
    await bot.send(SECRETARY, "/wishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:r:ok:{wish.id}")
    await bot.flush()
    await bot.press(VOLUNTEER, bot.last(GROUP_ID), f"h1:claim:{wish.id}")
    await bot.flush()
    told = bot.last(resident.id)
    assert "taken on by volunteer 建国" in told["text"]
    labels = [b["text"] for row in told["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["✉️ Message the volunteer"]
    notice = bot.last(VOLUNTEER.id)
    await bot.press(VOLUNTEER, notice, _relay_button(notice))
    await bot.send(VOLUNTEER, "周三上午九点来接您")
    await bot.flush()
    relayed = bot.last(resident.id)
    assert "Volunteer 建国 writes" in relayed["text"] and "周三上午九点" in relayed["text"]
