"""Delivery against real local servers: SMTP (aiosmtpd), a CloudEvents webhook
(http.server answering 200, 500, 429 with Retry-After, or hanging) and apprise —
success, retry, backoff honoured, dead letters, stable idempotency keys."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from renda_core import Renda
from renda_core.notify import Notifier
from renda_core.ports.plugins import get_plugin_manager
from tests.application.test_suggestions import assigned, deputy
from tests.conftest import STAFF
from tests.notify.servers import Hits, http_server, smtp_server

T0 = datetime(2024, 9, 27, 9, tzinfo=UTC)
SECRET = "s3cret"
UNIT = "unit:省商务厅"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RENDA_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("RENDA_WEBHOOK_TIMEOUT", "0.5")
    yield


def setup(app: Renda, **contacts: str) -> tuple[Notifier, Clock]:
    _, lead = deputy(app)
    clock = Clock()
    n = Notifier(app, get_plugin_manager(), now=clock, backoff=10, max_attempts=3)
    for kind, value in contacts.items():
        n.set_contact(UNIT, kind, value, on=T0.date(), actor=STAFF)
    assigned(app, lead)
    n.derive()
    return n, clock


def row(n: Notifier, prefix: str) -> Any:
    found = [r for r in n.outbox.rows() if r.message.address.startswith(prefix)]
    assert len(found) == 1
    return found[0]


def test_email_over_smtp_with_chinese_headers(
    app: Renda, env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with smtp_server() as (box, port):
        monkeypatch.setenv("RENDA_SMTP_PORT", str(port))
        n, _ = setup(app, email="zhang@swt.jl.gov.cn")
        assert n.deliver().dead == 0
    assert len(box.messages) == 1
    mail = box.messages[0]
    assert mail["Subject"].startswith("【交办】关于加快边境口岸建设的建议")
    assert mail["To"] == "省商务厅 <zhang@swt.jl.gov.cn>"  # the unit's name, encoded:
    [to] = re.findall(r"^To: (.*)$", mail.as_string(), re.M)
    assert to.startswith("=?utf-8?") and to.endswith("<zhang@swt.jl.gov.cn>")
    key = row(n, "mailto:").message.key
    assert mail["Idempotency-Key"].strip() == key  # a long header is folded
    assert "2024-12-27" in mail.get_content()
    assert row(n, "mailto:").status == "sent"
    assert [d["outcome"] for d in n.outbox.deliveries(key)] == ["sent"]


def test_webhook_posts_a_signed_cloudevent(app: Renda, env: None) -> None:
    hits = Hits()
    with http_server(hits) as url:
        n, _ = setup(app, webhook=url)
        n.deliver()
    ((headers, body),) = hits.requests
    assert headers["content-type"].startswith("application/cloudevents+json")
    event = json.loads(body)
    key = row(n, "http:").message.key
    assert event["specversion"] == "1.0" and event["id"] == key
    assert event["type"] == "cn.renda.notification.unit.assigned"
    assert event["data"]["recipient"] == UNIT
    assert headers["idempotency-key"] == key
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-renda-signature"] == f"sha256={expected}"


def test_500_is_retried_with_backoff_and_the_same_key(app: Renda, env: None) -> None:
    hits = Hits(answers=[(500, {}), (500, {}), (200, {})])
    with http_server(hits) as url:
        n, clock = setup(app, webhook=url)
        n.deliver()
        r = row(n, "http:")
        assert (r.status, r.attempts) == ("pending", 1)
        assert r.next_at == (T0 + timedelta(seconds=10)).isoformat(timespec="microseconds")
        n.deliver()  # not due yet: backoff honoured, nothing sent
        assert len(hits.requests) == 1
        clock.now = T0 + timedelta(seconds=10)
        n.deliver()
        r = row(n, "http:")
        assert (r.status, r.attempts) == ("pending", 2)
        # exponential: the second delay doubles
        assert r.next_at == (clock.now + timedelta(seconds=20)).isoformat(timespec="microseconds")
        clock.now += timedelta(seconds=20)
        n.deliver()
    assert row(n, "http:").status == "sent"
    keys = {h["idempotency-key"] for h, _ in hits.requests}
    assert len(hits.requests) == 3 and keys == {row(n, "http:").message.key}
    outcomes = [d["outcome"] for d in n.outbox.deliveries(row(n, "http:").message.key)]
    assert outcomes == ["retry", "retry", "sent"]


def test_429_retry_after_is_honoured(app: Renda, env: None) -> None:
    hits = Hits(answers=[(429, {"Retry-After": "120"}), (200, {})])
    with http_server(hits) as url:
        n, clock = setup(app, webhook=url)
        n.deliver()
        r = row(n, "http:")
        assert r.next_at == (T0 + timedelta(seconds=120)).isoformat(timespec="microseconds")
        clock.now = T0 + timedelta(seconds=119)
        n.deliver()
        assert len(hits.requests) == 1
        clock.now = T0 + timedelta(seconds=120)
        n.deliver()
    assert row(n, "http:").status == "sent" and len(hits.requests) == 2


def test_a_hanging_server_times_out_and_dead_letters_after_the_limit(app: Renda, env: None) -> None:
    hits = Hits(answers=["hang"], hang=2.0)
    with http_server(hits) as url:
        n, clock = setup(app, webhook=url)
        for _ in range(3):
            n.deliver()
            clock.now += timedelta(hours=1)
        r = row(n, "http:")
        assert (r.status, r.attempts) == ("dead", 3)
        assert "Timeout" in (r.last_error or "")
        assert [d["outcome"] for d in n.outbox.deliveries(r.message.key)] == [
            "retry",
            "retry",
            "dead",
        ]
        n.deliver()
        assert len(hits.requests) == 3  # a dead letter is not sent again …
        hits.answers = [(200, {})]
        assert n.outbox.retry(r.message.key, clock.now)  # … unless retried
        n.deliver()
    assert row(n, "http:").status == "sent"


def test_a_4xx_is_a_dead_letter_at_once(app: Renda, env: None) -> None:
    hits = Hits(answers=[(404, {})])
    with http_server(hits) as url:
        n, _ = setup(app, webhook=url)
        n.deliver()
    r = row(n, "http:")
    assert (r.status, r.attempts, r.last_error) == ("dead", 1, "HTTP 404")


def test_apprise_to_a_local_json_endpoint(app: Renda, env: None) -> None:
    pytest.importorskip("apprise")
    hits = Hits()
    with http_server(hits) as url:
        n, _ = setup(app, apprise=url.replace("http://", "json://"))
        n.deliver()
    r = row(n, "apprise:")
    assert r.status == "sent", r.last_error
    ((_, body),) = hits.requests
    payload = json.loads(body)
    assert payload["title"].startswith("【交办】") and "2024-12-27" in payload["message"]


class Refusing:
    """An SMTP server that refuses every recipient, naming the address."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return f"550 5.1.1 <{address}>: Recipient address rejected"


def test_a_refused_recipient_is_a_dead_letter_without_the_address_in_full(
    app: Renda, env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiosmtpd.controller import Controller

    from renda_core.cli.notify import row_dict
    from tests.notify.servers import free_port

    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("RENDA_SMTP_PORT", str(port))
        n, _ = setup(app, email="zhangsan@swt.jl.gov.cn")
        assert n.deliver().dead == 1  # permanent: at once, not after the attempts
    finally:
        controller.stop()
    dead = row(n, "mailto:")
    assert dead.status == "dead" and dead.attempts == 1
    details = [d["detail"] for d in n.outbox.deliveries(dead.message.key)]
    assert len(details) == 1 and "recipient refused" in details[0]
    assert "z***@swt.jl.gov.cn" in details[0] and "zhangsan" not in details[0]
    shown = row_dict(dead)
    assert shown["address"] == "mailto:z***@swt.jl.gov.cn" and "zhangsan" not in str(shown)
