"""Snapshots on PostgreSQL go by one binary ``COPY`` a write
(``recorders_pg.PostgresSnapshotRecorder``), where the library sends an array of
composite values with every state as hex text: the same rows come back, a write is still
all or nothing, and a snapshot stored twice is still an ``IntegrityError``. The first
two hold on SQLite too (the library's recorder there)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from renda_core import Renda
from tests.projections.test_pg_view_batches import RoundTrips

TOPIC = "eventsourcing.domain:Snapshot"


def snapshot(originator: Any, version: int, state: bytes) -> StoredEvent:
    return StoredEvent(
        originator_id=originator, originator_version=version, topic=TOPIC, state=state
    )


def stored(app: Renda, originator: Any) -> list[tuple[int, str, bytes]]:
    assert app.snapshots is not None
    return [
        (e.originator_version, e.topic, bytes(e.state))
        for e in app.snapshots.recorder.select_events(originator)
    ]


def test_snapshots_come_back_byte_for_byte(app: Renda) -> None:
    assert app.snapshots is not None
    one, two = uuid4(), uuid4()
    every_byte = bytes(range(256)) * 300  # tens of kilobytes, as a demo's snapshots
    rows = [
        snapshot(one, 100, every_byte),
        snapshot(one, 200, b'{"name": "\\t\\n\xe4\xbb\xa3\\\\ \' \\""}'),
        snapshot(two, 50, b""),
    ]
    app.snapshots.recorder.insert_events(rows)
    assert stored(app, one) == [(100, TOPIC, every_byte), (200, TOPIC, rows[1].state)]
    assert stored(app, two) == [(50, TOPIC, b"")]


def test_a_write_with_a_snapshot_already_stored_writes_none_of_its_snapshots(
    app: Renda,
) -> None:
    assert app.snapshots is not None
    record, other = uuid4(), uuid4()
    app.snapshots.recorder.insert_events([snapshot(record, 100, b"first")])
    with pytest.raises(IntegrityError):
        app.snapshots.recorder.insert_events(
            [snapshot(other, 100, b"new"), snapshot(record, 100, b"again")]
        )
    assert stored(app, record) == [(100, TOPIC, b"first")]
    assert stored(app, other) == []
    app.snapshots.recorder.insert_events([snapshot(other, 100, b"new")])  # usable after it
    assert stored(app, other) == [(100, TOPIC, b"new")]


@pytest.mark.postgres
def test_a_write_of_snapshots_is_one_copy_on_postgres(
    pg_app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pg_app.snapshots is not None
    rows = [snapshot(uuid4(), 100, bytes(range(256)) * 40) for _ in range(20)]
    trips = RoundTrips(monkeypatch)
    pg_app.snapshots.recorder.insert_events(rows)
    # the COPY's start and end; no statement with the states as composite text
    assert trips.names == ["BaseCursor._start_copy_gen", "copy_end"], trips.names
