"""Motions (议案): drafted, co-signed, submitted to a session, decided by the presidium.

A motion is put to a congress session by a delegation (代表团, national level) or by
enough deputies jointly (联名): 30 or more at the national level, 10 or more at the
provincial, municipal and county levels, 5 or more at the township level (the Deputies
Law, on motions; the Organic Law of Local People's Congresses, on motions of local
deputies; the Organic Law of the NPC, on delegations). The threshold and whether a
delegation may propose are a policy per level (:data:`DEFAULT_RULES`).

The presidium (主席团) decides: put it on the agenda (列入会议议程), after which the
congress passes it or not, or not (不列入), after which it is handled as a suggestion
(作为建议处理): a suggestion is created in the same write, and each side records the
other (``suggestion_id`` here, ``motion_id`` on the suggestion).

Lifecycle::

    draft → submitted → received → on_agenda → passed | not_passed
                                 → not_on_agenda (handled as a suggestion)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, Labelled, Level, check_area_code


class MotionStatus(Labelled):
    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "已提出"
    RECEIVED = "received", "已收到"
    ON_AGENDA = "on_agenda", "列入会议议程"
    NOT_ON_AGENDA = "not_on_agenda", "不列入议程（作为建议处理）"
    PASSED = "passed", "通过"
    NOT_PASSED = "not_passed", "未通过"


class Proposer(Labelled):
    DEPUTIES = "deputies", "代表联名"
    DELEGATION = "delegation", "代表团"


class Decision(Labelled):
    AGENDA = "agenda", "列入会议议程"
    NOT_AGENDA = "not_agenda", "不列入会议议程"


@dataclass(frozen=True)
class MotionRule:
    """Who may put a motion to one level's congress."""

    min_deputies: int
    delegation: bool


#: national: a delegation or 30 deputies; county and above: 10; township: 5.
DEFAULT_RULES: dict[str, MotionRule] = {
    Level.NATIONAL.value: MotionRule(30, True),
    Level.PROVINCIAL.value: MotionRule(10, False),
    Level.MUNICIPAL.value: MotionRule(10, False),
    Level.COUNTY.value: MotionRule(10, False),
    Level.TOWNSHIP.value: MotionRule(5, False),
}


