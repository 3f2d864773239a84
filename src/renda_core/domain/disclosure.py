"""Disclosure (个人信息查阅): an auditor read personal data, with a stated reason.

An auditor reads every record with personal fields redacted; asking to see them
(``--reason TEXT`` on the CLI, ``reason=`` in the API) records one ``Disclosure``
*before* the data is shown: who read, in which role, which read, which records, and
the reason verbatim. See the read policy in ``docs/permissions.md``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor


class Disclosure(Aggregate):
    """One disclosure of personal data to an auditor, as it was asked."""

    TOPIC = "renda:Disclosure"

    class Event(Aggregate.Event):
        TOPIC = "renda:Disclosure.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Disclosure.Created"

    if TYPE_CHECKING:
        PersonalDataDisclosed: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return new_id()

    @event("PersonalDataDisclosed", topic="renda:Disclosure.PersonalDataDisclosed")
    def __init__(
        self, *, read: str, records: list[str], reason: str, on: date, actor: Actor
    ) -> None:
        self.read = read
        self.records = list(records)
        self.reason = reason
        self.on = on
        self.actor = actor
