"""Updates side by side: other chats go on while one is busy; one chat keeps its order."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Update

from bot.update_order import PerChatUpdateProcessor
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, Updates

ALICE, BOB = TgUser(1, "甲"), TgUser(2, "乙")


GROUP = {"id": -1001234567890, "type": "supergroup", "title": "群"}


def _update(
    fake: FakeTelegram, user: TgUser, text: str, chat: dict[str, Any] | None = None
) -> Update:
    Updates(fake).message(user, text, chat)
    (data,) = fake.take_updates()
    return Update.de_json(data, None)


async def _run(processor: PerChatUpdateProcessor, update: Update, work: Any) -> None:
    await processor.process_update(update, work)


async def test_another_chat_is_served_while_one_update_is_busy() -> None:
    fake, processor = FakeTelegram(), PerChatUpdateProcessor(workers=4)
    release, done = asyncio.Event(), []

    async def slow() -> None:
        await release.wait()  # a /stats rendering, say
        done.append("slow")

    async def quick() -> None:
        done.append("quick")

    busy = asyncio.create_task(_run(processor, _update(fake, ALICE, "/stats"), slow()))
    await asyncio.sleep(0)
    await asyncio.wait_for(_run(processor, _update(fake, BOB, "/points"), quick()), 1)
    assert done == ["quick"] and not busy.done()
    release.set()
    await busy
    assert done == ["quick", "slow"] and processor.pending_keys() == 0


async def test_one_chat_keeps_its_order_even_when_the_first_update_is_slow() -> None:
    fake, processor = FakeTelegram(), PerChatUpdateProcessor(workers=4)
    seen: list[int] = []

    async def step(n: int, delay: float) -> None:
        await asyncio.sleep(delay)
        seen.append(n)

    updates = [_update(fake, ALICE, f"/step {n}") for n in range(5)]
    await asyncio.gather(
        *(_run(processor, u, step(n, 0.02 if n == 0 else 0)) for n, u in enumerate(updates))
    )
    assert seen == [0, 1, 2, 3, 4] and processor.pending_keys() == 0


async def test_a_cancelled_waiter_leaves_no_lock_behind() -> None:
    fake, processor = FakeTelegram(), PerChatUpdateProcessor(workers=1)
    release = asyncio.Event()
    first = asyncio.create_task(_run(processor, _update(fake, ALICE, "/a"), release.wait()))
    await asyncio.sleep(0)
    second = asyncio.create_task(_run(processor, _update(fake, ALICE, "/b"), asyncio.sleep(0)))
    await asyncio.sleep(0)
    second.cancel()
    release.set()
    await first
    assert second.cancelled() and processor.pending_keys() == 0


async def test_16_7_a_busy_private_chat_holds_neither_its_users_group_taps_nor_the_group() -> None:
    """Issue 16.7: order is per chat only. A member's update still running in private does not
    hold their next update in the group, nor (behind it) another member's in that group."""
    fake, processor = FakeTelegram(), PerChatUpdateProcessor(workers=4)
    release, done = asyncio.Event(), []

    async def slow() -> None:
        await release.wait()
        done.append("private")

    async def quick(name: str) -> None:
        done.append(name)

    busy = asyncio.create_task(_run(processor, _update(fake, ALICE, "/record"), slow()))
    await asyncio.sleep(0)
    in_group = [
        _run(processor, _update(fake, ALICE, "join", GROUP), quick("alice in the group")),
        _run(processor, _update(fake, BOB, "join", GROUP), quick("bob in the group")),
    ]
    await asyncio.wait_for(asyncio.gather(*in_group), 5)
    assert done == ["alice in the group", "bob in the group"] and not busy.done()
    release.set()
    await busy
    assert processor.pending_keys() == 0
