"""The streaming exports on a large log: peak RSS of the exporting process and its
time, as a ratio against a bare ``select_notifications`` pass over the same log.

    python -m benchmarks.export --backend sqlite --events 100000
    RENDA_BENCH_POSTGRES_URL=… python -m benchmarks.export --backend postgres

Each export runs as ``python -m renda_core.cli …`` in a subprocess of its own; its peak
RSS is its ``VmHWM`` in ``/proc/<pid>/status``, read every 20 ms while it runs (not
``ru_maxrss``: Linux carries the forking parent's high-water mark across ``exec``, so a
child of this process, which holds the filled log's objects, would report the parent's
size). Results go to
``benchmarks/results/export-<backend>.json``. Not a test: nothing here asserts a time;
the goal is under 100 MB for 10⁵ events, whatever the log's length.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.run import Stores, fill
from renda_core import Renda

RESULTS = Path(__file__).parent / "results"
PAGE = 500

EXPORTS = {
    "events export (cloudevents)": ["events", "export", "--format", "cloudevents"],
    "events export (jsonl)": ["events", "export", "--format", "jsonl"],
    "audit export (jsonl)": ["--role", "auditor", "audit", "export", "--format", "jsonl"],
    "audit export (csv)": ["--role", "auditor", "audit", "export", "--format", "csv"],
    "audit export (xlsx)": ["--role", "auditor", "audit", "export", "--format", "xlsx"],
}


def bare_pass(store: str) -> float:
    """Seconds for one pass of select_notifications over the whole log (no decoding)."""
    with Renda(store) as app:
        start, seen = 0, 0
        began = time.perf_counter()
        while True:
            page = app.recorder.select_notifications(
                start=start, limit=PAGE, inclusive_of_start=False
            )
            seen += len(page)
            if len(page) < PAGE:
                break
            start = page[-1].id
        return time.perf_counter() - began


def _high_water_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def run_export(store: str, args: list[str], output: Path) -> dict[str, Any]:
    """Run one export in a subprocess: seconds, peak RSS (MB), output size (MB)."""
    argv = [sys.executable, "-m", "renda_core.cli", "--store", store, *args]
    argv += ["--output", str(output)]
    began = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _high_water_kb(proc.pid) or 0)
        time.sleep(0.02)
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 1024, 1),
        "output_mb": round(output.stat().st_size / 2**20, 1),
    }


def run(backend: str, n_events: int) -> dict[str, Any]:
    stores = Stores(backend)
    folder = Path(tempfile.mkdtemp(prefix="renda-export-bench-"))
    try:
        store = stores.new("export")
        began = time.perf_counter()
        fill(store, n_events)
        filled = time.perf_counter() - began
        with Renda(store) as app:
            events = app.recorder.max_notification_id() or 0
        bare = min(bare_pass(store) for _ in range(3))
        # The CLI's own start (imports, opening the store): an export of nothing.
        startup = run_export(store, ["events", "export", "--since", str(events)], folder / "none")
        result: dict[str, Any] = {
            "backend": backend,
            "events": events,
            "fill_s": round(filled, 1),
            "bare_select_notifications_s": round(bare, 3),
            "cli_startup_s": startup["seconds"],
            "cli_startup_rss_mb": startup["peak_rss_mb"],
            "exports": {},
        }
        for name, args in EXPORTS.items():
            out = folder / name.replace(" ", "_").replace("(", "").replace(")", "")
            figures = run_export(store, args, out)
            figures["ratio_to_bare"] = round(figures["seconds"] / bare, 1)
            net = max(figures["seconds"] - startup["seconds"], 1e-3)
            figures["ratio_to_bare_without_startup"] = round(net / bare, 1)
            figures["events_per_s"] = round(events / figures["seconds"])
            result["exports"][name] = figures
            out.unlink(missing_ok=True)
            Path(f"{out}.manifest.json").unlink(missing_ok=True)
        return result
    finally:
        stores.close()
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument(
        "--only", help="Run only the exports whose name contains this (e.g. 'audit')."
    )
    args = parser.parse_args()
    if args.only:
        for name in [n for n in EXPORTS if args.only not in n]:
            del EXPORTS[name]
    result = run(args.backend, args.events)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"export-{args.backend}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
