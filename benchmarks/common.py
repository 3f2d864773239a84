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
