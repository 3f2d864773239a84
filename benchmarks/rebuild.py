"""Rebuilding every built-in view together (``renda projections rebuild`` with no names),
as a ratio against a bare read of the same log: ``select_notifications`` over the
whole log in pages, each notification decoded through the application's mapper, nothing
else. Ratio = bare time / rebuild time (target ≥ 0.5, not falling as the log grows).

    python -m benchmarks.rebuild --backend sqlite --quick
    RENDA_BENCH_POSTGRES_URL=… python -m benchmarks.rebuild --backend postgres

Three more things say *why* where the target is missed, in the same run:

- the machinery's floor: the same rebuild with every view's adapter replaced by an idle
  one (:class:`Idle`: the same topics, ``process_event`` does nothing), so only the
  runner's own work is left — the read, the decoding, the dispatch, the units and the
  commits of empty batches — as a ratio against the same bare read: the ceiling of the
  target with this architecture (figure "machinery's floor (idle adapters)");
- storage free: one in-process rebuild with every adapter doing its real work and
  nothing of it stored (:class:`Unstored`, :func:`nothing_stored`: documents and
  counters kept in memory, no row encoded or written), its CPU against the bare read's:
  the most the target can reach by any change of how the views are stored — rows,
  formats, batching, the backend's writes (figure "storage free"), and each view's
  cost of storing in the rebuild's ``why``;
- each view's share: one rebuild of all views in this process with the CPU time of each
  view's delivery (its adapter's processing of a batch and the batch's write) summed per
  view, the rest being the batches' read and decoding (:func:`breakdown`; the
  rebuild's ``why`` and ``detail["views"]``).

Logs: the demo province (``renda demo``'s generator) at a scale, and a synthetic log of
deputies and contacts (``benchmarks.run.fill``). Each log is built once; the two sides
then run alternately in the same process. Results go to
``benchmarks/results/rebuild-<backend>.json``. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.common import Figure, alternate, demo_store
from renda_core.projections.split import default_jobs, partition

if TYPE_CHECKING:
    from renda_core import Renda
    from renda_core.projections.runner import ProjectionRunner

# The application and the benchmarks' log builders are imported where they are used: a
# rebuild's child processes import this module again (it is their ``__main__``), and
# should pay for what a child of ``renda projections rebuild`` pays for, no more.

RESULTS = Path(__file__).parent / "results"
PAGE = 5000  # the runner's batch size: the same pages on both sides
TARGET = 0.5


def bare_read(app: Renda) -> int:
    """The whole log through ``select_notifications`` and the mapper; events read."""
    start, seen = 0, 0
    recorder, mapper = app.recorder, app.mapper
    while True:
        page = recorder.select_notifications(start=start, limit=PAGE, inclusive_of_start=False)
        for notification in page:
            mapper.to_domain_event(notification)
        seen += len(page)
        if len(page) < PAGE:
            return seen
        start = page[-1].id


def rebuild_all(runner: ProjectionRunner, jobs: int = 1) -> int:
    """Every built-in view rebuilt together; events processed (summed over views)."""
    results = runner.rebuild(jobs=jobs)
    failed = [r for r in results if r.error]
    assert not failed, failed
    return sum(r.processed for r in results)


class Idle:
    """A view's adapter made idle: the same topics (the runner reads, decodes and
    delivers the same events), ``process_event`` does nothing, so each batch's write is
    its tracking position alone. Its view is another one (``idle_<name>``): the real
    views stay as they are."""

    pure = True

    def __init__(self, name: str, topics: Sequence[str]) -> None:
        self.name = name
        self.topics: Sequence[str] = tuple(topics)

    def process_event(self, event: Any, view: Any) -> None:
        pass


def idle_runner(runner: ProjectionRunner) -> ProjectionRunner:
    """``runner``'s log and batch size, with every adapter made idle (:class:`Idle`)."""
    from renda_core.projections.runner import ProjectionRunner

    idle = {
        f"idle_{name}"[:40]: Idle(f"idle_{name}"[:40], projection.topics)
        for name, projection in runner.projections.items()
    }
    return ProjectionRunner(runner.app, idle, batch_size=runner.batch_size)


class Unstored:
    """A view's adapter doing its real work, with nothing of it stored: the same topics
    and ``process_event`` (the adapter's own, bound as the runner binds it), under
    another view (``unstored_<name>``), whose batches write their tracking position
    alone while :func:`nothing_stored` is in force. What is left of a rebuild is the
    runner's work and the adapters' Python: encoding the documents, the rows and the
    store's writes cost nothing."""

    pure = True

    def __init__(self, name: str, projection: Any) -> None:
        from renda_core.projections.dispatch import bound_process

        self.name = name
        self.topics: Sequence[str] = tuple(projection.topics)
        self.version = getattr(projection, "version", 1)
        self.process_event = bound_process(projection)


