"""Figures that follow business dates across years, kept cheap to read.

Many report figures are states at the end of a year ("divisions with an open station
at year end") or during a year ("deputies on a roster at any time in 2023"). An entity
(a division, a station, a deputy) is in such a state over runs of years, computed from
its business-date intervals. The view stores each run as *steps*: +1 in the run's
first year and -1 in the year after its last, in a counter whose history the view
keeps. A report for year Y sums the steps of years up to Y (:func:`cumulative`), so it
reads a handful of rows, needs no log scan, and works ``--as-of``.

Each entity document remembers what it contributed (:func:`sync`), so a late event
with an earlier business date, or a correction, replaces the contribution exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from renda_core.projections.reports import ReportContext
from renda_core.projections.unit import ViewUnit
from renda_core.projections.views import FigureKey

Interval = tuple[date, date | None]
Run = tuple[int, int | None]


def year_runs(intervals: Iterable[Interval], *, at_year_end: bool) -> list[Run]:
    """Maximal runs of years the entity is in the state.

    ``at_year_end``: in the state on 31 December (an interval ending that year does
    not count for it); otherwise: in the state on any day of the year.
    """
    ranges: list[tuple[int, int | None]] = []
    for start, end in intervals:
        last: int | None
        if end is None:
            last = None
        else:
            if end < start:
                continue
            last = end.year - 1 if at_year_end else end.year
            if last < start.year:
                continue
        ranges.append((start.year, last))
    ranges.sort(key=lambda r: r[0])
    runs: list[Run] = []
    for first, last in ranges:
        if runs:
            prev_first, prev_last = runs[-1]
            if prev_last is None or first <= prev_last + 1:
                merged = None if prev_last is None or last is None else max(prev_last, last)
                runs[-1] = (prev_first, merged)
                continue
        runs.append((first, last))
    return runs


def steps(
    figure: str, runs: Iterable[Run], *, key: str = "", area: str = "", level: str = ""
) -> dict[FigureKey, int]:
    """The +1/-1 steps of ``runs`` as contributions to ``figure``."""
    out: dict[FigureKey, int] = {}
    for first, last in runs:
        ident: FigureKey = (figure, key, area, level, first)
        out[ident] = out.get(ident, 0) + 1
        if last is not None:
            ident = (figure, key, area, level, last + 1)
            out[ident] = out.get(ident, 0) - 1
    return {k: v for k, v in out.items() if v}


def sync(view: ViewUnit, doc: dict[str, Any], new: Mapping[FigureKey, int]) -> None:
    """Replace what ``doc`` contributed to the figures by ``new`` (only the difference
    is written); the contribution is kept in ``doc['_steps']``."""
    rows = [[*ident, value] for ident, value in sorted(new.items()) if value]
    stored = doc.get("_steps")
    if rows == stored:  # the usual case: the event did not change the contribution
        return
    stored = stored or []
    old: dict[FigureKey, int] = {(f, k, a, lv, int(y)): int(v) for f, k, a, lv, y, v in stored}
    for ident in sorted(old.keys() | new.keys()):
        delta = new.get(ident, 0) - old.get(ident, 0)
        if delta:
            figure, key, area, level, year = ident
            view.add(figure, delta, key=key, area=area, level=level, year=year)
    doc["_steps"] = rows


def cumulative(ctx: ReportContext, figure: str, year: int, dim: str | None = None) -> Any:
    """The state in ``year``: the sum of steps of years up to it (by ``dim`` if given)."""
    if dim is None:
        return sum(r.value for r in ctx.figures([figure]) if r.year <= year)
    sums: dict[str, int] = {}
    for r in ctx.figures([figure]):
        if r.year <= year:
            k = str(getattr(r, dim))
            sums[k] = sums.get(k, 0) + r.value
    return {k: v for k, v in sums.items() if v}


def in_year(ctx: ReportContext, figure: str, year: int, dim: str | None = None) -> Any:
    """Events counted in ``year`` (by ``dim`` if given)."""
    if dim is None:
        return ctx.total(figure, year=year)
    return {k: v for k, v in ctx.by(figure, dim, year=year).items() if v}


def median_from_histogram(histogram: Mapping[str, int]) -> float | None:
    """The median of values given as {value: count} (None when empty)."""
    items = sorted((int(k), n) for k, n in histogram.items() if n > 0)
    total = sum(n for _, n in items)
    if total == 0:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    seen, lower, upper = 0, None, None
    for value, n in items:
        if lower is None and seen + n > lower_rank:
            lower = value
        if seen + n > upper_rank:
            upper = value
            break
        seen += n
    assert lower is not None and upper is not None
    return (lower + upper) / 2


def iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
