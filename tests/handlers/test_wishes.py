"""The wish wall: a resident's wish, approved, on the group's card, claimed once, done,
confirmed; the claimant earns points and the resident is told."""

from __future__ import annotations

import re

from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, BOB, GROUP_ID, SECRETARY, BotHarness

RESIDENT = TgUser(2500, "刘奶奶")


async def test_a_wish_from_wall_to_points(bot: BotHarness) -> None:
    await bot.bind_group()
    await bot.enroll(ALICE)
    await bot.enroll(BOB)
    await bot.send(SECRETARY, "/start")
    await bot.send(RESIDENT, "/wish 家里水龙头漏水，想请人帮忙修一下")
    assert "已收到您的微心愿" in bot.texts(RESIDENT.id)[-1]
    await bot.flush()
    assert "新的微心愿待审核" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    approve = next(d for d in button_data(wall) if d.startswith("h1:r:ok:"))
    await bot.press(SECRETARY, wall, approve)
    await bot.press(SECRETARY, wall, approve)  # a double tap approves once
    await bot.flush()
    card = bot.last(GROUP_ID)
    assert "水龙头漏水" in card["text"] and "13" not in card["text"]
    assert "已发布到心愿墙" in bot.texts(RESIDENT.id)[-1]
    claim = next(d for d in button_data(card) if d.startswith("h1:claim:"))
    await bot.press(ALICE, card, claim)
    assert "认领成功" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    await bot.press(BOB, card, claim)  # a second claim is refused
    assert "already" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
    assert "张三 认领" in bot.last(GROUP_ID)["text"]
    await bot.send(ALICE, "/mywishes")
    mine = bot.last(ALICE.id)
    await bot.press(ALICE, mine, next(d for d in button_data(mine) if d.startswith("h1:done:")))
    await bot.flush()
    assert "已完成微心愿" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    confirm = next(d for d in button_data(wall) if d.startswith("h1:r:confirm:"))
    await bot.press(SECRETARY, wall, confirm)
    await bot.press(SECRETARY, wall, confirm)  # once
    await bot.flush()
    alice = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert alice is not None and await bot.storage.ledger.balance(alice.id) == 5
    assert "获得 5 分" in bot.texts(ALICE.id)[-1]
    assert "已经实现" in bot.texts(RESIDENT.id)[-1]
    await bot.send(ALICE, "/points")
    assert "5" in bot.texts(ALICE.id)[-1]
    assert "书记加分" not in bot.texts(ALICE.id)[-1]  # it reads as a wish, not a grant
    await bot.send(ALICE, "/record")  # it counts in her year
    assert "实现微心愿 1 个" in bot.texts(ALICE.id)[-1]
    from datetime import datetime, timedelta

    from bot.domain.schedule import JobName
    from bot.jobs.runner import run_job

    now = datetime.now(bot.services.settings.tz)
    next_monday = (now + timedelta(days=7 - now.weekday())).replace(hour=9)
    await run_job(bot.app, JobName.WEEKLY_SUMMARY, next_monday)
    assert "实现微心愿：1 个" in bot.texts(GROUP_ID)[-1]  # and in the week's summary
    first = now.replace(day=1, hour=9) + timedelta(days=32)
    await run_job(bot.app, JobName.MONTH_CLOSE, first.replace(day=1))
    await bot.flush()
    assert "实现微心愿 1 个" in bot.texts(GROUP_ID)[-1]  # and in the month's public notice
    assert any("实现微心愿 1 个" in t for t in bot.texts(SECRETARY.id)[-3:])


async def test_declined_wish_tells_the_resident_why(bot: BotHarness) -> None:
    await bot.send(RESIDENT, "/wish 想要一台新电视")
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, wall, next(d for d in button_data(wall) if ":scope:" in d))
    await bot.flush()
    assert "暂未发布：不属于微心愿" in bot.texts(RESIDENT.id)[-1]
    await bot.send(RESIDENT, "/wish")  # the guided flow, cancelled: nothing stored
    ask = bot.last(RESIDENT.id)
    assert "请写下您的微心愿" in ask["text"]
    await bot.press(RESIDENT, ask, next(d for d in button_data(ask) if d.startswith("h1:x")))
    assert "没有保存" in bot.texts(RESIDENT.id)[-1]
    await bot.send(RESIDENT, "还想要一台冰箱")  # after Cancel: free text is not a wish
    row = await bot.storage.db.fetchone("SELECT COUNT(*) FROM wishes")
    assert row is not None and row[0] == 1


