"""Figure history by batch keeps ``--as-of`` exact.

A view keeps one history row per counter and batch (the last change, plus the earlier
changes of that batch) and one row per batch of the moments its events were recorded.
Over random logs — gaps in positions, recorded times out of order, events changing a
counter several times or not at all, events undone — a view written in batches of any
size reads every past position and every recorded moment exactly as a view written one
event per batch, and as a plain model of the log says.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.projections.unit import ViewState, ViewUnit
from renda_core.projections.views import View, open_view

BASE = datetime(2026, 1, 1, tzinfo=UTC)
Add = tuple[str, str, int]  # figure, key, delta
Event = tuple[int, datetime, list[Add], bool]  # position, recorded, adds, fails


@st.composite
def logs(draw: Any) -> tuple[list[Event], list[bool]]:
    events: list[Event] = []
    position = 0
    for _ in range(draw(st.integers(1, 24))):
        position += draw(st.integers(1, 3))  # notification ids can have gaps
        moment = BASE + timedelta(seconds=draw(st.integers(0, 30)))  # not in order
        adds = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["人数", "b"]), st.sampled_from(["", "k"]), st.integers(-2, 3)
                ),
                max_size=4,
            )
        )
        events.append((position, moment, adds, draw(st.integers(0, 9)) == 0))
    cuts = draw(st.lists(st.booleans(), min_size=len(events), max_size=len(events)))
    return events, cuts


def write(view: View, app_name: str, events: list[Event], cuts: list[bool]) -> None:
    """Write ``events`` in batches ending where ``cuts`` says (and at the end)."""
    state = ViewState(0, written=set())
    start = 0
    unit = ViewUnit(view, state)
    for i, (position, moment, adds, fails) in enumerate(events):
        unit.begin(position, moment)
        for figure, key, delta in adds:
            unit.add(figure, delta, key=key)
        if fails:
            unit.undo_event()
        if cuts[i] or i == len(events) - 1:
            view.apply(Tracking(app_name, position), unit, after=start)
            unit.written(position)
            start = position
            unit = ViewUnit(view, state)


def model(events: list[Event], position: int) -> list[tuple[str, str, int]]:
    values: dict[tuple[str, str], int] = {}
    for at, _, adds, fails in events:
        if at > position or fails:
            continue
        for figure, key, delta in adds:
            if delta:
                values[(figure, key)] = values.get((figure, key), 0) + delta
    return sorted((figure, key, value) for (figure, key), value in values.items())


def model_position_at(events: list[Event], moment: datetime) -> int:
    return max(
        (
            at
            for at, recorded, adds, fails in events
            if not fails and recorded <= moment and any(d for _, _, d in adds)
        ),
        default=0,
    )


def read(view: View, position: int) -> list[tuple[str, str, int]]:
    return sorted((f.figure, f.key, f.value) for f in view.figures(position=position))


def paired_views(app: Renda, prefix: str) -> Iterator[tuple[Renda, View, View]]:
    """Two fresh views of ``app``'s store to compare (``PREFIX_batched``,
    ``PREFIX_single``), closed afterwards."""
    batched = open_view(app.store, f"{prefix}_batched")
    single = open_view(app.store, f"{prefix}_single")
    yield app, batched, single
    for view in (batched, single):
        view.datastore.close()  # type: ignore[attr-defined]


@pytest.fixture
def views(app: Renda) -> Iterator[tuple[Renda, View, View]]:
    yield from paired_views(app, "history")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(log=logs())
def test_batches_read_every_past_moment_as_single_events(
    views: tuple[Renda, View, View], log: tuple[list[Event], list[bool]]
) -> None:
    app, batched, single = views
    events, cuts = log
    for view in (batched, single):
        view.reset(app.name)
    write(batched, app.name, events, cuts)
    write(single, app.name, events, [True] * len(events))
    last = events[-1][0]
    for position in range(last + 2):
        expected = model(events, position)
        assert read(single, position) == expected
        assert read(batched, position) == expected
    for second in range(-1, 32):
        for moment in (
            BASE + timedelta(seconds=second),
            BASE + timedelta(seconds=second, microseconds=1),
        ):
            expected_position = model_position_at(events, moment)
            assert single.position_at(moment) == expected_position
            assert batched.position_at(moment) == expected_position
    for view in (batched, single):
        assert sorted((f.figure, f.key, f.value) for f in view.figures()) == model(events, last)
