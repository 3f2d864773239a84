"""Station (代表家站): a deputies' home (代表之家) or liaison station (代表联络站) in a
township or street, its roster of deputies who entered (进站), and its activities.

Lifecycle: established → (deputies enter and leave, activities held) → closed.
Rules that need other aggregates (the division is a township or street, a deputy who
enters is active) are checked by the application before it calls these methods.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import RefusalPhrase, RuleViolated
from renda_core.domain.ids import new_id
from renda_core.domain.values import Actor, Labelled, Level, check_area_code

OPEN = "open"
CLOSED = "closed"
STATUS_LABELS = {OPEN: "运行中", CLOSED: "已关闭"}


class StationKind(Labelled):
    HOME = "home", "代表之家"
    LIAISON = "liaison", "代表联络站"


class CoLocation(Labelled):
    """Bodies a station is built together with (一体建设)."""

    PARTY_SERVICE = "party_service", "党群服务中心"
    GOVERNMENT_SERVICE = "government_service", "政务服务中心"
    LEGISLATIVE_CONTACT = "legislative_contact", "基层立法联系点"


class ActivityKind(Labelled):
    FACE_TO_FACE = "face_to_face", "代表群众面对面"
    RECEPTION_DAY = "reception_day", "选民接待日"
    CLOUD_RECEPTION = "cloud_reception", "云接待"
    RESEARCH = "research", "调研"
    INSPECTION = "inspection", "视察"
    OTHER = "other", "其他"


class Station(Aggregate):
    """A 代表家站 in one township or street division."""

    TOPIC = "renda:Station"

    class Event(Aggregate.Event):
        TOPIC = "renda:Station.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:Station.Created"

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        """A random id, or the one an importer assigned (see ``domain/ids.py``)."""
        return new_id()

    if TYPE_CHECKING:  # defined by the @event decorators below
        Established: ClassVar[type[Aggregate.Event]]
        DeputyEntered: ClassVar[type[Aggregate.Event]]
        DeputyLeft: ClassVar[type[Aggregate.Event]]
        ActivityHeld: ClassVar[type[Aggregate.Event]]
        Closed: ClassVar[type[Aggregate.Event]]

    # -- commands ---------------------------------------------------------------

    @classmethod
    def establish(
        cls,
        *,
        name: str,
        kind: StationKind,
        division: str,
        co_located: Iterable[CoLocation] = (),
        on: date,
        actor: Actor,
    ) -> Station:
        check_area_code(division)
        values = [CoLocation.of(c).value for c in co_located]
        if len(set(values)) != len(values):
            raise RuleViolated("a co-located body is named twice")
        return cls(
            name=name,
            kind=StationKind.of(kind).value,
            division=division,
            co_located=values,
            on=on,
            actor=actor,
        )

    def enter(self, *, deputy_id: str, level: Level, on: date, actor: Actor) -> None:
        """A deputy enters the station (进站)."""
        self._check_open("let a deputy enter")
        self._check_not_before(on, self.established_on, "the station was established")
        if deputy_id in self.roster:
            raise RuleViolated(f"deputy {deputy_id} is already on the roster of {self.name}")
        self._entered(deputy_id=deputy_id, level=Level.of(level).value, on=on, actor=actor)

    def leave(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        """A deputy leaves the station."""
        self._check_open("let a deputy leave")
        since = self._roster_since(deputy_id)
        self._check_not_before(on, since, "the deputy entered")
        self._left(deputy_id=deputy_id, on=on, actor=actor)

    def hold_activity(
        self,
        *,
        kind: ActivityKind,
        on: date,
        deputies: Iterable[str],
        people_received: int,
        topic: str | None,
        actor: Actor,
    ) -> int:
        """Record an activity held at the station; returns its number (1, 2, …)."""
        self._check_open("hold an activity")
        self._check_not_before(on, self.established_on, "the station was established")
        present = list(deputies)
        if not present:
            raise RuleViolated("an activity needs at least one deputy present")
        if len(set(present)) != len(present):
            raise RuleViolated("a deputy is named twice among those present")
        for deputy_id in present:
            if not self.on_roster(deputy_id, on):
                raise RuleViolated(
                    f"deputy {deputy_id} was not on the roster of {self.name} on {on}"
                )
        if people_received < 0:
            raise RuleViolated("the number of people received cannot be negative")
        number = len(self.activities) + 1
        self._activity_held(
            number=number,
            kind=ActivityKind.of(kind).value,
            deputies=present,
            people_received=people_received,
            topic=topic,
            on=on,
            actor=actor,
        )
        return number

    def close(self, *, on: date, actor: Actor) -> None:
        self._check_open("close the station")
        self._check_not_before(on, self.last_change_on, "the station's last recorded change")
        self._closed(on=on, actor=actor)

    # -- guards -----------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    def on_roster(self, deputy_id: str, on: date | None = None) -> bool:
        """Is the deputy on the roster now (or, with ``on``, on that day)?"""
        if on is None:
            return deputy_id in self.roster
        return any(
            m["deputy_id"] == deputy_id
            and m["since"] <= on
            and (m["until"] is None or on <= m["until"])
            for m in self.memberships
        )

    def check_open_on(self, on: date, what: RefusalPhrase) -> None:
        """For other aggregates: the station is open and existed on ``on``."""
        self._check_open(what)
        self._check_not_before(on, self.established_on, "the station was established")

    def _check_open(self, what: RefusalPhrase) -> None:
        if not self.is_open:
            raise RuleViolated(f"cannot {what}: station {self.name} closed on {self.closed_on}")

    def _roster_since(self, deputy_id: str) -> date:
        since = self.roster.get(deputy_id)
        if since is None:
            raise RuleViolated(f"deputy {deputy_id} is not on the roster of {self.name}")
        return since

    @staticmethod
    def _check_not_before(on: date, earliest: date, what: RefusalPhrase) -> None:
        if on < earliest:
            raise RuleViolated(f"date {on} is before {what} ({earliest})")

    # -- events (bodies are replayed on load) -------------------------------------

    @event("Established", topic="renda:Station.Established")
    def __init__(
        self,
        *,
        name: str,
        kind: str,
        division: str,
        co_located: list[str],
        on: date,
        actor: Actor,
    ) -> None:
        self.name = name
        self.kind = kind
        self.division = division
        self.co_located = list(co_located)
        self.established_on = on
        self.last_change_on = on
        self.status = OPEN
        self.closed_on: date | None = None
        self.roster: dict[str, date] = {}
        self.levels: dict[str, str] = {}
        self.memberships: list[dict[str, Any]] = []
        self.activities: list[dict[str, Any]] = []

    @event("DeputyEntered", topic="renda:Station.DeputyEntered")
    def _entered(self, *, deputy_id: str, level: str, on: date, actor: Actor) -> None:
        self.roster[deputy_id] = on
        self.levels[deputy_id] = level
        self.memberships.append(
            {"deputy_id": deputy_id, "level": level, "since": on, "until": None}
        )
        self.last_change_on = max(self.last_change_on, on)

    @event("DeputyLeft", topic="renda:Station.DeputyLeft")
    def _left(self, *, deputy_id: str, on: date, actor: Actor) -> None:
        del self.roster[deputy_id]
        for membership in reversed(self.memberships):
            if membership["deputy_id"] == deputy_id:
                membership["until"] = on
                break
        self.last_change_on = max(self.last_change_on, on)

    @event("ActivityHeld", topic="renda:Station.ActivityHeld")
    def _activity_held(
        self,
        *,
        number: int,
        kind: str,
        deputies: list[str],
        people_received: int,
        topic: str | None,
        on: date,
        actor: Actor,
    ) -> None:
        self.activities.append(
            {
                "number": number,
                "kind": kind,
                "deputies": list(deputies),
                "people_received": people_received,
                "topic": topic,
                "on": on,
            }
        )
        self.last_change_on = max(self.last_change_on, on)

    @event("Closed", topic="renda:Station.Closed")
    def _closed(self, *, on: date, actor: Actor) -> None:
        self.status = CLOSED
        self.closed_on = on

    # -- reading ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "kind": self.kind,
            "kind_label": StationKind.of(self.kind).label,
            "division": self.division,
            "co_located": list(self.co_located),
            "established_on": self.established_on.isoformat(),
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "closed_on": _iso(self.closed_on),
            "roster": [
                {"deputy_id": d, "level": self.levels[d], "since": since.isoformat()}
                for d, since in self.roster.items()
            ],
            "memberships": [
                {**m, "since": _iso(m["since"]), "until": _iso(m["until"])}
                for m in self.memberships
            ],
            "activities": [{**a, "on": _iso(a["on"])} for a in self.activities],
            "version": self.version,
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
