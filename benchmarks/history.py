"""``renda audit history ID`` on a large log: the time of one record's history, as a
ratio against a bare indexed select of the same rows on the same store (and, once, the
full scan that ``events list --aggregate`` used to do).

    python -m benchmarks.history --backend sqlite --events 1000000
    RENDA_BENCH_POSTGRES_URL=… python -m benchmarks.history --backend postgres

Results go to ``benchmarks/results/history-<backend>.json``. Not a test: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path
from typing import Any
from uuid import UUID

from benchmarks.run import Stores, fill
from renda_core import Renda
from renda_core.application.audit.history import record_history
from renda_core.projections.log import list_events

RESULTS = Path(__file__).parent / "results"


def _best_ms(fn: Any, runs: int = 20) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _bare(store: str, backend: str, record: UUID) -> Any:
    """A bare indexed select of the record's rows, on a connection of its own."""
    if backend == "sqlite":
        lite = sqlite3.connect(store)
        sql = (
            "SELECT rowid, * FROM stored_events WHERE originator_id = ? ORDER BY originator_version"
        )
        return lambda: lite.execute(sql, (record.hex,)).fetchall()
    import psycopg

    base, _, query = store.partition("?")
    schema = query.removeprefix("schema=")
    conn = psycopg.connect(base)
    sql = (
        f"SELECT * FROM {schema}.renda_events WHERE originator_id = %s ORDER BY originator_version"
    )
    return lambda: conn.execute(sql, (record,)).fetchall()


def run(backend: str, n_events: int, scan: bool) -> dict[str, Any]:
    stores = Stores(backend)
    try:
        store = stores.new("history")
        started = time.perf_counter()
        fill(store, n_events)
        filled = time.perf_counter() - started
        with Renda(store) as app:
            last = app.recorder.max_notification_id() or 0
            (middle,) = app.recorder.select_notifications(start=last // 2, limit=1)
            record = UUID(str(middle.originator_id))
            rows = len(record_history(app, record))
            ours = _best_ms(lambda: record_history(app, record))
            bare = _best_ms(_bare(store, backend, record))
            result: dict[str, Any] = {
                "backend": backend,
                "events": last,
                "fill_s": round(filled, 1),
                "record_events": rows,
                "history_ms": round(ours, 3),
                "bare_select_ms": round(bare, 3),
                "ratio": round(ours / bare, 2),
            }
            if scan:
                start = time.perf_counter()
                list_events(app, record)
                result["scan_ms"] = round((time.perf_counter() - start) * 1000, 1)
        return result
    finally:
        stores.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--no-scan", action="store_true", help="Skip the full-scan figure.")
    args = parser.parse_args()
    result = run(args.backend, args.events, not args.no_scan)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"history-{args.backend}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
