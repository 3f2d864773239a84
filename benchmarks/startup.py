"""How fast ``renda`` starts: ``renda --help`` and ``renda report deputies --help``.

    python -m benchmarks.startup            # 7 runs each, median
    python -m benchmarks.startup --runs 15 --top 20

Two measures, each a ratio against ``python -c pass`` measured in the same run (these
machines are noisy): the wall time of the command, and the import time Python reports
with ``-X importtime`` for ``import renda_core.cli`` (the sum over top-level imports),
with the modules that cost most. The target of issue 13 is under 0.3 s of import time
for ``--help``. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "renda --help": [sys.executable, "-m", "renda_core.cli", "--help"],
    "renda report deputies --help": [
        sys.executable,
        "-m",
        "renda_core.cli",
        "report",
        "deputies",
        "--help",
    ],
}
BASELINE = [sys.executable, "-c", "pass"]


def wall(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_times(module: str) -> tuple[float, list[tuple[float, str]]]:
    """Seconds of import time (top-level imports summed) and the costliest modules
    (cumulative), from ``python -X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        check=True,
        capture_output=True,
        text=True,
    )
    total = 0.0
    modules: list[tuple[float, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        try:
            _, cumulative, raw_name = line[12:].split("|")
            micros = int(cumulative)
        except ValueError:
            continue
        name = raw_name.strip()
        depth = (len(raw_name) - len(raw_name.lstrip(" ")) - 1) // 2
        if depth == 0:  # a top-level import: its cumulative time counts once
            total += micros / 1e6
        modules.append((micros / 1e6, name))
    modules.sort(reverse=True)
    return total, modules


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    base = wall(BASELINE, args.runs)
    print(f"python -c pass: {base:.3f} s (median of {args.runs})")
    for name, command in COMMANDS.items():
        seconds = wall(command, args.runs)
        print(f"{name}: {seconds:.3f} s wall, {seconds / base:.1f}× python -c pass")
    total, modules = import_times("renda_core.cli")
    base_total, _ = import_times("sys")
    print(f"import renda_core.cli: {total:.3f} s import time (target < 0.3 s)")
    print(f"import sys (baseline): {base_total:.3f} s")
    print("costliest imports (cumulative):")
    for seconds, module in modules[: args.top]:
        print(f"  {seconds:7.3f} s  {module}")


if __name__ == "__main__":
    main()
