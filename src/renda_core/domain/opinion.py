"""Opinion (社情民意件): one item of public opinion collected at a station, and its
closed loop 收集 → 汇总 → 办理 → 反馈.

States::

    collected ──screen──▶ out_of_scope ──close──▶ closed
        │      ──screen──▶ merged (duplicate, 汇总 into another item)
        └──────screen──▶ accepted ──answer──────────────▶ handled
                            │  ──refer──▶ referred ──result──▶ handled
                            │  ──escalate─▶ escalated ─result─▶ handled
                            ▲                                   │ feedback
                            └──── evaluate (不满意: reopened) ── fed_back
                                  evaluate (满意/基本满意) ──▶ closed
                                  close ──────────────────────▶ closed

Illegal orders (feedback before a result, closing without feedback, routing an item
not accepted, …) raise :class:`RuleViolated` and record nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, Labelled

COLLECTED = "collected"
OUT_OF_SCOPE = "out_of_scope"
MERGED = "merged"
ACCEPTED = "accepted"
REFERRED = "referred"
ESCALATED = "escalated"
HANDLED = "handled"
FED_BACK = "fed_back"
CLOSED = "closed"
STATUS_LABELS = {
    COLLECTED: "已收集",
    OUT_OF_SCOPE: "不属受理范围",
    MERGED: "已汇总合并",
    ACCEPTED: "已受理",
    REFERRED: "已转办",
    ESCALATED: "已转为建议/专刊",
    HANDLED: "已办理",
    FED_BACK: "已反馈",
    CLOSED: "已办结",
}


class Channel(Labelled):
    """How the opinion reached the deputies."""

    RECEPTION_DAY = "reception_day", "选民接待日"
    APPOINTMENT = "appointment", "预约接待"
    CLOUD_RECEPTION = "cloud_reception", "云接待"
    APP = "app", "代表履职APP"
    VISIT = "visit", "走访"


class ScreenOutcome(Labelled):
    ACCEPTED = "accepted", "受理"
    OUT_OF_SCOPE = "out_of_scope", "不属受理范围"
    DUPLICATE = "duplicate", "重复件（汇总）"


class ProperChannel(Labelled):
    """Where an out-of-scope item belongs; the citizen is told."""

    LITIGATION = "litigation", "诉讼"
    PETITION = "petition", "信访"
    ARBITRATION = "arbitration", "仲裁"
    ADMINISTRATIVE_REVIEW = "administrative_review", "行政复议"
    OTHER = "other", "其他"


class BodyKind(Labelled):
    """Who an accepted item is referred to."""

    LOCAL = "local", "属地"
    DEPARTMENT = "department", "职能部门"


class EscalationTarget(Labelled):
    SUGGESTION = "suggestion", "代表建议"
    BULLETIN = "bulletin", "《人大代表之声》专刊"


class Recipient(Labelled):
    DEPUTY = "deputy", "代表"
    CITIZEN = "citizen", "群众"


class Rating(Labelled):
    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Opinion(Aggregate):
    """A 社情民意件 and where it stands in the closed loop."""

    TOPIC = "renda:Opinion"

    class Event(Aggregate.Event):
        TOPIC = "renda:Opinion.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Opinion.Created"

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        """A random id, or the one an importer assigned (see ``domain/ids.py``)."""
        return new_id()

    if TYPE_CHECKING:  # defined by the @event decorators below
        Collected: ClassVar[type[Aggregate.Event]]
        Screened: ClassVar[type[Aggregate.Event]]
        DuplicateMerged: ClassVar[type[Aggregate.Event]]
        AnsweredOnTheSpot: ClassVar[type[Aggregate.Event]]
        Referred: ClassVar[type[Aggregate.Event]]
        Escalated: ClassVar[type[Aggregate.Event]]
        ResultRecorded: ClassVar[type[Aggregate.Event]]
        FedBack: ClassVar[type[Aggregate.Event]]
        Evaluated: ClassVar[type[Aggregate.Event]]
        Closed: ClassVar[type[Aggregate.Event]]

    # -- commands ---------------------------------------------------------------

    @classmethod
    def collect(
        cls,
        *,
        station_id: str,
        channel: Channel,
        content: str,
        deputies: Iterable[str],
        category: str | None = None,
        citizen_name: str | None = None,
        citizen_phone: str | None = None,
        citizen_notify: bool = False,
        on: date,
        actor: Actor,
    ) -> Opinion:
        receiving = list(deputies)
        if not receiving:
            raise RuleViolated("an opinion needs at least one receiving deputy")
        if len(set(receiving)) != len(receiving):
            raise RuleViolated("a receiving deputy is named twice")
        if not content.strip():
            raise RuleViolated("the content of an opinion cannot be empty")
        return cls(
            station_id=station_id,
            channel=Channel.of(channel).value,
            content=content,
            deputies=receiving,
            category=category,
            citizen_name=citizen_name,
            citizen_phone=citizen_phone,
            citizen_notify=citizen_notify,
            on=on,
            actor=actor,
        )

    def accept(self, *, on: date, note: str | None, actor: Actor) -> None:
        self._check_status("screen", COLLECTED)
        self._check_date(on)
        self._screened(
            outcome=ScreenOutcome.ACCEPTED.value,
            advice=None,
            note=note,
            merged_into=None,
            on=on,
            actor=actor,
        )

    def rule_out_of_scope(
        self, *, advice: ProperChannel, note: str | None, on: date, actor: Actor
    ) -> None:
        """Not for the deputies: the citizen is told the right channel."""
        self._check_status("screen", COLLECTED)
        self._check_date(on)
        self._screened(
            outcome=ScreenOutcome.OUT_OF_SCOPE.value,
            advice=ProperChannel.of(advice).value,
            note=note,
            merged_into=None,
            on=on,
            actor=actor,
        )

    def merge_into(self, target: Opinion, *, on: date, note: str | None, actor: Actor) -> None:
        """A duplicate: merged (汇总) into ``target``, which carries the loop on.

        Change both aggregates and save them together.
        """
        self._check_status("screen", COLLECTED)
        self._check_date(on)
        if target.id == self.id:
            raise RuleViolated("an opinion cannot be merged into itself")
        if target.status in (COLLECTED, OUT_OF_SCOPE, MERGED, CLOSED):
            raise RuleViolated(
                f"cannot merge into opinion {target.id}: it is {target.status}, "
                "not an accepted item still in its loop"
            )
        self._screened(
            outcome=ScreenOutcome.DUPLICATE.value,
            advice=None,
            note=note,
            merged_into=str(target.id),
            on=on,
            actor=actor,
        )
        target._duplicate_merged(duplicate_id=str(self.id), on=on, actor=actor)

    def answer(self, *, result: str, on: date, actor: Actor) -> None:
        """Answered on the spot (当场答复): routed and handled at once."""
        self._check_status("answer on the spot", ACCEPTED)
        self._check_date(on)
        self._answered(result=result, on=on, actor=actor)

    def refer(self, *, body: str, body_kind: BodyKind, due: date, on: date, actor: Actor) -> None:
        """Referred to a local body or a department, to be handled by ``due``."""
        self._check_status("refer", ACCEPTED)
        self._check_date(on)
        if due < on:
            raise RuleViolated(f"due date {due} is before the referral ({on})")
        self._referred(
            body=body, body_kind=BodyKind.of(body_kind).value, due=due, on=on, actor=actor
        )

    def escalate(
        self, *, target_kind: EscalationTarget, target_id: str, on: date, actor: Actor
    ) -> None:
        """Escalated into a Suggestion (代表建议) or a bulletin item (专刊)."""
        self.check_escalation(on=on)
        self._escalated(
            target_kind=EscalationTarget.of(target_kind).value,
            target_id=target_id,
            on=on,
            actor=actor,
        )

    def check_escalation(self, *, on: date) -> None:
        """Raise unless the item may be escalated on ``on`` (nothing is recorded)."""
        self._check_status("escalate", ACCEPTED)
        self._check_date(on)

    def record_result(self, *, result: str, on: date, actor: Actor) -> None:
        self._check_status("record a handling result", REFERRED, ESCALATED)
        self._check_date(on)
        self._result_recorded(result=result, on=on, actor=actor)

    def feed_back(
        self, *, to: Iterable[Recipient], note: str | None, on: date, actor: Actor
    ) -> None:
        """Feedback of the handling result to the deputies and the citizen (反馈)."""
        if self.status in (ACCEPTED, REFERRED, ESCALATED, COLLECTED):
            raise RuleViolated("cannot give feedback before a handling result is recorded")
        self._check_status("give feedback", HANDLED)
        self._check_date(on)
        recipients = sorted({Recipient.of(r).value for r in to})
        if not recipients:
            raise RuleViolated("feedback goes to the deputy, the citizen or both")
        self._fed_back(to=recipients, note=note, on=on, actor=actor)

    def evaluate(self, *, rating: Rating, note: str | None, on: date, actor: Actor) -> None:
        """The citizen's evaluation: 满意/基本满意 closes the item, 不满意 reopens it."""
        self._check_status("record an evaluation", FED_BACK)
        self._check_date(on)
        value = Rating.of(rating).value
        if value == Rating.UNSATISFIED.value and not (note and note.strip()):
            raise RuleViolated("an unsatisfied evaluation needs the reason")
        self._evaluated(rating=value, note=note, on=on, actor=actor)

    def close(self, *, note: str | None, on: date, actor: Actor) -> None:
        if self.status in (COLLECTED, ACCEPTED, REFERRED, ESCALATED, HANDLED):
            raise RuleViolated(f"cannot close an opinion without feedback (it is {self.status})")
        self._check_status("close", FED_BACK, OUT_OF_SCOPE)
        self._check_date(on)
        self._closed(note=note, on=on, actor=actor)

    # -- guards -----------------------------------------------------------------

    def _check_status(self, what: RefusalPhrase, *allowed: str) -> None:
        if self.status not in allowed:
            wanted = " or ".join(allowed)
            raise RuleViolated(
                f"cannot {what}: the opinion is {self.status} ({STATUS_LABELS[self.status]}), "
                f"it must be {wanted}"
            )

    def _check_date(self, on: date) -> None:
        if on < self.last_on:
            raise RuleViolated(f"date {on} is before the opinion's last step ({self.last_on})")

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Collected", topic="renda:Opinion.Collected")
    def __init__(
        self,
        *,
        station_id: str,
        channel: str,
        content: str,
        deputies: list[str],
        category: str | None,
        citizen_name: str | None,
        citizen_phone: str | None,
        on: date,
        actor: Actor,
        citizen_notify: bool = False,
    ) -> None:
        """``citizen_notify``: the citizen opted in to be told of progress (default off;
        opinions recorded before the field existed replay as off)."""
        self.station_id = station_id
        self.channel = channel
        self.content = content
        self.deputies = list(deputies)
        self.category = category
        self.citizen_name = citizen_name
        self.citizen_phone = citizen_phone
        self.citizen_notify = citizen_notify
        self.collected_on = on
        self.last_on = on
        self.status = COLLECTED
        self.round = 1
        self.advice: str | None = None
        self.merged_into: str | None = None
        self.duplicates: list[str] = []
        self.route: dict[str, Any] | None = None
        self.result: str | None = None
        self.history: list[dict[str, Any]] = [{"step": "collected", "on": on}]

    @event("Screened", topic="renda:Opinion.Screened")
    def _screened(
        self,
        *,
        outcome: str,
        advice: str | None,
        note: str | None,
        merged_into: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.status = {
            ScreenOutcome.ACCEPTED.value: ACCEPTED,
            ScreenOutcome.OUT_OF_SCOPE.value: OUT_OF_SCOPE,
            ScreenOutcome.DUPLICATE.value: MERGED,
        }[outcome]
        self.advice = advice
        self.merged_into = merged_into
        self._step(f"screened: {outcome}", on, note=note)

    @event("DuplicateMerged", topic="renda:Opinion.DuplicateMerged")
    def _duplicate_merged(self, *, duplicate_id: str, on: date, actor: Actor) -> None:
        self.duplicates.append(duplicate_id)
        self.history.append({"step": "duplicate merged", "on": on, "duplicate_id": duplicate_id})

    @event("AnsweredOnTheSpot", topic="renda:Opinion.AnsweredOnTheSpot")
    def _answered(self, *, result: str, on: date, actor: Actor) -> None:
        self.route = {"kind": "on_the_spot", "on": on}
        self.result = result
        self.status = HANDLED
        self._step("answered on the spot", on, result=result)

    @event("Referred", topic="renda:Opinion.Referred")
    def _referred(self, *, body: str, body_kind: str, due: date, on: date, actor: Actor) -> None:
        self.route = {
            "kind": "referred",
            "body": body,
            "body_kind": body_kind,
            "due": due,
            "on": on,
        }
        self.status = REFERRED
        self._step("referred", on, body=body)

    @event("Escalated", topic="renda:Opinion.Escalated")
    def _escalated(self, *, target_kind: str, target_id: str, on: date, actor: Actor) -> None:
        self.route = {
            "kind": "escalated",
            "target_kind": target_kind,
            "target_id": target_id,
            "on": on,
        }
        self.status = ESCALATED
        self._step("escalated", on, target_kind=target_kind, target_id=target_id)

    @event("ResultRecorded", topic="renda:Opinion.ResultRecorded")
    def _result_recorded(self, *, result: str, on: date, actor: Actor) -> None:
        self.result = result
        self.status = HANDLED
        self._step("result recorded", on, result=result)

    @event("FedBack", topic="renda:Opinion.FedBack")
    def _fed_back(self, *, to: list[str], note: str | None, on: date, actor: Actor) -> None:
        self.status = FED_BACK
        self._step("fed back", on, to=list(to), note=note)

    @event("Evaluated", topic="renda:Opinion.Evaluated")
    def _evaluated(self, *, rating: str, note: str | None, on: date, actor: Actor) -> None:
        self._step("evaluated", on, rating=rating, note=note)
        if rating == Rating.UNSATISFIED.value:
            self.status = ACCEPTED
            self.round += 1
            self.route = None
            self.result = None
        else:
            self.status = CLOSED

    @event("Closed", topic="renda:Opinion.Closed")
    def _closed(self, *, note: str | None, on: date, actor: Actor) -> None:
        self.status = CLOSED
        self._step("closed", on, note=note)

    def _step(self, step: str, on: date, **details: Any) -> None:
        self.last_on = max(self.last_on, on)
        self.history.append({"step": step, "on": on, **details})

    # -- reading ------------------------------------------------------------------

    def to_dict(self, *, personal_data: bool = True) -> dict[str, Any]:
        route = None if self.route is None else {k: _plain(v) for k, v in self.route.items()}
        return {
            "id": str(self.id),
            "station_id": self.station_id,
            "channel": self.channel,
            "channel_label": Channel.of(self.channel).label,
            "content": self.content,
            "deputies": list(self.deputies),
            "category": self.category,
            "anonymous": self.citizen_name is None,
            "citizen_name": self.citizen_name if personal_data else None,
            "citizen_phone": self.citizen_phone if personal_data else None,
            "collected_on": self.collected_on.isoformat(),
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "round": self.round,
            "advice": self.advice,
            "merged_into": self.merged_into,
            "duplicates": list(self.duplicates),
            "route": route,
            "result": self.result,
            "history": [{k: _plain(v) for k, v in h.items()} for h in self.history],
            "version": self.version,
        }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
