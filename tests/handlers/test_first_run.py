"""The first run with nothing set up, communities, delegation, and who may bind a group."""

from __future__ import annotations

import json
from pathlib import Path

from bot.config import Settings
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, BOB, GROUP_ID, SECRETARY, BotHarness, make_settings

FORM = "/enroll\n姓名：张三\n单位：市税务局\n身份：在职党员"
DEPUTY = TgUser(1005, "李副书记")


def chat_menus(fake: FakeTelegram, user_id: int) -> list[str]:
    """The language codes of the menus set in a user's own chat."""
    scope = json.dumps({"chat_id": user_id, "type": "chat"}, sort_keys=True)
    return sorted(language for (s, language) in fake.commands if s == scope)


async def test_fresh_deployment_member_enrolls_at_once(bot: BotHarness) -> None:
    communities = await bot.storage.communities.list_all()
    assert [c.name for c in communities] == ["我的社区"]
    secretary = await bot.storage.secretaries.get(SECRETARY.id)
    assert secretary is not None and secretary.community_id == communities[0].id
    await bot.send(ALICE, FORM)  # no link, no /community first
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and member.community_id == communities[0].id
    assert any("我的社区" in text for text in bot.texts(ALICE.id))


async def test_community_name_setting_names_the_default(tmp_path: Path, fake: FakeTelegram) -> None:
    settings = make_settings(tmp_path / "db.sqlite3", fake.token, community_name="田森社区")
    harness = BotHarness(settings, fake)
    await harness.start()
    try:
        names = [c.name for c in await harness.storage.communities.list_all()]
        assert names == ["田森社区"]
    finally:
        await harness.stop()


