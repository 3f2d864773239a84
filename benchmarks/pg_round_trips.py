"""How many round trips to the PostgreSQL server ``renda demo`` makes, and for what
(issue 15, target 5): a count, not a time, so it does not depend on the machine's load.

A round trip is a time the client sends something and waits for the server's answer.
psycopg 3 runs every exchange with the server through ``Connection.wait`` (a generator
per exchange); this script wraps it, in the demo's process and in its projection
follower (a spawned process: the wrapper is installed by a ``sitecustomize`` module put
on ``PYTHONPATH`` for the run), and counts:

- a statement outside a pipeline, BEGIN, COMMIT/ROLLBACK, the start of a ``COPY`` (the
  server answers that it is ready) and its end (the server answers that it is done):
  one round trip each;
- a statement or BEGIN queued in a pipeline: no round trip of its own; the pipeline's
  sync (its end, or ``Pipeline.sync``) is one;
- a ``COPY``'s rows: sent without waiting (not a round trip).

Each round trip is put down to the statement (its first keyword and table) and to the
innermost function of renda (or eventsourcing) that made it. It also counts the commands
written (the applied command ids of each write), the writes (``insert_events``) and the
views' batches (``View.apply``), and prints the round trips per command and per view
batch, and the seconds each kind of round trip waited for the server's answer (wall
time inside ``Connection.wait``: it grows with the machine's load, so it says where the
waiting goes, not how long a round trip takes).

    RENDA_BENCH_POSTGRES_URL=postgresql://… python -m benchmarks.pg_round_trips --scale 0.05

The demo is built in a new schema of that database (dropped afterwards). Not a test;
the wrapper is never installed in the product.
"""

from __future__ import annotations

import argparse
import atexit
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

OUT_ENV = "RENDA_ROUND_TRIPS_DIR"

#: exchanges that do not wait for the server (the rows of a COPY; entering a pipeline;
#: autocommit switched, locally)
_NO_WAIT = {"copy_to", "BasePipeline._enter_gen", "BaseConnection._set_autocommit_gen"}
#: exchanges that send nothing when no transaction is open (the pool's connection
#: context commits on the way out, a no-op in autocommit)
_ONLY_IN_TRANSACTION = {"BaseConnection._commit_gen", "BaseConnection._rollback_gen"}
#: exchanges that only queue when the connection is in a pipeline
_QUEUED_IN_PIPELINE = {
    "BaseCursor._execute_gen",
    "BaseCursor._executemany_gen_pipeline",
    "BaseTransaction._enter_gen",
}

_TABLE = re.compile(r"\b(?:FROM|INTO|TABLE|UPDATE|COPY)\s+(?:\"?[\w]+\"?\.)?\"?([\w]+)\"?", re.I)


def _label(name: str, gen: Any) -> str:
    if name == "BaseTransaction._enter_gen":
        return "BEGIN"
    if name == "BaseTransaction._exit_gen":
        return "COMMIT/ROLLBACK"
    if name in ("BasePipeline._exit_gen", "BasePipeline._sync_gen"):
        return "pipeline sync"
    if name == "copy_end":
        return "COPY end"
    frame = getattr(gen, "gi_frame", None)
    query = None if frame is None else frame.f_locals.get("query", frame.f_locals.get("statement"))
    if query is None:
        return name
    text = query if isinstance(query, str) else _composed_text(query)
    words = text.split()
    verb = words[0].upper() if words else "?"
    if name == "BaseCursor._start_copy_gen":
        verb = "COPY start"
    match = _TABLE.search(text)
    table = match.group(1) if match else " ".join(words[1:3])
    # a schema's own prefix (the demo's schema is random) and the views' names apart
    table = re.sub(r"^renda_staged_", "staged_", table)
    return f"{verb} {table}"


def _composed_text(query: Any) -> str:
    try:
        return str(query.as_string(None))
    except Exception:  # a Composed that needs a connection
        return repr(query)[:200]


def _where() -> str:
    """The innermost function of renda that made the exchange, and its caller in another
    module of renda (where it was asked for), with the library's function between."""
    frame = sys._getframe(3)
    library = None
    found: list[str] = []
    while frame is not None and len(found) < 2:
        file = frame.f_code.co_filename
        if "renda_core" in file and "benchmarks" not in file:
            module = Path(file).stem
            if not found or not found[-1].startswith(module + "."):
                found.append(f"{module}.{frame.f_code.co_qualname}")
        elif not found and library is None and "eventsourcing" in file:
            library = f"eventsourcing.{frame.f_code.co_qualname}"
        frame = frame.f_back  # type: ignore[assignment]
    where = " ← ".join(found) or "?"
    return where if library is None else f"{where} → {library}"


