"""A fake Telegram Bot API: Telegram's JSON shapes and errors, and a record of every call.

The same core answers in-process requests (:class:`FakeRequest`, for handler tests) and
HTTP requests (:mod:`tests.fakes.server`, for the end-to-end suite). It is thread-safe.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

from tests.fakes.html_check import parse_html

BOT_ID = 7000000001
BOT_USERNAME = "community_test_bot"
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "社区志愿助手",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

JSON_FIELDS = {
    "reply_markup", "entities", "caption_entities", "commands", "scope", "allowed_updates",
    "link_preview_options", "reply_parameters", "media",
}  # fmt: skip
INT_FIELDS = {
    "chat_id", "message_id", "offset", "limit", "timeout", "user_id", "cache_time",
    "from_chat_id", "message_thread_id",
}  # fmt: skip
BOOL_FIELDS = {"show_alert", "disable_notification", "protect_content", "drop_pending_updates"}
SEND_METHODS = {"sendMessage", "sendDocument", "sendPhoto", "editMessageText",
                "editMessageReplyMarkup", "editMessageCaption"}  # fmt: skip
# what html.escape makes of user text: in a plain-text label it is shown as it is
_LITERAL_ENTITY = re.compile(r"&(lt|gt|amp|quot|#x?[0-9a-fA-F]+);")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup"
    " are exactly the same as a current content and reply markup of the message"
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")

Reply = tuple[int, dict[str, Any]]


class ApiError(Exception):
    """An error answer: HTTP status and Telegram's description."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class ApiCall:
    """One request the bot made, and what it got back."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200


def decode_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Form fields as PTB sends them (JSON-encoded non-strings) back to Python values."""
    params: dict[str, Any] = {}
    for name, value in fields.items():
        if not isinstance(value, str):
            params[name] = value
        elif name in JSON_FIELDS:
            params[name] = json.loads(value)
        elif name in INT_FIELDS and re.fullmatch(r"-?\d+", value):
            params[name] = int(value)
        elif name in BOOL_FIELDS:
            params[name] = value.lower() == "true"
        else:
            params[name] = value
    return params


