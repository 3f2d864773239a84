"""How the annual report reads a section's view: only the figures it names, rolled up.

A :class:`ReportContext` reads every row of the figures it is asked for; the annual
report asks a few figures of each view, and reads fewer rows: for the whole province those
counted province-wide (``<figure>@all``) and the rest rolled up by prefecture, for an
area of at most four digits the prefectures' rows (see :mod:`renda_adapters.rollup`),
so it reads a bounded number of rows whatever the size of the province. The sums are
the same; a longer area reads the figures themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from renda_adapters.rollup import covers, province_name, rolled_name
from renda_core.application.base import store_errors
from renda_core.projections.reports import ReportContext
from renda_core.projections.views import Figure


@dataclass
class SectionContext(ReportContext):
    """A report context that reads the named figures only (rolled up where it can).

    A rolled-up row keeps its stored name (``<figure>@pref``, ``<figure>@all``) in
    ``figure``; the reports read its key, area, level, year and value."""

    rolled: frozenset[str] = frozenset()
    province: frozenset[str] = frozenset()
    _rows: dict[str, list[Figure]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls, ctx: ReportContext, rolled: Iterable[str], province: Iterable[str] = ()
    ) -> SectionContext:
        return cls(
            view=ctx.view,
            position=ctx.position,
            as_of_date=ctx.as_of_date,
            area=ctx.area,
            level=ctx.level,
            as_of=ctx.as_of,
            replay=ctx.replay,
            rolled=frozenset(rolled),
            province=frozenset(province),
        )

    def prefetch(self, names: Iterable[str]) -> None:
        """Read these figures now, in one query."""
        self._load([n for n in names if n not in self._rows])

    def figures(self, names: Sequence[str] | None = None) -> list[Figure]:
        if names is None:
            return super().figures(None)
        self._load([n for n in names if n not in self._rows])
        return [r for name in names for r in self._rows[name]]

    def _load(self, names: list[str]) -> None:
        if not names:
            return
        rolled = covers(self.area)
        wide = rolled and not self.area

        def stored_name(name: str) -> str:
            if wide and name in self.province:
                return province_name(name)
            return rolled_name(name) if rolled and name in self.rolled else name

        stored = {stored_name(n): n for n in names}
        with store_errors("cannot read the view"):
            # Only sums are made of the rows read by name, and a figure at 0 adds
            # nothing to one: those rows are left out (at demo scale 5, 113 of the 497
            # rows a report read were open reply deadlines at 0, replied since).
            rows = self.view.figures(list(stored), self.position, nonzero=True)
        for name in names:
            self._rows[name] = []
        for row in rows:  # a rolled-up row keeps its stored name: reports read the rest
            if self._matches(row):
                self._rows[stored[row.figure]].append(row)
