"""Counters rolled up per batch store exactly what rolling them up at every event stored.

A ``rolled_up`` adapter adds only to its figures; the unit derives the prefectures' and
the province's counters from the batch's changes when the batch is written
(``ViewUnit.roll_up``). The rows of every table — figures, their history by batch, the
moments, the documents — must be those of a unit that added to the rolled-up counters
at each event (``RolledUnit``): over random adds, batches, undone events and counters
read back from the view, and over the demo province's log through every built-in view.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda_adapters.rollup import PROVINCE_SUFFIX, SUFFIX, RolledUnit, roll_targets
from renda_core import Renda
from renda_core.demo import generate
from renda_core.ports.plugins import collect_projections, get_plugin_manager
from renda_core.projections.runner import ProjectionRunner
from renda_core.projections.unit import ViewState, ViewUnit
from renda_core.projections.views import View, open_view
from tests.projections.test_history_batches import paired_views

BASE = datetime(2026, 1, 1, tzinfo=UTC)
ROLLED = frozenset({"calls", "visits"})
PROVINCE = {"calls": None, "visits": lambda key: key.partition("\t")[0]}
TARGETS = roll_targets(ROLLED, PROVINCE)

Add = tuple[str, int, str, str, str, int]  # figure, delta, key, area, level, year
Event = tuple[int, datetime, list[Add], bool]  # position, recorded, adds, fails


def rows(view: View) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the view's tables, sorted (the tracking table aside)."""
    out = {}
    with view._transaction(commit=False) as c:
        for table in view.TABLES:
            c.execute(f"SELECT * FROM {view.prefix}{table}")
            found = c.fetchall()  # sqlite3.Row, or a dict on PostgreSQL
            out[table] = sorted(
                tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in found
            )
    return out


@st.composite
def logs(draw: Any) -> tuple[list[Event], list[bool], bool]:
    events: list[Event] = []
    position = 0
    for _ in range(draw(st.integers(1, 20))):
        position += draw(st.integers(1, 3))
        moment = BASE + timedelta(seconds=draw(st.integers(0, 30)))
        adds = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["calls", "visits", "notes"]),
                    st.integers(-2, 3),
                    st.sampled_from(["", "A\t一", "B\t二", "A\t三"]),
                    st.sampled_from(["", "22", "2201", "220102", "220104", "222401"]),
                    st.sampled_from(["", "省级"]),
                    st.sampled_from([0, 2024]),
                ),
                max_size=5,
            )
        )
        events.append((position, moment, adds, draw(st.integers(0, 7)) == 0))
    cuts = draw(st.lists(st.booleans(), min_size=len(events), max_size=len(events)))
    return events, cuts, draw(st.booleans())


def write(
    view: View, app_name: str, log: tuple[list[Event], list[bool], bool], per_batch: bool
) -> None:
    """Write the log in its batches, rolling up per batch or at every add; ``forget``:
    each batch starts knowing nothing of the view (its counters are read back)."""
    events, cuts, forget = log
    state = ViewState(0, written=set())
    start = 0

    def new_unit() -> ViewUnit:
        unit = ViewUnit(view, ViewState(start) if forget else state)
        if per_batch:
            unit.roll_up(TARGETS)
        return unit

    unit = new_unit()
    for i, (position, moment, adds, fails) in enumerate(events):
        unit.begin(position, moment)
        adder: Any = unit if per_batch else RolledUnit(unit, ROLLED, PROVINCE)
        for figure, delta, key, area, level, year in adds:
            adder.add(figure, delta, key=key, area=area, level=level, year=year)
        if fails:
            unit.undo_event()
        if cuts[i] or i == len(events) - 1:
            view.apply(Tracking(app_name, position), unit, after=start)
            unit.written(position)
            start = position
            unit = new_unit()


@pytest.fixture
def views(app: Renda) -> Iterator[tuple[Renda, View, View]]:
    yield from paired_views(app, "rollup")


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(log=logs())
def test_rolled_up_per_batch_stores_the_rows_of_rolling_up_per_event(
    views: tuple[Renda, View, View], log: tuple[list[Event], list[bool], bool]
) -> None:
    app, batched, single = views
    for view in (batched, single):
        view.reset(app.name)
    write(batched, app.name, log, per_batch=True)
    write(single, app.name, log, per_batch=False)
    assert rows(batched) == rows(single)
    kept = [adds for _, _, adds, fails in log[0] if not fails]
    if any(d for adds in kept for f, d, *_ in adds if f != "notes"):
        names = {row[0] for row in rows(batched)["figure_history"]}
        assert any(n.endswith(SUFFIX) for n in names)
        assert any(n.endswith(PROVINCE_SUFFIX) for n in names)


def test_a_rolled_up_counter_added_to_directly_is_refused(tmp_path: Any) -> None:
    with Renda(str(tmp_path / "r.sqlite")) as app:
        view = open_view(app.store, "rollup_clash")
        view.reset(app.name)
        unit = ViewUnit(view, ViewState(0, written=set()))
        unit.roll_up(TARGETS)
        unit.begin(1, BASE)
        unit.add("calls", 1, area="220102")
        unit.add("calls" + SUFFIX, 1, area="2201")
        with pytest.raises(RuntimeError, match="directly"):
            view.apply(Tracking(app.name, 1), unit, after=0)
        assert rows(view)["figures"] == []
        view.datastore.close()  # type: ignore[attr-defined]


class _NoRollUp:
    """A unit that hides ``roll_up``: a ``rolled_up`` adapter then adds to the rolled-up
    counters at every event (through ``RolledUnit``), as before the change."""

    hidden = 0

    def __init__(self, unit: ViewUnit) -> None:
        self._unit = unit

    def __getattr__(self, name: str) -> Any:
        if name == "roll_up":
            _NoRollUp.hidden += 1
            raise AttributeError(name)
        return getattr(self._unit, name)


class _PerEvent:
    def __init__(self, projection: Any) -> None:
        self._projection = projection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._projection, name)

    def process_event(self, event: Any, view: ViewUnit) -> None:
        self._projection.process_event(event, _NoRollUp(view))


def test_every_built_in_view_rebuilt_equals_the_view_rolled_up_per_event(app: Renda) -> None:
    generate(app, scale=0.01, seed=7)
    projections = collect_projections(get_plugin_manager())
    dumps = []
    for wrap in (False, True):
        runner = ProjectionRunner(
            app,
            {n: _PerEvent(p) if wrap else p for n, p in projections.items()},
            batch_size=150,  # several batches of the rebuild (4 × 150), counters carried over
        )
        results = runner.rebuild()
        assert not [r for r in results if r.error]
        dumps.append({name: rows(runner.view(name)) for name in projections})
        runner.close()
    assert _NoRollUp.hidden > 0  # the second rebuild did roll up at every event
    batched, single = dumps
    rolled = [
        row
        for name in batched
        for row in batched[name]["figure_history"]
        if str(row[0]).endswith(SUFFIX)
    ]
    assert len(rolled) > 50  # the log reaches many rolled-up counters, in several batches
    for name in projections:
        assert batched[name] == single[name], name
