"""Time from a Join tap to its answer, alone, during a reminder fan-out, during heavy commands.

    python -m benchmarks.bench_join_latency [--members 10000] [--taps 200] [--limit 30]
                                            [--warm-up 2] [--no-process]

In this process first, as in production: the bot's real HTTP client against the fake Bot API
server on 127.0.0.1 (enforcing L messages a second), the update processor that runs chats side
by side, the outbox's sender and a SQLite file. Taps are put on the application's update
queue, as the polling loop does; a tap's latency runs from then until the fake server records
its answerCallbackQuery. Then as a process (``python -m bot run``, polling the fake server):
a tap's latency runs from the moment the server has it until it records the answer. "Heavy
commands" are five users sending /stats, /export and /record over and over (four of them
also tap Join: every fifth tap is theirs). Prints p50 and p99 for each scenario, and the
heavy/idle ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update

from bot.app import AnyApplication, build_application, close_services, open_services
from bot.config import Settings
from bot.domain.models import MemberType, Profile
from bot.domain.schedule import JobName
from bot.domain.tasks import TaskDraft, TaskStatus
from bot.jobs.runner import run_job
from tests.e2e.botprocess import BotProcess
from tests.fakes.server import FakeBotApiServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser, Updates

TZ = ZoneInfo("Asia/Shanghai")
GROUP = {"id": -1002000000000, "type": "supergroup", "title": "群"}
SECRETARY = TgUser(1001, "王书记")
FIRST_MEMBER = 100_000
TAPPERS = 500  # members who tap, in turn
HEAVY_MEMBERS = (1, 2, 3, 4)  # send /record over and over (and tap too)

# Hands an update (as Telegram sends it) to the bot.
Deliver = Callable[[dict[str, Any]], Awaitable[None]]


def bench_settings(database: Path, token: str, base_url: str) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=token,
        telegram_base_url=base_url,
        database_path=database,
        secretary_ids=(SECRETARY.id,),
        report_window_days=31,
        run_scheduler=False,
        card_edit_interval_seconds=3,
    )


async def seed(app: AnyApplication, fake: FakeTelegram, members: int) -> int:
    """A community, its group, N in-service members, one task with its card; the task id."""
    storage = (await open_services(app)).storage
    community = await storage.communities.create("社区")
    await storage.secretaries.follow_setting((SECRETARY.id,), community.id)
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
    fake: FakeTelegram,
    deliver: Deliver,
    task_id: int,
    count: int,
    members: int,
    gap: float,
    busy: tuple[int, ...] = (),
) -> list[float]:
    """``count`` Join / Leave taps from different members (every fifth from one of ``busy``,
    the members sending heavy commands meanwhile); each one's latency in ms."""
    updates = Updates(fake)
    card = {"message_id": 1, "date": 0, "chat": GROUP}
    tappers = min(TAPPERS, members)
    sent: dict[str, float] = {}
    for n in range(count):
        number = busy[n // 5 % len(busy)] if busy and n % 5 == 0 else n % tappers
        user = TgUser(FIRST_MEMBER + number, f"成员{number}")
        action = "join" if (n // tappers) % 2 == 0 else "leave"  # a busy member's: joined
        data = updates.press(user, card, f"t1:{action}:{task_id}")
        sent[data["callback_query"]["id"]] = time.monotonic()
        await deliver(data)
        await asyncio.sleep(gap)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answered = {
            c.params["callback_query_id"]: c.at for c in fake.calls_to("answerCallbackQuery")
        }
        if all(i in answered for i in sent):
            return [(answered[i] - t) * 1000 for i, t in sent.items()]
        await asyncio.sleep(0.05)
    raise RuntimeError("not every tap was answered")


async def heavy_commands(fake: FakeTelegram, deliver: Deliver, stop: asyncio.Event) -> int:
    """Five users sending /stats, /export and /record over and over; how many were sent."""
    updates = Updates(fake)
    users = [SECRETARY] + [TgUser(FIRST_MEMBER + n, f"成员{n}") for n in HEAVY_MEMBERS]
    commands = {SECRETARY.id: ("/stats", "/export")}
    sent = 0
    while not stop.is_set():
        for user in users:
            for text in commands.get(user.id, ("/record",)):
                await deliver(updates.message(user, text))
                sent += 1
        await asyncio.sleep(0.5)
    return sent


async def during_heavy(
    fake: FakeTelegram, deliver: Deliver, task_id: int, count: int, members: int, warm_up: float
) -> tuple[list[float], int]:
    """Taps while the five users send heavy commands; their latencies, and the commands sent."""
    stop = asyncio.Event()
    heavy = asyncio.create_task(heavy_commands(fake, deliver, stop))
    await asyncio.sleep(warm_up)  # the commands are being drawn
    try:
        busy = tuple(n for n in HEAVY_MEMBERS if n < members)
        latencies = await taps(fake, deliver, task_id, count, members, 0.05, busy)
    finally:
        stop.set()
    return latencies, await heavy


def percentiles(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def summary(name: str, latencies: list[float]) -> str:
    p50, p99 = percentiles(latencies)
    worst = max(latencies)
    return f"{name}: {len(latencies)} taps, p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms"


def ratio(heavy: list[float], idle: list[float]) -> str:
    (h50, h99), (i50, i99) = percentiles(heavy), percentiles(idle)
    return f"  heavy / idle: p50 ×{h50 / max(i50, 0.1):.1f}, p99 ×{h99 / max(i99, 0.1):.1f}"


async def in_process(members: int, count: int, limit: float, warm_up: float, folder: Path) -> None:
    fake = FakeTelegram(rate_limit=limit, retry_after=1)
    with FakeBotApiServer(fake) as server:
        app = build_application(
            bench_settings(folder / "bench.sqlite3", fake.token, server.base_url)
        )

        async def deliver(data: dict[str, Any]) -> None:
            fake.take_updates()  # the polling loop's part, done here
            await app.update_queue.put(Update.de_json(data, app.bot))

        await app.initialize()
        try:
            task_id = await seed(app, fake, members)
            await app.start()
            print(f"in process — members: {members}, server limit: {limit:g}/s")
            idle = await taps(fake, deliver, task_id, count, members, 0.1)
            print(summary("idle", idle))
            fan_out = asyncio.create_task(run_job(app, JobName.REPORT_REMINDERS, datetime.now(TZ)))
            await asyncio.sleep(warm_up)  # the fan-out is under way
            during = await taps(fake, deliver, task_id, count, members, 0.05)
            reminded = sum(1 for c in fake.calls_to("sendMessage") if c.ok)
            print(summary(f"during the fan-out ({reminded} sent so far)", during))
            fan_out.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await fan_out
            heavy, sent = await during_heavy(fake, deliver, task_id, count, members, warm_up)
            print(summary(f"during heavy commands ({sent} sent)", heavy))
            print(ratio(heavy, idle))
        finally:
            # as run_polling ends: stop, shutdown (persistence flushed), then the services
            if app.running:
                await app.stop()
            await app.shutdown()
            await close_services(app)


async def as_process(members: int, count: int, limit: float, warm_up: float, folder: Path) -> None:
    fake = FakeTelegram(rate_limit=limit, retry_after=1)
    bot = BotProcess(
        folder,
        fake,
        SECRETARY_IDS=str(SECRETARY.id),
        REPORT_WINDOW_DAYS="31",
        CARD_EDIT_INTERVAL_SECONDS="3",
    )
    try:
        seeding = build_application(
            bench_settings(bot.database, fake.token, "http://127.0.0.1:9/bot")
        )
        try:
            task_id = await seed(seeding, fake, members)
        finally:
            await close_services(seeding)
        bot.start()

        async def deliver(data: dict[str, Any]) -> None:
            """Already on the server: the bot polls for it."""

        print(f"as a process — members: {members}, server limit: {limit:g}/s")
        idle = await taps(fake, deliver, task_id, count, members, 0.1)
        print(summary("idle", idle))
        heavy, sent = await during_heavy(fake, deliver, task_id, count, members, warm_up)
        print(summary(f"during heavy commands ({sent} sent)", heavy))
        print(ratio(heavy, idle))
    finally:
        if bot.proc is not None:
            code = bot.stop()
            if code != 0:
                raise RuntimeError(f"the bot exited with {code}\n{bot.output()}")
        bot.close_server()


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--taps", type=int, default=200)
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--warm-up", type=float, default=2.0, help="seconds before taps start")
    parser.add_argument("--no-process", action="store_true", help="only the in-process runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(in_process(args.members, args.taps, args.limit, args.warm_up, Path(folder)))
    if not args.no_process:
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(as_process(args.members, args.taps, args.limit, args.warm_up, Path(folder)))


if __name__ == "__main__":
    run()