class FakeTelegram:
    """The server's state: users, groups, messages, updates, limits, and the call log."""

    def __init__(
        self,
        token: str = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0",
        rate_limit: float | None = None,
        retry_after: int = 1,
        send_delay: float = 0.0,
    ) -> None:
        self.token = token
        self.send_delay = send_delay
        self.rate_limit = rate_limit
        self.retry_after = retry_after
        self.calls: list[ApiCall] = []
        self.started: set[int] = set()
        self.blocked: set[int] = set()
        self.groups: dict[int, dict[str, Any]] = {}
        self.admins: dict[int, set[int]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.open_callbacks: set[str] = set()
        self.too_many_requests = 0
        # button labels that show an HTML entity literally (labels are plain text: 16.26)
        self.escaped_labels: list[str] = []
        # method → errors for its next calls: (chat id or None for any, status, text, parameters)
        self.failures: dict[str, list[tuple[Any, int, str, dict[str, Any] | None]]] = {}
        self.time_outs: dict[str, int] = {}  # method → next calls that time out in flight
        # method → the next calls' network errors: (the error, whether the server got it, chat)
        self.cut_offs: dict[str, list[tuple[httpx.HTTPError, bool, int | None]]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._accepted_sends: list[float] = []  # arrival times of sends let through, sorted
        self._cond = threading.Condition()

    # --- what tests do -------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (and note what it implies about the user)."""
        with self._cond:
            update["update_id"] = next(self._update_ids)
            message = update.get("message")
            if message and message["chat"]["type"] == "private":
                self.started.add(message["from"]["id"])
            for size in (message or {}).get("photo", []):
                self.files.setdefault(size["file_id"], b"\x89PNG user photo")  # Telegram has it
            if "callback_query" in update:
                self.open_callbacks.add(update["callback_query"]["id"])
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def replay(self, update: dict[str, Any]) -> None:
        """Deliver an update again with its old id (Telegram's at-least-once delivery)."""
        with self._cond:
            if "callback_query" in update:
                self.open_callbacks.add(update["callback_query"]["id"])
            self._updates.append(update)
            self._cond.notify_all()

    def take_updates(self) -> list[dict[str, Any]]:
        """Remove and return every queued update (the in-process harness delivers them)."""
        with self._cond:
            taken, self._updates = self._updates, []
        return taken

    def new_callback_id(self) -> str:
        return f"cb{next(self._callback_ids)}"

    def upload(self, content: bytes, file_name: str) -> dict[str, Any]:
        """A file a user sends: its Document, as an update carries it."""
        with self._cond:
            file_id = f"up{len(self.files) + 1}"
            self.files[file_id] = content
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "file_size": len(content),
        }

    def add_group(
        self, chat_id: int, title: str, admins: Iterable[int] | None = None
    ) -> dict[str, Any]:
        """A group the bot is a member of; ``admins`` its administrators (None: everyone
        who asks is one, for tests that are not about it)."""
        if admins is not None:
            self.admins[chat_id] = set(admins)
        chat = {
            "id": chat_id,
            "type": "supergroup" if chat_id < -(10**12) else "group",
            "title": title,
        }
        with self._cond:
            self.groups[chat_id] = chat
        return chat

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        parameters: dict[str, Any] | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id``) with this error."""
        with self._cond:
            failure = (chat_id, status, description, parameters)
            self.failures.setdefault(method, []).extend([failure] * times)

    def time_out(self, method: str, times: int = 1) -> None:
        """The next calls of ``method`` reach the server, then the client times out."""
        with self._cond:
            self.time_outs[method] = self.time_outs.get(method, 0) + times

    def take_time_out(self, method: str) -> bool:
        with self._cond:
            if self.time_outs.get(method, 0) > 0:
                self.time_outs[method] -= 1
                return True
            return False

    def cut_off(
        self,
        method: str,
        error: httpx.HTTPError,
        *,
        delivered: bool = True,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next calls of ``method`` (to ``chat_id``) end in this network error: after the
        server handled them (``delivered``: a reset connection, the answer lost) or before
        anything reached it (a connect error)."""
        with self._cond:
            self.cut_offs.setdefault(method, []).extend([(error, delivered, chat_id)] * times)

    def take_cut_off(self, method: str, chat_id: Any) -> tuple[httpx.HTTPError, bool] | None:
        with self._cond:
            waiting = self.cut_offs.get(method, [])
            for n, (error, delivered, chat) in enumerate(waiting):
                if chat is None or str(chat) == str(chat_id):
                    del waiting[n]
                    return error, delivered
            return None

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sends to them get 403."""
        with self._cond:
            self.blocked.add(user_id)

    def calls_to(self, method: str, **match: Any) -> list[ApiCall]:
        """Calls of ``method`` whose params contain ``match``."""
        with self._cond:
            calls = list(self.calls)
        return [
            c
            for c in calls
            if c.method == method and all(c.params.get(k) == v for k, v in match.items())
        ]

    def texts_to(self, chat_id: int) -> list[str]:
        """Texts of the messages successfully sent to a chat, oldest first."""
        return [c.params["text"] for c in self.calls_to("sendMessage", chat_id=chat_id) if c.ok]

    def last_message(self, chat_id: int) -> dict[str, Any]:
        """The newest message the bot sent (or edited) in a chat, as Telegram stores it."""
        with self._cond:
            found = [m for (chat, _), m in self.messages.items() if chat == chat_id]
        if not found:
            raise AssertionError(f"no message in chat {chat_id}")
        return max(found, key=lambda m: m["message_id"])

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Block until ``predicate`` holds (for the end-to-end suite)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("timed out waiting for the bot")
                self._cond.wait(min(left, 0.05))

    def unanswered_callbacks(self) -> set[str]:
        with self._cond:
            return set(self.open_callbacks)

    # --- the API -------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        fields: dict[str, Any],
        files: dict[str, bytes] | None = None,
        *,
        wait: bool = True,
    ) -> Reply:
        """Answer one Bot API request: (HTTP status, JSON body)."""
        arrived = time.monotonic()  # the rate counts arrivals, as Telegram does
        params = decode_fields(fields)
        if method == "getUpdates" and wait:
            self._wait_for_updates(params)
        if method in SEND_METHODS and self.send_delay and wait:
            time.sleep(self.send_delay)  # a slow Telegram: sends are in flight for a while
        with self._cond:
            try:
                result = self._dispatch(method, params, files or {}, arrived)
                status, body = 200, {"ok": True, "result": result}
            except ApiError as exc:
                status = exc.status
                body = {"ok": False, "error_code": exc.status, "description": exc.description}
                if exc.parameters:
                    body["parameters"] = exc.parameters
                result = body
            if method != "getUpdates" or result:
                self.calls.append(ApiCall(method, params, status, result, arrived))
            self._cond.notify_all()
        return status, body

    def _wait_for_updates(self, params: dict[str, Any]) -> None:
        deadline = time.monotonic() + min(float(params.get("timeout", 0) or 0), 2.0)
        offset = int(params.get("offset", 0) or 0)
        with self._cond:
            while not any(u["update_id"] >= offset for u in self._updates):
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._cond.wait(left)

    def _dispatch(
        self, method: str, params: dict[str, Any], files: dict[str, bytes], arrived: float
    ) -> Any:
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            raise ApiError(404, "Not Found")
        for n, (chat_id, status, description, parameters) in enumerate(
            self.failures.get(method, [])
        ):
            if chat_id is None or str(chat_id) == str(params.get("chat_id")):
                del self.failures[method][n]
                raise ApiError(status, description, parameters)
        if method in SEND_METHODS:
            self._check_rate(arrived)
        return handler(params, files)

    def _check_rate(self, arrived: float) -> None:
        """A strict sliding window: no one second of arrivals holds more than the limit.

        Requests are handled in threads, so one that arrived earlier may be looked at later:
        every window that contains its arrival is counted, not only the one ending with it.
        """
        if self.rate_limit is None:
            return
        sends = self._accepted_sends
        del sends[: bisect.bisect_right(sends, arrived - 2.0)]  # older ones share no window
        low = bisect.bisect_right(sends, arrived - 1.0)
        middle = bisect.bisect_right(sends, arrived)
        before = sends[low:middle]  # arrived in the second before this one (or with it)
        after = sends[middle : bisect.bisect_left(sends, arrived + 1.0)]  # looked at first
        # the fullest window [t, t + 1) with t in (arrived - 1, arrived], this one counted
        fullest = len(before) + 1
        for n, start in enumerate([*before, arrived] if after else []):
            fullest = max(fullest, len(before) - n + 1 + bisect.bisect_left(after, start + 1.0))
        if fullest > self.rate_limit:
            self.too_many_requests += 1
            raise ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        bisect.insort(sends, arrived)

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id > 0:
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat_id not in self.started:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return {"id": chat_id, "type": "private", "first_name": f"user{chat_id}"}
        if chat_id not in self.groups:
            raise ApiError(400, "Bad Request: chat not found")
        return self.groups[chat_id]

    def _text(self, params: dict[str, Any], key: str = "text") -> str:
        text = params.get(key)
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        plain = text
        if params.get("parse_mode") == "HTML":
            plain, error = parse_html(text)
            if error:
                raise ApiError(400, error)
        if len(plain) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return str(plain)

    def _store(self, chat: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **extra,
        }
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _markup(self, params: dict[str, Any]) -> dict[str, Any]:
        markup = params.get("reply_markup")
        if markup is None:
            return {}
        rows = markup.get("inline_keyboard", [])
        if sum(len(row) for row in rows) > 100:
            raise ApiError(400, "Bad Request: reply markup is too long")
        for row in rows:
            for button in row:
                if _LITERAL_ENTITY.search(button.get("text", "")):
                    self.escaped_labels.append(button["text"])
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "inline_keyboard" in markup:
            return {"reply_markup": markup}
        return {}  # reply keyboards are not part of the message Telegram returns

    def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return BOT_USER

    def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    def _api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not str(params.get("url", "")).startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        return True

    def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        offset = int(params.get("offset", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return self._updates[: min(limit, 100)]

    def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = params.get("commands") or []
        if not 1 <= len(commands) <= 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not _COMMAND.match(command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._command_scope(params)
        self.commands[key] = commands
        return True

    def _command_scope(self, params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if scope.get("type") == "chat" and scope.get("chat_id") not in self.started | set(
            self.groups
        ):
            raise ApiError(400, "Bad Request: chat not found")
        return (json.dumps(scope, sort_keys=True), params.get("language_code", ""))

    def _api_deleteMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.commands.pop(self._command_scope(params), None)
        return True

    def _api_getFile(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        if size > 20 * 1024 * 1024:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": size,
            "file_path": f"documents/{file_id}",
        }

    def _api_getChatMember(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat(params.get("chat_id"))
        user_id = int(params["user_id"])
        admins = self.admins.get(chat["id"])
        status = "administrator" if admins is None or user_id in admins else "member"
        if status == "administrator":
            return {
                "status": status,
                "user": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
                "can_be_edited": False,
                "is_anonymous": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": False,
                "can_edit_stories": False,
                "can_delete_stories": False,
            }
        return {
            "status": status,
            "user": {"id": user_id, "is_bot": False, "first_name": f"user{user_id}"},
        }

    def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat(params.get("chat_id"))
        text = self._text(params)
        return self._store(chat, {"text": text, "_html": params["text"], **self._markup(params)})

    def _api_sendDocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat(params.get("chat_id"))
        content = files.get("document")
        if content is None:
            raise ApiError(400, "Bad Request: there is no document in the request")
        if params.get("caption"):
            caption, error = parse_html(params["caption"])
            if error:
                raise ApiError(400, error)
            if len(caption) > 1024:
                raise ApiError(400, "Bad Request: message caption is too long")
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": params.get("_filename", "file"),
            "file_size": len(content),
        }
        return self._store(chat, {"document": document, **self._markup(params)})

    def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat(params.get("chat_id"))
        content = files.get("photo")
        known = params.get("photo")
        if content is None and isinstance(known, str):  # a file_id Telegram already has
            if known not in self.files:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            content = self.files[known]
        if content is None or not content.startswith(b"\x89PNG"):
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        if len(params.get("caption", "")) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        file_id = f"photo{len(self.files) + 1}"
        self.files[file_id] = content
        photo = [{"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1}]
        return self._store(
            chat, {"photo": photo, "caption": params.get("caption", ""), **self._markup(params)}
        )

    def _find(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        message = self.messages.get((chat_id, message_id))  # type: ignore[arg-type]
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._find(params)
        text = self._text(params)
        markup = self._markup(params)
        if message.get("_html") == params["text"] and message.get("reply_markup") == markup.get(
            "reply_markup"
        ):
            raise ApiError(400, NOT_MODIFIED)
        message.pop("reply_markup", None)
        message.update(
            {"text": text, "_html": params["text"], "edit_date": int(time.time()), **markup}
        )
        return message

    def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._find(params)
        markup = self._markup(params)
        if message.get("reply_markup") == markup.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        message.pop("reply_markup", None)
        message.update(markup)
        return message

    def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        query_id = params.get("callback_query_id")
        if query_id not in self.open_callbacks:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        if len(params.get("text", "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.open_callbacks.discard(query_id)
        return True


def public_view(message: dict[str, Any]) -> dict[str, Any]:
    """A stored message as Telegram would return it (without the fake's own keys)."""
    return {k: v for k, v in message.items() if not k.startswith("_")}


class FakeRequest(BaseRequest):
    """PTB's network layer replaced by the fake: no sockets, same answers."""

    def __init__(self, fake: FakeTelegram, travel: Callable[[], float] | None = None) -> None:
        self.fake = fake
        self.travel = travel  # seconds a request takes to reach the server (a slow network)

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a file download (getFile's file_path)
            stored = self.fake.files.get(url.rsplit("/", 1)[-1])
            return (200, stored) if stored is not None else (404, b"Not Found")
        api_method = url.rsplit("/", 1)[-1]
        if self.travel is not None:
            await asyncio.sleep(self.travel())
        fields: dict[str, Any] = dict(request_data.json_parameters) if request_data else {}
        files: dict[str, bytes] = {}
        if request_data and request_data.contains_files:
            for name, (filename, content, *_rest) in request_data.multipart_data.items():
                files[name] = content if isinstance(content, bytes) else content.read()
                fields["_filename"] = filename
        cut_off = self.fake.take_cut_off(api_method, fields.get("chat_id"))
        if cut_off is not None and not cut_off[1]:
            raise as_ptb_error(cut_off[0]) from cut_off[0]
        status, body = self.fake.handle(api_method, fields, files, wait=False)
        if self.fake.take_time_out(api_method):
            raise TimedOut("the fake server answered too late")
        if cut_off is not None:
            raise as_ptb_error(cut_off[0]) from cut_off[0]
        return status, json.dumps(_strip_private(body)).encode()


def as_ptb_error(error: httpx.HTTPError) -> TelegramError:
    """What PTB's ``HTTPXRequest.do_request`` raises for an httpx error (raise it ``from``
    the error, as PTB does)."""
    if isinstance(error, httpx.PoolTimeout):
        return TimedOut("Pool timeout: Request was *not* sent to Telegram.")
    if isinstance(error, httpx.TimeoutException):
        return TimedOut()
    return NetworkError(f"httpx.{error.__class__.__name__}: {error}")


def _strip_private(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_private(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [_strip_private(v) for v in value]
    return value


def strip_private(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON body without the fake's bookkeeping keys."""
    result: dict[str, Any] = _strip_private(body)
    return result


def all_texts(calls: Iterable[ApiCall]) -> list[str]:
    """The ``text`` of each call that has one."""
    return [c.params["text"] for c in calls if "text" in c.params]
