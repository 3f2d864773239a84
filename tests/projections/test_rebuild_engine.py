"""The rebuild engine's shortcuts keep the view's meaning: a rebuilt view reads as of any
past position exactly as the incrementally built one, and an undone event restores the
documents it changed (kept as marshal bytes, or copied when marshal refuses them)."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from renda_core import Renda
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.unit import ViewState, ViewUnit

from .test_runner import populate


def test_a_rebuilt_view_reads_every_past_position_as_the_incremental_one(app: Renda) -> None:
    populate(app, 3)
    runner = ProjectionRunner(app, collect_projections(get_plugin_manager()), batch_size=2)
    runner.catch_up(["deputy_roster"])  # one event at a time, in batches of two
    view = runner.view("deputy_roster")
    head = runner.head()
    before = {p: sorted(map(repr, view.figures(position=p))) for p in range(head + 1)}
    assert any(before[p] != before[head] for p in range(head))  # positions differ
    runner.batch_size = 5000  # the rebuild writes the whole log in one batch
    (result,) = runner.rebuild(["deputy_roster"])
    assert result.error is None and result.position == head
    view = runner.view("deputy_roster")
    after = {p: sorted(map(repr, view.figures(position=p))) for p in range(head + 1)}
    assert after == before
    runner.close()


class Colour(enum.StrEnum):
    RED = "red"


def test_an_undone_event_restores_documents_marshal_refuses_and_accepts(app: Renda) -> None:
    runner = ProjectionRunner(app, {})
    unit = ViewUnit(runner.view("deputy_roster"), ViewState(0, written=set()))
    unit.begin(1, datetime.now(UTC))
    unit.put("k", "plain", {"list": [1, 2], "text": "代表"})
    unit.put("k", "odd", {"colour": Colour.RED, "list": [1]})
    unit.begin(2, datetime.now(UTC))
    for key in ("plain", "odd"):
        doc = unit.get("k", key)
        assert doc is not None
        doc["list"].append(99)  # changed in place, as adapters do
        unit.put("k", key, doc)
    unit.undo_event()
    changes = {key: doc for _, key, doc in unit.entity_changes()}
    assert changes == {
        "plain": {"list": [1, 2], "text": "代表"},
        "odd": {"colour": Colour.RED, "list": [1]},
    }
    assert type(changes["odd"]["colour"]) is Colour  # copied, not through marshal
    runner.close()
