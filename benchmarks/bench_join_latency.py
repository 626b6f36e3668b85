"""Time from a Join tap to its answer, alone, during a reminder fan-out, during heavy commands.

    python -m benchmarks.bench_join_latency [--members 10000] [--taps 200] [--limit 30]

The bot runs in this process as in production: its real HTTP client against the fake Bot API
server on 127.0.0.1 (enforcing L messages a second), the update processor that runs chats side
by side, the outbox's sender and a SQLite file. Taps are put on the application's update
queue, as the polling loop does; a tap's latency runs from then until the fake server records
its answerCallbackQuery. Prints p50 and p99 for each scenario.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram import Update

from bot.app import AnyApplication, build_application, close_services, open_services
from bot.config import Settings
from bot.domain.models import MemberType, Profile
from bot.domain.schedule import JobName
from bot.domain.tasks import TaskDraft, TaskStatus
from bot.jobs.runner import run_job
from tests.fakes.server import FakeBotApiServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, Updates

TZ = ZoneInfo("Asia/Shanghai")
GROUP = {"id": -1002000000000, "type": "supergroup", "title": "群"}
SECRETARY = TgUser(1001, "王书记")
FIRST_MEMBER = 100_000


async def seed(app: AnyApplication, fake: FakeTelegram, members: int) -> int:
    """A community, its group, N in-service members, one task with its card; the task id."""
    storage = (await open_services(app)).storage
    community = await storage.communities.create("社区")
    await storage.secretaries.ensure((SECRETARY.id,))
    await storage.secretaries.set_community(SECRETARY.id, community.id)
    fake.add_group(int(GROUP["id"]), str(GROUP["title"]))
    await storage.groups.bind(int(GROUP["id"]), community.id, "群", SECRETARY.id)
    for n in range(members):
        profile = Profile(f"成员{n}", "市税务局", MemberType.IN_SERVICE, "")
        await storage.members.enroll(community.id, FIRST_MEMBER + n, profile, None)
        fake.started.add(FIRST_MEMBER + n)
        if n % 3 == 0:
            member = await storage.members.get_by_telegram_id(FIRST_MEMBER + n)
            assert member is not None
            await storage.ledger.add(member.id, community.id, 2, "志愿服务", "grant", SECRETARY.id)
    start = datetime.now(TZ) + timedelta(hours=2)
    draft = TaskDraft("基准任务", "文明实践", 2, start, start + timedelta(hours=2), None, "A区")
    task = await storage.tasks.create_draft(community.id, draft, SECRETARY.id)
    await storage.tasks.change_status(task.id, TaskStatus.DRAFT, TaskStatus.OPEN)
    card = fake.handle("sendMessage", {"chat_id": str(GROUP["id"]), "text": "card"})[1]
    await storage.tasks.add_card(task.id, int(GROUP["id"]), card["result"]["message_id"])
    return task.id


async def taps(
    app: AnyApplication, fake: FakeTelegram, task_id: int, count: int, gap: float
) -> list[float]:
    """``count`` Join / Leave taps from different members; each one's latency in ms."""
    updates = Updates(fake)
    card = {"message_id": 1, "date": 0, "chat": GROUP}
    sent: dict[str, float] = {}
    for n in range(count):
        user = TgUser(FIRST_MEMBER + n % 500, f"成员{n % 500}")
        action = "join" if (n // 500) % 2 == 0 else "leave"
        data = updates.press(user, card, f"t1:{action}:{task_id}")
        fake.take_updates()
        sent[data["callback_query"]["id"]] = time.monotonic()
        await app.update_queue.put(Update.de_json(data, app.bot))
        await asyncio.sleep(gap)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answered = {
            c.params["callback_query_id"]: c.at for c in fake.calls_to("answerCallbackQuery")
        }
        if all(i in answered for i in sent):
            return [(answered[i] - t) * 1000 for i, t in sent.items()]
        await asyncio.sleep(0.05)
    raise RuntimeError("not every tap was answered")


async def heavy_commands(app: AnyApplication, fake: FakeTelegram, stop: asyncio.Event) -> int:
    """Five users sending /stats, /export and /record over and over; how many were sent."""
    updates = Updates(fake)
    users = [SECRETARY] + [TgUser(FIRST_MEMBER + n, f"成员{n}") for n in (1, 2, 3, 4)]
    commands = {SECRETARY.id: ("/stats", "/export")}
    sent = 0
    while not stop.is_set():
        for user in users:
            for text in commands.get(user.id, ("/record",)):
                data = updates.message(user, text)
                fake.take_updates()
                await app.update_queue.put(Update.de_json(data, app.bot))
                sent += 1
        await asyncio.sleep(0.5)
    return sent


def summary(name: str, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{name}: {len(ordered)} taps, p50 {statistics.median(ordered):.1f} ms,"
        f" p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms"
    )


async def main(members: int, count: int, limit: float, folder: Path) -> None:
    fake = FakeTelegram(rate_limit=limit, retry_after=1)
    with FakeBotApiServer(fake) as server:
        settings = Settings(
            _env_file=None,
            bot_token=fake.token,
            telegram_base_url=server.base_url,
            database_path=folder / "bench.sqlite3",
            report_window_days=31,
            run_scheduler=False,
            card_edit_interval_seconds=3,
        )
        app = build_application(settings)
        async with app:
            task_id = await seed(app, fake, members)
            await app.start()
            try:
                print(f"members: {members}, server limit: {limit:g}/s")
                print(summary("idle", await taps(app, fake, task_id, count, 0.1)))
                fan_out = asyncio.create_task(
                    run_job(app, JobName.REPORT_REMINDERS, datetime.now(TZ))
                )
                await asyncio.sleep(3)  # the fan-out is under way
                during = await taps(app, fake, task_id, count, 0.05)
                reminded = sum(1 for c in fake.calls_to("sendMessage") if c.ok)
                print(summary(f"during the fan-out ({reminded} sent so far)", during))
                fan_out.cancel()
                stop = asyncio.Event()
                heavy = asyncio.create_task(heavy_commands(app, fake, stop))
                await asyncio.sleep(2)
                during = await taps(app, fake, task_id, count, 0.05)
                stop.set()
                print(summary(f"during heavy commands ({await heavy} sent)", during))
            finally:
                await app.stop()
                await close_services(app)


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--taps", type=int, default=200)
    parser.add_argument("--limit", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(main(args.members, args.taps, args.limit, Path(folder)))


if __name__ == "__main__":
    run()
