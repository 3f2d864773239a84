"""Several records read in one statement on PostgreSQL (``OneTripRepository.get_many``,
``RendaBase._preload``): a command naming many deputies in a batch (attendance of a
session, a course's enrolment) loads them with one round trip, not one each. Each
record comes back as the library's repository loads it — with no snapshot, with
snapshots (the latest counts), with events after them — and one that does not exist is
left out (then not found in the batch without another read)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.application import AggregateNotFoundError, Repository, project_aggregate

from renda_core import Renda
from renda_core.application.repository_pg import OneTripRepository
from tests.application.test_one_trip_repository import Tally
from tests.projections.test_pg_view_batches import RoundTrips

pytestmark = pytest.mark.postgres


def state(aggregate: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def by_the_library(app: Renda, record_id: Any) -> Any:
    return Repository._reconstruct_aggregate(app.repository, record_id, None, project_aggregate)


def tallies(app: Renda) -> list[Tally]:
    """Records with no snapshot, one, two (the latest counts), events after them or
    not."""
    assert app.snapshots is not None
    made = []
    for marks, snapshots_at in ((0, []), (5, []), (5, [5]), (7, [3]), (9, [2, 6])):
        tally = Tally(f"记录 {marks}")
        app.save(tally)
        for value in range(1, marks + 1):
            tally.mark(value)
            app.save(tally)
            if value + 1 in snapshots_at:
                app.snapshots.put([Tally.Snapshot.take(tally)])
        made.append(tally)
    return made


def test_records_read_together_load_as_the_library_loads_each(
    pg_app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tallies(pg_app)
    assert isinstance(pg_app.repository, OneTripRepository)
    missing = uuid4()
    trips = RoundTrips(monkeypatch)
    found = pg_app.repository.get_many([t.id for t in made] + [missing])
    assert trips.count == 1
    assert set(found) == {t.id for t in made}
    for tally in made:
        assert state(found[tally.id]) == state(by_the_library(pg_app, tally.id)) == state(tally)


def test_a_batch_preloads_in_one_round_trip_and_reads_from_it(
    pg_app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = tallies(pg_app)
    missing = uuid4()
    with pg_app.batch():
        trips = RoundTrips(monkeypatch)
        pg_app._preload([str(made[0].id), *(t.id for t in made[1:]), missing, "not an id"])
        assert trips.count == 1
        for tally in made:
            assert state(pg_app._get(tally.id)) == state(tally)
        with pytest.raises(AggregateNotFoundError):
            pg_app._get(missing)
        pg_app._preload([t.id for t in made] + [missing])  # all held: nothing asked
        assert trips.count == 1
        changed = pg_app._get(made[1].id)
        changed.mark(99)
        pg_app._save(changed)
    assert pg_app.repository.get(made[1].id).marks == [1, 2, 3, 4, 5, 99]
    trips = RoundTrips(monkeypatch)
    pg_app._preload([t.id for t in made])  # outside a batch: nothing
    assert trips.count == 0
