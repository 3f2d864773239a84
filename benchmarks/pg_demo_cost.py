"""What ``renda demo`` costs on PostgreSQL against SQLite, process by process (issue 15,
target 5): wall clock, the CPU of the demo's process tree (the demo and its projection
follower, ``wait4``) and the CPU of the **PostgreSQL server's backends** that served it.

    RENDA_BENCH_POSTGRES_URL=postgresql://… python -m benchmarks.pg_demo_cost --scale 0.25 --runs 3
    … --against DIR   # DIR/src first on PYTHONPATH: another commit's tree, alternating

Each run builds the demo into a fresh SQLite file and a fresh schema of the database
(dropped afterwards), alternating. The demo runs with ``PGAPPNAME`` set to a name made
for the run (its follower, a spawned process, inherits it); a thread of this process
lists that name's backends in ``pg_stat_activity`` every 0.2 s and reads each one's CPU
from ``/proc/<pid>/stat`` (the server must run on this machine, readable by this
user): the last reading of each backend is summed, so a backend's last fraction of a
poll interval may be missed. The load average is printed with each run: on a shared
machine the wall clock follows every process's CPU, the server's included, so the CPU
figures are the ones to compare. Not a test.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")


def _backend_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _load() -> float:
    return os.getloadavg()[0]


def run_one(
    store: str, scale: float, source: str | None, url: str | None, appname: str
) -> dict[str, Any]:
    """One ``renda demo``: wall, the tree's CPU, the server backends' CPU (PostgreSQL)."""
    import psycopg

    env = dict(os.environ, RENDA_REQUIRE_REGISTERED_ACTORS="0", RENDA_PLUGINS="")
    env["PGAPPNAME"] = appname
    if source is not None:
        env["PYTHONPATH"] = os.path.join(source, "src")
    command = [sys.executable, "-m", "renda_core.cli", "demo", "--store", store, "--quiet"]
    command += ["--scale", f"{scale:g}"]
    backends: dict[int, float] = {}
    done = threading.Event()

    def poll() -> None:
        assert url is not None
        with psycopg.connect(url, autocommit=True) as conn:
            while not done.is_set():
                rows = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (appname,)
                ).fetchall()
                for (pid,) in rows:
                    cpu = _backend_cpu(pid)
                    if cpu is not None:
                        backends[pid] = cpu
                done.wait(0.2)

    poller = threading.Thread(target=poll) if url else None
    if poller:
        poller.start()
    load = _load()
    start = time.perf_counter()
    try:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        seconds = time.perf_counter() - start
        done.set()
        if poller:
            poller.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"renda demo failed: {store}")
    tree = usage.ru_utime + usage.ru_stime
    server = sum(backends.values())
    return {
        "wall": seconds,
        "tree": tree,
        "server": server,
        "all": tree + server,
        "load": (load, _load()),
    }


def fresh_demo(backend: str, scale: float, url: str, source: str | None = None) -> dict[str, Any]:
    """One ``renda demo`` (:func:`run_one`) into a fresh store of ``backend`` — a new
    schema of the database at ``url``, or a new SQLite file — removed afterwards."""
    import psycopg

    name = f"cost_{uuid.uuid4().hex[:10]}"
    folder = tempfile.mkdtemp(prefix="renda-pg-demo-cost-")
    if backend == "postgres":
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        sep = "&" if "?" in url else "?"
        store = f"{url}{sep}schema={name}"
    else:
        store = str(Path(folder) / f"{name}.sqlite")
    try:
        return run_one(store, scale, source, url if backend == "postgres" else None, name)
    finally:
        if backend == "postgres":
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {name} CASCADE")
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", help="another source tree (its src/), alternating")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL runs only")
    args = parser.parse_args(argv)
    url = os.environ.get("RENDA_BENCH_POSTGRES_URL")
    if not url:
        parser.error("set RENDA_BENCH_POSTGRES_URL to a PostgreSQL database on this machine")
    trees: list[tuple[str, str | None]] = [("this tree", None)]
    if args.against:
        trees.append((args.against, args.against))
    results: dict[str, list[dict[str, Any]]] = {}
    for run in range(args.runs):
        for label, source in trees:
            for backend in ("postgres",) if args.no_sqlite else ("postgres", "sqlite"):
                if backend == "sqlite" and source is not None:
                    continue  # SQLite's code is not what is compared
                result = fresh_demo(backend, args.scale, url, source)
                key = f"{label}, {backend}"
                results.setdefault(key, []).append(result)
                print(
                    f"run {run + 1}, {key}: wall {result['wall']:.2f} s, tree CPU "
                    f"{result['tree']:.2f} s, server backends {result['server']:.2f} s, "
                    f"CPU in all {result['all']:.2f} s (load {result['load'][0]:.1f} → "
                    f"{result['load'][1]:.1f})",
                    flush=True,
                )
    print("\nmedians:")
    for key, rows in results.items():
        med = {k: statistics.median(r[k] for r in rows) for k in ("wall", "tree", "server", "all")}
        print(
            f"  {key}: wall {med['wall']:.2f} s, tree {med['tree']:.2f} s, server "
            f"{med['server']:.2f} s, all {med['all']:.2f} s"
        )
    sqlite = results.get("this tree, sqlite")
    if sqlite:
        base = {k: statistics.median(r[k] for r in sqlite) for k in ("wall", "all")}
        for key, rows in results.items():
            if key.endswith("postgres"):
                wall = statistics.median(r["wall"] for r in rows) / base["wall"]
                cpu = statistics.median(r["all"] for r in rows) / base["all"]
                print(f"  {key} / SQLite: wall {wall:.2f}, CPU in all {cpu:.2f}")


if __name__ == "__main__":
    main()
