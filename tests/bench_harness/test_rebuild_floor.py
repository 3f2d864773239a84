"""The rebuild benchmark's floor and breakdown (``benchmarks/rebuild.py``) on a tiny log:
the idle adapters leave the real views as they were, the breakdown names every view, and
``measure`` returns the rebuild's figure and its floor's. No time is asserted."""

from __future__ import annotations

from benchmarks import rebuild

from renda_core import Renda
from renda_core.cli.context import Env
from tests.bench_harness.test_store_cache import STAFF, deputy


def fill(store: str, deputies: int = 3) -> None:
    with Renda(store) as app:
        for i in range(deputies):
            app.register_deputy(deputy(i), STAFF)


def test_the_breakdown_names_every_view_and_the_floor_is_idle(store: str) -> None:
    fill(store)
    with Renda(store) as app:
        env = Env(app=app)
        runner = env.runner()
        real = rebuild.breakdown(runner)
        idle = rebuild.idle_runner(runner)
        floor = rebuild.breakdown(idle)
        assert set(real["views"]) == set(runner.projections)
        assert set(floor["views"]) == {f"idle_{n}"[:40] for n in runner.projections}
        assert not set(floor["views"]) & set(runner.projections)
        for part in (real, floor):
            assert part["total"] >= 0 and all(v >= 0 for v in part["views"].values())
        # the idle views were delivered the same events, and wrote nothing but positions
        assert [s.position for s in idle.status()] == [s.position for s in runner.status()]
        assert all(s.lag == 0 for s in runner.status())
        text = rebuild.describe(real, floor, bare_cpu=0.01)
        assert all(name in text for name in runner.projections)
        idle.close()
        env.close()


def test_measure_returns_the_rebuild_and_its_floor(store: str, backend: str) -> None:
    fill(store)
    figure, floor, free = rebuild.measure(store, "tiny", backend, runs=1, profile=False, jobs=1)
    assert figure.name == "projection rebuild, all views, tiny"
    assert floor.name == "projection rebuild, machinery's floor (idle adapters), tiny"
    assert free.name == "projection rebuild, storage free (adapters' work, nothing stored), tiny"
    assert floor.met is None and free.met is None and figure.met in (True, False)
    for f in (figure, floor, free):
        assert f.ratio is not None and f.ratio > 0
        assert f.detail["events"] == 3
        assert f.detail["views"]["views"]
    assert "read + decode" in floor.why or "idle" in floor.why
    assert "nothing stored" in free.why


def test_with_nothing_stored_the_adapters_run_and_no_row_is_written(store: str) -> None:
    """The storage-free rebuild runs every real adapter over the whole log (no read-back
    fails, though nothing can be read back) and writes positions only; the real views
    and their rows are untouched, and the class patches are undone."""
    from renda_core.projections.unit import ViewState
    from renda_core.projections.views import View

    fill(store)
    apply, docs = View.apply, ViewState.MAX_DOCS
    with Renda(store) as app:
        env = Env(app=app)
        runner = env.runner()
        runner.catch_up()
        before = {n: runner.view(n).figures() for n in runner.projections}
        unstored = rebuild.unstored_runner(runner)
        with rebuild.nothing_stored():
            free = rebuild.breakdown(unstored)
        assert View.apply is apply
        assert docs == ViewState.MAX_DOCS
        assert set(free["views"]) == {f"unstored_{n}"[:40] for n in runner.projections}
        head = app.recorder.max_notification_id()
        assert [s.position for s in unstored.status()] == [head] * len(runner.projections)
        for name in unstored.projections:  # positions only: no document, no counter
            view = unstored.view(name)
            assert view.figures() == []
            assert view.entities("deputy") == []
        assert {n: runner.view(n).figures() for n in runner.projections} == before
        assert any(before.values())  # the real views do hold figures
        unstored.close()
        env.close()
