"""Work units (双报到): /units, a liaison's invitation, the quarter's feedback to the liaison
(once per unit and quarter), Received, /unitreport, merged spellings and the units' accounts."""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import load_workbook

from bot.domain.schedule import JobName
from bot.domain.units import previous_quarter, quarter_of
from bot.jobs.runner import run_job
from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, BOB, GROUP_ID, SECRETARY, BotHarness

CAROL = TgUser(2003, "李四")
DAVE = TgUser(2004, "赵六")
LIAISON = TgUser(3001, "周联络")
STRANGER = TgUser(3002, "路人")


async def _enroll(bot: BotHarness, user: TgUser, unit: str) -> None:
    await bot.send(user, f"/enroll\nname: {user.first_name}\nunit: {unit}\ntype: in-service")


async def _unit_id(bot: BotHarness, name: str) -> int:
    row = await bot.storage.db.fetchone("SELECT id FROM units WHERE name = ?", (name,))
    assert row is not None
    return int(row[0])


async def _invite(bot: BotHarness, unit: str) -> str:
    """The secretary taps Invite for ``unit`` in /units; the link's /start payload."""
    await bot.send(SECRETARY, "/units")
    listing = bot.last(SECRETARY.id)
    unit_id = await _unit_id(bot, unit)
    await bot.press(SECRETARY, listing, f"u1:i:{unit_id}")
    found = re.search(r"\?start=(u_[A-Za-z0-9_-]+)", bot.texts(SECRETARY.id)[-1])
    assert found is not None
    return found.group(1)


def _next_quarter_morning(bot: BotHarness) -> datetime:
    tz = bot.services.settings.tz
    first = quarter_of(bot.services.now().date()).end_day
    return datetime(first.year, first.month, first.day, 9, tzinfo=tz)


async def test_a_liaison_gets_their_units_feedback_once(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)  # 市税务局
    await bot.enroll(BOB)  # 市税务局
    await _enroll(bot, CAROL, "区教育局")
    alice = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert alice is not None  # she reported home this month (the window may not be open today)
    await bot.storage.reports.file(alice.id, f"{bot.services.now():%Y-%m}", "回家看看")
    await bot.send(SECRETARY, "/grant 张三 5 好事")
    await bot.send(SECRETARY, "/grant 李四 7 好事")

    await bot.send(SECRETARY, "/units")
    listing = bot.texts(SECRETARY.id)[-1]
    assert "市税务局" in listing and "区教育局" in listing and "尚无联络人" in listing
    payload = await _invite(bot, "市税务局")
    assert "只能使用一次" in bot.texts(SECRETARY.id)[-1]

    await bot.send(LIAISON, f"/start {payload}")
    assert "您已成为“市税务局”" in bot.texts(LIAISON.id)[-1]
    await bot.flush()
    assert "周联络 已成为“市税务局”的联络人" in bot.texts(SECRETARY.id)[-1]
    await bot.send(STRANGER, f"/start {payload}")  # the link works once
    assert "已使用" in bot.texts(STRANGER.id)[-1]
    assert not await bot.storage.units.of_liaison(STRANGER.id)

    at = _next_quarter_morning(bot)
    await run_job(bot.app, JobName.UNIT_FEEDBACK, at)
    feedback = bot.fake.calls_to("sendMessage", chat_id=LIAISON.id)[-1].result
    assert "双报到反馈单" in feedback["text"] and "张三" in feedback["text"]
    assert "Bob" in feedback["text"] and "李四" not in feedback["text"]
    assert "回家报到 1 人" in feedback["text"]
    document = bot.fake.calls_to("sendDocument", chat_id=LIAISON.id)[-1]
    sheet = load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))
    names = sorted(str(r[0].value) for r in sheet.active.iter_rows(min_row=3))
    assert names == ["Bob", "张三"]  # exactly the unit's members
    points = {str(r[0].value): r[5].value for r in sheet.active.iter_rows(min_row=3)}
    assert points == {"Bob": 0, "张三": 5}

    sent = len(bot.fake.calls_to("sendMessage", chat_id=LIAISON.id))
    await run_job(bot.app, JobName.UNIT_FEEDBACK, at)  # again: nothing twice
    assert len(bot.fake.calls_to("sendMessage", chat_id=LIAISON.id)) == sent
    assert len(bot.fake.calls_to("sendDocument", chat_id=LIAISON.id)) == 1

    await bot.send(SECRETARY, "/units")
    assert "未确认收到 ⏳" in bot.texts(SECRETARY.id)[-1]
    received = next(d for d in button_data(feedback) if d.startswith("u1:ok:"))
    await bot.press(STRANGER, feedback, received)  # not theirs
    assert "只有报到单位的联络人" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.press(LIAISON, feedback, received)
    assert "已确认收到" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.press(LIAISON, feedback, received)  # a double tap
    assert "已经确认过" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM unit_feedback WHERE received_at")
    assert row is not None and row[0] == 1
    await bot.send(SECRETARY, "/units")
    assert "反馈单已收到 ✅" in bot.texts(SECRETARY.id)[-1]

    quarter = quarter_of(bot.services.now().date()).label
    await bot.send(LIAISON, f"/unitreport {quarter}")
    assert "张三" in bot.texts(LIAISON.id)[-1]
    assert len(bot.fake.calls_to("sendDocument", chat_id=LIAISON.id)) == 2
    await bot.send(ALICE, "/unitreport")
    assert "只有报到单位的联络人" in bot.texts(ALICE.id)[-1]
    await bot.send(LIAISON, "/unitreport 2099-Q1")
    assert "不能是将来的季度" in bot.texts(LIAISON.id)[-1]