UNSTORED = "unstored_"


def unstored_runner(runner: ProjectionRunner) -> ProjectionRunner:
    """``runner``'s log and batch size, every adapter wrapped in :class:`Unstored`."""
    from renda_core.projections.runner import ProjectionRunner

    unstored = {
        f"{UNSTORED}{name}"[:40]: Unstored(f"{UNSTORED}{name}"[:40], projection)
        for name, projection in runner.projections.items()
    }
    return ProjectionRunner(runner.app, unstored, batch_size=runner.batch_size)


@contextmanager
def nothing_stored() -> Iterator[None]:
    """While in force, an ``unstored_`` view's batch writes its position and none of its
    rows (documents are not even encoded; the rolled-up counters are still derived:
    that is the adapters' work), and the runner keeps every document and counter in
    memory (a view that stores nothing cannot be read back): a rebuild's ceiling with
    its storage free. In this process only (``jobs=1``); memory grows with the views'
    documents."""
    from renda_core.projections.unit import ViewState
    from renda_core.projections.views import View

    apply = View.apply
    bounds = {n: getattr(ViewState, n) for n in ("MAX_DOCS", "MAX_FIGURES", "MAX_WRITTEN")}

    def positions_only(self: View, tracking: Any, changes: Any, *, after: Any = None) -> None:
        if not self.view_name.startswith(UNSTORED):
            apply(self, tracking, changes, after=after)
            return
        if changes is not None:  # the roll-ups are derived (adapters' work), not stored
            for _ in changes.history_rows():
                pass
        self._apply_rows(tracking, None, after)

    View.apply = positions_only  # type: ignore[method-assign]
    for name in bounds:
        setattr(ViewState, name, 1 << 62)
    try:
        yield
    finally:
        View.apply = apply  # type: ignore[method-assign]
        for name, bound in bounds.items():
            setattr(ViewState, name, bound)


def breakdown(runner: ProjectionRunner) -> dict[str, Any]:
    """One rebuild of every view in this process (``jobs=1``), its CPU time split:
    ``views`` — per view, the CPU of its deliveries (its adapter processing each batch,
    then the batch's write with its tracking position), largest first; ``rest`` — the
    remainder: reading and decoding the batches, checks, replacing the views;
    ``total``. The timing is per batch (a few dozen calls), not per event."""
    spent: dict[str, float] = defaultdict(float)
    deliver = runner._deliver

    def timed(name: str, *args: Any) -> None:
        started = time.process_time()
        try:
            deliver(name, *args)
        finally:
            spent[name] += time.process_time() - started

    runner._deliver = timed  # type: ignore[method-assign,assignment]
    started = time.process_time()
    try:
        rebuild_all(runner, 1)
    finally:
        del runner._deliver
    total = time.process_time() - started
    views = dict(sorted(((n, round(s, 3)) for n, s in spent.items()), key=lambda v: -v[1]))
    return {"total": round(total, 3), "views": views, "rest": round(total - sum(spent.values()), 3)}


def describe(
    real: Mapping[str, Any],
    idle: Mapping[str, Any],
    bare_cpu: float,
    free: Mapping[str, Any] | None = None,
) -> str:
    """The breakdowns of a rebuild, of its idle floor and (``free``) of the same rebuild
    with nothing stored, as lines of text: where the rebuild's CPU goes, each view's own
    work (its delivery less the idle one's) and what of it is storing."""
    total = real["total"]
    lines = [
        f"CPU of one rebuild of all views in-process: {total:.2f} s; the bare read "
        f"{bare_cpu:.2f} s; with idle adapters {idle['total']:.2f} s",
        f"  read + decode + batches (no view's): {real['rest']:.2f} s "
        f"({real['rest'] / total:.0%}; idle: {idle['rest']:.2f} s)",
    ]
    for name, cpu in real["views"].items():
        floor = idle["views"].get(f"idle_{name}"[:40], 0.0)
        stored = ""
        if free is not None:
            unstored = free["views"].get(f"{UNSTORED}{name}"[:40], 0.0)
            stored = f" (storing it {max(cpu - unstored, 0.0):.2f} s)"
        lines.append(
            f"  {name}: {cpu:.2f} s ({cpu / total:.0%}), of which its adapter and rows "
            f"{cpu - floor:.2f} s{stored}, the empty unit and commit {floor:.2f} s"
        )
    if free is not None:
        lines.append(
            f"with nothing stored (documents and counters kept in memory): {free['total']:.2f} s "
            f"(read + decode + batches {free['rest']:.2f} s): at most "
            f"{bare_cpu / free['total']:.3f} of the bare read's CPU by any change of the "
            "views' storage"
        )
    return "\n".join(lines)


