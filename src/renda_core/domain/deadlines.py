"""The statutory clock of a suggestion: periods, the deadline policy and the clock.

Conventions (DESIGN.md; issue 3):

- a period counts from the day after the triggering business date;
- ``N months`` ends on the same day N months later, clamped to the end of a shorter
  month (2024-11-30 + 3 months = 2025-02-28);
- ``N working days`` ends on the N-th working day after the date by the Chinese
  statutory calendar, make-up working days included (2024-09-27 + 7 working days =
  2024-10-12);
- ``N days`` ends N calendar days later;
- a period whose last day is a statutory holiday or rest day ends on the next working
  day (Civil Code Art. 203 style: 期间的最后一日是法定休假日的，以法定休假日结束的次日
  为期间的最后一日), when the policy's ``roll_to_working_day`` is on (the default);
- a due date that needs a year the working-day calendar does not know is *pending*:
  the command records its event with a :class:`PendingDue` naming the missing year, and
  the date is computed and recorded when the year is added (``renda calendar add``).

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

from renda_core.domain.calendar import CalendarYearUnknown, WorkCalendar
from renda_core.domain.motion import DEFAULT_RULES, MotionRule
from renda_core.domain.values import Level


class Unit(StrEnum):
    MONTHS = "months"
    WORKING_DAYS = "working_days"
    DAYS = "days"


UNIT_LABELS = {Unit.MONTHS: "个月", Unit.WORKING_DAYS: "个工作日", Unit.DAYS: "日"}

#: the deadlines a suggestion runs (``open_deadlines``, the clock's reminders, overdue
#: lists) by their key, with the Chinese name notifications and tables give them
DEADLINE_LABELS = {
    "assignment_due": "交办期限",
    "reply_due": "答复期限",
    "extension_limit": "延期答复最迟期限",
    "objection_until": "申请调整截止日期",
    "co_opinion_due": "协办意见期限",
    "rehandle_due": "重新办理答复期限",
    "disclosure_due": "答复公开期限",
    "commitment_due": "承诺事项期限",
}


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

    The defaults are the national law (Deputies Law, as amended 2025, Art. 51: reply
    within 3 months of assignment (交办), within 6 months for complex ones) and the model
    provincial rules of DESIGN.md. A province plugin registers its own
    (``dataclasses.replace(NATIONAL, name=..., rehandling=...)``).

    ``max_total`` is the longest the reply may take from 交办, extensions included
    (Art. 51: 6 months); a province may set its own cap, never an unlimited one: it is
    a finite period of at most :data:`MAX_TOTAL_CEILING`, and the reply periods must
    fit in it. ``extension_cap`` bounds one extension's length on top of that.
    ``roll_to_working_day`` moves a period's last day off a holiday or rest day.
    ``rehandle_on_attitude`` lets a province order re-handling on an attitude-only
    不满意 too (default: only a 不满意 result; an attitude-only one is answered by a
    recorded contact).

    ``motion_rules`` is who may put a motion (议案) to each level's congress: the
    number of deputies jointly (联名) and whether a delegation (代表团) may. The default
    is the law's (:data:`~renda_core.domain.motion.DEFAULT_RULES`); a province sets
    its own numbers for its congresses in its rules of procedure.

    ``province`` is the two-digit code of the provincial-level division whose rules
    these are (``"22"`` for 吉林省): such a policy is in force, unless a policy is named,
    only for a store of that province or of none known yet; None: any store's.
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
    max_total: Period = Period(6, Unit.MONTHS)
    roll_to_working_day: bool = True
    rehandle_on_attitude: bool = False
    #: assignment (交办) of a session suggestion, counted from the session's close: one
    #: calendar month (same day next month, clamped; not 30 days). Source: 《上海市人民代表
    #: 大会关于代表建议、批评和意见的规定》 Art. 15 — 市人民代表大会常务委员会办公厅、市人民
    #: 政府办公厅等应当于市人民代表大会闭会后一个月内组织召开代表建议、批评和意见办理工作
    #: 会议，对办理工作进行部署 (Art. 11: the 大会秘书处 受理和交办 during the session);
    #: renda reads it as the latest day the session's suggestions are assigned. No provincial
    #: text read states a 交办 period after the close in those words; Jilin's 2025 chapter 3
    #: was not read (docs/suggestions.md, "Sources checked").
    session_assignment: Period = Period(1, Unit.MONTHS)
    #: who may put a motion to each level's congress (a province's rules may differ)
    motion_rules: Mapping[str, MotionRule] = field(default_factory=lambda: DEFAULT_RULES)
    #: the provincial-level division (two-digit code) whose rules these are; None: any
    province: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.max_total, Period):
            raise ValueError(
                "max_total must be a period (Deputies Law Art. 51: 6 months from 交办); "
                "a policy cannot leave the total unlimited"
            )
        if not _fits(self.max_total, MAX_TOTAL_CEILING):
            raise ValueError(
                f"max_total {self.max_total} is longer than {MAX_TOTAL_CEILING}, "
                "the most a policy may allow from 交办"
            )
        for name in ("reply", "reply_complex"):
            if not _fits(getattr(self, name), self.max_total):
                raise ValueError(
                    f"{name} {getattr(self, name)} does not fit in max_total {self.max_total}"
                )
        if not self.result_classes:
            raise ValueError("a policy needs at least one result class")
        unknown = set(self.commitment_classes) - set(self.result_classes)
        if unknown:
            raise ValueError(f"commitment classes {sorted(unknown)} are not result classes")
        if self.max_rehandlings < 0:
            raise ValueError("max_rehandlings cannot be negative")
        object.__setattr__(self, "result_classes", MappingProxyType(dict(self.result_classes)))
        rules = {**DEFAULT_RULES, **{Level.parse(k).value: v for k, v in self.motion_rules.items()}}
        for level, rule in rules.items():
            if not isinstance(rule, MotionRule) or rule.min_deputies < 1:
                raise ValueError(f"motion_rules[{level!r}] needs 1 or more deputies jointly")
        object.__setattr__(self, "motion_rules", MappingProxyType(rules))

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
            "max_total",
            "session_assignment",
        )
        return {
            "name": self.name,
            "title": self.title,
            "province": self.province,
            **{p: getattr(self, p).to_dict() for p in periods},
            "max_rehandlings": self.max_rehandlings,
            "result_classes": dict(self.result_classes),
            "commitment_classes": sorted(self.commitment_classes),
            "contact_before_reply": self.contact_before_reply,
            "roll_to_working_day": self.roll_to_working_day,
            "rehandle_on_attitude": self.rehandle_on_attitude,
            "motion_rules": {
                level: {"min_deputies": r.min_deputies, "delegation": r.delegation}
                for level, r in self.motion_rules.items()
            },
        }


#: The longest ``max_total`` a policy may set: one year from 交办.
MAX_TOTAL_CEILING = Period(12, Unit.MONTHS)


def _fits(inner: Period, outer: Period) -> bool:
    """Whether ``inner`` can never be longer than ``outer``."""
    if inner.unit is outer.unit:
        return inner.amount <= outer.amount
    return _longest_days(inner) <= _shortest_days(outer)


def _longest_days(period: Period) -> int:
    """An upper bound of the period's length in calendar days (to compare periods)."""
    per = {Unit.MONTHS: 31, Unit.DAYS: 1, Unit.WORKING_DAYS: 3}[period.unit]
    return period.amount * per


