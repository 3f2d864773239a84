"""The renda application: one eventsourcing Application over one notification log.

Each command method takes a command model (or a mapping that validates into one) and
the actor; it checks the permission policy, validates, loads, calls the aggregate,
saves and returns ids. On every error nothing is recorded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    PersistenceError,
    Recording,
    Transcoding,
)

from renda_core.application.commands import (
    AssignLiaison,
    Command,
    CorrectDeputy,
    EndLiaison,
    RecordContact,
    RegisterDeputy,
    TerminateDeputy,
    parse,
)
from renda_core.application.permissions import check_permission
from renda_core.application.store import StoreConfig, parse_store
from renda_core.domain.deputy import Deputy
from renda_core.domain.errors import (
    ConcurrentModification,
    InvalidInput,
    NotFound,
    RendaError,
    StoreUnavailable,
)
from renda_core.domain.values import Actor

C = TypeVar("C", bound=Command)
A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ActorAsDict(Transcoding):
    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return {"id": obj.id, "role": obj.role}

    def decode(self, data: dict[str, str]) -> Actor:
        return Actor(data["id"], data["role"])


STORE_ERRORS: tuple[type[BaseException], ...] = (
    PersistenceError,
    psycopg.Error,
    sqlite3.Error,
    OSError,
)


@contextmanager
def store_errors(what: str) -> Iterator[None]:
    """Turn infrastructure failures into the domain's error kinds."""
    try:
        yield
    except RendaError:
        raise
    except IntegrityError as exc:
        raise ConcurrentModification(
            f"{what}: the record was changed by someone else at the same time; "
            "nothing was recorded, please retry"
        ) from exc
    except STORE_ERRORS as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
        raise StoreUnavailable(f"{what}: the event store failed: {detail}") from exc


class Renda(Application[UUID]):
    """The application an embedding system uses (see ``docs/embedding.md``)."""

    name = "Renda"

    def __init__(self, store: StoreConfig | str | None = None) -> None:
        self.store = store if isinstance(store, StoreConfig) else parse_store(store)
        with store_errors(f"cannot open the store {self.store.location}"):
            super().__init__(env=self.store.env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ActorAsDict())

    # -- plumbing ---------------------------------------------------------------

    def _begin(
        self,
        command: str,
        model: type[C],
        data: C | Mapping[str, Any],
        actor: Actor,
    ) -> C:
        check_permission(command, actor)
        return parse(model, data)

    def _save(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        with store_errors("cannot save"):
            return self.save(*aggregates)

    def _load(self, cls: type[A], aggregate_id: UUID | str, label: str) -> A:
        uid = to_uuid(aggregate_id, label)
        with store_errors(f"cannot load {label}"):
            try:
                aggregate = self.repository.get(uid)
            except AggregateNotFoundError:
                raise NotFound(f"no {label} with id {uid}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {label} with id {uid}")
        return aggregate

    def _change(
        self, command: str, cls: type[A], aggregate_id: UUID, label: str,
        actor: Actor, change: Callable[[A], T],
    ) -> T:
        """Load one aggregate, apply a change, save it (nothing saved on error)."""
        aggregate = self._load(cls, aggregate_id, label)
        result = change(aggregate)
        self._save(aggregate)
        return result

    # -- Deputy (代表) ------------------------------------------------------------

    def register_deputy(
        self, data: RegisterDeputy | Mapping[str, Any], actor: Actor
    ) -> UUID:
        """Register a deputy; returns the new deputy's id."""
        cmd = self._begin("deputy.register", RegisterDeputy, data, actor)
        deputy = Deputy.register(
            name=cmd.name,
            level=cmd.level,
            term=cmd.term,
            electoral_unit=cmd.electoral_unit,
            area=cmd.area,
            on=cmd.date,
            actor=actor,
            gender=cmd.gender,
            ethnicity=cmd.ethnicity,
            category=cmd.category,
            phone=cmd.phone,
        )
        self._save(deputy)
        return deputy.id

    def correct_deputy(
        self, data: CorrectDeputy | Mapping[str, Any], actor: Actor
    ) -> None:
        cmd = self._begin("deputy.correct", CorrectDeputy, data, actor)
        changes = cmd.changes()
        if not changes:
            raise InvalidInput(
                "nothing to correct: give at least one field",
                [{"field": "input", "message": "no field to correct"}],
            )
        self._change(
            "deputy.correct", Deputy, cmd.deputy_id, "deputy", actor,
            lambda d: d.correct(changes, on=cmd.date, actor=actor),
        )

    def liaise_deputy(
        self, data: AssignLiaison | Mapping[str, Any], actor: Actor
    ) -> None:
        cmd = self._begin("deputy.liaise", AssignLiaison, data, actor)
        self._change(
            "deputy.liaise", Deputy, cmd.deputy_id, "deputy", actor,
            lambda d: d.liaise(member=cmd.member, on=cmd.date, actor=actor),
        )

    def unliaise_deputy(
        self, data: EndLiaison | Mapping[str, Any], actor: Actor
    ) -> None:
        cmd = self._begin("deputy.unliaise", EndLiaison, data, actor)
        self._change(
            "deputy.unliaise", Deputy, cmd.deputy_id, "deputy", actor,
            lambda d: d.unliaise(on=cmd.date, actor=actor),
        )

    def record_contact(
        self, data: RecordContact | Mapping[str, Any], actor: Actor
    ) -> None:
        cmd = self._begin("deputy.contact", RecordContact, data, actor)
        self._change(
            "deputy.contact", Deputy, cmd.deputy_id, "deputy", actor,
            lambda d: d.record_contact(
                form=cmd.form, on=cmd.date, note=cmd.note, actor=actor
            ),
        )

    def terminate_deputy(
        self, data: TerminateDeputy | Mapping[str, Any], actor: Actor
    ) -> None:
        cmd = self._begin("deputy.terminate", TerminateDeputy, data, actor)
        self._change(
            "deputy.terminate", Deputy, cmd.deputy_id, "deputy", actor,
            lambda d: d.terminate(reason=cmd.reason, on=cmd.date, actor=actor),
        )

    # -- queries ----------------------------------------------------------------

    def get_deputy(self, deputy_id: UUID | str) -> Deputy:
        return self._load(Deputy, deputy_id, "deputy")

    def deputy(self, deputy_id: UUID | str) -> dict[str, Any]:
        """A deputy as plain data."""
        return self.get_deputy(deputy_id).to_dict()


def to_uuid(value: UUID | str, label: str = "record") -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"'{value}' is not a valid {label} id",
            [{"field": "id", "message": "expected a UUID like 1b4e28ba-2fa1-…"}],
        ) from None