async def test_16_23_a_released_wish_is_claimable_again_on_the_same_card(
    bot: BotHarness,
) -> None:
    """16.23: giving a wish back edits its cards in every group (claimable again); claim and
    release in a loop post no new card anywhere."""
    await bot.bind_group()
    second = await bot.bind_group(-1009876543210, "第二群")
    await bot.enroll(ALICE)
    await bot.enroll(BOB)
    await bot.send(RESIDENT, "/wish 陪我去医院复查")
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, wall, next(d for d in button_data(wall) if ":ok:" in d))
    await bot.flush()
    card, other = bot.last(GROUP_ID), bot.last(second["id"])
    posts = {chat: len(bot.texts(chat)) for chat in (GROUP_ID, second["id"])}
    for _ in range(3):
        await bot.press(ALICE, card, next(d for d in button_data(card) if "claim" in d))
        await bot.flush()
        assert "张三 认领" in bot.last(second["id"])["text"]  # the other group's card too
        await bot.send(ALICE, "/mywishes")
        mine = bot.last(ALICE.id)
        await bot.press(ALICE, mine, next(d for d in button_data(mine) if "release" in d))
        await bot.flush()
    assert {chat: len(bot.texts(chat)) for chat in posts} == posts  # no new card
    for chat, shown in ((GROUP_ID, card), (second["id"], other)):
        again = bot.last(chat)
        assert again["message_id"] == shown["message_id"] and "张三" not in again["text"]
        assert any("claim" in d for d in button_data(again))
    await bot.press(BOB, other, next(d for d in button_data(other) if "claim" in d))
    wish = (await bot.storage.wishes.in_community(1, ("claimed",)))[0]
    assert wish.claimant_name == "Bob"


async def test_a_guided_wish_with_a_photo_and_a_proof(bot: BotHarness) -> None:
    await bot.bind_group()
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, "/start")
    await bot.send(RESIDENT, "/wish")
    await bot.send(RESIDENT, "x" * 201)  # too long: asked again, nothing stored
    assert "请写下您的微心愿" not in bot.texts(RESIDENT.id)[-1]
    await bot.send(RESIDENT, "楼道灯坏了，晚上看不见路")
    assert "照片" in bot.texts(RESIDENT.id)[-1]
    photo = [{"file_id": "lamp1", "file_unique_id": "l1", "width": 90, "height": 90}]
    bot.updates.message(RESIDENT, "", photo=photo)
    await bot.deliver()
    assert "小区" in bot.texts(RESIDENT.id)[-1]
    await bot.send(RESIDENT, "幸福里小区")
    assert "已收到您的微心愿" in bot.texts(RESIDENT.id)[-1]
    wish = (await bot.storage.wishes.in_community(1, ("pending",)))[0]
    assert (wish.text, wish.compound, wish.photo_file_id) == (
        "楼道灯坏了，晚上看不见路", "幸福里小区", "lamp1",
    )  # fmt: skip

    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    assert "幸福里小区" in wall["text"]
    await bot.press(SECRETARY, wall, f"h1:ph:{wish.id}")
    shown = bot.fake.calls_to("sendPhoto", chat_id=SECRETARY.id)[-1]
    assert shown.params["photo"] == "lamp1"
    await bot.press(ALICE, wall, f"h1:ph:{wish.id}")  # members do not see the photos
    assert len(bot.fake.calls_to("sendPhoto", chat_id=ALICE.id)) == 0
    await bot.press(SECRETARY, wall, f"h1:r:ok:{wish.id}")
    await bot.flush()
    card = bot.last(GROUP_ID)
    assert "幸福里小区" in card["text"] and "lamp1" not in card["text"]
    await bot.press(ALICE, card, f"h1:claim:{wish.id}")
    await bot.send(ALICE, "/mywishes")
    mine = bot.last(ALICE.id)
    await bot.press(ALICE, mine, f"h1:done:{wish.id}")
    assert "完成凭证" in bot.texts(ALICE.id)[-1]
    proof = [{"file_id": "fixed1", "file_unique_id": "f1", "width": 90, "height": 90}]
    bot.updates.message(ALICE, "", photo=proof)
    await bot.deliver()
    assert "照片已收到" in bot.texts(ALICE.id)[-1]
    stored = await bot.storage.wishes.get(wish.id)
    assert stored is not None and stored.proof_file_id == "fixed1"
    await bot.press(ALICE, bot.last(ALICE.id), "h1:se")  # no note: the step ends
    bot.updates.message(ALICE, "", photo=proof)  # another photo: no longer a proof
    await bot.deliver()
    assert "照片已收到" not in bot.texts(ALICE.id)[-1]


