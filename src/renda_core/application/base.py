"""The application base: one eventsourcing Application over one notification log,
with the plumbing every command uses (load, save, error translation)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar
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

from renda_core.application.store import StoreConfig, parse_store
from renda_core.domain.errors import (
    ConcurrentModification,
    InvalidInput,
    NotFound,
    RendaError,
    StoreUnavailable,
)
from renda_core.domain.values import Actor

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


class RendaBase(Application[UUID]):
    """Store, transcodings and the load/save plumbing shared by every command."""

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

    def _save(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        with store_errors("cannot save"):
            return self.save(*aggregates)

    def _load(self, cls: type[A], aggregate_id: UUID | str, label: str) -> A:
        uid = to_uuid(aggregate_id, label)
        with store_errors(f"cannot load {label}"):
            try:
                aggregate: Aggregate = self.repository.get(uid)
            except AggregateNotFoundError:
                raise NotFound(f"no {label} with id {uid}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {label} with id {uid}")
        return aggregate

    def _change(self, cls: type[A], aggregate_id: UUID, label: str, change: Callable[[A], T]) -> T:
        """Load one aggregate, apply a change, save it (nothing saved on error)."""
        aggregate = self._load(cls, aggregate_id, label)
        result = change(aggregate)
        self._save(aggregate)
        return result


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
