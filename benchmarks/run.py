"""renda's benchmarks: each figure is a ratio against a baseline measured in the same run,
on the same store, because these machines are noisy.

    python -m benchmarks.run                       # SQLite, and PostgreSQL if configured
    python -m benchmarks.run --backend sqlite --quick
    RENDA_BENCH_POSTGRES_URL=postgresql://renda:renda@127.0.0.1:5432/renda_bench \\
        python -m benchmarks.run --backend postgres

Results are printed as a table and written to ``benchmarks/results/<backend>.json``.
Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

sys._called_from_test = True  # type: ignore[attr-defined]  # built-in plugins only

from renda_core import Actor, Renda  # noqa: E402
from renda_core.application.deputies import RecordContact, RegisterDeputy  # noqa: E402
from renda_core.application.importer import ParsedCommand, apply_commands  # noqa: E402
from renda_core.application.store import parse_store  # noqa: E402
from renda_core.cli.context import Env  # noqa: E402

RESULTS = Path(__file__).parent / "results"
STAFF = Actor("bench", "staff")
LEVELS = ["national", "provincial", "municipal", "county", "township"]
AREAS = ["220102", "220104", "220122", "220202", "222401", "222403", "220122101"]


class Trivial(Aggregate):
    """The baseline: the smallest aggregate eventsourcing can save."""

    @event("Created")
    def __init__(self, n: int) -> None:
        self.n = n


# -- stores ---------------------------------------------------------------------------


class Stores:
    """Fresh stores for one backend: a temp SQLite folder, or new PostgreSQL schemas."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.folder = Path(tempfile.mkdtemp(prefix="renda-bench-"))
        self.url = os.environ.get("RENDA_BENCH_POSTGRES_URL") or os.environ.get(
            "RENDA_TEST_POSTGRES_URL"
        )
        self.schemas: list[str] = []

    def new(self, name: str) -> str:
        name = f"{name}_{uuid.uuid4().hex[:6]}"
        if self.backend == "sqlite":
            return str(self.folder / f"{name}.sqlite")
        import psycopg

        assert self.url, "set RENDA_BENCH_POSTGRES_URL for the PostgreSQL benchmarks"
        schema = f"bench_{name}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        self.schemas.append(schema)
        return f"{self.url}?schema={schema}"

    def bare_env(self, store: str) -> dict[str, str]:
        return dict(parse_store(store).env)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.schemas and self.url:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                for schema in self.schemas:
                    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@contextmanager
def timer() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    elapsed: list[float] = []
    yield lambda: elapsed[0] if elapsed else time.perf_counter() - start
    elapsed.append(time.perf_counter() - start)


def best_of(runs: int, fn: Callable[[], float]) -> float:
    """The best (highest) rate of a few runs: the least disturbed by noise."""
    return max(fn() for _ in range(runs))


# -- workload --------------------------------------------------------------------------


def register_data(i: int) -> dict[str, Any]:
    return {
        "name": f"代表{i}",
        "level": LEVELS[i % len(LEVELS)],
        "term": 14,
        "electoral_unit": "吉林省人民代表大会",
        "area": AREAS[i % len(AREAS)],
        "date": "2023-01-16",
    }


def workload(n_events: int, offset: int = 0) -> list[ParsedCommand]:
    """Deputies registered, each with a liaison and contacts: ``n_events`` commands."""
    commands: list[ParsedCommand] = []
    from renda_core.application.deputies import AssignLiaison

    i = offset
    while len(commands) < n_events:
        cid = f"d{i}"
        deputy_id = uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{cid}")
        commands.append(
            ParsedCommand(
                0, cid, "deputy.register", STAFF, RegisterDeputy(**register_data(i)), deputy_id
            )
        )
        commands.append(
            ParsedCommand(
                0,
                f"l{i}",
                "deputy.liaise",
                STAFF,
                AssignLiaison(deputy_id=deputy_id, member="常委会委员", date=date(2023, 2, 1)),
                uuid.uuid4(),
            )
        )
        for k in range(8):
            commands.append(
                ParsedCommand(
                    0,
                    f"c{i}.{k}",
                    "deputy.contact",
                    STAFF,
                    RecordContact(
                        deputy_id=deputy_id,
                        form="visit",
                        date=date(2023, 2, 1) + timedelta(days=30 * k),
                    ),
                    uuid.uuid4(),
                )
            )
        i += 1
    return commands[:n_events]


