"""Use cases on a real storage and the real catalogs, with a clock that stands still."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from telegram.ext import ExtBot

from bot.clock import FixedClock
from bot.config import Settings
from bot.i18n import Translations
from bot.outbox.sender import OutboxSender
from bot.services import Services
from bot.storage import open_storage
from bot.storage.outbox import Pacing
from tests.harness import make_settings

# a Wednesday in December, outside the report window (the last seven days)
NOW = datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def _render_nothing(task_id: int, chat_id: int) -> None:
    return None


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def services(tmp_path: Path, clock: FixedClock) -> AsyncIterator[Services]:
    """Services as the app builds them; the outbox's sender is never started, so what the
    use cases send stays in the outbox to be asserted on."""
    settings: Settings = make_settings(tmp_path / "u.sqlite3", "123456:" + "A" * 35)
    storage = await open_storage(str(settings.database_path))
    sender = OutboxSender(ExtBot(settings.bot_token), storage, Pacing(30, 0, 0), _render_nothing)
    built = Services(settings, storage, Translations(settings.default_locale), sender, clock)
    try:
        yield built
    finally:
        await storage.close()
