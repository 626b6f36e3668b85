"""What every handler and job needs, built once in ``post_init``: settings, storage, texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram.ext import Application

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.i18n import Translations
from bot.outbox.sender import OutboxSender
from bot.storage import Storage

SERVICES_KEY = "services"


@dataclass(frozen=True)
class Services:
    """The process-wide resources, kept in ``application.bot_data``."""

    settings: Settings
    storage: Storage
    translations: Translations
    sender: OutboxSender
    clock: Clock = field(default_factory=SystemClock)

    def now(self) -> datetime:
        """The current time in the configured timezone."""
        return self.clock.now().astimezone(self.settings.tz)


def app_services(app: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """The services of ``app`` (for jobs and start-up code)."""
    found: Services = app.bot_data[SERVICES_KEY]
    return found
