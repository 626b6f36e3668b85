"""Join / Leave / Check-in callbacks through the real Application, against a no-op baseline.

    python -m benchmarks.bench_task_callbacks [--updates 5000] [--members 500]

Both runs use the same fake network layer (no sockets) and real Update parsing; ours uses
a real SQLite file. Prints updates per second for both and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.domain.models import MemberType, Profile
from bot.domain.tasks import TaskDraft, TaskStatus
from tests.fakes.telegram_api import FakeRequest, FakeTelegram
from tests.fakes.updates import TgUser, Updates
from tests.harness import GROUP_ID, SECRETARY, BotHarness, make_settings

TZ = ZoneInfo("Asia/Shanghai")


def build_updates(fake: FakeTelegram, users: list[TgUser], task_id: int, count: int) -> list[dict]:
    """join, leave, join, check in — round after round over the members."""
    updates = Updates(fake)
    card = {
        "message_id": 1,
        "date": 0,
        "chat": {"id": GROUP_ID, "type": "supergroup", "title": "群"},
    }
    actions = ("join", "leave", "join", "ci")
    made = []
    i = 0
    while len(made) < count:
        user = users[i % len(users)]
        action = actions[(i // len(users)) % len(actions)]
        made.append(updates.press(user, card, f"t1:{action}:{task_id}"))
        i += 1
    fake.take_updates()
    return made


async def run_ours(count: int, members: int, folder: Path) -> tuple[float, int]:
    fake = FakeTelegram()
    bot = BotHarness(make_settings(folder / "bench.sqlite3", fake.token), fake)
    await bot.start()
    try:
        await bot.setup_community()
        community = (await bot.storage.communities.list_all())[0]
        fake.add_group(GROUP_ID, "群")
        users = [TgUser(10_000 + n, f"成员{n}") for n in range(members)]
        for user in users:
            fake.started.add(user.id)
            profile = Profile(user.first_name, "单位", MemberType.IN_SERVICE, "")
            await bot.storage.members.enroll(community.id, user.id, profile, None)
        start = datetime.now(TZ) + timedelta(minutes=20)
        draft = TaskDraft("基准任务", "文明实践", 2, start, start + timedelta(hours=2), None, "A")
        task = await bot.storage.tasks.create_draft(community.id, draft, SECRETARY.id)
        await bot.storage.tasks.change_status(task.id, TaskStatus.DRAFT, TaskStatus.OPEN)
        card = fake.handle("sendMessage", {"chat_id": str(GROUP_ID), "text": "card"})[1]
        await bot.storage.tasks.add_card(task.id, GROUP_ID, card["result"]["message_id"])
        data = build_updates(fake, users, task.id, count)
        began = time.perf_counter()
        for item in data:
            await bot.app.process_update(Update.de_json(item, bot.app.bot))
        elapsed = time.perf_counter() - began
        answered = len(fake.calls_to("answerCallbackQuery"))
        await bot.settle_cards()
    finally:
        await bot.stop()
    return elapsed, answered


async def run_baseline(count: int, members: int) -> float:
    fake = FakeTelegram()
    app = Application.builder().token(fake.token).request(FakeRequest(fake)).build()

    async def noop(update: Update, context: object) -> None:
        """Does nothing: the cost of parsing and dispatching alone."""

    app.add_handler(CallbackQueryHandler(noop))
    await app.initialize()
    users = [TgUser(10_000 + n, f"成员{n}") for n in range(members)]
    data = build_updates(fake, users, 1, count)
    began = time.perf_counter()
    for item in data:
        await app.process_update(Update.de_json(item, app.bot))
    elapsed = time.perf_counter() - began
    await app.shutdown()
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--members", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ours, answered = await run_ours(args.updates, args.members, Path(folder))
    baseline = await run_baseline(args.updates, args.members)
    ours_rate, base_rate = args.updates / ours, args.updates / baseline
    print(f"updates: {args.updates} (join/leave/join/check-in over {args.members} members)")
    print(f"baseline (no-op handler): {baseline:.2f} s, {base_rate:,.0f} updates/s")
    print(
        f"ours (real handlers, SQLite file): {ours:.2f} s, {ours_rate:,.0f} updates/s,"
        f" {answered} callback queries answered"
    )
    print(f"ours / baseline: {ours_rate / base_rate:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
