"""The statutory clock of the application: the deadline policy in force and the
working-day calendar (packaged years, years supplied by plugins, years staff added).

Years added with ``renda calendar add FILE`` are :class:`CalendarYear` events; the
calendar loads them from the store whenever a command computes a due date, so nothing
depends on a global mutable. A recorded year wins over a plugin's, which wins over
the packaged data.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Annotated, Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Recording
from pydantic import Discriminator, Field, Tag, model_validator

from renda_core.application.base import RendaBase
from renda_core.application.commands import BusinessDate, Command, PlannedDate, Text, command
from renda_core.domain.calendar import (
    CalendarYear,
    DueDateWaitlist,
    WorkCalendar,
    YearArrangement,
    packaged_years,
)
from renda_core.domain.deadlines import NATIONAL, Clock, DeadlinePolicy, Period, Unit
from renda_core.domain.errors import InvalidInput, RuleViolated
from renda_core.domain.values import Actor

STAFF = {"staff"}


class HolidaySpan(Command):
    """A holiday of the arrangement: one day (``date``) or a span (``from``/``to``)."""

    name: Text | None = None
    date: PlannedDate | None = None
    from_: PlannedDate | None = Field(default=None, alias="from")
    to: PlannedDate | None = None

    @model_validator(mode="after")
    def _one_form(self) -> HolidaySpan:
        if (self.date is None) == (self.from_ is None or self.to is None):
            raise ValueError("give either date, or from and to")
        if self.from_ and self.to and self.to < self.from_:
            raise ValueError("to is before from")
        return self

    def days(self) -> list[dt.date]:
        if self.date is not None:
            return [self.date]
        assert self.from_ is not None and self.to is not None
        return [self.from_ + timedelta(days=n) for n in range((self.to - self.from_).days + 1)]


def _holiday_form(value: Any) -> str:
    """An entry of ``holidays`` is a span (an object) or one day (a date)."""
    return "span" if isinstance(value, Mapping | HolidaySpan) else "day"


#: an entry of ``holidays``: told apart by its form, so that an error names the entry's
#: own field (``holidays.0.span.date``, ``holidays.1.day``) rather than pydantic's trial
#: of each member of a union (``holidays.0.function-after[_one_form(), HolidaySpan]``)
HolidayEntry = Annotated[
    Annotated[HolidaySpan, Tag("span")] | Annotated[PlannedDate, Tag("day")],
    Discriminator(_holiday_form),
]


class AddCalendarYear(Command):
    """Add (or, with ``replace``, revise) a year's holiday arrangement (节假日安排)."""

    year: int = Field(ge=1949, le=2200)
    source: Text = Field(description="the State Council notice, e.g. 国办发明电〔2026〕x号")
    holidays: list[HolidayEntry] = Field(min_length=1)
    workdays: list[PlannedDate] = Field(default_factory=list, description="make-up working days")
    date: BusinessDate
    replace: bool = False

    def arrangement(self) -> YearArrangement:
        days: set[dt.date] = set()
        names: dict[str, str] = {}
        for entry in self.holidays:
            spans = [entry] if isinstance(entry, dt.date) else entry.days()
            for day in spans:
                days.add(day)
                if isinstance(entry, HolidaySpan) and entry.name:
                    names[day.isoformat()] = entry.name
        return YearArrangement(
            self.year, frozenset(days), frozenset(self.workdays), self.source, names
        )


@functools.cache
def _may_wait(cls: type) -> bool:
    """Whether records of this class can wait for a calendar year (they have
    ``waiting_years``): asked once per class, not with a failed attribute look-up per
    saved record."""
    return hasattr(cls, "waiting_years")


