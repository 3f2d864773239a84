"""Reading reports from views: current, or as the log stood at a past moment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from renda_core.domain.errors import ProjectionFailed
from renda_core.projections.asof import AsOf, LogReplay, as_of_from, business_today

if TYPE_CHECKING:  # a report read from current views imports neither (issue 15, target 4)
    from renda_core.ports.contracts import Report
    from renda_core.projections.runner import ProjectionRunner
    from renda_core.projections.views import Figure, View


def reading(view: Any, what: str) -> AbstractContextManager[None]:
    """The errors of reading ``view`` as the domain's: the view's own ``read_errors``
    (a view read with the standard library only: :mod:`renda_core.projections.reader`),
    else :func:`~renda_core.application.base.store_errors`."""
    errors = getattr(view, "read_errors", None)
    if errors is not None:
        return errors(what)  # type: ignore[no-any-return]
    from renda_core.application.base import store_errors

    return store_errors(what)


@dataclass
class ReportContext:
    """What a report's ``build`` reads: one view, at one position of the log.

    With ``as_of`` (a recorded moment), counters are read at ``position`` (the view's
    last change recorded by then) and documents come from ``replay`` (the log replayed
    up to the moment); ``today`` is then the moment's business date.
    """

    view: View
    position: int | None = None
    as_of_date: date | None = None
    area: str | None = None
    level: str | None = None
    as_of: AsOf | None = None
    replay: LogReplay | None = field(default=None, repr=False)

    _by_name: dict[str, list[Figure]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.area is not None:  # 220100 is 长春市: the prefix 2201
            from renda_core.domain.values import area_prefix

            self.area = area_prefix(self.area) or None

    _whole: bool = field(default=False, repr=False)

    @property
    def today(self) -> date:
        """The business date the report judges by: the as-of day, else today (Beijing)."""
        if self.as_of is not None:
            return self.as_of.day
        return self.as_of_date or business_today()

    @property
    def as_of_label(self) -> str | None:
        """The as-of moment as reports print it (``None`` when reading the present)."""
        if self.as_of is not None:
            return self.as_of.label
        return self.as_of_date.isoformat() if self.as_of_date else None

    def figures(self, names: Sequence[str] | None = None) -> list[Figure]:
        """The view's counters (those named, else all), filtered by area and level.

        Each name is read once, in one query for the names not read yet: a report's
        memory follows the figures it asks for, not the size of the view (issue 15).
        ``None`` reads every counter.
        """
        if names is None:
            if not self._whole:
                self._read(None)
            return [r for rows in self._by_name.values() for r in rows]
        if not self._whole:
            missing = [n for n in dict.fromkeys(names) if n not in self._by_name]
            if missing:
                self._read(missing)
        return [r for name in names for r in self._by_name.get(name, ())]

    def _read(self, names: list[str] | None) -> None:
        """Read ``names`` (``None``: every counter, replacing what was read by name)."""
        with reading(self.view, "cannot read the view"):
            rows = self.view.figures(names, self.position)
        if names is None:
            self._by_name, self._whole = {}, True
        for name in names or ():
            self._by_name[name] = []
        for row in rows:
            if self._matches(row):
                self._by_name.setdefault(row.figure, []).append(row)

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
        """The view's documents of ``kind`` by key, as of the moment if one was asked.

        A context made on a bare ``position`` (no ``replay``) reads the current documents.
        """
        if self.replay is not None:
            docs = self.replay.documents(self.view.view_name, kind)
            return sorted(docs.items())
        with reading(self.view, "cannot read the view"):
            return self.view.entities(kind)

    def entity(self, kind: str, key: str) -> dict[str, Any] | None:
        """One document, as of the moment if one was asked."""
        if self.replay is not None:
            return self.replay.documents(self.view.view_name, kind).get(key)
        with reading(self.view, "cannot read the view"):
            return self.view.get_entity(kind, key)


def run_report(
    runner: ProjectionRunner,
    report: Report,
    *,
    as_of: AsOf | datetime | date | None = None,
    as_of_date: date | None = None,
    area: str | None = None,
    level: str | None = None,
    catch_up: bool = True,
    **options: Any,
) -> dict[str, Any]:
    """Catch the report's projection up, then build the report (as of a moment if
    ``as_of`` is given; ``as_of_date`` is the same as ``as_of`` of that date)."""
    ctx = fresh_context(
        runner,
        report.projection,
        as_of=as_of if as_of is not None else as_of_date,
        area=area,
        level=level,
        catch_up=catch_up,
    )
    return report.build(ctx, **options)


def fresh_context(
    runner: ProjectionRunner,
    projection: str,
    *,
    as_of: AsOf | datetime | date | None = None,
    as_of_date: date | None = None,
    area: str | None = None,
    level: str | None = None,
    catch_up: bool = True,
    check: bool = True,
    replay: LogReplay | None = None,
) -> ReportContext:
    """A context on ``projection``'s view, caught up first (a failure is an error).

    ``as_of``: a recorded moment (a date means the end of that day, Beijing time).
    ``replay`` lets several contexts share one pass over the log for their documents.
    A view ahead of the log, or built from another log, is refused (``ViewsAhead``);
    ``catch_up=False, check=False`` is for a caller that has just caught the view up
    (which checked it): the view's position is then not read again.
    """
    if catch_up:
        (result,) = runner.catch_up([projection])
        if result.error:
            raise ProjectionFailed(
                f"the '{projection}' adapter failed {result.error}; "
                "the report would be stale (see `renda projections status`)"
            )
    elif check:
        runner.check([projection])  # a view ahead of the log is refused either way
    view = runner.view(projection)
    moment = as_of_from(as_of if as_of is not None else as_of_date)
    if moment is None:
        return ReportContext(view, None, None, area, level)
    from renda_core.application.base import store_errors

    with store_errors("cannot read the view"):
        position = view.position_at(moment.moment)
    if replay is None or replay.as_of != moment:
        replay = LogReplay(runner, moment)
    replay.want(projection, position)
    return ReportContext(view, position, moment.day, area, level, moment, replay)