# -- benchmarks ------------------------------------------------------------------------


def bench_single(stores: Stores, n: int) -> dict[str, Any]:
    """One command per transaction, vs a bare app saving a trivial aggregate each time."""

    def ours() -> float:
        with Renda(stores.new("single")) as app, timer() as t:
            for i in range(n):
                app.register_deputy(register_data(i), STAFF)
        return n / t()

    def bare() -> float:
        app = Application[uuid.UUID](env=stores.bare_env(stores.new("bare_single")))
        with timer() as t:
            for i in range(n):
                app.save(Trivial(i))
        app.close()
        return n / t()

    ours_rate, bare_rate = best_of(2, ours), best_of(2, bare)
    return {"ours": ours_rate, "baseline": bare_rate, "ratio": ours_rate / bare_rate, "target": 0.5}


def bench_bulk(stores: Stores, n: int, batch: int = 500) -> dict[str, Any]:
    """Bulk import (validated commands, batches), vs bare batched saves of trivial aggregates."""
    commands = workload(n)

    def ours() -> float:
        with Renda(stores.new("bulk")) as app, timer() as t:
            apply_commands(app, commands, batch_size=batch)
        return n / t()

    def bare() -> float:
        app = Application[uuid.UUID](env=stores.bare_env(stores.new("bare_bulk")))
        with timer() as t:
            for start in range(0, n, batch):
                app.save(*[Trivial(i) for i in range(start, min(start + batch, n))])
        app.close()
        return n / t()

    ours_rate, bare_rate = best_of(2, ours), best_of(2, bare)
    return {"ours": ours_rate, "baseline": bare_rate, "ratio": ours_rate / bare_rate, "target": 0.5}


