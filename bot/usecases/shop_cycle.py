"""The quarterly redemption window opens: an announcement in every bound group."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.domain.schedule import JobName, period_for
from bot.domain.shop import redemption_window
from bot.i18n import N_, Translator
from bot.outbox.delivery import deliver
from bot.services import app_services
from bot.usecases.audiences import AnyApplication, command_button, to_groups
from bot.views.times import days_text


async def redemption_window_open(app: AnyApplication, at: datetime) -> str:
    """Announce 一季一兑换 when ``at`` is inside the quarter's redemption window."""
    services = app_services(app)
    tz = services.settings.tz
    day = at.astimezone(tz).date()
    window = redemption_window(day, services.settings.redemption_window_days)
    if not window.contains(day):
        return f"outside the redemption window ({window.first_day}–{window.last_day})"

    def compose(tr: Translator) -> tuple[str, InlineKeyboardMarkup]:
        days = days_text(tr, window.first_day, window.last_day)
        button = command_button(app, tr, N_("shop.button_rewards"), "rewards")
        return tr("shop.window_open", days=days), button

    messages = []
    for community in await services.storage.communities.list_all():
        messages += await to_groups(services, community.id, compose)
    name = JobName.REDEMPTION_WINDOW_OPEN
    result = await deliver(app, name, period_for(name, at, tz), messages)
    return f"announced in {result.sent} group(s), {result.already} already"
