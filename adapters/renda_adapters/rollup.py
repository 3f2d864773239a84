"""Figures rolled up to prefectures, so a province-wide report reads a few rows.

A view counts most figures by the area of what it counts (a township's code, a
deputy's area): at the province's size that is tens of thousands of rows, and a
report for the whole province (or a prefecture) would read them all to add them up.
A projection decorated with :func:`rolled_up` adds, for each figure it names, a
second counter ``<figure>@pref`` with the same key, level and year and the area cut to
its prefecture (the code's first four digits, 220102 → 2201). Its rows are bounded by
prefectures × levels × keys × years, whatever the number of deputies, stations or
suggestions; its history is kept like any counter's, so it reads ``--as-of`` too.

A report filtered by an area of at most four digits gets the same sums from the
rolled-up rows (a code starts with such a prefix exactly when its first four digits
do); a longer area reads the figures themselves.

Figures a report reads for the whole province and never groups by area can also be
counted province-wide (``province=``): ``<figure>@all``, area ``""``, the same level
and year, and the key kept or mapped (``province={"assigned": drop_key}`` counts every
handling unit's suggestions in one row). Its rows are bounded by levels × keys ×
years, whatever the number of prefectures; a report for the whole province reads them
instead of the prefectures' rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from renda_core.projections.dispatch import dispatcher

if TYPE_CHECKING:  # a report read from current views imports no view class
    from renda_core.projections.unit import ViewUnit

SUFFIX = "@pref"
PROVINCE_SUFFIX = "@all"
PREFECTURE_DIGITS = 4
T = TypeVar("T")
#: how a province-wide counter keys a row (None: the figure's own key)
KeyMap = Callable[[str], str] | None


def drop_key(key: str) -> str:
    """A province-wide counter of one row per level and year, whatever the key."""
    return ""


def prefecture(area: str) -> str:
    """The prefecture part of an area code (a shorter code is kept whole)."""
    return area[:PREFECTURE_DIGITS]


def rolled_name(figure: str) -> str:
    return figure + SUFFIX


def province_name(figure: str) -> str:
    return figure + PROVINCE_SUFFIX


def covers(area: str | None) -> bool:
    """Whether the rolled-up rows answer a report filtered by ``area``."""
    return area is None or len(area) <= PREFECTURE_DIGITS


def roll_targets(
    rolled: Collection[str], province: Mapping[str, KeyMap]
) -> Callable[[tuple[str, str, str, str, int]], list[tuple[str, str, str, str, int]]]:
    """The counters a counter is rolled up into (none for a figure not rolled up): what
    :class:`RolledUnit` adds to at each ``add``, for a unit that rolls up per batch
    (``ViewUnit.roll_up``)."""

    def targets(
        ident: tuple[str, str, str, str, int],
    ) -> list[tuple[str, str, str, str, int]]:
        figure, key, area, level, year = ident
        if figure not in rolled:
            return []
        out = [(figure + SUFFIX, key, area[:PREFECTURE_DIGITS], level, year)]
        if figure in province:
            keyed = province[figure]
            wide = key if keyed is None else keyed(key)
            out.append((figure + PROVINCE_SUFFIX, wide, "", level, year))
        return out

    return targets


class RolledUnit:
    """A :class:`ViewUnit` whose ``add`` also adds to the rolled-up counters (for a unit
    that cannot roll up per batch itself: one without ``roll_up``)."""

    __slots__ = ("_province", "_rolled", "_unit", "delete", "get", "peek", "put")

    def __init__(
        self,
        unit: ViewUnit,
        rolled: Collection[str],
        province: Mapping[str, KeyMap] | None = None,
    ) -> None:
        self._unit = unit
        self._rolled = rolled
        self._province = province or {}
        self.get = unit.get
        self.peek = unit.peek
        self.put = unit.put
        self.delete = unit.delete

    def __getattr__(self, name: str) -> Any:
        return getattr(self._unit, name)

    def add(
        self,
        figure: str,
        delta: int = 1,
        *,
        key: str = "",
        area: str = "",
        level: str = "",
        year: int = 0,
    ) -> None:
        unit = self._unit
        unit.add(figure, delta, key=key, area=area, level=level, year=year)
        if figure in self._rolled:
            pref = area[:PREFECTURE_DIGITS]
            unit.add(figure + SUFFIX, delta, key=key, area=pref, level=level, year=year)
        if figure in self._province:
            keyed = self._province[figure]
            wide = key if keyed is None else keyed(key)
            unit.add(figure + PROVINCE_SUFFIX, delta, key=wide, area="", level=level, year=year)


def rolled_up(
    *figures: str, province: bool | Iterable[str] | Mapping[str, KeyMap] = ()
) -> Callable[[type[T]], type[T]]:
    """Class decorator for a projection: the named figures are also counted by
    prefecture (``<figure>@pref``), and those in ``province`` (``True``: all of them)
    province-wide (``<figure>@all``, the key mapped where ``province`` maps one); the
    sets are kept as ``rolled`` and ``province`` on the class."""
    rolled = frozenset(figures)
    wide: dict[str, KeyMap]
    if isinstance(province, bool):
        wide = dict.fromkeys(figures if province else ())
    elif isinstance(province, Mapping):
        wide = dict(province)
    else:
        wide = dict.fromkeys(province)
    outside = sorted(set(wide) - rolled)
    if outside:
        raise ValueError(f"province-wide figures must be rolled up too: {', '.join(outside)}")

    targets = roll_targets(rolled, wide)

    def decorate(cls: type[T]) -> type[T]:
        original = cls.__dict__["process_event"]
        fast = dispatcher(cls)  # the implementation looked up once per event class

        def process_event(self: Any, event: Any, view: ViewUnit) -> None:
            # A ViewUnit rolls the figures up once per batch, from their changes (the
            # same rows as adding to the rolled-up counters at every event, which was
            # three adds per figure and 12 % of a rebuild); another unit, per event.
            roll_up = getattr(view, "roll_up", None)
            if roll_up is None:
                unit: Any = RolledUnit(view, rolled, wide)
            else:
                roll_up(targets)
                unit = view
            if fast is not None:
                fast(self, event, unit)
                return
            # The dispatcher is bound once per projection: binding a dispatch
            # descriptor builds a wrapper, which was 6 % of a rebuild done per event.
            bound = self.__dict__.get("_rolled_dispatch")
            if bound is None:
                bound = self.__dict__["_rolled_dispatch"] = original.__get__(self, type(self))
            bound(event, unit)

        def __getstate__(self: Any) -> dict[str, Any]:
            # Pickled (a rebuild's child process) without the bound dispatcher.
            return {k: v for k, v in self.__dict__.items() if k != "_rolled_dispatch"}

        process_event.__doc__ = original.__doc__
        cls.process_event = process_event  # type: ignore[attr-defined]
        if "__getstate__" not in cls.__dict__:
            cls.__getstate__ = __getstate__  # type: ignore[method-assign]
        cls.rolled = rolled  # type: ignore[attr-defined]
        cls.province = frozenset(wide)  # type: ignore[attr-defined]
        return cls

    return decorate
