"""A record loads the same whether its snapshot and events come in one statement or two.

On PostgreSQL the application's repository reads a record's latest snapshot and its
events after it in one round trip (``repository_pg``); the library reads them one after
the other. With no snapshot, with snapshots (the latest one counts), with none or some
events after the snapshot, and for a record that does not exist, both give the same
record (SQLite runs the library's repository: the same assertions hold there).
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError, Repository, project_aggregate
from eventsourcing.domain import Aggregate, event

from renda_core import Renda


class Tally(Aggregate):
    @event("Opened")
    def __init__(self, name: str) -> None:
        self.name = name
        self.marks: list[int] = []

    @event("Marked")
    def mark(self, value: int) -> None:
        self.marks.append(value)


def by_the_library(app: Renda, record_id: Any) -> Any:
    return Repository._reconstruct_aggregate(app.repository, record_id, None, project_aggregate)


def state(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


@pytest.mark.parametrize(
    ("marks", "snapshots_at"),
    [(0, []), (5, []), (5, [5]), (7, [3]), (9, [2, 6]), (4, [1, 2, 3, 4])],
)
def test_a_record_loads_as_the_library_loads_it(
    app: Renda, marks: int, snapshots_at: list[int]
) -> None:
    if not app.store.is_sqlite:
        from renda_core.application.repository_pg import OneTripRepository

        assert isinstance(app.repository, OneTripRepository)
    assert app.snapshots is not None
    tally = Tally("记录\t1")
    app.save(tally)
    for value in range(1, marks + 1):
        tally.mark(value)
        app.save(tally)
        if value + 1 in snapshots_at:  # a snapshot at that version (Opened is version 1)
            app.snapshots.put([Tally.Snapshot.take(tally)])
    loaded = app.repository.get(tally.id)
    assert state(loaded) == state(by_the_library(app, tally.id)) == state(tally)
    assert loaded.marks == list(range(1, marks + 1))
    assert state(app.repository.get(tally.id, version=1)) == state(Tally("记录\t1")) | {
        "_id": tally.id,
        "_created_on": tally.created_on,
        "_modified_on": tally.created_on,
    }


def test_a_missing_record_is_not_found(app: Renda) -> None:
    with pytest.raises(AggregateNotFoundError):
        app.repository.get(uuid4())
