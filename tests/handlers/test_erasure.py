"""/forgetme erases what is the person's and nothing else's, and erased members can no longer
be the target of anyone's action (issue 16: items 2, 16, 18 and 19)."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.roster import parse_roster_csv
from bot.usecases.privacy import erase_member
from bot.usecases.wishes import approve_wish, claim_wish
from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, GROUP_ID, SECRETARY, BotHarness

RESIDENT = TgUser(2500, "刘奶奶")  # never enrolled: only started the bot and made wishes
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
    assert "/enroll" not in bot.last(visitor.id)["text"]  # they never enrolled (from the walk)
    assert list(await bot.storage.db.fetchone(stored, (visitor.id,)) or [1]) == [0]


async def _approve(bot: BotHarness, wish_id: int) -> dict[str, Any]:
    """The secretary approves the wish; its card in the group."""
    await bot.send(SECRETARY, "/wishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:r:ok:{wish_id}")
    await bot.flush()
    return bot.last(GROUP_ID)


async def test_16_2_forgetme_withdraws_a_residents_wishes_and_their_cards(
    bot: BotHarness,
) -> None:
    """16.2: a resident who never enrolled erases their data: the text, compound and photo of
    each wish they made go; a pending one is withdrawn (no longer on /wishes, cannot be
    approved), and the cards of an open and a claimed one are edited to say it was
    withdrawn, with no button; the member who took one on is told."""
    await bot.bind_group()
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, "/start")
    await bot.send(RESIDENT, "/wish")  # guided: a photo and a compound
    await bot.send(RESIDENT, "楼道灯坏了，晚上看不见路")
    photo = [{"file_id": "lamp1", "file_unique_id": "l1", "width": 90, "height": 90}]
    bot.updates.message(RESIDENT, "", photo=photo)
    await bot.deliver()
    await bot.send(RESIDENT, "幸福里小区")
    await bot.send(RESIDENT, "/wish 想请人帮忙修水管")
    await bot.send(RESIDENT, "/wish 陪我去医院复查")
    lamp, pipe, clinic = (w.id for w in await bot.storage.wishes.by_author(RESIDENT.id))
    pipe_card = await _approve(bot, pipe)
    clinic_card = await _approve(bot, clinic)
    await bot.press(ALICE, clinic_card, f"h1:claim:{clinic}")
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)  # the pending wish's Approve button, tapped later
    await _forget(bot, RESIDENT)
    await bot.flush()

    rows = await bot.storage.db.fetchall(
        "SELECT id, author_id, text, compound, photo_file_id, status FROM wishes ORDER BY id"
    )
    assert [tuple(r) for r in rows] == [
        (wish_id, None, "（内容已应居民要求删除）", "", None, "withdrawn")
        for wish_id in (lamp, pipe, clinic)
    ]
    for card in (pipe_card, clinic_card):
        edited = bot.fake.messages[(GROUP_ID, card["message_id"])]
        assert "已由提出心愿的居民撤回" in edited["text"] and "reply_markup" not in edited
        assert "水管" not in edited["text"] and "医院" not in edited["text"]
    assert "已由居民撤回" in bot.texts(ALICE.id)[-1]
    await bot.send(ALICE, "/mywishes")
    assert "医院" not in bot.texts(ALICE.id)[-1]
    cards = len(bot.texts(GROUP_ID))
    await bot.press(SECRETARY, wall, f"h1:r:ok:{lamp}")  # too late: nothing to approve
    await bot.flush()
    assert "失效" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert len(bot.texts(GROUP_ID)) == cards
    await bot.send(SECRETARY, "/wishes")
    assert "暂无待处理" in bot.texts(SECRETARY.id)[-1]
    posted = "SELECT COUNT(*) FROM outbox WHERE chat_id = ? AND payload LIKE '%水管%'"
    assert list(await bot.storage.db.fetchone(posted, (GROUP_ID,)) or [1]) == [0]


async def test_16_2_a_card_not_yet_posted_is_not_posted(bot: BotHarness) -> None:
    """16.2: a wish approved just before its author's erasure, its card still in the outbox:
    it is never posted."""
    await bot.bind_group()
    await bot.send(RESIDENT, "/wish 想请人帮忙修水管")
    (wish,) = await bot.storage.wishes.by_author(RESIDENT.id)
    sender = bot.services.sender
    await sender.stop()  # nothing leaves between the approval and the erasure
    assert await approve_wish(bot.services, wish.community_id, wish.id)
    assert await erase_member(bot.services, RESIDENT.id)
    sender.start()
    await bot.flush()
    assert not any("水管" in t for t in bot.texts(GROUP_ID))
    assert not await bot.storage.wishes.cards(wish.id)


async def test_16_2_a_wish_already_done_is_blanked_and_still_earns_its_points(
    bot: BotHarness,
) -> None:
    """16.2: a wish its claimant finished before the author's erasure keeps its state: the
    secretary can still confirm it and the claimant earns the points; the words are gone."""
    await bot.bind_group()
    await bot.enroll(ALICE)
    await bot.send(RESIDENT, "/wish 想请人帮忙修水管")
    (wish,) = await bot.storage.wishes.by_author(RESIDENT.id)
    card = await _approve(bot, wish.id)
    await bot.press(ALICE, card, f"h1:claim:{wish.id}")
    await bot.send(ALICE, "/mywishes")
    await bot.press(ALICE, bot.last(ALICE.id), f"h1:done:{wish.id}")
    await _forget(bot, RESIDENT)
    done = await bot.storage.wishes.get(wish.id)
    assert done is not None and (done.status, done.author_id) == ("done", None)
    assert "水管" not in done.text
    await bot.send(SECRETARY, "/wishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:r:confirm:{wish.id}")
    alice = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert alice is not None and await bot.storage.ledger.balance(alice.id) == 5
    reasons = await bot.storage.db.fetchall("SELECT reason FROM ledger_entries")
    assert not any("水管" in r[0] for r in reasons)
    await bot.flush()
    shown = bot.fake.messages[(GROUP_ID, card["message_id"])]
    assert "水管" not in shown["text"] and "张三" in shown["text"]  # who did it stays
    assert "reply_markup" not in shown


async def test_16_2_in_english_the_resident_is_asked_and_the_group_reads_it(
    bot: BotHarness,
) -> None:
    """16.2, in English: the resident is told what /forgetme deletes, and an English group's
    card says the wish was withdrawn, in English."""
    await bot.bind_group()
    await bot.storage.groups.set_language(GROUP_ID, "en")
    resident = TgUser(2601, "Ann", language_code="en")
    await bot.send(resident, "/wish Please help me carry my groceries upstairs")
    (wish,) = await bot.storage.wishes.by_author(resident.id)
    card = await _approve(bot, wish.id)
    assert "groceries" in card["text"]
    await bot.send(resident, "/forgetme")
    ask = bot.last(resident.id)["text"]
    assert "wishes you made (1)" in ask and "withdrawn" in ask
    await bot.press(resident, bot.last(resident.id), "f1:yes")
    await bot.flush()
    shown = bot.fake.messages[(GROUP_ID, card["message_id"])]
    assert "Withdrawn by the resident" in shown["text"] and "groceries" not in shown["text"]
    assert "reply_markup" not in shown


async def test_16_10_a_member_erased_mid_tap_claims_no_wish(bot: BotHarness) -> None:
    """16.10 meets 16.7: a Claim tap in the group runs beside the member's /forgetme in
    private; the tap loaded the member before the erasure, and must not claim the wish for
    the erased row (it would stay claimed forever)."""
    await bot.bind_group()
    await bot.enroll(ALICE)
    await bot.send(RESIDENT, "/wish 想请人帮忙修水管")
    (wish,) = await bot.storage.wishes.by_author(RESIDENT.id)
    await approve_wish(bot.services, wish.community_id, wish.id)
    before = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert before is not None
    assert await erase_member(bot.services, ALICE.id)
    assert await claim_wish(bot.services, before, wish.id) == "wish.taken"
    after = await bot.storage.wishes.get(wish.id)
    assert after is not None and after.status == "open" and after.claimant_id is None
