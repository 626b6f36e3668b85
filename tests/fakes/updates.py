"""Updates as Telegram sends them (JSON dicts), for both the in-process and HTTP fakes."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.telegram_api import BOT_USER, FakeTelegram, public_view

_incoming_ids = itertools.count(100000)


@dataclass(frozen=True)
class TgUser:
    """A Telegram user who talks to the bot."""

    id: int
    first_name: str
    last_name: str = ""
    language_code: str = "zh-hans"
    username: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    def private_chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


def _entities(text: str) -> list[dict[str, Any]]:
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": len(command)}]


class Updates:
    """Builds updates and hands them to the fake server's queue."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake

    def message(
        self, user: TgUser, text: str, chat: dict[str, Any] | None = None, **extra: Any
    ) -> dict[str, Any]:
        message = {
            "message_id": next(_incoming_ids),
            "date": int(time.time()),
            "chat": chat or user.private_chat(),
            "from": user.as_dict(),
            "text": text,
            **extra,
        }
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        return self.fake.push({"message": message})

    def document(self, user: TgUser, document: dict[str, Any]) -> dict[str, Any]:
        """A file sent in the private chat (``document`` from :meth:`FakeTelegram.upload`)."""
        message = {
            "message_id": next(_incoming_ids),
            "date": int(time.time()),
            "chat": user.private_chat(),
            "from": user.as_dict(),
            "document": document,
        }
        return self.fake.push({"message": message})

    def contact(self, user: TgUser, phone: str, owner_id: int | None = None) -> dict[str, Any]:
        message = {
            "message_id": next(_incoming_ids),
            "date": int(time.time()),
            "chat": user.private_chat(),
            "from": user.as_dict(),
            "contact": {
                "phone_number": phone,
                "first_name": user.first_name,
                "user_id": user.id if owner_id is None else owner_id,
            },
        }
        return self.fake.push({"message": message})

    def press(self, user: TgUser, message: dict[str, Any], data: str) -> dict[str, Any]:
        """A tap on an inline button of ``message`` (a message the bot sent)."""
        query = {
            "id": self.fake.new_callback_id(),
            "from": user.as_dict(),
            "chat_instance": f"ci{message['chat']['id']}",
            "message": public_view(message),
            "data": data,
        }
        return self.fake.push({"callback_query": query})

    def bot_added(self, user: TgUser, chat: dict[str, Any]) -> dict[str, Any]:
        return self._membership(user, chat, "left", "member")

    def bot_removed(self, user: TgUser, chat: dict[str, Any]) -> dict[str, Any]:
        return self._membership(user, chat, "member", "kicked")

    def _membership(self, user: TgUser, chat: dict[str, Any], old: str, new: str) -> dict[str, Any]:
        change = {
            "chat": chat,
            "from": user.as_dict(),
            "date": int(time.time()),
            "old_chat_member": {"user": BOT_USER, "status": old},
            "new_chat_member": {
                "user": BOT_USER,
                "status": new,
                **({"until_date": 0} if new == "kicked" else {}),
            },
        }
        return self.fake.push({"my_chat_member": change})


def button_data(message: dict[str, Any]) -> list[str]:
    """All callback data on a message's inline keyboard."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]
