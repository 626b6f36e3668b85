"""Enrollment through the real Application: fast path, guided flow, deep links, phone."""

from __future__ import annotations

from tests.fakes.updates import TgUser, button_data
from tests.harness import ALICE, BOB, SECRETARY, BotHarness

FORM_ZH = "/enroll\n姓名：张三\n单位：市税务局\n身份：在职党员\n小区：田森嘉园A区"
FORM_EN = "/enroll\nname: Bob <b>Smith</b> & Co\nunit: City Tax Bureau\ntype: volunteer"


async def test_fast_path_in_chinese_enrolls(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, FORM_ZH)
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None
    assert (member.name, member.work_unit, member.compound) == ("张三", "市税务局", "田森嘉园A区")
    assert member.member_type.value == "in_service"
    assert any("登记成功" in t for t in bot.texts(ALICE.id))


async def test_fast_path_in_english_escapes_html(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(BOB, FORM_EN)
    member = await bot.storage.members.get_by_telegram_id(BOB.id)
    assert member is not None and member.name == "Bob <b>Smith</b> & Co"
    sent = [c for c in bot.fake.calls_to("sendMessage", chat_id=BOB.id)]
    assert all(c.ok for c in sent), [c.result for c in sent if not c.ok]
    assert any("Bob &lt;b&gt;Smith&lt;/b&gt; &amp; Co" in c.params["text"] for c in sent)
    assert any("You are enrolled" in c.params["text"] for c in sent)


async def test_malformed_form_names_the_field_and_stores_nothing(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, "/enroll\n姓名：张三\n身份：外星人")
    assert await bot.storage.members.get_by_telegram_id(ALICE.id) is None
    assert "身份无法识别" in bot.texts(ALICE.id)[-1]
    await bot.send(BOB, "/enroll\nname: Bob\ntype: in-service")
    assert await bot.storage.members.get_by_telegram_id(BOB.id) is None
    assert "“unit” is missing" in bot.texts(BOB.id)[-1]
    await bot.send(BOB, "/enroll\nname: " + "x" * 40 + "\ntype: volunteer")
    assert "“name” is too long" in bot.texts(BOB.id)[-1]
    await bot.send(BOB, "/enroll\nshoe size: 44")
    assert "Unknown field “shoe size”" in bot.texts(BOB.id)[-1]
    assert await bot.storage.members.get_by_telegram_id(BOB.id) is None


async def test_guided_enrollment_with_buttons(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, "/enroll")
    prompt = bot.last(ALICE.id)
    assert "请输入您的姓名" in prompt["text"]
    await bot.send(ALICE, "张三")
    type_prompt = bot.last(ALICE.id)
    assert "e1:type:in_service" in button_data(type_prompt)
    await bot.press(ALICE, type_prompt, "e1:type:in_service")
    await bot.send(ALICE, "")  # an empty answer is refused: the unit is required
    await bot.send(ALICE, "市税务局")
    await bot.send(ALICE, "田森嘉园A区")
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None
    assert (member.name, member.work_unit, member.compound) == ("张三", "市税务局", "田森嘉园A区")
    assert not bot.fake.unanswered_callbacks()


async def test_17_12_the_telegram_name_button_puts_a_chinese_family_name_first(
    bot: BotHarness,
) -> None:
    """17.12: first_name 建国 + last_name 李 is offered (and stored) as 李建国, not "建国 李"."""
    li = TgUser(2077, "建国", "李")
    await bot.setup_community()
    await bot.send(li, "/enroll")
    prompt = bot.last(li.id)
    labels = [b["text"] for row in prompt["reply_markup"]["inline_keyboard"] for b in row]
    assert "使用：李建国" in labels, labels
    await bot.press(li, prompt, "e1:name:tg")
    await bot.press(li, bot.last(li.id), "e1:type:volunteer")
    await bot.press(li, bot.last(li.id), "e1:skip")
    await bot.press(li, bot.last(li.id), "e1:skip")
    member = await bot.storage.members.get_by_telegram_id(li.id)
    assert member is not None and member.name == "李建国"


async def test_deep_link_enrolls_into_that_community(bot: BotHarness) -> None:
    await bot.setup_community("甲社区")
    community = await bot.storage.communities.get_by_name("甲社区")
    assert community is not None
    await bot.send(SECRETARY, "/community")  # shows the link
    assert f"start=c_{community.enroll_code}" in bot.texts(SECRETARY.id)[-1]
    await bot.send(BOB, f"/start c_{community.enroll_code}")
    name_prompt = bot.last(BOB.id)
    await bot.press(BOB, name_prompt, "e1:name:tg")
    await bot.press(BOB, bot.last(BOB.id), "e1:type:volunteer")
    await bot.press(BOB, bot.last(BOB.id), "e1:skip")
    await bot.press(BOB, bot.last(BOB.id), "e1:skip")
    member = await bot.storage.members.get_by_telegram_id(BOB.id)
    assert member is not None and member.community_id == community.id
    assert member.name == "Bob Smith" and member.work_unit == ""
    await bot.send(ALICE, "/start c_000000000000")
    assert "链接无效" in bot.texts(ALICE.id)[-1]


async def test_reenroll_updates_profile(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, FORM_ZH)
    await bot.send(ALICE, FORM_ZH.replace("市税务局", "区财政局"))
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and member.work_unit == "区财政局"
    assert "个人信息已更新" in bot.texts(ALICE.id)[-2]


async def test_phone_only_own_contact_and_linked_to_roster(bot: BotHarness) -> None:
    await bot.setup_community()
    await bot.send(ALICE, FORM_ZH)
    bot.updates.contact(ALICE, "+86 138 0000 1111", owner_id=BOB.id)
    await bot.deliver()
    assert "本人" in bot.texts(ALICE.id)[-1]
    bot.updates.contact(ALICE, "+86 138 0000 1111")
    await bot.deliver()
    member = await bot.storage.members.get_by_telegram_id(ALICE.id)
    assert member is not None and member.phone == "13800001111"


async def test_enroll_in_group_offers_private_chat_link(bot: BotHarness) -> None:
    chat = bot.fake.add_group(-100555, "田森嘉园业主群")
    await bot.setup_community()
    await bot.send(ALICE, "/enroll", chat=chat)
    url = bot.last(-100555)["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert url == "https://t.me/community_test_bot?start=enroll"
    await bot.send(ALICE, "/start enroll")
    assert "请输入您的姓名" in bot.texts(ALICE.id)[-1]
    await bot.send(SECRETARY, "/bindgroup", chat=chat)
    await bot.send(BOB, "/enroll", chat=chat)
    url = bot.last(-100555)["reply_markup"]["inline_keyboard"][0][0]["url"]
    community = (await bot.storage.communities.list_all())[0]
    assert url.endswith(f"?start=c_{community.enroll_code}")
    assert await bot.storage.members.get_by_telegram_id(ALICE.id) is None