async def test_16_13_the_wall_pages_every_wish_whatever_its_state(bot: BotHarness) -> None:
    """/wishes pages (from the walk: 22 wishes taken on hid #11 onward behind "另有 12 个"):
    every wish appears on a page, each page within Telegram's limits, with long texts and
    the longest notes."""
    await bot.bind_group()
    for n in range(14):  # fourteen residents (one may have three waiting)
        await bot.send(TgUser(2800 + n, f"居民{n}"), f"/wish 第{n}个心愿" + "很长的描述" * 35)
    for n in range(6):  # and six on paper, taken on, with a long note
        await bot.send(SECRETARY, f"/wish 纸质心愿{n}" + "描述" * 90)
    await bot.enroll(ALICE)
    alice = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert alice is not None
    for wish in await bot.storage.wishes.in_community(1, ("open",), 100):
        assert await bot.storage.wishes.claim(wish.id, alice.id)
    await bot.storage.db.execute_write("UPDATE wishes SET proof_note = ?", ("修好了" * 300,))
    await bot.send(SECRETARY, "/wishes")
    page, shown = bot.last(SECRETARY.id), set()
    for number in range(1, 10):
        assert len(page["text"]) <= 4096
        shown |= {int(n) for n in re.findall(r"#(\d+)", page["text"])}
        if f"h1:wall:{number}" not in button_data(page):
            break
        await bot.press(SECRETARY, page, f"h1:wall:{number}")
        page = bot.last(SECRETARY.id)
    states = ("pending", "open", "claimed")
    every = {w.id for w in await bot.storage.wishes.in_community(1, states, 100)}
    assert len(every) == 20 and every <= shown, sorted(every - shown)


async def test_a_resident_who_reads_english_is_told_in_english(bot: BotHarness) -> None:
    await bot.bind_group()
    resident = TgUser(2600, "Ann", language_code="en")
    await bot.send(resident, "/wish Someone to walk me to the hospital")
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, wall, next(d for d in button_data(wall) if ":ok:" in d))
    await bot.flush()
    assert "Someone to walk me" in bot.texts(resident.id)[-1]
    assert "wish wall" in bot.texts(resident.id)[-1]  # not 心愿墙: the resident reads English
    await bot.send(resident, "/forgetme")
    ask = bot.last(resident.id)
    await bot.press(resident, ask, next(d for d in button_data(ask) if d.endswith(":yes")))
    row = await bot.storage.db.fetchone(
        "SELECT COUNT(*) FROM people_languages WHERE telegram_id = ?", (resident.id,)
    )
    assert row is not None and row[0] == 0  # forgotten with the rest


async def test_a_declined_wish_is_explained_in_the_residents_language(bot: BotHarness) -> None:
    resident = TgUser(2601, "Ann", language_code="en")
    await bot.send(resident, "/wish Please buy me a new television")
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    await bot.press(SECRETARY, wall, next(d for d in button_data(wall) if ":scope:" in d))
    await bot.flush()
    told = bot.texts(resident.id)[-1]
    assert "was not put on the wall" in told and "/wish" in told
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in told)  # no Chinese in it


async def test_16_1_a_secretary_of_another_community_waits_for_approval(bot: BotHarness) -> None:
    """16.1: a secretary of community B enrolled in A makes an ordinary wish in A (it waits
    for A's secretaries); only in their own community is a secretary's wish one on paper."""
    await bot.bind_group()
    await bot.send(SECRETARY, "/start")
    deputy = TgUser(2700, "赵书记")
    await bot.enroll(deputy)
    other = await bot.storage.communities.create("第二社区")
    assert await bot.storage.secretaries.appoint(deputy.id, other.id, granted_by=SECRETARY.id)
    await bot.flush()
    posted = len(bot.texts(GROUP_ID))
    await bot.send(deputy, "/wish 帮忙搬一下旧家具")
    await bot.flush()
    assert "已收到您的微心愿" in bot.texts(deputy.id)[-1]
    wish = (await bot.storage.wishes.in_community(1, ("pending", "open")))[0]
    assert (wish.status, wish.author_id) == ("pending", deputy.id)
    assert len(bot.texts(GROUP_ID)) == posted  # nothing on A's wall before A approves it
    assert "新的微心愿待审核" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/wish 给独居老人送一次菜")  # A's own secretary: on paper
    await bot.flush()
    assert "纸质" in bot.texts(SECRETARY.id)[-1] or "已登记" in bot.texts(SECRETARY.id)[-1]
    assert "送一次菜" in bot.texts(GROUP_ID)[-1]


