"""Updates side by side, through the running Application and its update processor."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update

import bot.handlers.stats as stats
import bot.usecases.statistics as statistics
from bot.domain.signups import SignupStatus
from bot.rendering import render
from bot.update_order import PerChatUpdateProcessor
from tests.handlers.test_tasks import form, ready, soon
from tests.harness import ALICE, BOB, CAROL, GROUP_ID, SECRETARY, BotHarness


async def _queue(bot: BotHarness) -> None:
    """Hand what users sent to the running application, as the polling loop does."""
    for data in bot.fake.take_updates():
        await bot.app.update_queue.put(Update.de_json(data, bot.app.bot))


async def _until(predicate: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("timed out")


async def test_a_join_is_answered_while_stats_renders(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await ready(bot, ALICE)
    await bot.send(ALICE, "/report")
    task_id = await bot.publish(form(soon()))
    card = bot.last(GROUP_ID)
    drawing, release = asyncio.Event(), asyncio.Event()

    async def slow_render(draw: Any, *args: Any) -> bytes:
        drawing.set()
        await release.wait()  # the chart is being drawn until the test says so
        return await render(draw, *args)

    monkeypatch.setattr(statistics, "render", slow_render)
    bot.updates.message(SECRETARY, "/stats")
    await _queue(bot)
    await asyncio.wait_for(drawing.wait(), 5)
    answered = len(bot.fake.calls_to("answerCallbackQuery"))
    bot.updates.press(ALICE, card, f"t1:join:{task_id}")
    await _queue(bot)
    try:
        await _until(lambda: len(bot.fake.calls_to("answerCallbackQuery")) > answered)
        assert "报名成功" in bot.fake.calls_to("answerCallbackQuery")[-1].params["text"]
        assert not bot.fake.calls_to("sendPhoto"), "the chart was not still being drawn"
    finally:
        release.set()
    await _until(lambda: bot.fake.calls_to("sendPhoto", chat_id=SECRETARY.id))


async def test_16_7_a_slow_record_in_private_holds_no_tap_in_the_group(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16.7: a member's /record being drawn in private holds neither that member's Join
    tap in the group (the user's turn), nor another member's tap behind it (the group's
    turn), nor their next message in private (the drawing runs outside the ordered section)."""
    await ready(bot, ALICE, BOB)
    task_id = await bot.publish(form(soon(), capacity="5"))
    card = bot.last(GROUP_ID)
    drawing, release = asyncio.Event(), asyncio.Event()

    async def slow_render(draw: Any, *args: Any) -> bytes:
        drawing.set()
        await release.wait()  # the PDF is being drawn until the test says so
        return await render(draw, *args)

    monkeypatch.setattr(stats, "render", slow_render)
    bot.updates.message(ALICE, "/record")
    await _queue(bot)
    await asyncio.wait_for(drawing.wait(), 5)
    processor = bot.app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    answered = len(bot.fake.calls_to("answerCallbackQuery"))
    bot.updates.press(ALICE, card, f"t1:join:{task_id}")
    bot.updates.press(BOB, card, f"t1:join:{task_id}")
    bot.updates.message(ALICE, "/points")
    await _queue(bot)
    try:
        await _until(lambda: len(bot.fake.calls_to("answerCallbackQuery")) == answered + 2)
        await _until(lambda: any("我的红色积分" in t for t in bot.texts(ALICE.id)))
        joined = await bot.storage.signups.telegram_ids(task_id, (SignupStatus.JOINED,))
        assert sorted(joined) == [ALICE.id, BOB.id]
        assert not bot.fake.calls_to("sendDocument"), "the PDF was not still being drawn"
        assert processor.pending_keys() == 0  # nothing waits, nothing holds a chat
    finally:
        release.set()
    await _until(lambda: bot.fake.calls_to("sendDocument", chat_id=ALICE.id))


async def test_16_7_a_heavy_command_that_fails_in_its_own_task_is_still_reported(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16.7: out of the ordered section, a heavy command's error still reaches the error
    handler: the member is told, an admin hears of it."""
    await ready(bot, ALICE)

    async def broken_render(draw: Any, *args: Any) -> bytes:
        raise RuntimeError("the drawing failed")

    monkeypatch.setattr(stats, "render", broken_render)
    await bot.send(ALICE, "/record")
    assert "抱歉，出了点问题" in bot.texts(ALICE.id)[-1]
    assert any("the drawing failed" in t for t in bot.texts(SECRETARY.id))


async def test_16_7_heavy_commands_take_turns(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 16.7: at most two heavy commands run at once (as many as drawing workers); a
    third member's /record waits for a turn instead of competing with everyone's taps, and
    is made once one of the first two is done."""
    await ready(bot, ALICE, BOB, CAROL)
    drawing: list[int] = []
    release = asyncio.Event()

    async def slow_render(draw: Any, *args: Any) -> bytes:
        drawing.append(1)
        await release.wait()  # the PDFs are being drawn until the test says so
        return await render(draw, *args)

    monkeypatch.setattr(stats, "render", slow_render)
    for user in (ALICE, BOB, CAROL):
        bot.updates.message(user, "/record")
    await _queue(bot)
    try:
        await _until(lambda: len(drawing) >= 2)
        for _ in range(50):  # a third, were it let in, needs only a few queries to get here
            await asyncio.sleep(0.01)
        assert len(drawing) == 2
    finally:
        release.set()
    await _until(lambda: len(bot.fake.calls_to("sendDocument")) == 3)
    assert len(drawing) == 3
