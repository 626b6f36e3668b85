"""/forgetme erases what is the person's and nothing else's, and erased members can no longer
be the target of anyone's action (issue 16: items 2, 16, 18 and 19)."""

from __future__ import annotations

import json

from bot.domain.roster import parse_roster_csv
from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, SECRETARY, BotHarness

FORM = "/enroll\n姓名：张三\n单位：市税务局\n身份：在职党员"


async def _import_roster(bot: BotHarness, rows: str) -> None:
    community = (await bot.storage.communities.list_all())[0]
    parsed = parse_roster_csv("姓名,手机,单位,类型\n" + rows)
    await bot.storage.roster.import_rows(community.id, parsed.rows)


async def _forget(bot: BotHarness, user: TgUser) -> None:
    await bot.send(user, "/forgetme")
    await bot.press(user, bot.last(user.id), "f1:yes")


async def test_16_16_forgetme_deletes_only_the_members_own_linked_roster_row(
    bot: BotHarness,
) -> None:
    """16.16: a member without a phone erases only the roster row linked to them; a row of
    the same name that a secretary unlinked as someone else stays."""
    await bot.setup_community()
    await _import_roster(bot, "张三,13900001111,市税务局,在职党员\n王五,13900004444,街道,在职党员")
    await bot.send(ALICE, FORM)  # linked by name to the only 张三
    await bot.send(SECRETARY, "/unlink 张三")  # not this 张三, says the secretary
    await bot.send(SECRETARY, "/link 张三 139-0000-4444")  # but the one the unit calls 王五
    await _forget(bot, ALICE)
    rows = await bot.storage.db.fetchall("SELECT name, phone, member_id FROM roster_entries")
    assert [tuple(r) for r in rows] == [("张三", "13900001111", None)]


async def test_16_18_an_erased_member_cannot_be_matched_granted_or_linked(
    bot: BotHarness,
) -> None:
    """16.18: the roster-match button asked before a member erased their data links nobody
    (a clear answer instead); /grant #id and /link #id do not reach the erased row."""
    await bot.setup_community()
    twice = "张三,13900001111,市税务局,在职党员\n张三,13900002222,区教育局,在职党员"
    await _import_roster(bot, twice)
    await bot.send(SECRETARY, "/start")
    await bot.send(ALICE, FORM)  # two 张三 on the roster: the secretary is asked which
    await bot.flush()
    question = bot.last(SECRETARY.id)
    assert "同名" in question["text"]
    alice = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert alice is not None
    await _forget(bot, ALICE)
    pick = next(d for d in button_data(question) if d.startswith("m1:match"))
    await bot.press(SECRETARY, question, pick)
    answer = bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert "已删除个人信息" in answer
    linked = await bot.storage.db.fetchone("SELECT COUNT(member_id) FROM roster_entries")
    assert linked is not None and linked[0] == 0
    await bot.send(SECRETARY, f"/grant #{alice.id} 5 扫雪")
    assert "没有成员" in bot.texts(SECRETARY.id)[-1]
    assert await bot.storage.ledger.balance(alice.id) == 0
    await bot.send(SECRETARY, f"/link #{alice.id} 13900001111")
    assert "没有成员" in bot.texts(SECRETARY.id)[-1]
    linked = await bot.storage.db.fetchone("SELECT COUNT(member_id) FROM roster_entries")
    assert linked is not None and linked[0] == 0


async def test_16_19_a_visitors_stored_language_is_shown_and_erased(bot: BotHarness) -> None:
    """16.19: someone who only wrote to the bot has a stored language: /mydata says so (and
    puts it in the file), and /forgetme erases it."""
    visitor = TgUser(2600, "路人")
    await bot.send(visitor, "/start")
    stored = "SELECT COUNT(*) FROM people_languages WHERE telegram_id = ?"
    assert list(await bot.storage.db.fetchone(stored, (visitor.id,)) or [0]) == [1]
    await bot.send(visitor, "/mydata")
    told = bot.texts(visitor.id)[-1]
    assert "没有保存" not in told and "简体中文" in told and "微心愿：0" in told
    document = bot.fake.calls_to("sendDocument", chat_id=visitor.id)[-1]
    exported = json.loads(bot.fake.files[document.result["document"]["file_id"]])
    assert exported == {"telegram_id": visitor.id, "language": "zh_CN"}
    await bot.send(visitor, "/forgetme")
    ask = bot.last(visitor.id)
    assert "语言设置" in ask["text"]
    await bot.press(visitor, ask, "f1:yes")
    assert "已删除" in bot.last(visitor.id)["text"]
    assert list(await bot.storage.db.fetchone(stored, (visitor.id,)) or [1]) == [0]
