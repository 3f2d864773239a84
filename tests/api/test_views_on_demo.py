"""Every record of the demo province reads as its typed view, and every report runs by
name through the public API (SQLite: the views do not depend on the store)."""

from __future__ import annotations

from pathlib import Path

import renda_core
from renda_core.demo import generate
from renda_core.projections.log import iter_notifications

GETTERS = {
    "Deputy": "get_deputy",
    "Station": "get_station",
    "Opinion": "get_opinion",
    "Suggestion": "get_suggestion",
    "DeputyGroup": "get_group",
    "Bulletin": "get_bulletin",
    "TrainingCourse": "get_course",
}


def test_every_demo_record_reads_as_its_view(tmp_path: Path) -> None:
    store = str(tmp_path / "demo.sqlite")
    records: dict[str, set[str]] = {}
    with renda_core.Renda(store) as app:
        generate(app, scale=0.01, seed=7)
        for _, event in iter_notifications(app):
            kind = type(event).__qualname__.split(".")[0]
            if event.originator_version == 1 and kind in GETTERS:
                records.setdefault(kind, set()).add(str(event.originator_id))
    assert set(records) == set(GETTERS)
    with renda_core.open(store) as api:
        for kind, ids in records.items():
            for record_id in ids:
                view = getattr(api, GETTERS[kind])(record_id)
                assert view.id == record_id
        deputies = api.list_deputies(limit=1000).items
        assert {d.id for d in deputies} == records["Deputy"]
        assert {s.id for s in api.list_suggestions(limit=1000).items} == records["Suggestion"]
        for name in api.report_names():
            data = api.report(name, **({"year": 2023} if name == "annual" else {}))
            assert isinstance(data, dict) and data, name
