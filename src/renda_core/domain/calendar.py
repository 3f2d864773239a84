"""The Chinese statutory working-day calendar (法定节假日与调休).

Working days are Monday to Friday, except statutory holidays, plus the make-up working
days (调休上班) on weekends that the State Council announces each autumn for the next
year. The packaged data (``chinese_calendar``) covers the years it ships; staff add a
later year's arrangement as events (:class:`CalendarYear`, ``renda calendar add FILE``)
and a province plugin may supply years too. A date outside every known year is an
explicit :class:`CalendarYearUnknown`, never a guess.

:class:`WorkCalendar` is a pure value: it is built per command from the years the
application loads, so the same inputs always give the same dates.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

import chinese_calendar
from eventsourcing.domain import Aggregate, event

from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.values import Actor

PACKAGED_SOURCE = f"chinese-calendar {chinese_calendar.__version__}"


class CalendarYearUnknown(RuleViolated):
    """A working-day period needs a year whose holiday arrangement is not known."""

    def __init__(self, year: int, known: Iterable[int] = ()) -> None:
        years = sorted(set(known))
        if years:
            message = (
                f"the working-day calendar has no holiday arrangement for {year} (known: "
                f"{_spans(years)}); add the State Council's {year} arrangement with "
                "`renda calendar add FILE` or install a plugin that supplies it"
            )
        else:
            message = (
                f"the working-day calendar has no holiday arrangement for {year}; add the "
                f"State Council's {year} arrangement with `renda calendar add FILE` or "
                "install a plugin that supplies it"
            )
        super().__init__(message)
        self.year = year
        self.known = years


@dataclass(frozen=True)
class YearArrangement:
    """One year's official arrangement: statutory holidays and make-up working days."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]  # weekend days that are working days (调休上班)
    source: str = ""
    names: Mapping[str, str] = field(default_factory=dict, compare=False)  # ISO date → name

    def __post_init__(self) -> None:
        check_arrangement(self.year, self.holidays, self.workdays)

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def to_dict(self) -> dict[str, Any]:
        names = dict(self.names or {})
        return {
            "year": self.year,
            "source": self.source,
            "holidays": [
                {"date": d.isoformat(), "name": names.get(d.isoformat())}
                for d in sorted(self.holidays)
            ],
            "workdays": [d.isoformat() for d in sorted(self.workdays)],
        }


def check_arrangement(year: int, holidays: Iterable[date], workdays: Iterable[date]) -> None:
    """Every date lies in ``year``; make-up working days fall on weekends; no overlap."""
    holidays, workdays = set(holidays), set(workdays)
    if not 1949 <= year <= 2200:
        raise InvalidInput(
            f"year {year} is not a plausible calendar year",
            [{"field": "year", "message": "expected a year like 2027"}],
        )
    problems = []
    outside = sorted(d for d in holidays | workdays if d.year != year)
    if outside:
        dates = ", ".join(d.isoformat() for d in outside)
        problems.append(f"dates outside {year}: {dates}")
    weekday_makeups = sorted(d for d in workdays if d.weekday() < 5)
    if weekday_makeups:
        dates = ", ".join(d.isoformat() for d in weekday_makeups)
        problems.append(f"make-up working days must fall on a Saturday or Sunday: {dates}")
    both = sorted(holidays & workdays)
    if both:
        dates = ", ".join(d.isoformat() for d in both)
        problems.append(f"dates both holiday and working day: {dates}")
    if not holidays:
        problems.append("no holidays: a year's arrangement names its statutory holidays")
    if problems:
        problem = "; ".join(problems)
        raise InvalidInput(
            f"the {year} holiday arrangement is not valid — {problem}",
            [{"field": "arrangement", "message": p} for p in problems],
        )


_CHINESE_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}


@functools.cache
def packaged_years() -> dict[int, YearArrangement]:
    """The arrangements shipped with the ``chinese_calendar`` package (read-only)."""
    by_year: dict[int, tuple[set[date], set[date], dict[str, str]]] = {}
    for day, holiday in chinese_calendar.holidays.items():
        entry = by_year.setdefault(day.year, (set(), set(), {}))
        entry[0].add(day)
        entry[2][day.isoformat()] = _CHINESE_NAMES.get(str(holiday), str(holiday))
    for day in chinese_calendar.workdays:
        by_year.setdefault(day.year, (set(), set(), {}))[1].add(day)
    return {
        year: YearArrangement(year, frozenset(h), frozenset(w), PACKAGED_SOURCE, names)
        for year, (h, w, names) in sorted(by_year.items())
    }


YearLookup = Callable[[int], YearArrangement | None]


def _none(year: int) -> YearArrangement | None:
    return None


class WorkCalendar:
    """Working days by the Chinese statutory calendar.

    ``lookup(year)`` gives the arrangements recorded or supplied for a year (the
    application loads them); the packaged data answers for the years it ships.
    ``known_years`` only feeds the error message: the years besides the packaged ones,
    or a function giving them, asked only when a year is missing (the years recorded in
    a store are read then, not for every command).
    """

    def __init__(
        self,
        lookup: YearLookup = _none,
        *,
        packaged: bool = True,
        known_years: Iterable[int] | Callable[[], Iterable[int]] = (),
    ) -> None:
        self._lookup = lookup
        self._packaged = packaged
        self._known = known_years if callable(known_years) else frozenset(known_years)
        self._cache: dict[int, YearArrangement] = {}

    def arrangement(self, year: int) -> YearArrangement:
        if year not in self._cache:
            found = self._lookup(year)
            if found is None and self._packaged:
                found = packaged_years().get(year)
            if found is None:
                known = set(self._known() if callable(self._known) else self._known)
                if self._packaged:
                    known |= set(packaged_years())
                raise CalendarYearUnknown(year, known)
            self._cache[year] = found
        return self._cache[year]

    def is_workday(self, day: date) -> bool:
        return self.arrangement(day.year).is_workday(day)

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        if count < 1:
            raise ValueError("count must be 1 or more")
        day, found = start, 0
        while found < count:
            day += timedelta(days=1)
            if self.is_workday(day):
                found += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        day, found = start, 0
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                found += 1
        return found


