"""Builds the Application: network, rate limiter, handlers in order, start-up and shut-down."""

from __future__ import annotations

import logging
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, Defaults
from telegram.request import BaseRequest

from bot.config import Settings
from bot.handlers import (
    community,
    enroll,
    errors,
    groups,
    language,
    members,
    phone,
    privacy,
    start,
)
from bot.handlers.menus import publish_command_menus
from bot.i18n import Translations
from bot.services import SERVICES_KEY, Services, app_services
from bot.storage import open_storage

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# Telegram allows about 30 messages a second overall. AIORateLimiter starts with a full
# bucket (PTB#3772), so it is given one request per 1/30 s instead of 30 per second.
OVERALL_RATE = 30


def rate_limiter() -> AIORateLimiter:
    """Paced sends: no burst in the first second, 20 a minute per group, retries on 429."""
    return AIORateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / OVERALL_RATE,
        group_max_rate=20,
        group_time_period=60,
        max_retries=3,
    )


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> AnyApplication:
    """The bot, configured; ``request`` replaces the network layer (tests do this)."""
    builder = (
        Application.builder()
        .token(settings.bot_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.tz,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(rate_limiter())
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    app = builder.build()
    app.bot_data["settings"] = settings
    app.bot_data["translations"] = Translations(settings.default_locale)
    register_handlers(app)
    return app


def register_handlers(app: AnyApplication) -> None:
    """Every handler, in the order that matters (first match in a group wins)."""
    translations: Translations = app.bot_data["translations"]
    errors.register(app)  # replay guard in group -1, error handler
    # the enrollment conversation must see /start c_… before the plain /start
    enroll.register(app)
    phone.register(app, phone.skip_phone_labels(translations.all()))
    start.register(app)
    community.register(app)
    groups.register(app)
    members.register(app)
    language.register(app)
    privacy.register(app)
    # last: any callback nobody above took is stale or forged
    errors.register_stale_buttons(app)


async def post_init(app: AnyApplication) -> None:
    """Open the database, seed secretaries from the settings, publish command menus."""
    settings: Settings = app.bot_data["settings"]
    storage = await open_storage(str(settings.database_path))
    app.bot_data[SERVICES_KEY] = Services(settings, storage, app.bot_data["translations"])
    await storage.secretaries.ensure(settings.secretary_ids)
    await storage.updates.prune()
    await publish_command_menus(app)
    logger.info("bot @%s ready", app.bot.username)


async def post_shutdown(app: AnyApplication) -> None:
    """Close the database (its thread would keep the process alive)."""
    if SERVICES_KEY in app.bot_data:
        await app_services(app).storage.close()
        del app.bot_data[SERVICES_KEY]


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