async def test_units_refuse_members_and_forged_buttons(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(ALICE, "/units")
    assert "书记" in bot.texts(ALICE.id)[-1]
    await bot.send(SECRETARY, "/units")
    listing = bot.last(SECRETARY.id)
    unit_id = await _unit_id(bot, "市税务局")
    await bot.press(ALICE, listing, f"u1:i:{unit_id}")  # a member cannot invite
    assert not await bot.storage.db.fetchone("SELECT 1 FROM unit_invites")
    await bot.press(SECRETARY, listing, "u1:i:999")  # no such unit
    assert "没有这个编号" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.send(SECRETARY, "/units grant 1 0 零分")
    assert "1 到 1000" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/units frobnicate")
    assert "/units merge" in bot.texts(SECRETARY.id)[-1]
    assert not await bot.storage.db.fetchone("SELECT 1 FROM unit_grants")


async def test_merged_spellings_and_the_units_accounts_at_year_close(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)  # 市税务局
    await _enroll(bot, CAROL, "税务局")  # the same unit, spelled another way
    await _enroll(bot, DAVE, "区教育局")
    await bot.send(SECRETARY, "/grant 李四 4 好事")
    await bot.send(SECRETARY, "/grant 赵六 9 好事")
    await bot.send(SECRETARY, "/units")
    payload = await _invite(bot, "税务局")
    await bot.send(LIAISON, f"/start {payload}")
    short, full = await _unit_id(bot, "税务局"), await _unit_id(bot, "市税务局")
    await bot.send(SECRETARY, f"/units grant {short} 20 共建清洁")
    await bot.send(SECRETARY, f"/units merge {short} {full}")
    assert "已将“税务局”并入“市税务局”" in bot.texts(SECRETARY.id)[-1]
    carol = await bot.storage.members.get_by_telegram_id(CAROL.id)
    assert carol is not None and carol.work_unit == "市税务局"
    assert [u.name for u in await bot.storage.units.of_liaison(LIAISON.id)] == ["市税务局"]
    await bot.send(SECRETARY, f"/units merge {short} {full}")  # already merged
    assert "没有这个编号" in bot.texts(SECRETARY.id)[-1]
    await _enroll(bot, TgUser(2005, "钱七"), "税务局")  # a new member with the old spelling
    await bot.send(SECRETARY, "/units")
    listing = bot.texts(SECRETARY.id)[-1]
    assert f"#{full} <b>市税务局</b>\n成员 3（" in listing and "<b>税务局</b>" not in listing

    year = bot.services.now().year
    tz = bot.services.settings.tz
    await run_job(bot.app, JobName.YEAR_CLOSE, datetime(year + 1, 1, 1, 9, tzinfo=tz))
    await bot.flush()
    summary = bot.texts(SECRETARY.id)[-1]
    assert "单位红色积分" in summary
    # 市税务局: members 4 (李四) + co-building 20; 区教育局: 9
    assert "1. 市税务局 24 分（党员 4 + 共建 20，3 人）" in summary
    assert "2. 区教育局 9 分" in summary
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    book = load_workbook(io.BytesIO(bot.fake.files[document.result["document"]["file_id"]]))
    units = book.worksheets[-1]
    assert [c.value for c in next(units.iter_rows(min_row=3, max_row=3))] == [
        1, "市税务局", 3, 4, 20, 24,
    ]  # fmt: skip


async def test_units_speak_english(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.enroll(BOB)
    english = TgUser(3003, "Jo", language_code="en")
    payload = await _invite(bot, "市税务局")
    await bot.send(english, f"/start {payload}")
    assert "You are now the liaison of" in bot.texts(english.id)[-1]
    await run_job(bot.app, JobName.UNIT_FEEDBACK, _next_quarter_morning(bot))
    feedback = bot.fake.calls_to("sendMessage", chat_id=english.id)[-1].result
    assert (
        "Report-home feedback" in feedback["text"]
        and "Bob: reported 0/3 months" in (feedback["text"])
    )
    # 17.14: the sheet the unit files is in the community's language, the message in his
    sheet = bot.fake.calls_to("sendDocument", chat_id=english.id)[-1]
    book = load_workbook(io.BytesIO(bot.fake.files[sheet.result["document"]["file_id"]]))
    assert "双报到反馈单" in str(book.active["A1"].value)
    await bot.send(english, "/help")
    assert "/unitreport" in bot.texts(english.id)[-1]


async def test_a_liaison_and_a_resident_can_see_and_erase_their_data(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    payload = await _invite(bot, "市税务局")
    await bot.send(LIAISON, f"/start {payload}")
    await bot.send(LIAISON, "/wish 想请人帮忙修水管")
    await bot.send(LIAISON, "/mydata")
    assert "报到单位联络人：市税务局" in bot.texts(LIAISON.id)[-1]
    assert "微心愿：1 个" in bot.texts(LIAISON.id)[-1]
    await bot.send(LIAISON, "/forgetme")
    ask = bot.last(LIAISON.id)
    await bot.press(LIAISON, ask, next(d for d in button_data(ask) if d.endswith(":yes")))
    assert not await bot.storage.units.of_liaison(LIAISON.id)
    assert not await bot.storage.wishes.by_author(LIAISON.id)
    row = await bot.storage.db.fetchone(
        "SELECT COUNT(*) FROM unit_invites WHERE used_by = ?", (LIAISON.id,)
    )
    assert row is not None and row[0] == 0
    await bot.send(LIAISON, "/mydata")  # only the language they write in, kept anew (16.19)
    told = bot.texts(LIAISON.id)[-1]
    assert "联络人" not in told and "微心愿：0 个" in told


async def test_invitations_liaisons_and_spellings_stay_consistent(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)  # 市税务局
    await _enroll(bot, CAROL, "税务局")
    await bot.send(STRANGER, "/start u_x")  # not an invitation at all
    assert "已使用、已过期或无效" in bot.texts(STRANGER.id)[-1]
    older = await _invite(bot, "市税务局")
    newer = await _invite(bot, "市税务局")  # a second Invite: the first link stops working
    await bot.send(STRANGER, f"/start {older}")
    assert "已使用、已过期或无效" in bot.texts(STRANGER.id)[-1]
    await bot.send(LIAISON, f"/start {newer}")
    other = TgUser(3004, "吴联络")
    await bot.send(other, f"/start {await _invite(bot, '税务局')}")
    full, short = await _unit_id(bot, "市税务局"), await _unit_id(bot, "税务局")

    await bot.send(SECRETARY, f"/units merge {short} {full}")  # both have a liaison
    await bot.flush()
    assert "不再是联络人" in bot.texts(other.id)[-1]
    assert not await bot.storage.units.of_liaison(other.id)
    await _enroll(bot, DAVE, "税务局")  # the old spelling, after the merge
    dave = await bot.storage.members.get_by_telegram_id(DAVE.id)
    assert dave is not None and dave.work_unit == "市税务局"
    await bot.send(LIAISON, "/unitreport " + quarter_of(bot.services.now().date()).label)
    assert "赵六" in bot.texts(LIAISON.id)[-1]  # in the unit at once, no /units needed

    await bot.send(SECRETARY, f"/units grant {full} -5 更正")
    assert "-5" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, f"/units unlink {full}")
    assert "已解除" in bot.texts(SECRETARY.id)[-1]
    await bot.flush()
    assert "解除您“市税务局”联络人" in bot.texts(LIAISON.id)[-1]
    await bot.send(LIAISON, "/unitreport")
    assert "只有报到单位的联络人" in bot.texts(LIAISON.id)[-1]
    cleared = bot.fake.calls_to("deleteMyCommands")[-1].params
    assert cleared["scope"]["chat_id"] == LIAISON.id  # their menu goes too
    await bot.send(SECRETARY, f"/units unlink {full}")
    assert "没有联络人" in bot.texts(SECRETARY.id)[-1]


async def test_a_new_liaison_can_acknowledge_the_quarter_from_unitreport(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(LIAISON, f"/start {await _invite(bot, '市税务局')}")
    await run_job(bot.app, JobName.UNIT_FEEDBACK, _next_quarter_morning(bot))
    successor = TgUser(3005, "郑联络")
    await bot.send(successor, f"/start {await _invite(bot, '市税务局')}")
    await bot.send(ALICE, "/mydata")
    assert "联络人" not in bot.texts(ALICE.id)[-1]
    await bot.send(successor, "/unitreport " + quarter_of(bot.services.now().date()).label)
    report = bot.fake.calls_to("sendMessage", chat_id=successor.id)[-1].result
    received = next(d for d in button_data(report) if d.startswith("u1:ok:"))
    await bot.press(successor, report, received)
    row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM unit_feedback WHERE received_at")
    assert row is not None and row[0] == 1
    await bot.send(SECRETARY, "/privacy")
    assert "联络人" in bot.texts(SECRETARY.id)[-1]  # the notice says where the record goes


async def test_what_a_walk_through_found(bot: BotHarness) -> None:
    await bot.bind_group()
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, "/units")
    unit = await _unit_id(bot, "市税务局")
    for command, said in (
        ("/units grant 3 abc", "积分须为"),
        (f"/units merge {unit} #{unit}", "不能把单位并入它自己"),
        ("/units merge 2", "请写单位编号"),
        ("/units frobnicate", "没有这个操作"),
        (f"/units grant #{unit} 5", "事由"),
    ):
        await bot.send(SECRETARY, command)
        answer = bot.texts(SECRETARY.id)[-1]
        assert said in answer and answer.count("用法：") == 1, (command, answer)
    await bot.send(SECRETARY, f"/units grant #{unit} 5 共建")
    assert "已为“市税务局”记共建积分 5 分" in bot.texts(SECRETARY.id)[-1]

    await bot.send(LIAISON, f"/start {await _invite(bot, '市税务局')}")
    await bot.send(LIAISON, "/start")
    assert "您是以下报到单位的联络人" in bot.texts(LIAISON.id)[-1]
    await bot.send(LIAISON, "/help")
    assert (
        "/unitreport" in bot.texts(LIAISON.id)[-1] and "/report " not in bot.texts(LIAISON.id)[-1]
    )
    last_quarter = previous_quarter(bot.services.now().date()).label
    await bot.send(LIAISON, f"/unitreport {last_quarter}")
    assert "张三" not in bot.texts(LIAISON.id)[-1]  # she enrolled after that quarter ended

    await bot.send(STRANGER, "/start")
    assert "/wish" in bot.texts(STRANGER.id)[-1]
    await bot.send(STRANGER, "/wish")
    await bot.send(STRANGER, "水管坏了")
    await bot.send(STRANGER, "没有照片")  # words where a photo was asked for
    assert "请发一张照片，或点击“跳过”" in bot.texts(STRANGER.id)[-1]

    await bot.send(SECRETARY, "/wish 孤寡老人需要有人帮忙买菜")  # collected on paper
    assert "纸质收集" in bot.texts(SECRETARY.id)[-1]
    await bot.flush()
    card = bot.last(GROUP_ID)
    assert "帮忙买菜" in card["text"] and "认领" in card["text"]
    await bot.press(STRANGER, card, next(d for d in button_data(card) if "claim" in d))
    alert = bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert "认领微心愿需要先登记" in alert and "按钮" not in alert
    await bot.press(ALICE, card, next(d for d in button_data(card) if "claim" in d))
    claimed = bot.last(GROUP_ID)["text"]
    assert "张三" in claimed and "点击下方按钮认领" not in claimed


async def test_feedback_a_liaison_could_not_get_is_shown_as_undelivered(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.send(LIAISON, f"/start {await _invite(bot, '市税务局')}")
    bot.fake.block(LIAISON.id)  # the liaison blocked the bot
    await run_job(bot.app, JobName.UNIT_FEEDBACK, _next_quarter_morning(bot))
    await bot.send(SECRETARY, "/units")
    assert "未能送达 ⚠️" in bot.texts(SECRETARY.id)[-1]
