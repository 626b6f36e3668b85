"""The real Application, with the fake Bot API as its network layer, driven update by update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import AnyApplication, build_application
from bot.clock import Clock
from bot.config import Settings
from bot.handlers.common import heavy_work_done
from bot.services import Services, app_services
from bot.storage import Storage
from tests.fakes.telegram_api import FakeRequest, FakeTelegram
from tests.fakes.updates import TgUser, Updates, button_data

SECRETARY = TgUser(1001, "王书记")
ALICE = TgUser(2001, "张三")
BOB = TgUser(2002, "Bob", "Smith", language_code="en")
CAROL = TgUser(2003, "李四")
GROUP_ID = -1001234567890


def make_settings(database_path: Path, token: str, **overrides: Any) -> Settings:
    """Settings for a test, never read from a developer's ``.env``."""
    values: dict[str, Any] = {
        "bot_token": token,
        "database_path": database_path,
        "secretary_ids": (SECRETARY.id,),
        "card_edit_interval_seconds": 0.01,
        "run_scheduler": False,
        # the outbox paces as in production only where a test asks for it
        "send_rate_per_second": 1000,
        "send_private_interval_seconds": 0,
        "send_group_interval_seconds": 0,
        **overrides,
    }
    return Settings(_env_file=None, **values)


class BotHarness:
    """Feeds updates through ``Application.process_update`` and exposes what happened."""

    def __init__(self, settings: Settings, fake: FakeTelegram, clock: Clock | None = None) -> None:
        self.fake = fake
        self.updates = Updates(fake)
        self.app: AnyApplication = build_application(
            settings,
            request=FakeRequest(fake),
            get_updates_request=FakeRequest(fake),
            clock=clock,
        )

    @property
    def services(self) -> Services:
        return app_services(self.app)

    @property
    def storage(self) -> Storage:
        return self.services.storage

    async def start(self) -> None:
        await self.app.initialize()
        assert self.app.post_init is not None
        await self.app.post_init(self.app)
        await self.app.start()  # the JobQueue runs, as in production; updates come from us

    async def stop(self) -> None:
        """As ``run_polling`` ends: stop, post_stop, shutdown, post_shutdown."""
        await self.app.stop()
        assert self.app.post_stop is not None and self.app.post_shutdown is not None
        await self.app.post_stop(self.app)
        await self.app.shutdown()
        await self.app.post_shutdown(self.app)

    async def deliver(self) -> None:
        """Process every queued update, in order, as the polling loop would; then let the
        outbox send what is due (card edits waiting to coalesce stay waiting)."""
        for data in self.fake.take_updates():
            await self.app.process_update(Update.de_json(data, self.app.bot))
            await heavy_work_done(self.app)  # as the user waits for the chart or the file
        await self.services.sender.drain(due_only=True)

    async def flush(self) -> None:
        """Send everything in the outbox, card edits included."""
        await self.services.sender.drain()

    async def send(self, user: TgUser, text: str, chat: dict[str, Any] | None = None) -> None:
        self.updates.message(user, text, chat)
        await self.deliver()

    async def press(self, user: TgUser, message: dict[str, Any], data: str) -> dict[str, Any]:
        update = self.updates.press(user, message, data)
        await self.deliver()
        return update

    def last(self, chat_id: int) -> dict[str, Any]:
        return self.fake.last_message(chat_id)

    def texts(self, chat_id: int) -> list[str]:
        return self.fake.texts_to(chat_id)

    async def setup_community(self, name: str = "田森社区") -> None:
        """The secretary creates a community in private."""
        await self.send(SECRETARY, f"/community {name}")

    async def enroll(self, user: TgUser, member_type: str = "in-service") -> None:
        await self.send(
            user, f"/enroll\nname: {user.first_name}\nunit: 市税务局\ntype: {member_type}"
        )

    async def bind_group(self, chat_id: int = GROUP_ID, title: str = "志愿者群") -> dict[str, Any]:
        chat = self.fake.add_group(chat_id, title)
        await self.send(SECRETARY, "/bindgroup", chat=chat)
        return chat

    async def publish(self, form: str) -> int:
        """The secretary sends a /newtask form and taps Publish; the task id."""
        await self.send(SECRETARY, form)
        preview = self.last(SECRETARY.id)
        data = next(d for d in button_data(preview) if d.startswith("t1:pub:"))
        await self.press(SECRETARY, preview, data)
        return int(data.rsplit(":", 1)[1])

    async def settle_cards(self) -> None:
        """Let the coalesced card edits happen."""
        await self.flush()
