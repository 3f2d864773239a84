"""The benchmarks' shared demo stores (``benchmarks/common.py``): copies are independent
of the cached store, a store built for another event catalogue is refused, and a reused
store's recorded build is what ``benchmarks.scale`` reports. No time is asserted."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks import common

from renda_core import Actor, Renda
from renda_core.projections.log import last_position

STAFF = Actor("bench", "staff")


def deputy(i: int) -> dict[str, object]:
    return {
        "name": f"代表{i}",
        "level": "provincial",
        "term": 14,
        "electoral_unit": "吉林省人民代表大会",
        "area": "220102",
        "date": "2023-01-16",
    }


def head(store: str) -> int:
    with Renda(store) as app:
        return last_position(app)


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(common, "_CACHE", [])
    yield
    common._CACHE.clear()


def test_a_copy_is_a_store_of_its_own(store: str, backend: str, tmp_path: Path) -> None:
    with Renda(store) as app:
        for i in range(2):
            app.register_deputy(deputy(i), STAFF)
    if backend == "sqlite":
        (tmp_path / "renda.sqlite.views").mkdir()
        (tmp_path / "renda.sqlite.views" / "marker").write_text("view")
        target = str(tmp_path / "copy.sqlite")
    else:
        target = store.rsplit("schema=", 1)[0] + f"schema=bench_copy_{uuid.uuid4().hex[:8]}"
    try:
        common._copy(backend, store, target)
        assert head(target) == head(store) == 2
        if backend == "sqlite":
            assert (tmp_path / "copy.sqlite.views" / "marker").read_text() == "view"
        with Renda(target) as app:
            app.register_deputy(deputy(9), STAFF)
        assert head(target) == 3
        assert head(store) == 2  # the cached store is untouched
    finally:
        common._remove(backend, target)


def manifest(folder: Path, version: str, build_s: float | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    entry = {
        "store": str(folder / "demo1.sqlite"),
        "version": version,
        "scale": 1.0,
        "build_s": build_s,
        "peak_mb": 99.0 if build_s else None,
        "built": "2026-11-30T10:00:00Z",
        "load_average": [1.0, 1.0, 1.0],
    }
    text = json.dumps({"stores": {"sqlite/demo1": entry}})
    (folder / common.MANIFEST).write_text(text, encoding="utf-8")


def test_a_store_of_another_event_catalogue_is_refused(tmp_path: Path) -> None:
    manifest(tmp_path / "stale", "000000000000", 12.5)
    assert common.StoreCache(tmp_path / "stale").entry("sqlite", 1.0) is None
    manifest(tmp_path / "current", common.catalogue_version(), 12.5)
    entry = common.StoreCache(tmp_path / "current").entry("sqlite", 1.0)
    assert entry is not None and entry["build_s"] == 12.5


def test_a_reused_store_reports_its_build_then_later_runs_are_measured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    manifest(tmp_path, common.catalogue_version(), 12.5)
    built: list[float] = []

    def fake_demo(store: str, scale: float) -> tuple[float, float]:
        built.append(scale)
        return 1.0, 2.0

    monkeypatch.setattr(common, "run_demo", fake_demo)
    common.store_cache(tmp_path)
    assert common.measured_demo("sqlite", 1.0) == (12.5, 99.0)
    assert built == []  # nothing built: the store of the earlier run is reused
    assert common.measured_demo("sqlite", 1.0) == (1.0, 2.0)  # alternating run: built
    assert built == [1.0]


def test_an_adopted_store_is_measured_once_and_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    source = str(tmp_path / "built.sqlite")
    with Renda(source) as app:
        app.register_deputy(deputy(1), STAFF)
    cache = common.store_cache(tmp_path / "stores")
    cache.adopt(0.5, source)
    monkeypatch.setattr(common, "run_demo", lambda store, scale: (3.0, 4.0))
    assert common.measured_demo("sqlite", 0.5) == (3.0, 4.0)  # its build time unknown

    class Owner:  # the shape of benchmarks.run.Stores that demo_store needs
        backend = "sqlite"

        def new(self, name: str) -> str:
            return str(tmp_path / f"{name}.sqlite")

    copy = common.demo_store(Owner(), 0.5, "t")
    assert copy != cache.entry("sqlite", 0.5)["store"]  # type: ignore[index]
    assert head(copy) == 1
    reopened = common.StoreCache(tmp_path / "stores")
    assert reopened.entry("sqlite", 0.5) is not None  # kept for the next run


def test_the_demo_figure_carries_the_builds_cpu_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    from benchmarks import scale

    def fake_demo(store: str, scale_: float) -> tuple[float, float]:
        Path(store).touch()
        common.LAST_DEMO_CPU[0] = {1.0: 10.0, 5.0: 52.0}[scale_]
        return {1.0: 4.0, 5.0: 40.0}[scale_], 100.0

    monkeypatch.setattr(common, "run_demo", fake_demo)
    monkeypatch.setattr(common, "DEMO_CPU", {})
    monkeypatch.setattr(scale, "DEMO_CPU", common.DEMO_CPU)
    common.store_cache(tmp_path)
    time_figure, _ = scale.demo_figures("sqlite", quick=False)
    assert time_figure.ratio == 10.0 and time_figure.met is False  # the wall clock's
    assert time_figure.detail["cpu_ratio"] == pytest.approx(5.2)  # the work's
    assert "5.20x" in time_figure.why
    entry = common.StoreCache(tmp_path).entry("sqlite", 5.0)
    assert entry is not None and entry["cpu_s"] == 52.0  # kept for a later run's reuse


def test_a_copied_store_is_timed_with_its_planner_statistics(store: str, backend: str) -> None:
    """Every module's PostgreSQL copy (``common._copy``: ``pg_dump | psql``) is analyzed:
    a restored schema has no planner statistics until autovacuum gets to it (the annual
    report at demo scale 5 got a parallel plan for 250 rows without them).
    ``analyze`` gives a store's tables their statistics; a SQLite store is left as it is."""
    from benchmarks import reports

    with Renda(store) as app:
        for i in range(2):
            app.register_deputy(deputy(i), STAFF)
    if backend == "sqlite":
        assert reports.unanalyzed(store) == []
        reports.analyze(store)
        assert head(store) == 2
        return
    assert "renda_events" in reports.unanalyzed(store)  # filled, never analyzed
    reports.analyze(store)
    assert reports.unanalyzed(store) == []
    target = store.rsplit("schema=", 1)[0] + f"schema=bench_copy_{uuid.uuid4().hex[:8]}"
    try:
        common._copy(backend, store, target)
        assert reports.unanalyzed(target) == []  # restored, then analyzed
        assert head(target) == 2
    finally:
        common._remove(backend, target)
