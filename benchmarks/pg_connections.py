"""How many PostgreSQL connections one ``renda projections catch-up`` holds at once.

    python -m benchmarks.pg_connections postgresql://renda:renda@127.0.0.1:5432/db
    python -m benchmarks.pg_connections URL --runs 3 --against /tmp/before   # and another tree

A fresh schema gets three events (as many deputies registered) and then one catch-up,
which creates every view and delivers to it. The catch-up runs as a process of its own
with ``PGAPPNAME`` set to a name made for the run; a thread of this process counts the
sessions of that name in ``pg_stat_activity`` every 5 ms while it runs, and the peak is
printed. A count of connections, not a time: the machine's load does not change it
(a busier machine may only make a race that opens one more connection likelier).
``--against DIR`` runs the same with ``DIR/src`` first on ``PYTHONPATH`` (a source tree of
another commit, e.g. ``git archive <commit> src | tar -x -C DIR``), alternating.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid

REGISTER = [
    "deputy", "register", "--name", "金美玉", "--level", "省", "--term", "14",
    "--electoral-unit", "延边朝鲜族自治州人民代表大会", "--area", "222401",
    "--ethnicity", "朝鲜族", "--gender", "女", "--date", "2023-01-16",
]  # fmt: skip


def peak_connections(url: str, source: str | None) -> tuple[int, int]:
    """(views, peak connections) of one catch-up of a fresh schema of ``url``."""
    import psycopg

    schema = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
        try:
            env = dict(os.environ, RENDA_REQUIRE_REGISTERED_ACTORS="0")
            if source is not None:
                env["PYTHONPATH"] = os.path.join(source, "src")
            store = f"{url}?schema={schema}"
            cli = [sys.executable, "-m", "renda_core.cli", "--store", store]
            cli += ["--actor", "clerk-1", "--role", "staff"]
            for _ in range(3):
                subprocess.run([*cli, *REGISTER], env=env, check=True, capture_output=True)
            name = f"renda-bench-{schema}"
            peak = 0
            done = threading.Event()

            def poll() -> None:
                nonlocal peak
                with psycopg.connect(url, autocommit=True) as conn:
                    while not done.is_set():
                        row = conn.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                            (name,),
                        ).fetchone()
                        peak = max(peak, row[0] if row else 0)
                        time.sleep(0.005)

            poller = threading.Thread(target=poll)
            poller.start()
            try:
                caught = subprocess.run(
                    [*cli, "projections", "catch-up", "--json"],
                    env=dict(env, PGAPPNAME=name),
                    check=True,
                    capture_output=True,
                    text=True,
                )
            finally:
                done.set()
                poller.join()
            return len(json.loads(caught.stdout)), peak
        finally:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="a PostgreSQL database (a schema is made and dropped)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", help="another source tree, measured alternately")
    args = parser.parse_args(argv)
    trees: list[tuple[str, str | None]] = [("this tree", None)]
    if args.against:
        trees.append((args.against, args.against))
    for run in range(args.runs):
        for label, source in trees:
            views, peak = peak_connections(args.url, source)
            print(f"run {run + 1}, {label}: {views} views, at most {peak} connections")


if __name__ == "__main__":
    main()
