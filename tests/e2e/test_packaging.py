"""The wheel: built, installed away from the source tree, it runs a job from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.botprocess import REPO, BotProcess
from tests.fakes.telegram_api import FakeTelegram

PIP = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]


def _built_and_installed(tmp: Path) -> Path:
    wheels, site = tmp / "wheels", tmp / "site"
    subprocess.run(
        [*PIP, "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-w", str(wheels)],
        check=True,
        cwd=tmp,
        timeout=300,
    )
    [wheel] = wheels.glob("*.whl")
    subprocess.run(
        [*PIP, "install", "--no-deps", "--target", str(site), str(wheel)],
        check=True,
        cwd=tmp,
        timeout=300,
    )
    return site


def test_wheel_runs_a_job_from_another_directory(tmp_path: Path) -> None:
    site = _built_and_installed(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fake = FakeTelegram()
    bot = BotProcess(elsewhere, fake, SECRETARY_IDS="1001")
    env = {**bot.environment(), "PYTHONPATH": str(site)}
    try:
        where = subprocess.run(
            [sys.executable, "-c", "import bot; print(bot.__file__)"],
            env=env,
            cwd=elsewhere,
            capture_output=True,
            text=True,
            check=True,
        )
        assert where.stdout.strip().startswith(str(site))  # not the source tree
        job = subprocess.run(
            [sys.executable, "-m", "bot", "run-job", "weekly-summary"],
            env=env,
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert job.returncode == 0, job.stderr
        assert "week" in job.stdout
        # the migrations and the catalogs came from the wheel
        assert bot.query("SELECT name FROM communities") == [("我的社区",)]
        no_token = {k: v for k, v in env.items() if k != "BOT_TOKEN"}
        refused = subprocess.run(
            [sys.executable, "-m", "bot", "run"],
            env=no_token,
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert refused.returncode == 2
        assert refused.stderr.strip() == (
            "error: BOT_TOKEN is required (set it in the environment or in .env)"
        )
    finally:
        bot.close_server()
    assert sorted(os.listdir(site / "bot" / "locales")) == [
        "en",
        "languages.json",
        "zh_CN",
        "zh_TW",
    ]
