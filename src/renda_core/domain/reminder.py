"""Reminders and urgings (提醒 / 催办) the clock issued for a running deadline.

Deadlines pass without events; ``renda clock tick`` passes the day in and records each
reminder it issues as a ``Reminder``, so the duty record and the handling report can
count them ("已催办 2 次"). The id is natural — suggestion, deadline, owner, due date
and threshold — so a threshold is issued exactly once however often the clock ticks
(a second write of the same reminder conflicts and records nothing).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.values import Actor

#: kinds of reminder: before or on the due date (提醒), after it (催办)
REMIND = "remind"
URGE = "urge"
KIND_LABELS = {REMIND: "提醒", URGE: "催办"}


def reminder_id(suggestion_id: str, deadline: str, owner: str, due: date, threshold: str) -> UUID:
    """The natural id of one reminder threshold of one deadline."""
    key = f"/renda/reminders/{suggestion_id}/{deadline}/{owner}/{due.isoformat()}/{threshold}"
    return uuid5(NAMESPACE_URL, key)


class Reminder(Aggregate):
    """One reminder or 催办 issued by the clock for one deadline and threshold."""

    TOPIC = "renda:Reminder"

    class Event(Aggregate.Event):
        TOPIC = "renda:Reminder.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Reminder.Created"

    if TYPE_CHECKING:
        Issued: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(
        *, suggestion_id: str, deadline: str, owner: str, due: date, threshold: str, **_: object
    ) -> UUID:
        return reminder_id(suggestion_id, deadline, owner, due, threshold)

    @event("Issued", topic="renda:Reminder.Issued")
    def __init__(
        self,
        *,
        suggestion_id: str,
        deadline: str,
        owner: str,
        due: date,
        threshold: str,
        kind: str,
        number: int,
        on: date,
        actor: Actor,
    ) -> None:
        """``threshold`` is ``before:<n>`` (n working days before), ``due`` (on the due
        date) or ``overdue:<k>`` (the k-th week's 催办); ``number`` counts the 催办 of
        this deadline issued so far, this one included (0 for a reminder)."""
        self.suggestion_id = suggestion_id
        self.deadline = deadline
        self.owner = owner
        self.due = due
        self.threshold = threshold
        self.kind = kind
        self.number = number
        self.on = on
