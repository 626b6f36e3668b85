"""Builds the Application: network, rate limiter, handlers in order, start-up and shut-down."""

from __future__ import annotations

import logging
import warnings
from datetime import UTC, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, Defaults
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.handlers import (
    categories,
    community,
    cycle_admin,
    enroll,
    errors,
    fallback,
    groups,
    language,
    members,
    newtask,
    notices,
    objections,
    phone,
    points,
    privacy,
    questions,
    report,
    review,
    roster,
    secretaries,
    shop,
    start,
    stats,
    task_actions,
    task_lists,
    task_manage,
    task_record,
    units,
    wish_steps,
    wishes,
)
from bot.handlers.common import BotContext
from bot.i18n import Translations
from bot.jobs.runner import schedule_jobs
from bot.outbox.limiter import RetryAfterLimiter
from bot.outbox.sender import OutboxSender, outbox_rate
from bot.persistence import DatabasePersistence
from bot.services import SERVICES_KEY, Services, app_services
from bot.storage import open_storage
from bot.storage.outbox import Pacing
from bot.update_order import PerChatUpdateProcessor
from bot.usecases.communities import prepare_first_run
from bot.usecases.no_shows import settle_finished_tasks
from bot.views.menus import publish_command_menus
from bot.views.task_card import render_card
from bot.views.wish_card import render_wish_card

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

SETTLE_EVERY = 5 * 60
SENT_KEPT = timedelta(days=7)


# Our conversations mix messages and buttons and are tracked per user and chat, on purpose.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Clock | None = None,
) -> AnyApplication:
    """The bot, configured; ``request`` replaces the network layer and ``clock`` the time
    (tests do this)."""
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
        .rate_limiter(RetryAfterLimiter(settings.send_rate_per_second))
        .concurrent_updates(PerChatUpdateProcessor())
        .context_types(ContextTypes(context=BotContext))
        .persistence(DatabasePersistence(settings.database_path))
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    app = builder.build()
    app.bot_data["settings"] = settings
    app.bot_data["clock"] = clock or SystemClock()
    app.bot_data["translations"] = Translations(settings.default_locale)
    register_handlers(app)
    return app


def register_handlers(app: AnyApplication) -> None:
    """Every handler, in the order that matters (first match in a group wins)."""
    translations: Translations = app.bot_data["translations"]
    errors.register(app)  # replay guard in group -2, error handler
    secretaries.register(app)  # a secretary's menu on first contact, in group -1
    # conversations first: while one is active, its steps take the user's messages
    enroll.register(app)  # takes /start c_… and /start enroll
    newtask.register(app)
    objections.register(app)
    phone.register(app, phone.skip_phone_labels(translations.all()))
    task_actions.register(app)  # takes /start ci_… (QR check-in)
    report.register(app)  # takes /start report
    units.register(app)  # takes /start u_… (a liaison's invitation)
    start.register(app)  # the plain /start, after every /start with a payload
    task_record.register(app)  # before task_manage: takes its 签到表 button
    task_manage.register(app)
    task_lists.register(app)
    review.register(app)
    points.register(app)
    categories.register(app)
    cycle_admin.register(app)
    shop.register(app)
    wish_steps.register(app)  # before wishes: Done starts the proof step
    wishes.register(app)
    stats.register(app)
    community.register(app)
    groups.register(app)
    members.register(app)
    roster.register(app)
    language.register(app)
    privacy.register(app)
    notices.register(app)
    questions.register(app)  # /ask and the Reply buttons, before the fallback
    # last: a message nobody above took gets a pointer (private) or silence (groups), and
    # any callback nobody above took is stale or forged
    fallback.register(app)
    errors.register_stale_buttons(app)


async def open_services(app: AnyApplication) -> Services:
    """Open the database, start the outbox's sender; the services every handler and job uses."""
    settings: Settings = app.bot_data["settings"]
    # PTB's persistence opened the database in initialize(): one connection for everything
    persistence = app.persistence
    if isinstance(persistence, DatabasePersistence):
        storage = await persistence.opened()
    else:
        storage = await open_storage(str(settings.database_path))
    pacing = Pacing(
        outbox_rate(settings.send_rate_per_second),
        private_gap=settings.send_private_interval_seconds,
        group_gap=settings.send_group_interval_seconds,
        limit=settings.send_rate_per_second,
    )

    async def render(task_id: int, chat_id: int) -> tuple[str, InlineKeyboardMarkup | None] | None:
        return await render_card(services, task_id, chat_id)

    async def render_wish(
        wish_id: int, chat_id: int
    ) -> tuple[str, InlineKeyboardMarkup | None] | None:
        return await render_wish_card(services, wish_id, chat_id)

    sender = OutboxSender(app.bot, storage, pacing, render, render_wish_card=render_wish)
    services = Services(
        settings, storage, app.bot_data["translations"], sender, app.bot_data["clock"]
    )
    storage.outbox.on_added = sender.wake
    sender.start()
    app.bot_data[SERVICES_KEY] = services
    return services


async def close_services(app: AnyApplication) -> None:
    """Stop the sender (sends in flight end, claimed rows go back) and close the database."""
    if SERVICES_KEY in app.bot_data:
        services = app_services(app)
        await services.sender.stop()
        await services.storage.close()
        del app.bot_data[SERVICES_KEY]
    if isinstance(app.persistence, DatabasePersistence):
        app.persistence.storage = None  # closed with the services; a restart opens it again


async def post_init(app: AnyApplication) -> None:
    """Open the database, make sure of the default community and the secretaries, publish
    the command menus, schedule the jobs."""
    services = await open_services(app)
    settings = services.settings
    revoked = await prepare_first_run(services)
    await services.storage.updates.prune()
    await publish_command_menus(app, revoked)
    if app.job_queue is not None and settings.run_scheduler:
        app.job_queue.run_repeating(
            _settle_job, interval=SETTLE_EVERY, first=5, name="settle-tasks"
        )
        schedule_jobs(app)
    logger.info("bot @%s ready", app.bot.username)


async def _settle_job(context: Any) -> None:
    """Housekeeping every few minutes: mark no-shows, forget old update ids, and drop the
    texts and files of messages sent over a week ago (their keys stay)."""
    services = app_services(context.application)
    now = services.now()
    await settle_finished_tasks(context.application, now)
    await services.storage.updates.prune()
    week_ago = (now - SENT_KEPT).astimezone(UTC).isoformat(timespec="seconds")
    await services.storage.outbox.forget_content(week_ago)


async def post_stop(app: AnyApplication) -> None:
    """Stop sending while the bot can still talk to Telegram; what is left waits in the outbox."""
    if SERVICES_KEY in app.bot_data:
        await app_services(app).sender.stop()


async def post_shutdown(app: AnyApplication) -> None:
    """Close the database (its thread would keep the process alive)."""
    await close_services(app)


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
