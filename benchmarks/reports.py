"""The annual report in-process: constant in the size of the province (issue 15, item 2).

    python -m benchmarks.reports                   # SQLite, demo scales (1, 5) or (0.2, 1)
    python -m benchmarks.reports --quick           # demo scales 0.04 and 0.2
    python -m benchmarks.reports --backend postgres
    python -m benchmarks.reports --store a.sqlite --store b.sqlite   # logs already built

Builds demo provinces five times apart in size (demo scales 1 and 5 where the demo
allows scale 5, else 0.2 and 1), catches up the views the annual report reads, then
times ``build_annual`` (the in-process build ``renda report annual`` calls; start-up
is ``benchmarks/startup.py``'s) — median of 15 — alternating with a baseline from the
same run and store: reading one counter row of the stations view. Targets: under 50 ms
at the larger scale, and growth of at most 1.2× from the smaller to the larger: the
growth is measured with the two logs open in one process, their builds alternating
(wall time; the same growth in CPU time, which a loaded machine disturbs less, is its
baseline column). Each build's CPU time is in ``detail`` too. Where a target is missed,
``why`` holds the top of a cProfile of one build. Without ``--quick``
a third log of 10⁶ events (the demo at scale 0.04 grown by ``benchmarks.run``'s deputy
and contact workload) is timed too. Nothing here asserts a time.

On PostgreSQL the stores the benchmark copies or builds are analyzed (``ANALYZE`` of
each table of the schema) before they are timed: a schema restored by ``pg_dump`` |
``psql`` has no planner statistics until autovacuum gets to it (a minute or more on a
busy server), and without them the server guessed 32,000 rows for the 250 the report
reads from the ``stations`` view at demo scale 5, whose table is past
``min_parallel_table_scan_size``, and started a parallel worker for each build: the
report's wall time grew 1.9–2.0× from scale 1 to 5 where it grows 1.0–1.1× on the same
copies analyzed (docs/performance.md, "The PostgreSQL annual report's growth"). A
deployed store has its statistics. Stores given with ``--store`` are timed as they are;
those with tables never analyzed are named in ``detail``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from typing import Any

from benchmarks.common import Figure, Timings, alternate, analyze, demo_store, unanalyzed
from benchmarks.run import Stores, fill, seed_demo

YEAR = 2023
RUNS = 15
TARGET_MS = 50.0
TARGET_GROWTH = 1.2
MILLION = 1_000_000


def demo_scales(quick: bool) -> tuple[float, float]:
    """Two demo scales five times apart: (1, 5) if the demo builds scale 5."""
    if quick:
        return (0.04, 0.2)
    from renda_core.demo.targets import check_scale
    from renda_core.domain.errors import InvalidInput

    try:
        check_scale(5.0)
    except InvalidInput:
        return (0.2, 1.0)
    return (1.0, 5.0)


def _profile(fn: Any, top: int = 12) -> str:
    profile = cProfile.Profile()
    profile.runcall(fn)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return "\n".join(lines[-(top + 1) :])


class Open:
    """One store opened for the report: its app, env, runner and section reports."""

    def __init__(self, store: str) -> None:
        from renda_adapters.annual.build import NAMES
        from renda_core import Renda
        from renda_core.cli.context import Env
        from renda_core.projections.log import last_position

        self.app = Renda(store)
        self.env = Env(app=self.app)
        self.runner = self.env.runner()
        self.reports = self.env.reports()
        views = sorted({self.reports[name].projection for name in NAMES})
        for result in self.runner.catch_up(views):
            assert result.error is None, result.error
        self.events = last_position(self.app)
        self.build()  # warm: the first build opens the views' connections

    def build(self) -> None:
        from renda_adapters.annual import build_annual

        build_annual(self.runner, self.reports, year=YEAR)

    def cpu(self) -> float:
        """CPU seconds of one build (less sensitive than wall time to a loaded machine)."""
        start = time.process_time()
        self.build()
        return time.process_time() - start

    def close(self) -> None:
        self.env.close()
        self.app.close()


def measure(opened: Open, runs: int = RUNS) -> dict[str, Any]:
    """The annual report's build against one counter read, alternating, in ms."""
    view = opened.runner.view("stations")
    one = ("divisions@pref", "township", "2201", "", 0)

    def baseline() -> None:
        view.get_figures([one])

    timed, base = alternate(opened.build, baseline, runs)
    cpu = Timings([opened.cpu() for _ in range(runs)])
    why = _profile(opened.build)
    return {"events": opened.events, "ours": timed, "baseline": base, "cpu": cpu, "profile": why}


def growth(small: Open, large: Open, runs: int = RUNS) -> dict[str, Timings]:
    """The two builds alternating in one process (wall and CPU time), so the load of
    the machine falls on both alike."""
    wall_small, wall_large = alternate(small.build, large.build, runs)
    cpu_small, cpu_large = alternate(small.cpu, large.cpu, runs)
    return {
        "small": wall_small,
        "large": wall_large,
        "cpu_small": cpu_small,
        "cpu_large": cpu_large,
    }


