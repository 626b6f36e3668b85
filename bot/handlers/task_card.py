"""The task card: how a task looks in a group, and coalesced edits as its roster changes."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from bot.domain.tasks import Roster, Task, TaskStatus
from bot.domain.timeutil import span_text
from bot.i18n import Translator
from bot.services import Services

logger = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def card_text(tr: Translator, task: Task, roster: Roster, services: Services) -> str:
    """Title, category, points, time, place and the roster count."""
    capacity = str(task.capacity) if task.capacity else tr("task.unlimited")
    lines = [
        tr(
            "task.card",
            title=task.title,
            category=task.category,
            points=task.points,
            time=span_text(task.starts_at, task.ends_at, services.settings.tz),
            place=task.place,
            joined=roster.joined,
            capacity=capacity,
        ),
    ]
    if roster.waiting:
        lines.append(tr("task.card_waiting", waiting=roster.waiting))
    if task.status is TaskStatus.CANCELLED:
        lines.append(tr("task.card_cancelled"))
    elif task.status is TaskStatus.CLOSED:
        lines.append(tr("task.card_closed"))
    return "\n".join(lines)


def card_buttons(tr: Translator, task: Task) -> InlineKeyboardMarkup | None:
    """Join, Leave and Check in, while the task is live."""
    if task.status is TaskStatus.CANCELLED:
        return None
    row = [InlineKeyboardButton(tr("task.button_checkin"), callback_data=f"t1:ci:{task.id}")]
    if task.status is TaskStatus.OPEN:
        row[:0] = [
            InlineKeyboardButton(tr("task.button_join"), callback_data=f"t1:join:{task.id}"),
            InlineKeyboardButton(tr("task.button_leave"), callback_data=f"t1:leave:{task.id}"),
        ]
    return InlineKeyboardMarkup([row])


class CardRefresher:
    """Edits a task's cards at most once per interval, however many taps come in.

    A tap marks the task; one background run per task waits ``interval`` seconds, renders
    the roster as it is then and edits each card whose text changed. Taps during a run make
    it go round once more. Telegram allows about 20 edits a minute per group.
    """

    def __init__(self, app: AnyApplication, services: Services, interval: float) -> None:
        self.app = app
        self.services = services
        self.interval = interval
        self._runs: dict[int, asyncio.Task[None]] = {}
        self._dirty: set[int] = set()
        self._shown: dict[tuple[int, int], str] = {}

    def touch(self, task_id: int) -> None:
        """The task's roster or status changed: its cards will be edited soon."""
        if task_id in self._runs:
            self._dirty.add(task_id)
            return
        self._runs[task_id] = asyncio.get_running_loop().create_task(self._run(task_id))

    async def _run(self, task_id: int) -> None:
        try:
            while True:
                await asyncio.sleep(self.interval)
                self._dirty.discard(task_id)
                await self.refresh(task_id)
                if task_id not in self._dirty:
                    return
        except Exception:
            logger.exception("refreshing the cards of task %s failed", task_id)
        finally:
            self._runs.pop(task_id, None)

    async def refresh(self, task_id: int) -> None:
        """Edit every card of the task whose content changed."""
        storage = self.services.storage
        task = await storage.tasks.get(task_id)
        if task is None:
            return
        tr = self.services.translations.get(None)
        text = card_text(tr, task, await storage.signups.roster(task_id), self.services)
        markup = card_buttons(tr, task)
        shown = text + repr(markup.to_dict() if markup else None)
        for chat_id, message_id in await storage.tasks.cards(task_id):
            if self._shown.get((chat_id, message_id)) == shown:
                continue
            try:
                await self.app.bot.edit_message_text(text, chat_id, message_id, reply_markup=markup)
            except BadRequest as exc:
                if "not modified" not in exc.message.lower():
                    logger.warning("card %s in %s not edited: %s", message_id, chat_id, exc)
            except Forbidden:
                logger.info("bot is no longer in group %s", chat_id)
                await storage.groups.deactivate(chat_id)
            except TelegramError as exc:
                logger.warning("card %s in %s not edited now: %s", message_id, chat_id, exc)
                self._dirty.add(task_id)  # try again on the next round
                continue
            self._shown[(chat_id, message_id)] = shown

    async def drain(self) -> None:
        """Finish pending edits (before shutting down, and in tests)."""
        while self._runs:
            await asyncio.gather(*list(self._runs.values()), return_exceptions=True)


CARDS_KEY = "task_cards"


def card_refresher(app: AnyApplication) -> CardRefresher:
    """The application's card refresher (made in ``post_init``)."""
    found: CardRefresher = app.bot_data[CARDS_KEY]
    return found
