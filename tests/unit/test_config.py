"""Settings: names, defaults, parsing, and the one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings, describe_settings_error

TOKEN = "42:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


def test_defaults_and_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SECRETARY_IDS", "1001, 1002,")
    settings = Settings(_env_file=None)
    assert settings.secretary_ids == (1001, 1002)
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.timezone == "Asia/Shanghai" and settings.report_window_days == 7
    assert settings.default_locale == "zh_CN"
    assert settings.community_name == "我的社区"
    assert settings.telegram_base_url == "https://api.telegram.org/bot"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "error: BOT_TOKEN is required (set it in the environment or in .env)"),
        ({"BOT_TOKEN": ""}, "error: BOT_TOKEN is required (set it in the environment or in .env)"),
        ({"BOT_TOKEN": TOKEN, "TIMEZONE": "Mars/Base"}, "error: TIMEZONE is invalid"),
        ({"BOT_TOKEN": TOKEN, "REPORT_WINDOW_DAYS": "40"}, "error: REPORT_WINDOW_DAYS is invalid"),
        ({"BOT_TOKEN": TOKEN, "DEFAULT_LOCALE": "fr"}, "error: DEFAULT_LOCALE is invalid"),
        ({"BOT_TOKEN": TOKEN, "SECRETARY_IDS": "abc"}, "error: SECRETARY_IDS is invalid"),
        ({"BOT_TOKEN": "123:abc"}, "error: BOT_TOKEN is invalid"),
        ({"BOT_TOKEN": "my bot token"}, "error: BOT_TOKEN is invalid"),
        ({"BOT_TOKEN": TOKEN, "COMMUNITY_NAME": "x" * 65}, "error: COMMUNITY_NAME is invalid"),
    ],
)
def test_bad_settings_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name in (
        "BOT_TOKEN",
        "TIMEZONE",
        "REPORT_WINDOW_DAYS",
        "DEFAULT_LOCALE",
        "SECRETARY_IDS",
        "COMMUNITY_NAME",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    line = describe_settings_error(caught.value)
    assert line.startswith(message) and "\n" not in line


@pytest.mark.parametrize(
    "token",
    [
        "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",  # Telegram's own example: 34 characters
        "42:" + "a" * 30,
        "7000000001:" + "A_b-9" * 10,
    ],
)
def test_16_28_any_token_of_the_right_shape_is_accepted(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    """16.28: the shape is checked, not a length Telegram never documented; getMe judges."""
    monkeypatch.setenv("BOT_TOKEN", token)
    assert Settings(_env_file=None).bot_token == token


@pytest.mark.parametrize("token", ["42:" + "a" * 29, "abc:" + "a" * 35, "42:" + "a" * 34 + "!"])
def test_16_28_wrong_shapes_refused(monkeypatch: pytest.MonkeyPatch, token: str) -> None:
    monkeypatch.setenv("BOT_TOKEN", token)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    assert describe_settings_error(caught.value).startswith("error: BOT_TOKEN is invalid: not a")


def test_16_28_quick_start_placeholder_says_replace_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """16.28: the README's quick-start value is named as the placeholder to replace."""
    monkeypatch.setenv("BOT_TOKEN", "123456:your-token-from-BotFather")
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    line = describe_settings_error(caught.value)
    assert "placeholder" in line and "@BotFather" in line and "\n" not in line, line


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://bot.example.org/bots/community/hook", True),
        ("http://bot.example.org/hook", False),
        ("http://127.0.0.1:8443/hook", True),
        ("http://localhost/hook", True),
        ("http://[::1]:8443/hook", True),
        ("ftp://bot.example.org/hook", False),
        ("bot.example.org/hook", False),
    ],
)
def test_16_24_webhook_url_must_be_https(
    monkeypatch: pytest.MonkeyPatch, url: str, accepted: bool
) -> None:
    """16.24: Telegram delivers webhooks over HTTPS only; plain HTTP only on a loopback."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("WEBHOOK_URL", url)
    if accepted:
        assert Settings(_env_file=None).webhook_url == url
        return
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    line = describe_settings_error(caught.value)
    assert line.startswith("error: WEBHOOK_URL is invalid: must be an https:// URL"), line
    assert "\n" not in line
