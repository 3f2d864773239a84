"""A rebuild's shadow keeps its batches pending and writes them together (``View.apply``).

What it stores in the end must be, row for row, what writing each batch stores — the
documents, the counters and their order of scan, the history, the moments — and while
batches are pending the view's own reads (a document, a counter) must see them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, Tracking

from renda_core import Renda
from renda_core.demo import generate
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.unit import ViewState, ViewUnit
from renda_core.projections.views import View, open_view
from tests.projections.test_batch_rollup import rows

MOMENT = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_rebuild_writing_its_batches_together_stores_what_writing_each_stores(
    app: Renda, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(app, scale=0.01, seed=7)
    projections = collect_projections(get_plugin_manager())
    # the runner keeps almost nothing: documents and counters are read from the view,
    # pending or stored
    monkeypatch.setattr(ViewState, "MAX_DOCS", 1)
    monkeypatch.setattr(ViewState, "MAX_FIGURES", 8)
    writes = 0
    write_rows = View._write_rows

    def counted(self: View, c: Any, batch: Any) -> None:
        nonlocal writes
        writes += bool(batch.upserts or batch.deletes or batch.figures or batch.history)
        write_rows(self, c, batch)

    monkeypatch.setattr(View, "_write_rows", counted)
    dumps, scans, counts = [], [], []
    for budget in (0, 100_000, 1 << 40):  # each batch written; some together; all at the end
        monkeypatch.setattr(View, "PENDING_BYTES", budget)
        writes = 0
        runner = ProjectionRunner(app, projections, batch_size=150)  # rebuilds 600 at a time
        results = runner.rebuild()
        assert not [r for r in results if r.error]
        dumps.append({name: rows(runner.view(name)) for name in projections})
        scans.append({name: runner.view(name).figures() for name in projections})
        counts.append(writes)
        runner.close()
    each, some, once = counts
    assert each > some > once  # the budget decided how often the shadows were written
    for name in projections:
        assert dumps[1][name] == dumps[0][name], name
        assert dumps[2][name] == dumps[0][name], name
        if app.store.is_sqlite:  # the same order of scan (rowid); PostgreSQL's (ctid)
            # follows where it put each row's last version: not the same in two rebuilds
            # of one log even writing each batch as it comes
            assert scans[1][name] == scans[0][name], name
            assert scans[2][name] == scans[0][name], name
        else:
            assert set(scans[1][name]) == set(scans[0][name]), name
            assert set(scans[2][name]) == set(scans[0][name]), name


def test_pending_batches_are_read_back_and_written_when_the_position_is_read(
    app: Renda,
) -> None:
    view = open_view(app.store, "pending_reads")
    try:
        shadow = view.shadow()
        shadow.reset(app.name)
        tracking = shadow.tracking_name(app.name)
        unit = ViewUnit(shadow, ViewState(0, written=set()))
        unit.begin(1, MOMENT)
        unit.put("doc", "a", {"n": 1})
        unit.put("doc", "b", {"n": 2})
        unit.add("count", 3)
        shadow.apply(Tracking(tracking, 1), unit, after=0)
        unit = ViewUnit(shadow, ViewState(1))
        unit.begin(2, MOMENT)
        unit.delete("doc", "b")
        unit.add("count", 1)
        shadow.apply(Tracking(tracking, 2), unit, after=1)
        assert rows(shadow)["entities"] == []  # nothing written yet
        assert shadow.get_entity("doc", "a") == {"n": 1}
        assert shadow.get_entity("doc", "b") is None
        assert shadow.get_figures([("count", "", "", "", 0)]) == {("count", "", "", "", 0): 4}
        assert shadow.max_tracking_id(tracking) == 2  # written first
        assert rows(shadow)["entities"] == [("doc", "a", '{"n":1}')]
        assert [f.value for f in shadow.figures()] == [4]
        assert len(rows(shadow)["figure_history"]) == 2
    finally:
        view.datastore.close()  # type: ignore[attr-defined]


def test_pending_batches_are_not_written_over_another_runners_position(
    app: Renda,
) -> None:
    view = open_view(app.store, "pending_moved")
    try:
        shadow = view.shadow()
        shadow.reset(app.name)
        tracking = shadow.tracking_name(app.name)
        unit = ViewUnit(shadow, ViewState(0, written=set()))
        unit.begin(1, MOMENT)
        unit.put("doc", "a", {"n": 1})
        shadow.apply(Tracking(tracking, 1), unit, after=0)
        other = view.shadow()  # another runner's, on the same tables
        other.apply(Tracking(tracking, 5), None, after=0)
        other.flush()
        with pytest.raises(IntegrityError):
            shadow.flush()
        assert rows(shadow)["entities"] == []
        assert shadow.max_tracking_id(tracking) == 5
    finally:
        view.datastore.close()  # type: ignore[attr-defined]