def measure(
    store: str, label: str, backend: str, runs: int, profile: bool, jobs: int | None = None
) -> list[Figure]:
    """The rebuild of every view and its idle floor, each against alternating bare reads
    (the floor's idle views, ``idle_<name>``, are left in the store: measure a copy)."""
    from renda_core import Renda
    from renda_core.cli.context import Env

    jobs = default_jobs(jobs)
    with Renda(store) as app:
        env = Env(app=app)  # plug-ins loaded once: the rebuild itself is measured
        runner = env.runner()
        events = app.recorder.max_notification_id() or 0
        processes = len(partition(list(runner.projections), jobs))
        # the views exist (a rebuild replaces views, as in use); this first rebuild, in
        # this process, is timed view by view
        views = breakdown(runner)
        idle = idle_runner(runner)
        floor_views = breakdown(idle)
        unstored = unstored_runner(runner)
        with nothing_stored():
            free_views = breakdown(unstored)
        unstored.close()
        cpu: dict[str, list[float]] = {"ours": [], "bare": [], "idle": [], "bare2": []}
        ours, bare = alternate(
            lambda: _timed(lambda r: rebuild_all(r, jobs), runner, cpu["ours"]),
            lambda: _timed(bare_read, app, cpu["bare"]),
            runs,
        )
        floor, bare2 = alternate(  # the floor against its own alternating bare reads
            lambda: _timed(lambda r: rebuild_all(r, jobs), idle, cpu["idle"]),
            lambda: _timed(bare_read, app, cpu["bare2"]),
            runs,
        )
        idle.close()
        bare_cpu = statistics.median(cpu["bare"])
        why = describe(views, floor_views, bare_cpu, free_views)
        ratio = bare.median / ours.median
        if profile:  # in this process: a child's time is not in the parent's profile
            why += "\n" + _profile(lambda: rebuild_all(runner, 1))
        env.close()
    floor_ratio = bare2.median / floor.median
    return [
        Figure(
            name=f"projection rebuild, all views, {label}",
            ours=round(ours.median, 3),
            baseline=round(bare.median, 3),
            unit="s",
            ratio=round(ratio, 3),
            target=f"ratio >= {TARGET}",
            met=ratio >= TARGET,
            backend=backend,
            detail={
                "events": events,
                "runs": runs,
                # the rebuild's processes: the views split between children, each decoding
                # the log for its views (1: in this process); the CPU figures add the
                # children's CPU time to this process's
                "processes": processes,
                "ours": ours.to_dict(),
                "bare": bare.to_dict(),
                # CPU time (process_time), steadier than the wall clock on a shared machine
                **_cpu_figures(cpu["ours"], cpu["bare"]),
                # one rebuild of all views in this process, its CPU by view ("breakdown")
                "views": views,
            },
            why="" if ratio >= TARGET else why,
        ),
        Figure(
            name=f"projection rebuild, machinery's floor (idle adapters), {label}",
            ours=round(floor.median, 3),
            baseline=round(bare2.median, 3),
            unit="s",
            ratio=round(floor_ratio, 3),
            # no target of its own: the most target 1 can reach without a change of
            # the runner's machinery (reading, decoding, dispatch, units, commits)
            target=f"none (the ceiling of ratio >= {TARGET})",
            met=None,
            backend=backend,
            detail={
                "events": events,
                "runs": runs,
                "processes": processes,
                "ours": floor.to_dict(),
                "bare": bare2.to_dict(),
                **_cpu_figures(cpu["idle"], cpu["bare2"]),
                "views": floor_views,
            },
            why=(
                "the runner alone (every adapter idle): "
                f"{floor_ratio:.3f} of the bare read; the views' own work takes the "
                f"rebuild from there to {ratio:.3f}"
            ),
        ),
        Figure(
            name=f"projection rebuild, storage free (adapters' work, nothing stored), {label}",
            ours=round(free_views["total"], 3),
            baseline=round(bare_cpu, 3),
            unit="s CPU",
            ratio=round(bare_cpu / free_views["total"], 3),
            # no target of its own: the most target 1 can reach by any change of how the
            # views are stored (rows, formats, writes), the adapters' Python unchanged
            target=f"none (the ceiling of ratio >= {TARGET} with storage free)",
            met=None,
            backend=backend,
            detail={"events": events, "processes": 1, "views": free_views},
            why=(
                "every adapter's real work, its documents and counters kept in memory and "
                f"nothing stored: {bare_cpu / free_views['total']:.3f} of the bare read's "
                "CPU (one in-process rebuild)"
            ),
        ),
    ]


