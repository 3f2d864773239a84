"""Station (代表家站) commands: establish, deputies enter and leave, activities, close."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import Field, field_validator

from renda_core.application.base import RendaBase
from renda_core.application.commands import (
    AreaCode,
    BusinessDate,
    Command,
    Text,
    accepts_labels,
    check_area_prefix,
    command,
)
from renda_core.application.permissions import role_kind, role_subject
from renda_core.domain.deputy import Deputy
from renda_core.domain.division import Division
from renda_core.domain.errors import Forbidden, NotFound, RefusalPhrase, RuleViolated
from renda_core.domain.station import ActivityKind, CoLocation, Station, StationKind
from renda_core.domain.values import Actor, Level

STAFF = {"staff"}
STAFF_OR_DEPUTY = {"staff", "deputy"}

StationKindField = Annotated[StationKind, accepts_labels(StationKind)]
CoLocationField = Annotated[CoLocation, accepts_labels(CoLocation)]
ActivityKindField = Annotated[ActivityKind, accepts_labels(ActivityKind)]


class EstablishStation(Command):
    """Establish a station (建站) in a township or street."""

    name: Text
    kind: StationKindField
    division: AreaCode = Field(description="code of the township or street division")
    co_located: list[CoLocationField] = Field(default_factory=list)
    date: BusinessDate

    _division = field_validator("division")(check_area_prefix)


class EnterStation(Command):
    """A deputy enters a station (进站)."""

    station_id: UUID
    deputy_id: UUID
    date: BusinessDate


class LeaveStation(Command):
    """A deputy leaves a station."""

    station_id: UUID
    deputy_id: UUID
    date: BusinessDate


class HoldStationActivity(Command):
    """Record an activity held at a station (代表群众面对面, 选民接待日, 云接待, …)."""

    station_id: UUID
    kind: ActivityKindField
    date: BusinessDate
    deputies: list[UUID] = Field(min_length=1, description="deputies present")
    people_received: int = Field(default=0, ge=0, le=1_000_000)
    topic: Text | None = None


class CloseStation(Command):
    """Close a station."""

    station_id: UUID
    date: BusinessDate


def check_acting_deputy(actor: Actor, deputies: list[UUID], what: RefusalPhrase) -> None:
    """A deputy may record only what they took part in themselves."""
    if role_kind(actor.role) != "deputy":
        return
    subject = role_subject(actor.role)
    if subject not in {str(d) for d in deputies}:
        raise Forbidden(f"{actor} may record {what} only where they are one of the deputies named")


class StationCommands(RendaBase):
    """The Station part of the application."""

    @command("station.establish", EstablishStation, STAFF)
    def establish_station(self, cmd: EstablishStation, actor: Actor) -> UUID:
        """Establish a station in a recorded township or street; returns its id."""
        try:
            division = self._load(Division, Division.create_id(cmd.division), "division")
        except NotFound:
            raise NotFound(
                f"division {cmd.division} is not recorded: import it first (renda area import)"
            ) from None
        if not division.is_base:
            division_kind = division.kind  # a term of its own: 县级, not 县
            raise RuleViolated(
                f"a station stands in a township or street; {cmd.division} "
                f"({division.name}) is a {division_kind}"
            )
        station = Station.establish(
            name=cmd.name,
            kind=cmd.kind,
            division=cmd.division,
            co_located=cmd.co_located,
            on=cmd.date,
            actor=actor,
        )
        self._save(station)
        return station.id

    @command("station.enter", EnterStation, STAFF)
    def enter_station(self, cmd: EnterStation, actor: Actor) -> None:
        """A deputy (of any of the five levels) enters a station."""
        deputy = self._load(Deputy, cmd.deputy_id, "deputy")
        if not deputy.is_active:
            raise RuleViolated(
                f"deputy {deputy.name}'s mandate ended on {deputy.terminated_on}; "
                "they cannot enter a station"
            )
        deputy.check_may_exercise_duties("enter a station", cmd.date)
        if cmd.date < deputy.registered_on:
            raise RuleViolated(
                f"date {cmd.date} is before the deputy's mandate began ({deputy.registered_on})"
            )
        self._change(
            Station,
            cmd.station_id,
            "station",
            lambda s: s.enter(
                deputy_id=str(deputy.id), level=Level.of(deputy.level), on=cmd.date, actor=actor
            ),
        )

    @command("station.leave", LeaveStation, STAFF)
    def leave_station(self, cmd: LeaveStation, actor: Actor) -> None:
        """A deputy leaves a station."""
        self._change(
            Station,
            cmd.station_id,
            "station",
            lambda s: s.leave(deputy_id=str(cmd.deputy_id), on=cmd.date, actor=actor),
        )

    @command("station.activity", HoldStationActivity, STAFF_OR_DEPUTY)
    def hold_station_activity(self, cmd: HoldStationActivity, actor: Actor) -> int:
        """Record an activity; the deputies present must be on the roster. Returns its number."""
        check_acting_deputy(actor, cmd.deputies, "a station activity")
        self._check_duties(cmd.deputies, "take part in a station activity", cmd.date)
        return self._change(
            Station,
            cmd.station_id,
            "station",
            lambda s: s.hold_activity(
                kind=cmd.kind,
                on=cmd.date,
                deputies=[str(d) for d in cmd.deputies],
                people_received=cmd.people_received,
                topic=cmd.topic,
                actor=actor,
            ),
        )

    @command("station.close", CloseStation, STAFF)
    def close_station(self, cmd: CloseStation, actor: Actor) -> None:
        """Close a station."""
        self._change(
            Station,
            cmd.station_id,
            "station",
            lambda s: s.close(on=cmd.date, actor=actor),
        )

    # -- queries ----------------------------------------------------------------

    def get_station(self, station_id: UUID | str) -> Station:
        return self._load(Station, station_id, "station")

    def station(self, station_id: UUID | str) -> dict[str, Any]:
        """A station as plain data."""
        return self.get_station(station_id).to_dict()
