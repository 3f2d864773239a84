"""The clock: reminders and 催办 for running deadlines, recorded as events.

For each deadline still running (``open_deadlines``) the thresholds are, in order:
``before:10`` and ``before:3`` (that many working days before the due date: the day
with that many working days from it up to the due date), ``due`` (the due date) and
``overdue:<k>`` (催办: the first working day after the due date, then every 7 days,
rolled forward to a working day, until the deadline is met). A tick on day *d* issues
the latest threshold reached on *d*, if it was not issued yet: ticking daily issues
every threshold on its day, and a tick repeated (or run late) issues nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from renda_core.domain.calendar import WorkCalendar
from renda_core.domain.reminder import REMIND, URGE

BEFORE = (10, 3)  # the policy: working days before a due date
WEEK = 7


def back_working_days(calendar: WorkCalendar, due: date, count: int) -> date:
    """The day ``count`` working days before ``due`` (working days counted from it,
    exclusive, up to ``due``, inclusive, when ``due`` is a working day)."""
    day, found = due, 0
    while found < count:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            found += 1
    return day


def next_workday(calendar: WorkCalendar, day: date) -> date:
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def thresholds(
    calendar: WorkCalendar, due: date, until: date, before: tuple[int, ...] = BEFORE
) -> Iterator[tuple[str, str, int, date]]:
    """(threshold, kind, number, day) of a deadline due on ``due``, up to ``until``."""
    for n in sorted(before, reverse=True):
        yield f"before:{n}", REMIND, 0, back_working_days(calendar, due, n)
    yield "due", REMIND, 0, due
    first = next_workday(calendar, due + timedelta(days=1))
    k = 1
    while True:
        day = next_workday(calendar, first + timedelta(days=WEEK * (k - 1)))
        if day > until:
            return
        yield f"overdue:{k}", URGE, k, day
        k += 1


def latest(
    calendar: WorkCalendar, due: date, on: date, before: tuple[int, ...] = BEFORE
) -> tuple[str, str, int] | None:
    """The latest threshold reached on ``on`` (threshold, kind, number), or None."""
    found = None
    for threshold, kind, number, day in thresholds(calendar, due, on, before):
        if day <= on:
            found = (threshold, kind, number)
    return found
