"""The application base: one eventsourcing Application over one notification log,
with the plumbing every command uses (load, save, error translation)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    MapperDeserialisationError,
    PersistenceError,
    Recording,
    Transcoding,
)
from eventsourcing.utils import get_topic

from renda_core.application.faults import SQLiteStoreRecorder, check_store, store_fault
from renda_core.application.recorders import PostgresRendaRecorder, SQLiteRendaRecorder
from renda_core.application.store import StoreConfig, parse_store
from renda_core.domain.errors import (
    ConcurrentModification,
    InvalidInput,
    NotFound,
    RendaError,
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
    MapperDeserialisationError,  # stored bytes that do not decode: damage or wrong key
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
        raise store_fault(what, exc) from exc


class RendaBase(Application[UUID]):
    """Store, transcodings and the load/save plumbing shared by every command."""

    name = "Renda"

    def __init__(self, store: StoreConfig | str | None = None) -> None:
        self.store = store if isinstance(store, StoreConfig) else parse_store(store)
        self._batch: dict[UUID, Aggregate] | None = None
        recorder = SQLiteStoreRecorder if self.store.is_sqlite else PostgresRendaRecorder
        env = {**self.store.env, "APPLICATION_RECORDER_TOPIC": get_topic(recorder)}
        with store_errors(f"cannot open the store {self.store.location}"):
            check_store(self.store)
            super().__init__(env=env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ActorAsDict())

    # -- plumbing ---------------------------------------------------------------

    def _save(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        """Save changed aggregates in one atomic write (or add them to the batch)."""
        if self._batch is not None:
            for aggregate in aggregates:
                self._batch[aggregate.id] = aggregate
            return []
        with store_errors("cannot save"):
            return self.save(*aggregates)

    def _get(self, aggregate_id: UUID) -> Aggregate:
        """An aggregate as changed so far (in the current batch) or as stored."""
        if self._batch is not None and aggregate_id in self._batch:
            return self._batch[aggregate_id]
        with store_errors("cannot load"):
            aggregate: Aggregate = self.repository.get(aggregate_id)
        return aggregate

    def _exists(self, aggregate_id: UUID) -> bool:
        try:
            self._get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True

    def _load(self, cls: type[A], aggregate_id: UUID | str, label: str) -> A:
        uid = to_uuid(aggregate_id, label)
        try:
            aggregate = self._get(uid)
        except AggregateNotFoundError:
            raise NotFound(f"no {label} with id {uid}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {label} with id {uid}")
        return aggregate

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshot aggregates whose new events reach their interval, from the state
        already in memory (the library would load each one again from the store)."""
        if not self.snapshots or not self.snapshotting_intervals:
            return
        due: dict[UUID, Any] = {}
        for event in processing_event.events:
            aggregate: Any = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval and event.originator_version % interval == 0:
                due[event.originator_id] = aggregate
        if due:
            self.snapshots.put([type(a).Snapshot.take(a) for a in due.values()])

    @contextmanager
    def batch(self, command_ids: Sequence[str] = ()) -> Iterator[None]:
        """Run many commands as one transaction (``renda import``, ``renda demo``).

        Inside the block, commands see each other's changes; at its end every changed
        aggregate is saved in one atomic write, together with ``command_ids`` (so an
        import re-run skips exactly what was applied). If anything raises, nothing of the
        batch is written.
        """
        if self._batch is not None:
            raise RuntimeError("batches do not nest")
        self._batch = {}
        try:
            yield
            aggregates = list(self._batch.values())
        finally:
            self._batch = None
        with store_errors("cannot save the batch"):
            self.save(*aggregates, command_ids=list(command_ids))

    def applied_commands(self, command_ids: Sequence[str]) -> set[str]:
        """Which of these command ids were already applied (by an import)."""
        recorder = self.recorder
        assert isinstance(recorder, SQLiteRendaRecorder | PostgresRendaRecorder)
        with store_errors("cannot read applied commands"):
            return recorder.applied_commands(list(command_ids))

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
