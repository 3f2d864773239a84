"""Contact addresses of a recipient (a unit or a deputy) for notifications.

Each address is a recorded, correctable fact with the actor and the date: recording
an address of a kind again replaces it (``ContactCorrected`` keeps the previous value
in the log). Personal data is masked wherever it is shown by default.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import InvalidInput
from renda_core.domain.values import Actor

KINDS = ("email", "phone", "webhook", "apprise")


def contact_id(recipient: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"/renda/contacts/{recipient}")


def check_recipient(recipient: str) -> None:
    kind, _, name = recipient.partition(":")
    if kind not in ("unit", "deputy") or not name.strip():
        raise InvalidInput(
            f"recipient '{recipient}' is not deputy:<id> or unit:<name>",
            [{"field": "recipient", "message": "deputy:<id> or unit:<name>"}],
        )


def check_address(kind: str, value: str) -> None:
    ok = {
        "email": "@" in value and " " not in value,
        "phone": value.replace("+", "").replace("-", "").replace(" ", "").isdigit(),
        "webhook": value.startswith(("https://", "http://")),
        "apprise": "://" in value,
    }.get(kind)
    if ok is None:
        raise InvalidInput(
            f"contact kind '{kind}' is not one of {', '.join(KINDS)}",
            [{"field": "kind", "message": "unknown kind"}],
        )
    if not ok:
        raise InvalidInput(
            f"'{mask(kind, value)}' is not a valid {kind} address",
            [{"field": "value", "message": f"not a {kind} address"}],
        )


def mask(kind: str, value: str) -> str:
    """Personal data shown in part: ``z***@example.cn``, ``138****5678``; URLs keep only
    their scheme and host."""
    if kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if kind == "phone":
        digits = value.replace(" ", "")
        return digits[:3] + "****" + digits[-4:] if len(digits) > 7 else "****"
    scheme, _, rest = value.partition("://")
    return f"{scheme}://{rest.split('/')[0].split('@')[-1]}/…"


class Contact(Aggregate):
    """The contact addresses of one recipient (``unit:<name>`` or ``deputy:<id>``)."""

    TOPIC = "renda:Contact"

    class Event(Aggregate.Event):
        TOPIC = "renda:Contact.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Contact.Created"

    if TYPE_CHECKING:
        Opened: ClassVar[type[Aggregate.Event]]
        ContactCorrected: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*, recipient: str, **_: Any) -> UUID:
        return contact_id(recipient)

    @event("Opened", topic="renda:Contact.Opened")
    def __init__(self, *, recipient: str, on: date, actor: Actor) -> None:
        self.recipient = recipient
        self.addresses: dict[str, dict[str, Any]] = {}

    def set(self, *, kind: str, value: str | None, on: date, actor: Actor) -> None:
        """Record (or correct, or with ``None`` remove) the address of ``kind``."""
        if value is not None:
            check_address(kind, value)
        elif kind not in KINDS:
            check_address(kind, "")
        current = self.addresses.get(kind, {}).get("value")
        if current == value:
            return
        self._corrected(kind=kind, value=value, on=on, actor=actor)

    @event("ContactCorrected", topic="renda:Contact.ContactCorrected")
    def _corrected(self, *, kind: str, value: str | None, on: date, actor: Actor) -> None:
        if value is None:
            self.addresses.pop(kind, None)
        else:
            self.addresses[kind] = {"value": value, "on": on, "by": actor.id}

    def routes(self) -> list[str]:
        """The delivery addresses: ``mailto:``, the webhook URL, ``apprise:<url>``."""
        out = []
        if "email" in self.addresses:
            out.append("mailto:" + self.addresses["email"]["value"])
        if "webhook" in self.addresses:
            out.append(self.addresses["webhook"]["value"])
        if "apprise" in self.addresses:
            out.append("apprise:" + self.addresses["apprise"]["value"])
        return out

    def to_dict(self, *, reveal: bool = False) -> dict[str, Any]:
        return {
            "recipient": self.recipient,
            "addresses": {
                kind: {
                    "value": a["value"] if reveal else mask(kind, a["value"]),
                    "on": a["on"].isoformat(),
                    "by": a["by"],
                }
                for kind, a in sorted(self.addresses.items())
            },
        }
