"""Reading reports from views: current, or as the log stood at a past moment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from renda_core.application.app import store_errors
from renda_core.domain.errors import ProjectionFailed
from renda_core.ports.contracts import Report
from renda_core.projections.runner import ProjectionRunner, end_of_day
from renda_core.projections.views import Figure, View


@dataclass
class ReportContext:
    """What a report's ``build`` reads: one view, at one position of the log."""

    view: View
    position: int | None = None
    as_of_date: date | None = None
    area: str | None = None
    level: str | None = None

    _by_name: dict[str, list[Figure]] | None = field(default=None, repr=False)

    def figures(self, names: Sequence[str] | None = None) -> list[Figure]:
        """The view's counters (those named), filtered by area and level.

        The first call reads every counter of the view at once (one query, whatever the
        report asks next); the rest is done in memory.
        """
        if self._by_name is None:
            with store_errors("cannot read the view"):
                rows = self.view.figures(None, self.position)
            self._by_name = defaultdict(list)
            for row in rows:
                if self._matches(row):
                    self._by_name[row.figure].append(row)
        if names is None:
            return [r for rows in self._by_name.values() for r in rows]
        return [r for name in names for r in self._by_name.get(name, ())]

    def _matches(self, row: Figure) -> bool:
        if self.area and row.area and not row.area.startswith(self.area):
            return False
        return not (self.level and row.level and row.level != self.level)

    def total(self, figure: str, *, year: int | None = None) -> int:
        return sum(r.value for r in self.figures([figure]) if year is None or r.year == year)

    def by(self, figure: str, dim: str, *, year: int | None = None) -> dict[str, int]:
        """Sum of ``figure`` grouped by ``dim`` (key, area, level or year)."""
        sums: dict[str, int] = defaultdict(int)
        for row in self.figures([figure]):
            if year is None or row.year == year:
                sums[str(getattr(row, dim))] += row.value
        return dict(sums)

    def entities(self, kind: str) -> list[tuple[str, dict[str, Any]]]:
        with store_errors("cannot read the view"):
            return self.view.entities(kind)


def run_report(
    runner: ProjectionRunner,
    report: Report,
    *,
    as_of_date: date | None = None,
    area: str | None = None,
    level: str | None = None,
    catch_up: bool = True,
    **options: Any,
) -> dict[str, Any]:
    """Catch the report's projection up, then build the report."""
    ctx = fresh_context(
        runner,
        report.projection,
        as_of_date=as_of_date,
        area=area,
        level=level,
        catch_up=catch_up,
    )
    return report.build(ctx, **options)


def fresh_context(
    runner: ProjectionRunner,
    projection: str,
    *,
    as_of_date: date | None = None,
    area: str | None = None,
    level: str | None = None,
    catch_up: bool = True,
) -> ReportContext:
    """A context on ``projection``'s view, caught up first (a failure is an error).

    A view ahead of the log, or built from another log, is refused (``ViewsAhead``).
    """
    if catch_up:
        (result,) = runner.catch_up([projection])
        if result.error:
            raise ProjectionFailed(
                f"the '{projection}' adapter failed {result.error}; "
                "the report would be stale (see `renda projections status`)"
            )
    else:
        runner.check([projection])  # a view ahead of the log is refused either way
    view = runner.view(projection)
    position = None
    if as_of_date is not None:
        with store_errors("cannot read the view"):
            position = view.position_at(end_of_day(as_of_date))
    return ReportContext(view, position, as_of_date, area, level)
