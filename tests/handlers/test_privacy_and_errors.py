"""/mydata, /forgetme, replayed updates, stale buttons and the error handler."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Update

from bot.clock import FixedClock
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import button_data
from tests.harness import ALICE, BOB, GROUP_ID, SECRETARY, BotHarness, make_settings

FORM = "/enroll\n姓名：张三\n单位：市税务局\n身份：在职党员\n小区：A区"


async def test_mydata_shows_and_exports_everything(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, FORM)
    await bot.send(ALICE, "/mydata")
    assert "市税务局" in bot.texts(ALICE.id)[-1]
    assert "+00:00" not in bot.texts(ALICE.id)[-1] and "年" in bot.texts(ALICE.id)[-1]
    document = bot.fake.calls_to("sendDocument", chat_id=ALICE.id)[-1]
    assert document.ok
    exported = json.loads(bot.fake.files[document.result["document"]["file_id"]])
    assert exported["member"]["name"] == "张三" and exported["member"]["telegram_id"] == ALICE.id
    assert set(exported) >= {"ledger_entries", "signups", "monthly_reports", "redemptions"}
    await bot.send(SECRETARY, "/grant 张三 2 扫雪")  # a notice from the outbox
    await bot.flush()
    await bot.send(ALICE, "/mydata")
    document = bot.fake.calls_to("sendDocument", chat_id=ALICE.id)[-1]
    exported = json.loads(bot.fake.files[document.result["document"]["file_id"]])
    sent = exported["messages_sent"]
    assert [m["status"] for m in sent] == ["sent"] and "扫雪" in sent[0]["text"]


async def test_forgetme_erases_after_confirmation(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, FORM)
    bot.updates.contact(ALICE, "13800001111")
    await bot.deliver()
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None
    await bot.send(ALICE, "/forgetme")
    await bot.press(ALICE, bot.last(ALICE.id), "f1:no")
    assert await bot.storage.members.get_by_telegram_id(ALICE.id) is not None
    await bot.send(ALICE, "/forgetme")
    await bot.press(ALICE, bot.last(ALICE.id), "f1:yes")
    assert await bot.storage.members.get_by_telegram_id(ALICE.id) is None
    erased = await bot.storage.members.get(member.id)
    assert erased is not None  # the row stays for points history, anonymized
    assert (erased.name, erased.work_unit, erased.phone, erased.telegram_id) == ("", "", None, None)
    await bot.send(ALICE, "/mydata")  # only the language she writes in, kept anew (16.19)
    told = bot.texts(ALICE.id)[-1]
    assert "不是本社区登记成员" in told and "张三" not in told and "市税务局" not in told


async def test_forgetme_also_erases_a_stored_draft(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, "/grant 张三 2 扫雪")  # a notice: an outbox row to her chat
    await bot.send(ALICE, "/object")  # a guided flow: its draft is kept in the database
    await bot.send(ALICE, "/lang")
    await bot.press(ALICE, bot.last(ALICE.id), "l1:en")
    await bot.app.update_persistence()
    kept = "SELECT COUNT(*) FROM conversation_state WHERE kind = 'user_data' AND key = ?"
    assert list((await bot.storage.db.fetchone(kept, (str(ALICE.id),))) or [0]) == [1]
    await bot.send(ALICE, "/forgetme")
    await bot.press(ALICE, bot.last(ALICE.id), "f1:yes")
    await bot.app.update_persistence()
    assert list((await bot.storage.db.fetchone(kept, (str(ALICE.id),))) or [0]) == [0]
    to_her = "SELECT COUNT(*) FROM outbox WHERE chat_id = ? OR payload LIKE '%扫雪%'"
    assert list((await bot.storage.db.fetchone(to_her, (ALICE.id,))) or [0]) == [0]


async def test_replayed_update_is_handled_once(bot: BotHarness) -> None:
    await bot.setup_community()
    update = bot.updates.message(ALICE, FORM)
    await bot.deliver()
    sent = len(bot.texts(ALICE.id))
    await bot.app.process_update(Update.de_json(update, bot.app.bot))
    assert len(bot.texts(ALICE.id)) == sent


async def test_stale_and_forged_buttons_are_answered(bot: BotHarness) -> None:
    await bot.send(ALICE, "/lang")
    menu = bot.last(ALICE.id)
    for data in ("e1:type:in_service", "l1:fr", "e1:c:99999", "garbage"):
        await bot.press(ALICE, menu, data)
    assert not bot.fake.unanswered_callbacks()
    answers = bot.fake.calls_to("answerCallbackQuery")
    assert len(answers) == 4 and all("失效" in a.params["text"] for a in answers)
    assert await bot.storage.members.get_by_telegram_id(ALICE.id) is None


async def test_error_tells_user_and_admin_and_answers_button(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.storage.members, "get_with_role", broken)
    await bot.send(SECRETARY, "/start")  # the admin has a chat with the bot
    await bot.send(BOB, "/help")
    assert "something went wrong" in bot.texts(BOB.id)[-1]
    assert "RuntimeError: boom" in bot.texts(SECRETARY.id)[-1]
    await bot.send(BOB, "/lang")
    await bot.press(BOB, bot.last(BOB.id), "l1:en")
    assert not bot.fake.unanswered_callbacks()


async def test_blocked_member_marked_unreachable(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, FORM)
    bot.fake.block(ALICE.id)
    await bot.send(ALICE, "/help")  # the answer gets 403
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and not member.reachable
    bot.fake.blocked.discard(ALICE.id)
    await bot.send(ALICE, "/help")
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and member.reachable


async def test_forgetme_frees_places_and_removes_her_roster_row(bot: BotHarness) -> None:
    from datetime import datetime, timedelta

    from bot.domain.roster import parse_roster_csv

    await bot.setup_community()
    community = (await bot.storage.communities.list_all())[0]
    parsed = parse_roster_csv("姓名,手机,单位,类型\n张三,13900001111,市税务局,在职党员")
    await bot.storage.roster.import_rows(community.id, parsed.rows)
    await bot.bind_group()
    await bot.send(ALICE, FORM)  # no phone shared: linked by name (the only 张三)
    await bot.enroll(BOB)
    start = datetime.now(bot.services.settings.tz) + timedelta(days=2)
    task_id = await bot.publish(
        f"/newtask\n标题：巡逻\n类别：平安创建\n名额：1\n开始：{start:%Y-%m-%d %H:%M}\n"
        f"结束：{start + timedelta(hours=1):%H:%M}\n地点：A区"
    )
    card = bot.last(-1001234567890)
    await bot.press(ALICE, card, f"t1:join:{task_id}")
    await bot.press(BOB, card, f"t1:join:{task_id}")  # waitlisted
    await bot.send(ALICE, "/forgetme")
    await bot.press(ALICE, bot.last(ALICE.id), "f1:yes")
    await bot.flush()
    bob = await bot.storage.members.get_by_telegram_id(BOB.id)
    assert bob is not None
    signup = await bot.storage.signups.get(task_id, bob.id)
    assert signup is not None and signup.status == "joined"  # promoted
    assert any("巡逻" in t for t in bot.texts(BOB.id)[-2:])  # and told
    rows = await bot.storage.db.fetchall("SELECT name FROM roster_entries")
    assert rows == []


def admin_reports(bot: BotHarness) -> list[str]:
    return [t for t in bot.texts(SECRETARY.id) if t.startswith("⚠️")]


async def test_16_20_double_taps_on_edited_messages_are_no_errors(bot: BotHarness) -> None:
    """A second tap on /lang or a guided /newtask button edits a message to what it already
    is: Telegram's "message is not modified" is success, nobody hears of an error."""
    await bot.send(SECRETARY, "/start")
    await bot.send(ALICE, "/lang")
    menu = bot.last(ALICE.id)
    await bot.press(ALICE, menu, "l1:en")
    await bot.press(ALICE, menu, "l1:en")
    await bot.setup_community()
    await bot.send(SECRETARY, "/newtask")
    await bot.send(SECRETARY, "敬老院慰问")
    categories = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, categories, "n2:v:1:3")
    await bot.press(SECRETARY, categories, "n2:v:1:3")  # its buttons are already gone
    assert not bot.fake.unanswered_callbacks()
    assert not admin_reports(bot)
    assert not any("went wrong" in t or "出了点问题" in t for t in bot.texts(ALICE.id))
    assert not any("出了点问题" in t for t in bot.texts(SECRETARY.id))


