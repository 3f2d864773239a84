"""What every benchmark module shares: one figure's shape and alternating timings.

A benchmark module (``benchmarks/<topic>.py``) exposes

    def figures(backend: str, quick: bool) -> list[Figure]: ...

and ``python -m benchmarks.run`` prints every module's figures in one table, each a
ratio against a baseline measured in the same run, with its target met or not. A
figure whose target is not met carries ``why``: the profile that says where the time
goes. Nothing here asserts a time.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure: ours against a baseline from the same run.

    ``ratio`` is what the target is stated in: for rates (higher is better) it is
    ``ours / baseline``; for times or sizes (lower is better) the module says which in
    ``better`` and computes it the way the issue states the target.
    """

    name: str  # e.g. "projection rebuild, all views, 10^5 events"
    ours: float
    baseline: float | None
    unit: str  # "events/s", "ms", "s", "MB", …
    ratio: float | None
    target: str  # e.g. "ratio >= 0.5", "< 50 ms", "<= 1.2x from scale 1 to 5"
    met: bool | None  # None: no target
    backend: str = "sqlite"
    detail: dict[str, Any] = field(default_factory=dict)  # sizes, runs, min/median/max
    why: str = ""  # where the target is missed: the profile's top lines

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Timings:
    """min / median / max seconds of repeated runs."""

    runs: list[float]

    @property
    def min(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def max(self) -> float:
        return max(self.runs)

    def to_dict(self) -> dict[str, float]:
        return {"min": self.min, "median": self.median, "max": self.max}


def alternate(
    ours: Callable[[], float | None],
    baseline: Callable[[], float | None],
    runs: int = 3,
) -> tuple[Timings, Timings]:
    """Run ``ours`` and ``baseline`` alternately ``runs`` times each.

    Each callable either returns the seconds it measured itself (to leave set-up out)
    or ``None``, in which case its whole call is timed.
    """
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        for fn, into in ((ours, a), (baseline, b)):
            start = time.perf_counter()
            measured = fn()
            into.append(measured if measured is not None else time.perf_counter() - start)
    return Timings(a), Timings(b)


# -- the shared demo stores ------------------------------------------------------------
#
# A demo province at scale 5 takes 30–60 min to build on a loaded machine; every module
# used to build its own. ``demo_store(stores, scale)`` hands out a copy of one store per
# backend and scale, built once per run (or reused from an earlier run's folder:
# ``python -m benchmarks.run --stores DIR``), by ``renda demo`` as a whole process — the
# build ``benchmarks.scale`` measures (:func:`measured_demo`), so the largest demo is
# built exactly once. SQLite: the ``.sqlite`` file and its sidecars (``-wal``, ``-shm``,
# the ``.views`` folder) copied; PostgreSQL: the schema (log, views, functions) copied
# into a new one with ``pg_dump -n`` | ``psql``. A copy is the caller's, under its
# ``Stores`` (removed with it); the cached store itself is never handed out.

MANIFEST = "stores.json"
#: estimated seconds of ``renda demo`` here: (fixed, per scale unit; scale 1 ≈ 220,000
#: events), from the builds of the full runs of 2026-12-03 at load 1–2.8 (SQLite scale 1:
#: 55 s, scale 5: 281 s; PostgreSQL 48 s and 254 s) with half again for a loaded machine;
#: printed before a build, the actual time after it
DEMO_SECONDS = {"sqlite": (10.0, 85.0), "postgres": (15.0, 75.0)}


def demo_estimate(backend: str, scale: float) -> float:
    fixed, per_scale = DEMO_SECONDS[backend]
    return fixed + per_scale * scale


def catalogue_version() -> str:
    """What a stored demo must match to be reused: a digest of the event catalogue (every
    aggregate's events, fields and class versions) and of the views' table format."""
    import hashlib

    from renda_core.domain.catalogue import render
    from renda_core.projections.views import View

    text = render() + f"\nview format {View.FORMAT}\n"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def stage(label: str, estimate: float | None = None) -> Callable[[], float]:
    """Print a stage's estimated duration now; the returned callable prints (and
    returns) its actual duration."""
    est = f" (estimated {estimate:,.0f} s)" if estimate is not None else ""
    print(f"[stage] {label}{est} …", flush=True)
    started = time.perf_counter()

    def done() -> float:
        took = time.perf_counter() - started
        print(f"[stage] {label}: {took:,.1f} s{est}", flush=True)
        return took

    return done


_PYCACHE: dict[str, str] = {}
#: what the bytecode warm-up imports: the modules of the measured whole processes
WARM = """
import pkgutil, importlib
import renda_core.cli, renda_core.demo, renda_core.demo.generator, renda_adapters
import eventsourcing.sqlite, eventsourcing.postgres, psycopg, pydantic, rich, jinja2
for pkg in (renda_core, renda_adapters):
    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        if info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except Exception:
            pass
"""


def bytecode_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured renda process: no installed plugins, and bytecode
    read from (and written to) a temporary ``PYTHONPYCACHEPREFIX`` shared by the run, as
    an installed package reads its own — machines that set ``PYTHONDONTWRITEBYTECODE``
    would otherwise compile every module at every start. Warmed once per run by a
    process importing what the measured processes import (the CLI, the demo, the
    adapters, both stores' modules); anything it missed is compiled by the first process
    that imports it and read by the next."""
    import os
    import subprocess
    import sys
    import tempfile

    if "prefix" not in _PYCACHE:
        prefix = tempfile.mkdtemp(prefix="renda-bench-pycache-")
        _PYCACHE["prefix"] = prefix
        env = {**os.environ, "PYTHONPYCACHEPREFIX": prefix}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        done = stage("bytecode: warming a temporary PYTHONPYCACHEPREFIX", 15)
        subprocess.run([sys.executable, "-c", WARM], env=env, capture_output=True)
        done()
    env = {**os.environ, "RENDA_PLUGINS": "", **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = _PYCACHE["prefix"]
    return env


def run_demo(store: str, scale: float) -> tuple[float, float]:
    """``renda demo --scale S`` in a process of its own: (seconds, peak RSS in MB, the
    larger of it and the projection follower it waits for: ``wait4``)."""
    import os
    import subprocess
    import sys

    env = bytecode_env({"RENDA_REQUIRE_REGISTERED_ACTORS": "0"})
    command = [sys.executable, "-m", "renda_core.cli", "demo", "--store", store, "--quiet"]
    start = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--scale", f"{scale:g}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    err = process.stderr.read().decode(errors="replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"demo --scale {scale} failed ({process.returncode}): {err[-2000:]}")
    # CPU of the demo and the follower it waited for (wait4 counts reaped children):
    # the work done, which a loaded machine's wall clock hides
    LAST_DEMO_CPU[0] = usage.ru_utime + usage.ru_stime
    return seconds, usage.ru_maxrss / 1024  # kB on Linux


#: the CPU seconds of the last :func:`run_demo` (None: not measured, e.g. a test's fake)
LAST_DEMO_CPU: list[float | None] = [None]
#: every demo figure :func:`measured_demo` returned, per (backend, scale): its CPU
#: seconds where known (a build, or a reused store's manifest)
DEMO_CPU: dict[tuple[str, float], list[float]] = {}


def _demo_cpu(backend: str, scale: float, cpu: float | None) -> None:
    if cpu is not None:
        DEMO_CPU.setdefault((backend, scale), []).append(cpu)


class StoreCache:
    """One demo store per backend and scale, in ``folder`` (a ``stores.json`` manifest
    says what each is, its event-catalogue version and how long its build took)."""

    def __init__(self, folder: Path | None = None) -> None:
        import tempfile

        self.kept = folder is not None  # --stores DIR: kept for the next run
        self.folder = folder or Path(tempfile.mkdtemp(prefix="renda-bench-stores-"))
        self.folder.mkdir(parents=True, exist_ok=True)
        self.version = catalogue_version()
        self.manifest_path = self.folder / MANIFEST
        self.entries: dict[str, dict[str, Any]] = {}
        self.measured: set[str] = set()  # keys whose build this run's figures used
        if self.manifest_path.exists():
            import json

            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            for key, entry in manifest.get("stores", {}).items():
                if entry.get("version") != self.version:
                    print(
                        f"[stores] {key}: built for event catalogue {entry.get('version')}, "
                        f"the code's is {self.version}: refused (stale), rebuilt if needed",
                        flush=True,
                    )
                    continue
                self.entries[key] = entry

    @staticmethod
    def key(backend: str, scale: float) -> str:
        return f"{backend}/demo{scale:g}"

    def save(self) -> None:
        import json

        payload = {"stores": self.entries}
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        self.manifest_path.write_text(text, encoding="utf-8")

    def location(self, backend: str, scale: float) -> str:
        name = f"demo{scale:g}".replace(".", "_")
        if backend == "sqlite":
            return str(self.folder / f"{name}.sqlite")
        import hashlib

        url = _postgres_url()
        # one schema per cache folder (two runs at once do not share one by accident)
        folder = hashlib.sha256(str(self.folder.resolve()).encode()).hexdigest()[:6]
        return f"{url}?schema=benchstore_{self.version}_{folder}_{name}"

    def entry(self, backend: str, scale: float) -> dict[str, Any] | None:
        return self.entries.get(self.key(backend, scale))

    def build(self, backend: str, scale: float) -> dict[str, Any]:
        """Build the cached store (``renda demo``, whole process, measured)."""
        store = self.location(backend, scale)
        _remove(backend, store)
        if backend == "postgres":
            _create_schema(store)
        estimate = demo_estimate(backend, scale)
        done = stage(f"[{backend}] renda demo --scale {scale:g} (the run's shared store)", estimate)
        LAST_DEMO_CPU[0] = None
        seconds, peak = run_demo(store, scale)
        done()
        entry = {
            "store": store,
            "version": self.version,
            "scale": scale,
            "build_s": seconds,
            "peak_mb": peak,
            "cpu_s": LAST_DEMO_CPU[0],
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "load_average": _load(),
        }
        self.entries[self.key(backend, scale)] = entry
        self.save()
        return entry

    def adopt(self, scale: float, source: str) -> dict[str, Any]:
        """A SQLite demo store built elsewhere (``renda demo --scale S``, seed 2023, by
        this code) taken into the cache, copied: its build time is unknown, so
        :func:`measured_demo` measures a build of its own."""
        store = self.location("sqlite", scale)
        _copy("sqlite", source, store)
        entry = {
            "store": store,
            "version": self.version,
            "scale": scale,
            "build_s": None,
            "peak_mb": None,
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(Path(source).stat().st_mtime)),
            "adopted_from": source,
        }
        self.entries[self.key("sqlite", scale)] = entry
        self.save()
        return entry

    def copy(self, backend: str, scale: float, target: str) -> str:
        """A copy of the cached store at ``target`` (built first if missing)."""
        entry = self.entry(backend, scale) or self.build(backend, scale)
        done = stage(f"[{backend}] copy of the demo at scale {scale:g}")
        _copy(backend, entry["store"], target)
        done()
        return target

    def close(self) -> None:
        """Remove the stores unless they are kept (``--stores DIR``)."""
        if self.kept:
            return
        import shutil

        for entry in self.entries.values():
            if "://" in entry["store"]:
                _remove("postgres", entry["store"])
        shutil.rmtree(self.folder, ignore_errors=True)
        self.entries = {}


_CACHE: list[StoreCache] = []


def store_cache(folder: Path | None = None) -> StoreCache:
    """The run's cache (the first call fixes its folder: ``--stores DIR`` or a temp one)."""
    if not _CACHE:
        import atexit

        _CACHE.append(StoreCache(folder))
        # a module run alone (``python -m benchmarks.rebuild``) removes its stores too
        atexit.register(close_store_cache)
    return _CACHE[0]


def close_store_cache() -> None:
    if _CACHE:
        _CACHE.pop().close()


def demo_store(stores: Any, scale: float, name: str = "demo") -> str:
    """A copy of the run's demo province at ``scale`` for ``stores.backend``, owned by
    ``stores`` (a ``benchmarks.run.Stores``: removed with it)."""
    target = stores.new(f"{name}{scale:g}".replace(".", "_"))
    return store_cache().copy(stores.backend, scale, target)


def measured_demo(backend: str, scale: float) -> tuple[float, float]:
    """(seconds, peak RSS MB) of ``renda demo --scale S`` as a whole process. The first
    call per backend and scale builds the run's shared store and returns its figures; a
    store reused from an earlier run (``--stores``) returns the figures of its build
    (printed as such); later calls build a throwaway store, so alternating runs stay
    measured."""
    cache = store_cache()
    key = cache.key(backend, scale)
    entry = cache.entry(backend, scale)
    if entry is None:
        entry = cache.build(backend, scale)
        cache.measured.add(key)
        _demo_cpu(backend, scale, entry.get("cpu_s"))
        return entry["build_s"], entry["peak_mb"]
    if key in cache.measured or entry.get("build_s") is None:
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="renda-bench-demo-"))
        name = f"throwaway_{time.time_ns() % 10**9}"
        store = (
            str(folder / f"{name}.sqlite")
            if backend == "sqlite"
            else f"{_postgres_url()}?schema=bench_{name}"
        )
        try:
            if backend == "postgres":
                _create_schema(store)
            done = stage(
                f"[{backend}] renda demo --scale {scale:g} (measured again)",
                demo_estimate(backend, scale),
            )
            LAST_DEMO_CPU[0] = None
            seconds, peak = run_demo(store, scale)
            done()
            _demo_cpu(backend, scale, LAST_DEMO_CPU[0])
            return seconds, peak
        finally:
            _remove(backend, store)
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
    print(
        f"[stores] {backend} demo scale {scale:g}: reused from {cache.folder} — its build "
        f"({entry['built']}, load {entry.get('load_average')}): {entry['build_s']:,.0f} s, "
        f"{entry['peak_mb']:.0f} MB",
        flush=True,
    )
    cache.measured.add(key)
    _demo_cpu(backend, scale, entry.get("cpu_s"))
    return entry["build_s"], entry["peak_mb"]