def _cpu() -> float:
    """CPU time of this process and of its children that ended (a rebuild's)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _cpu_figures(ours: list[float], bare: list[float]) -> dict[str, float]:
    """The medians of the two sides' CPU times and their ratio (bare / ours)."""
    cpu_ours, cpu_bare = statistics.median(ours), statistics.median(bare)
    return {
        "cpu_ours": round(cpu_ours, 3),
        "cpu_bare": round(cpu_bare, 3),
        "cpu_ratio": round(cpu_bare / cpu_ours, 3),
    }


def _timed(fn: Any, arg: Any, cpu: list[float]) -> None:
    started = _cpu()
    fn(arg)
    cpu.append(_cpu() - started)


def _profile(fn: Any, lines: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def figures(
    backend: str,
    quick: bool,
    *,
    profile: bool = False,
    only: list[str] | None = None,
    jobs: int | None = None,
) -> list[Figure]:
    from benchmarks.run import Stores, fill

    stores = Stores(backend)
    runs = 2 if quick else 3
    logs: list[tuple[str, Any]] = [
        ("demo scale 1", ("demo", 1.0)),
        ("10^5 events", ("fill", 10**5)),
    ]
    if not quick:
        logs += [("demo scale 5", ("demo", 5.0)), ("10^6 events", ("fill", 10**6))]
    if only:  # ``--log demo:0.2 --log fill:20000``: other logs (a loaded machine)
        logs = [(f"{kind} {size}", (kind, float(size))) for kind, size in _logs(only)]
    out = []
    try:
        for label, (kind, size) in logs:
            started = time.perf_counter()
            if kind == "demo":  # a copy of the run's demo store (built once per run)
                store = demo_store(stores, size, "rebuild")
            else:
                store = stores.new("rebuild")
                fill(store, int(size))
            print(
                f"[{backend}] {label}: log built in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            figure, floor, free = measure(store, label, backend, runs, profile, jobs)
            print(
                f"[{backend}] {label}: rebuild {figure.ours:.2f} s, bare {figure.baseline:.2f} s, "
                f"ratio {figure.ratio:.3f} (CPU {figure.detail['cpu_ratio']:.3f}), "
                f"{figure.detail['processes']} process(es); idle adapters' floor "
                f"{floor.ratio:.3f} (CPU {floor.detail['cpu_ratio']:.3f}); storage free "
                f"(CPU) {free.ratio:.3f}",
                flush=True,
            )
            out += [figure, floor, free]
    finally:
        stores.close()
    return out


def _logs(specs: list[str]) -> list[tuple[str, str]]:
    out = []
    for spec in specs:
        kind, _, size = spec.partition(":")
        if kind not in ("demo", "fill") or not size:
            raise SystemExit(f"--log {spec}: expected demo:<scale> or fill:<events>")
        out.append((kind, size))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="demo scale 1 and 10^5 only")
    parser.add_argument("--profile", action="store_true", help="cProfile one more rebuild")
    parser.add_argument("--store", help="measure this existing store instead of building logs")
    parser.add_argument(
        "--log", action="append", help="build this log instead: demo:<scale> or fill:<events>"
    )
    parser.add_argument(
        "--jobs", type=int, help="rebuild processes (default: RENDA_REBUILD_JOBS, else the cores)"
    )
    args = parser.parse_args()
    if args.store:
        runs = 2 if args.quick else 3
        for figure in measure(args.store, args.store, args.backend, runs, args.profile, args.jobs):
            print(json.dumps({k: v for k, v in figure.to_dict().items() if k != "why"}))
            print(figure.why)
        return
    found = figures(args.backend, args.quick, profile=args.profile, only=args.log, jobs=args.jobs)
    result = [f.to_dict() for f in found]
    if not args.log:  # the standard logs only: other logs' figures are not results
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"rebuild-{args.backend}.json").write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        )
    for row in result:
        print(json.dumps({k: v for k, v in row.items() if k != "why"}, ensure_ascii=False))
        if row["why"]:
            print(row["why"])


if __name__ == "__main__":
    main()
