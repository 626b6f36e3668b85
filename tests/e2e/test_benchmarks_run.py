"""Every benchmark script runs, once, at a tiny size: a change that breaks one fails here.

No figure is judged (the machine may be busy); only that each script ends well and prints.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = sorted(p.stem for p in (REPO / "benchmarks").glob("*.py") if p.stem != "__init__")

# each script's smallest meaningful run ({tmp} is a fresh folder)
TINY: dict[str, list[str]] = {
    "bench_fanout": ["--members", "20"],
    "bench_roster": ["--rows", "50"],
    "bench_join_latency": ["--members", "20", "--taps", "5", "--warm-up", "0.5", "--limit", "1000"],
    "bench_scale": ["--sizes", "50"],
    "bench_task_callbacks": ["--updates", "50", "--members", "10"],
    "seed_community": ["{tmp}/seed.sqlite3", "--members", "50"],
}


def test_every_benchmark_has_a_tiny_size() -> None:
    """A new script says here how to run it small, so it is run too."""
    assert sorted(TINY) == BENCHMARKS


@pytest.mark.parametrize("name", BENCHMARKS)
def test_benchmark_runs_at_a_tiny_size(name: str, tmp_path: Path) -> None:
    """Benchmarks that do not rot (issue 16): the script exits 0, prints, and no traceback."""
    args = [a.replace("{tmp}", str(tmp_path)) for a in TINY.get(name, [])]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{name}", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Traceback" not in output, output
    assert done.stdout.strip(), output
