"""Real local servers for delivery tests: SMTP (aiosmtpd) and HTTP (http.server)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mailbox:
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@dataclass
class Hits:
    """What the HTTP server saw, and what it answers next: a queue of
    ``(status, headers)`` or ``"hang"`` (the last answer repeats)."""

    answers: list[Any] = field(default_factory=lambda: [(200, {})])
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    hang: float = 3.0
    arrived: list[str] = field(default_factory=list)  # idempotency keys, on arrival


@contextmanager
def http_server(hits: Hits, delay: float = 0.0) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            hits.arrived.append(self.headers.get("Idempotency-Key", ""))
            time.sleep(delay)
            hits.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            answer = hits.answers.pop(0) if len(hits.answers) > 1 else hits.answers[0]
            if answer == "hang":
                time.sleep(hits.hang)
                return
            status, headers = answer
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()
