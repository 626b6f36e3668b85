"""Updates side by side, through the running Application and its update processor."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram import Update

import bot.usecases.statistics as statistics
from bot.rendering import render
from tests.handlers.test_tasks import form, ready, soon
from tests.harness import ALICE, GROUP_ID, SECRETARY, BotHarness


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
