"""Long-lived aggregates load from snapshots; the state equals a full replay."""

from __future__ import annotations

from datetime import date, timedelta

from renda_core import Renda
from renda_core.application.areas import read_division_csv
from renda_core.domain.station import Station
from tests.application.scenario import DIVISIONS_CSV, deputy
from tests.conftest import STAFF


def test_a_station_with_many_activities_is_snapshotted_and_replays_the_same(
    app: Renda, store: str
) -> None:
    app.import_divisions({"rows": read_division_csv(DIVISIONS_CSV), "date": "2022-01-01"}, STAFF)
    d = deputy(app, "甲", "provincial")
    s = app.establish_station(
        {"name": "南岭街道代表之家", "kind": "home", "division": "220102001", "date": "2023-01-02"},
        STAFF,
    )
    app.enter_station({"station_id": s, "deputy_id": d, "date": "2023-01-03"}, STAFF)
    start = date(2023, 1, 4)
    for i in range(130):
        app.hold_station_activity(
            {
                "station_id": s,
                "kind": "reception_day",
                "date": (start + timedelta(days=i)).isoformat(),
                "deputies": [str(d)],
                "people_received": 3,
                "topic": f"第{i}次选民接待日",
            },
            STAFF,
        )
    assert app.snapshots is not None
    snapshots = list(app.snapshots.get(s))
    assert snapshots and snapshots[-1].originator_version == 100
    with Renda(store) as fresh:
        from_snapshot = fresh.repository.get(s)
        events = list(fresh.events.get(s))  # a full replay, without the snapshot
        full = None
        for event in events:
            full = event.mutate(full)
        assert isinstance(from_snapshot, Station) and full is not None
        assert from_snapshot.__dict__ == full.__dict__
