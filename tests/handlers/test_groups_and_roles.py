"""Group binding, membership changes, roles, /members, /help and command menus."""

from __future__ import annotations

import json

from bot.domain.roster import parse_roster_csv
from tests.fakes.updates import button_data
from tests.harness import ALICE, BOB, GROUP_ID, SECRETARY, BotHarness

FORM = "/enroll\n姓名：张三\n单位：市税务局\n身份：在职党员"


async def test_bot_added_explains_bindgroup_and_secretary_binds(bot: BotHarness) -> None:
    chat = bot.fake.add_group(GROUP_ID, "田森嘉园志愿者群")
    bot.updates.bot_added(SECRETARY, chat)
    await bot.deliver()
    assert "/bindgroup" in bot.texts(GROUP_ID)[-1]
    await bot.send(SECRETARY, "/bindgroup", chat=chat)  # the default community, at once
    assert "我的社区" in bot.texts(GROUP_ID)[-1]
    group = await bot.storage.groups.get(GROUP_ID)
    assert group is not None and group.active and group.title == "田森嘉园志愿者群"
    await bot.send(SECRETARY, "/bindgroup", chat=chat)
    assert "已绑定到" in bot.texts(GROUP_ID)[-1]


async def test_member_cannot_bind_and_removal_deactivates(bot: BotHarness) -> None:
    chat = bot.fake.add_group(GROUP_ID, "群")
    await bot.setup_community()
    await bot.send(ALICE, "/bindgroup", chat=chat)
    assert "只有社区书记" in bot.texts(GROUP_ID)[-1]
    assert await bot.storage.groups.get(GROUP_ID) is None
    await bot.send(SECRETARY, "/bindgroup", chat=chat)
    bot.updates.bot_removed(SECRETARY, chat)
    await bot.deliver()
    group = await bot.storage.groups.get(GROUP_ID)
    assert group is not None and not group.active


async def test_group_migration_follows_new_id(bot: BotHarness) -> None:
    chat = bot.fake.add_group(-4001, "小群")
    await bot.setup_community()
    await bot.send(SECRETARY, "/bindgroup", chat=chat)
    bot.updates.message(SECRETARY, "", chat=chat, migrate_to_chat_id=-1004001)
    await bot.deliver()
    assert await bot.storage.groups.get(-4001) is None
    assert await bot.storage.groups.get(-1004001) is not None


def open_bot_link(message: dict[str, object]) -> str:
    """The url of the "open the private chat" button under a message."""
    rows = message["reply_markup"]["inline_keyboard"]  # type: ignore[index]
    return str(rows[0][0]["url"])


async def test_17_15_a_private_command_typed_in_a_group_opens_with_the_command(
    bot: BotHarness,
) -> None:
    """17.15: the button under "此命令涉及成员信息…" carries the command in its start
    parameter, and /start do_<command> in private runs it (whitelisted commands only)."""
    chat = await bot.bind_group()
    await bot.enroll(ALICE)
    await bot.send(SECRETARY, "/review", chat=chat)
    answer = bot.last(GROUP_ID)
    assert "此命令涉及成员信息" in answer["text"] and "/review" in answer["text"]
    link = open_bot_link(answer)
    assert link.endswith("?start=do_review"), link
    await bot.send(SECRETARY, "/start " + link.split("start=")[1])
    assert bot.texts(SECRETARY.id)[-1] == "没有待审核的签到。"  # /review ran, in private

    await bot.send(SECRETARY, "/newtask", chat=chat)  # a guided flow starts from the link
    await bot.send(SECRETARY, "/start " + open_bot_link(bot.last(GROUP_ID)).split("start=")[1])
    assert "标题" in bot.texts(SECRETARY.id)[-1]
    await bot.send(SECRETARY, "/cancel")

    await bot.send(ALICE, "/report", chat=chat)  # a member's own command, by the fallback
    assert open_bot_link(bot.last(GROUP_ID)).endswith("?start=do_report")
    await bot.send(ALICE, "/start do_review")  # the link runs the command with its own checks
    assert "只有社区书记" in bot.texts(ALICE.id)[-1]

    before = len(bot.texts(ALICE.id))
    await bot.send(ALICE, "/start do_forgetme")  # not a command a link may run
    assert "不能从链接打开" in bot.texts(ALICE.id)[before]
    assert "确定要删除" not in "".join(bot.texts(ALICE.id)[before:])
    await bot.send(ALICE, "/start do_nosuchthing")
    assert "不能从链接打开" in bot.texts(ALICE.id)[-2]
    assert await bot.storage.members.get_by_telegram_id(ALICE.id) is not None