def fill(store: str, n_events: int, already: int = 0) -> None:
    with Renda(store) as app:
        apply_commands(
            app, workload(n_events - already, offset=already // 10 + 1_000_000), batch_size=1000
        )


def bench_rebuild(store: str, n_events: int) -> dict[str, Any]:
    """Rebuilding the roster view, vs bare select_notifications plus decoding."""
    with Renda(store) as app:

        def bare() -> float:
            start, seen = 0, 0
            with timer() as t:
                while True:
                    page = app.recorder.select_notifications(
                        start=start, limit=1000, inclusive_of_start=False
                    )
                    for notification in page:
                        app.mapper.to_domain_event(notification)
                    seen += len(page)
                    if len(page) < 1000:
                        break
                    start = page[-1].id
            return seen / t()

        def ours() -> float:
            env = Env(app=app)
            runner = env.runner()
            with timer() as t:
                (result,) = runner.rebuild(["deputy_roster"])
            env.close()
            assert result.error is None
            return result.processed / t()

        ours_rate, bare_rate = best_of(2, ours), best_of(2, bare)
    return {"ours": ours_rate, "baseline": bare_rate, "ratio": ours_rate / bare_rate, "target": 0.5}


REPORT_VIEWS = ["deputy_roster", "stations", "training", "groups", "suggestions", "bulletin"]


def report_latency(store: str, repeats: int = 15) -> float:
    """Median latency of the 2023 annual report on caught-up views, in milliseconds."""
    from renda_adapters.annual import build_annual

    with Renda(store) as app:
        env = Env(app=app)
        runner = env.runner()
        reports = env.reports()
        runner.catch_up(REPORT_VIEWS)
        times = []
        for _ in range(repeats):
            with timer() as t:
                build_annual(runner, reports, year=2023)
            times.append(t() * 1000)
        env.close()
    times.sort()
    return times[len(times) // 2]


def rebuild_peak_memory_mb(store: str) -> float:
    """Peak RSS of a process that rebuilds every view the annual report reads (MB)."""
    code = (
        "import sys; sys._called_from_test = True\n"
        "from renda_core import Renda\nfrom renda_core.cli.context import Env\n"
        f"app = Renda({store!r}); env = Env(app=app)\n"
        f"rs = env.runner().rebuild({REPORT_VIEWS!r}); assert not any(r.error for r in rs)\n"
        "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def seed_demo(store: str, scale: float) -> int:
    """A small demo province (every section of the report has data); returns events."""
    from renda_core.demo import generate
    from renda_core.projections.log import last_position

    with Renda(store) as app:
        generate(app, scale, 2023)
        return last_position(app)


def bench_demo(stores: Stores) -> dict[str, Any]:
    """`renda demo --scale 1.0` end to end (build, projections, report printed)."""
    store = stores.new("demo")
    with timer() as t:
        result = subprocess.run(
            [sys.executable, "-m", "renda_core.cli", "demo", "--store", store, "--quiet"],
            capture_output=True,
            text=True,
        )
    return {"seconds": t(), "target": 60.0, "ok": result.returncode == 0}


def run(backend: str, quick: bool) -> dict[str, Any]:
    stores = Stores(backend)
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    results: dict[str, Any] = {
        "backend": backend,
        "machine": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "platform": platform.platform(),
        },
    }
    try:
        print(f"[{backend}] single commands …", flush=True)
        results["single_commands"] = bench_single(stores, 500 if quick else 2000)
        print(f"[{backend}] bulk import …", flush=True)
        results["bulk_import"] = bench_bulk(stores, 5_000 if quick else 20_000)
        store = stores.new("grow")
        print(f"[{backend}] a small demo province (~10⁴ events) …", flush=True)
        filled = seed_demo(store, 0.04)
        latencies: dict[str, float] = {}
        for size in sizes:
            print(f"[{backend}] growing the log to {size:,} events …", flush=True)
            if size > filled:
                fill(store, size, filled)
                filled = size
            latencies[str(size)] = report_latency(store)
        results["report_latency_ms"] = {
            **latencies,
            "growth": latencies[str(sizes[-1])] / latencies[str(sizes[0])],
            "target_ms": 100,
            "target_growth": 1.5,
        }
        print(f"[{backend}] rebuild at {filled:,} events …", flush=True)
        results["rebuild"] = {**bench_rebuild(store, filled), "events": filled}
        results["rebuild_peak_memory_mb"] = {
            "events": filled,
            "mb": rebuild_peak_memory_mb(store),
            "target_mb": 300,
        }
        print(f"[{backend}] demo --scale 1.0 …", flush=True)
        results["demo"] = bench_demo(stores)
    finally:
        stores.close()
    return results


def show(results: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"renda benchmarks — {results['backend']}")
    for col in ("figure", "renda", "baseline", "ratio / value", "target"):
        table.add_column(col)
    for key in ("single_commands", "bulk_import", "rebuild"):
        r = results.get(key)
        if r:
            table.add_row(
                key,
                f"{r['ours']:,.0f}/s",
                f"{r['baseline']:,.0f}/s",
                f"{r['ratio']:.2f}",
                f"≥ {r['target']}",
            )
    lat = results.get("report_latency_ms")
    if lat:
        for size, value in lat.items():
            if size.isdigit():
                table.add_row(
                    f"report latency @ {int(size):,} events", f"{value:.1f} ms", "", "", "< 100 ms"
                )
        table.add_row("report latency growth", "", "", f"{lat['growth']:.2f}×", "≤ 1.5×")
    mem = results.get("rebuild_peak_memory_mb")
    if mem:
        table.add_row(
            f"rebuild peak memory @ {mem['events']:,}", f"{mem['mb']:.0f} MB", "", "", "< 300 MB"
        )
    demo = results.get("demo")
    if demo:
        table.add_row(
            "demo --scale 1.0",
            f"{demo['seconds']:.1f} s",
            "",
            "ok" if demo["ok"] else "FAILED",
            "< 60 s",
        )
    Console().print(table)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (10⁴ and 10⁵ events)")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if "postgres" in backends and not (
        os.environ.get("RENDA_BENCH_POSTGRES_URL") or os.environ.get("RENDA_TEST_POSTGRES_URL")
    ):
        print("no PostgreSQL URL (RENDA_BENCH_POSTGRES_URL): SQLite only", file=sys.stderr)
        backends = [b for b in backends if b != "postgres"]
    RESULTS.mkdir(exist_ok=True)
    for backend in backends:
        results = run(backend, args.quick)
        (RESULTS / f"{backend}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
        show(results)
    from benchmarks import startup  # whole processes (`renda --help`, a report): any backend

    started = startup.measure()
    (RESULTS / "startup.json").write_text(json.dumps(started, indent=2, ensure_ascii=False))
    startup.show(started)
    _ = resource  # imported for the subprocess measurement's documentation


if __name__ == "__main__":
    main()
