"""The built-in delivery channels: 站内信 (inbox), e-mail (SMTP), CloudEvents webhook,
and apprise (WeCom/DingTalk/Feishu/SMS …, with the ``renda[notify]`` extra).

Configuration comes from the environment (``docs/notifications.md``):
``RENDA_SMTP_HOST``/``_PORT``/``_FROM``/``_USER``/``_PASSWORD``/``_STARTTLS``,
``RENDA_WEBHOOK_SECRET``, ``RENDA_WEBHOOK_TIMEOUT``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import smtplib
from collections.abc import Callable
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from renda_core.notify.messages import DeliveryFailed, Message, Receipt

SIGNATURE_HEADER = "X-Renda-Signature"
KEY_HEADER = "Idempotency-Key"


def mask_address(address: str) -> str:
    """An address as shown by default: personal data masked (``mailto:z***@x.cn``,
    URLs down to scheme and host)."""
    from renda_core.domain.contact import mask

    if address.startswith("mailto:"):
        return "mailto:" + mask("email", address.removeprefix("mailto:"))
    if address.startswith(("http://", "https://")):
        return mask("webhook", address)
    if address.startswith("apprise:"):
        return "apprise:" + mask("apprise", address.removeprefix("apprise:"))
    return address


def scrub(text: str, address: str) -> str:
    """``text`` (an error a channel or a server gave) with the address masked, so that
    recorded outcomes and what is printed never hold it in full."""
    masked = mask_address(address)
    bare = address.partition(":")[2] if address.startswith(("mailto:", "apprise:")) else ""
    for raw in sorted({address, bare} - {""}, key=len, reverse=True):
        if raw != masked:
            text = text.replace(raw, masked)
    return text


class InboxChannel:
    """站内信: the message goes to the recipient's inbox in the store
    (``renda inbox --for <recipient>``). A key is put there once."""

    name = "inbox"
    addresses: tuple[str, ...] = ("inbox:",)

    def __init__(self, put: Callable[[Message], None]) -> None:
        self._put = put

    def send(self, message: Message) -> Receipt:
        self._put(message)
        return Receipt("inbox")


class SmtpChannel:
    """E-mail over SMTP (``mailto:`` addresses), UTF-8 headers for Chinese subjects and
    names; the idempotency key travels as the Message-ID's left part and a header."""

    name = "email"
    addresses: tuple[str, ...] = ("mailto:",)

    def __init__(
        self,
        host: str | None = None,
        port: int | None = None,
        sender: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        starttls: bool | None = None,
        timeout: float = 10.0,
    ) -> None:
        env = os.environ
        self.host = host or env.get("RENDA_SMTP_HOST", "127.0.0.1")
        self.port = port or int(env.get("RENDA_SMTP_PORT", "25"))
        self.sender = sender or env.get("RENDA_SMTP_FROM", "renda@localhost")
        self.user = user if user is not None else env.get("RENDA_SMTP_USER")
        self.password = password if password is not None else env.get("RENDA_SMTP_PASSWORD")
        self.starttls = (
            starttls if starttls is not None else env.get("RENDA_SMTP_STARTTLS", "") == "1"
        )
        self.timeout = timeout

    def email(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        to = message.address.removeprefix("mailto:")
        name = str(message.data.get("recipient_name") or "")
        local, _, domain = to.partition("@")
        mail["To"] = Address(display_name=name, username=local, domain=domain) if name else to
        mail["From"] = self.sender
        mail["Subject"] = message.subject
        mail["Date"] = format_datetime(datetime.now(UTC))
        mail["Message-ID"] = make_msgid(hashlib.sha256(message.key.encode()).hexdigest()[:32])
        mail[KEY_HEADER] = message.key
        mail.set_content(message.body, charset="utf-8")
        return mail

    def send(self, message: Message) -> Receipt:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                refused = smtp.send_message(self.email(message))
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryFailed(f"recipient refused: {exc}", permanent=True) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(
                f"SMTP {exc.smtp_code}: {exc.smtp_error!r}", permanent=500 <= exc.smtp_code < 600
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"SMTP: {exc}") from None
        if refused:
            raise DeliveryFailed(f"recipient refused: {refused}", permanent=True)
        return Receipt(f"smtp {self.host}:{self.port}")


class WebhookChannel:
    """HTTP POST of a CloudEvent (structured JSON mode) to ``http(s):`` addresses, with
    an HMAC-SHA256 signature of the body (``X-Renda-Signature: sha256=<hex>``, key
    ``RENDA_WEBHOOK_SECRET``) and the ``Idempotency-Key`` header. 2xx is sent; 429 and
    5xx are retried (``Retry-After`` honoured); other 4xx are dead letters."""

    name = "webhook"
    addresses: tuple[str, ...] = ("https:", "http:")

    def __init__(self, secret: str | None = None, timeout: float | None = None) -> None:
        self.secret = secret if secret is not None else os.environ.get("RENDA_WEBHOOK_SECRET", "")
        self.timeout = timeout or float(os.environ.get("RENDA_WEBHOOK_TIMEOUT", "10"))

    def body(self, message: Message) -> tuple[dict[str, str], bytes]:
        from cloudevents.core.bindings.http import to_structured_event
        from cloudevents.core.v1.event import CloudEvent

        attributes: dict[str, Any] = {
            "type": f"cn.renda.notification.{message.rule}",
            "source": "renda",
            "id": message.key,
            "datacontenttype": "application/json",
        }
        if message.record_id:
            attributes["subject"] = message.record_id
        event = CloudEvent(
            attributes,
            {
                "key": message.key,
                "rule": message.rule,
                "recipient": message.recipient,
                "subject": message.subject,
                "body": message.body,
                "record_id": message.record_id,
                "link": message.link,
                "position": message.position,
            },
        )
        http = to_structured_event(event)
        return dict(http.headers), bytes(http.body)

    def signature(self, data: bytes) -> str:
        return "sha256=" + hmac.new(self.secret.encode(), data, hashlib.sha256).hexdigest()

    def send(self, message: Message) -> Receipt:
        import httpx

        headers, data = self.body(message)
        headers[KEY_HEADER] = message.key
        if self.secret:
            headers[SIGNATURE_HEADER] = self.signature(data)
        try:
            response = httpx.post(
                message.address, content=data, headers=headers, timeout=self.timeout
            )
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"webhook: {type(exc).__name__}: {exc}") from None
        code = response.status_code
        if 200 <= code < 300:
            return Receipt(f"HTTP {code}")
        retry_after = _retry_after(response.headers.get("Retry-After"))
        if code == 429 or code >= 500 or code == 408:
            raise DeliveryFailed(f"HTTP {code}", retry_after=retry_after)
        raise DeliveryFailed(f"HTTP {code}", permanent=True)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max((when - datetime.now(UTC)).total_seconds(), 0.0)


class AppriseChannel:
    """apprise URLs (``apprise:<url>``: ``wecombot://…``, ``dingtalk://…``,
    ``feishu://…``, SMS gateways, ``json://…``), with the ``renda[notify]`` extra."""

    name = "apprise"
    addresses: tuple[str, ...] = ("apprise:",)

    def send(self, message: Message) -> Receipt:
        try:
            import apprise
        except ImportError:
            raise DeliveryFailed(
                "apprise is not installed (pip install 'renda[notify]')", permanent=True
            ) from None
        notifier = apprise.Apprise()
        if not notifier.add(message.address.removeprefix("apprise:")):
            raise DeliveryFailed("not an apprise URL", permanent=True)
        if not notifier.notify(title=message.subject, body=message.body):
            raise DeliveryFailed("apprise: the notification was not accepted")
        return Receipt("apprise")