async def test_community_shows_renames_and_never_joins_another(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/community")
    assert "我的社区" in bot.texts(SECRETARY.id)[-1] and "start=c_" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/community 田森社区")
    assert [c.name for c in await bot.storage.communities.list_all()] == ["田森社区"]
    await bot.send(SECRETARY, "/community new 第二社区")
    second = await bot.storage.communities.get_by_name("第二社区")
    secretary = await bot.storage.secretaries.get(SECRETARY.id)
    assert second is not None and secretary is not None and secretary.community_id == second.id
    # an existing community's name renames nothing and joins nothing
    await bot.send(SECRETARY, "/community 田森社区")
    assert "已有名为" in bot.texts(SECRETARY.id)[-1]
    secretary = await bot.storage.secretaries.get(SECRETARY.id)
    assert secretary is not None and secretary.community_id == second.id
    assert {c.name for c in await bot.storage.communities.list_all()} == {"第二社区", "田森社区"}


async def test_two_communities_enroll_asks_which(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/community new 第二社区")
    await bot.send(BOB, "/enroll")
    assert "Which community" in bot.texts(BOB.id)[-1]
    assert len([d for d in button_data(bot.last(BOB.id)) if d.startswith("e1:c:")]) == 2


async def test_member_commands_point_to_enroll(bot: BotHarness) -> None:
    for command in ("/points", "/mytasks", "/record", "/object", "/report"):
        await bot.send(BOB, command)
        assert "/enroll" in bot.texts(BOB.id)[-1], command
    assert await bot.storage.members.get_by_telegram_id(BOB.id) is None


async def test_secretary_menu_set_on_first_contact_and_at_next_start(
    settings: Settings, fake: FakeTelegram
) -> None:
    harness = BotHarness(settings, fake)
    await harness.start()
    try:
        # never wrote to the bot: nothing tried in their chat, nothing refused
        assert chat_menus(fake, SECRETARY.id) == []
        assert all(c.ok for c in fake.calls_to("setMyCommands"))
        await harness.send(SECRETARY, "/start")
        assert chat_menus(fake, SECRETARY.id) == ["", "en", "zh"]
        secretary = await harness.storage.secretaries.get(SECRETARY.id)
        assert secretary is not None and secretary.reached
        calls = len(fake.calls_to("setMyCommands"))
        await harness.send(SECRETARY, "/help")  # once is enough
        assert len(fake.calls_to("setMyCommands")) == calls
        assert "/newtask" in harness.texts(SECRETARY.id)[-1]
    finally:
        await harness.stop()
    fake.commands.clear()
    again = BotHarness(settings, fake)
    await again.start()
    try:
        assert chat_menus(fake, SECRETARY.id) == ["", "en", "zh"]
        assert all(c.ok for c in fake.calls_to("setMyCommands"))
    finally:
        await again.stop()


async def test_secretary_ids_is_the_truth_at_each_start(tmp_path: Path, fake: FakeTelegram) -> None:
    database = tmp_path / "db.sqlite3"
    first = BotHarness(
        make_settings(database, fake.token, secretary_ids=(SECRETARY.id, DEPUTY.id)), fake
    )
    await first.start()
    try:
        await first.send(DEPUTY, "/start")  # reached: their menu is set
        assert chat_menus(fake, DEPUTY.id) == ["", "en", "zh"]
        await first.send(ALICE, FORM)
        await first.send(SECRETARY, "/secretary add 张三")
    finally:
        await first.stop()
    second = BotHarness(make_settings(database, fake.token, secretary_ids=(SECRETARY.id,)), fake)
    await second.start()
    try:
        assert await second.storage.secretaries.get(DEPUTY.id) is None
        assert chat_menus(fake, DEPUTY.id) == []  # back to the members' menu
        # appointed by a secretary: not the setting's to take away
        assert await second.storage.secretaries.get(ALICE.id) is not None
        await second.send(DEPUTY, "/review")
        assert "只有社区书记" in second.texts(DEPUTY.id)[-1]
    finally:
        await second.stop()


async def test_secretary_appoints_and_dismisses(bot: BotHarness) -> None:
    await bot.send(ALICE, FORM)
    await bot.send(ALICE, "/review")
    assert "只有社区书记" in bot.texts(ALICE.id)[-1]
    await bot.send(SECRETARY, "/secretary add 张三")
    assert "已将“张三”设为" in bot.texts(SECRETARY.id)[-1]
    await bot.flush()
    assert "书记" in bot.texts(ALICE.id)[-1]  # told
    assert chat_menus(bot.fake, ALICE.id) == ["", "en", "zh"]
    await bot.send(ALICE, "/review")
    assert "只有社区书记" not in bot.texts(ALICE.id)[-1]
    await bot.send(ALICE, "/secretary remove 王书记")  # not enrolled: no such member
    assert await bot.storage.secretaries.get(SECRETARY.id) is not None
    await bot.send(SECRETARY, "/secretary")
    assert "张三" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/secretary remove 张三")
    assert await bot.storage.secretaries.get(ALICE.id) is None
    assert chat_menus(bot.fake, ALICE.id) == []


async def test_setting_secretary_cannot_be_removed_by_command(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/enroll\n姓名：王书记\n单位：街道\n身份：社区党员")
    await bot.send(ALICE, FORM)
    await bot.send(SECRETARY, "/secretary add 张三")
    await bot.send(ALICE, "/secretary remove 王书记")
    assert "SECRETARY_IDS" in bot.texts(ALICE.id)[-1]
    assert await bot.storage.secretaries.get(SECRETARY.id) is not None
    await bot.send(SECRETARY, "/secretary remove 王书记")
    assert "不能移除您自己" in bot.texts(SECRETARY.id)[-1]


async def test_secretary_cannot_grant_themselves(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/enroll\n姓名：王书记\n单位：街道\n身份：社区党员")
    await bot.send(SECRETARY, "/grant 王书记 50 辛苦了")
    assert "不能给自己" in bot.texts(SECRETARY.id)[-1]
    member = await bot.storage.members.get_by_telegram_id(SECRETARY.id)
    assert member is not None
    assert await bot.storage.ledger.balance(member.id) == 0


async def test_bindgroup_needs_an_administrator(bot: BotHarness) -> None:
    chat = bot.fake.add_group(GROUP_ID, "群", admins=[ALICE.id])
    await bot.send(SECRETARY, "/bindgroup", chat=chat)
    assert "管理员" in bot.texts(GROUP_ID)[-1]
    assert await bot.storage.groups.get(GROUP_ID) is None
    bot.fake.admins[GROUP_ID].add(SECRETARY.id)
    await bot.send(SECRETARY, "/bindgroup", chat=chat)
    assert await bot.storage.groups.get(GROUP_ID) is not None


async def test_bindgroup_never_moves_a_group_of_another_community(bot: BotHarness) -> None:
    chat = await bot.bind_group()
    first = await bot.storage.groups.get(GROUP_ID)
    await bot.send(ALICE, FORM)
    await bot.send(SECRETARY, "/secretary add 张三")
    await bot.send(ALICE, "/community new 第二社区")
    await bot.send(ALICE, "/bindgroup", chat=chat)
    assert "另一个社区" in bot.texts(GROUP_ID)[-1]
    group = await bot.storage.groups.get(GROUP_ID)
    assert first is not None and group is not None and group.community_id == first.community_id


async def test_secretary_commands_in_a_group_point_to_the_private_chat(bot: BotHarness) -> None:
    chat = await bot.bind_group()
    await bot.send(ALICE, FORM)
    for command in (
        "/export",
        "/members",
        "/review",
        "/redemptions",
        "/objections",
        "/unreported",
        "/stats",
        "/grant 张三 5 好事",
    ):
        await bot.send(SECRETARY, command, chat=chat)
        answer = bot.last(GROUP_ID)
        assert "私聊" in answer["text"], command
        assert "张三" not in answer["text"]
        assert answer["reply_markup"]["inline_keyboard"][0][0]["url"].startswith("https://t.me/")
    assert not bot.fake.calls_to("sendDocument") and not bot.fake.calls_to("sendPhoto")
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and await bot.storage.ledger.balance(member.id) == 0
    await bot.send(BOB, "/members", chat=chat)  # not a secretary: refused, as in private
    assert "只有社区书记" in bot.texts(GROUP_ID)[-1]  # in the group's language, not Bob's


async def test_another_communitys_link_never_moves_a_member(bot: BotHarness) -> None:
    await bot.send(ALICE, FORM)
    await bot.send(SECRETARY, "/grant 张三 5 好事")
    await bot.send(SECRETARY, "/community new 第二社区")  # the only secretary: refused
    assert "唯一的书记" in bot.texts(SECRETARY.id)[-1]
    second = await bot.storage.communities.create("第二社区")
    await bot.send(ALICE, f"/start c_{second.enroll_code}")
    assert "已登记在社区「我的社区」" in bot.texts(ALICE.id)[-1]
    await bot.send(ALICE, FORM)  # the fast path afterwards: still the first community
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and member.community_id != second.id
    assert await bot.storage.ledger.balance(member.id) == 5


async def test_secretary_sends_the_roster_file_in_private(bot: BotHarness) -> None:
    header = "序号,姓名,手机号,单位,类型,小区"
    bad = f"{header}\r\n1,张三,13800001111,市税务局,在职党员,A区\r\n2,王五,12,街道,在职党员,\r\n"
    bot.updates.document(SECRETARY, bot.fake.upload(bad.encode("gbk"), "名册.csv"))
    await bot.deliver()
    assert "第 3 行" in bot.texts(SECRETARY.id)[-1]
    assert await bot.storage.db.fetchall("SELECT * FROM roster_entries") == []
    good = bad.replace(",12,", ",13900002222,")
    bot.updates.document(SECRETARY, bot.fake.upload(good.encode("utf-8-sig"), "名册.csv"))
    await bot.deliver()
    assert "新增 2 人" in bot.texts(SECRETARY.id)[-1]
    bot.updates.document(ALICE, bot.fake.upload(good.encode(), "名册.csv"))
    await bot.deliver()
    assert "只有社区书记" in bot.texts(ALICE.id)[-1]
    rows = await bot.storage.db.fetchall("SELECT name FROM roster_entries ORDER BY name")
    assert [r[0] for r in rows] == ["张三", "王五"]


async def test_notices_speak_the_members_telegram_language(bot: BotHarness) -> None:
    await bot.send(BOB, "/enroll\nname: Bob\nunit: Tax office\ntype: in-service")
    await bot.send(SECRETARY, "/grant Bob 5 thanks")
    await bot.flush()
    assert "points" in bot.texts(BOB.id)[-1].lower() and "积分" not in bot.texts(BOB.id)[-1]


async def test_private_chat_never_silent_groups_stay_quiet(bot: BotHarness) -> None:
    await bot.send(BOB, "hello, how do I report?")
    assert "/enroll" in bot.texts(BOB.id)[-1]  # not enrolled: the first step
    await bot.send(ALICE, FORM)
    await bot.send(ALICE, "你好，请问怎么报到？")
    assert "/report" in bot.texts(ALICE.id)[-1]
    await bot.send(ALICE, "/nosuchthing")
    assert "/nosuchthing" in bot.texts(ALICE.id)[-1] and "/help" in bot.texts(ALICE.id)[-1]
    await bot.send(SECRETARY, "/start")
    assert "/bindgroup" in bot.texts(SECRETARY.id)[-1] and "start=c_" in bot.texts(SECRETARY.id)[-1]
    chat = await bot.bind_group()
    before = len(bot.texts(GROUP_ID))
    await bot.send(ALICE, "大家好", chat=chat)
    await bot.send(ALICE, "/othercommand@another_bot", chat=chat)
    assert len(bot.texts(GROUP_ID)) == before  # quiet in groups
    await bot.send(ALICE, "/report", chat=chat)
    assert "私聊" in bot.texts(GROUP_ID)[-1]


async def test_roster_matched_by_name_confirmed_or_by_hand(bot: BotHarness) -> None:
    from bot.domain.roster import parse_roster_csv

    community = (await bot.storage.communities.list_all())[0]
    rows = "张三,13900001111,市税务局,在职党员,A区\n李四,13900002222,区教育局,在职党员,B区\n"
    rows += "李四,13900003333,市医院,在职党员,C区\n王五,13900004444,街道,在职党员,D区\n"
    parsed = parse_roster_csv("姓名,手机,单位,类型,小区\n" + rows)
    await bot.storage.roster.import_rows(community.id, parsed.rows)
    await bot.send(SECRETARY, "/start")
    await bot.send(ALICE, FORM)  # 张三: one on the roster, matched by name
    alice = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert alice is not None
    entry = await bot.storage.roster.get_for_member(alice.id)
    assert entry is not None and entry.phone == "13900001111"
    assert alice.compound == "A区"  # the form gave none: the roster's
    carol = TgUser(2003, "李四")
    await bot.send(carol, "/enroll\n姓名：李四\n单位：市医院\n身份：在职党员")  # two 李四
    await bot.flush()
    question = bot.last(SECRETARY.id)
    assert "同名" in question["text"]
    options = [b for row in question["reply_markup"]["inline_keyboard"] for b in row]
    pick = next(b["callback_data"] for b in options if "3333" in b["text"])
    await bot.press(SECRETARY, question, pick)
    member = await bot.storage.members.get_by_telegram_id(carol.id)
    assert member is not None
    entry = await bot.storage.roster.get_for_member(member.id)
    assert entry is not None and entry.phone == "13900003333"
    # by hand: undo, then link to the other row
    await bot.send(SECRETARY, "/unlink 张三")
    assert await bot.storage.roster.get_for_member(alice.id) is None
    await bot.send(SECRETARY, "/link 张三 139-0000-4444")
    entry = await bot.storage.roster.get_for_member(alice.id)
    assert entry is not None and entry.name == "王五"
    # the never-enrolled are expected to report: 李四 (2222) and the unlinked 张三 row
    await bot.send(SECRETARY, "/unreported")
    assert "李四" in bot.texts(SECRETARY.id)[-1] and "0/4" in bot.texts(SECRETARY.id)[-1]


async def test_poster_for_the_notice_board(bot: BotHarness) -> None:
    await bot.send(SECRETARY, "/poster")
    photo = bot.fake.calls_to("sendPhoto", chat_id=SECRETARY.id)[-1]
    document = bot.fake.calls_to("sendDocument", chat_id=SECRETARY.id)[-1]
    assert photo.ok and document.ok
    assert "我的社区" in photo.params["caption"] and "登记二维码" in document.params["caption"]
    assert bot.fake.files[document.result["document"]["file_id"]].startswith(b"%PDF")
    await bot.send(ALICE, "/poster")
    assert "只有社区书记" in bot.texts(ALICE.id)[-1]


async def test_traditional_chinese_for_zh_hant(bot: BotHarness) -> None:
    hant = TgUser(2077, "陳大文", language_code="zh-hant")
    await bot.send(hant, "/start")
    assert "社區志願服務助手" in bot.texts(hant.id)[-1]
    scope = json.dumps({"chat_id": hant.id, "type": "chat"}, sort_keys=True)
    menu = bot.fake.commands[(scope, "")]  # Telegram's menus know zh, not zh-hant
    assert any("積分" in c["description"] for c in menu)
    calls = len(bot.fake.calls_to("setMyCommands"))
    await bot.send(hant, "/help")
    assert len(bot.fake.calls_to("setMyCommands")) == calls  # once
    await bot.send(hant, "/enroll\n姓名：陳大文\n單位：稅務局\n身份：在職黨員")
    member = await bot.storage.members.get_by_telegram_id(hant.id)
    assert member is not None and member.language == "zh_TW"
    await bot.send(hant, "/help")
    assert "可用命令" in bot.texts(hant.id)[-1] or "可用指令" in bot.texts(hant.id)[-1]
    await bot.send(hant, "/record")
    document = bot.fake.calls_to("sendDocument", chat_id=hant.id)[-1]
    assert "服務記錄" in document.params["caption"]
    await bot.send(SECRETARY, "/grant 陳大文 3 謝謝")
    await bot.flush()
    assert "積分" in bot.texts(hant.id)[-1]  # notices too
    await bot.send(hant, "/lang")
    names = [b["text"] for row in bot.last(hant.id)["reply_markup"]["inline_keyboard"] for b in row]
    assert names == ["简体中文", "繁體中文", "English"]