def _figure(
    name: str, backend: str, m: dict[str, Any], detail: dict[str, Any] | None = None
) -> Figure:
    ours: Timings = m["ours"]
    base: Timings = m["baseline"]
    ms, base_ms = ours.median * 1000, base.median * 1000
    met = ms < TARGET_MS
    return Figure(
        name=name,
        ours=ms,
        baseline=base_ms,
        unit="ms",
        ratio=ms / base_ms if base_ms else None,
        target=f"< {TARGET_MS:.0f} ms (ratio: times one counter read)",
        met=met,
        backend=backend,
        detail={
            "events": m["events"],
            "runs": len(ours.runs),
            "ours_ms": {k: v * 1000 for k, v in ours.to_dict().items()},
            "baseline_ms": {k: v * 1000 for k, v in base.to_dict().items()},
            "cpu_ms": {k: v * 1000 for k, v in m["cpu"].to_dict().items()},
            **(detail or {}),
        },
        why="" if met else m["profile"],
    )


def figures(backend: str, quick: bool, stores_given: list[str] | None = None) -> list[Figure]:
    stores = Stores(backend)
    out: list[Figure] = []
    opened: list[tuple[str, Open]] = []
    notes: dict[str, dict[str, Any]] = {}  # by label: the stores' planner statistics
    try:
        if stores_given:
            for store in stores_given:
                print(f"[{backend}] annual report on {store} …", flush=True)
                missing = unanalyzed(store)
                if missing:
                    print(
                        f"[{backend}] {len(missing)} tables have no planner statistics "
                        "(never analyzed): timed as they are",
                        flush=True,
                    )
                notes[store] = {"unanalyzed_tables": missing}
                opened.append((store, Open(store)))
        else:
            for scale in demo_scales(quick):
                print(f"[{backend}] demo province at scale {scale} …", flush=True)
                store = demo_store(stores, scale, "reports")  # the run's, copied
                analyze(store)  # a copy is analyzed already (common._copy); a built one is not
                notes[f"demo scale {scale}"] = {"analyzed": backend == "postgres"}
                print(f"[{backend}] annual report at scale {scale} …", flush=True)
                opened.append((f"demo scale {scale}", Open(store)))
        measured = [(label, measure(o)) for label, o in opened]
        for label, m in measured:
            out.append(_figure(f"annual report in-process, {label}", backend, m, notes.get(label)))
        if len(opened) >= 2:
            (small_label, small), (large_label, large) = opened[0], opened[-1]
            g = growth(small, large)
            ratio = g["large"].median / g["small"].median
            cpu_ratio = g["cpu_large"].median / g["cpu_small"].median
            met = ratio <= TARGET_GROWTH
            out.append(
                Figure(
                    name=f"annual report growth, {small_label} → {large_label}",
                    ours=ratio,
                    baseline=cpu_ratio,
                    unit="×",
                    ratio=ratio,
                    target=f"<= {TARGET_GROWTH}x (baseline: the same growth in CPU time)",
                    met=met,
                    backend=backend,
                    detail={
                        "events": [small.events, large.events],
                        "event_growth": large.events / max(small.events, 1),
                        "ms": [g["small"].median * 1000, g["large"].median * 1000],
                        "cpu_ms": [g["cpu_small"].median * 1000, g["cpu_large"].median * 1000],
                        "alternating": True,
                        "stores": [notes.get(small_label), notes.get(large_label)],
                    },
                    why="" if met else measured[-1][1]["profile"],
                )
            )
        if not quick and not stores_given:
            store = stores.new("reports_million")
            print(f"[{backend}] a log of 10⁶ events …", flush=True)
            filled = seed_demo(store, 0.04)
            fill(store, MILLION, filled)
            analyze(store)
            million = Open(store)
            opened.append(("10⁶ events", million))
            out.append(
                _figure(
                    "annual report in-process, 10⁶ events",
                    backend,
                    measure(million),
                    {"analyzed": backend == "postgres"},
                )
            )
    finally:
        for _, o in opened:
            o.close()
        stores.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="demo scales 0.04 and 0.2")
    parser.add_argument("--store", action="append", help="time logs already built (smaller first)")
    args = parser.parse_args()
    sys._called_from_test = True  # type: ignore[attr-defined]  # built-in plugins only
    found = figures(args.backend, args.quick, args.store)
    for f in found:
        mark = "—" if f.met is None else ("met" if f.met else "NOT met")
        base = "" if f.baseline is None else f" (baseline {f.baseline:.3f})"
        print(f"{f.name}: {f.ours:.3f} {f.unit}{base} · target {f.target}: {mark}")
        if f.why:
            print(f.why)
    print(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
