"""Does renda scale linearly? The demo and bulk import, each against a baseline measured
in the same run (issue 15, targets 3 and 5):

- ``renda demo`` as a whole process at scales 1 and 5 (``--quick``: 0.2 and 1, the same
  five-fold step): time(5×) / time(1×), target ≤ 5.5; peak RSS of the large one
  (``wait4`` of the process: the largest of it and the projection follower it waits
  for), target ≤ 200 MB at scale 5 (``--quick`` reports it, with no target);
- bulk import (``parse_lines`` of a JSONL file + ``apply_commands`` in batches of 500)
  against a fair bare baseline: the same file read and ``json.loads``-ed line by line,
  the same deputies built as bare eventsourcing aggregates of the same events (a
  registration, a liaison, eight contacts) and saved with a bare ``Application`` in
  batches of the same 500 commands; alternating runs, target ≥ 0.7;
- PostgreSQL only: the demo on PostgreSQL against the demo on SQLite, whole processes,
  alternating, target ≤ 1.3.

    python -m benchmarks.scale --backend sqlite [--quick]
    RENDA_BENCH_POSTGRES_URL=… python -m benchmarks.scale --backend postgres --quick

The figures are printed. ``benchmarks.run`` collects them into its results file
(``benchmarks/results/<backend>.json``); this module writes no file of its own, so an ad
hoc measurement (``--only``, another scale) never replaces a recorded run's figures. Not
a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from benchmarks.common import (
    DEMO_CPU,
    Figure,
    Timings,
    alternate,
    demo_estimate,
    measured_demo,
    stage,
)
from benchmarks.common import run_demo as run_demo_process
from benchmarks.run import Stores
from renda_core import Renda
from renda_core.application.importer import apply_commands, parse_lines

LEVELS = ["national", "provincial", "municipal", "county", "township"]
AREAS = ["220102", "220104", "220122", "220202", "222401", "222403", "220122101"]
BATCH = 500
NAMESPACE = uuid.UUID("6f1d3c8e-2b7a-5c44-9e0d-5a3b1c2d4e5f")


# -- the demo as a whole process ---------------------------------------------------------


def run_demo(store: str, scale: float) -> tuple[float, float]:
    """``renda demo --scale S`` in a process of its own: (seconds, peak RSS in MB), its
    bytecode from the run's warmed ``PYTHONPYCACHEPREFIX`` (:mod:`benchmarks.common`)."""
    return run_demo_process(store, scale)


def demo_figures(backend: str, quick: bool) -> list[Figure]:
    small, large = (0.2, 1.0) if quick else (1.0, 5.0)
    peaks: dict[float, float] = {}

    def at(scale: float) -> float:
        # the build of the run's shared demo store (the others copy it): built once
        seconds, peaks[scale] = measured_demo(backend, scale)
        return seconds

    t_large, t_small = alternate(lambda: at(large), lambda: at(small), runs=1)
    ratio = t_large.median / t_small.median
    detail: dict[str, Any] = {
        "scales": [small, large],
        "large_s": t_large.to_dict(),
        "small_s": t_small.to_dict(),
    }
    cpu_large = DEMO_CPU.get((backend, large))
    cpu_small = DEMO_CPU.get((backend, small))
    if cpu_large and cpu_small:  # the work, which the load does not stretch
        detail["cpu_s"] = {str(small): cpu_small, str(large): cpu_large}
        detail["cpu_ratio"] = statistics.median(cpu_large) / statistics.median(cpu_small)
    step = f"{small:g} to {large:g}"
    why = ""
    if "cpu_ratio" in detail:  # said always: the builds rarely meet the same load
        why = (
            f"CPU time (the demo and its follower): {statistics.median(cpu_large or [0]):,.0f} s"
            f" / {statistics.median(cpu_small or [0]):,.0f} s = {detail['cpu_ratio']:.2f}x"
        )
    return [
        Figure(
            f"demo time, scale {large:g} / scale {small:g} (whole process)",
            t_large.median,
            t_small.median,
            "s",
            ratio,
            "<= 5.5x for 5x the province",
            ratio <= 5.5,
            backend,
            detail,
            why,
        ),
        Figure(
            f"demo peak RSS at scale {large:g} (scale {small:g} as baseline)",
            peaks[large],
            peaks[small],
            "MB",
            peaks[large] / peaks[small],
            "<= 200 MB at scale 5" if not quick else f"grows with {step}",
            peaks[large] <= 200 if not quick else None,
            backend,
            {"peak_mb": {str(k): v for k, v in peaks.items()}},
        ),
    ]


