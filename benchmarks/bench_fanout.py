"""A reminder fan-out to N members against the fake Bot API server enforcing L messages/s.

    python -m benchmarks.bench_fanout [--members 3000] [--limit 30 --limit 200] [--rate R]
                                      [--processes 1]

The fake server runs in this process on 127.0.0.1, as Telegram would run elsewhere, and
answers 429 when a strict sliding one-second window of arrivals would hold more than L
sends; the bot runs as ``python -m bot run-job report-reminders`` in its own process
(``--processes 2`` starts two at once, as a ``run-job`` beside the running bot would), with
its real HTTP client, outbox sender and SQLite file. ``--rate`` is SEND_RATE_PER_SECOND (L
itself when left out). For each L (30 and 200 unless given): messages sent, members reminded
twice, the achieved rate and achieved/limit over the first-to-last delivery span and over
the whole job, the fullest one second of arrivals, 429s received and the bot's peak memory.
CI runs it at a tiny size (``--members 20``) in seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bot.domain.models import MemberType, Profile
from bot.storage import open_storage
from tests.fakes.server import FakeBotApiServer
from tests.fakes.telegram_api import FakeTelegram

FIRST_MEMBER = 100_000


async def seed(database: Path, members: int) -> None:
    """One community of N in-service members, none of whom has reported."""
    storage = await open_storage(str(database))
    try:
        community = await storage.communities.create("社区")
        for n in range(members):
            profile = Profile(f"成员{n}", "单位", MemberType.IN_SERVICE, "")
            await storage.members.enroll(community.id, FIRST_MEMBER + n, profile, None)
    finally:
        await storage.close()


def fullest_second(stamps: list[float]) -> int:
    """The most arrivals in any one second [t, t + 1) (``stamps`` sorted)."""
    return max((bisect.bisect_left(stamps, t + 1.0) - n for n, t in enumerate(stamps)), default=0)


def fan_out(members: int, limit: float, rate: float | None, processes: int, folder: Path) -> None:
    fake = FakeTelegram(rate_limit=limit, retry_after=1)
    fake.started.update(range(FIRST_MEMBER, FIRST_MEMBER + members))
    database = folder / "bench.sqlite3"
    asyncio.run(seed(database, members))
    with FakeBotApiServer(fake) as server:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))},
            "BOT_TOKEN": fake.token,
            "TELEGRAM_BASE_URL": server.base_url,
            "DATABASE_PATH": str(database),
            "REPORT_WINDOW_DAYS": "31",
            "LOG_LEVEL": "WARNING",
            "SEND_RATE_PER_SECOND": str(limit if rate is None else rate),
        }
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_before = before.ru_utime + before.ru_stime
        began = time.monotonic()
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "bot", "run-job", "report-reminders"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(processes)
        ]
        outputs = [run.communicate(timeout=7200)[0].decode().strip() for run in runs]
        elapsed = time.monotonic() - began
    sends = [c for c in fake.calls_to("sendMessage") if c.ok]
    per_member = Counter(c.params["chat_id"] for c in sends)
    stamps = sorted(c.at for c in sends)
    span = max(stamps[-1] - stamps[0], 1e-9)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = children.ru_maxrss / 1024
    cpu = children.ru_utime + children.ru_stime - cpu_before
    shown_rate = rate if rate is not None else limit
    print(f"members: {members}, server limit L: {limit:g}/s, SEND_RATE_PER_SECOND: {shown_rate},"
          f" run-job processes: {processes}")  # fmt: skip
    for n, output in enumerate(outputs, start=1):
        print(f"process {n}: {output.splitlines()[-1] if output else '(no output)'}")
    twice = sum(1 for n in per_member.values() if n > 1)
    print(f"messages sent: {len(sends)}, members reminded: {len(per_member)}, twice: {twice}")
    print(f"first to last delivery: {span:.1f} s, {(len(sends) - 1) / span:.2f}/s,"
          f" achieved/limit {(len(sends) - 1) / span / limit:.3f}")  # fmt: skip
    print(f"whole job (process start to exit): {elapsed:.1f} s, {len(sends) / elapsed:.2f}/s,"
          f" achieved/limit {len(sends) / elapsed / limit:.3f}")  # fmt: skip
    print(f"fullest one second of arrivals: {fullest_second(stamps)} (limit {limit:g})")
    print(f"429s received: {fake.too_many_requests}")
    print(f"bot's CPU time: {cpu:.1f} s, {cpu / max(len(sends), 1) * 1000:.2f} ms a message")
    print(f"bot's peak memory (max RSS): {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=3000)
    parser.add_argument("--limit", type=float, action="append", help="L (again: another run)")
    parser.add_argument("--rate", type=float, default=None, help="SEND_RATE_PER_SECOND (L)")
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    for n, limit in enumerate(args.limit or [30.0, 200.0]):
        if n:
            print()
        with tempfile.TemporaryDirectory() as folder:
            fan_out(args.members, limit, args.rate, args.processes, Path(folder))


if __name__ == "__main__":
    main()