def install(out_dir: str) -> None:
    """Wrap psycopg's ``Connection.wait`` (and count commands and view batches); the
    counts go to ``out_dir`` as JSON when the process exits."""
    import psycopg
    from psycopg.pq import TransactionStatus

    IDLE = TransactionStatus.IDLE
    trips: collections.Counter[tuple[str, str]] = collections.Counter()
    waited: dict[str, float] = collections.defaultdict(float)
    queued: collections.Counter[str] = collections.Counter()
    counts: collections.Counter[str] = collections.Counter()
    original = psycopg.Connection.wait

    def wait(self: Any, gen: Any, *args: Any, **kwargs: Any) -> Any:
        name = getattr(gen, "__qualname__", type(gen).__name__)
        if name in _NO_WAIT:
            counts["copy rows sent" if name == "copy_to" else name] += 1
        elif name in _ONLY_IN_TRANSACTION and self.pgconn.transaction_status == IDLE:
            pass
        elif name in _QUEUED_IN_PIPELINE and self._pipeline is not None:
            queued[_label(name, gen)] += 1
        else:
            label = _label(name, gen)
            trips[(label, _where())] += 1
            start = time.perf_counter()
            try:
                return original(self, gen, *args, **kwargs)
            finally:
                waited[label] += time.perf_counter() - start
        return original(self, gen, *args, **kwargs)

    psycopg.Connection.wait = wait  # type: ignore[method-assign]

    def counting(cls: Any, method: str, count: Any) -> None:
        inner = getattr(cls, method)

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            count(args, kwargs)
            return inner(self, *args, **kwargs)

        setattr(cls, method, wrapper)

    from renda_core.application.recorders import COMMAND_IDS
    from renda_core.application.recorders_pg import PostgresRendaRecorder
    from renda_core.projections.views import View

    def written(args: Any, kwargs: Any) -> None:
        counts["writes (insert_events)"] += 1
        counts["events"] += len(args[0])
        counts["events in a write, most"] = max(counts["events in a write, most"], len(args[0]))
        counts["commands"] += len(kwargs.get(COMMAND_IDS) or ())

    counting(PostgresRendaRecorder, "insert_events", written)
    from renda_core.demo.generator import Batches

    counting(Batches, "ran", lambda a, k: counts.update(["demo commands (Batches.ran)"]))
    counting(View, "apply", lambda a, k: counts.update(["view batches (View.apply)"]))

    def dump() -> None:
        path = Path(out_dir) / f"{os.getpid()}.json"
        path.write_text(
            json.dumps(
                {
                    "argv": sys.argv,
                    "trips": [[label, where, n] for (label, where), n in trips.items()],
                    "queued": dict(queued),
                    "waited": dict(waited),
                    "counts": dict(counts),
                }
            )
        )

    atexit.register(dump)


_SITECUSTOMIZE = """\
import os
if os.environ.get({env!r}):
    import sys
    sys.path.insert(0, {root!r})
    from benchmarks.pg_round_trips import install
    install(os.environ[{env!r}])
"""


def counted(command: list[str]) -> list[dict[str, Any]]:
    """Run ``command`` (a Python process) counted; one record per process."""
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as site:
        root = str(Path(__file__).resolve().parent.parent)
        (Path(site) / "sitecustomize.py").write_text(_SITECUSTOMIZE.format(env=OUT_ENV, root=root))
        path = os.pathsep.join(filter(None, [site, os.environ.get("PYTHONPATH")]))
        env = dict(os.environ, PYTHONPATH=path, **{OUT_ENV: out})
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        return [json.loads(p.read_text()) for p in sorted(Path(out).glob("*.json"))]


def run(url: str, scale: float, seed: int) -> list[dict[str, Any]]:
    """``renda demo`` in a new schema of ``url``, counted; one record per process."""
    import psycopg

    schema = f"rt_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    try:
        command = [sys.executable, "-m", "renda_core.cli", "demo", "--quiet", "--json"]
        command += ["--scale", str(scale), "--seed", str(seed)]
        return counted([*command, "--store", f"{url}{sep}schema={schema}"])
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def report(processes: list[dict[str, Any]]) -> dict[str, Any]:
    """The round trips of each process, by statement and by origin, and per unit of
    work (a command for the demo's process, a view batch for the follower)."""
    out: dict[str, Any] = {}
    for record in processes:
        counts = record["counts"]
        if not record["trips"]:
            continue  # multiprocessing's own helper
        follower = not counts.get("demo commands (Batches.ran)")  # or a rebuild
        role = "follower" if follower else "demo"
        unit = (
            counts.get(
                "view batches (View.apply)" if follower else "demo commands (Batches.ran)", 0
            )
            or 1
        )
        total = sum(n for _, _, n in record["trips"])
        by_label: collections.Counter[str] = collections.Counter()
        for label, _, n in record["trips"]:
            by_label[label] += n
        rows = sorted(record["trips"], key=lambda t: -t[2])
        role = f"{role} ({len(out) + 1})" if role in out else role
        out[role] = {
            "counts": counts,
            "round trips": total,
            "per unit": round(total / unit, 3),
            "unit": "view batch" if follower else "command",
            "by statement": dict(by_label.most_common()),
            "by origin": [[label, where, n, round(n / unit, 3)] for label, where, n in rows],
            "queued in pipelines": record["queued"],
            "seconds waited, by statement": {
                label: round(s, 3)
                for label, s in sorted(record.get("waited", {}).items(), key=lambda i: -i[1])
            },
        }
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--json", type=Path, help="write the counts here too")
    parser.add_argument(
        "--rebuild",
        metavar="STORE",
        help="instead of a demo: count `renda projections rebuild` of this store (a view's "
        "batches, every one the same whatever the machine's load)",
    )
    args = parser.parse_args(argv)
    url = os.environ.get("RENDA_BENCH_POSTGRES_URL")
    if args.rebuild:
        command = [sys.executable, "-m", "renda_core.cli", "--store", args.rebuild]
        result = report(counted([*command, "projections", "rebuild"]))
    elif not url:
        parser.error("set RENDA_BENCH_POSTGRES_URL to a PostgreSQL database")
    else:
        result = report(run(url, args.scale, args.seed))
    for role, data in result.items():
        print(
            f"\n## {role}: {data['round trips']} round trips, {data['per unit']} a {data['unit']}"
        )
        print("   ", data["counts"])
        for label, where, n, per in data["by origin"]:
            print(f"  {n:>8} {per:>9.3f}  {label:<34} {where}")
        print("   queued in pipelines:", data["queued in pipelines"])
        waited = data["seconds waited, by statement"]
        print(f"   seconds waited for the server: {sum(waited.values()):.2f}")
        for label, seconds in list(waited.items())[:12]:
            print(f"  {seconds:>8.3f} s  {label}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
