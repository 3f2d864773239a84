"""Reporting to constituents (代表述职): a deputy reports on their duty performance.

The Deputies Law asks deputies to keep in touch with the people who elected them and to
report on their duty performance to them (向原选区选民或原选举单位报告履职情况), and
the deputy's activity is recorded and made public (代表履职档案). One
:class:`ConstituentReport` is one such meeting: the deputy, the day, the place, how many
attended, the audience, and — at the meeting or later — the attendees' evaluation (评议/
测评: 满意 / 基本满意 / 不满意). A report recorded in error is cancelled (with the
reason), never deleted: the duty record then leaves it out.

The id is natural (deputy, day, place), so the same meeting cannot be recorded twice.

Lifecycle::

    reported → evaluated
    reported → cancelled
    evaluated → cancelled
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.values import Actor, Labelled

MAX_ATTENDEES = 100_000


class ReportStatus(Labelled):
    REPORTED = "reported", "已述职"
    EVALUATED = "evaluated", "已评议"
    CANCELLED = "cancelled", "已撤销"


class Evaluation(Labelled):
    """The attendees' evaluation of the report (述职评议)."""

    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically_satisfied", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


def constituent_report_id(deputy_id: str, on: date, place: str) -> UUID:
    """The natural id of one 述职 meeting: the deputy, the day and the place."""
    return uuid5(NAMESPACE_URL, f"/renda/constituent-reports/{deputy_id}/{on.isoformat()}/{place}")


class ConstituentReport(Aggregate):
    """One 述职: a deputy reporting on their duty performance to their constituents."""

    TOPIC = "renda:ConstituentReport"

    class Event(Aggregate.Event):
        TOPIC = "renda:ConstituentReport.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:ConstituentReport.Created"

    if TYPE_CHECKING:  # defined by the @event decorators below
        Reported: ClassVar[type[Aggregate.Event]]
        Evaluated: ClassVar[type[Aggregate.Event]]
        Cancelled: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(*, deputy_id: str, on: date, place: str, **_: Any) -> UUID:
        return constituent_report_id(deputy_id, on, place)

    # -- commands ---------------------------------------------------------------

    @classmethod
    def report(
        cls,
        *,
        deputy_id: str,
        on: date,
        place: str,
        attendees: int,
        audience: str | None,
        summary: str | None,
        evaluation: Evaluation | str | None,
        actor: Actor,
    ) -> ConstituentReport:
        """Record a 述职 held on ``on`` at ``place`` before ``attendees`` people."""
        if not place.strip():
            raise RuleViolated("the place of the report (述职地点) is required")
        if not 1 <= attendees <= MAX_ATTENDEES:
            raise RuleViolated(f"attendees must be between 1 and {MAX_ATTENDEES}, got {attendees}")
        return cls(
            deputy_id=deputy_id,
            on=on,
            place=place,
            attendees=attendees,
            audience=audience,
            summary=summary,
            evaluation=Evaluation.of(evaluation).value if evaluation else None,
            actor=actor,
        )

    def evaluate(
        self, *, evaluation: Evaluation | str, note: str | None, on: date, actor: Actor
    ) -> None:
        """Record the attendees' evaluation, once (评议), on or after the report's day."""
        self._check_not_cancelled("record an evaluation")
        if self.evaluation is not None:
            raise RuleViolated(
                f"the report was already evaluated ({Evaluation.of(self.evaluation).label})"
            )
        if on < self.on:
            raise RuleViolated(f"date {on} is before the report ({self.on})")
        self._evaluated(evaluation=Evaluation.of(evaluation).value, note=note, on=on, actor=actor)

    def cancel(self, *, reason: str, on: date, actor: Actor) -> None:
        """Cancel a report recorded in error (撤销); the reason is kept."""
        self._check_not_cancelled("cancel")
        if not reason.strip():
            raise RuleViolated("a cancellation needs a reason")
        if on < self.on:
            raise RuleViolated(f"date {on} is before the report ({self.on})")
        self._cancelled(reason=reason, on=on, actor=actor)

    def _check_not_cancelled(self, what: RefusalPhrase) -> None:
        if self.status == ReportStatus.CANCELLED:
            raise RuleViolated(f"cannot {what}: the report was cancelled on {self.cancelled_on}")

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Reported", topic="renda:ConstituentReport.Reported")
    def __init__(
        self,
        *,
        deputy_id: str,
        on: date,
        place: str,
        attendees: int,
        audience: str | None,
        summary: str | None,
        evaluation: str | None,
        actor: Actor,
    ) -> None:
        self.deputy_id = deputy_id
        self.on = on
        self.place = place
        self.attendees = attendees
        self.audience = audience
        self.summary = summary
        self.evaluation = evaluation
        self.evaluated_on: date | None = on if evaluation else None
        self.note: str | None = None
        self.status = ReportStatus.EVALUATED if evaluation else ReportStatus.REPORTED
        self.cancelled_on: date | None = None
        self.cancel_reason: str | None = None

    @event("Evaluated", topic="renda:ConstituentReport.Evaluated")
    def _evaluated(self, *, evaluation: str, note: str | None, on: date, actor: Actor) -> None:
        self.evaluation = evaluation
        self.note = note
        self.evaluated_on = on
        self.status = ReportStatus.EVALUATED

    @event("Cancelled", topic="renda:ConstituentReport.Cancelled")
    def _cancelled(self, *, reason: str, on: date, actor: Actor) -> None:
        self.status = ReportStatus.CANCELLED
        self.cancelled_on = on
        self.cancel_reason = reason

    # -- reading ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        status = ReportStatus.of(self.status)
        return {
            "id": str(self.id),
            "deputy_id": self.deputy_id,
            "on": self.on.isoformat(),
            "place": self.place,
            "attendees": self.attendees,
            "audience": self.audience,
            "summary": self.summary,
            "evaluation": self.evaluation,
            "evaluation_label": Evaluation.of(self.evaluation).label if self.evaluation else None,
            "evaluated_on": self.evaluated_on.isoformat() if self.evaluated_on else None,
            "note": self.note,
            "status": status.value,
            "status_label": status.label,
            "cancelled_on": self.cancelled_on.isoformat() if self.cancelled_on else None,
            "cancel_reason": self.cancel_reason,
            "version": self.version,
        }
