"""The application base: one eventsourcing Application over one notification log,
with the plumbing every command uses (load, save, error translation)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import (
    EventStore,
    InfrastructureFactory,
    IntegrityError,
    JSONTranscoder,
    MapperDeserialisationError,
    PersistenceError,
    Recording,
    Transcoder,
    Transcoding,
)
from eventsourcing.utils import Environment, get_topic

from renda_core.application.audit.clock import last_recorded_time, stamp_not_before
from renda_core.application.faults import SQLiteStoreRecorder, check_store, store_fault
from renda_core.application.postgres import loaded_psycopg, open_pool, require_psycopg
from renda_core.application.recorders import COMMAND_IDS, FINGERPRINTS, SQLiteRendaRecorder
from renda_core.application.store import StoreConfig, parse_store
from renda_core.application.transcoding import RendaTranscoder
from renda_core.domain.errors import (
    ConcurrentModification,
    InvalidInput,
    NotFound,
    RefusalPhrase,
    RendaError,
    RuleViolated,
)
from renda_core.domain.topics import register_lazy_topics
from renda_core.domain.values import PROVINCE_IDS, Actor, division_id, one_province

if TYPE_CHECKING:
    from renda_core.application.recorders_pg import PostgresRendaRecorder

# Every process that opens the log decodes the events of aggregates it never imported
# (`events list`, the exports, a report's provenance, an audit): their modules load
# when their topics are met (renda_core.domain.topics).
register_lazy_topics()

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
        data = {"id": obj.id, "role": obj.role}
        if obj.os_user is not None:
            data["os_user"] = obj.os_user
        return data

    def decode(self, data: dict[str, str]) -> Actor:
        # events recorded before ``os_user`` existed have none
        return Actor(data["id"], data["role"], data.get("os_user"))


STORE_ERRORS: tuple[type[BaseException], ...] = (
    PersistenceError,
    sqlite3.Error,
    OSError,
    MapperDeserialisationError,  # stored bytes that do not decode: damage or wrong key
)


def store_error_types() -> tuple[type[BaseException], ...]:
    """:data:`STORE_ERRORS`, and ``psycopg.Error`` once psycopg is loaded (it is the
    ``postgres`` extra, imported only for a PostgreSQL store)."""
    psycopg = loaded_psycopg()
    return (*STORE_ERRORS, psycopg.Error) if psycopg is not None else STORE_ERRORS


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
    except Exception as exc:
        if not isinstance(exc, store_error_types()):
            raise
        raise store_fault(what, exc) from exc


@dataclass
class Batch:
    """What one open batch has collected: the events of its commands, in the order
    the commands ran, and the aggregates they changed (as changed so far)."""

    events: list[CanMutateAggregate[UUID]] = field(default_factory=list)
    aggregates: dict[UUID, Aggregate] = field(default_factory=dict)
    open: bool = True
    read: dict[UUID, Aggregate] = field(default_factory=dict)
    """Aggregates loaded from the store in this batch and not changed (yet): a later
    command reads them from here (the actor registry, checked for every command)."""
    missing: set[UUID] = field(default_factory=set)
    """Ids looked up in this batch and not found in the store: a later command of the
    batch is told so without asking the store again (a calendar year not recorded,
    looked up by every command that counts working days). One the batch creates is
    found among :attr:`aggregates`, which are looked at first."""


class RendaBase(Application[UUID]):
    """Store, transcodings and the load/save plumbing shared by every command."""

    name = "Renda"

    def __init__(self, store: StoreConfig | str | None = None) -> None:
        self.store = store if isinstance(store, StoreConfig) else parse_store(store)
        # The open batch belongs to the context (thread, task) that opened it: a command
        # from another thread never lands in it (see docs/embedding.md).
        self._batch_var: ContextVar[Batch | None] = ContextVar(
            f"renda_batch_{id(self):x}", default=None
        )
        recorder: type[SQLiteRendaRecorder | PostgresRendaRecorder] = SQLiteStoreRecorder
        if not self.store.is_sqlite:
            require_psycopg(self.store.location)  # the extra is missing: exit 8, saying so
            from renda_core.application.recorders_pg import PostgresRendaRecorder

            recorder = PostgresRendaRecorder
        env = {**self.store.env, "APPLICATION_RECORDER_TOPIC": get_topic(recorder)}
        with store_errors(f"cannot open the store {self.store.location}"):
            check_store(self.store)
            super().__init__(env=env)

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        """The library's factory; on PostgreSQL with its pool filled before the log's
        tables are created (:func:`~renda_core.application.postgres.open_pool`), its
        connections replaced when the server ended them while idle and a lost
        ``COMMIT``'s outcome told apart (:mod:`~renda_core.application.connection_pg`)."""
        factory = super().construct_factory(env)
        datastore = getattr(factory, "datastore", None)
        if datastore is not None and not self.store.is_sqlite:
            from renda_core.application.connection_pg import prepare_pool

            prepare_pool(datastore.pool)
            open_pool(datastore)
        return factory

    def construct_transcoder(self) -> Transcoder:
        """The library's JSON transcoder as :class:`RendaTranscoder` (the same bytes,
        cheaper per event); a transcoder chosen by ``TRANSCODER_TOPIC`` as it is."""
        transcoder = self.factory.transcoder()
        if type(transcoder) is JSONTranscoder:
            transcoder = RendaTranscoder()
        if isinstance(transcoder, JSONTranscoder):
            self.register_transcodings(transcoder)
        return transcoder

    def construct_snapshot_store(self) -> EventStore[UUID]:
        """On PostgreSQL, snapshots written by one binary ``COPY`` a write (see
        :class:`~renda_core.application.recorders_pg.PostgresSnapshotRecorder`); the
        library's store elsewhere."""
        if self.store.is_sqlite:
            return super().construct_snapshot_store()
        from renda_core.application.recorders_pg import snapshot_recorder

        recorder = snapshot_recorder(self.factory)
        return self.factory.event_store(mapper=self.mapper, recorder=recorder)

    def construct_repository(self) -> Repository[UUID]:
        """On PostgreSQL, a repository that loads a record in one round trip (see
        :mod:`renda_core.application.repository_pg`); the library's elsewhere."""
        repository = super().construct_repository()
        if self.store.is_sqlite or repository.cache is not None:
            return repository
        from renda_core.application.repository_pg import OneTripRepository

        return OneTripRepository(
            event_store=repository.event_store,
            snapshot_store=repository.snapshot_store,
            deepcopy_from_cache=repository.deepcopy_from_cache,
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(ActorAsDict())

    # -- plumbing ---------------------------------------------------------------

    @property
    def _batch(self) -> Batch | None:
        """The batch open in this context, if any."""
        batch = self._batch_var.get()
        if batch is not None and not batch.open:
            # A context copied from inside a batch (an asyncio task, a copied
            # context) outlived it: its writes would be lost, so refuse them.
            raise RuntimeError(
                "this code runs in the context of a batch that has already ended; "
                "its commands cannot be added to it"
            )
        return batch

    def _save(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        """Save changed aggregates in one atomic write (or add them to the batch).

        In a batch, each aggregate's new events are taken now, in argument order, so
        the batch writes them in the order the commands ran.
        """
        batch = self._batch
        if batch is not None:
            for aggregate in aggregates:
                held = batch.aggregates.get(aggregate.id)
                if held is not None and held is not aggregate:
                    raise RuleViolated(
                        f"record {aggregate.id} was already created or changed in this "
                        "batch; it cannot be created again"
                    )
            for aggregate in aggregates:
                batch.events.extend(aggregate.collect_events())
                batch.aggregates[aggregate.id] = aggregate
            return []
        created = [
            a.id
            for a in aggregates
            if a.pending_events and a.pending_events[0].originator_version == 1
        ]
        with self._refuse_existing(created), store_errors("cannot save"):
            return self.save(*aggregates)

    @contextmanager
    def _refuse_existing(self, created: Sequence[UUID]) -> Iterator[None]:
        """A write that fails because a record it creates already exists is a rule
        violation (a retry can never succeed), not a concurrent modification."""
        try:
            yield
        except ConcurrentModification:
            existing = self.existing_aggregates(created) if created else set()
            if existing:
                raise RuleViolated(
                    f"a record with id {sorted(existing)[0]} already exists; nothing was recorded"
                ) from None
            raise

    def _get(self, aggregate_id: UUID) -> Aggregate:
        """An aggregate as changed so far (in the current batch) or as stored."""
        batch = self._batch
        aggregate = batch.aggregates.get(aggregate_id) if batch is not None else None
        if aggregate is not None:
            if aggregate.pending_events:
                # A command changed it, then failed, and the error was swallowed
                # inside the batch: its half-made change must never be written.
                raise RuntimeError(
                    f"a command failed inside this batch after changing {aggregate_id}; "
                    "the batch cannot go on (let the error end the batch)"
                )
            return aggregate
        if batch is not None:
            read = batch.read.get(aggregate_id)
            if read is not None and not read.pending_events:
                return read
            # (a command that failed after changing it left pending events: load afresh)
            if aggregate_id in batch.missing:
                raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} not found.")
        with store_errors("cannot load"):
            try:
                aggregate = self.repository.get(aggregate_id)
            except AggregateNotFoundError:
                if batch is not None:
                    batch.missing.add(aggregate_id)
                raise
        if batch is not None:
            batch.read[aggregate_id] = aggregate
        return aggregate

    def _preload(self, aggregate_ids: Iterable[UUID | str | None]) -> None:
        """Read these records into the open batch at once, where a command would load
        them one by one (a command naming many deputies): on PostgreSQL one statement
        for all of those the batch does not hold yet, where a load was a round trip
        each. Each is then read from the batch as :meth:`_get` reads one it loaded (a
        record not found is remembered as missing). Nothing outside a batch, nor on
        SQLite (a load there is no round trip); an id that is not a UUID (or None) is
        left to the command's own check."""
        batch = self._batch
        if batch is None or self.store.is_sqlite:
            return
        from renda_core.application.repository_pg import OneTripRepository

        if not isinstance(self.repository, OneTripRepository):
            return
        wanted: dict[UUID, None] = {}
        for value in aggregate_ids:
            if value is None:
                continue
            try:
                uid = value if isinstance(value, UUID) else UUID(str(value).strip())
            except ValueError:
                continue
            if uid not in batch.aggregates and uid not in batch.read and uid not in batch.missing:
                wanted[uid] = None
        if not wanted:
            return
        with store_errors("cannot load"):
            found = self.repository.get_many(list(wanted))
        for uid in wanted:
            aggregate = found.get(uid)
            if aggregate is None:
                batch.missing.add(uid)
            else:
                batch.read[uid] = aggregate

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

    def _record(self, processing_event: ProcessingEvent[UUID]) -> list[Recording[UUID]]:
        """Record a write; recorded time never goes backwards (see ``audit.clock``)."""
        if processing_event.events:
            stamp_not_before(processing_event.events, last_recorded_time(self))
        return super()._record(processing_event)

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
    def batch(
        self, command_ids: Sequence[str] = (), fingerprints: Mapping[str, str] | None = None
    ) -> Iterator[None]:
        """Run many commands as one transaction (``renda import``, ``renda demo``).

        Inside the block, commands see each other's changes; at its end their events
        are written in one atomic write, in the order the commands ran (across
        aggregates), together with ``command_ids`` and their content ``fingerprints``
        (so an import re-run skips exactly what was applied). If anything raises,
        nothing of the batch is written.

        The batch belongs to the thread (context) that opened it: commands sent from
        other threads meanwhile are written on their own, as without a batch.
        """
        if self._batch is not None:
            raise RuntimeError("batches do not nest")
        batch = Batch()
        token = self._batch_var.set(batch)
        try:
            yield
            unsaved = [a.id for a in batch.aggregates.values() if a.pending_events]
            if unsaved:
                raise RuntimeError(
                    f"a command failed inside this batch after changing {unsaved[0]}; "
                    "nothing of the batch was written (let the error end the batch)"
                )
        finally:
            batch.open = False
            self._batch_var.reset(token)
        # What ``collect_events(*events)`` then ``collect_events(*aggregates)`` would
        # gather (the aggregates have no pending events left), without its
        # ``isinstance`` of a runtime-checkable protocol per event: that check was a
        # tenth of the demo's time.
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        processing_event.events.extend(batch.events)
        processing_event.aggregates.update(batch.aggregates)
        processing_event.saved_kwargs.update(
            {COMMAND_IDS: list(command_ids), FINGERPRINTS: dict(fingerprints or {})}
        )
        created = [e.originator_id for e in batch.events if e.originator_version == 1]
        with self._refuse_existing(created), store_errors("cannot save the batch"):
            recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)

    def applied_commands(self, command_ids: Sequence[str]) -> set[str]:
        """Which of these command ids were already applied (by an import)."""
        return set(self.applied_fingerprints(command_ids))

    def applied_fingerprints(self, command_ids: Sequence[str]) -> dict[str, str | None]:
        """The applied ones of these command ids, each with the fingerprint of its
        content (None when it was applied before fingerprints were recorded)."""
        with store_errors("cannot read applied commands"):
            return self._renda_recorder().applied_fingerprints(list(command_ids))

    def store_province(self) -> str | None:
        """The two-digit code of the provincial-level division the store records (with
        the open batch's), or None when it records none or several (a national store):
        what 市 as a level means where a command names no area (:func:`level_in`)."""
        stored = self.existing_aggregates(list(PROVINCE_IDS))
        batch = self._batch
        if batch is not None:
            stored |= set(batch.aggregates)
        return one_province(stored)

    def congress_name(self, level: str) -> str | None:
        """The name of the division whose congress of ``level`` the store is of, where
        the store tells it: its provincial-level division's (吉林省, 北京市) for the
        provincial level, else None (a title is then named by the level: 省, 市)."""
        if level != "provincial" or (province := self.store_province()) is None:
            return None
        from renda_core.domain.division import Division  # the domain is imported lazily

        try:
            division = self._load(Division, division_id(province + "0000"), "division")
            return division.name
        except NotFound:
            return None

    def existing_aggregates(self, aggregate_ids: Sequence[UUID]) -> set[UUID]:
        """Which of these aggregate ids are already recorded."""
        with store_errors("cannot read the store"):
            return self._renda_recorder().existing_originators(list(aggregate_ids))

    @contextmanager
    def checkpoints_deferred(self) -> Iterator[None]:
        """A bulk write's block (``renda import``): on SQLite its writes checkpoint the
        WAL less often (:meth:`SQLiteRendaRecorder.checkpoints_deferred`); on
        PostgreSQL nothing changes."""
        recorder = self.recorder
        if isinstance(recorder, SQLiteRendaRecorder):
            with recorder.checkpoints_deferred():
                yield
        else:
            yield

    def _renda_recorder(self) -> SQLiteRendaRecorder | PostgresRendaRecorder:
        recorder = self.recorder
        if isinstance(recorder, SQLiteRendaRecorder):
            return recorder
        from renda_core.application.recorders_pg import PostgresRendaRecorder

        assert isinstance(recorder, PostgresRendaRecorder)
        return recorder

    def _change(self, cls: type[A], aggregate_id: UUID, label: str, change: Callable[[A], T]) -> T:
        """Load one aggregate, apply a change, save it (nothing saved on error)."""
        aggregate = self._load(cls, aggregate_id, label)
        result = change(aggregate)
        self._save(aggregate)
        return result

    def _check_duties(
        self, deputy_ids: Sequence[UUID | str], what: RefusalPhrase, on: date
    ) -> None:
        """Refuse if any of the deputies named has the duties suspended on ``on``
        (暂停执行代表职务); an unknown id is left to the command's own checks."""
        from renda_core.domain.deputy import Deputy  # a report's reader loads no aggregate

        for deputy_id in deputy_ids:
            try:
                deputy = self._load(Deputy, deputy_id, "deputy")
            except NotFound:
                continue
            deputy.check_may_exercise_duties(what, on)


def to_uuid(value: UUID | str, label: str = "record") -> UUID:
    """``value`` as the id of a record of kind ``label`` (``"deputy"``: a noun of
    ``cli.i18n.NOUNS``, which names it in the clerk's language); an empty or malformed
    value is :class:`InvalidInput`."""
    if isinstance(value, UUID):
        return value
    text = str(value).strip()
    detail = [{"field": "id", "message": "expected a UUID like 1b4e28ba-2fa1-…"}]
    if not text:
        raise InvalidInput(f"no {label} id given", detail)
    try:
        return UUID(text)
    except ValueError:
        raise InvalidInput(f"'{value}' is not a valid {label} id", detail) from None
