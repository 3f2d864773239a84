"""DeputyGroup (代表小组): deputies of one congress grouped by electoral unit or sector,
with a leader, group activities (incl. dispute mediation 矛盾纠纷调解) and dissolution
at the end of the term.

That members are active deputies of the group's congress (level and term) is checked
by the application, which loads the deputies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, Labelled, Level, check_area_code, level_label

ACTIVE = "active"
DISSOLVED = "dissolved"
STATUS_LABELS = {ACTIVE: "活动中", DISSOLVED: "已解散"}


class GroupBasis(Labelled):
    ELECTORAL_UNIT = "electoral_unit", "按选举单位"
    SECTOR = "sector", "按专业领域"


class GroupActivityKind(Labelled):
    INSPECTION = "inspection", "视察"
    RESEARCH = "research", "调研"
    STUDY = "study", "学习"
    RECEPTION = "reception", "接待群众"
    MEDIATION = "mediation", "矛盾纠纷调解"
    OTHER = "other", "其他"


class DeputyGroup(Aggregate):
    """A 代表小组 of one congress (level and term)."""

    TOPIC = "renda:DeputyGroup"

    class Event(Aggregate.Event):
        TOPIC = "renda:DeputyGroup.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:DeputyGroup.Created"

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        """A random id, or the one an importer assigned (see ``domain/ids.py``)."""
        return new_id()

    if TYPE_CHECKING:  # defined by the @event decorators below
        Formed: ClassVar[type[Aggregate.Event]]
        MemberAdded: ClassVar[type[Aggregate.Event]]
        MemberRemoved: ClassVar[type[Aggregate.Event]]
        LeaderAppointed: ClassVar[type[Aggregate.Event]]
        ActivityHeld: ClassVar[type[Aggregate.Event]]
        Dissolved: ClassVar[type[Aggregate.Event]]

    # -- commands ---------------------------------------------------------------

    @classmethod
    def form(
        cls,
        *,
        name: str,
        basis: GroupBasis,
        unit: str,
        level: Level,
        term: int,
        area: str,
        on: date,
        actor: Actor,
    ) -> DeputyGroup:
        check_area_code(area)
        if term < 1:
            raise RuleViolated(f"term (届) must be 1 or more, got {term}")
        return cls(
            name=name,
            basis=GroupBasis.of(basis).value,
            unit=unit,
            level=Level.of(level).value,
            term=term,
            area=area,
            on=on,
            actor=actor,
        )

    def add_member(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self._check_active("add a member")
        self._check_not_before(on, self.formed_on, "the group was formed")
        if deputy_id in self.members:
            raise RuleViolated(f"deputy {deputy_id} is already a member of {self.name}")
        self._member_added(deputy_id=deputy_id, on=on, actor=actor)

    def remove_member(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self._check_active("remove a member")
        since = self._member_since(deputy_id)
        self._check_not_before(on, since, "the deputy joined")
        self._member_removed(deputy_id=deputy_id, on=on, actor=actor)

    def appoint_leader(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self._check_active("appoint a leader")
        since = self._member_since(deputy_id)
        self._check_not_before(on, since, "the deputy joined")
        if self.leader == deputy_id:
            raise RuleViolated(f"deputy {deputy_id} already leads {self.name}")
        self._leader_appointed(deputy_id=deputy_id, on=on, actor=actor)

    def hold_activity(
        self,
        *,
        kind: GroupActivityKind,
        on: date,
        participants: Iterable[str],
        disputes_handled: int = 0,
        disputes_resolved: int = 0,
        topic: str | None = None,
        actor: Actor,
    ) -> int:
        """Record a group activity; returns its number (1, 2, …)."""
        self._check_active("hold an activity")
        self._check_not_before(on, self.formed_on, "the group was formed")
        present = list(participants)
        if not present:
            raise RuleViolated("an activity needs at least one participating member")
        if len(set(present)) != len(present):
            raise RuleViolated("a participant is named twice")
        for deputy_id in present:
            since = self._member_since(deputy_id)
            self._check_not_before(on, since, f"deputy {deputy_id} joined the group")
        value = GroupActivityKind.of(kind).value
        if disputes_handled < 0 or disputes_resolved < 0:
            raise RuleViolated("numbers of disputes cannot be negative")
        if value != GroupActivityKind.MEDIATION.value and (disputes_handled or disputes_resolved):
            raise RuleViolated("disputes are recorded on dispute-mediation activities only")
        if disputes_resolved > disputes_handled:
            raise RuleViolated(
                f"{disputes_resolved} disputes resolved is more than the {disputes_handled} handled"
            )
        number = len(self.activities) + 1
        self._activity_held(
            number=number,
            kind=value,
            participants=present,
            disputes_handled=disputes_handled,
            disputes_resolved=disputes_resolved,
            topic=topic,
            on=on,
            actor=actor,
        )
        return number

    def dissolve(self, *, on: date, actor: Actor) -> None:
        """Dissolve the group (at the end of the term)."""
        self._check_active("dissolve the group")
        self._check_not_before(on, self.last_change_on, "the group's last recorded change")
        self._dissolved(on=on, actor=actor)

    # -- guards -----------------------------------------------------------------

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE

    def _check_active(self, what: RefusalPhrase) -> None:
        if not self.is_active:
            raise RuleViolated(f"cannot {what}: group {self.name} dissolved on {self.dissolved_on}")

    def _member_since(self, deputy_id: str) -> date:
        since = self.members.get(deputy_id)
        if since is None:
            raise RuleViolated(f"deputy {deputy_id} is not a member of {self.name}")
        return since

    @staticmethod
    def _check_not_before(on: date, earliest: date, what: RefusalPhrase) -> None:
        if on < earliest:
            raise RuleViolated(f"date {on} is before {what} ({earliest})")

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Formed", topic="renda:DeputyGroup.Formed")
    def __init__(
        self,
        *,
        name: str,
        basis: str,
        unit: str,
        level: str,
        term: int,
        area: str,
        on: date,
        actor: Actor,
    ) -> None:
        self.name = name
        self.basis = basis
        self.unit = unit
        self.level = level
        self.term = term
        self.area = area
        self.formed_on = on
        self.last_change_on = on
        self.status = ACTIVE
        self.dissolved_on: date | None = None
        self.members: dict[str, date] = {}
        self.leader: str | None = None
        self.activities: list[dict[str, Any]] = []

    @event("MemberAdded", topic="renda:DeputyGroup.MemberAdded")
    def _member_added(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.members[deputy_id] = on
        self.last_change_on = max(self.last_change_on, on)

    @event("MemberRemoved", topic="renda:DeputyGroup.MemberRemoved")
    def _member_removed(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        del self.members[deputy_id]
        if self.leader == deputy_id:
            self.leader = None
        self.last_change_on = max(self.last_change_on, on)

    @event("LeaderAppointed", topic="renda:DeputyGroup.LeaderAppointed")
    def _leader_appointed(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        self.leader = deputy_id
        self.last_change_on = max(self.last_change_on, on)

    @event("ActivityHeld", topic="renda:DeputyGroup.ActivityHeld")
    def _activity_held(
        self,
        *,
        number: int,
        kind: str,
        participants: list[str],
        disputes_handled: int,
        disputes_resolved: int,
        topic: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.activities.append(
            {
                "number": number,
                "kind": kind,
                "participants": list(participants),
                "disputes_handled": disputes_handled,
                "disputes_resolved": disputes_resolved,
                "topic": topic,
                "on": on,
            }
        )
        self.last_change_on = max(self.last_change_on, on)

    @event("Dissolved", topic="renda:DeputyGroup.Dissolved")
    def _dissolved(self, *, on: date, actor: Actor) -> None:
        self.status = DISSOLVED
        self.dissolved_on = on

    # -- reading ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "basis": self.basis,
            "unit": self.unit,
            "level": self.level,
            "level_label": level_label(self.level, self.area),
            "term": self.term,
            "area": self.area,
            "formed_on": self.formed_on.isoformat(),
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "dissolved_on": self.dissolved_on.isoformat() if self.dissolved_on else None,
            "leader": self.leader,
            "members": [{"deputy_id": d, "since": s.isoformat()} for d, s in self.members.items()],
            "activities": [{**a, "on": a["on"].isoformat()} for a in self.activities],
            "version": self.version,
        }
