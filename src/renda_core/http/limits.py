"""The HTTP driver's settings and its limits: request body size and a rate limit.

Both are a plain ASGI middleware in front of the application, so an oversized body is
refused (413) before it is parsed and a client over its rate (429, ``Retry-After``)
costs one dictionary look-up. The rate is counted per bearer token (per client address
when there is none), in a token bucket held in memory: per process, reset on restart.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from renda_core.http import language
from renda_core.http.problems import MEDIA_TYPE, problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class HttpSettings:
    """What ``renda serve`` is configured with (its options, ``docs/http.md``)."""

    max_body_bytes: int = 1_048_576
    """Largest request body accepted (413 above it)."""
    max_batch: int = 1000
    """Most commands in one ``POST /v1/commands:batch`` (413 above it)."""
    rate_per_minute: int = 600
    """Requests per minute per token (or client address); 0 turns the limit off."""
    burst: int = 60
    """Requests a client may send at once before the rate applies."""
    cors_origins: tuple[str, ...] = ()
    """Origins allowed by CORS; none (the default) turns CORS off."""
    poll_seconds: float = 0.5
    """How often ``/v1/events/stream`` looks for new events."""
    stream_seconds: float = 300.0
    """How long one ``/v1/events/stream`` response lasts before the client reconnects
    with ``Last-Event-ID`` (EventSource does this by itself)."""
    page_limit: int = 1000
    """Most events one ``GET /v1/events`` returns."""


class RateLimiter:
    """A token bucket per key: ``burst`` at once, refilled at ``per_minute``."""

    def __init__(self, per_minute: int, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go on, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                if len(self._buckets) > 100_000:  # forget idle clients
                    self._buckets.clear()
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1 - tokens) / self.rate


def client_key(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return "t:" + hashlib.sha256(value).hexdigest()
    client = scope.get("client") or ("?", 0)
    return f"a:{client[0]}"


async def send_problem(
    send: Send,
    kind: str,
    detail: str,
    headers: list[tuple[bytes, bytes]] | None = None,
    scope: Scope | None = None,
) -> None:
    locale = language.of_scope(scope) if scope is not None else None
    status, body = problem(kind, detail, locale=locale)
    if locale is not None:
        headers = [
            *(headers or []),
            (b"content-language", language.CONTENT_LANGUAGE[locale].encode()),
        ]
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", MEDIA_TYPE.encode()),
                (b"content-length", str(len(payload)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class LimitsMiddleware:
    """413 for a body over ``max_body_bytes``, 429 for a client over its rate."""

    def __init__(self, app: ASGIApp, settings: HttpSettings) -> None:
        self.app = app
        self.settings = settings
        self.limiter = (
            RateLimiter(settings.rate_per_minute, settings.burst)
            if settings.rate_per_minute > 0
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.limiter is not None and scope.get("path") != "/v1/health":
            wait = self.limiter.take(client_key(scope))
            if wait > 0:
                await send_problem(
                    send,
                    "rate_limited",
                    f"more than {self.settings.rate_per_minute} requests a minute; "
                    f"retry in {math.ceil(wait)} s",
                    [(b"retry-after", str(math.ceil(wait)).encode())],
                    scope,
                )
                return
        limit = self.settings.max_body_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await send_problem(send, "payload_too_large", _too_large(limit), scope=scope)
                return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        body = bytearray()  # read it all (up to the limit), then hand it on
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body.extend(message.get("body", b""))
            if len(body) > limit:
                await send_problem(send, "payload_too_large", _too_large(limit), scope=scope)
                return
            if not message.get("more_body", False):
                break
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit} bytes"
