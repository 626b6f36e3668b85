"""How the bot's heavy work grows with the community: month close, year close, /export,
/stats and /members on seeded communities of 2,000, 10,000 and 100,000 members.

    python -m benchmarks.bench_scale [--sizes 2000 10000 100000]

Each size is seeded (``benchmarks.seed_community``) and then measured in a fresh process: the
real Application with the fake Bot API as its network layer (answers at once, so the times
are the bot's own work: queries, rendering the sheet and the charts, writing the outbox),
and that process's peak memory (its own, and its rendering workers'). "To the outbox" is the
job's own work, until its messages are written; the rest is the sending (to the fake server,
pacing included). Ratios are to the first size, measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 22)
SEED = [sys.executable, "-m", "benchmarks.seed_community"]


async def measure(database: Path) -> dict[str, float]:
    """Seconds for each step on the seeded database, and peak memory in MiB."""
    from bot import rendering
    from bot.clock import FixedClock
    from bot.domain.schedule import JobName
    from bot.jobs.runner import run_job
    from bot.usecases import month_close, units, year_close
    from tests.fakes.telegram_api import FakeTelegram
    from tests.harness import SECRETARY, BotHarness, make_settings

    fake = FakeTelegram()
    clock = FixedClock(datetime(2026, 11, 22, 10, tzinfo=TZ))
    harness = BotHarness(make_settings(database, fake.token), fake, clock=clock)
    await harness.start()
    figures: dict[str, float] = {}
    try:
        for group in await harness.storage.db.fetchall("SELECT chat_id FROM group_chats"):
            fake.add_group(group[0], "志愿者群")
        await harness.send(SECRETARY, "/start")
        jobs = {
            "month close": (JobName.MONTH_CLOSE, datetime(2026, 12, 1, 9, tzinfo=TZ)),
            "year close": (JobName.YEAR_CLOSE, datetime(2027, 1, 1, 9, tzinfo=TZ)),
            "unit feedback": (JobName.UNIT_FEEDBACK, datetime(2027, 1, 1, 9, tzinfo=TZ)),
        }
        planned: list[float] = []
        for module in (month_close, year_close, units):  # note when the messages are in the outbox
            real = module.deliver

            async def noted(*args: Any, real: Any = real) -> Any:
                planned.append(time.perf_counter())
                return await real(*args)

            module.deliver = noted  # type: ignore[attr-defined]
        for label, (name, moment) in jobs.items():
            started = time.perf_counter()
            await run_job(harness.app, name, moment)
            figures[label] = time.perf_counter() - started
            figures[f"{label}, to the outbox"] = planned[-1] - started
        for command in ("/export", "/stats", "/members", "/units"):
            clock.move(timedelta(seconds=11))  # past the per-user cooldown of heavy commands
            started = time.perf_counter()
            await harness.send(SECRETARY, command)
            figures[command] = time.perf_counter() - started
        refused = [c for c in fake.calls if not c.ok and c.status != 403]
        figures["refused calls"] = len(refused)
    finally:
        await harness.stop()
    rendering.close()  # its workers' peak memory is counted once they have exited
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures["peak MiB (bot)"] = own
    figures["peak MiB (a rendering worker)"] = workers
    return figures


def run(sizes: list[int]) -> None:
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            database = Path(folder) / f"community-{size}.sqlite3"
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 (our own seeding script)
                [*SEED, str(database), "--members", str(size), "--today", TODAY.isoformat()],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            seeded = time.perf_counter() - started
            measured = subprocess.run(  # noqa: S603 (this very script)
                [sys.executable, "-m", "benchmarks.bench_scale", "--measure", str(database)],
                check=True,
                capture_output=True,
                text=True,
            )
            results[size] = json.loads(measured.stdout.strip().splitlines()[-1])
            print(f"{size:>7} members: seeded in {seeded:.1f} s", flush=True)
    base = sizes[0]
    steps = list(results[base])
    header = f"{'':<30}" + "".join(f"{size:>12}" for size in sizes)
    print(header + (f"{'ratio to ' + str(base):>24}" if len(sizes) > 1 else ""))
    for step in steps:
        cells = "".join(f"{results[size][step]:>12.3f}" for size in sizes)
        ratios = " ".join(
            f"{results[size][step] / results[base][step]:.1f}x" if results[base][step] else "-"
            for size in sizes[1:]
        )
        print(f"{step:<30}{cells}    {ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10_000, 100_000])
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure(args.measure))))
    else:
        run(args.sizes)


if __name__ == "__main__":
    main()