async def test_16_12_pending_wishes_are_limited_and_secretaries_get_one_notice(
    bot: BotHarness,
) -> None:
    """16.12: a resident has at most three wishes waiting; a burst of wishes from many
    residents brings each secretary one notice that counts them, not one each."""
    await bot.send(SECRETARY, "/start")
    told = len(bot.texts(SECRETARY.id))
    # the first notice is held up (a network error, retried): the next wishes fold into it
    bot.fake.fail("sendMessage", 502, "Bad Gateway", chat_id=SECRETARY.id)
    for n in range(10):  # ten residents at once: one notice, counting ten
        bot.updates.message(TgUser(3000 + n, f"居民{n}"), f"/wish 第{n}个心愿")
    await bot.deliver()
    await bot.send(TgUser(3100, "又一位"), "/wish 第十一个心愿")  # still held: folded too
    await bot.flush()
    notices = bot.texts(SECRETARY.id)[told:]
    assert len(notices) == 1 and "11 个微心愿待审核" in notices[0]
    for n in range(4):
        await bot.send(RESIDENT, f"/wish 我的第{n}个心愿")
    assert "已有 3 个微心愿在等待" in bot.texts(RESIDENT.id)[-1]
    await bot.send(RESIDENT, "/wish")  # the guided /wish says so before asking anything
    assert "已有 3 个微心愿在等待" in bot.texts(RESIDENT.id)[-1]
    row = await bot.storage.db.fetchone(
        "SELECT COUNT(*) FROM wishes WHERE author_id = ?", (RESIDENT.id,)
    )
    assert row is not None and row[0] == 3
    await bot.send(SECRETARY, "/wishes")  # one decided: the resident may send another
    wall = bot.last(SECRETARY.id)
    wish = (await bot.storage.wishes.in_community(1, ("pending",), 100))[-1]
    await bot.press(SECRETARY, wall, f"h1:r:scope:{wish.id}")
    await bot.send(RESIDENT, "/wish 我的第四个心愿")
    assert "已收到您的微心愿" in bot.texts(RESIDENT.id)[-1]


async def test_16_12_a_waiting_queue_still_brings_a_counting_notice_now_and_then(
    bot: BotHarness,
) -> None:
    """16.12, from the walk: the first notice was read and one wish is left waiting; the
    next wishes are not all silent: once the last notice is six hours old, a new one counts
    them (and not before: a burst stays one message)."""
    await bot.send(SECRETARY, "/start")
    told = len(bot.texts(SECRETARY.id))
    await bot.send(TgUser(3200, "居民甲"), "/wish 第一个心愿")
    await bot.flush()
    assert len(bot.texts(SECRETARY.id)) == told + 1
    await bot.send(TgUser(3201, "居民乙"), "/wish 第二个心愿")
    await bot.flush()
    assert len(bot.texts(SECRETARY.id)) == told + 1  # within six hours: no new notice
    await bot.storage.db.execute_write(
        "UPDATE outbox SET created_at = '2020-01-01T00:00:00+00:00'"
        " WHERE coalesce_key LIKE 'wishes_waiting:%'"
    )
    await bot.send(TgUser(3202, "居民丙"), "/wish 第三个心愿")
    await bot.flush()
    notices = bot.texts(SECRETARY.id)[told:]
    assert len(notices) == 2 and "3 个微心愿待审核" in notices[-1]


