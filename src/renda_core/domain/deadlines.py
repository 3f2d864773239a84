"""The statutory clock of a suggestion: periods, the deadline policy and the clock.

Conventions (DESIGN.md; issue 3):

- a period counts from the day after the triggering business date;
- ``N months`` ends on the same day N months later, clamped to the end of a shorter
  month (2024-11-30 + 3 months = 2025-02-28);
- ``N working days`` ends on the N-th working day after the date by the Chinese
  statutory calendar, make-up working days included (2024-09-27 + 7 working days =
  2024-10-12);
- ``N days`` ends N calendar days later.

The :class:`DeadlinePolicy` holds the national law's period and the provincial model
defaults; a province plugin replaces it through the ``renda_register_deadline_policies``
hook. Due dates are computed when the triggering command runs and recorded in its
event, so an old log replays with the deadlines it had, whatever the policy or the
calendar says later.
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from renda_core.domain.calendar import WorkCalendar


class Unit(StrEnum):
    MONTHS = "months"
    WORKING_DAYS = "working_days"
    DAYS = "days"


UNIT_LABELS = {Unit.MONTHS: "个月", Unit.WORKING_DAYS: "个工作日", Unit.DAYS: "日"}


def add_months(start: date, months: int) -> date:
    """Same day ``months`` later, clamped to the end of the month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _cal.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """A period of ``amount`` months, working days or calendar days."""

    amount: int
    unit: Unit = Unit.MONTHS

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise ValueError(f"a period needs an amount of 1 or more, got {self.amount}")
        object.__setattr__(self, "unit", Unit(self.unit))

    def after(self, start: date, calendar: WorkCalendar) -> date:
        """The last day of the period that starts the day after ``start``."""
        if self.unit is Unit.MONTHS:
            return add_months(start, self.amount)
        if self.unit is Unit.DAYS:
            return start + timedelta(days=self.amount)
        return calendar.add_working_days(start, self.amount)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value.replace('_', ' ')}"

    @property
    def label(self) -> str:
        return f"{self.amount}{UNIT_LABELS[self.unit]}"

    def to_dict(self) -> dict[str, Any]:
        return {"amount": self.amount, "unit": self.unit.value, "label": self.label}


DEFAULT_RESULT_CLASSES: Mapping[str, str] = MappingProxyType(
    {
        "A": "所提问题已经解决或采纳",
        "B": "所提问题正在解决或列入计划逐步解决",
        "C": "因条件限制或其他原因需以后解决",
        "D": "所提问题留作参考",
    }
)


@dataclass(frozen=True)
class DeadlinePolicy:
    """The periods and choices of a province's suggestion-handling rules.

    The defaults are the national law (reply within 3 months of assignment, Deputies
    Law Art. 52) and the model provincial rules of DESIGN.md. A province plugin
    registers its own (``dataclasses.replace(NATIONAL, name=..., rehandling=...)``).
    """

    name: str = "national"
    title: str = "全国人大代表法及示范性办理规则（默认）"
    reply: Period = Period(3, Unit.MONTHS)
    reply_complex: Period = Period(6, Unit.MONTHS)
    assignment: Period = Period(7, Unit.WORKING_DAYS)
    objection: Period = Period(7, Unit.WORKING_DAYS)
    co_opinion: Period = Period(1, Unit.MONTHS)
    extension_cap: Period = Period(3, Unit.MONTHS)
    rehandling: Period = Period(1, Unit.MONTHS)
    disclosure: Period = Period(20, Unit.WORKING_DAYS)
    max_rehandlings: int = 1
    result_classes: Mapping[str, str] = field(default_factory=lambda: DEFAULT_RESULT_CLASSES)
    commitment_classes: frozenset[str] = frozenset({"B", "C"})
    contact_before_reply: bool = False
    #: assignment (交办) of a session suggestion, counted from the session's close
    session_assignment: Period = Period(30, Unit.DAYS)

    def __post_init__(self) -> None:
        if not self.result_classes:
            raise ValueError("a policy needs at least one result class")
        unknown = set(self.commitment_classes) - set(self.result_classes)
        if unknown:
            raise ValueError(f"commitment classes {sorted(unknown)} are not result classes")
        if self.max_rehandlings < 0:
            raise ValueError("max_rehandlings cannot be negative")
        object.__setattr__(self, "result_classes", MappingProxyType(dict(self.result_classes)))

    def with_changes(self, **changes: Any) -> DeadlinePolicy:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        periods = (
            "reply",
            "reply_complex",
            "assignment",
            "objection",
            "co_opinion",
            "extension_cap",
            "rehandling",
            "disclosure",
            "session_assignment",
        )
        return {
            "name": self.name,
            "title": self.title,
            **{p: getattr(self, p).to_dict() for p in periods},
            "max_rehandlings": self.max_rehandlings,
            "result_classes": dict(self.result_classes),
            "commitment_classes": sorted(self.commitment_classes),
            "contact_before_reply": self.contact_before_reply,
        }


NATIONAL = DeadlinePolicy()


@dataclass(frozen=True)
class Clock:
    """A policy bound to a working-day calendar: what a command needs to set due dates."""

    policy: DeadlinePolicy = NATIONAL
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    def due(self, period: Period, start: date) -> date:
        return period.after(start, self.calendar)

    def reply_due(self, assigned_on: date, complex_: bool) -> date:
        return self.due(self.policy.reply_complex if complex_ else self.policy.reply, assigned_on)