class Motion(Aggregate):
    """One motion (议案) to a congress session."""

    TOPIC = "renda:Motion"

    class Event(Aggregate.Event):
        TOPIC = "renda:Motion.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Motion.Created"

    class Drafted(Created):
        """A motion was drafted (class version 2: ``area``, the delegation's area for a
        delegation's motion). Version 1 had none: it replays with ``area`` None."""

        TOPIC = "renda:Motion.Drafted"
        class_version = 2

        title: str
        body: str
        level: str
        proposer: str
        lead_deputy: str | None
        delegation: str | None
        area: str | None
        on: date
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """``area`` added: older drafts have none."""
            state.setdefault("area", None)

    if TYPE_CHECKING:
        Cosigned: ClassVar[type[Aggregate.Event]]
        Submitted: ClassVar[type[Aggregate.Event]]
        Received: ClassVar[type[Aggregate.Event]]
        Decided: ClassVar[type[Aggregate.Event]]
        Voted: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        return new_id()

    # -- commands ---------------------------------------------------------------

    @classmethod
    def draft(
        cls,
        *,
        title: str,
        body: str,
        level: Level | str,
        proposer: Proposer | str,
        lead_deputy: str | None,
        delegation: str | None,
        rule: MotionRule,
        on: date,
        actor: Actor,
        area: str | None = None,
    ) -> Motion:
        """Draft a motion led by a deputy (领衔代表) or in a delegation's name; ``area``
        is the delegation's (division code), used when the motion is handled as a
        suggestion."""
        kind = Proposer.of(proposer).value
        if kind == Proposer.DEPUTIES.value:
            if not lead_deputy:
                raise RuleViolated("a joint motion (代表联名) needs its lead deputy (领衔代表)")
            delegation = None
            area = None
        else:
            if not rule.delegation:
                raise RuleViolated(
                    f"a delegation (代表团) cannot put a motion to the "
                    f"{Level.of(level).label}级 congress; {rule.min_deputies} deputies can"
                )
            if not delegation:
                raise RuleViolated("a delegation's motion needs the delegation's name")
            if not area:
                raise RuleViolated(
                    "a delegation's motion needs the delegation's area (a division code, "
                    "e.g. 220000 for 吉林代表团): a motion not put on the agenda becomes a "
                    "suggestion of that area"
                )
            check_area_code(area)
        return cls(
            title=title,
            body=body,
            level=Level.of(level).value,
            proposer=kind,
            lead_deputy=lead_deputy,
            delegation=delegation,
            area=area,
            on=on,
            actor=actor,
        )

    def cosign(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        """A deputy joins the motion (联名)."""
        self._check_status({MotionStatus.DRAFT}, "co-sign")
        if self.proposer != Proposer.DEPUTIES.value:
            raise RuleViolated("a delegation's motion is not co-signed by deputies")
        if deputy_id == self.lead_deputy:
            raise RuleViolated("the lead deputy already signs the motion")
        if deputy_id in self.cosigners:
            raise RuleViolated(f"deputy {deputy_id} already co-signed")
        self._check_on(on, self.drafted_on, "the draft")
        self._cosigned(deputy_id=deputy_id, on=on, actor=actor)

    def submit(self, *, session_id: str, rule: MotionRule, on: date, actor: Actor) -> None:
        """Put the motion to the session (``session_id``, open on ``on``: the caller checks)."""
        self._check_status({MotionStatus.DRAFT}, "submit")
        self._check_on(on, max([self.drafted_on, *self.cosigned_on.values()]), "the last signature")
        if self.proposer == Proposer.DEPUTIES.value:
            signatures = 1 + len(self.cosigners)
            if signatures < rule.min_deputies:
                raise RuleViolated(
                    f"a motion to the {Level.of(self.level).label}级 congress needs "
                    f"{rule.min_deputies} or more deputies jointly; it has {signatures}"
                )
        self._submitted(session_id=session_id, on=on, actor=actor)

    def receive(self, *, on: date, actor: Actor) -> None:
        """The secretariat received the motion (收到)."""
        self._check_status({MotionStatus.SUBMITTED}, "receive")
        assert self.submitted_on is not None
        self._check_on(on, self.submitted_on, "the submission")
        self._received(on=on, actor=actor)

    def decide(
        self,
        *,
        decision: Decision | str,
        reason: str | None,
        suggestion_id: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        """The presidium's decision (主席团决定): on the agenda, or handled as the
        suggestion ``suggestion_id`` (created by the caller in the same write)."""
        self.check_decision(on=on)
        value = Decision.of(decision).value
        if value == Decision.NOT_AGENDA.value and not suggestion_id:
            raise RuleViolated("a motion not put on the agenda is handled as a suggestion")
        if value == Decision.AGENDA.value and suggestion_id:
            raise RuleViolated("a motion on the agenda is not handled as a suggestion")
        self._decided(
            decision=value, reason=reason, suggestion_id=suggestion_id, on=on, actor=actor
        )

    def check_decision(self, *, on: date) -> None:
        """Raise if the presidium cannot decide on the motion on ``on``."""
        self._check_status({MotionStatus.RECEIVED}, "decide on")
        assert self.received_on is not None
        self._check_on(on, self.received_on, "its receipt")

    def vote(self, *, passed: bool, on: date, actor: Actor) -> None:
        """The congress voted on the motion put on its agenda (表决)."""
        self._check_status({MotionStatus.ON_AGENDA}, "record the vote on")
        assert self.decided_on is not None
        self._check_on(on, self.decided_on, "the presidium's decision")
        self._voted(passed=passed, on=on, actor=actor)

    def _check_status(self, allowed: set[MotionStatus], what: RefusalPhrase) -> None:
        if self.status not in allowed:
            label = MotionStatus.of(self.status).label
            raise RuleViolated(f"cannot {what} a motion that is {label} ({self.status})")

    @staticmethod
    def _check_on(on: date, since: date, what: RefusalPhrase) -> None:
        if on < since:
            raise RuleViolated(f"date {on} is before {what} ({since})")

    # -- events -----------------------------------------------------------------

    @event(Drafted)
    def __init__(
        self,
        *,
        title: str,
        body: str,
        level: str,
        proposer: str,
        lead_deputy: str | None,
        delegation: str | None,
        area: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.title = title
        self.body = body
        self.level = level
        self.proposer = proposer
        self.lead_deputy = lead_deputy
        self.delegation = delegation
        self.area = area
        self.drafted_on = on
        self.cosigners: list[str] = []
        self.cosigned_on: dict[str, date] = {}
        self.status = MotionStatus.DRAFT.value
        self.session_id: str | None = None
        self.submitted_on: date | None = None
        self.received_on: date | None = None
        self.decision: str | None = None
        self.reason: str | None = None
        self.decided_on: date | None = None
        self.suggestion_id: str | None = None
        self.passed: bool | None = None
        self.voted_on: date | None = None

    @event("Cosigned", topic="renda:Motion.Cosigned")
    def _cosigned(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.cosigners.append(deputy_id)
        self.cosigned_on[deputy_id] = on

    @event("Submitted", topic="renda:Motion.Submitted")
    def _submitted(self, *, session_id: str, on: date, actor: Actor) -> None:
        self.status = MotionStatus.SUBMITTED.value
        self.session_id = session_id
        self.submitted_on = on

    @event("Received", topic="renda:Motion.Received")
    def _received(self, *, on: date, actor: Actor) -> None:
        self.status = MotionStatus.RECEIVED.value
        self.received_on = on

    @event("Decided", topic="renda:Motion.Decided")
    def _decided(
        self,
        *,
        decision: str,
        reason: str | None,
        suggestion_id: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.decision = decision
        self.reason = reason
        self.decided_on = on
        self.suggestion_id = suggestion_id
        self.status = (
            MotionStatus.ON_AGENDA.value
            if decision == Decision.AGENDA.value
            else MotionStatus.NOT_ON_AGENDA.value
        )

    @event("Voted", topic="renda:Motion.Voted")
    def _voted(self, *, passed: bool, on: date, actor: Actor) -> None:
        self.passed = passed
        self.voted_on = on
        self.status = MotionStatus.PASSED.value if passed else MotionStatus.NOT_PASSED.value

    # -- reading ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        def d(value: date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": str(self.id),
            "title": self.title,
            "body": self.body,
            "level": self.level,
            "proposer": self.proposer,
            "proposer_label": Proposer.of(self.proposer).label,
            "lead_deputy": self.lead_deputy,
            "delegation": self.delegation,
            "area": self.area,
            "cosigners": list(self.cosigners),
            "status": self.status,
            "status_label": MotionStatus.of(self.status).label,
            "drafted_on": d(self.drafted_on),
            "session_id": self.session_id,
            "submitted_on": d(self.submitted_on),
            "received_on": d(self.received_on),
            "decision": self.decision,
            "reason": self.reason,
            "decided_on": d(self.decided_on),
            "suggestion_id": self.suggestion_id,
            "passed": self.passed,
            "voted_on": d(self.voted_on),
            "version": self.version,
        }