async def test_16_9_a_secretary_does_not_confirm_a_wish_they_took_on(bot: BotHarness) -> None:
    """16.9: nobody approves their own points: a secretary who took a wish on cannot confirm
    it (told so); another secretary can."""
    await bot.bind_group()
    await bot.send(SECRETARY, "/start")
    await bot.enroll(SECRETARY)
    await bot.send(RESIDENT, "/wish 帮我换个灯泡")
    wish = (await bot.storage.wishes.in_community(1, ("pending",)))[0]
    await bot.send(SECRETARY, "/wishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:r:ok:{wish.id}")
    await bot.flush()
    card = bot.last(GROUP_ID)
    # the only secretary cannot take it on: nobody could confirm the points (from the walk)
    await bot.press(SECRETARY, card, f"h1:claim:{wish.id}")
    answer = bot.fake.calls_to("answerCallbackQuery")[-1].params
    assert "唯一的书记" in answer["text"] and answer.get("show_alert")
    assert (await bot.storage.wishes.get(wish.id)).status == "open"  # type: ignore[union-attr]
    deputy = TgUser(2701, "钱书记")
    assert await bot.storage.secretaries.appoint(deputy.id, 1, granted_by=SECRETARY.id)
    await bot.press(SECRETARY, card, f"h1:claim:{wish.id}")
    await bot.send(SECRETARY, "/mywishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:done:{wish.id}")
    await bot.send(SECRETARY, "/wishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:r:confirm:{wish.id}")
    answer = bot.fake.calls_to("answerCallbackQuery")[-1].params
    assert "另一位书记" in answer["text"] and answer.get("show_alert")
    me = await bot.storage.members.get_by_telegram_id(SECRETARY.id)
    assert me is not None and await bot.storage.ledger.balance(me.id) == 0
    await bot.send(deputy, "/wishes")
    await bot.press(deputy, bot.last(deputy.id), f"h1:r:confirm:{wish.id}")
    assert await bot.storage.ledger.balance(me.id) == 5


async def _claimed_by_alice(bot: BotHarness) -> tuple[int, dict[str, object]]:
    """A wish on the wall, taken on by 张三: its id and its card."""
    await bot.bind_group()
    await bot.send(SECRETARY, "/start")
    await bot.enroll(ALICE)
    await bot.enroll(BOB)
    await bot.send(RESIDENT, "/wish 帮忙修一下门锁")
    wish = (await bot.storage.wishes.in_community(1, ("pending",)))[0]
    await bot.send(SECRETARY, "/wishes")
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"h1:r:ok:{wish.id}")
    await bot.flush()
    card = bot.last(GROUP_ID)
    await bot.press(ALICE, card, f"h1:claim:{wish.id}")
    await bot.flush()
    assert "张三 认领" in bot.last(GROUP_ID)["text"]
    return wish.id, card


async def test_16_10_a_secretary_puts_a_claimed_wish_back_on_the_wall(bot: BotHarness) -> None:
    """16.10: a secretary can reopen a wish taken on: it is open again, its card claimable
    again (the same card), and the member who had it is told."""
    wish_id, card = await _claimed_by_alice(bot)
    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    assert f"h1:r:reopen:{wish_id}" in button_data(wall)
    await bot.press(SECRETARY, wall, f"h1:r:reopen:{wish_id}")
    await bot.press(SECRETARY, wall, f"h1:r:reopen:{wish_id}")  # a double tap: once
    await bot.flush()
    wish = await bot.storage.wishes.get(wish_id)
    assert wish is not None and (wish.status, wish.claimant_id) == ("open", None)
    assert "放回心愿墙" in bot.texts(ALICE.id)[-1]
    assert sum("放回心愿墙" in t for t in bot.texts(ALICE.id)) == 1
    again = bot.last(GROUP_ID)
    assert again["message_id"] == card["message_id"] and "张三" not in again["text"]
    await bot.press(BOB, again, f"h1:claim:{wish_id}")
    wish = await bot.storage.wishes.get(wish_id)
    assert wish is not None and wish.claimant_name == "Bob"


async def test_16_10_a_claimants_forgetme_puts_the_wish_back(bot: BotHarness) -> None:
    """16.10: a claimant's /forgetme gives the wishes they took on back to the wall (the card
    claimable again), so none stays claimed by nobody."""
    wish_id, card = await _claimed_by_alice(bot)
    await bot.send(ALICE, "/forgetme")
    await bot.press(ALICE, bot.last(ALICE.id), "f1:yes")
    await bot.flush()
    wish = await bot.storage.wishes.get(wish_id)
    assert wish is not None and (wish.status, wish.claimant_id) == ("open", None)
    again = bot.last(GROUP_ID)
    assert again["message_id"] == card["message_id"] and "张三" not in again["text"]
    await bot.press(BOB, again, f"h1:claim:{wish_id}")
    wish = await bot.storage.wishes.get(wish_id)
    assert wish is not None and wish.claimant_name == "Bob"


