"""17.19: the secretary back-enters attendees who came without tapping."""

from __future__ import annotations

from datetime import timedelta

from tests.fakes.updates import button_data
from tests.handlers.test_tasks import form, member_id, ready, soon
from tests.harness import ALICE, BOB, CAROL, GROUP_ID, SECRETARY, BotHarness


async def test_17_19_back_entry_credits_like_an_approved_check_in(bot: BotHarness) -> None:
    await ready(bot, ALICE, BOB, CAROL, SECRETARY)
    task_id = await bot.publish(form(soon()))
    await bot.press(ALICE, bot.last(GROUP_ID), f"t1:join:{task_id}")  # joined, never tapped in
    manage = await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:manage:{task_id}")
    manage = bot.last(SECRETARY.id)
    back = f"t1:attend:{task_id}"
    assert back in button_data(manage)
    await bot.press(SECRETARY, manage, back)
    assert "#编号" in bot.texts(SECRETARY.id)[-1]
    bob = await bot.storage.members.get_by_telegram_id(BOB.id)
    assert bob is not None
    secretary = await bot.storage.members.get_by_telegram_id(SECRETARY.id)
    assert secretary is not None
    await bot.send(SECRETARY, f"张三、#{bob.id}\n{secretary.name}\n没有这个人")
    texts = bot.texts(SECRETARY.id)
    assert any("补录" in t and "张三" in t and bob.name in t for t in texts[-4:])
    assert any("不能为自己补录" in t for t in texts[-4:])
    assert any("没有这个人" in t for t in texts[-4:])  # named back, to send again
    alice, carol = await member_id(bot, ALICE), await member_id(bot, CAROL)
    for someone in (alice, bob.id):
        signup = await bot.storage.signups.get(task_id, someone)
        assert signup is not None and signup.status.value == "approved"
        assert signup.checkin_method == "secretary"
        entries = await bot.storage.ledger.recent(someone)
        assert len(entries) == 1 and entries[0].source == "task"
        assert await bot.storage.ledger.balance(someone) == 5
    assert await bot.storage.ledger.balance(secretary.id) == 0
    assert await bot.storage.signups.get(task_id, secretary.id) is None
    # the step is still open for the name that did not match; entering again credits nothing twice
    await bot.send(SECRETARY, "张三")
    assert "已计过分" in bot.texts(SECRETARY.id)[-1]
    assert len(await bot.storage.ledger.recent(alice)) == 1
    assert await bot.storage.signups.get(task_id, carol) is None
    await bot.flush()
    assert "书记已为您补录" in bot.texts(ALICE.id)[-1]
    assert "secretary entered your attendance" in bot.texts(BOB.id)[-1]


async def test_17_19_back_entry_files_the_monthly_report(bot: BotHarness) -> None:
    await ready(bot, ALICE)
    bot.services.settings.report_window_days = 31
    task_id = await bot.publish(form(soon()))
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:attend:{task_id}")
    await bot.send(SECRETARY, "张三")
    alice = await member_id(bot, ALICE)
    assert await bot.storage.ledger.has_report(alice, f"{soon():%Y-%m}")


async def test_17_19_only_a_secretary_back_enters(bot: BotHarness) -> None:
    await ready(bot, ALICE, BOB)
    task_id = await bot.publish(form(soon()))
    await bot.press(ALICE, bot.last(SECRETARY.id), f"t1:attend:{task_id}")
    await bot.send(ALICE, "Bob Smith")
    bob = await member_id(bot, BOB)
    assert await bot.storage.signups.get(task_id, bob) is None
    assert await bot.storage.ledger.balance(bob) == 0


async def test_17_19_nobody_is_back_entered_before_check_in_opens(bot: BotHarness) -> None:
    await ready(bot, ALICE)
    task_id = await bot.publish(form(soon() + timedelta(days=1)))
    await bot.press(SECRETARY, bot.last(SECRETARY.id), f"t1:attend:{task_id}")
    await bot.send(SECRETARY, "张三")
    assert "签到尚未开始" in bot.texts(SECRETARY.id)[-1]
    alice = await member_id(bot, ALICE)
    assert await bot.storage.signups.get(task_id, alice) is None
    assert await bot.storage.ledger.balance(alice) == 0
