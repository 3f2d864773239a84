"""Loading a record from PostgreSQL in one round trip.

The library's repository reads a record's latest snapshot, then its events after it: two
statements, two round trips to the server. ``renda demo`` loads 1,170 records a batch
has not read yet at scale 0.2 (more as the province grows), and on a busy server each
round trip waits its turn.
:class:`OneTripRepository` asks
:meth:`~renda_core.application.recorders_pg.PostgresRendaRecorder.select_record` for both
at once and rebuilds the record from the same stored events, with the same mappers and
projector, as the library would.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository, project_aggregate

from renda_core.application.recorders_pg import PostgresRendaRecorder


class OneTripRepository(Repository[UUID]):
    def _reconstruct_aggregate(
        self, aggregate_id: UUID, version: int | None, projector_func: Any
    ) -> Any:
        recorder = self.event_store.recorder
        if (
            version is not None
            or self.snapshot_store is None
            or not isinstance(recorder, PostgresRendaRecorder)
        ):  # a past version, or no snapshots: the library's own reads
            return super()._reconstruct_aggregate(aggregate_id, version, projector_func)
        snapshot, events = recorder.select_record(aggregate_id)
        snapshots = (
            [] if snapshot is None else [self.snapshot_store.mapper.to_domain_event(snapshot)]
        )
        to_event = self.event_store.mapper.to_domain_event
        aggregate = projector_func(None, chain(snapshots, (to_event(e) for e in events)))
        if aggregate is None:
            msg = f"Aggregate {aggregate_id!r} version {version!r} not found."
            raise AggregateNotFoundError(msg)
        return aggregate

    def get_many(self, aggregate_ids: Sequence[UUID]) -> dict[UUID, Any]:
        """The current state of each of these records that exists, read in one
        statement (``PostgresRendaRecorder.select_records``) and rebuilt as
        :meth:`_reconstruct_aggregate` rebuilds one; a record with no events is left
        out."""
        recorder = self.event_store.recorder
        assert isinstance(recorder, PostgresRendaRecorder) and self.snapshot_store is not None
        to_snapshot = self.snapshot_store.mapper.to_domain_event
        to_event = self.event_store.mapper.to_domain_event
        found: dict[UUID, Any] = {}
        for aggregate_id, (snapshot, events) in recorder.select_records(aggregate_ids).items():
            snapshots = [] if snapshot is None else [to_snapshot(snapshot)]
            aggregate = project_aggregate(None, chain(snapshots, (to_event(e) for e in events)))
            if aggregate is not None:
                found[aggregate_id] = aggregate
        return found
