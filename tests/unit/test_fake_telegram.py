"""The fake Bot API answers like Telegram: its shapes, errors and limits."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.fakes.server import FakeBotApiServer
from tests.fakes.telegram_api import ApiError, FakeTelegram


def send(fake: FakeTelegram, **fields: object) -> tuple[int, dict[str, object]]:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    return fake.handle("sendMessage", encoded)


def test_invalid_html_is_400_and_nothing_is_sent() -> None:
    fake = FakeTelegram()
    fake.started.add(1)
    for text in ("<b>bold", "a < b", "<script>x</script>", "Tom & Jerry", "<b>x</i>"):
        status, body = send(fake, chat_id=1, text=text, parse_mode="HTML")
        assert status == 400 and "can't parse entities" in str(body["description"])
    status, body = send(fake, chat_id=1, text="<b>ok</b> &lt;x&gt; &amp;", parse_mode="HTML")
    assert status == 200 and body["result"]["text"] == "ok <x> &"  # type: ignore[index]
    assert len(fake.messages) == 1


def test_forbidden_for_users_who_never_started_or_blocked() -> None:
    fake = FakeTelegram()
    status, body = send(fake, chat_id=5, text="hi")
    assert status == 403 and "can't initiate conversation" in str(body["description"])
    fake.started.add(5)
    fake.block(5)
    status, body = send(fake, chat_id=5, text="hi")
    assert status == 403 and "blocked by the user" in str(body["description"])


def test_edit_to_same_content_is_not_modified() -> None:
    fake = FakeTelegram()
    fake.started.add(1)
    _, body = send(fake, chat_id=1, text="one")
    message_id = body["result"]["message_id"]  # type: ignore[index]
    edit = {"chat_id": "1", "message_id": str(message_id), "text": "one"}
    status, body = fake.handle("editMessageText", edit)
    assert status == 400 and "message is not modified" in str(body["description"])
    status, _ = fake.handle("editMessageText", {**edit, "text": "two"})
    assert status == 200


def test_rate_limit_answers_429_with_retry_after() -> None:
    fake = FakeTelegram(rate_limit=2, retry_after=3)
    fake.started.add(1)
    statuses = [send(fake, chat_id=1, text="x")[0] for _ in range(3)]
    assert statuses == [200, 200, 429]
    _, body = send(fake, chat_id=1, text="x")
    assert body["parameters"] == {"retry_after": 3} and fake.too_many_requests == 2


def test_callback_answered_once_and_data_limited_to_64_bytes() -> None:
    fake = FakeTelegram()
    fake.open_callbacks.add("q1")
    assert fake.handle("answerCallbackQuery", {"callback_query_id": "q1"})[0] == 200
    assert fake.handle("answerCallbackQuery", {"callback_query_id": "q1"})[0] == 400
    fake.started.add(1)
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "报" * 22}]]}
    status, body = send(fake, chat_id=1, text="x", reply_markup=markup)
    assert status == 400 and body["description"] == "Bad Request: BUTTON_DATA_INVALID"


def test_http_server_speaks_the_bot_api_paths() -> None:
    fake = FakeTelegram()
    with FakeBotApiServer(fake) as server:
        with urllib.request.urlopen(f"{server.base_url}{fake.token}/getMe", timeout=5) as reply:
            assert json.loads(reply.read())["result"]["is_bot"] is True
        try:
            urllib.request.urlopen(f"{server.base_url}wrong-token/getMe", timeout=5)
        except urllib.error.HTTPError as exc:
            assert exc.code == 401
        else:
            raise AssertionError("a wrong token must be refused")


def test_pacing_the_rate_limit_counts_every_window_of_an_arrival_looked_at_late() -> None:
    """Pacing at high rates: the fake counts a strict sliding window of arrivals, even for a
    request its threads look at after one that arrived later."""
    fake = FakeTelegram(rate_limit=2)
    fake._check_rate(10.5)
    fake._check_rate(11.2)
    with pytest.raises(ApiError) as refused:
        fake._check_rate(10.3)  # [10.3, 11.3) would hold three
    assert refused.value.status == 429
    fake._check_rate(11.6)  # [10.7, 11.7) holds 11.2 and this one
