"""The server-sent event stream, on a real uvicorn server on 127.0.0.1: every event
once, in log order, live and across a reconnect with ``since`` / ``Last-Event-ID``."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
import uvicorn

from renda_core import RendaAPI
from renda_core.http.app import create_app
from tests.http.conftest import UNLIMITED, TokenFor, bearer, register_body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(api: RendaAPI) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(
        create_app(api, UNLIMITED), host="127.0.0.1", port=port, log_level="warning"
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=20)


def read_events(
    url: str,
    headers: dict[str, str],
    want: int,
    meanwhile: Callable[[], None] | None = None,
    at: int = 0,
) -> list[dict[str, object]]:
    """Read ``want`` events from the stream, then disconnect; after ``at`` events, call
    ``meanwhile`` (which records more while the stream is open)."""
    got: list[dict[str, object]] = []
    with httpx.Client(timeout=10) as http, http.stream("GET", url, headers=headers) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        current: dict[str, str] = {}
        for line in answer.iter_lines():
            if line.startswith("id: "):
                current["id"] = line[4:]
            elif line.startswith("data: "):
                current["data"] = line[6:]
            elif line == "" and "data" in current:
                item = json.loads(current["data"])
                assert item["sequence"] == current["id"]
                got.append(item)
                current = {}
                if meanwhile is not None and len(got) == at:
                    meanwhile()
                if len(got) == want:
                    break
    return got


def test_stream_delivers_every_event_once_in_order_across_a_reconnect(
    server: str, api: RendaAPI, token_for: TokenFor
) -> None:
    token = token_for("auditor", "au-1")
    for name in ("甲", "乙", "丙"):
        api.register_deputy(register_body(name=name))

    def two_more() -> None:
        for name in ("丁", "戊"):
            api.register_deputy(register_body(name=name))

    start = api._application.recorder.max_notification_id() or 0
    url = f"{server}/v1/events/stream?since=0"
    first = read_events(url, bearer(token), start + 2, meanwhile=two_more, at=start)
    last = first[-1]["sequence"]
    for name in ("己", "庚"):  # recorded while no client is connected
        api.register_deputy(register_body(name=name))
    second = read_events(f"{server}/v1/events/stream?since={last}", bearer(token), 2)
    api.register_deputy(register_body(name="辛"))
    third = read_events(
        f"{server}/v1/events/stream",
        {**bearer(token), "Last-Event-ID": str(second[-1]["sequence"])},
        1,
    )
    received = [int(str(i["sequence"])) for i in first + second + third]
    log = [n.id for n in api._application.recorder.select_notifications(start=1, limit=1000)]
    assert received == log  # every event, once, in log order
    names = [i["data"]["data"].get("name") for i in first + second + third]  # type: ignore[index,union-attr]
    assert [n for n in names if n] == ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"]
    # an unknown token gets no stream
    with httpx.Client(timeout=10) as http:
        answer = http.get(f"{server}/v1/events/stream", headers=bearer("renda_nope"))
        assert answer.status_code == 401