def _shortest_days(period: Period) -> int:
    """A lower bound of the period's length in calendar days."""
    per = {Unit.MONTHS: 28, Unit.DAYS: 1, Unit.WORKING_DAYS: 1}[period.unit]
    return period.amount * per


NATIONAL = DeadlinePolicy()


@dataclass(frozen=True)
class Clock:
    """A policy bound to a working-day calendar: what a command needs to set due dates."""

    policy: DeadlinePolicy = NATIONAL
    calendar: WorkCalendar = field(default_factory=WorkCalendar)

    def due(self, period: Period, start: date) -> date:
        """The period's last day; rolled to the next working day when the policy says so.

        Raises :class:`CalendarYearUnknown` when a year it needs is not known."""
        return period_end(period, start, self.calendar, self.policy.roll_to_working_day)

    def attempt(self, period: Period, start: date) -> tuple[date | None, PendingDue | None]:
        """The due date, or (when a calendar year is missing) what to compute later."""
        try:
            return self.due(period, start), None
        except CalendarYearUnknown as missing:
            return None, PendingDue(
                start=start,
                period=period,
                roll=self.policy.roll_to_working_day,
                year=missing.year,
            )

    def reply_period(self, complex_: bool) -> Period:
        return self.policy.reply_complex if complex_ else self.policy.reply

    def reply_due(self, assigned_on: date, complex_: bool) -> date:
        return self.due(self.reply_period(complex_), assigned_on)


def period_end(period: Period, start: date, calendar: WorkCalendar, roll: bool) -> date:
    """The last day of ``period`` after ``start``; with ``roll``, a holiday or rest day
    moves it to the next working day (Civil Code Art. 203 style)."""
    end = period.after(start, calendar)
    if roll:
        while not calendar.is_workday(end):
            end += timedelta(days=1)
    return end


@dataclass(frozen=True)
class PendingDue:
    """A due date waiting for a calendar year: recorded in the event as plain data."""

    start: date
    period: Period
    roll: bool
    year: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "amount": self.period.amount,
            "unit": self.period.unit.value,
            "roll": self.roll,
            "year": self.year,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PendingDue:
        return cls(
            start=date.fromisoformat(str(data["start"])),
            period=Period(int(data["amount"]), Unit(data["unit"])),
            roll=bool(data["roll"]),
            year=int(data["year"]),
        )

    def compute(self, calendar: WorkCalendar) -> date:
        """The due date (raises :class:`CalendarYearUnknown` if a year is still missing)."""
        return period_end(self.period, self.start, calendar, self.roll)
