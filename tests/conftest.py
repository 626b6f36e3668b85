"""Fixtures: the fake Bot API, settings on a temporary database, the running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import BotHarness, make_settings


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram()
    yield server
    # button labels are plain text: an HTML-escaped title there reads "&amp;" (16.26)
    assert not server.escaped_labels, f"labels with HTML entities: {server.escaped_labels}"


@pytest.fixture
def settings(tmp_path: Path, fake: FakeTelegram) -> Settings:
    return make_settings(tmp_path / "bot.sqlite3", fake.token)


@pytest.fixture
async def bot(settings: Settings, fake: FakeTelegram) -> AsyncIterator[BotHarness]:
    harness = BotHarness(settings, fake)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
