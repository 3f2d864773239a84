"""Administrative division (行政区划): province, prefecture, county, township or street.

A division's id is derived from its code (``Division.create_id(code)``), so importing
the same code twice addresses the same aggregate, and a re-import that changes nothing
records nothing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RuleViolated
from renda_core.domain.values import (
    MUNICIPALITIES,
    Actor,
    Labelled,
    check_area_code,
    division_id,
)


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


#: the endings of a township's or a street's name (GB/T 10114 names them so)
_STREET_NAMES = ("街道", "街道办事处")
_TOWNSHIP_NAMES = ("镇", "乡", "民族乡", "苏木", "民族苏木")


def kind_of_code(code: str, name: str = "") -> DivisionKind | None:
    """The kind a code names, for a list that gives codes and names only (民政部's
    县以上行政区划代码, a township list): a six-digit code (GB/T 2260) ending in 0000 is
    a province, in 00 a prefecture, else a county; a nine-digit one (GB/T 10114) is a
    street or a township by its name's ending, else by its last three digits (001–099
    街道, 100–399 镇 and 乡). ``None`` when the code does not tell (twelve digits)."""
    if len(code) == 6:
        if code.endswith("0000"):
            return DivisionKind.PROVINCE
        return DivisionKind.PREFECTURE if code.endswith("00") else DivisionKind.COUNTY
    if len(code) != 9:
        return None
    if name.endswith(_STREET_NAMES):
        return DivisionKind.STREET
    if name.endswith(_TOWNSHIP_NAMES):
        return DivisionKind.TOWNSHIP
    serial = int(code[6:])
    if 1 <= serial <= 99:
        return DivisionKind.STREET
    return DivisionKind.TOWNSHIP if 100 <= serial <= 399 else None


#: the provincial-level divisions that are autonomous regions (自治区): 内蒙古, 广西,
#: 西藏, 宁夏, 新疆
AUTONOMOUS_REGIONS = ("15", "45", "54", "64", "65")


def whole_of(prefix: str | None) -> str:
    """How a report names the whole of the provincial-level division whose code starts
    with ``prefix`` (its first two digits): 全市 for a municipality (北京市), 全区 for an
    autonomous region (新疆维吾尔自治区), else 全省, also when it is not known."""
    if prefix and prefix[:2] in MUNICIPALITIES:
        return "全市"
    if prefix and prefix[:2] in AUTONOMOUS_REGIONS:
        return "全区"
    return "全省"


#: :func:`whole_of`'s words in English
WHOLE_IN_ENGLISH = {"全省": "the province", "全市": "the municipality", "全区": "the region"}


def parent_codes(code: str, kind: DivisionKind) -> tuple[str, ...]:
    """The codes that may be the parent of a division of ``kind`` and ``code``, nearest
    first (GB/T 2260, GB/T 10114): a township's or a street's county (the first six
    digits of its nine); a county's prefecture (XXYY00), and for a district of a
    municipality (北京市东城区 110101) or a county-level division the province
    administers itself (XX90YY: 湖北省仙桃市 429004) the province (XX0000); a
    prefecture's province. None for a province, or a code that does not fit its kind."""
    if kind in (DivisionKind.TOWNSHIP, DivisionKind.STREET):
        return (code[:6],) if len(code) == 9 else ()
    if len(code) != 6:
        return ()
    province = code[:2] + "0000"
    if kind is DivisionKind.PREFECTURE:
        return (province,) if code != province else ()
    if kind is not DivisionKind.COUNTY or code.endswith("00"):
        return ()
    if code[:2] in MUNICIPALITIES or code[2:4] == "90":
        return (code[:4] + "00", province)
    return (code[:4] + "00",)


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
        return division_id(code)

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
