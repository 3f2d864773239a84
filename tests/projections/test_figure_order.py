"""A view's figures are read in the order of their key, whatever wrote them.

Reports list rows in the order they meet them (``ReportContext.by``: the units a
bulletin forwarded to, in the order read). The table's own order is not the same for
the same figures: PostgreSQL's ``ctid`` moves with every update of a row, and SQLite's
``rowid`` follows the batch a row was first written in. Two views given the same
counters in other orders and other batches must read back the same list, by name, all
together, as of the last position, and (SQLite) through the plain reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.projections.reader import PlainView
from renda_core.projections.unit import ViewState, ViewUnit
from renda_core.projections.views import View, open_view

BASE = datetime(2026, 1, 1, tzinfo=UTC)
Add = tuple[str, str, str, int, int]  # figure, key, area, year, delta

ADDS = st.lists(
    st.tuples(
        st.sampled_from(["forwarded", "人数"]),
        st.sampled_from(["省发展改革委", "省交通运输厅", "a", "长春市"]),
        st.sampled_from(["", "220000", "220100"]),
        st.sampled_from([2023, 2024]),
        st.integers(1, 3),
    ),
    min_size=2,
    max_size=12,
)


@pytest.fixture
def views(app: Renda) -> Iterator[tuple[Renda, View, View]]:
    first, second = open_view(app.store, "order_a"), open_view(app.store, "order_b")
    yield app, first, second
    for view in (first, second):
        view.datastore.close()  # type: ignore[attr-defined]


def write(app: Renda, view: View, adds: list[Add], cuts: list[int]) -> int:
    """Each add an event of its own, the batches ending after the positions in ``cuts``;
    the last position."""
    view.reset(app.name)
    state = ViewState(0, written=set())
    unit, start = ViewUnit(view, state), 0
    for position, (figure, key, area, year, delta) in enumerate(adds, start=1):
        unit.begin(position, BASE + timedelta(seconds=position))
        unit.add(figure, delta, key=key, area=area, year=year)
        if position in cuts or position == len(adds):
            view.apply(Tracking(app.name, position), unit, after=start)
            unit.written(position)
            unit, start = ViewUnit(view, state), position
    return len(adds)


def read(view: View, position: int) -> list[Any]:
    return [
        [astuple(f) for f in view.figures(["人数", "forwarded"])],
        [astuple(f) for f in view.figures()],
        [astuple(f) for f in view.figures(["forwarded"], position)],
    ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(adds=ADDS, data=st.data())
def test_the_same_figures_read_in_the_same_order_whatever_wrote_them(
    views: tuple[Renda, View, View], adds: list[Add], data: st.DataObject
) -> None:
    app, first, second = views
    cuts = data.draw(st.sets(st.integers(1, len(adds))))
    shuffled = data.draw(st.permutations(adds))
    end = write(app, first, adds, set())  # one batch, in the drawn order
    write(app, second, list(reversed(shuffled)), cuts)  # other batches, another order
    one, other = read(first, end), read(second, end)
    assert one == other
    by_name, whole, _ = one
    assert [f[:5] for f in whole] == sorted(f[:5] for f in whole)
    assert [f[:5] for f in by_name] == sorted(f[:5] for f in by_name)
    if app.store.is_sqlite:  # the plain reader (reports on current views) reads alike
        for view in (first, second):
            plain = PlainView(app.store.views_dir / f"{view.view_name}.sqlite", view.view_name)
            try:
                assert [tuple(f) for f in plain.figures(["人数", "forwarded"])] == by_name
            finally:
                plain.close()