def _postgres_url() -> str:
    import os

    url = os.environ.get("RENDA_BENCH_POSTGRES_URL") or os.environ.get("RENDA_TEST_POSTGRES_URL")
    assert url, "set RENDA_BENCH_POSTGRES_URL for the PostgreSQL benchmarks"
    return url


def _load() -> list[float] | None:
    import os

    try:
        return [round(x, 1) for x in os.getloadavg()]
    except OSError:
        return None


def _schema(store: str) -> str:
    return store.rsplit("schema=", 1)[1].split("&", 1)[0]


def _create_schema(store: str) -> None:
    import psycopg

    with psycopg.connect(_postgres_url(), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {_schema(store)}")


def _remove(backend: str, store: str) -> None:
    import shutil

    if backend == "sqlite":
        path = Path(store)
        for sidecar in path.parent.glob(path.name + "*"):
            if sidecar.is_dir():
                shutil.rmtree(sidecar, ignore_errors=True)
            else:
                sidecar.unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(_postgres_url(), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {_schema(store)} CASCADE")


def _connect(store: str) -> tuple[Any, str] | None:
    """A connection to a PostgreSQL store's database (autocommit) and its schema, else
    ``None`` (a SQLite store)."""
    from renda_core.application.store import parse_store

    config = parse_store(store)
    if config.backend != "postgres":
        return None
    import psycopg

    env = config.env
    conn = psycopg.connect(
        dbname=env["POSTGRES_DBNAME"],
        host=env["POSTGRES_HOST"],
        port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"],
        autocommit=True,
    )
    return conn, env.get("POSTGRES_SCHEMA", "public")


#: a schema's tables, whether the planner has statistics of each (``pg_stats`` has rows
#: for a table once it was analyzed holding rows) and whether it may hold rows (the
#: catalogue's count is not 0: rows, counted by ``CREATE INDEX`` in a restored copy, or
#: -1, never counted)
_TABLES_SQL = (
    "SELECT c.relname, EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = n.nspname "
    "AND s.tablename = c.relname), c.reltuples <> 0 FROM pg_class c JOIN pg_namespace n "
    "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r' ORDER BY 1"
)


def analyze(store: str) -> None:
    """Give a PostgreSQL store's tables their planner statistics (``ANALYZE``), as
    autovacuum does a while after a table is filled. A SQLite store is left as it is."""
    found = _connect(store)
    if found is None:
        return
    conn, schema = found
    with conn:
        from psycopg import sql

        for table, _, _ in conn.execute(_TABLES_SQL, [schema]).fetchall():
            conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(schema, table)))


