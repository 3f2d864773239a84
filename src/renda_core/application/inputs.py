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

This module imports no pydantic (a report reads :data:`BUSINESS_TZ` and :func:`shown`
through the store without loading a validation library): the field types of command
models, :data:`BusinessDate`, :data:`PlannedDate`, :data:`Text` and :data:`LongText`, are
in :mod:`renda_core.application.fields` (still importable from here, loaded on first use).
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from renda_core.application.fields import BusinessDate as BusinessDate
    from renda_core.application.fields import LongText as LongText
    from renda_core.application.fields import PlannedDate as PlannedDate
    from renda_core.application.fields import Text as Text

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_EARLIEST = date(1949, 10, 1)


@dataclass(frozen=True)
class DatePolicy:
    """The bounds of accepted dates. ``today`` None means the clock (Beijing time)."""

    earliest: date = DEFAULT_EARLIEST
    margin_days: int = 31
    planned_years: int = 20
    today: date | None = None
    _fixed: tuple[date, date] | None = field(default=None, init=False, repr=False, compare=False)
    """With ``today`` fixed, the latest business and planned dates, computed once (every
    date of an import is checked against them)."""

    def __post_init__(self) -> None:
        if self.today is not None:
            latest = (self._latest(self.margin_days), self._latest(366 * self.planned_years))
            object.__setattr__(self, "_fixed", latest)

    def current(self) -> date:
        return self.today or datetime.now(BUSINESS_TZ).date()

    def _latest(self, days: int) -> date:
        return self.current() + timedelta(days=days)

    @property
    def latest_business(self) -> date:
        fixed = self._fixed
        return fixed[0] if fixed is not None else self._latest(self.margin_days)

    @property
    def latest_planned(self) -> date:
        fixed = self._fixed
        return fixed[1] if fixed is not None else self._latest(366 * self.planned_years)


@functools.cache
def _default_policy() -> DatePolicy:
    """The policy of the environment (``RENDA_EARLIEST_DATE``), read once per process:
    every date check asks for it. :func:`forget_date_policy` reads it again."""
    text = os.environ.get("RENDA_EARLIEST_DATE")
    if not text:
        return DatePolicy()
    try:
        return DatePolicy(earliest=date.fromisoformat(text))
    except ValueError:
        return DatePolicy()


def forget_date_policy() -> None:
    """Read ``RENDA_EARLIEST_DATE`` again at the next date check (after a change of the
    environment; :func:`dates_as_of` is the way to fix a policy for a while)."""
    _default_policy.cache_clear()


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


# -- text ---------------------------------------------------------------------------

LINE_CONTROLS = frozenset("\n\t")


def is_control(char: str) -> bool:
    """C0, DEL and C1 control characters (Unicode category Cc)."""
    return unicodedata.category(char) == "Cc"


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
"""The first control character of a text (what :func:`is_control` says of each
character, in one pass in C: category Cc is exactly U+0000–U+001F and U+007F–U+009F)."""

CONTROL_BUT_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""The first control character other than newline and tab (:data:`LINE_CONTROLS`)."""


# -- showing input back ---------------------------------------------------------------

SHOWN_LIMIT = 80
SHOWN_HEAD = 60


def escape_controls(text: str, *, keep_newlines: bool = False) -> str:
    """Control characters as visible escapes (``\\x1b``, ``\\n``): safe on a terminal."""
    if CONTROL.search(text) is None:
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


_FIELD_TYPES = frozenset({"BusinessDate", "PlannedDate", "Text", "LongText"})


def __getattr__(name: str) -> Any:
    """The pydantic field types, imported from :mod:`renda_core.application.fields` when
    first asked for here (``from renda_core.application.inputs import Text``)."""
    if name in _FIELD_TYPES:
        from renda_core.application import fields

        return getattr(fields, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