async def test_members_pages_enrolled_and_roster(bot: BotHarness) -> None:
    await bot.setup_community()
    community = (await bot.storage.communities.list_all())[0]
    rows = "\n".join(f"成员{i:02d},139000000{i:02d},单位,在职党员,A区" for i in range(25))
    parsed = parse_roster_csv("姓名,手机,单位,类型,小区\n" + rows)
    await bot.storage.roster.import_rows(community.id, parsed.rows)
    await bot.send(ALICE, FORM)
    await bot.send(ALICE, "/members")
    assert "只有社区书记" in bot.texts(ALICE.id)[-1]
    await bot.send(SECRETARY, "/members")
    page = bot.last(SECRETARY.id)
    assert "已登记 1 人；名册 25 人" in page["text"] and "张三" in page["text"]
    assert "m1:r:0" in button_data(page)
    await bot.press(SECRETARY, page, "m1:r:0")
    page = bot.last(SECRETARY.id)
    assert "成员00" in page["text"] and "成员20" not in page["text"]
    await bot.press(SECRETARY, page, "m1:r:1")
    page = bot.last(SECRETARY.id)
    assert "成员20" in page["text"] and "(2/2)" in page["text"]
    await bot.press(SECRETARY, page, "m1:r:1")  # a double tap: no error, nothing changes
    await bot.press(ALICE, page, "m1:e:0")  # a member forging a secretary's button
    assert not bot.fake.unanswered_callbacks()
    assert all(
        c.ok or "not modified" in c.result["description"]
        for c in bot.fake.calls_to("editMessageText")
    )
    assert bot.fake.calls_to("answerCallbackQuery")[-1].params["show_alert"] is True


async def test_help_lists_what_the_user_may_use(bot: BotHarness) -> None:
    await bot.send(ALICE, "/help")
    assert "/mydata" in bot.texts(ALICE.id)[-1] and "/members" not in bot.texts(ALICE.id)[-1]
    await bot.send(SECRETARY, "/help")
    assert "/members" in bot.texts(SECRETARY.id)[-1]


async def test_menus_per_scope_and_language(bot: BotHarness) -> None:
    menus = bot.fake.commands
    private_en = menus[(json.dumps({"type": "all_private_chats"}), "en")]
    private_zh = menus[(json.dumps({"type": "all_private_chats"}), "")]
    assert {c["command"] for c in private_en} == {c["command"] for c in private_zh}
    assert "members" not in {c["command"] for c in private_en}
    assert any("Erase" in c["description"] for c in private_en)
    assert any("删除" in c["description"] for c in private_zh)
    # the secretary had not started the bot yet: no chat, so no menu of their own
    chat_scope = json.dumps({"chat_id": SECRETARY.id, "type": "chat"}, sort_keys=True)
    assert (chat_scope, "") not in menus
    await bot.send(SECRETARY, "/start")
    await bot.stop()
    await bot.start()  # the next start-up publishes it
    assert "members" in {c["command"] for c in bot.fake.commands[(chat_scope, "")]}


async def test_language_choice_changes_replies(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, FORM)
    await bot.send(ALICE, "/lang")
    await bot.press(ALICE, bot.last(ALICE.id), "l1:en")
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and member.language == "en"
    await bot.send(ALICE, "/help")
    assert "What I can do" in bot.texts(ALICE.id)[-1]
    await bot.send(BOB, "/help")  # Telegram's language_code decides for the others
    assert "What I can do" in bot.texts(BOB.id)[-1]
