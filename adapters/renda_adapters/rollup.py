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
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from renda_core.projections.unit import ViewUnit

SUFFIX = "@pref"
PREFECTURE_DIGITS = 4
T = TypeVar("T")


def prefecture(area: str) -> str:
    """The prefecture part of an area code (a shorter code is kept whole)."""
    return area[:PREFECTURE_DIGITS]


def rolled_name(figure: str) -> str:
    return figure + SUFFIX


def covers(area: str | None) -> bool:
    """Whether the rolled-up rows answer a report filtered by ``area``."""
    return area is None or len(area) <= PREFECTURE_DIGITS


class RolledUnit:
    """A :class:`ViewUnit` whose ``add`` also adds to the rolled-up counter."""

    __slots__ = ("_rolled", "_unit", "delete", "get", "peek", "put")

    def __init__(self, unit: ViewUnit, rolled: Collection[str]) -> None:
        self._unit = unit
        self._rolled = rolled
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
            area = area[:PREFECTURE_DIGITS]
            unit.add(figure + SUFFIX, delta, key=key, area=area, level=level, year=year)


def rolled_up(*figures: str) -> Callable[[type[T]], type[T]]:
    """Class decorator for a projection: the named figures are also counted by
    prefecture (``<figure>@pref``); the set is kept as ``rolled`` on the class."""
    rolled = frozenset(figures)

    def decorate(cls: type[T]) -> type[T]:
        original = cls.__dict__["process_event"]

        def process_event(self: Any, event: Any, view: ViewUnit) -> None:
            original.__get__(self, type(self))(event, RolledUnit(view, rolled))

        process_event.__doc__ = original.__doc__
        cls.process_event = process_event  # type: ignore[attr-defined]
        cls.rolled = rolled  # type: ignore[attr-defined]
        return cls

    return decorate
