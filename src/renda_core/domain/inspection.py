"""Inspections and research (视察、专题调研) by deputies.

Deputies inspect (视察) and research topics (专题调研) between sessions, organised by the
office of the standing committee (代表工作机构) or by a deputy group (代表小组); the
Deputies Law provides for both, and the seed's office sets an annual research topic
(年度重点调研课题). An inspection is planned with its topic and dates, deputies join it,
it is held (findings), a report follows, and the bodies inspected owe feedback
(反馈): requested with a due date, then received.

Lifecycle::

    planned → held → reported
    feedback: requested → received   (per body, once held)
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, Labelled, Level


class InspectionKind(Labelled):
    INSPECTION = "inspection", "视察"
    RESEARCH = "research", "专题调研"


class Organiser(Labelled):
    OFFICE = "office", "代表工作机构"
    GROUP = "group", "代表小组"


class InspectionStatus(Labelled):
    PLANNED = "planned", "计划中"
    HELD = "held", "已开展"
    REPORTED = "reported", "已形成报告"


class Inspection(Aggregate):
    """One inspection or research topic, its participants, report and feedback."""

    TOPIC = "renda:Inspection"

    class Event(Aggregate.Event):
        TOPIC = "renda:Inspection.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Inspection.Created"

    if TYPE_CHECKING:
        Planned: ClassVar[type[Aggregate.Event]]
        ParticipantJoined: ClassVar[type[Aggregate.Event]]
        Held: ClassVar[type[Aggregate.Event]]
        Reported: ClassVar[type[Aggregate.Event]]
        FeedbackRequested: ClassVar[type[Aggregate.Event]]
        FeedbackReceived: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return new_id()

    # -- commands ---------------------------------------------------------------

    @classmethod
    def plan(
        cls,
        *,
        kind: InspectionKind | str,
        topic: str,
        level: Level | str,
        organiser: Organiser | str,
        group_id: str | None,
        annual_topic: bool,
        starts: date,
        ends: date,
        on: date,
        actor: Actor,
    ) -> Inspection:
        """Plan an inspection or research topic (``on``: the day it was planned)."""
        organiser_value = Organiser.of(organiser).value
        if organiser_value == Organiser.GROUP.value and not group_id:
            raise RuleViolated("an inspection organised by a deputy group names the group")
        if organiser_value == Organiser.OFFICE.value and group_id:
            raise RuleViolated("an inspection organised by the office names no group")
        if ends < starts:
            raise RuleViolated(f"the end ({ends}) is before the start ({starts})")
        if starts < on:
            raise RuleViolated(f"the start ({starts}) is before the day it is planned ({on})")
        return cls(
            kind=InspectionKind.of(kind).value,
            topic=topic,
            level=Level.of(level).value,
            organiser=organiser_value,
            group_id=group_id,
            annual_topic=annual_topic,
            starts=starts,
            ends=ends,
            on=on,
            actor=actor,
        )

    def join(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        """A deputy takes part (before it is held)."""
        self._check_status({InspectionStatus.PLANNED}, "join")
        if deputy_id in self.participants:
            raise RuleViolated(f"deputy {deputy_id} already takes part")
        self._check_on(on, self.planned_on, "the plan")
        self._joined(deputy_id=deputy_id, on=on, actor=actor)

    def hold(self, *, findings: str, on: date, actor: Actor) -> None:
        """It took place (``on``: its last day) with these findings."""
        self._check_status({InspectionStatus.PLANNED}, "hold")
        if not self.participants:
            raise RuleViolated("no deputy takes part: join deputies first")
        self._check_on(on, max([self.starts, *self.joined_on.values()]), "its start or a join")
        self._held(findings=findings, on=on, actor=actor)

    def report(self, *, title: str, text: str, on: date, actor: Actor) -> None:
        """Its report (视察报告 / 调研报告)."""
        self._check_status({InspectionStatus.HELD}, "report on")
        assert self.held_on is not None
        self._check_on(on, self.held_on, "it was held")
        self._reported(title=title, text=text, on=on, actor=actor)

    def request_feedback(self, *, body: str, due: date, on: date, actor: Actor) -> None:
        """Ask an inspected body for its feedback by ``due``."""
        self._check_status({InspectionStatus.HELD, InspectionStatus.REPORTED}, "ask feedback on")
        if body in self.feedback:
            raise RuleViolated(f"feedback was already requested from {body}")
        assert self.held_on is not None
        self._check_on(on, self.held_on, "it was held")
        if due <= on:
            raise RuleViolated("the feedback due date must be after the request")
        self._feedback_requested(body=body, due=due, on=on, actor=actor)

    def receive_feedback(self, *, body: str, text: str, on: date, actor: Actor) -> None:
        """The inspected body's feedback arrived."""
        entry = self.feedback.get(body)
        if entry is None:
            raise RuleViolated(f"no feedback was requested from {body}")
        if entry["received_on"] is not None:
            raise RuleViolated(f"{body} already gave its feedback on {entry['received_on']}")
        self._check_on(on, entry["requested_on"], "the request")
        self._feedback_received(
            body=body, text=text, on_time=on <= entry["due"], on=on, actor=actor
        )

    def _check_status(self, allowed: set[InspectionStatus], what: RefusalPhrase) -> None:
        if self.status not in allowed:
            label = InspectionStatus.of(self.status).label
            raise RuleViolated(f"cannot {what} an inspection that is {label} ({self.status})")

    @staticmethod
    def _check_on(on: date, since: date, what: RefusalPhrase) -> None:
        if on < since:
            raise RuleViolated(f"date {on} is before {what} ({since})")

    # -- events -----------------------------------------------------------------

    @event("Planned", topic="renda:Inspection.Planned")
    def __init__(
        self,
        *,
        kind: str,
        topic: str,
        level: str,
        organiser: str,
        group_id: str | None,
        annual_topic: bool,
        starts: date,
        ends: date,
        on: date,
        actor: Actor,
    ) -> None:
        self.kind = kind
        self.topic = topic
        self.level = level
        self.organiser = organiser
        self.group_id = group_id
        self.annual_topic = annual_topic
        self.starts = starts
        self.ends = ends
        self.planned_on = on
        self.status = InspectionStatus.PLANNED.value
        self.participants: list[str] = []
        self.joined_on: dict[str, date] = {}
        self.findings: str | None = None
        self.held_on: date | None = None
        self.report_title: str | None = None
        self.report_text: str | None = None
        self.reported_on: date | None = None
        self.feedback: dict[str, dict[str, Any]] = {}

    @event("ParticipantJoined", topic="renda:Inspection.ParticipantJoined")
    def _joined(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.participants.append(deputy_id)
        self.joined_on[deputy_id] = on

    @event("Held", topic="renda:Inspection.Held")
    def _held(self, *, findings: str, on: date, actor: Actor) -> None:
        self.status = InspectionStatus.HELD.value
        self.findings = findings
        self.held_on = on

    @event("Reported", topic="renda:Inspection.Reported")
    def _reported(self, *, title: str, text: str, on: date, actor: Actor) -> None:
        self.status = InspectionStatus.REPORTED.value
        self.report_title = title
        self.report_text = text
        self.reported_on = on

    @event("FeedbackRequested", topic="renda:Inspection.FeedbackRequested")
    def _feedback_requested(self, *, body: str, due: date, on: date, actor: Actor) -> None:
        self.feedback[body] = {
            "due": due,
            "requested_on": on,
            "received_on": None,
            "text": None,
            "on_time": None,
        }

    @event("FeedbackReceived", topic="renda:Inspection.FeedbackReceived")
    def _feedback_received(
        self, *, body: str, text: str, on_time: bool, on: date, actor: Actor
    ) -> None:
        self.feedback[body].update(received_on=on, text=text, on_time=on_time)

    # -- reading ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        def d(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": str(self.id),
            "kind": self.kind,
            "kind_label": InspectionKind.of(self.kind).label,
            "topic": self.topic,
            "level": self.level,
            "organiser": self.organiser,
            "organiser_label": Organiser.of(self.organiser).label,
            "group_id": self.group_id,
            "annual_topic": self.annual_topic,
            "starts": d(self.starts),
            "ends": d(self.ends),
            "planned_on": d(self.planned_on),
            "status": self.status,
            "status_label": InspectionStatus.of(self.status).label,
            "participants": list(self.participants),
            "findings": self.findings,
            "held_on": d(self.held_on),
            "report": (
                {"title": self.report_title, "text": self.report_text, "on": d(self.reported_on)}
                if self.reported_on
                else None
            ),
            "feedback": [
                {
                    "body": body,
                    "due": d(f["due"]),
                    "requested_on": d(f["requested_on"]),
                    "received_on": d(f["received_on"]),
                    "text": f["text"],
                    "on_time": f["on_time"],
                }
                for body, f in self.feedback.items()
            ],
            "version": self.version,
        }
