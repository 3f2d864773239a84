"""What the outbox holds and what a channel is: the delivery port's value types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    """One message to one address, with its deterministic idempotency key.

    ``key`` is ``<rule>:<record id>/<version>:<digest>`` (the event it came from — a
    clock reminder is an event too — and a digest of recipient and address): the same
    log always derives the same keys, and keys are ASCII, to travel in headers.
    """

    key: str
    rule: str
    recipient: str  # "unit:<name>", "deputy:<id>", "staff", "citizen:<opinion id>"
    address: str  # "inbox:<recipient>", "mailto:…", "https://…", an apprise URL
    subject: str
    body: str
    record_id: str = ""
    link: str = ""
    position: int = 0  # the log position of the event it was derived from
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    """A channel's answer to a successful send."""

    detail: str = ""


class DeliveryFailed(Exception):
    """A send that failed. ``permanent`` failures go straight to the dead letters;
    others are retried with backoff, not before ``retry_after`` seconds if given."""

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Channel(Protocol):
    """A delivery channel (``renda_register_channels``).

    ``name`` is unique; ``addresses`` are the address prefixes it takes (``"mailto:"``,
    ``"https:"``, ``"inbox:"``, …); ``send`` delivers one message or raises
    :class:`DeliveryFailed`. It must be safe to call ``send`` twice with one key (the
    deliverer sends at least once): pass ``message.key`` on where the far side can
    de-duplicate.
    """

    name: str
    addresses: tuple[str, ...]

    def send(self, message: Message) -> Receipt: ...