def pg_vs_sqlite(quick: bool) -> Figure:
    """The demo on PostgreSQL against the same demo on SQLite, whole processes into fresh
    stores, alternating three times (``--quick``: twice): medians of the wall clock (the
    target) and of the CPU of every process taking part — the demo, its follower and, on
    PostgreSQL, the server's backends (:mod:`benchmarks.pg_demo_cost`). One build of
    each, the run's shared stores, had compared two moments' loads more than two stores
    (1.9× one morning, 1.04× alternating eight times)."""
    import statistics

    from benchmarks.common import _postgres_url
    from benchmarks.pg_demo_cost import fresh_demo

    scale = 0.2 if quick else 1.0
    url = _postgres_url()
    rows: dict[str, list[dict[str, Any]]] = {"postgres": [], "sqlite": []}
    for _ in range(2 if quick else 3):
        for backend in ("postgres", "sqlite"):
            done = stage(
                f"[{backend}] renda demo --scale {scale:g} (alternating)",
                demo_estimate(backend, scale),
            )
            rows[backend].append(fresh_demo(backend, scale, url))
            done()
    med = {
        backend: {k: statistics.median(r[k] for r in found) for k in ("wall", "all")}
        for backend, found in rows.items()
    }
    ratio = med["postgres"]["wall"] / med["sqlite"]["wall"]
    return Figure(
        f"demo on PostgreSQL / on SQLite, scale {scale:g} (whole process, alternating)",
        med["postgres"]["wall"],
        med["sqlite"]["wall"],
        "s",
        ratio,
        "<= 1.3x",
        ratio <= 1.3,
        "postgres",
        {
            "cpu_in_all_ratio": med["postgres"]["all"] / med["sqlite"]["all"],
            "runs": rows,
        },
    )


# -- bulk import against a fair bare baseline --------------------------------------------


def jsonl(deputies: int) -> str:
    """The import file: per deputy a registration, a liaison and eight contacts."""
    staff = {"id": "bench", "role": "staff"}
    lines = []
    for i in range(deputies):
        lines.append(
            {
                "id": f"d{i}",
                "command": "deputy.register",
                "actor": staff,
                "data": {
                    "name": f"代表{i}",
                    "level": LEVELS[i % len(LEVELS)],
                    "term": 14,
                    "electoral_unit": "吉林省人民代表大会",
                    "area": AREAS[i % len(AREAS)],
                    "date": "2023-01-16",
                },
            }
        )
        lines.append(
            {
                "id": f"l{i}",
                "command": "deputy.liaise",
                "actor": staff,
                "data": {"deputy_id": f"@d{i}", "member": "常委会委员", "date": "2023-02-01"},
            }
        )
        for k in range(8):
            lines.append(
                {
                    "id": f"c{i}.{k}",
                    "command": "deputy.contact",
                    "actor": staff,
                    "data": {
                        "deputy_id": f"@d{i}",
                        "form": "visit",
                        "date": f"2023-{k + 3:02d}-01",
                    },
                }
            )
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


class BareDeputy(Aggregate):
    """The baseline's aggregate: the same events as renda's deputy, no rules."""

    @event("Registered")
    def __init__(
        self, name: str, level: str, term: int, electoral_unit: str, area: str, date: str
    ) -> None:
        self.name = name
        self.level = level
        self.term = term
        self.electoral_unit = electoral_unit
        self.area = area
        self.registered_on = date
        self.liaisons: list[tuple[str, str]] = []
        self.contacts: list[tuple[str, str]] = []

    @event("LiaisonAssigned")
    def liaise(self, member: str, date: str) -> None:
        self.liaisons.append((member, date))

    @event("ContactRecorded")
    def contact(self, form: str, date: str) -> None:
        self.contacts.append((form, date))


def bare_import(path: Path, app: Application[uuid.UUID]) -> int:
    """Read and parse the file, build the aggregates, save every 500 commands."""
    deputies: dict[str, BareDeputy] = {}
    touched: dict[uuid.UUID, BareDeputy] = {}
    count = 0
    with path.open(encoding="utf-8") as lines:
        for raw in lines:
            line = json.loads(raw)
            data = line["data"]
            if line["command"] == "deputy.register":
                deputy = BareDeputy(**data)
                deputies[line["id"]] = deputy
            else:
                deputy = deputies[data["deputy_id"][1:]]
                if line["command"] == "deputy.liaise":
                    deputy.liaise(data["member"], data["date"])
                else:
                    deputy.contact(data["form"], data["date"])
            touched[deputy.id] = deputy
            count += 1
            if count % BATCH == 0:
                app.save(*touched.values())
                touched.clear()
    if touched:
        app.save(*touched.values())
    return count


def renda_import(path: Path, app: Renda) -> int:
    with path.open(encoding="utf-8") as lines:
        commands = parse_lines(lines)
    result = apply_commands(app, commands, batch_size=BATCH)
    assert result.error is None, result.error
    return result.applied


