"""The fake Bot API over HTTP on 127.0.0.1, for the bot running as a separate process."""

from __future__ import annotations

import json
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.telegram_api import FakeTelegram, strip_private


def _form(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Fields and files of a request body (urlencoded, multipart or JSON)."""
    if content_type.startswith("application/json"):
        data = json.loads(body or b"{}")
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}, {}
    if content_type.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
        )
        fields: dict[str, Any] = {}
        files: dict[str, bytes] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            raw = part.get_payload(decode=True)
            payload = raw if isinstance(raw, bytes) else b""
            filename = part.get_filename()
            if filename:
                files[str(name)] = payload
                fields["_filename"] = filename
            else:
                fields[str(name)] = payload.decode("utf-8")
        return fields, files
    return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), {}


class FakeBotApiServer:
    """Serves ``/bot<token>/<method>`` from a :class:`FakeTelegram`, in a background thread."""

    def __init__(self, fake: FakeTelegram, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        handler = type("Handler", (_Handler,), {"fake": fake})
        self.httpd = _QuietServer((host, port), handler)
        self.httpd.daemon_threads = True
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    def __enter__(self) -> FakeBotApiServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up mid long-poll (the bot stopping) is not worth a traceback."""


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTelegram
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: with Nagle's algorithm the body waits for the
    # client's delayed ACK (~40 ms on every answer, a long poll's included); Telegram's
    # servers add no such wait
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self._serve(self.rfile.read(length))

    def _serve(self, body: bytes) -> None:
        url = urlsplit(self.path)
        parts = url.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != f"bot{self.fake.token}":
            self._send(
                401 if len(parts) == 2 else 404,
                {"ok": False, "error_code": 401, "description": "Unauthorized"},
            )
            return
        fields, files = _form(self.headers.get("Content-Type", ""), body)
        fields.update(parse_qsl(url.query))
        cut_off = self.fake.take_cut_off(parts[1], fields.get("chat_id"))
        status, reply = self.fake.handle(parts[1], fields, files)
        if cut_off is not None:
            # handled, then the connection drops before the answer (the client sees its own
            # error, httpx's RemoteProtocolError, whatever the cut-off named)
            self.close_connection = True
            return
        self._send(status, strip_private(reply))

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
