"""A reminder fan-out to N members against the fake Bot API server enforcing L messages/s.

    python -m benchmarks.bench_fanout [--members 10000] [--limit 30] [--rate R]

The bot runs in this process with its real network layer (HTTP to 127.0.0.1), real SQLite
file, the outbox's sender and the same job code as ``run-job report-reminders``; ``--rate``
is SEND_RATE_PER_SECOND (the setting's default when left out). Prints messages sent, the
achieved rate and achieved/limit over the first-to-last delivery span and over the whole
job, 429s received and peak memory.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import build_application, close_services, open_services
from bot.config import Settings
from bot.domain.models import MemberType, Profile
from bot.domain.schedule import JobName
from bot.jobs.runner import run_job
from tests.fakes.server import FakeBotApiServer
from tests.fakes.telegram_api import FakeTelegram

TZ = ZoneInfo("Asia/Shanghai")


async def fan_out(members: int, limit: float, rate: float | None, folder: Path) -> None:
    fake = FakeTelegram(rate_limit=limit, retry_after=1)
    with FakeBotApiServer(fake) as server:
        pace = {} if rate is None else {"send_rate_per_second": rate}
        settings = Settings(
            _env_file=None,
            bot_token=fake.token,
            telegram_base_url=server.base_url,
            database_path=folder / "bench.sqlite3",
            report_window_days=31,
            run_scheduler=False,
            **pace,
        )
        app = build_application(settings)
        async with app:
            services = await open_services(app)
            storage = services.storage
            community = await storage.communities.create("社区")
            for n in range(members):
                profile = Profile(f"成员{n}", "单位", MemberType.IN_SERVICE, "")
                await storage.members.enroll(community.id, 100_000 + n, profile, None)
                fake.started.add(100_000 + n)
            began = time.monotonic()
            summary = await run_job(app, JobName.REPORT_REMINDERS, datetime.now(TZ))
            elapsed = time.monotonic() - began
            await close_services(app)
    sends = [c.at for c in fake.calls_to("sendMessage") if c.ok]
    span = max(sends) - min(sends)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"members: {members}, server limit L: {limit:g}/s, SEND_RATE_PER_SECOND: "
          f"{settings.send_rate_per_second:g} ({summary})")  # fmt: skip
    print(f"messages sent: {len(sends)}")
    print(
        f"first to last delivery: {span:.1f} s, {(len(sends) - 1) / span:.2f}/s,"
        f" achieved/limit {(len(sends) - 1) / span / limit:.3f}"
    )
    print(
        f"whole job: {elapsed:.1f} s, {len(sends) / elapsed:.2f}/s,"
        f" achieved/limit {len(sends) / elapsed / limit:.3f}"
    )
    print(f"429s received: {fake.too_many_requests}")
    print(f"peak memory (max RSS): {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=None, help="SEND_RATE_PER_SECOND")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(fan_out(args.members, args.limit, args.rate, Path(folder)))


if __name__ == "__main__":
    main()
