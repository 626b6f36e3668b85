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
