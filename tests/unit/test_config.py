"""Settings: names, defaults, parsing, and the one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings, describe_settings_error


def test_defaults_and_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "1:x")
    monkeypatch.setenv("SECRETARY_IDS", "1001, 1002,")
    settings = Settings(_env_file=None)
    assert settings.secretary_ids == (1001, 1002)
    assert settings.database_path == Path("data/bot.sqlite3")
    assert settings.timezone == "Asia/Shanghai" and settings.report_window_days == 7
    assert settings.default_locale == "zh_CN"
    assert settings.telegram_base_url == "https://api.telegram.org/bot"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "error: BOT_TOKEN is required (set it in the environment or in .env)"),
        ({"BOT_TOKEN": ""}, "error: BOT_TOKEN is required (set it in the environment or in .env)"),
        ({"BOT_TOKEN": "1:x", "TIMEZONE": "Mars/Base"}, "error: TIMEZONE is invalid"),
        ({"BOT_TOKEN": "1:x", "REPORT_WINDOW_DAYS": "40"}, "error: REPORT_WINDOW_DAYS is invalid"),
        ({"BOT_TOKEN": "1:x", "DEFAULT_LOCALE": "fr"}, "error: DEFAULT_LOCALE is invalid"),
        ({"BOT_TOKEN": "1:x", "SECRETARY_IDS": "abc"}, "error: SECRETARY_IDS is invalid"),
    ],
)
def test_bad_settings_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name in ("BOT_TOKEN", "TIMEZONE", "REPORT_WINDOW_DAYS", "DEFAULT_LOCALE", "SECRETARY_IDS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    line = describe_settings_error(caught.value)
    assert line.startswith(message) and "\n" not in line
