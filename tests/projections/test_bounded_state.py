"""What a runner keeps of a view between batches is bounded, and the view is the same.

The keys written since the view was empty are a fixed-size bitmap (``WrittenKeys``): it
never says "not written" of a key that was. The counters kept in memory are bounded
(``ViewState.MAX_FIGURES``): a forgotten counter is read from the view again, so the
figures written are those of an unbounded cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda_core import Renda
from renda_core.projections.unit import ViewState, ViewUnit, WrittenKeys
from renda_core.projections.views import View, open_view

keys = st.tuples(st.sampled_from(["代表", "station", "建议"]), st.text(max_size=12))


@given(st.lists(keys, max_size=200), st.lists(keys, max_size=50))
def test_written_keys_never_forget_a_key(
    written: list[tuple[str, str]], more: list[tuple[str, str]]
) -> None:
    seen = WrittenKeys(written)
    seen.update(more)
    for key in written + more:
        assert key in seen
    assert 0 < len(seen) <= len(set(written + more)) or not (written or more)


def test_written_keys_say_no_of_most_keys_never_written() -> None:
    seen = WrittenKeys(("代表", str(i)) for i in range(10_000))
    misses = sum(("站", str(i)) in seen for i in range(10_000))
    assert misses < 200  # 10,000 of 4M bits set: about 0.25 % false "may have been"


def test_a_set_given_to_view_state_becomes_written_keys() -> None:
    state = ViewState(0, written={("代表", "1")})
    assert isinstance(state.written, WrittenKeys)
    assert ("代表", "1") in state.written
    assert state.figures_complete is True
    assert ViewState(5).figures_complete is False


@pytest.fixture
def view(app: Renda) -> Iterator[View]:
    opened = open_view(app.store, "bounded_state")
    yield opened
    opened.datastore.close()  # type: ignore[attr-defined]


Batch = list[list[tuple[str, int]]]  # events, each a list of (counter key, delta)


def write(view: View, batches: list[Batch], bound: int) -> dict[str, int]:
    """Write ``batches`` through one ViewState bounded to ``bound`` counters; the
    counters' values as each unit saw them when it wrote."""
    state = ViewState(0, written=set())
    state.MAX_FIGURES = bound
    position, start = 0, 0
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    for batch in batches:
        unit = ViewUnit(view, state)
        for adds in batch:
            position += 1
            unit.begin(position, moment + timedelta(seconds=position))
            for key, delta in adds:
                unit.add("件数", delta, key=key)
        if position > start:
            view.apply(Tracking("app", position), unit, after=start)
            unit.written(position)
            start = position
        assert len(state.figures) <= bound
    return {f.key: f.value for f in view.figures(position=position)}


batches = st.lists(
    st.lists(
        st.lists(st.tuples(st.sampled_from("abcdefgh"), st.integers(-2, 3)), max_size=3),
        max_size=4,
    ),
    max_size=6,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(log=batches)
def test_bounded_counters_write_what_unbounded_ones_do(view: View, log: list[Batch]) -> None:
    view.reset("app")
    got = write(view, log, bound=2)
    expected: dict[str, int] = {}
    for batch in log:
        for adds in batch:
            for key, delta in adds:
                expected[key] = expected.get(key, 0) + delta
    assert {k: v for k, v in got.items() if v} == {k: v for k, v in expected.items() if v}


def test_the_follower_can_print_its_peak_rss(capsys: pytest.CaptureFixture[str]) -> None:
    from renda_core.projections.background import _print_maxrss

    _print_maxrss()
    err = capsys.readouterr().err
    assert err.startswith("renda follower: peak RSS ") and err.rstrip().endswith(" MB")
    assert float(err.split()[-2]) > 1.0


def test_beyond_the_bound_a_new_counter_costs_no_read(
    view: View, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once counters were forgotten, a counter never written is still known to be 0
    without asking the view (the figures' bitmap); a forgotten one is read back."""
    view.reset("app")
    state = ViewState(0, written=set())
    state.MAX_FIGURES = 4
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    unit = ViewUnit(view, state)
    for position, key in enumerate("abcdef", start=1):
        unit.begin(position, moment + timedelta(seconds=position))
        unit.add("件数", position, key=key)
    view.apply(Tracking("app", 6), unit, after=0)
    unit.written(6)
    assert state.figures_complete is False and state.figures_written is not None
    forgotten = [k for k in "abcdef" if ("件数", k, "", "", 0) not in state.figures]
    assert forgotten  # the bound made it forget some
    reads: list[object] = []
    get_figures = view.get_figures

    def counted(keys: object) -> object:
        reads.append(keys)
        return get_figures(keys)  # type: ignore[arg-type]

    monkeypatch.setattr(view, "get_figures", counted)
    unit = ViewUnit(view, state)
    unit.begin(7, moment + timedelta(seconds=7))
    for key in ("新", "g", "h"):
        assert unit.value(("件数", key, "", "", 0)) == 0
    assert reads == []
    key = forgotten[0]
    assert unit.value(("件数", key, "", "", 0)) == "abcdef".index(key) + 1
    assert len(reads) == 1


def test_figures_bitmap_is_dropped_when_too_full() -> None:
    state = ViewState(0, written=set())
    state.MAX_FIGURES = 2
    state.MAX_WRITTEN = 3
    state.remember_figures({("件数", k, "", "", 0): 1 for k in "abc"})
    assert state.figures_complete is False
    assert state.figures_written is not None
    state.remember_figures({("件数", k, "", "", 0): 1 for k in "defgh"})
    assert state.figures_written is None  # unknown: every missing counter is read


def test_the_follower_can_print_a_pass(capsys: pytest.CaptureFixture[str]) -> None:
    from renda_core.projections.background import _print_pass
    from renda_core.projections.runner import CatchUpResult

    _print_pass([CatchUpResult("stations", 30, 40), CatchUpResult("training", 10, 40)], 2.0, 0.5)
    err = capsys.readouterr().err
    assert err.startswith("renda follower: 40 events in 2.0 s (CPU 0.5 s) (20/s)")
    assert "stations 30, training 10" in err
    _print_pass([CatchUpResult("stations", 0, 40)], 1.0, 0.1)
    assert capsys.readouterr().err == ""  # an empty pass says nothing


@given(
    st.lists(st.dictionaries(st.integers(0, 30), st.integers(), max_size=25), max_size=8),
    st.integers(1, 12),
)
def test_the_documents_kept_are_the_most_recently_written(
    batches: list[dict[int, int]], bound: int
) -> None:
    """``remember`` keeps the last ``MAX_DOCS`` documents written, in the order they
    were last written, however large a batch is against the bound."""
    from collections import OrderedDict

    state = ViewState(0, written=None)
    state.MAX_DOCS = bound
    expected: OrderedDict[tuple[str, str], dict[str, int] | None] = OrderedDict()
    for batch in batches:
        docs = {("kind", str(k)): {"v": v} for k, v in batch.items()}
        state.remember(docs)  # type: ignore[arg-type]
        for ident, doc in docs.items():  # one at a time, as an LRU would take them
            expected[ident] = doc
            expected.move_to_end(ident)
            while len(expected) > bound:
                expected.popitem(last=False)
        assert list(state.docs.items()) == list(expected.items())
