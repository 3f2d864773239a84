"""Administrative division (行政区划): province, prefecture, county, township or street.

A division's id is derived from its code (``Division.create_id(code)``), so importing
the same code twice addresses the same aggregate, and a re-import that changes nothing
records nothing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RuleViolated
from renda_core.domain.values import Actor, Labelled, check_area_code


class DivisionKind(Labelled):
    """The kinds of division renda records (GB/T 2260 and the township codes)."""

    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "地级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇"
    STREET = "street", "街道"


RANK = {
    DivisionKind.PROVINCE: 1,
    DivisionKind.PREFECTURE: 2,
    DivisionKind.COUNTY: 3,
    DivisionKind.TOWNSHIP: 4,
    DivisionKind.STREET: 4,
}
BASE_KINDS = frozenset({DivisionKind.TOWNSHIP.value, DivisionKind.STREET.value})
"""Township and street divisions: where stations stand and coverage is counted."""


def check_parent(kind: str, parent_kind: str | None, code: str) -> None:
    """A province has no parent; any other division sits under a higher kind."""
    own = DivisionKind.of(kind)
    if own is DivisionKind.PROVINCE:
        if parent_kind is not None:
            raise RuleViolated(f"province {code} cannot have a parent division")
        return
    division_kind = own.value  # named so, a message shows it as divisions are labelled
    if parent_kind is None:
        raise RuleViolated(f"{division_kind} {code} needs a parent division")
    if RANK[DivisionKind.of(parent_kind)] >= RANK[own]:
        raise RuleViolated(f"a {parent_kind} cannot be the parent of the {division_kind} {code}")


class Division(Aggregate):
    """One administrative division, addressed by its code."""

    TOPIC = "renda:Division"

    class Event(Aggregate.Event):
        TOPIC = "renda:Division.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Division.Created"

    if TYPE_CHECKING:  # defined by the @event decorators below
        Recorded: ClassVar[type[Aggregate.Event]]
        Corrected: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(code: str) -> UUID:
        return uuid5(NAMESPACE_URL, f"/renda/divisions/{code}")

    # -- commands ---------------------------------------------------------------

    @classmethod
    def record(
        cls,
        *,
        code: str,
        name: str,
        kind: DivisionKind,
        parent_code: str | None,
        on: date,
        actor: Actor,
    ) -> Division:
        check_area_code(code)
        if parent_code is not None:
            check_area_code(parent_code)
            if parent_code == code:
                raise RuleViolated(f"division {code} cannot be its own parent")
        return cls(
            code=code,
            name=name,
            kind=DivisionKind.of(kind).value,
            parent_code=parent_code,
            on=on,
            actor=actor,
        )

    def changes_from(
        self, *, name: str, kind: DivisionKind, parent_code: str | None
    ) -> dict[str, Any]:
        """What a re-import with these values would change (empty: nothing)."""
        wanted = {"name": name, "kind": DivisionKind.of(kind).value, "parent_code": parent_code}
        return {k: v for k, v in wanted.items() if getattr(self, k) != v}

    def correct(self, changes: dict[str, Any], *, on: date, actor: Actor) -> None:
        unknown = set(changes) - {"name", "kind", "parent_code"}
        if unknown:
            raise RuleViolated(f"cannot correct {', '.join(sorted(unknown))} of a division")
        if not changes:
            raise RuleViolated(f"division {self.code}: nothing to correct")
        if changes.get("parent_code") == self.code:
            raise RuleViolated(f"division {self.code} cannot be its own parent")
        self._corrected(code=self.code, changes=dict(changes), on=on, actor=actor)

    # -- events -------------------------------------------------------------------

    @event("Recorded", topic="renda:Division.Recorded")
    def __init__(
        self,
        *,
        code: str,
        name: str,
        kind: str,
        parent_code: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.code = code
        self.name = name
        self.kind = kind
        self.parent_code = parent_code
        self.recorded_on = on

    @event("Corrected", topic="renda:Division.Corrected")
    def _corrected(self, *, code: str, changes: dict[str, Any], on: date, actor: Actor) -> None:
        for key, value in changes.items():
            setattr(self, key, value)

    # -- reading ------------------------------------------------------------------

    @property
    def is_base(self) -> bool:
        """A township or street: where stations stand."""
        return self.kind in BASE_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "kind_label": DivisionKind.of(self.kind).label,
            "parent_code": self.parent_code,
            "recorded_on": self.recorded_on.isoformat(),
            "version": self.version,
        }