def unanalyzed(store: str) -> list[str]:
    """The tables of a PostgreSQL store that may hold rows and have no planner
    statistics (never analyzed, by autovacuum or by hand)."""
    found = _connect(store)
    if found is None:
        return []
    conn, schema = found
    with conn:
        rows = conn.execute(_TABLES_SQL, [schema]).fetchall()
    return [table for table, stats, filled in rows if filled and not stats]


def _copy(backend: str, source: str, target: str) -> None:
    """The store at ``source`` copied to ``target`` (replacing whatever is there)."""
    import shutil
    import subprocess

    _remove(backend, target)
    if backend == "sqlite":
        src = Path(source)
        for sidecar in sorted(src.parent.glob(src.name + "*")):
            dest = Path(target + sidecar.name[len(src.name) :])
            if sidecar.is_dir():
                shutil.copytree(sidecar, dest)
            else:
                shutil.copy2(sidecar, dest)
        return
    # PostgreSQL: dump the schema, rename it, restore (the log, the views, the functions)
    old, new = _schema(source), _schema(target)
    url = _postgres_url()
    pipeline = (
        f"pg_dump --no-owner --no-privileges -n {old} '{url}' "
        f"| sed 's/\\b{old}\\b/{new}/g' | psql -q -v ON_ERROR_STOP=1 '{url}'"
    )
    result = subprocess.run(["bash", "-o", "pipefail", "-c", pipeline], capture_output=True)
    if result.returncode != 0:
        raise RuntimeError(f"copying schema {old} → {new}: {result.stderr.decode()[-2000:]}")
    # A restored schema has no planner statistics until autovacuum gets to it (a minute
    # or more on a busy server); a deployed store has them. Without them the server
    # misplans reads (a parallel worker for each annual report at demo scale 5:
    # docs/performance.md), so every module's copy is analyzed before it is timed.
    analyze(target)


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.common adopt DIR SCALE STORE``: put a SQLite demo store
    built by ``renda demo --scale SCALE`` (this code) into the ``--stores DIR`` folder."""
    import argparse

    parser = argparse.ArgumentParser(description=(main.__doc__ or "").strip())
    parser.add_argument("action", choices=["adopt"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("scale", type=float)
    parser.add_argument("store")
    args = parser.parse_args(argv)
    entry = store_cache(args.folder).adopt(args.scale, args.store)
    print(f"{entry['store']}: demo scale {args.scale:g}, catalogue {entry['version']}")


if __name__ == "__main__":
    main()
