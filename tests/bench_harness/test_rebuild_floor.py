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
    figure, floor = rebuild.measure(store, "tiny", backend, runs=1, profile=False, jobs=1)
    assert figure.name == "projection rebuild, all views, tiny"
    assert floor.name == "projection rebuild, machinery's floor (idle adapters), tiny"
    assert floor.met is None and figure.met in (True, False)
    for f in (figure, floor):
        assert f.ratio is not None and f.ratio > 0
        assert f.detail["events"] == 3
        assert f.detail["views"]["views"]
    assert "read + decode" in floor.why or "idle" in floor.why