class CalendarCommands(RendaBase):
    """The calendar and deadline-policy part of the application."""

    _deadline_policy: DeadlinePolicy = NATIONAL
    #: the choice made again at each use while it is not settled (see
    #: :meth:`choose_deadline_policy`)
    _policy_choice: Callable[[], tuple[DeadlinePolicy, bool]] | None = None
    supplied_years: Mapping[int, YearArrangement] = MappingProxyType({})

    @property
    def deadline_policy(self) -> DeadlinePolicy:
        """The deadline policy in force (the national one unless configured)."""
        choice = self._policy_choice
        if choice is not None:
            policy, settled = choice()
            self._deadline_policy = policy
            if settled and self._batch is None:  # a batch's province may yet roll back
                self._policy_choice = None
        return self._deadline_policy

    # -- configuration (by the CLI from plugins, or by an embedding system) --------

    def use_deadline_policy(self, policy: DeadlinePolicy) -> None:
        """Apply a province's deadline policy to the commands of this application."""
        self._deadline_policy = policy
        self._policy_choice = None

    def choose_deadline_policy(self, choice: Callable[[], tuple[DeadlinePolicy, bool]]) -> None:
        """Apply the policy ``choice`` gives with whether it is settled
        (:func:`renda_core.ports.rules.policy_choice`): chosen now (its errors raised
        here), and chosen again at each use until settled, e.g. once the store records
        its province (a question of the store each time until then)."""
        policy, settled = choice()
        self._deadline_policy = policy
        self._policy_choice = None if settled else choice

    def use_calendar_years(self, arrangements: Iterable[YearArrangement]) -> None:
        """Years supplied by plugins (recorded years still take precedence)."""
        years: dict[int, YearArrangement] = {}
        for arrangement in arrangements:
            if arrangement.year in years and years[arrangement.year] != arrangement:
                raise InvalidInput(
                    f"two different arrangements were supplied for {arrangement.year}",
                    [{"field": "year", "message": "supplied twice"}],
                )
            years[arrangement.year] = arrangement
        self.supplied_years = MappingProxyType(years)

    # -- commands -----------------------------------------------------------------

    @command("calendar.add", AddCalendarYear, STAFF)
    def add_calendar_year(self, cmd: AddCalendarYear, actor: Actor) -> UUID:
        """Record a year's holiday arrangement so working-day periods can use it."""
        arrangement = cmd.arrangement()
        existing = self.recorded_calendar_year(cmd.year)
        if existing is None:
            year = CalendarYear.add(arrangement, on=cmd.date, actor=actor)
        elif not cmd.replace:
            raise RuleViolated(
                f"the {cmd.year} arrangement is already recorded (from {existing.source}); "
                "use replace (--replace) to revise it"
            )
        else:
            existing.revise(arrangement, on=cmd.date, actor=actor)
            year = existing
        # the due dates waiting for this year are computed and recorded in the same write
        waitlist = self._waitlist(cmd.year, actor, create=False)
        changed: list[Aggregate] = []
        if waitlist is not None and waitlist.waiting:
            calendar = WorkCalendar(
                lambda y: arrangement if y == cmd.year else self._year_lookup(y),
                known_years=lambda: [*self.known_calendar_years(cmd.year), cmd.year],
            )
            done = []
            for record_id in list(waitlist.waiting):
                record: Any = self._get(UUID(record_id))
                record.compute_pending(calendar, on=cmd.date, actor=actor)
                changed.append(record)
                done.append(record_id)
            waitlist.clear(done, actor=actor)
            changed.append(waitlist)
        self._save(year, *changed)
        return year.id

    def _save(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        """Save, noting every record whose due dates now wait for a calendar year on that
        year's waiting list, in the same write."""
        lists: dict[int, DueDateWaitlist] = {}
        for aggregate in aggregates:
            if not _may_wait(type(aggregate)):
                continue  # most records (a deputy, a station) never wait for a year
            waiting = getattr(aggregate, "waiting_years", None)
            if waiting is None or not aggregate.pending_events:
                continue
            actor: Any = getattr(aggregate.pending_events[-1], "actor", None)
            for year in waiting():
                if year not in lists:
                    found = self._waitlist(year, actor, create=True)
                    assert found is not None
                    lists[year] = found
                lists[year].note(str(aggregate.id), actor=actor)
        extra = [w for w in lists.values() if w.pending_events and w not in aggregates]
        return super()._save(*aggregates, *extra)

    def _waitlist(self, year: int, actor: Any, *, create: bool) -> DueDateWaitlist | None:
        try:
            found = self._get(DueDateWaitlist.create_id(year))
        except AggregateNotFoundError:
            return DueDateWaitlist(year=year, actor=actor) if create else None
        return found if isinstance(found, DueDateWaitlist) else None

    def pending_due_dates(self) -> dict[int, list[str]]:
        """The records waiting for each missing calendar year."""
        out: dict[int, list[str]] = {}
        for year in range(min(packaged_years()), max(packaged_years()) + 12):
            waitlist = self._waitlist(year, None, create=False)
            if waitlist is not None and waitlist.waiting:
                out[year] = list(waitlist.waiting)
        return out

    def missing_calendar_year(self, today: dt.date) -> tuple[int, int] | None:
        """``(year, how many records' due dates wait for it)`` when the arrangement of
        ``today``'s year is missing or, from 1 November, next year's; else ``None``."""
        years = [today.year] + ([today.year + 1] if (today.month, today.day) >= (11, 1) else [])
        calendar = self.work_calendar()
        for year in years:
            try:
                calendar.arrangement(year)
            except RuleViolated:
                waitlist = self._waitlist(year, None, create=False)
                return year, len(waitlist.waiting) if waitlist is not None else 0
        return None

    def calendar_warning(self, today: dt.date) -> str | None:
        """A warning when the arrangement of ``today``'s year or, from 1 November,
        next year's is missing (:meth:`missing_calendar_year` in words)."""
        missing = self.missing_calendar_year(today)
        if missing is None:
            return None
        year, waiting = missing
        return (
            f"warning: the {year} holiday arrangement is not recorded; due dates reaching "
            f"{year} are pending ({waiting} record(s) wait): add it with "
            "`renda calendar add FILE`"
        )

    # -- the clock ------------------------------------------------------------------

    def recorded_calendar_year(self, year: int) -> CalendarYear | None:
        try:
            found = self._get(CalendarYear.create_id(year))
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, CalendarYear) else None

    def _year_lookup(self, year: int) -> YearArrangement | None:
        recorded = self.recorded_calendar_year(year)
        if recorded is not None:
            return recorded.arrangement()
        return self.supplied_years.get(year)

    def work_calendar(self) -> WorkCalendar:
        """A fresh calendar for one command: recorded, supplied, then packaged years."""
        return WorkCalendar(self._year_lookup, known_years=self.known_calendar_years)

    def known_calendar_years(self, up_to: int | None = None) -> list[int]:
        """The years the calendar knows: packaged, supplied by a plugin, recorded."""
        return [row["year"] for row in self.calendar_years(up_to)]

    def clock(self) -> Clock:
        return Clock(self.deadline_policy, self.work_calendar())

    # -- queries --------------------------------------------------------------------

    def calendar_year(self, year: int) -> dict[str, Any]:
        """A year's arrangement and where it comes from (recorded, plugin, packaged)."""
        recorded = self.recorded_calendar_year(year)
        if recorded is not None:
            return {
                **recorded.arrangement().to_dict(),
                "origin": "recorded",
                "revisions": recorded.revisions,
            }
        if year in self.supplied_years:
            return {**self.supplied_years[year].to_dict(), "origin": "plugin"}
        if year in packaged_years():
            return {**packaged_years()[year].to_dict(), "origin": "packaged"}
        self.work_calendar().arrangement(year)  # raises CalendarYearUnknown
        raise AssertionError("unreachable")

    def calendar_years(self, up_to: int | None = None) -> list[dict[str, Any]]:
        """Which years the calendar knows, and from where."""
        packaged = packaged_years()
        last = max([*packaged, *self.supplied_years, up_to or 0]) + 10
        rows = []
        for year in range(min(packaged), last + 1):
            origin = None
            recorded = self.recorded_calendar_year(year)
            if recorded is not None:
                origin, source = "recorded", recorded.source
            elif year in self.supplied_years:
                origin, source = "plugin", self.supplied_years[year].source
            elif year in packaged:
                origin, source = "packaged", packaged[year].source
            if origin is not None:
                rows.append({"year": year, "origin": origin, "source": source})
        return rows

    def due_date(self, start: dt.date, amount: int, unit: str) -> dt.date:
        """``start`` + a period, by the conventions of the statutory clock."""
        try:
            period = Period(amount, Unit(unit))
        except ValueError as exc:
            raise InvalidInput(
                f"invalid period: {exc}", [{"field": "period", "message": str(exc)}]
            ) from None
        try:
            return period.after(start, self.work_calendar())
        except OverflowError:
            raise InvalidInput(
                f"{start} + {amount} {unit} is past the last date a calendar can hold",
                [{"field": "period", "message": "too far ahead"}],
            ) from None
