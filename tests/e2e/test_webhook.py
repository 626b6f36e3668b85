"""Webhook mode: Telegram posts updates to the bot's own HTTP server, with a secret token."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.e2e.botprocess import BotProcess
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.updates import TgUser

USER = TgUser(5001, "张三")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, timeout: float = 15.0) -> None:
    """The webhook server starts only after setWebhook returns."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def post(url: str, update: dict[str, object], secret: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(update).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_webhook_mode_answers_updates(tmp_path: Path) -> None:
    port = free_port()
    fake = FakeTelegram()
    bot = BotProcess(
        tmp_path,
        fake,
        WEBHOOK_URL="https://bot.example.org/tg-hook",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET="s3cret",
    )
    bot.start()
    try:
        call = fake.calls_to("setWebhook")[-1]
        assert call.params["url"] == "https://bot.example.org/tg-hook"
        assert call.params["secret_token"] == "s3cret"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": USER.private_chat(),
                "from": USER.as_dict(),
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        fake.started.add(USER.id)
        wait_listening(port)
        url = f"http://127.0.0.1:{port}/tg-hook"
        assert post(url, update, "wrong") == 403
        assert post(url, update, "s3cret") == 200
        bot.wait(lambda: bool(fake.texts_to(USER.id)))
        assert "可用命令" in fake.texts_to(USER.id)[0]
    finally:
        assert bot.stop() == 0, bot.output()


def test_16_14_webhook_serves_the_whole_path_of_the_url(tmp_path: Path) -> None:
    """16.14: a WEBHOOK_URL with several path segments is served at its whole path."""
    port = free_port()
    fake = FakeTelegram()
    bot = BotProcess(
        tmp_path,
        fake,
        WEBHOOK_URL="https://example.org/bots/community/hook",
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET="s3cret",
    )
    bot.start()
    try:
        update = {
            "update_id": 7,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": USER.private_chat(),
                "from": USER.as_dict(),
                "text": "/help",
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        fake.started.add(USER.id)
        wait_listening(port)
        assert post(f"http://127.0.0.1:{port}/hook", update, "s3cret") == 404
        assert post(f"http://127.0.0.1:{port}/bots/community/hook", update, "s3cret") == 200
        bot.wait(lambda: bool(fake.texts_to(USER.id)))
        assert "可用命令" in fake.texts_to(USER.id)[0]
    finally:
        assert bot.stop() == 0, bot.output()