async def test_16_20_admin_reports_are_grouped_by_kind(
    tmp_path: Path, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten failures of one kind: one report at once, the others counted in the next one."""
    clock = FixedClock(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    bot = BotHarness(make_settings(tmp_path / "e.sqlite3", fake.token), fake, clock=clock)
    await bot.start()
    try:
        await bot.send(SECRETARY, "/start")

        async def broken(*args: object) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(bot.storage.members, "get_with_role", broken)
        for _ in range(10):
            await bot.send(BOB, "/help")
        assert len(admin_reports(bot)) == 1 and "RuntimeError: boom" in admin_reports(bot)[0]
        assert all("something went wrong" in t for t in bot.texts(BOB.id))  # each one is told
        clock.move(timedelta(minutes=20))
        await bot.send(BOB, "/help")
        assert len(admin_reports(bot)) == 2
        assert "9" in admin_reports(bot)[-1] and "boom" in admin_reports(bot)[-1]
    finally:
        await bot.stop()


def test_16_20_handlers_edit_only_through_the_helpers() -> None:
    """Every edit a handler makes goes through common.edit_text / edit_markup (which take
    "message is not modified" as success)."""
    import bot.handlers

    folder = Path(bot.handlers.__file__).parent
    direct = [
        path.name
        for path in folder.glob("*.py")
        if path.name != "common.py" and ".edit_message_" in path.read_text(encoding="utf-8")
    ]
    assert not direct, direct


async def test_16_20_double_taps_on_wish_decisions_and_mywishes(bot: BotHarness) -> None:
    """Approve twice in /wishes, Release twice in /mywishes: answered, no error anywhere."""
    await bot.bind_group()
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, "/start")
    await bot.send(BOB, "/wish 家里水龙头漏水，想请人帮忙修一下")
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    approve = next(d for d in button_data(wall) if d.startswith("h1:r:ok:"))
    await bot.press(SECRETARY, wall, approve)
    await bot.press(SECRETARY, wall, approve)
    await bot.flush()
    card = bot.last(GROUP_ID)
    await bot.press(ALICE, card, next(d for d in button_data(card) if d.startswith("h1:claim:")))
    await bot.send(ALICE, "/mywishes")
    mine = bot.last(ALICE.id)
    release = next(d for d in button_data(mine) if d.startswith("h1:release:"))
    await bot.press(ALICE, mine, release)
    await bot.press(ALICE, mine, release)
    await bot.flush()
    assert not bot.fake.unanswered_callbacks()
    assert not admin_reports(bot)
    assert not any("出了点问题" in t for t in bot.texts(ALICE.id) + bot.texts(SECRETARY.id))
