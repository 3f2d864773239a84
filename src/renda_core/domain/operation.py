"""Operation (运维操作): an operational command on the store's machinery, recorded.

Rebuilding the views (``renda projections rebuild``) changes no business record, but
an auditor must see that it happened, when, and who did it: each one is an aggregate
of its own with one event.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor


class Operation(Aggregate):
    """One operational command (``projections.rebuild``), as it was asked."""

    TOPIC = "renda:Operation"

    class Event(Aggregate.Event):
        TOPIC = "renda:Operation.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Operation.Created"

    if TYPE_CHECKING:
        Performed: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return new_id()

    @event("Performed", topic="renda:Operation.Performed")
    def __init__(self, *, command: str, targets: list[str], on: date, actor: Actor) -> None:
        self.command = command
        self.targets = list(targets)
        self.on = on
        self.actor = actor