def _spans(years: list[int]) -> str:
    spans: list[str] = []
    for year in years:
        if spans and spans[-1].endswith(str(year - 1)):
            first = spans[-1].split("–")[0]
            spans[-1] = f"{first}–{year}"
        else:
            spans.append(str(year))
    return ", ".join(spans)


# -- the CalendarYear aggregate --------------------------------------------------------


class CalendarYear(Aggregate):
    """A year's holiday arrangement added by staff (``renda calendar add FILE``).

    One aggregate per year, with a deterministic id, so a year is recorded once and
    every later change is a visible revision in the log.
    """

    TOPIC = "renda:CalendarYear"

    class Event(Aggregate.Event):
        TOPIC = "renda:CalendarYear.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:CalendarYear.Created"

    if TYPE_CHECKING:
        Added: ClassVar[type[Aggregate.Event]]
        Revised: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(NAMESPACE_URL, f"/renda/calendar/{year}")

    @classmethod
    def add(cls, arrangement: YearArrangement, *, on: date, actor: Actor) -> CalendarYear:
        return cls(
            year=arrangement.year,
            holidays=_iso(arrangement.holidays),
            workdays=_iso(arrangement.workdays),
            names=dict(arrangement.names or {}),
            source=arrangement.source,
            on=on,
            actor=actor,
        )

    def revise(self, arrangement: YearArrangement, *, on: date, actor: Actor) -> None:
        """Replace the arrangement (the State Council does amend one now and then)."""
        if arrangement.year != self.year:
            raise RuleViolated(f"this is the {self.year} calendar, not {arrangement.year}")
        if arrangement == self.arrangement():
            raise RuleViolated(f"the {self.year} arrangement is already recorded as given")
        self._revised(
            holidays=_iso(arrangement.holidays),
            workdays=_iso(arrangement.workdays),
            names=dict(arrangement.names or {}),
            source=arrangement.source,
            on=on,
            actor=actor,
        )

    @event("Added", topic="renda:CalendarYear.Added")
    def __init__(
        self,
        *,
        year: int,
        holidays: list[str],
        workdays: list[str],
        names: dict[str, str],
        source: str,
        on: date,
        actor: Actor,
    ) -> None:
        self.year = year
        self.holidays = list(holidays)
        self.workdays = list(workdays)
        self.names = dict(names)
        self.source = source
        self.added_on = on
        self.revisions = 0

    @event("Revised", topic="renda:CalendarYear.Revised")
    def _revised(
        self,
        *,
        holidays: list[str],
        workdays: list[str],
        names: dict[str, str],
        source: str,
        on: date,
        actor: Actor,
    ) -> None:
        self.holidays = list(holidays)
        self.workdays = list(workdays)
        self.names = dict(names)
        self.source = source
        self.revisions += 1

    def arrangement(self) -> YearArrangement:
        return YearArrangement(
            self.year,
            frozenset(date.fromisoformat(d) for d in self.holidays),
            frozenset(date.fromisoformat(d) for d in self.workdays),
            self.source,
            dict(self.names),
        )


def _iso(days: Iterable[date]) -> list[str]:
    return sorted(d.isoformat() for d in days)


class DueDateWaitlist(Aggregate):
    """The records whose due dates wait for a calendar year (one per year).

    A command that cannot compute a due date because the year is missing records its
    fact with the due date pending and notes the record here, in the same write; when
    the year is added, the application computes those due dates and clears the list
    in the write that records the year.
    """

    TOPIC = "renda:DueDateWaitlist"

    class Event(Aggregate.Event):
        TOPIC = "renda:DueDateWaitlist.Event"

    class Created(Event, Aggregate.Created):
        TOPIC = "renda:DueDateWaitlist.Created"

    if TYPE_CHECKING:
        Opened: ClassVar[type[Aggregate.Event]]
        Noted: ClassVar[type[Aggregate.Event]]
        Cleared: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(year: int) -> UUID:
        return uuid5(NAMESPACE_URL, f"/renda/calendar/{year}/waiting")

    @event("Opened", topic="renda:DueDateWaitlist.Opened")
    def __init__(self, *, year: int, actor: Actor) -> None:
        self.year = year
        self.waiting: list[str] = []

    def note(self, record_id: str, *, actor: Actor) -> None:
        """Note a record waiting for this year (once)."""
        if record_id not in self.waiting:
            self._noted(record_id=record_id, actor=actor)

    @event("Noted", topic="renda:DueDateWaitlist.Noted")
    def _noted(self, *, record_id: str, actor: Actor) -> None:
        self.waiting.append(record_id)

    def clear(self, record_ids: Iterable[str], *, actor: Actor) -> None:
        """The due dates of these records were computed (the year was added)."""
        done = sorted(set(record_ids) & set(self.waiting))
        if done:
            self._cleared(record_ids=done, actor=actor)

    @event("Cleared", topic="renda:DueDateWaitlist.Cleared")
    def _cleared(self, *, record_ids: list[str], actor: Actor) -> None:
        self.waiting = [r for r in self.waiting if r not in set(record_ids)]
