"""The field types of command models: the input policy of
:mod:`renda_core.application.inputs` as pydantic annotations.

:data:`BusinessDate` (when something happened) and :data:`PlannedDate` (a date meant to
lie ahead) are bounded by the date policy in force (``inputs.date_policy()``);
:data:`Text` and :data:`LongText` refuse blank values and control characters. Kept apart
from :mod:`~renda_core.application.inputs` so that reading a report, which validates no
command, imports no pydantic.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from renda_core.application.inputs import CONTROL, CONTROL_BUT_LINES, date_policy


def _not_empty(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError("a date is required (YYYY-MM-DD); an empty value is not today")
    return value


def _not_before_earliest(value: date) -> None:
    earliest = date_policy().earliest
    if value < earliest:
        raise ValueError(f"date {value} is before {earliest}, the earliest accepted")


def _business(value: date) -> date:
    policy = date_policy()
    if policy.earliest <= value <= policy.latest_business:
        return value  # the usual date: no error message built
    _not_before_earliest(value)
    days, latest = policy.margin_days, policy.latest_business
    # one whole sentence, so that a catalogue translates all of it
    raise ValueError(
        f"date {value} is in the future: a business date is at most {days} days "
        f"after today ({latest})"
    )


def _planned(value: date) -> date:
    policy = date_policy()
    if policy.earliest <= value <= policy.latest_planned:
        return value  # the usual date: no error message built
    _not_before_earliest(value)
    years, latest = policy.planned_years, policy.latest_planned
    raise ValueError(
        f"date {value} is too far ahead: a planned date is at most {years} years "
        f"after today ({latest})"
    )


BusinessDate = Annotated[date, BeforeValidator(_not_empty), AfterValidator(_business)]
"""When something happened: earliest ≤ date ≤ today + margin."""

PlannedDate = Annotated[date, BeforeValidator(_not_empty), AfterValidator(_planned)]
"""A date the domain means to lie ahead (due dates, extensions, courses, calendars)."""


# -- text ---------------------------------------------------------------------------


def _short_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    bad = CONTROL.search(value)
    if bad is not None:
        raise ValueError(f"control character U+{ord(bad.group()):04X} is not allowed here")
    return value


def _long_text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    bad = CONTROL_BUT_LINES.search(value)
    if bad is not None:
        raise ValueError(
            f"control character U+{ord(bad.group()):04X} is not allowed (only newline and tab)"
        )
    return value


Text = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_short_text)]
"""A name or short text: 1–200 characters, not blank, no control characters."""

LongText = Annotated[
    str, StringConstraints(min_length=1, max_length=5000), AfterValidator(_long_text)
]
"""A note or long text: 1–5000 characters, not blank, newline and tab the only controls."""