def import_phases(path: Path, app: Renda) -> dict[str, float]:
    """CPU time per command (µs) of one import, by phase: parsing the file, running the
    commands, writing the batches (the app's ``_record``)."""
    record = app._record
    written = [0.0]

    def timed_record(processing_event: Any) -> Any:
        start = time.process_time()
        try:
            return record(processing_event)
        finally:
            written[0] += time.process_time() - start

    app._record = timed_record  # type: ignore[method-assign]
    start = time.process_time()
    with path.open(encoding="utf-8") as lines:
        commands = parse_lines(lines)
    parsed = time.process_time()
    result = apply_commands(app, commands, batch_size=BATCH)
    done = time.process_time()
    n = result.applied
    return {
        "parse_us": (parsed - start) / n * 1e6,
        "commands_us": (done - parsed - written[0]) / n * 1e6,
        "write_us": written[0] / n * 1e6,
    }


def bare_cpu(path: Path, stores: Stores) -> float:
    """CPU time per command (µs) of the bare baseline's import of the same file."""
    app = Application[uuid.UUID](env=stores.bare_env(stores.new("bare_import")))
    try:
        start = time.process_time()
        n = bare_import(path, app)
        return (time.process_time() - start) / n * 1e6
    finally:
        app.close()


def import_profile(path: Path, stores: Stores, lines: int = 15) -> str:
    """Where renda's import spends its time: the phases' CPU per command beside the bare
    baseline's (best of 3 each, alternating), then the cProfile's costliest functions
    (own time) of another run."""
    runs: list[dict[str, float]] = []
    bare: list[float] = []
    for _ in range(3):
        with Renda(stores.new("import"), require_registered_actors=False) as app:
            runs.append(import_phases(path, app))
        bare.append(bare_cpu(path, stores))
    phases = min(runs, key=lambda r: sum(r.values()))
    profile = cProfile.Profile()
    with Renda(stores.new("import"), require_registered_actors=False) as app:
        profile.runcall(renda_import, path, app)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(lines)
    table = out.getvalue()
    table = table[table.find("ncalls") :] if "ncalls" in table else table
    head = ", ".join(f"{k.removesuffix('_us')} {v:.0f} µs" for k, v in phases.items())
    total = sum(phases.values())
    return (
        f"CPU per command: {head} (renda {total:.0f} µs; the bare baseline "
        f"{min(bare):.0f} µs: CPU ratio {min(bare) / total:.2f})\n{table}"
    )


def import_figure(backend: str, quick: bool) -> Figure:
    deputies = 500 if quick else 2000
    folder = Path(tempfile.mkdtemp(prefix="renda-bench-import-"))
    path = folder / "commands.jsonl"
    path.write_text(jsonl(deputies), encoding="utf-8")
    stores = Stores(backend)
    n = deputies * 10

    def ours() -> float:
        with Renda(stores.new("import"), require_registered_actors=False) as app:
            start = time.perf_counter()
            assert renda_import(path, app) == n
            return time.perf_counter() - start

    def bare() -> float:
        app = Application[uuid.UUID](env=stores.bare_env(stores.new("bare_import")))
        try:
            start = time.perf_counter()
            assert bare_import(path, app) == n
            return time.perf_counter() - start
        finally:
            app.close()

    why = ""
    try:
        t_ours, t_bare = alternate(ours, bare, runs=3)
        if t_bare.median / t_ours.median < 0.7:
            why = import_profile(path, stores)
    finally:
        stores.close()
        path.unlink()
        folder.rmdir()
    rate, base = n / t_ours.median, n / t_bare.median
    return Figure(
        f"bulk import, {n:,} commands (parse + batches of {BATCH})",
        rate,
        base,
        "commands/s",
        rate / base,
        "ratio >= 0.7",
        rate / base >= 0.7,
        backend,
        {"commands": n, "ours_s": t_ours.to_dict(), "bare_s": t_bare.to_dict()},
        why=why,
    )


def figures(backend: str, quick: bool) -> list[Figure]:
    found = [import_figure(backend, quick), *demo_figures(backend, quick)]
    if backend == "postgres":
        found.append(pg_vs_sqlite(quick))
    return found


def show(found: list[Figure]) -> None:
    for f in found:
        verdict = "—" if f.met is None else ("met" if f.met else "NOT met")
        base = f"{f.baseline:,.2f}" if f.baseline is not None else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        line = f"{f.name}: {f.ours:,.2f} {f.unit} vs {base} → {ratio} ({f.target}: {verdict})"
        print(f"[{f.backend}] {line}")
        if f.why:
            print(f.why)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help="scales 0.2 and 1; 5,000 commands")
    parser.add_argument(
        "--only", choices=["import", "demo", "pg"], help="one group of figures only"
    )
    args = parser.parse_args()
    if args.only == "import":
        found = [import_figure(args.backend, args.quick)]
    elif args.only == "demo":
        found = demo_figures(args.backend, args.quick)
    elif args.only == "pg":
        found = [pg_vs_sqlite(args.quick)]
    else:
        found = figures(args.backend, args.quick)
    show(found)


_ = Timings  # re-exported shape of the detail dicts

if __name__ == "__main__":
    main()