async def test_16_13_mywishes_pages_however_many_long_wishes(bot: BotHarness) -> None:
    """16.13: /mywishes with 22 wishes of 200 characters: every page fits Telegram's limits
    and, page by page, shows them all (none left out)."""
    await bot.bind_group()
    await bot.enroll(ALICE)
    for n in range(22):  # collected on paper by the secretary: on the wall at once
        await bot.send(SECRETARY, f"/wish {n:02d}" + "请帮忙" * 66)
        await bot.flush()
        card = bot.last(GROUP_ID)
        claim = next(d for d in button_data(card) if d.startswith("h1:claim:"))
        await bot.press(ALICE, card, claim)
    await bot.send(ALICE, "/mywishes")
    page, seen, number = bot.last(ALICE.id), set(), 0
    while True:
        assert len(page["text"]) <= 4096
        assert sum(len(row) for row in page["reply_markup"]["inline_keyboard"]) <= 100
        seen |= {d for d in button_data(page) if d.startswith("h1:done:")}
        if f"h1:mp:{number + 1}" not in button_data(page):
            break
        number += 1
        await bot.press(ALICE, page, f"h1:mp:{number}")
        page = bot.last(ALICE.id)
    assert len(seen) == 22 and number == 4  # five pages of five


async def test_17_16_the_proof_step_takes_a_note_as_well_as_a_photo(bot: BotHarness) -> None:
    """17.16: after Done, a typed note ("修好了，换了个阀芯") is the note of the work done, not
    "我只听得懂…"; a photo may follow (or come first, its caption a note). The secretaries
    read the note in /wishes and with the proof photo; the resident with the news."""
    wish_id, _ = await _claimed_by_alice(bot)
    await bot.send(ALICE, "/mywishes")
    await bot.press(ALICE, bot.last(ALICE.id), f"h1:done:{wish_id}")
    await bot.send(ALICE, "修好了，换了个阀芯")
    assert "说明已收到" in bot.texts(ALICE.id)[-1]
    assert not any("只听得懂" in t for t in bot.texts(ALICE.id))
    proof = [{"file_id": "fixed2", "file_unique_id": "f2", "width": 90, "height": 90}]
    bot.updates.message(ALICE, "", photo=proof)
    await bot.deliver()
    assert "照片和说明都已收到" in bot.texts(ALICE.id)[-1]
    wish = await bot.storage.wishes.get(wish_id)
    assert wish is not None
    assert (wish.proof_note, wish.proof_file_id) == ("修好了，换了个阀芯", "fixed2")
    await bot.send(ALICE, "还有别的吗")  # the step is over: not a note any more
    assert "只听得懂" in bot.texts(ALICE.id)[-1]

    await bot.send(SECRETARY, "/wishes")
    wall = bot.last(SECRETARY.id)
    assert "修好了，换了个阀芯" in wall["text"]
    await bot.press(SECRETARY, wall, f"h1:ph:{wish_id}")
    shown = bot.fake.calls_to("sendPhoto", chat_id=SECRETARY.id)[-1].params
    assert shown["photo"] == "fixed2" and "修好了，换了个阀芯" in shown["caption"]
    await bot.press(SECRETARY, wall, f"h1:r:confirm:{wish_id}")
    await bot.flush()
    done = bot.texts(RESIDENT.id)[-1]
    assert "已经实现" in done and "修好了，换了个阀芯" in done


async def test_17_16_a_photo_with_a_caption_is_the_whole_proof(bot: BotHarness) -> None:
    """17.16: one photo whose caption is the note ends the step; a note over the limit is
    refused (nothing stored) and asked again."""
    wish_id, _ = await _claimed_by_alice(bot)
    await bot.send(ALICE, "/mywishes")
    await bot.press(ALICE, bot.last(ALICE.id), f"h1:done:{wish_id}")
    await bot.send(ALICE, "很" * 201)
    assert "太长" in bot.texts(ALICE.id)[-1]
    proof = [{"file_id": "fixed3", "file_unique_id": "f3", "width": 90, "height": 90}]
    bot.updates.message(ALICE, "", photo=proof, caption="锁芯换新了")
    await bot.deliver()
    assert "照片和说明都已收到" in bot.texts(ALICE.id)[-1]
    wish = await bot.storage.wishes.get(wish_id)
    assert wish is not None and (wish.proof_note, wish.proof_file_id) == ("锁芯换新了", "fixed3")
