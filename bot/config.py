"""Settings, read from the environment and ``.env``; the only reader of the environment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.languages import locales

SUPPORTED_LOCALES = locales()  # bot/locales/languages.json
# Telegram documents no length: the shape only (its own example token has 34 after the colon);
# getMe at start-up is the judge
TOKEN_SHAPE = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{30,}")
TOKEN_PLACEHOLDER = "123456:your-token-from-BotFather"  # noqa: S105 - the README's quick start
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
COMMUNITY_NAME_LIMIT = 64


class Settings(BaseSettings):
    """Everything the bot is configured with (DESIGN.md section 3)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: str = Field(min_length=1)
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    database_path: Path = Path("data/bot.sqlite3")
    timezone: str = "Asia/Shanghai"
    default_locale: str = "zh_CN"
    secretary_ids: Annotated[tuple[int, ...], NoDecode] = ()
    community_name: str = Field(default="我的社区", min_length=1, max_length=COMMUNITY_NAME_LIMIT)
    report_window_days: int = Field(default=7, ge=1, le=31)
    checkin_opens_minutes: int = Field(default=30, ge=0, le=24 * 60)
    checkin_closes_minutes: int = Field(default=120, ge=0, le=7 * 24 * 60)
    auto_approve_checkins: bool = False
    card_edit_interval_seconds: float = Field(default=3.0, ge=0, le=60)
    redemption_window_days: int = Field(default=14, ge=1, le=92)
    objection_days: int = Field(default=3, ge=1, le=31)
    wish_points: int = Field(default=5, ge=1, le=100)
    run_scheduler: bool = True
    send_rate_per_second: float = Field(default=30.0, gt=0, le=1000)
    send_private_interval_seconds: float = Field(default=1.0, ge=0, le=60)
    send_group_interval_seconds: float = Field(default=3.0, ge=0, le=60)
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: str = Field(default="", max_length=256, pattern=r"^[A-Za-z0-9_-]*$")
    log_level: str = "INFO"

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: str) -> str:
        value = value.strip()
        if value == TOKEN_PLACEHOLDER or "your-token" in value.lower():
            raise ValueError(
                f"{value} is the placeholder from the quick start: replace it with the token "
                "@BotFather gave you"
            )
        if value and not TOKEN_SHAPE.fullmatch(value):
            raise ValueError(
                "not a bot token (<digits>:<30 or more of A-Z a-z 0-9 _ ->, as @BotFather gives it)"
            )
        return value

    @field_validator("webhook_url")
    @classmethod
    def _https_webhook(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value
        parts = urlsplit(value)
        loopback = parts.hostname in LOOPBACK_HOSTS
        if not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and loopback)
        ):
            raise ValueError(
                "must be an https:// URL: Telegram delivers webhooks over HTTPS only "
                "(http:// only for 127.0.0.1, localhost or ::1, for local tests)"
            )
        return value

    @field_validator("community_name")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        return value.strip() or "我的社区"

    @field_validator("secretary_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",")]
            return tuple(int(p) for p in parts if p)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("default_locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)


def describe_settings_error(error: ValidationError) -> str:
    """One line naming the first bad variable, for the command line."""
    first = error.errors()[0]
    name = str(first["loc"][0]).upper() if first["loc"] else "settings"
    if first["type"] == "missing" or (first["type"] == "string_too_short" and not first["input"]):
        return f"error: {name} is required (set it in the environment or in .env)"
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"error: {name} is invalid: {message}"
