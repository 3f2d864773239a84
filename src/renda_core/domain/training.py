"""TrainingCourse (培训班): initial, duty or topical training (初任 / 履职 / 专题), the
deputies enrolled, their attendance and completion.

A deputy's training record is a projection over courses (``renda deputy record``), not
a second copy in the Deputy stream.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, Labelled, Level


class CourseKind(Labelled):
    INITIAL = "initial", "初任培训"
    DUTY = "duty", "履职培训"
    TOPICAL = "topical", "专题培训"


class TrainingCourse(Aggregate):
    """A 培训班 held between two dates, for deputies of one level (or any)."""

    TOPIC = "renda:TrainingCourse"

    class Event(Aggregate.Event):
        TOPIC = "renda:TrainingCourse.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:TrainingCourse.Created"

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        """A random id, or the one an importer assigned (see ``domain/ids.py``)."""
        return new_id()

    if TYPE_CHECKING:  # defined by the @event decorators below
        Planned: ClassVar[type[Aggregate.Event]]
        DeputyEnrolled: ClassVar[type[Aggregate.Event]]
        AttendanceRecorded: ClassVar[type[Aggregate.Event]]
        DeputyCompleted: ClassVar[type[Aggregate.Event]]

    # -- commands ---------------------------------------------------------------

    @classmethod
    def plan(
        cls,
        *,
        kind: CourseKind,
        title: str,
        topic: str | None,
        starts: date,
        ends: date,
        target_level: Level | None,
        on: date,
        actor: Actor,
    ) -> TrainingCourse:
        if ends < starts:
            raise RuleViolated(f"the course ends ({ends}) before it starts ({starts})")
        return cls(
            kind=CourseKind.of(kind).value,
            title=title,
            topic=topic,
            starts=starts,
            ends=ends,
            target_level=Level.of(target_level).value if target_level else None,
            on=on,
            actor=actor,
        )

    def enrol(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        if deputy_id in self.enrolled:
            raise RuleViolated(f"deputy {deputy_id} is already enrolled in {self.title}")
        if on > self.ends:
            raise RuleViolated(f"cannot enrol on {on}: the course ended on {self.ends}")
        if on < self.planned_on:
            raise RuleViolated(
                f"date {on} is before the course was planned (opened for enrolment, "
                f"{self.planned_on})"
            )
        self._enrolled(deputy_id=deputy_id, on=on, actor=actor)

    def attend(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self._check_enrolled(deputy_id)
        if not self.starts <= on <= self.ends:
            raise RuleViolated(
                f"attendance on {on} is outside the course ({self.starts} to {self.ends})"
            )
        if on in self.attendance[deputy_id]:
            raise RuleViolated(f"attendance of {deputy_id} on {on} is already recorded")
        self._attended(deputy_id=deputy_id, on=on, actor=actor)

    def complete(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        """The deputy completed the course (结业)."""
        self._check_enrolled(deputy_id)
        if deputy_id in self.completed:
            raise RuleViolated(f"deputy {deputy_id} already completed {self.title}")
        if not self.attendance[deputy_id]:
            raise RuleViolated(f"deputy {deputy_id} has no recorded attendance of {self.title}")
        latest = max(self.attendance[deputy_id])
        if on < latest:
            raise RuleViolated(f"completion on {on} is before the last attendance ({latest})")
        self._completed(deputy_id=deputy_id, on=on, actor=actor)

    def _check_enrolled(self, deputy_id: str) -> None:
        if deputy_id not in self.enrolled:
            raise RuleViolated(f"deputy {deputy_id} is not enrolled in {self.title}")

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Planned", topic="renda:TrainingCourse.Planned")
    def __init__(
        self,
        *,
        kind: str,
        title: str,
        topic: str | None,
        starts: date,
        ends: date,
        target_level: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.kind = kind
        self.title = title
        self.topic = topic
        self.starts = starts
        self.ends = ends
        self.target_level = target_level
        self.planned_on = on
        self.enrolled: dict[str, date] = {}
        self.attendance: dict[str, list[date]] = {}
        self.completed: dict[str, date] = {}

    @event("DeputyEnrolled", topic="renda:TrainingCourse.DeputyEnrolled")
    def _enrolled(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.enrolled[deputy_id] = on
        self.attendance[deputy_id] = []

    @event("AttendanceRecorded", topic="renda:TrainingCourse.AttendanceRecorded")
    def _attended(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.attendance[deputy_id].append(on)

    @event("DeputyCompleted", topic="renda:TrainingCourse.DeputyCompleted")
    def _completed(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.completed[deputy_id] = on

    # -- reading ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "kind": self.kind,
            "kind_label": CourseKind.of(self.kind).label,
            "title": self.title,
            "topic": self.topic,
            "starts": self.starts.isoformat(),
            "ends": self.ends.isoformat(),
            "target_level": self.target_level,
            "planned_on": self.planned_on.isoformat(),
            "enrolled": [
                {
                    "deputy_id": d,
                    "enrolled_on": on.isoformat(),
                    "attended": [a.isoformat() for a in self.attendance[d]],
                    "completed_on": (
                        self.completed[d].isoformat() if d in self.completed else None
                    ),
                }
                for d, on in self.enrolled.items()
            ],
            "version": self.version,
        }
