"""Runs ``python -m bot run`` as a process against the fake Bot API server."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.fakes.server import FakeBotApiServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import Updates

REPO = Path(__file__).resolve().parents[2]


class BotProcess:
    """The bot as users meet it: a process talking HTTP to a Telegram-like server."""

    def __init__(self, tmp: Path, fake: FakeTelegram, **env: str) -> None:
        self.fake = fake
        self.updates = Updates(fake)
        self.server = FakeBotApiServer(fake)
        self.database = tmp / "bot.sqlite3"
        self.log = tmp / "bot.log"
        self.env = {**env}
        self.proc: subprocess.Popen[bytes] | None = None
        self._serving = False

    def environment(self) -> dict[str, str]:
        """The bot's environment: the fake server, a temporary database, nothing inherited."""
        if not self._serving:
            self.server.__enter__()
            self._serving = True
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
        env.update(
            {
                "BOT_TOKEN": self.fake.token,
                "TELEGRAM_BASE_URL": self.server.base_url,
                "DATABASE_PATH": str(self.database),
                "PYTHONUNBUFFERED": "1",
                "RUN_SCHEDULER": "false",
                **self.env,
            }
        )
        return env

    def cli(self, *args: str) -> subprocess.Popen[bytes]:
        """Another command of the CLI (``run-job`` …) against the same server and database."""
        return subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=self.database.parent,
            env=self.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def start(self) -> BotProcess:
        env = self.environment()
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=self.database.parent,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        # ready once it polls for updates
        ready = ("deleteWebhook", "setWebhook")
        self.wait(lambda: any(self.fake.calls_to(m) for m in ready) or self._died(), 30)
        assert not self._died(), self.output()
        return self

    def _died(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def wait(self, predicate: Any, timeout: float = 15.0) -> None:
        try:
            self.fake.wait_for(lambda: predicate() or self._died(), timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n--- bot log ---\n{self.output()}") from None
        assert not self._died(), f"the bot exited\n{self.output()}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, keep_server: bool = False) -> int:
        """SIGINT, as Ctrl-C would; the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not keep_server:
            self.close_server()
        return self.proc.returncode

    def close_server(self) -> None:
        if self._serving:
            self.server.__exit__()
            self._serving = False

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Read the bot's database as an operator would."""
        with sqlite3.connect(self.database) as conn:
            return conn.execute(sql, params).fetchall()
