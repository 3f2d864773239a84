"""What renda accepts as a date or a text, said once for every command.

Dates. A *business date* (when something happened) lies between the domain's earliest
sensible date (default 1949-10-01; ``RENDA_EARLIEST_DATE`` changes it) and today plus
a small margin (default 31 days, for a clerk entering tomorrow's meeting today). A
*planned date* (a due date, the end of an extension, a course's days, a calendar year)
may lie further ahead, up to 20 years after today. "Today" comes from one place,
:func:`today` (Beijing time), and tests fix it with :func:`dates_as_of`; the domain never
reads the clock. That a later event is not before its record's own start is the
aggregates' rule (they raise ``RuleViolated``).

Texts. Empty or blank (only whitespace, full-width spaces included) is refused where a
text is given. Names and short texts (:data:`Text`) refuse control characters
(C0, DEL, C1: ESC among them); long texts (:data:`LongText`) allow newline and tab only.
What passes is kept verbatim: nothing is trimmed or folded.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, StringConstraints

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_EARLIEST = date(1949, 10, 1)


@dataclass(frozen=True)
class DatePolicy:
    """The bounds of accepted dates. ``today`` None means the clock (Beijing time)."""

    earliest: date = DEFAULT_EARLIEST
    margin_days: int = 31
    planned_years: int = 20
    today: date | None = None

    def current(self) -> date:
        return self.today or datetime.now(BUSINESS_TZ).date()

    @property
    def latest_business(self) -> date:
        return self.current() + timedelta(days=self.margin_days)

    @property
    def latest_planned(self) -> date:
        return self.current() + timedelta(days=366 * self.planned_years)


def _default_policy() -> DatePolicy:
    text = os.environ.get("RENDA_EARLIEST_DATE")
    if not text:
        return DatePolicy()
    try:
        return DatePolicy(earliest=date.fromisoformat(text))
    except ValueError:
        return DatePolicy()


_POLICY: ContextVar[DatePolicy | None] = ContextVar("renda_date_policy", default=None)


def date_policy() -> DatePolicy:
    """The date policy in force (set by :func:`dates_as_of`, else the default)."""
    return _POLICY.get() or _default_policy()


def today() -> date:
    """Today in Beijing, or the date fixed by :func:`dates_as_of`: the one place renda
    asks the clock for a business date."""
    return date_policy().current()


@contextmanager
def dates_as_of(today: date | None = None, **changes: Any) -> Iterator[DatePolicy]:
    """Fix today (and optionally ``earliest``, ``margin_days``, ``planned_years``)."""
    policy = replace(date_policy(), today=today, **changes)
    token = _POLICY.set(policy)
    try:
        yield policy
    finally:
        _POLICY.reset(token)


def _not_empty(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError("a date is required (YYYY-MM-DD); an empty value is not today")
    return value


def _within(value: date, latest: date, too_late: str) -> date:
    """``value`` between the policy's earliest date and ``latest`` (else ``too_late``)."""
    earliest = date_policy().earliest
    if value < earliest:
        raise ValueError(f"date {value} is before {earliest}, the earliest accepted")
    if value > latest:
        raise ValueError(f"date {value} is {too_late} ({latest})")
    return value


def _business(value: date) -> date:
    policy = date_policy()
    return _within(
        value,
        policy.latest_business,
        f"in the future: a business date is at most {policy.margin_days} days after today",
    )


def _planned(value: date) -> date:
    policy = date_policy()
    return _within(
        value,
        policy.latest_planned,
        f"too far ahead: a planned date is at most {policy.planned_years} years after today",
    )


BusinessDate = Annotated[date, BeforeValidator(_not_empty), AfterValidator(_business)]
"""When something happened: earliest ≤ date ≤ today + margin."""

PlannedDate = Annotated[date, BeforeValidator(_not_empty), AfterValidator(_planned)]
"""A date the domain means to lie ahead (due dates, extensions, courses, calendars)."""


# -- text ---------------------------------------------------------------------------

LINE_CONTROLS = frozenset("\n\t")


def is_control(char: str) -> bool:
    """C0, DEL and C1 control characters (Unicode category Cc)."""
    return unicodedata.category(char) == "Cc"


def _short_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    bad = next((c for c in value if is_control(c)), None)
    if bad is not None:
        raise ValueError(f"control character U+{ord(bad):04X} is not allowed here")
    return value


def _long_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    bad = next((c for c in value if is_control(c) and c not in LINE_CONTROLS), None)
    if bad is not None:
        raise ValueError(
            f"control character U+{ord(bad):04X} is not allowed (only newline and tab)"
        )
    return value


Text = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_short_text)]
"""A name or short text: 1–200 characters, not blank, no control characters."""

LongText = Annotated[
    str, StringConstraints(min_length=1, max_length=5000), AfterValidator(_long_text)
]
"""A note or long text: 1–5000 characters, not blank, newline and tab the only controls."""


# -- showing input back ---------------------------------------------------------------

SHOWN_LIMIT = 80
SHOWN_HEAD = 60


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Control characters as visible escapes (``\\x1b``, ``\\n``): safe on a terminal."""
    if not any(is_control(c) for c in text):
        return text
    out = []
    for c in text:
        if keep_newlines and c in LINE_CONTROLS:
            out.append(c)
        elif is_control(c):
            out.append(repr(c)[1:-1] if c in "\n\t\r" else f"\\x{ord(c):02x}")
        else:
            out.append(c)
    return "".join(out)


def shown(value: object, limit: int = SHOWN_LIMIT) -> str:
    """An input value as an error message shows it: escaped, and elided when long
    (the first 60 characters and the length)."""
    text = escape_controls(str(value))
    if len(text) > limit:
        return f"{text[:SHOWN_HEAD]}…({len(str(value))} characters)"
    return text
